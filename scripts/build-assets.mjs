// Copy the front-end libraries that pages use from node_modules into static/vendor.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "pdfjs-dist/build/pdf.min.mjs": "pdfjs/pdf.min.mjs",
  "pdfjs-dist/build/pdf.worker.min.mjs": "pdfjs/pdf.worker.min.mjs",
  // decoders of scanned images (CCITT and JBIG2; JPEG 2000), loaded by pdf.js from `wasmUrl` (unhashed names)
  "pdfjs-dist/wasm/jbig2.wasm": "pdfjs/wasm/jbig2.wasm",
  "pdfjs-dist/wasm/jbig2_nowasm_fallback.js": "pdfjs/wasm/jbig2_nowasm_fallback.js",
  "pdfjs-dist/wasm/openjpeg.wasm": "pdfjs/wasm/openjpeg.wasm",
  "pdfjs-dist/wasm/openjpeg_nowasm_fallback.js": "pdfjs/wasm/openjpeg_nowasm_fallback.js",
};

for (const [source, target] of Object.entries(files)) {
  mkdirSync(dirname(join(vendor, target)), { recursive: true });
  copyFileSync(join(root, "node_modules", source), join(vendor, target));
  console.log(`static/vendor/${target}`);
}
