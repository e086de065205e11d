// The story form warns before the page is left with changes not yet saved.
//
// Typing in any field (the body editor announces its changes as "input" events
// on its textarea) marks the form changed; submitting the form itself is the
// save, so it never warns then. The text is also kept by autosave
// (desk-autosave.js), but a person should not have to go looking for it.
;(function () {
  "use strict"
  const keep = document.getElementById("desk-keep")
  const form = keep && keep.closest("form")
  if (!form) return
  // Kept text just restored into the form is not saved yet either.
  let changed = Boolean(document.querySelector(".desk-draft[data-restored]"))
  let submitting = false
  const markChanged = () => {
    changed = true
  }
  form.addEventListener("input", markChanged)
  form.addEventListener("change", markChanged)
  form.addEventListener("submit", () => {
    submitting = true
  })
  window.addEventListener("beforeunload", (event) => {
    if (!changed || submitting) return
    event.preventDefault()
    // Browsers show their own wording; older ones show this one.
    event.returnValue = gettext("You have changes that are not saved. Leave the page anyway?")
    return event.returnValue
  })
})()
