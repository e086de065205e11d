// The soft lock: while the story form is open it says so to the server every
// few seconds (a POST; showing the page never takes the lock), and shows who
// else has the story open. Leaving the page or saving the form says goodbye
// with a beacon, so nobody sees "being edited" for a form that is closed.
;(function () {
  "use strict"
  const keep = document.getElementById("desk-keep")
  const form = keep && keep.closest("form")
  if (!form || !keep.dataset.presenceUrl) return
  const everyMs = Math.max(5, Number(keep.dataset.heartbeatSeconds) || 30) * 1000
  const panel = document.getElementById("desk-presence")
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]")
  let gone = false

  function tokenData() {
    const data = new FormData()
    if (csrf) data.append("csrfmiddlewaretoken", csrf.value)
    return data
  }

  async function beat() {
    if (gone) return
    try {
      const response = await fetch(keep.dataset.presenceUrl, {
        method: "POST",
        body: tokenData(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      const type = response.headers.get("Content-Type") || ""
      if (!response.ok || !type.includes("application/json")) return
      const answer = await response.json()
      // Rendered and escaped by the server (admin/articles/article/_presence.html).
      if (panel) panel.innerHTML = answer.html
    } catch (error) {
      // Offline for a moment: the next beat tries again.
    }
  }

  function leave() {
    if (gone) return
    gone = true
    navigator.sendBeacon(keep.dataset.leaveUrl, tokenData())
  }

  form.addEventListener("submit", leave)
  window.addEventListener("pagehide", leave)
  // Back from the browser's page cache: the form is open again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      gone = false
      beat()
    }
  })
  beat()
  window.setInterval(beat, everyMs)
})()
