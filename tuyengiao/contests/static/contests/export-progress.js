// Poll an export's status and move the progress bar; show the download link when the file is ready.
(() => {
  const root = document.querySelector("[data-export-progress]");
  if (!root) return;
  const bar = root.querySelector("[data-bar]");
  const rowsDone = root.querySelector("[data-rows-done]");
  const rowsTotal = root.querySelector("[data-rows-total]");
  const done = root.querySelector("[data-done]");
  const failed = root.querySelector("[data-failed]");
  const error = root.querySelector("[data-error]");
  const poll = async () => {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const run = await response.json();
    bar.value = run.percent;
    bar.textContent = `${run.percent}%`;
    rowsDone.textContent = run.rows_done;
    rowsTotal.textContent = run.rows_total;
    if (run.status === "done") {
      done.hidden = false;
      return;
    }
    if (run.status === "failed") {
      error.textContent = run.error;
      failed.hidden = false;
      return;
    }
    setTimeout(poll, 1500);
  };
  poll();
})();
