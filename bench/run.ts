// npm run bench [name ...]: runs every bench/*.bench.ts (or the named ones) in turn.
// Each prints its own figures; targets live here, not in timed tests.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
for (const f of files) {
  console.log(`\n== ${f.replace('.bench.ts', '')}`);
  const mod = await import(pathToFileURL(dir + f).href);
  if (typeof mod.default === 'function') await mod.default();
}
