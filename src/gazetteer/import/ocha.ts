// OCHA / HDX P-code tables of populated places ("communities", admin4), as CSV (an XLSX
// exported to CSV works too). Columns are found by name, in the 2015 flattened layout
// (pcode, name_en, name_ar, adm1_pcode ... lat, lon, capital_level) and in the HDX
// layout (admin4Pcode, admin4Name_en, admin4Name_ar, admin1Pcode ... latitude, longitude).
// Composite names ("الحميرة_آشكجي", "Hmeireh - Ashkaji") are split into aliases.

import type { FeatureClass } from '../../types.js';
import type { GazetteerEntry } from '../index.js';
import { admin1ByPcode, countryName } from '../admin.js';
import type { GazetteerBuilder } from '../merge.js';
import { readCsv, type ImportContext, type ImportReport, newReport } from './lines.js';

const COLS: Record<string, string[]> = {
  id: ['pcode', 'admin4pcode', 'adm4_pcode', 'p-code', 'location_code', 'pcode_community'],
  name_en: ['name_en', 'admin4name_en', 'adm4_en', 'name_english', 'location_name_en'],
  name_ar: ['name_ar', 'admin4name_ar', 'adm4_ar', 'name_arabic', 'location_name_ar'],
  ref_en: ['name_en_ref', 'admin4refname_en', 'adm4_ref'],
  adm1: ['adm1_pcode', 'admin1pcode'],
  adm2_en: ['adm2_en', 'admin2name_en'],
  adm3_en: ['adm3_en', 'admin3name_en'],
  lat: ['lat', 'latitude', 'latitude_y', 'y'],
  lon: ['lon', 'long', 'longitude', 'longitude_x', 'x'],
  capital: ['capital_level', 'capital'],
};

/** Split a composite name into its parts (the whole is kept too). */
export function splitComposite(name: string): string[] {
  const parts = name.split(/_| - |\s*\/\s*/).map((s) => s.trim()).filter(Boolean);
  return parts.length > 1 ? parts : [name.trim()].filter(Boolean);
}

function featureOf(capital: string): FeatureClass {
  if (capital === '0' || capital === '1') return 'city';
  if (capital === '2' || capital === '3') return 'town';
  return 'village';
}

export async function importOcha(path: string, b: GazetteerBuilder, ctx: ImportContext): Promise<ImportReport> {
  const rep = newReport('ocha', path);
  let col: Record<string, number> | undefined;
  let admin: AdminCols[] = [];
  await readCsv(path, { ...ctx, label: `ocha ${path}` }, rep, (cells, line) => {
    if (!col) {
      const h = cells.map((c) => c.trim().toLowerCase());
      col = {};
      for (const [k, names] of Object.entries(COLS)) col[k] = h.findIndex((x) => names.includes(x));
      if (col.lat < 0 && col.lon < 0) {
        // An admin P-code table (admin1..3 names per row, no coordinates): names for the units.
        admin = adminColumns(h);
        if (admin.length) return;
      }
      const missing = ['id', 'lat', 'lon'].filter((k) => col![k] < 0);
      if (col.name_ar < 0 && col.name_en < 0) missing.push('name_ar/name_en');
      if (missing.length) throw new Error(`${path}: not an OCHA P-code table (no column ${missing.join(', ')}; header: ${cells.join(',').slice(0, 200)})`);
      return;
    }
    rep.rows++;
    if (admin.length) return adminRow(cells, line, admin, b, ctx, rep);
    const get = (k: string) => (col![k] >= 0 ? (cells[col![k]] ?? '').trim() : '');
    const lat = Number(get('lat'));
    const lon = Number(get('lon'));
    if (cells.length < 3) return ctx.bad(rep, line, `only ${cells.length} columns`);
    if (!get('lat') || !get('lon') || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return ctx.bad(rep, line, `bad coordinates "${get('lat')}", "${get('lon')}"`);
    const ar = get('name_ar').replace(/\ufffd/g, '');
    const en = get('name_en');
    if (!ar && !en) return ctx.bad(rep, line, 'no name');
    const id = get('id');
    if (!id) return ctx.bad(rep, line, 'no P-code');
    const arParts = ar ? splitComposite(ar) : [];
    const enParts = en ? splitComposite(en) : [];
    const a1 = admin1ByPcode(get('adm1') || undefined);
    const iso = (get('adm1') || 'SY').slice(0, 2).toUpperCase();
    const e: GazetteerEntry = {
      id: `ocha:${id}`,
      name_en: enParts[0] ?? ar,
      name_ar: arParts[0] ?? '',
      names: [...new Set([ar, ...arParts, en, ...enParts, get('ref_en')].filter(Boolean))],
      feature_class: featureOf(get('capital')),
      iso,
      country: countryName(iso),
      admin1: a1?.name_en,
      admin2: get('adm2_en') || undefined,
      admin3: get('adm3_en') || undefined,
      lat,
      lon,
      source: 'ocha',
    };
    if (!e.admin1 || !e.admin2) ctx.locate?.(e);
    b.add(e);
    rep.added++;
  });
  return rep;
}

interface AdminCols {
  level: number;
  pcode: number;
  names: number[];
}

/** Columns of an admin P-code table (HDX "adminboundaries_tabulardata": admin1Pcode, admin1Name_ar ...). */
function adminColumns(h: string[]): AdminCols[] {
  const out: AdminCols[] = [];
  for (let n = 1; n <= 4; n++) {
    const pcode = h.findIndex((x) => x === `admin${n}pcode` || x === `adm${n}_pcode`);
    if (pcode < 0) continue;
    const names = h
      .map((x, k) => (new RegExp(`^(admin${n}(ref)?name_(ar|en)|adm${n}_(ar|en)|adm${n}_(ar|en)_ref)$`).test(x) ? k : -1))
      .filter((k) => k >= 0);
    out.push({ level: n, pcode, names });
  }
  return out;
}

/** Add the names of one admin-table row to the units already loaded (from polygons or Open-Syria). */
function adminRow(cells: string[], line: number, cols: AdminCols[], b: GazetteerBuilder, ctx: ImportContext, rep: ImportReport): void {
  let any = false;
  for (const c of cols) {
    const pcode = (cells[c.pcode] ?? '').trim();
    if (!pcode) continue;
    any = true;
    const e = b.get(`ocha:${pcode}`);
    if (!e) continue; // a unit without coordinates cannot be placed: load its polygons first
    let added = false;
    for (const k of c.names) {
      const n = (cells[k] ?? '').trim();
      if (n && !e.names.includes(n)) (e.names.push(n), (added = true));
    }
    if (added) b.reindex(e);
  }
  if (!any) return ctx.bad(rep, line, 'no P-code in any admin column');
  rep.added++;
}
