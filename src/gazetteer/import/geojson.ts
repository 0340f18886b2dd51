// Admin boundary polygons (OCHA COD-AB, geoBoundaries) as GeoJSON: they become admin1/2/3
// entries, and they give parents to points whose source has none (OSM, GeoNames) by
// point-in-polygon. Boundary files are a few MB, so they are parsed whole, not streamed.

import { readFileSync } from 'node:fs';
import type { GazetteerEntry } from '../index.js';
import { admin1ByPcode, countryName } from '../admin.js';
import { type ImportContext, type ImportReport, newReport } from './lines.js';

type Ring = number[][];
type Poly = Ring[];

export interface AdminUnit {
  level: 1 | 2 | 3;
  pcode: string;
  name_en: string;
  name_ar: string;
  names: string[];
  parent1?: string;
  parent2?: string;
  iso: string;
  bbox: [number, number, number, number];
  polys: Poly[];
  lat: number;
  lon: number;
}

type Props = Record<string, unknown>;
const str = (p: Props, ...keys: string[]) => {
  for (const k of keys) {
    const v = p[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return '';
};

function levelOf(p: Props): 1 | 2 | 3 | undefined {
  const st = str(p, 'shapeType', 'level');
  const m = /([123])$/.exec(st);
  if (m) return Number(m[1]) as 1 | 2 | 3;
  const pc = str(p, 'PCODE', 'pcode');
  if (/^[A-Z]{2}\d{2}$/.test(pc)) return 1;
  if (/^[A-Z]{2}\d{4}$/.test(pc)) return 2;
  if (/^[A-Z]{2}\d{6}$/.test(pc)) return 3;
  for (const n of [3, 2, 1] as const) if (str(p, `ADM${n}_PCODE`, `admin${n}Pcode`)) return n;
  return undefined;
}

function polysOf(g: { type?: string; coordinates?: unknown } | null | undefined): Poly[] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as Poly];
  if (g.type === 'MultiPolygon') return g.coordinates as Poly[];
  return [];
}

