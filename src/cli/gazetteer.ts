// marsad gazetteer import|info|lookup: build the full village-level gazetteer from public
// files, and inspect a gazetteer file.

import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { loadGazetteer, nameKey } from '../gazetteer/index.js';
import { buildGazetteer } from '../gazetteer/build.js';
import { writeGazetteerFile } from '../gazetteer/store.js';

const USAGE = `usage:
  marsad gazetteer import [--geonames SY.txt] [--alternate-names SY-alternateNames.txt]
                          [--ocha communities.csv] [--osm places.csv] [--admin-geojson admin3.geojson ...]
                          [--opensyria DIR] [--no-builtin] [--quiet] -o marsad-gazetteer.json
      Every option may be repeated. Bad rows are reported (file:line) and skipped.
  marsad gazetteer info [FILE]          size, sources, counts by class and country
  marsad gazetteer lookup NAME [--gazetteer FILE]
FILE defaults to $MARSAD_GAZETTEER, then ./marsad-gazetteer.json, then the built-in gazetteer.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  if (sub === 'import') return runImport(rest);
  if (sub === 'info') return runInfo(rest);
  if (sub === 'lookup') return runLookup(rest);
  console.error(`marsad gazetteer: unknown sub-command "${sub}"\n${USAGE}`);
  return 2;
}

async function runImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      geonames: { type: 'string', multiple: true },
      'alternate-names': { type: 'string', multiple: true },
      ocha: { type: 'string', multiple: true },
      osm: { type: 'string', multiple: true },
      'admin-geojson': { type: 'string', multiple: true },
      opensyria: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) return console.log(USAGE), 0;
  if (!values.out) {
    console.error('marsad gazetteer import: -o FILE is required\n' + USAGE);
    return 2;
  }
  const t0 = performance.now();
  const r = await buildGazetteer({
    geonames: values.geonames,
    alternateNames: values['alternate-names'],
    ocha: values.ocha,
    osm: values.osm,
    adminGeojson: values['admin-geojson'],
    opensyria: values.opensyria,
    builtin: !values['no-builtin'],
    quiet: values.quiet,
  });
  writeGazetteerFile(values.out, r.entries, r.sources);
  let bad = 0;
  for (const rep of r.reports) {
    bad += rep.bad.length;
    console.error(`${rep.format.padEnd(24)} ${rep.path}: ${rep.rows} rows, ${rep.added} added, ${rep.bad.length} bad, ${rep.skipped} skipped`);
  }
  const mb = (statSync(values.out).size / 1e6).toFixed(1);
  console.error(`wrote ${values.out}: ${r.entries.length} places (${r.merged} records merged into others), ${mb} MB, ${bad} bad rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

function runInfo(argv: string[]): number {
  const t0 = performance.now();
  const g = loadGazetteer(argv[0]);
  const ms = performance.now() - t0;
  const by = (f: (e: (typeof g.entries)[number]) => string) => {
    const m = new Map<string, number>();
    for (const e of g.entries) m.set(f(e), (m.get(f(e)) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k || '-'} ${v}`).join(', ');
  };
  console.log(`gazetteer ${g.origin}: ${g.size} places, loaded in ${ms.toFixed(0)} ms`);
  console.log(`by class:   ${by((e) => e.feature_class)}`);
  console.log(`by country: ${by((e) => e.iso)}`);
  console.log(`by source:  ${by((e) => e.source)}`);
  return 0;
}

function runLookup(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { gazetteer: { type: 'string', short: 'g' } }, allowPositionals: true });
  if (!positionals.length) {
    console.error(USAGE);
    return 2;
  }
  const g = loadGazetteer(values.gazetteer);
  const name = positionals.join(' ');
  const hits = g.lookup(nameKey(name));
  if (!hits.length) {
    console.log(`no place named "${name}"`);
    return 1;
  }
  for (const e of hits)
    console.log(`${e.id}\t${e.name_ar}\t${e.name_en}\t${e.feature_class}\t${[e.admin1, e.admin2, e.admin3].filter(Boolean).join(' / ')}\t${e.iso}\t${e.lat},${e.lon}${e.population ? `\tpop ${e.population}` : ''}\t${e.source}`);
  return 0;
}
