// The place index: every spelling of every place, keyed by its normalised form, so the
// geoparser can look a token sequence up in one Map access. Loads from a compact prebuilt
// file (see store.ts) written by `marsad gazetteer import`, or from the built-in default
// (GeoNames cities500 from the npm package + admin1 units; see builtin.ts).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureClass } from '../types.js';
import { normalizeKey } from '../text/normalize.js';
import { readGazetteerFile } from './store.js';
import { loadBuiltin } from './builtin.js';

export type { FeatureClass } from '../types.js';

export interface GazetteerEntry {
  id: string;
  name_en: string;
  name_ar: string;
  /** All spellings (Arabic and Latin) as the sources wrote them. */
  names: string[];
  feature_class: FeatureClass;
  /** ISO 3166-1 alpha-2. */
  iso: string;
  /** English country name. */
  country: string;
  /** English, ACLED spelling for admin1 (Aleppo, Idlib, Hama ...); OCHA spelling below it. */
  admin1?: string;
  admin2?: string;
  admin3?: string;
  lat: number;
  lon: number;
  population?: number;
  /** Sources merged into this entry, comma-separated (e.g. "ocha,osm,geonames"). */
  source: string;
  /** Ids of the source records merged into this entry (the first is `id`). */
  ids?: string[];
}

/** The normalised lookup key of a name: MATCHING normalisation, spaces and hyphens removed. */
export function nameKey(name: string): string {
  return normalizeKey(name).replace(/[\s\-_‐–—'’`ʿʾ]+/g, '');
}

/** The normalised words of a name (for the token matcher). */
export function nameTokens(name: string): string[] {
  return normalizeKey(name)
    .split(/[\s\-_‐–—]+/)
    .filter(Boolean);
}

export class Gazetteer {
  readonly entries: GazetteerEntry[];
  private readonly byKey = new Map<string, number[]>();
  private readonly byId = new Map<string, number>();
  /** First normalised token of a name -> the most tokens a name starting with it has. */
  readonly firstTokens = new Map<string, number>();
  /** Where it came from (file path or "built-in"). */
  readonly origin: string;

  constructor(entries: GazetteerEntry[], origin = 'memory', keys?: string[][]) {
    this.entries = entries;
    this.origin = origin;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      this.byId.set(e.id, i);
      if (e.ids) for (const id of e.ids) if (!this.byId.has(id)) this.byId.set(id, i);
      const ks = keys?.[i] ?? entryKeys(e);
      for (const k of ks) this.addKey(k, i);
    }
  }

  /** `spaced`: normalised tokens joined by single spaces (as entryKeys makes them). */
  private addKey(spaced: string, i: number) {
    if (!spaced) return;
    let n = 1;
    let sp = spaced.indexOf(' ');
    const first = sp < 0 ? spaced : spaced.slice(0, sp);
    while (sp >= 0) (n++, (sp = spaced.indexOf(' ', sp + 1)));
    const key = n === 1 ? spaced : spaced.replaceAll(' ', '');
    const list = this.byKey.get(key);
    if (!list) this.byKey.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
    const prev = this.firstTokens.get(first) ?? 0;
    if (n > prev) this.firstTokens.set(first, n);
    // "كفر نبودة" is also written "كفرنبودة": the joined form is a one-word name.
    if (n > 1 && !this.firstTokens.has(key)) this.firstTokens.set(key, 1);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Entries whose name (any spelling) normalises to `normalizedName`; tries with/without ال too. */
  lookup(normalizedName: string): GazetteerEntry[] {
    const key = nameKey(normalizedName);
    const hit = this.byKey.get(key);
    if (hit) return hit.map((i) => this.entries[i]);
    const alt = key.startsWith('ال') ? key.slice(2) : 'ال' + key;
    return (this.byKey.get(alt) ?? []).map((i) => this.entries[i]);
  }

  /** Exact key lookup (already a nameKey) returning entry indexes; no ال fallback. Hot path. */
  lookupKey(key: string): number[] | undefined {
    return this.byKey.get(key);
  }

  get(id: string): GazetteerEntry | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.entries[i];
  }

  /** The admin1 entry (governorate) of a country by its English (ACLED) name. */
  admin1(iso: string, name: string): GazetteerEntry | undefined {
    const k = `${iso}|${name}`;
    if (!this.admin1Cache) {
      this.admin1Cache = new Map();
      for (const e of this.entries) if (e.feature_class === 'admin1' && e.admin1) this.admin1Cache.set(`${e.iso}|${e.admin1}`, e);
    }
    return this.admin1Cache.get(k);
  }
  private admin1Cache?: Map<string, GazetteerEntry>;
}

/** Normalised, spaced keys of all the names of an entry (Arabic and Latin). */
export function entryKeys(e: GazetteerEntry): string[] {
  const out = new Set<string>();
  for (const n of [e.name_ar, e.name_en, ...e.names]) {
    if (!n) continue;
    const t = nameTokens(n).join(' ');
    if (t) out.add(t);
  }
  return [...out];
}

const cache = new Map<string, Gazetteer>();

/**
 * Load a gazetteer. No path: $MARSAD_GAZETTEER, else ./marsad-gazetteer.json in the working
 * directory, else the built-in default. Loaded gazetteers are cached per path.
 */
export function loadGazetteer(path?: string): Gazetteer {
  const p = path ?? process.env.MARSAD_GAZETTEER ?? (existsSync('marsad-gazetteer.json') ? 'marsad-gazetteer.json' : undefined);
  const k = p ? resolve(p) : '(built-in)';
  let g = cache.get(k);
  if (!g) {
    g = p ? readGazetteerFile(resolve(p)) : loadBuiltin();
    cache.set(k, g);
  }
  return g;
}

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Compass bearing from point 1 to point 2 as N, NE, E ... */
export function compass(lat1: number, lon1: number, lat2: number, lon2: number): string {
  const r = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * r) * Math.cos(lat2 * r);
  const x = Math.cos(lat1 * r) * Math.sin(lat2 * r) - Math.sin(lat1 * r) * Math.cos(lat2 * r) * Math.cos((lon2 - lon1) * r);
  const deg = ((Math.atan2(y, x) / r) + 360) % 360;
  return ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'][Math.round(deg / 45) % 8];
}
