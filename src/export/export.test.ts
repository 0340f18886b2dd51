// Exporters, checked the way a pandas / R / Excel user would read them: the CSV is parsed back
// with a strict RFC 4180 parser (written here, refusing anything a strict reader would refuse),
// the GeoJSON is checked against RFC 7946's shape, and Arabic must survive every round trip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import type { StoredEvent } from '../store/types.js';
import type { Evidence } from '../types.js';
import { ACLED_COLUMNS, MARSAD_COLUMNS, acledRow, countryInfo, disorderType, interaction, sourceScale } from './acled.js';
import { writeAcledCsv } from './acled-csv.js';
import { writeGeoJson } from './geojson.js';
import { writeJsonl } from './jsonl.js';

const SEED_DIR = fileURLToPath(new URL('../../../shared/seed/', import.meta.url));
const seed = readFileSync(SEED_DIR + '000_4688a48245f144da.txt', 'utf8');

/** Evidence for the first occurrence of `words` in the seed article (fails loudly if absent). */
function ev(words: string): Evidence {
  const start = seed.indexOf(words);
  assert.ok(start >= 0, `seed article lacks "${words}"`);
  return { part: 'text', start, end: start + words.length, text: words };
}

const SOHR = 'المرصد السوري لحقوق الإنسان';

function clash(): StoredEvent {
  const e = {
    id: '4021',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    event_date: '2020-01-26',
    time_precision: 1,
    actor1: { name: 'Opposition Rebels (Syria)', name_ar: 'الفصائل المعارضة', inter: 2 },
    actor2: { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 },
    location: { name: 'Mushaymish', name_ar: 'مشيميس', country: 'Syria', admin1: 'Idlib', admin2: "Ma'arrat An Nu'man", lat: 35.69012345, lon: 36.89, geo_precision: 2 },
    fatalities: 12,
    fatalities_by_side: { 'Opposition Rebels (Syria)': 4, 'Military Forces of Syria': 8 },
    status: 'occurred',
    civilian_targeting: false,
    reported_by: SOHR,
    background: false,
    evidence: {
      location: [ev('مشيميس')],
      fatalities: [ev('مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام')],
      actor1: [ev('الفصائل المعارضة')],
      reported_by: [ev(SOHR)],
    },
    notes: 'On 26 January 2020, opposition factions clashed with regime forces on the Mushaymish axis, north-east of Maarat al-Numan (Idlib). 4 opposition fighters and 8 regime soldiers were killed.',
    fatalities_low: 10,
    fatalities_best: 12,
    fatalities_high: 12,
    created_at: '2020-01-26T18:00:00.000Z',
    updated_at: '2020-01-27T09:30:00.000Z',
    sources: [] as StoredEvent['sources'],
  } as StoredEvent;
  e.sources = [
    { article_id: 'a1', outlet: 'عنب بلدي', url: 'https://www.enabbaladi.net/archives/1', reported_by: SOHR, published: '2020-01-26', fatalities: 12, event: { ...e, sources: undefined } as never },
    { article_id: 'a2', outlet: 'سانا', url: 'https://sana.sy/?p=2', reported_by: null, published: '2020-01-27', fatalities: 10, event: { ...e, sources: undefined } as never },
  ];
  return e;
}

/** An event whose notes hold every character CSV must protect, and no coordinates. */
function awkward(): StoredEvent {
  const e = clash();
  e.id = 'evt_9f2c';
  e.event_type = 'Protests';
  e.sub_event_type = 'Excessive force against protesters';
  e.actor1 = { name: 'Protesters (Syria)', inter: 6 };
  e.actor2 = { name: 'Police Forces of Syria', inter: 1 };
  e.civilian_targeting = true;
  e.location = { name: 'Daraa al-Balad', name_ar: 'درعا البلد', country: 'سوريا', admin1: 'Dara\'a', lat: null, lon: null, geo_precision: 1 };
  e.notes = 'قالت "سانا"، إن قوات الأمن فرّقت المتظاهرين, وأضافت:\r\n"لا إصابات"\nثم "انسحبت"';
  e.sources = [{ article_id: 'a3', outlet: 'Unknown Gazette', url: null, reported_by: null, published: null, fatalities: 0, event: { ...e, sources: undefined } as never }];
  e.fatalities_low = e.fatalities_best = e.fatalities_high = e.fatalities = 0;
  return e;
}

