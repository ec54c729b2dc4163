// Copy the front-end libraries that pages use from node_modules into static/vendor.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
};

mkdirSync(vendor, { recursive: true });
for (const [source, target] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", source), join(vendor, target));
  console.log(`static/vendor/${target}`);
}
