// Builds one entry per real place out of several sources: OCHA, GeoNames and OSM all list
// the same villages. Two records are the same place when they share a normalised name and
// lie within a few km of each other (or share an id, e.g. an OCHA P-code). Sources are added
// in order of trust: the first record keeps its id, coordinates and English name.

import type { FeatureClass } from '../types.js';
import { distanceKm, entryKeys, type GazetteerEntry } from './index.js';

const RANK: Record<FeatureClass, number> = {
  country: 9, admin1: 8, admin2: 7, admin3: 6, city: 5, town: 4, village: 3, neighbourhood: 2, landmark: 2, region: 1, other: 0,
};

const POPULATED = new Set<FeatureClass>(['city', 'town', 'village', 'neighbourhood', 'other']);

/** Which records may merge: populated places with populated places, admin with same-level admin. */
function group(fc: FeatureClass): string {
  return POPULATED.has(fc) ? 'populated' : fc;
}

export interface MergeOptions {
  /** Same name within this distance = same place (km). */
  maxKm?: number;
}

export class GazetteerBuilder {
  readonly entries: GazetteerEntry[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly byId = new Map<string, number>();
  merged = 0;

  constructor(private readonly opts: MergeOptions = {}) {}

  /** Add a record; returns the entry it became part of. */
  add(e: GazetteerEntry): GazetteerEntry {
    const keys = entryKeys(e).map((k) => k.replace(/ /g, ''));
    const target = this.findSame(e, keys);
    if (target === undefined) {
      const i = this.entries.length;
      e.ids ??= [e.id];
      this.entries.push(e);
      this.byId.set(e.id, i);
      for (const k of keys) this.index(k, i);
      return e;
    }
    const t = this.entries[target];
    this.merged++;
    const seen = new Set(t.names);
    for (const n of [e.name_ar, e.name_en, ...e.names]) if (n && !seen.has(n)) (seen.add(n), t.names.push(n));
    if (!t.name_ar && e.name_ar) t.name_ar = e.name_ar;
    if ((!t.name_en || /[\u0600-\u06ff]/.test(t.name_en)) && e.name_en && !/[\u0600-\u06ff]/.test(e.name_en)) t.name_en = e.name_en;
    if (RANK[e.feature_class] > RANK[t.feature_class] && group(e.feature_class) === group(t.feature_class)) t.feature_class = e.feature_class;
    if (e.population && (!t.population || e.population > t.population)) t.population = e.population;
    t.admin1 ??= e.admin1;
    t.admin2 ??= e.admin2;
    t.admin3 ??= e.admin3;
    const have = t.source.split(',');
    for (const src of e.source.split(',')) if (!have.includes(src)) (have.push(src), (t.source += ',' + src));
    t.ids ??= [t.id];
    for (const id of e.ids ?? [e.id]) if (!t.ids.includes(id)) t.ids.push(id);
    for (const id of e.ids ?? [e.id]) this.byId.set(id, target);
    for (const k of keys) this.index(k, target);
    return t;
  }

  private index(k: string, i: number) {
    const l = this.byKey.get(k);
    if (!l) this.byKey.set(k, [i]);
    else if (!l.includes(i)) l.push(i);
  }

  private findSame(e: GazetteerEntry, keys: string[]): number | undefined {
    const sameId = this.byId.get(e.id);
    if (sameId !== undefined) return sameId;
    const maxKm = this.opts.maxKm ?? 6;
    const g = group(e.feature_class);
    let best: number | undefined;
    let bestD = Infinity;
    for (const k of keys) {
      for (const i of this.byKey.get(k) ?? []) {
        const t = this.entries[i];
        if (group(t.feature_class) !== g || t.iso !== e.iso) continue;
        // Admin units of the same level and name are the same unit wherever their centroid is.
        const d = g === 'populated' || g === 'landmark' ? distanceKm(t.lat, t.lon, e.lat, e.lon) : 0;
        if (d <= maxKm && d < bestD) (best = i), (bestD = d);
      }
    }
    return best;
  }

  /** Index the names of an entry again after names were added to it. */
  reindex(e: GazetteerEntry): void {
    const i = this.byId.get(e.id);
    if (i === undefined) return;
    for (const k of entryKeys(e)) this.index(k.replace(/ /g, ''), i);
  }

  get(id: string): GazetteerEntry | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.entries[i];
  }
}
