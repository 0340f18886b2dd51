// Open-Syria geography (github.com/Open-Syria/data-geography): governorates.json,
// districts.json, subdistricts.json with Arabic/English names, aliases, centroids,
// population and OCHA P-codes. They become admin1/2/3 entries (merged by P-code with
// the COD-AB polygons) and add the aliases news writers use ("محافظة حلب", "منطقة الباب").

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GazetteerEntry } from '../index.js';
import { admin1ByPcode, countryName } from '../admin.js';
import type { GazetteerBuilder } from '../merge.js';
import { type ImportContext, type ImportReport, newReport } from './lines.js';

interface Rec {
  id?: string;
  governorateId?: string;
  districtId?: string;
  name?: { en?: string; ar?: string };
  aliases?: { value?: string }[];
  centroid?: { latitude?: number; longitude?: number };
  population?: { value?: number };
  externalIds?: { ochaPcode?: string };
}

const FILES = [
  ['governorates.json', 'admin1'],
  ['districts.json', 'admin2'],
  ['subdistricts.json', 'admin3'],
] as const;

export function importOpenSyria(dir: string, b: GazetteerBuilder, ctx: ImportContext): ImportReport {
  const rep = newReport('opensyria', dir);
  const byId = new Map<string, Rec>();
  const all: [Rec, 'admin1' | 'admin2' | 'admin3', string, number][] = [];
  for (const [file, level] of FILES) {
    const p = join(dir, file);
    if (!existsSync(p)) throw new Error(`${dir}: no ${file} (expected the data/ folder of Open-Syria/data-geography)`);
    let recs: Rec[];
    try {
      recs = JSON.parse(readFileSync(p, 'utf8'));
    } catch (e) {
      throw new Error(`${p}: not JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(recs)) throw new Error(`${p}: expected a JSON array of records`);
    recs.forEach((r, k) => {
      if (r?.id) byId.set(r.id, r);
      all.push([r, level, file, k + 1]);
    });
  }
  for (const [r, level, file, k] of all) {
    rep.rows++;
    const lat = r?.centroid?.latitude;
    const lon = r?.centroid?.longitude;
    if (!r?.name?.ar && !r?.name?.en) {
      ctx.bad(rep, k, `${file} record ${k}: no name`);
      continue;
    }
    if (typeof lat !== 'number' || typeof lon !== 'number') {
      ctx.bad(rep, k, `${file} record ${k}: no centroid`);
      continue;
    }
    const pcode = r.externalIds?.ochaPcode;
    const a1 = admin1ByPcode(pcode);
    const gov = r.governorateId ? byId.get(r.governorateId) : level === 'admin1' ? r : undefined;
    const dist = r.districtId ? byId.get(r.districtId) : level === 'admin2' ? r : undefined;
    const e: GazetteerEntry = {
      id: pcode ? `ocha:${pcode}` : `opensyria:${r.id}`,
      name_en: level === 'admin1' && a1 ? a1.name_en : (r.name.en ?? ''),
      name_ar: r.name.ar ?? '',
      names: [...new Set([r.name.ar, r.name.en, ...(r.aliases ?? []).map((a) => a.value)].filter((x): x is string => Boolean(x)))],
      feature_class: level,
      iso: 'SY',
      country: countryName('SY'),
      admin1: a1?.name_en ?? gov?.name?.en,
      admin2: level === 'admin1' ? undefined : dist?.name?.en,
      admin3: level === 'admin3' ? r.name.en : undefined,
      // ACLED places a governorate at its main town: the admin1 table has it.
      lat: level === 'admin1' && a1 ? a1.lat : lat,
      lon: level === 'admin1' && a1 ? a1.lon : lon,
      population: r.population?.value,
      source: 'opensyria',
    };
    b.add(e);
    rep.added++;
  }
  return rep;
}
