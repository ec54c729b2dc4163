/* Progress of a scan's digitisation (digitise/includes/scan_progress.html): while the scan waits or runs,
   ask its status URL every few seconds and update the bar; reload the page once it is done or failed. */
(function () {
  "use strict";
  if (window.digitiseScanProgress) { return; }  // the include may appear, and load this file, more than once
  window.digitiseScanProgress = true;

  var ACTIVE = ["waiting", "running"];
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 30000;

  function text(box, name, value) {
    var node = box.querySelector('[data-digitise="' + name + '"]');
    if (node) { node.textContent = value; }
    return node;
  }

  function update(box, data) {
    var bar = box.querySelector("progress");
    if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
    text(box, "status", data.status_label || data.status);
    if (data.pages_text) { text(box, "pages", data.pages_text); }
    var error = text(box, "error", data.error || "");
    if (error) { error.hidden = !data.error; }
  }

  function follow(box) {
    var url = box.getAttribute("data-status-url");
    var delay = FIRST_DELAY;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          update(box, data);
          if (ACTIVE.indexOf(data.status) === -1) {
            window.location.reload();
            return;
          }
          delay = FIRST_DELAY;
          window.setTimeout(tick, delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, MAX_DELAY);  // the server is busy or gone: ask less often
          window.setTimeout(tick, delay);
        });
    }
    window.setTimeout(tick, delay);
  }

  function start() {
    var boxes = document.querySelectorAll(".digitise-progress[data-status-url]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (ACTIVE.indexOf(box.getAttribute("data-status")) !== -1) { follow(box); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
