// Live coverage: while the page is open, ask how many updates the story has (a small
// JSON answer served from the page cache) and say "N new updates" without reloading.
// The page works without this script: it only adds the notice.
(function () {
  "use strict";
  var section = document.getElementById("live-updates");
  if (!section || section.dataset.open !== "true" || !window.fetch) return;

  var notice = section.querySelector(".live__notice");
  var link = notice.querySelector("a");
  var seenCount = Number(section.dataset.count);
  var seenLatest = Number(section.dataset.latest);
  var interval = Math.max(5, Number(section.dataset.interval) || 15) * 1000;
  var eastern = section.dataset.digits === "eastern";

  function localDigits(text) {
    if (!eastern) return text;
    return text.replace(/[0-9]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩"[d]; });
  }

  function show(newCount) {
    link.textContent = link.dataset.template.replace("%(count)s", localDigits(String(newCount)));
    notice.hidden = false;
  }

  function poll() {
    if (document.hidden) return; // a tab in the background asks nothing
    fetch(section.dataset.stateUrl, { cache: "no-store", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.latest > seenLatest && state.count > seenCount) show(state.count - seenCount);
        if (!state.open) window.clearInterval(timer);
      })
      .catch(function () { /* offline for a moment: ask again next time */ });
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    // The page cache has already retired the page: a reload shows the new updates.
    window.location.replace(link.href.split("#")[0] + "#live-updates");
    window.location.reload();
  });

  var timer = window.setInterval(poll, interval);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
