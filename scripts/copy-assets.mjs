// Copies every file of a source tree that tsc does not compile (the admin page's HTML, CSS and
// JS) into the build output, keeping the layout, so compiled code finds them where it expects.
import fs from "node:fs";
import path from "node:path";

const [from, to] = process.argv.slice(2).map((dir) => path.resolve(dir));
if (!from || !to) {
  console.error("usage: node scripts/copy-assets.mjs <source dir> <output dir>");
  process.exit(2);
}
let copied = 0;
for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith(".ts")) continue;
  const source = path.join(entry.parentPath, entry.name);
  const target = path.join(to, path.relative(from, source));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  copied++;
}
console.log(`copied ${copied} asset file(s) into ${path.relative(process.cwd(), to) || "."}`);