function ringContains(r: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const xi = r[i][0], yi = r[i][1], xj = r[j][0], yj = r[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function contains(u: AdminUnit, lat: number, lon: number): boolean {
  const [x0, y0, x1, y1] = u.bbox;
  if (lon < x0 || lon > x1 || lat < y0 || lat > y1) return false;
  for (const poly of u.polys) {
    if (!poly.length || !ringContains(poly[0], lon, lat)) continue;
    let hole = false;
    for (let h = 1; h < poly.length; h++) if (ringContains(poly[h], lon, lat)) hole = true;
    if (!hole) return true;
  }
  return false;
}

/** Area-weighted centroid of the outer rings (good enough to place an admin unit). */
function centroid(polys: Poly[]): [number, number] {
  let a = 0, cx = 0, cy = 0;
  for (const p of polys) {
    const r = p[0] ?? [];
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const f = r[j][0] * r[i][1] - r[i][0] * r[j][1];
      a += f;
      cx += (r[j][0] + r[i][0]) * f;
      cy += (r[j][1] + r[i][1]) * f;
    }
  }
  if (Math.abs(a) < 1e-12) {
    const r = polys[0]?.[0] ?? [[0, 0]];
    return [r[0][1], r[0][0]];
  }
  return [cy / (3 * a), cx / (3 * a)];
}

// geoBoundaries name countries by ISO alpha-3.
const ISO3: Record<string, string> = { SYR: 'SY', IRQ: 'IQ', LBN: 'LB', JOR: 'JO', PSE: 'PS', YEM: 'YE', LBY: 'LY', SDN: 'SD', TUR: 'TR', ISR: 'IL' };

function isoOf(code: string): string {
  const c = code.toUpperCase();
  return ISO3[c.slice(0, 3)] ?? c.slice(0, 2);
}

export class AdminIndex {
  readonly units: AdminUnit[] = [];
  private readonly byPcode = new Map<string, AdminUnit>();

  add(u: AdminUnit) {
    this.units.push(u);
    this.byPcode.set(u.pcode, u);
  }

  get size() {
    return this.units.length;
  }

  unit(pcode: string | undefined): AdminUnit | undefined {
    return pcode ? this.byPcode.get(pcode) : undefined;
  }

  /**
   * The units containing the point at each level. A level without polygons falls back to the
   * parent codes of the deeper unit (OCHA layers carry ADM1_PCODE/ADM2_PCODE; geoBoundaries do not).
   */
  locate(lat: number, lon: number): { a1?: AdminUnit; a2?: AdminUnit; a3?: AdminUnit } | undefined {
    const found: (AdminUnit | undefined)[] = [undefined, undefined, undefined, undefined];
    for (const u of this.units) if (!found[u.level] && contains(u, lat, lon)) found[u.level] = u;
    let [, a1, a2, a3] = found;
    if (!a1 && !a2 && !a3) return undefined;
    a2 ??= this.unit(a3?.parent2);
    a1 ??= this.unit(a3?.parent1 ?? a2?.parent1) ?? (a3 ?? a2 ? this.unit((a3 ?? a2)!.pcode.slice(0, 4)) : undefined);
    return { a1, a2, a3 };
  }

  /** Fill the missing admin levels (and the country) of an entry; false when the point is outside. */
  fill(e: GazetteerEntry): boolean {
    const r = this.locate(e.lat, e.lon);
    if (!r) return false;
    const top = r.a1 ?? r.a2 ?? r.a3;
    if (top && !e.iso) (e.iso = top.iso), (e.country = countryName(top.iso));
    if (r.a1 && !e.admin1) e.admin1 = admin1ByPcode(r.a1.pcode)?.name_en ?? r.a1.name_en;
    if (r.a2 && !e.admin2) e.admin2 = r.a2.name_en;
    if (r.a3 && !e.admin3) e.admin3 = r.a3.name_en;
    return true;
  }

  /** Admin entries for the gazetteer (admin1 placed at its main town when the admin1 table knows it). */
  entries(): GazetteerEntry[] {
    return this.units.map((u) => {
      const a1 = u.level === 1 ? u : this.unit(u.parent1) ?? this.unit(u.pcode.slice(0, 4));
      const a2 = u.level === 2 ? u : u.level === 3 ? this.unit(u.parent2) : undefined;
      const row = admin1ByPcode(u.pcode);
      const e: GazetteerEntry = {
        id: `ocha:${u.pcode}`,
        name_en: u.level === 1 && row ? row.name_en : u.name_en,
        name_ar: u.name_ar,
        names: u.names,
        feature_class: `admin${u.level}` as GazetteerEntry['feature_class'],
        iso: u.iso,
        country: countryName(u.iso),
        admin1: (a1 && admin1ByPcode(a1.pcode)?.name_en) ?? a1?.name_en ?? admin1ByPcode(u.pcode)?.name_en,
        admin2: a2?.name_en,
        admin3: u.level === 3 ? u.name_en : undefined,
        lat: u.level === 1 && row ? row.lat : u.lat,
        lon: u.level === 1 && row ? row.lon : u.lon,
        source: 'ocha-cod-ab',
      };
      return e;
    });
  }
}

/** Read one admin boundary GeoJSON file into `index`. Features without a level or P-code are bad rows. */
export function importAdminGeoJSON(path: string, index: AdminIndex, ctx: ImportContext): ImportReport {
  const rep = newReport('admin-geojson', path);
  let doc: { type?: string; features?: { properties?: Props; geometry?: { type?: string; coordinates?: unknown } }[] };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new Error(`${path}: not a GeoJSON FeatureCollection`);
  doc.features.forEach((f, k) => {
    rep.rows++;
    const p = f.properties ?? {};
    const level = levelOf(p);
    const polys = polysOf(f.geometry);
    if (!level) return ctx.bad(rep, k + 1, 'feature without an admin level (PCODE / shapeType)');
    if (!polys.length) return ctx.bad(rep, k + 1, 'feature without a Polygon/MultiPolygon geometry');
    const pcode = str(p, 'PCODE', 'pcode', `ADM${level}_PCODE`, 'shapeID');
    if (!pcode) return ctx.bad(rep, k + 1, 'feature without a P-code or id');
    const name_en = str(p, 'NAME_EN', `ADM${level}_EN`, 'shapeName', 'name_en', 'name');
    const name_ar = str(p, 'NAME_AR', `ADM${level}_AR`, 'name_ar');
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const poly of polys) for (const [x, y] of poly[0] ?? []) (x0 = Math.min(x0, x)), (y0 = Math.min(y0, y)), (x1 = Math.max(x1, x)), (y1 = Math.max(y1, y));
    const [lat, lon] = centroid(polys);
    const iso = isoOf(str(p, 'ADM0_PCODE', 'shapeGroup', 'shapeISO') || pcode);
    const names = [...new Set([name_ar, str(p, 'NAM_AR_REF'), name_en, str(p, 'NAM_EN_REF')].filter(Boolean))];
    index.add({ level, pcode, name_en, name_ar, names, parent1: str(p, 'ADM1_PCODE') || undefined, parent2: str(p, 'ADM2_PCODE') || undefined, iso, bbox: [x0, y0, x1, y1], polys, lat, lon });
    rep.added++;
  });
  return rep;
}