/** Strict RFC 4180 reader: quoted fields may hold anything; unquoted fields may not hold quotes;
 *  after a closing quote only a comma or the end of the record may follow; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < n && text[i] !== ',' && !(text[i] === '\r' && text[i + 1] === '\n'))
        throw new Error(`character after closing quote at ${i}`);
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside unquoted field at ${i}`);
        field += text[i++];
      }
      if (text[i] === '\n') throw new Error(`bare LF at ${i}`);
      if (text[i] === '\r' && text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    // CRLF or end of text ends the record
    rows.push(row);
    row = [];
    if (i < n) i += 2;
  }
  return rows;
}

async function collect(fn: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await fn(out);
  out.end();
  await new Promise((r) => out.on('end', r));
  return Buffer.concat(chunks).toString('utf8');
}

test('ACLED CSV: exact ACLED columns in order, then the Marsad extension columns', async () => {
  const text = await collect((out) => writeAcledCsv([clash()], out));
  const rows = parseCsv(text);
  assert.deepEqual(rows[0].slice(0, 31), [...ACLED_COLUMNS]);
  assert.equal(ACLED_COLUMNS.length, 31);
  assert.deepEqual(rows[0].slice(31), [...MARSAD_COLUMNS]);
  assert.equal(rows.length, 2);
  assert.equal(rows[1].length, rows[0].length);
  const only = parseCsv(await collect((out) => writeAcledCsv([clash()], out, { acledOnly: true })));
  assert.deepEqual(only[0], [...ACLED_COLUMNS]);
  assert.equal(only[1].length, 31);
});

test('ACLED CSV: values follow ACLED conventions for a real SOHR-reported clash', async () => {
  const rows = parseCsv(await collect((out) => writeAcledCsv([clash()], out)));
  const r = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
  assert.equal(r.event_id_cnty, 'SYR4021');
  assert.equal(r.event_date, '2020-01-26');
  assert.equal(r.year, '2020');
  assert.equal(r.disorder_type, 'Political violence');
  assert.equal(r.inter1, '2');
  assert.equal(r.inter2, '1');
  assert.equal(r.interaction, '12');
  assert.equal(r.civilian_targeting, '');
  assert.equal(r.iso, '760');
  assert.equal(r.region, 'Middle East');
  assert.equal(r.latitude, '35.6901');
  assert.equal(r.longitude, '36.89');
  assert.equal(r.geo_precision, '2');
  assert.equal(r.source, `${SOHR}; عنب بلدي; سانا`);
  assert.equal(r.source_scale, 'Other-National');
  assert.equal(r.fatalities, '12');
  assert.equal(r.timestamp, String(Date.parse('2020-01-27T09:30:00Z') / 1000));
  assert.equal(r.fatalities_low, '10');
  assert.equal(r.fatalities_high, '12');
  assert.deepEqual(JSON.parse(r.fatalities_by_source), { [SOHR]: 12, 'سانا': 10 });
  assert.equal(r.reported_by, SOHR);
  assert.equal(r.article_urls, 'https://www.enabbaladi.net/archives/1; https://sana.sy/?p=2');
  // Evidence points back at the exact words of the article.
  const evidence = JSON.parse(r.evidence) as Record<string, Evidence[]>;
  const f = evidence.fatalities[0];
  assert.equal(seed.slice(f.start, f.end), 'مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام');
});

test('ACLED CSV: commas, quotes, CR/LF and Arabic in notes round-trip through a strict parser', async () => {
  const events = [clash(), awkward(), clash()];
  const text = await collect((out) => writeAcledCsv(events, out));
  const rows = parseCsv(text);
  assert.equal(rows.length, 4);
  for (const r of rows) assert.equal(r.length, ACLED_COLUMNS.length + MARSAD_COLUMNS.length);
  const notes = rows[0].indexOf('notes');
  assert.equal(rows[2][notes], awkward().notes);
  assert.equal(rows[1][notes], clash().notes);
  const col = (name: string) => rows[2][rows[0].indexOf(name)];
  assert.equal(col('disorder_type'), 'Political violence; Demonstrations');
  assert.equal(col('civilian_targeting'), 'Civilian targeting');
  assert.equal(col('interaction'), '16');
  assert.equal(col('country'), 'Syria', 'Arabic country name resolved to ACLED spelling');
  assert.equal(col('latitude'), '');
  assert.equal(col('source_scale'), 'National', 'unknown outlet counts as national');
  assert.match(col('event_id_cnty'), /^SYR\d+$/);
  // The same id always gives the same event_id_cnty.
  assert.equal(acledRow(awkward()).event_id_cnty, col('event_id_cnty'));
});

test('ACLED CSV: BOM only when asked, and the bytes are UTF-8', async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeAcledCsv([clash()], out, { bom: true });
  out.end();
  const buf = Buffer.concat(chunks);
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(buf.includes(Buffer.from('عنب بلدي', 'utf8')));
  assert.ok(buf.includes(Buffer.from(SOHR, 'utf8')));
  const plain = await collect((o) => writeAcledCsv([clash()], o));
  assert.ok(plain.startsWith('event_id_cnty,'));
});

test('ACLED conventions: disorder type, interaction, iso, region, source scale', () => {
  assert.equal(disorderType('Explosions/Remote violence', 'Air/drone strike'), 'Political violence');
  assert.equal(disorderType('Protests', 'Peaceful protest'), 'Demonstrations');
  assert.equal(disorderType('Protests', 'Protest with intervention'), 'Political violence; Demonstrations');
  assert.equal(disorderType('Strategic developments', 'Looting/property destruction'), 'Strategic developments');
  assert.equal(interaction(8, 2), 28);
  assert.equal(interaction(1, 1), 11);
  assert.equal(interaction(7, null), 70);
  assert.equal(countryInfo('ليبيا')?.iso, 434);
  assert.equal(countryInfo('Sudan')?.region, 'Eastern Africa');
  assert.equal(countryInfo('اليمن')?.iso3, 'YEM');
  assert.equal(countryInfo('Atlantis'), null);
  assert.equal(sourceScale('وكالة الصحافة الفرنسية'), 'International');
  // SANA's full name contains "العربية" (Al Arabiya): the longest whole-word name wins.
  assert.equal(sourceScale('الوكالة العربية السورية للأنباء'), 'National');
  assert.equal(sourceScale('المرصد السوري'), 'Other');
  assert.equal(sourceScale('صحيفة محلية'), null);
});

test('GeoJSON: valid FeatureCollection of [lon, lat] points; events without coordinates skipped and counted', async () => {
  let stats = { events: 0, skipped: 0 };
  const text = await collect(async (out) => {
    stats = await writeGeoJson([clash(), awkward()], out);
  });
  const fc = JSON.parse(text);
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.features.length, 1);
  assert.deepEqual(stats, { events: 1, skipped: 1 });
  const f = fc.features[0];
  assert.equal(f.type, 'Feature');
  assert.equal(f.geometry.type, 'Point');
  assert.deepEqual(f.geometry.coordinates, [36.89, 35.69012345], 'longitude first (RFC 7946)');
  for (const v of Object.values(f.properties)) assert.ok(v === null || ['string', 'number', 'boolean'].includes(typeof v), 'flat scalar properties');
  assert.equal(f.properties.sources, 2);
  assert.equal(f.properties.location_ar, 'مشيميس');
  assert.equal(f.properties.fatalities, 12);
  assert.equal(f.properties.event_type, 'Battles');
  // An empty export is still a valid document.
  assert.deepEqual(JSON.parse(await collect((out) => writeGeoJson([], out))), { type: 'FeatureCollection', features: [] });
});

test('JSON Lines: one StoredEvent per line, Arabic and line breaks in notes intact', async () => {
  const text = await collect((out) => writeJsonl([clash(), awkward()], out));
  const lines = text.split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  const back = lines.map((l) => JSON.parse(l) as StoredEvent);
  assert.equal(back[1].notes, awkward().notes);
  assert.equal(back[0].sources.length, 2);
  assert.equal(back[0].evidence.location[0].text, 'مشيميس');
});

test('streaming: a slow reader applies back-pressure instead of buffering everything', async () => {
  const out = new PassThrough({ highWaterMark: 1024 });
  let produced = 0;
  async function* many() {
    for (let i = 0; i < 2000; i++) {
      produced++;
      const e = clash();
      e.id = String(i + 1);
      yield e;
    }
  }
  const done = writeAcledCsv(many(), out);
  // Nobody reads yet: the writer must stop early rather than run through all 2000 events.
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(produced < 50, `writer ran ahead to ${produced} events with no reader`);
  let rows = 0;
  out.on('data', (c: Buffer) => (rows += c.toString().split('\r\n').length - 1));
  const res = await done;
  out.end();
  assert.equal(res.events, 2000);
  assert.equal(produced, 2000);
});
