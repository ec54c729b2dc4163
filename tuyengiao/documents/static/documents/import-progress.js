// Poll the import's status and move the progress bar until it is done.
(() => {
  const root = document.querySelector("[data-import-progress]");
  if (!root) return;
  const bar = root.querySelector("[data-bar]");
  const rowsDone = root.querySelector("[data-rows-done]");
  const rowsTotal = root.querySelector("[data-rows-total]");
  const done = root.querySelector("[data-done]");
  const errors = root.querySelector("[data-errors]");
  const poll = async () => {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const run = await response.json();
    bar.value = run.percent;
    bar.textContent = `${run.percent}%`;
    rowsDone.textContent = run.rows_done;
    rowsTotal.textContent = run.rows_total;
    errors.replaceChildren(...run.errors.map((error) => Object.assign(document.createElement("li"), { textContent: error })));
    if (run.status === "done" || run.status === "failed") {
      done.hidden = false;
      return;
    }
    setTimeout(poll, 1000);
  };
  poll();
})();
