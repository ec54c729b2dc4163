// Runs Wagtail's date and time pickers from JSON data instead of inline scripts, which the
// Content-Security-Policy forbids (see tuyengiao/core/templates/wagtailadmin/widgets/).
(function () {
  function initChoosers() {
    document.querySelectorAll("script[data-chooser-init]:not([data-chooser-done])").forEach(function (element) {
      var init = window[element.dataset.chooserInit];
      if (typeof init !== "function") return;
      element.dataset.chooserDone = "1";
      init(element.dataset.chooserTarget, JSON.parse(element.textContent));
    });
  }
  document.addEventListener("DOMContentLoaded", initChoosers);
  // Widgets added later (StreamField blocks, modals) are set up as they appear.
  new MutationObserver(initChoosers).observe(document.documentElement, { childList: true, subtree: true });
})();
