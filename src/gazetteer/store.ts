// The compact prebuilt gazetteer file: one JSON document with one array per entry and the
// normalised name keys precomputed, so loading is a single JSON.parse plus Map inserts
// (no normalisation at load time). Written by `marsad gazetteer import`, read by loadGazetteer.

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { FeatureClass } from '../types.js';
import { Gazetteer, entryKeys, type GazetteerEntry } from './index.js';

export const FORMAT = 'marsad-gazetteer';
export const VERSION = 1;

type Row = [
  string, string, string, string[], FeatureClass, string, string,
  string, string, string, number, number, number, string, string[], string[],
];

export interface GazetteerFileMeta {
  format: string;
  version: number;
  created: string;
  sources: string[];
  count: number;
}

export class GazetteerFileError extends Error {}

export function serializeGazetteer(entries: GazetteerEntry[], sources: string[]): string {
  const rows: Row[] = entries.map((e) => [
    e.id, e.name_en, e.name_ar, e.names, e.feature_class, e.iso, e.country,
    e.admin1 ?? '', e.admin2 ?? '', e.admin3 ?? '',
    Math.round(e.lat * 1e5) / 1e5, Math.round(e.lon * 1e5) / 1e5, e.population ?? 0, e.source,
    e.ids && e.ids.length > 1 ? e.ids : [], entryKeys(e),
  ]);
  const meta: GazetteerFileMeta = { format: FORMAT, version: VERSION, created: new Date().toISOString(), sources, count: rows.length };
  // One row per line keeps the file diffable and greppable.
  return `{"meta":${JSON.stringify(meta)},"rows":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
}

/** Write atomically (a half-written gazetteer must never be loaded). */
export function writeGazetteerFile(path: string, entries: GazetteerEntry[], sources: string[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, serializeGazetteer(entries, sources));
  renameSync(tmp, path);
}

export function parseGazetteer(text: string, origin: string): Gazetteer {
  let doc: { meta?: GazetteerFileMeta; rows?: Row[] };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GazetteerFileError(`${origin}: not a marsad gazetteer file (${(e as Error).message})`);
  }
  if (doc?.meta?.format !== FORMAT || !Array.isArray(doc.rows))
    throw new GazetteerFileError(`${origin}: not a marsad gazetteer file (build one with: marsad gazetteer import ... -o FILE)`);
  if (doc.meta.version > VERSION) throw new GazetteerFileError(`${origin}: format version ${doc.meta.version} is newer than this marsad (${VERSION})`);
  const entries: GazetteerEntry[] = new Array(doc.rows.length);
  const keys: string[][] = new Array(doc.rows.length);
  for (let i = 0; i < doc.rows.length; i++) {
    const r = doc.rows[i];
    const e: GazetteerEntry = {
      id: r[0], name_en: r[1], name_ar: r[2], names: r[3], feature_class: r[4], iso: r[5], country: r[6],
      lat: r[10], lon: r[11], source: r[13],
    };
    if (r[7]) e.admin1 = r[7];
    if (r[8]) e.admin2 = r[8];
    if (r[9]) e.admin3 = r[9];
    if (r[12]) e.population = r[12];
    if (r[14].length) e.ids = r[14];
    entries[i] = e;
    keys[i] = r[15];
  }
  return new Gazetteer(entries, origin, keys);
}

export function readGazetteerFile(path: string): Gazetteer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GazetteerFileError(`cannot read gazetteer ${path}: ${(e as Error).message}`);
  }
  return parseGazetteer(text, path);
}
