// GeoNames dumps: the country files (SY.txt), cities500/1000/5000/15000 (same 19 tab-separated
// columns, no header; a header row is tolerated), and alternateNames files
// (alternateNameId, geonameid, isolanguage, alternate name, ...) that add spellings.

import type { FeatureClass } from '../../types.js';
import type { GazetteerEntry } from '../index.js';
import { admin1ByGeonames, countryName } from '../admin.js';
import { readLines, type ImportContext, type ImportReport, newReport } from './lines.js';
import type { GazetteerBuilder } from '../merge.js';

const ARABIC = /[\u0600-\u06ff]/;
// Letters of Persian, Kurdish and Urdu spellings that GeoNames mixes into alternatenames.
const NOT_ARABIC_LANG = /[پچژگکیەێۆڕڵھے]/;
const LATIN = /^[\p{Script=Latin}\d\s'’ʿʾ`\-.,()]+$/u;

export function geonamesFeature(fclass: string, code: string, pop: number): FeatureClass {
  if (fclass === 'P') {
    if (code === 'PPLX') return 'neighbourhood';
    if (code === 'PPLQ' || code === 'PPLH' || code === 'PPLW') return 'other';
    if (code === 'PPLC' || code === 'PPLA') return 'city';
    if (pop >= 100000) return 'city';
    if (code === 'PPLA2' || code === 'PPLA3' || code === 'PPLA4' || pop >= 10000) return 'town';
    return 'village';
  }
  if (fclass === 'A') {
    if (code === 'ADM1') return 'admin1';
    if (code === 'ADM2') return 'admin2';
    if (code === 'ADM3') return 'admin3';
    if (code.startsWith('PCL')) return 'country';
    return 'region';
  }
  if (fclass === 'S' || fclass === 'H' || fclass === 'T' || fclass === 'R') return 'landmark';
  if (fclass === 'L') return 'region';
  return 'other';
}

/** Admin1 name for a GeoNames (country, admin1 code): hand table first, else the seat's name. */
export type Admin1Namer = (iso: string, code: string) => string | undefined;

export function defaultAdmin1Namer(seats: Map<string, string>): Admin1Namer {
  return (iso, code) => admin1ByGeonames(iso, code)?.name_en ?? seats.get(`${iso}.${code}`);
}

/**
 * Feature codes kept from a full country dump besides populated places (P) and admin units:
 * places events happen at. Streams, wadis, wells, farms, hills without a name of their own
 * in the news would only add namesakes to real villages.
 */
const KEEP_CODES = new Set(['ADM1', 'ADM2', 'ADM3', 'PCLI', 'AIRB', 'AIRP', 'AIRF', 'AIRH', 'MILB', 'INSM', 'CMP', 'CMPRF', 'PRN', 'DAM', 'RSV', 'MT', 'MTS', 'BDG', 'BDGQ', 'PSTB', 'BCKD', 'RDJCT']);

/** Whether a GeoNames row (split on tabs) is a kind of place the gazetteer keeps. */
export function geonamesWanted(c: string[]): boolean {
  return c[6] === 'P' || KEEP_CODES.has(c[7]);
}

/**
 * Alternate names carry notes: "زالنجي (مدينة)", mixed "Khartún - الخرطوم". Keep the name itself,
 * each script on its own.
 */
function cleanAlt(n: string): string[] {
  const base = n.replace(/\s*[(（][^)）]*[)）]\s*/g, ' ').trim();
  const parts = base.split(/\s+[-–—]\s+/).map((x) => x.trim()).filter(Boolean);
  return parts.length ? parts : [n];
}

/** One GeoNames main-table row (already split on tabs) -> an entry, or a reason to skip it. */
export function geonamesRow(c: string[], admin1Name: Admin1Namer): GazetteerEntry | string {
  if (c.length < 15) return `expected 19 tab-separated columns, got ${c.length}`;
  const lat = Number(c[4]);
  const lon = Number(c[5]);
  if (!c[0] || !/^\d+$/.test(c[0])) return `bad geonameid "${c[0].slice(0, 20)}"`;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || c[4] === '' || c[5] === '')
    return `bad coordinates "${c[4]}", "${c[5]}"`;
  const pop = Number(c[14]) || 0;
  const alts = c[3] ? c[3].split(',').flatMap(cleanAlt) : [];
  const arabic = alts.filter((n) => ARABIC.test(n));
  const nameAr = arabic.find((n) => !NOT_ARABIC_LANG.test(n)) ?? arabic[0] ?? '';
  const names = [c[1], c[2], ...arabic.filter((n) => !NOT_ARABIC_LANG.test(n)), ...alts.filter((n) => LATIN.test(n))];
  const iso = c[8];
  return {
    id: `gn:${c[0]}`,
    name_en: c[2] || c[1],
    name_ar: nameAr,
    names: [...new Set(names.filter(Boolean))],
    feature_class: geonamesFeature(c[6], c[7], pop),
    iso,
    country: countryName(iso),
    admin1: admin1Name(iso, c[10]),
    lat,
    lon,
    population: pop || undefined,
    source: 'geonames',
  };
}

export interface GeonamesOptions {
  /** Keep only these countries (ISO alpha-2). */
  countries?: string[];
}

/** Import a GeoNames main-table dump (SY.txt, cities500.txt ...). Two passes: seats of admin1, then rows. */
export async function importGeonames(path: string, b: GazetteerBuilder, ctx: ImportContext, o: GeonamesOptions = {}): Promise<ImportReport> {
  const rep = newReport('geonames', path);
  const want = o.countries ? new Set(o.countries) : undefined;
  const seats = new Map<string, string>();
  const rows: { line: number; c: string[] }[] = [];
  await readLines(path, { ...ctx, label: `geonames ${path}` }, (line, n) => {
    if (!line.trim()) return;
    const c = line.split('\t');
    if (n === 1 && c[0] === 'geonameid') return;
    if (want && c.length > 8 && !want.has(c[8])) return;
    rep.rows++;
    if (c.length >= 15 && !geonamesWanted(c)) return void rep.skipped++;
    if (c[7] === 'PPLA' || c[7] === 'PPLC') seats.set(`${c[8]}.${c[10]}`, c[2] || c[1]);
    rows.push({ line: n, c });
  });
  const namer = defaultAdmin1Namer(seats);
  for (const { line, c } of rows) {
    const e = geonamesRow(c, namer);
    if (typeof e === 'string') ctx.bad(rep, line, e);
    else {
      ctx.locate?.(e);
      b.add(e);
      rep.added++;
    }
  }
  return rep;
}

/** Import a GeoNames alternateNames file: adds Arabic (and English) spellings to entries already loaded. */
export async function importGeonamesAlternateNames(path: string, b: GazetteerBuilder, ctx: ImportContext): Promise<ImportReport> {
  const rep = newReport('geonames-alternatenames', path);
  await readLines(path, { ...ctx, label: `alternateNames ${path}` }, (line, n) => {
    if (!line.trim()) return;
    const c = line.split('\t');
    if (c.length < 4 || !/^\d+$/.test(c[1])) return ctx.bad(rep, n, `expected alternateNameId, geonameid, isolanguage, name`);
    rep.rows++;
    const lang = c[2];
    if (lang && lang !== 'ar' && lang !== 'en' && lang !== 'arz' && lang !== 'apc') return;
    const e = b.get(`gn:${c[1]}`);
    if (!e) return;
    if (!e.names.includes(c[3])) e.names.push(c[3]);
    if (lang === 'ar' && (!e.name_ar || c[4] === '1')) e.name_ar = c[3];
    b.reindex(e);
    rep.added++;
  });
  return rep;
}
