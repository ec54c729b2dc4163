// Poll the status of a background run (an import, an export) and move its progress bar. The element marked
// data-run-progress holds data-status-url; the status is JSON with percent, rows_done, rows_total, status and,
// when the run has them, errors (a list, shown in [data-errors]) or error (text, shown in [data-error]).
// At the end [data-done] is shown, or [data-failed] when the run failed and the page has one.
(() => {
  const root = document.querySelector("[data-run-progress]");
  if (!root) return;
  const part = (name) => root.querySelector(`[data-${name}]`);
  const poll = async () => {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const run = await response.json();
    part("bar").value = run.percent;
    part("bar").textContent = `${run.percent}%`;
    part("rows-done").textContent = run.rows_done;
    part("rows-total").textContent = run.rows_total;
    if (run.errors && part("errors")) {
      part("errors").replaceChildren(
        ...run.errors.map((error) => Object.assign(document.createElement("li"), { textContent: error })),
      );
    }
    if (run.status === "failed" && part("failed")) {
      if (part("error")) part("error").textContent = run.error || "";
      part("failed").hidden = false;
      return;
    }
    if (run.status === "done" || run.status === "failed") {
      part("done").hidden = false;
      return;
    }
    setTimeout(poll, 1000);
  };
  poll();
})();
