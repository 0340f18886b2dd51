// OpenStreetMap place nodes as CSV (osm_id, name, type, population, lon, lat; name:ar /
// name:en columns are used when present). OSM has no admin parents: they come from the
// admin polygons by point-in-polygon, and points outside every polygon are skipped
// (border extracts carry villages of the neighbouring country).

import type { FeatureClass } from '../../types.js';
import type { GazetteerEntry } from '../index.js';
import { countryName } from '../admin.js';
import { transliterate } from '../translit.js';
import type { GazetteerBuilder } from '../merge.js';
import { readCsv, type ImportContext, type ImportReport, newReport } from './lines.js';

const TYPES: Record<string, FeatureClass> = {
  city: 'city', town: 'town', village: 'village', hamlet: 'village', isolated_dwelling: 'village', farm: 'village',
  suburb: 'neighbourhood', neighbourhood: 'neighbourhood', quarter: 'neighbourhood', locality: 'other', region: 'region',
};

const ARABIC = /[\u0600-\u06ff]/;

export interface OsmOptions {
  /** Country of the extract when no admin polygons are given (ISO alpha-2). */
  country?: string;
}

export async function importOsm(path: string, b: GazetteerBuilder, ctx: ImportContext, o: OsmOptions = {}): Promise<ImportReport> {
  const rep = newReport('osm', path);
  let col: Record<string, number> | undefined;
  await readCsv(path, { ...ctx, label: `osm ${path}` }, rep, (cells, line) => {
    if (!col) {
      const h = cells.map((c) => c.trim().toLowerCase());
      const at = (...n: string[]) => h.findIndex((x) => n.includes(x));
      col = { id: at('osm_id', 'id', '@id'), name: at('name'), ar: at('name:ar', 'name_ar'), en: at('name:en', 'name_en'), type: at('type', 'place', 'fclass'), pop: at('population'), lat: at('lat', 'latitude', 'y'), lon: at('lon', 'lng', 'longitude', 'x') };
      const missing = ['id', 'name', 'lat', 'lon'].filter((k) => col![k] < 0);
      if (missing.length) throw new Error(`${path}: not an OSM place CSV (no column ${missing.join(', ')})`);
      return;
    }
    rep.rows++;
    const get = (k: string) => (col![k] >= 0 ? (cells[col![k]] ?? '').trim() : '');
    const lat = Number(get('lat'));
    const lon = Number(get('lon'));
    if (!get('lat') || !get('lon') || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return ctx.bad(rep, line, `bad coordinates "${get('lat')}", "${get('lon')}"`);
    const name = get('name');
    const ar = get('ar') || (ARABIC.test(name) ? name : '');
    const en = get('en') || (!ARABIC.test(name) ? name : '');
    if (!ar && !en) return ctx.bad(rep, line, 'no name');
    if (!/^\d+$/.test(get('id'))) return ctx.bad(rep, line, `bad osm_id "${get('id').slice(0, 20)}"`);
    const pop = Number(get('pop')) || undefined;
    const e: GazetteerEntry = {
      id: `osm:${get('id')}`,
      // OSM has no English name for most villages: a plain romanisation stands in.
      name_en: en || transliterate(ar),
      name_ar: ar,
      names: [...new Set([name, ar, en].filter(Boolean))],
      feature_class: TYPES[get('type').toLowerCase()] ?? 'other',
      iso: '',
      country: '',
      lat,
      lon,
      population: pop,
      source: 'osm',
    };
    if (ctx.locate) {
      if (!ctx.locate(e)) {
        rep.skipped++;
        return;
      }
    }
    if (!e.iso) (e.iso = o.country ?? 'SY'), (e.country = countryName(e.iso));
    b.add(e);
    rep.added++;
  });
  return rep;
}
