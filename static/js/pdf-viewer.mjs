// The in-browser PDF viewer: pdf.js (from npm, copied to static/vendor) draws one page at a time,
// starting at the page the search hit stands on (data-page, or #trang=N in the address).
const root = document.querySelector("[data-pdf-viewer]");
if (root) {
  const canvas = root.querySelector("[data-canvas]");
  const input = root.querySelector("[data-page-input]");
  const count = root.querySelector("[data-page-count]");
  const status = root.querySelector("[data-status]");
  const fromHash = /trang=(\d+)/.exec(window.location.hash);
  let current = Number(fromHash ? fromHash[1] : root.dataset.page) || 1;
  let pdf = null;
  let rendering = Promise.resolve();

  const show = (number) => {
    if (!pdf) return;
    current = Math.min(Math.max(1, number), pdf.numPages);
    input.value = current;
    root.dataset.current = current;
    history.replaceState(null, "", `#trang=${current}`);
    rendering = rendering.then(async () => {
      const page = await pdf.getPage(current);
      const width = Math.min(root.clientWidth || 800, 1200);
      const base = page.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: (width / base.width) * ratio });
      canvas.width = viewport.width;
      canvas.height = viewport.height;
      canvas.style.width = `${viewport.width / ratio}px`;
      await page.render({ canvas, viewport }).promise;
      status.textContent = "";
      root.dataset.rendered = current;
    });
  };

  root.querySelector("[data-prev]").addEventListener("click", () => show(current - 1));
  root.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
  input.addEventListener("change", () => show(Number(input.value) || 1));

  import(root.dataset.pdfjs)
    .then(async (pdfjs) => {
      pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
      // wasmUrl: pdf.js decodes scanned images (CCITT, JBIG2, JPEG 2000) with the modules in that folder
      pdf = await pdfjs.getDocument({ url: root.dataset.src, isEvalSupported: false, wasmUrl: root.dataset.wasm })
        .promise;
      count.textContent = pdf.numPages;
      input.max = pdf.numPages;
      show(current);
    })
    .catch(() => {
      status.textContent = root.dataset.error;
    });
}
