// The library's reader (library/reader.html). The server renders a page image with links and forms that work
// without JavaScript; this module turns them into the reader:
// - two sources: the web edition PDF (pdf.js: canvas + text layer, fetched by byte ranges) or the page images
//   (WebP, light); chosen from the connection, switchable, remembered; images when the PDF cannot be loaded;
// - two layouts: page by page (with a two-page spread on wide screens) or continuous scrolling, where every page
//   has a placeholder of its size and only the pages near the screen are drawn;
// - zoom, go to page, thumbnails, contents, search inside the book with the words marked on the PDF's text layer;
// - the address keeps ?trang=N (and q), a signed-in reader's place is kept on the server.
// State for tests on the root: data-current, data-rendered, data-mode, data-layout.

const root = document.querySelector("[data-reader]");
if (root) start(root);

function start(root) {
  const data = root.dataset;
  const $ = (selector) => root.querySelector(selector);
  const $$ = (selector) => [...root.querySelectorAll(selector)];

  // -- settings and texts ------------------------------------------------------------------------------------
  const STORE_MODE = "tuyengiao.reader.mode";
  const STORE_LAYOUT = "tuyengiao.reader.layout";
  const STORE_SPREAD = "tuyengiao.reader.spread";
  const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.85, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
  const MAX_CANVASES = 10; // pages drawn from the PDF kept in continuous scrolling
  const MAX_IMAGES = 30;
  const MAX_CANVAS_PIXELS = 2 ** 24;
  const DEFAULT_SIZE = [900, 1273];

  const store = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // private mode or storage full: the choice is not remembered
      }
    },
  };
  const text = (name, values = {}) =>
    (data[name] || "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const pageLabel = (number) => text("labelPage", { number });

  const sizes = readSizes();
  const total = sizes.length;
  const maxWidth = Math.max(...sizes.map(([width]) => width));
  const clampPage = (number) => Math.min(Math.max(1, Math.round(Number(number)) || 1), total);
  const pageUrl = (template, number) => template.replace(/\/0\.webp(?=$|\?)/, `/${number}.webp`);

  function readSizes() {
    let list = [];
    try {
      list = JSON.parse(data.sizes || "[]");
    } catch {
      list = [];
    }
    if (!Array.isArray(list)) list = [];
    const count = Math.max(1, Number(data.total) || list.length || 1);
    const valid = (size) => Array.isArray(size) && size[0] > 0 && size[1] > 0;
    const fallback = list.find(valid) || DEFAULT_SIZE;
    return Array.from({ length: count }, (_, index) =>
      valid(list[index]) ? [Number(list[index][0]), Number(list[index][1])] : fallback,
    );
  }

  // -- elements ----------------------------------------------------------------------------------------------
  const toolbar = $(".reader__toolbar");
  const view = $("[data-view]");
  const list = $("[data-page-list]");
  const status = $("[data-status]");
  const prevButton = $("[data-prev]");
  const nextButton = $("[data-next]");
  const pageForm = $("[data-page-form]");
  const pageInput = $("[data-page-input]");
  const zoomValue = $("[data-zoom-value]");
  const zoomIn = $("[data-zoom-in]");
  const zoomOut = $("[data-zoom-out]");
  const layoutToggle = $("[data-layout-toggle]");
  const spreadToggle = $("[data-spread-toggle]");
  const modeToggle = $("[data-mode-toggle]");
  const modeLabel = $("[data-mode-label]");
  const fullscreenButton = $("[data-fullscreen]");
  const searchForm = $("[data-search-form]");
  const searchInput = $("[data-search-input]") || searchForm?.querySelector("input[name=q]");
  const searchResults = $("[data-search-results]");
  const searchNote = $("[data-search-note]");
  const thumbsList = $("[data-thumbs]");
  const csrf = $("input[name=csrfmiddlewaretoken]")?.value || "";
  const wide = window.matchMedia("(min-width: 1000px)");

  // -- state -------------------------------------------------------------------------------------------------
  const startPage = clampPage(data.page);
  let current = startPage;
  let mode = chooseMode();
  let layout = ["page", "scroll"].includes(store.get(STORE_LAYOUT))
    ? store.get(STORE_LAYOUT)
    : wide.matches
      ? "scroll"
      : "page";
  let spread = store.get(STORE_SPREAD) === "1";
  let zoom = 1;
  let zoomMode = "auto"; // "auto" (fit, at most 100 %), "fit" (fit width) or "manual"
  let query = data.query || "";
  let terms = termsOf(query);
  let slots = [];
  const slotOf = new WeakMap();
  let observer = null;
  let active = 0;
  let pdfjs = null;
  let pdf = null;
  let pdfReady = null;
  let hitScrollPage = 0; // after going to a search hit, bring its first marked word into view
  let preview = { number: startPage, img: $("[data-static-image]") };
  let openPanel = "";
  let panelOpener = null;
  let scrollLock = 0;

  function chooseMode() {
    const saved = store.get(STORE_MODE);
    if (saved === "pdf" || saved === "images") return saved;
    const connection = navigator.connection;
    if (connection && (connection.saveData || ["slow-2g", "2g", "3g"].includes(connection.effectiveType))) {
      return "images";
    }
    return "pdf";
  }

  // -- status line -------------------------------------------------------------------------------------------
  let statusTimer = 0;
  function say(message, { keep = false, quiet = false } = {}) {
    window.clearTimeout(statusTimer);
    status.classList.toggle("is-quiet", quiet); // for screen readers only (the page turns are seen anyway)
    status.textContent = message || "";
    if (message && !keep) statusTimer = window.setTimeout(() => (status.textContent = ""), 6000);
  }

  // -- the page slots ----------------------------------------------------------------------------------------
  // A slot is the box of one page: its size comes from the page image's size and the zoom, so the layout (and
  // the scroll bar) is right before anything is drawn. `key` says what is drawn in it (source, page, width).
  function makeSlot(number) {
    const el = document.createElement("div");
    el.className = "reader__page";
    const slot = { el, number: 0, token: 0, doneKey: "", loadingKey: "", failedKey: "", cancel: null, pdfPage: null, visible: false };
    slotOf.set(el, slot);
    assign(slot, number);
    return slot;
  }

  function assign(slot, number) {
    if (slot.number !== number) {
      free(slot);
      slot.number = number;
      slot.el.dataset.number = number;
    }
    sizeSlot(slot);
  }

  const slotWidth = (slot) => Math.max(40, Math.round(sizes[slot.number - 1][0] * zoom));
  function sizeSlot(slot) {
    const [width, height] = sizes[slot.number - 1];
    const cssWidth = slotWidth(slot);
    slot.el.style.width = `${cssWidth}px`;
    slot.el.style.height = `${Math.round((cssWidth * height) / width)}px`;
  }
  const keyOf = (slot) => `${mode}|${slot.number}|${slotWidth(slot)}`;

  function release(el) {
    for (const canvas of el.querySelectorAll("canvas")) {
      canvas.width = 0; // lets the browser free the pixels at once (Safari keeps them otherwise)
      canvas.height = 0;
    }
  }

  function free(slot) {
    slot.token += 1;
    slot.cancel?.();
    slot.cancel = null;
    release(slot.el);
    slot.el.replaceChildren();
    slot.doneKey = "";
    slot.loadingKey = "";
    slot.failedKey = "";
    slot.pdfPage?.cleanup();
    slot.pdfPage = null;
  }

  function pagesShown(number) {
    if (!spreadOn()) return [number];
    const first = number === 1 ? 1 : number - (number % 2);
    return first === 1 || first + 1 > total ? [first] : [first, first + 1];
  }
  const spreadOn = () => layout === "page" && spread && wide.matches;

  function build() {
    observer?.disconnect();
    observer = null;
    slots.forEach(free);
    delete root.dataset.rendered;
    if (layout === "scroll") {
      slots = Array.from({ length: total }, (_, index) => makeSlot(index + 1));
      observer = new IntersectionObserver(onIntersect, { rootMargin: "50% 0px" });
      slots.forEach((slot) => observer.observe(slot.el));
    } else {
      slots = pagesShown(current).map(makeSlot);
      slots.forEach((slot) => (slot.visible = true));
    }
    list.className = `reader__pages${spreadOn() ? " reader__pages--spread" : ""}`;
    list.replaceChildren(...slots.map((slot) => slot.el));
    showPreview();
  }

  // The server's image of the first page stays on screen until that page is drawn.
  function showPreview() {
    if (!preview.img) return;
    const slot = slots.find((item) => item.number === preview.number);
    if (slot && !slot.doneKey && !slot.el.firstChild) {
      preview.img.alt = pageLabel(preview.number);
      slot.el.append(preview.img);
    }
  }

  function takePreview(number) {
    if (!preview.img || preview.number !== number) return null;
    const img = preview.img;
    preview = { number: 0, img: null };
    return img;
  }

  function onIntersect(entries) {
    for (const entry of entries) {
      const slot = slotOf.get(entry.target);
      if (slot) slot.visible = entry.isIntersecting;
    }
    schedule();
    prune();
  }

  // -- drawing -----------------------------------------------------------------------------------------------
  function schedule() {
    const wanted = slots.filter((slot) => {
      const key = keyOf(slot);
      return slot.visible && slot.doneKey !== key && slot.loadingKey !== key && slot.failedKey !== key;
    });
    wanted.sort((a, b) => Math.abs(a.number - current) - Math.abs(b.number - current));
    while (active < 2 && wanted.length) {
      const slot = wanted.shift();
      active += 1;
      draw(slot).finally(() => {
        active -= 1;
        prune();
        schedule();
      });
    }
  }

  // In continuous scrolling keep only the pages near the screen.
  function prune() {
    if (layout !== "scroll") return;
    const filled = slots.filter((slot) => slot.doneKey || slot.loadingKey || slot.failedKey);
    const visible = slots.reduce((count, slot) => count + (slot.visible ? 1 : 0), 0);
    const limit = Math.max(mode === "pdf" ? MAX_CANVASES : MAX_IMAGES, visible + 2);
    if (filled.length <= limit) return;
    filled
      .filter((slot) => !slot.visible)
      .sort((a, b) => Math.abs(b.number - current) - Math.abs(a.number - current))
      .slice(0, filled.length - limit)
      .forEach(free);
  }

  const cancelled = (error) =>
    error?.name === "RenderingCancelledException" || error?.name === "AbortException" || error?.name === "AbortError";

  async function draw(slot) {
    const key = keyOf(slot);
    slot.cancel?.();
    slot.cancel = null;
    slot.token += 1;
    const token = slot.token;
    const stale = () => token !== slot.token;
    const number = slot.number;
    slot.loadingKey = key;
    try {
      let nodes = null;
      if (mode === "pdf") {
        try {
          nodes = await drawPdf(slot, number, slotWidth(slot), stale);
        } catch (error) {
          if (stale() || cancelled(error)) return;
          if (!pdf) {
            slot.loadingKey = ""; // the PDF did not load: setMode("images") has been called
            return;
          }
          nodes = await drawImage(number, stale); // one page the PDF could not give: show its image
        }
      } else {
        nodes = await drawImage(number, stale);
      }
      if (stale()) return;
      if (!nodes) {
        slot.loadingKey = "";
        return;
      }
      release(slot.el);
      slot.el.replaceChildren(...nodes);
      slot.doneKey = key;
      slot.loadingKey = "";
      showRendered(number);
      if (status.textContent === data.msgLoading) say("");
      if (hitScrollPage === number) {
        hitScrollPage = 0;
        slot.el.querySelector(".textLayer mark")?.scrollIntoView({ block: "center", inline: "nearest" });
      }
    } catch (error) {
      if (stale() || cancelled(error)) return;
      slot.loadingKey = "";
      slot.doneKey = "";
      slot.failedKey = key; // no retry loop; the page is tried again when the zoom or the source changes
      const message = document.createElement("p");
      message.className = "reader__page-error";
      message.textContent = data.msgPageFailed;
      release(slot.el);
      slot.el.replaceChildren(message);
    }
  }

  // data-rendered: the page last drawn, but the current page as long as it is drawn (its neighbours are drawn
  // after it in continuous scrolling).
  function showRendered(number) {
    const slot = slots.find((item) => item.number === current);
    root.dataset.rendered = slot && slot.doneKey && slot.doneKey === keyOf(slot) ? current : number;
  }

  async function drawImage(number, stale) {
    const img = takePreview(number) || document.createElement("img");
    const [width, height] = sizes[number - 1];
    img.alt = pageLabel(number);
    img.width = width;
    img.height = height;
    img.decoding = "async";
    if (!img.getAttribute("src")) img.src = pageUrl(data.pageImage, number);
    try {
      await img.decode();
    } catch (error) {
      if (!img.complete || !img.naturalWidth) throw error;
    }
    return stale() ? null : [img];
  }

  function outputScale(width, height) {
    const ratio = window.devicePixelRatio || 1;
    return Math.min(ratio, Math.sqrt(MAX_CANVAS_PIXELS / (width * height)));
  }

  async function drawPdf(slot, number, width, stale) {
    const doc = await loadPdf();
    if (stale()) return null;
    if (number > doc.numPages) throw new Error("no such page in the PDF");
    const page = await doc.getPage(number);
    if (stale()) return null;
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const ratio = outputScale(viewport.width, viewport.height);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
    canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", pageLabel(number));
    const task = page.render({ canvas, viewport, transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] });
    slot.cancel = () => task.cancel();
    await task.promise;
    slot.cancel = null;
    if (stale()) {
      canvas.width = 0;
      return null;
    }
    const layer = document.createElement("div");
    layer.className = "textLayer";
    try {
      const textLayer = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport });
      slot.cancel = () => textLayer.cancel();
      await textLayer.render();
      slot.cancel = null;
    } catch (error) {
      slot.cancel = null;
      if (stale() || cancelled(error)) return null;
      layer.replaceChildren(); // the picture without selectable text is still worth showing
    }
    if (stale()) return null;
    slot.el.style.setProperty("--scale-factor", String(viewport.scale));
    slot.el.style.setProperty("--user-unit", String(viewport.userUnit || 1));
    highlight(layer);
    slot.pdfPage = page;
    return [canvas, layer];
  }

  function loadPdf() {
    if (pdfReady) return pdfReady;
    pdfReady = import(data.pdfjs).then(async (library) => {
      pdfjs = library;
      library.GlobalWorkerOptions.workerSrc = data.worker;
      const task = library.getDocument({
        url: data.pdf,
        disableAutoFetch: true,
        disableStream: true,
        rangeChunkSize: 65536,
        isEvalSupported: false,
        wasmUrl: data.wasm, // decoders of scanned images (CCITT, JBIG2, JPEG 2000)
        verbosity: library.VerbosityLevel?.ERRORS ?? 0,
      });
      pdf = await task.promise;
      return pdf;
    });
    pdfReady.catch(() => {
      pdfReady = null;
      pdf = null;
      if (mode === "pdf") {
        setMode("images", { remember: false });
        say(data.msgPdfFailed, { keep: true });
      }
    });
    return pdfReady;
  }

  // -- marking the searched words on the text layer ----------------------------------------------------------
  function fold(value) {
    return value
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  }

  function termsOf(value) {
    const words = [...new Set(fold(value || "").split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
    const long = words.filter((word) => word.length > 1);
    return long.length ? long : words;
  }

  // The folded text and, for each of its characters, where it comes from in the original.
  function foldWithMap(value) {
    let folded = "";
    const map = [];
    let index = 0;
    for (const char of value) {
      const piece = fold(char);
      for (let k = 0; k < piece.length; k += 1) map.push(index);
      folded += piece;
      index += char.length;
    }
    map.push(value.length);
    return { folded, map };
  }

  const wordChar = /[\p{L}\p{N}]/u;
  function matches(value) {
    const { folded, map } = foldWithMap(value);
    const found = [];
    for (const term of terms) {
      let at = folded.indexOf(term);
      while (at !== -1) {
        const end = at + term.length;
        if ((at === 0 || !wordChar.test(folded[at - 1])) && (end >= folded.length || !wordChar.test(folded[end]))) {
          found.push([map[at], map[end]]);
        }
        at = folded.indexOf(term, end);
      }
    }
    found.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const range of found) {
      const last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([...range]);
    }
    return merged;
  }

  function highlight(layer) {
    for (const span of layer.querySelectorAll("span.hit")) {
      span.textContent = span.textContent; // drops the old <mark>s
      span.classList.remove("hit");
    }
    if (!terms.length) return;
    for (const span of layer.querySelectorAll("span:not(.markedContent)")) {
      const value = span.textContent;
      if (!value.trim()) continue;
      const ranges = matches(value);
      if (!ranges.length) continue;
      const pieces = [];
      let at = 0;
      for (const [begin, end] of ranges) {
        if (begin > at) pieces.push(value.slice(at, begin));
        const mark = document.createElement("mark");
        mark.textContent = value.slice(begin, end);
        pieces.push(mark);
        at = end;
      }
      if (at < value.length) pieces.push(value.slice(at));
      span.replaceChildren(...pieces);
      span.classList.add("hit");
    }
  }

  // -- zoom --------------------------------------------------------------------------------------------------
  function fitWidth() {
    const style = window.getComputedStyle(list);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) || 0;
    const available = Math.max(120, view.clientWidth - padding - 2);
    if (layout === "scroll") return available / maxWidth;
    const shown = pagesShown(current);
    const gap = shown.length > 1 ? parseFloat(style.columnGap) || 8 : 0;
    return (available - gap) / shown.reduce((sum, number) => sum + sizes[number - 1][0], 0);
  }

  function autoZoom() {
    const fit = fitWidth();
    if (zoomMode === "fit") return fit;
    if (layout === "page" && wide.matches) {
      // A whole page (or spread) on a wide screen.
      const top = stickyHeight() + 24;
      const height = (document.fullscreenElement === root ? root.clientHeight : window.innerHeight) - top;
      const tallest = Math.max(...pagesShown(current).map((number) => sizes[number - 1][1]));
      return Math.min(fit, Math.max(0.25, height / tallest));
    }
    return Math.min(fit, 1);
  }

  const clampZoom = (value) => Math.min(4, Math.max(0.1, value));

  function setZoom(value) {
    value = clampZoom(value);
    if (Math.abs(value - zoom) < 0.001) {
      showZoom();
      return;
    }
    const anchor = layout === "scroll" ? anchorNow() : null;
    zoom = value;
    slots.forEach(sizeSlot);
    if (anchor) restoreAnchor(anchor);
    showZoom();
    window.clearTimeout(setZoom.timer);
    setZoom.timer = window.setTimeout(schedule, 120);
  }

  // After a resize. A page that no longer fits shrinks at once, but grows only by more than 2 %: a scroll bar
  // coming and going must not make the zoom swing.
  function refit() {
    if (zoomMode === "manual") return;
    const next = autoZoom();
    if (next < zoom || next > zoom * 1.02) setZoom(next);
  }

  function showZoom() {
    zoomValue.textContent = `${Math.round(zoom * 100)} %`;
    zoomOut.setAttribute("aria-disabled", String(zoom <= ZOOM_STEPS[0] + 0.001));
    zoomIn.setAttribute("aria-disabled", String(zoom >= ZOOM_STEPS[ZOOM_STEPS.length - 1] - 0.001));
  }

  function step(direction) {
    const next =
      direction > 0
        ? ZOOM_STEPS.find((value) => value > zoom * 1.01)
        : [...ZOOM_STEPS].reverse().find((value) => value < zoom * 0.99);
    if (next === undefined) return;
    zoomMode = "manual";
    setZoom(next);
  }

  // -- scrolling ---------------------------------------------------------------------------------------------
  const scroller = () => (document.fullscreenElement === root ? root : document.scrollingElement || document.documentElement);
  const stickyHeight = () => toolbar.offsetHeight;
  const viewportHeight = () => (document.fullscreenElement === root ? root.clientHeight : window.innerHeight);

  // The line that decides which page is the current one while scrolling.
  function readingLine() {
    const top = Math.max(0, (document.fullscreenElement === root ? root.getBoundingClientRect().top : 0) + stickyHeight());
    return top + (viewportHeight() - top) * 0.3;
  }

  function pageAtLine() {
    const line = readingLine();
    let low = 0;
    let high = slots.length - 1;
    let found = 0;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (slots[middle].el.getBoundingClientRect().top <= line) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return slots[found]?.number || 1;
  }

  function anchorNow() {
    const slot = slots[current - 1];
    if (!slot) return null;
    const rect = slot.el.getBoundingClientRect();
    const line = readingLine();
    return { slot, ratio: rect.height ? (line - rect.top) / rect.height : 0, line };
  }

  function restoreAnchor({ slot, ratio, line }) {
    const rect = slot.el.getBoundingClientRect();
    scrollLock = performance.now() + 200;
    scroller().scrollBy(0, rect.top + ratio * rect.height - line);
  }

  let scrollFrame = 0;
  function onScroll() {
    if (layout !== "scroll" || scrollFrame) return;
    scrollFrame = window.requestAnimationFrame(() => {
      scrollFrame = 0;
      if (performance.now() < scrollLock) return;
      const number = pageAtLine();
      if (number !== current) {
        current = number;
        showPage({ announce: false, scrolling: true });
      }
    });
  }

  // -- going to a page ---------------------------------------------------------------------------------------
  function go(number, { announce = true, hit = false } = {}) {
    number = clampPage(number);
    if (hit) hitScrollPage = number;
    if (layout === "page") {
      const shown = pagesShown(number);
      const changed = shown.join() !== slots.map((slot) => slot.number).join();
      current = number;
      if (shown.length !== slots.length) {
        build();
      } else {
        shown.forEach((page, index) => assign(slots[index], page));
      }
      if (zoomMode !== "manual") setZoom(autoZoom());
      if (changed) {
        view.scrollLeft = 0;
        if (list.getBoundingClientRect().top < stickyHeight()) view.scrollIntoView({ block: "start" });
      }
      schedule();
    } else {
      current = number;
      scrollLock = performance.now() + 250;
      slots[number - 1]?.el.scrollIntoView({ block: "start" });
    }
    if (hit) {
      const slot = slots.find((item) => item.number === number);
      if (slot?.doneKey && slot.el.querySelector(".textLayer")) {
        hitScrollPage = 0;
        slot.el.querySelector(".textLayer mark")?.scrollIntoView({ block: "center", inline: "nearest" });
      }
    }
    showPage({ announce });
  }

  function turn(direction) {
    if (layout === "page" && spreadOn()) {
      const shown = pagesShown(current);
      go(direction > 0 ? shown[shown.length - 1] + 1 : shown[0] - 1);
    } else {
      go(current + direction);
    }
  }

  let urlTimer = 0;
  function showPage({ announce, scrolling = false }) {
    root.dataset.current = current;
    const slot = slots.find((item) => item.number === current);
    if (slot?.doneKey && slot.doneKey === keyOf(slot)) root.dataset.rendered = current;
    if (document.activeElement !== pageInput) pageInput.value = current;
    const shown = layout === "page" ? pagesShown(current) : [current];
    prevButton.setAttribute("aria-disabled", String(shown[0] <= 1));
    nextButton.setAttribute("aria-disabled", String(shown[shown.length - 1] >= total));
    if (announce) say(text("msgPosition", { number: current, total }), { quiet: true });
    markCurrent();
    // While scrolling the address follows a little later (browsers limit how often it may change).
    window.clearTimeout(urlTimer);
    if (scrolling) urlTimer = window.setTimeout(keepUrl, 300);
    else keepUrl();
    queueSave();
  }

  function keepUrl() {
    const params = new URLSearchParams(window.location.search);
    params.set("trang", current);
    if (query) params.set("q", query);
    else params.delete("q");
    try {
      window.history.replaceState(window.history.state, "", `${window.location.pathname}?${params}`);
    } catch {
      // too many address changes at once (Safari): the next one will do
    }
  }

  function markCurrent() {
    let tocCurrent = null;
    for (const link of $$("[data-toc-page]")) {
      link.removeAttribute("aria-current");
      if (Number(link.dataset.tocPage) <= current) tocCurrent = link;
    }
    tocCurrent?.setAttribute("aria-current", "true");
    for (const link of $$("[data-hit-page]")) {
      if (Number(link.dataset.hitPage) === current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    thumbsList.querySelector("[aria-current]")?.removeAttribute("aria-current");
    thumbsList.querySelector(`[data-thumb-page="${current}"]`)?.setAttribute("aria-current", "page");
  }

  // -- the reader's place on the server ----------------------------------------------------------------------
  // The page the server holds for this reader is not sent again; with none, page 1 is not worth keeping.
  let savedPage = Number(data.saved) || 1;
  let saveTimer = 0;
  function queueSave() {
    if (!data.position) return;
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => save(false), 1500);
  }
  function save(keepalive) {
    if (!data.position || current === savedPage) return;
    const page = current;
    fetch(data.position, {
      method: "POST",
      credentials: "same-origin",
      keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ page }),
    })
      .then((response) => {
        if (response.ok) savedPage = page;
      })
      .catch(() => {});
  }
  window.addEventListener("pagehide", () => {
    window.clearTimeout(saveTimer);
    save(true);
  });

  // -- source, layout, spread, full screen -------------------------------------------------------------------
  function setMode(next, { remember = true } = {}) {
    if (next !== mode) delete root.dataset.rendered; // until a page is drawn from the new source
    mode = next;
    root.dataset.mode = mode;
    if (remember) store.set(STORE_MODE, mode);
    modeLabel.textContent = mode === "pdf" ? data.labelImages : data.labelPdf;
    // SVG elements have no .hidden property: set the attribute.
    for (const icon of modeToggle.querySelectorAll("[data-mode-icon]")) icon.toggleAttribute("hidden", icon.dataset.modeIcon === mode);
    modeToggle.title = modeToggle.textContent.replace(/\s+/g, " ").trim();
    if (mode === "pdf") loadPdf();
    if (layout === "scroll") slots.filter((slot) => !slot.visible && (slot.doneKey || slot.loadingKey)).forEach(free);
    schedule();
  }

  function setLayout(next) {
    layout = next;
    root.dataset.layout = layout;
    store.set(STORE_LAYOUT, layout);
    layoutToggle.setAttribute("aria-pressed", String(layout === "scroll"));
    showSpread();
    if (zoomMode !== "manual") zoom = clampZoom(autoZoom());
    build();
    if (zoomMode !== "manual") setZoom(autoZoom());
    showZoom();
    go(current, { announce: false });
    if (view.getBoundingClientRect().top < 0) view.scrollIntoView({ block: "start" });
  }

  function showSpread() {
    spreadToggle.setAttribute("aria-pressed", String(spread));
    spreadToggle.disabled = layout !== "page";
  }

  function fullscreenSupported() {
    return Boolean(document.fullscreenEnabled && root.requestFullscreen);
  }

  // -- panels ------------------------------------------------------------------------------------------------
  const panelButton = (name) => $(`[data-panel="${name}"]`);
  const panelBody = (name) => $(`[data-panel-body="${name}"]`);
  const panelIsOverlay = (body) => window.getComputedStyle(body).position === "fixed";

  function open(name) {
    if (openPanel === name) {
      close();
      return;
    }
    if (openPanel) close({ focus: false });
    const body = panelBody(name);
    if (!body) return;
    panelOpener = panelButton(name);
    if (name === "thumbs") buildThumbs();
    body.hidden = false;
    panelButton(name)?.setAttribute("aria-expanded", "true");
    openPanel = name;
    root.classList.add("reader--panel");
    markCurrent();
    const currentItem = body.querySelector("[aria-current]");
    if (currentItem) body.scrollTop = Math.max(0, currentItem.offsetTop - body.clientHeight / 2);
    if (name === "search") searchInput?.focus();
    else body.querySelector(".reader__panel-title")?.focus();
  }

  function close({ focus = true } = {}) {
    if (!openPanel) return;
    const body = panelBody(openPanel);
    if (body) body.hidden = true;
    panelButton(openPanel)?.setAttribute("aria-expanded", "false");
    openPanel = "";
    root.classList.remove("reader--panel");
    if (focus) panelOpener?.focus();
    panelOpener = null;
  }

  let thumbsBuilt = false;
  function buildThumbs() {
    if (thumbsBuilt) return;
    thumbsBuilt = true;
    const readerUrl = window.location.pathname;
    const items = [];
    for (let number = 1; number <= total; number += 1) {
      const [width, height] = sizes[number - 1];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `${readerUrl}?trang=${number}`;
      link.dataset.thumbPage = number;
      const img = document.createElement("img");
      img.loading = "lazy"; // before src, or the browser fetches at once
      img.decoding = "async";
      img.width = 160;
      img.height = Math.round((160 * height) / width);
      img.alt = pageLabel(number);
      img.src = pageUrl(data.thumb, number);
      const caption = document.createElement("span");
      caption.className = "reader__thumb-number";
      caption.setAttribute("aria-hidden", "true");
      caption.textContent = number;
      link.append(img, caption);
      item.append(link);
      items.push(item);
    }
    thumbsList.replaceChildren(...items);
  }

  // -- search ------------------------------------------------------------------------------------------------
  function setQuery(value) {
    query = value;
    terms = termsOf(value);
    if (searchInput) searchInput.value = value;
    for (const layer of list.querySelectorAll(".textLayer")) highlight(layer);
    keepUrl();
  }

  // The snippet is escaped HTML with <mark>: keep its text and its marks, nothing else.
  function snippet(html) {
    const template = document.createElement("template");
    template.innerHTML = html || "";
    const out = [];
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.push(mark);
      } else {
        out.push(node.textContent);
      }
    }
    return out;
  }

  function showHits(hits, value) {
    const readerUrl = window.location.pathname;
    searchResults.replaceChildren(
      ...hits.map((hit) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `${readerUrl}?${new URLSearchParams({ trang: hit.page, q: value })}`;
        link.dataset.hitPage = hit.page;
        const page = document.createElement("span");
        page.className = "reader__hit-page";
        page.textContent = pageLabel(hit.page);
        const excerpt = document.createElement("span");
        excerpt.className = "reader__hit-snippet";
        excerpt.append(...snippet(hit.snippet));
        link.append(page, " ", excerpt);
        item.append(link);
        return item;
      }),
    );
    markCurrent();
  }

  let searchAbort = null;
  async function search(value) {
    searchAbort?.abort();
    setQuery(value);
    if (!value) {
      searchResults.replaceChildren();
      searchNote.textContent = "";
      return;
    }
    searchAbort = new AbortController();
    searchNote.textContent = data.msgSearching;
    say(data.msgSearching, { keep: true });
    try {
      const response = await fetch(`${data.search}?${new URLSearchParams({ q: value, format: "json" })}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: searchAbort.signal,
      });
      if (!response.ok) throw new Error(`search: ${response.status}`);
      const result = await response.json();
      const hits = Array.isArray(result.hits) ? result.hits : [];
      showHits(hits, value);
      const message = hits.length ? text("msgFound", { number: hits.length }) : data.msgNone;
      searchNote.textContent = message;
      say(message);
    } catch (error) {
      if (cancelled(error)) return;
      searchNote.textContent = data.msgSearchFailed;
      say(data.msgSearchFailed);
    }
  }

  // -- events ------------------------------------------------------------------------------------------------
  function wire() {
    prevButton.addEventListener("click", () => {
      if (prevButton.getAttribute("aria-disabled") !== "true") turn(-1);
    });
    nextButton.addEventListener("click", () => {
      if (nextButton.getAttribute("aria-disabled") !== "true") turn(1);
    });
    pageForm.addEventListener("submit", (event) => {
      event.preventDefault();
      go(pageInput.value);
      pageInput.value = current;
    });
    pageInput.addEventListener("change", () => {
      if (pageInput.value !== "" && Number(pageInput.value) !== current) go(pageInput.value);
      pageInput.value = current;
    });
    zoomIn.addEventListener("click", () => step(1));
    zoomOut.addEventListener("click", () => step(-1));
    $("[data-fit]").addEventListener("click", () => {
      zoomMode = "fit";
      setZoom(fitWidth());
    });
    layoutToggle.addEventListener("click", () => setLayout(layout === "page" ? "scroll" : "page"));
    spreadToggle.addEventListener("click", () => {
      spread = !spread;
      store.set(STORE_SPREAD, spread ? "1" : "0");
      showSpread();
      if (layout === "page") {
        build();
        go(current, { announce: false });
      }
    });
    modeToggle.addEventListener("click", () => {
      setMode(mode === "pdf" ? "images" : "pdf");
      say(mode === "pdf" ? data.msgPdf : data.msgImages);
    });
    if (fullscreenSupported()) {
      fullscreenButton.addEventListener("click", () => {
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        else root.requestFullscreen().catch(() => {});
      });
      document.addEventListener("fullscreenchange", () => {
        const on = document.fullscreenElement === root;
        fullscreenButton.setAttribute("aria-pressed", String(on));
        window.setTimeout(refit, 100);
        if (layout === "scroll") {
          scrollLock = performance.now() + 300;
          window.requestAnimationFrame(() => slots[current - 1]?.el.scrollIntoView({ block: "start" }));
        }
      });
    } else {
      fullscreenButton.hidden = true;
    }

    for (const button of $$("[data-panel]")) button.addEventListener("click", () => open(button.dataset.panel));
    for (const button of $$("[data-panel-close]")) button.addEventListener("click", () => close());

    root.addEventListener("click", (event) => {
      const link = event.target.closest("[data-hit-page], [data-toc-page], [data-thumb-page]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      const number = Number(link.dataset.hitPage || link.dataset.tocPage || link.dataset.thumbPage);
      const body = link.closest("[data-panel-body]");
      if (body && panelIsOverlay(body)) {
        close({ focus: false });
        view.focus({ preventScroll: true });
      }
      go(number, { hit: link.hasAttribute("data-hit-page") });
    });

    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      search((searchInput?.value || "").trim());
    });

    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && openPanel) {
        event.preventDefault();
        close();
        return;
      }
      if (layout !== "page" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      if (target instanceof Element && target.closest("input, textarea, select, [contenteditable], [data-panel-body]")) return;
      if (event.key === "ArrowLeft" || event.key === "PageUp") {
        event.preventDefault();
        turn(-1);
      } else if (event.key === "ArrowRight" || event.key === "PageDown") {
        event.preventDefault();
        turn(1);
      }
    });

    document.addEventListener("scroll", onScroll, { capture: true, passive: true });

    let resizeTimer = 0;
    let lastWidth = view.clientWidth;
    new ResizeObserver(() => {
      root.style.setProperty("--reader-toolbar", `${stickyHeight()}px`);
      if (view.clientWidth === lastWidth) return;
      lastWidth = view.clientWidth;
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(refit, 100);
    }).observe(view);
    new ResizeObserver(() => root.style.setProperty("--reader-toolbar", `${stickyHeight()}px`)).observe(toolbar);
    // The height matters too: a whole page is shown on a wide screen in page layout.
    let lastHeight = window.innerHeight;
    window.addEventListener("resize", () => {
      if (window.innerHeight === lastHeight) return;
      lastHeight = window.innerHeight;
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(refit, 100);
    });

    wide.addEventListener("change", () => {
      if (layout === "page" && spread) {
        build();
        go(current, { announce: false });
      } else {
        refit();
      }
    });
  }

  // -- start -------------------------------------------------------------------------------------------------
  root.classList.add("reader--js");
  for (const el of $$("[data-no-js]")) el.hidden = true;
  for (const el of $$("[data-js-only]")) el.hidden = false;
  for (const body of $$("[data-panel-body]")) body.hidden = true;
  list.hidden = false;
  pageInput.max = total;
  $("[data-page-count]").textContent = total;
  if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";

  // Icon buttons: their (hidden) name as a tooltip too.
  for (const button of $$(".reader__toolbar .reader__btn")) {
    const name = button.textContent.replace(/\s+/g, " ").trim();
    if (name && !button.title) button.title = name;
  }
  wire();
  root.dataset.layout = layout;
  layoutToggle.setAttribute("aria-pressed", String(layout === "scroll"));
  showSpread();
  root.style.setProperty("--reader-toolbar", `${stickyHeight()}px`);
  zoom = clampZoom(autoZoom());
  build();
  showZoom();
  setMode(mode, { remember: false });
  if (mode === "pdf") say(data.msgLoading, { keep: true });
  if (layout === "scroll" && current > 1) {
    scrollLock = performance.now() + 250;
    slots[current - 1].el.scrollIntoView({ block: "start" });
  }
  showPage({ announce: false });
  schedule();
}
