// Autosave: every few seconds, if anything changed, the story form's fields go
// to the server into this person's draft buffer (articles/desk/autosave.py).
// Nothing is saved to the story itself: reopening the form offers the text back.
//
// When the session has expired the admin answers with its login page instead
// of JSON; the form carries a signed token (articles/admin/autosave.py) with
// which the server still keeps the text for its person, and the status line
// says so: saving leads through the login page back to the form and the text.
;(function () {
  "use strict"
  const keep = document.getElementById("desk-keep")
  const form = keep && keep.closest("form")
  if (!form) return
  const url = keep.dataset.autosaveUrl
  const everyMs = Math.max(2, Number(keep.dataset.autosaveSeconds) || 5) * 1000
  const status = document.getElementById("desk-autosave-status")
  let edits = 0 // changes since the page was opened
  let keptEdits = 0 // how many of them the server holds
  let busy = false
  let submitted = false // the form is being saved: the save clears the buffer

  form.addEventListener("submit", () => {
    submitted = true
  })
  form.addEventListener("input", () => edits++)
  form.addEventListener("change", () => edits++)

  function say(text, isError) {
    if (!status) return
    status.textContent = text
    status.classList.toggle("desk-autosave-error", Boolean(isError))
  }

  async function save() {
    if (busy || submitted || edits === keptEdits) return
    busy = true
    const sending = edits
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      const type = response.headers.get("Content-Type") || ""
      if (response.redirected || !type.includes("application/json")) {
        say(gettext("Your session has ended. Save: you will be asked to log in, then offered your text back."), true)
        return
      }
      const answer = await response.json()
      if (response.ok) {
        keptEdits = sending
        say(answer.message, false)
      } else {
        say(answer.error || gettext("Your text could not be kept automatically. Save the story."), true)
      }
    } catch (error) {
      say(gettext("The server cannot be reached; your text is still in this page. Save when the connection is back."), true)
    } finally {
      busy = false
    }
  }

  window.setInterval(save, everyMs)
})()
