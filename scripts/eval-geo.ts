// Geoparsing evaluation: over the dev articles and their gold events, for every distinct gold
// place: was it found (a place mention with that name), placed within 5 km of gold, or placed
// wrongly (found but > 5 km, or in another governorate)? The headline is the share of
// precision-1 gold places within 5 km (target >= 90%).
//
//   node --import tsx scripts/eval-geo.ts [--dev DIR] [--gazetteer FILE | --full | --builtin] [--verbose]
// Default (or --full): the village-level gazetteer built from ../shared/data/gazetteer (cached in the
// temp folder); --builtin: the built-in default alone; --gazetteer FILE: a file from `marsad gazetteer import`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalize, normalizeKey } from '../src/text/normalize.js';
import { loadGazetteer, distanceKm } from '../src/gazetteer/index.js';
import { geoparse, type PlaceMention } from '../src/geoparse/index.js';
import { fullGazetteerPath, haveSharedData, SHARED } from '../src/gazetteer/testing.js';

const { values } = parseArgs({
  options: {
    dev: { type: 'string', default: join(SHARED, 'eval', 'dev') },
    gazetteer: { type: 'string' },
    full: { type: 'boolean' },
    builtin: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
});

const jsonl = (p: string) =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

interface GoldLoc {
  name?: string;
  name_ar?: string;
  admin1?: string;
  lat?: number;
  lon?: number;
  geo_precision?: number;
}

// Default: the village-level gazetteer from ../shared when it is there (what the target is about).
const useFull = values.full || (!values.builtin && !values.gazetteer && !process.env.MARSAD_GAZETTEER && haveSharedData());
const gazPath = values.gazetteer ?? (useFull ? await fullGazetteerPath() : undefined);
const t0 = performance.now();
const gaz = loadGazetteer(gazPath);
console.log(`gazetteer: ${gaz.origin} (${gaz.size} places, ${(performance.now() - t0).toFixed(0)} ms)`);

const articles = new Map<string, { title?: string; text: string; country?: string }>(jsonl(join(values.dev!, 'articles.jsonl')).map((a) => [a.id, a]));
const gold = jsonl(join(values.dev!, 'gold.jsonl'));

const stats = { places: 0, found: 0, within5: 0, imprecise: 0, wrong: 0, p1: 0, p1within5: 0 };
for (const g of gold) {
  const a = articles.get(g.id);
  if (!a) {
    console.log(`${g.id}: no article`);
    continue;
  }
  const mentions: PlaceMention[] = [];
  for (const part of [a.title, a.text]) if (part) mentions.push(...geoparse(normalize(part), gaz, { country: a.country ?? undefined }));
  // Distinct gold places of the article (the same village coded for several events counts once).
  const seen = new Map<string, GoldLoc>();
  for (const ev of g.events ?? []) {
    const l: GoldLoc | null = ev.location;
    if (!l?.name_ar || typeof l.lat !== 'number') continue;
    seen.set(`${normalizeKey(l.name_ar)}|${l.geo_precision}`, l);
  }
  for (const l of seen.values()) {
    stats.places++;
    const key = normalizeKey(l.name_ar!);
    // A mention is "of" this gold place when one's words contain the other's (gold may code a
    // phrase such as "غرب مدينة حلب" or a list "محاور خلصة والحميرة جنوب حلب").
    const cands = mentions.filter((m) => {
      const s = normalizeKey(m.surface);
      return s && (key.includes(s) || s.includes(key));
    });
    const placed = cands.filter((m) => m.location.lat !== null);
    const best = placed.map((m) => ({ m, d: distanceKm(m.location.lat!, m.location.lon!, l.lat!, l.lon!) })).sort((x, y) => x.d - y.d)[0];
    const found = cands.length > 0;
    const ok = best !== undefined && best.d <= 5;
    // Wrong = put somewhere else (another governorate, or > 25 km off); 5-25 km in the right
    // governorate is an imprecise placement (typically a precision-3 estimate).
    const wrong = found && !ok && (best === undefined || best.d > 25 || (l.admin1 !== undefined && best.m.location.admin1 !== l.admin1));
    stats.imprecise += +(found && !ok && !wrong);
    stats.found += +found;
    stats.within5 += +ok;
    stats.wrong += +wrong;
    if (l.geo_precision === 1) (stats.p1++, (stats.p1within5 += +ok));
    if (values.verbose || !ok)
      console.log(
        `${ok ? 'ok   ' : found ? 'FAR  ' : 'MISS '} ${g.id} p${l.geo_precision} ${l.name_ar} (${l.name})` +
          (best ? ` -> "${best.m.surface}" ${best.m.kind} ${best.m.location.name} ${best.m.location.admin1 ?? ''} p${best.m.location.geo_precision} ${best.d.toFixed(1)} km` : found ? ' -> found, no coordinates' : ''),
      );
  }
}
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) + '%' : 'n/a');
console.log(`\ngold places: ${stats.places}`);
console.log(`found (recall):          ${stats.found}/${stats.places} = ${pct(stats.found, stats.places)}`);
console.log(`placed within 5 km:      ${stats.within5}/${stats.places} = ${pct(stats.within5, stats.places)}`);
console.log(`imprecise (5-25 km, right governorate): ${stats.imprecise}`);
console.log(`wrong placements (other governorate or > 25 km): ${stats.wrong}`);
console.log(`precision-1 within 5 km: ${stats.p1within5}/${stats.p1} = ${pct(stats.p1within5, stats.p1)} (target >= 90%)`);
