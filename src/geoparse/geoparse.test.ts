import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from '../text/normalize.js';
import { loadGazetteer, distanceKm, type Gazetteer } from '../gazetteer/index.js';
import { fullGazetteer, haveSharedData, SHARED } from '../gazetteer/testing.js';
import { geoparse, type PlaceMention } from './index.js';

const skip = !haveSharedData() && 'no ../shared data';
let full: Gazetteer;
let seed: PlaceMention[];
let seedText = '';

before(async () => {
  if (skip) return;
  full = await fullGazetteer();
  const dir = join(SHARED, 'seed');
  seedText = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.txt'))!), 'utf8');
  seed = geoparse(normalize(seedText), full, { country: 'Syria' });
});

const km = (m: PlaceMention, lat: number, lon: number) => distanceKm(m.location.lat!, m.location.lon!, lat, lon);
const bySurface = (ms: PlaceMention[], s: string) => ms.filter((m) => m.surface === s);

test('seed article: named places found and placed within 5 km of the gazetteer', { skip }, () => {
  const expect: [string, number, number, string][] = [
    ['معرة النعمان', 35.6484, 36.676, 'Idlib'],
    ['إدلب', 35.93, 36.634, 'Idlib'],
    ['حلب', 36.2, 37.16, 'Aleppo'],
    ['سمكة', 35.6969, 36.9088, 'Idlib'],
    ['البرسة', 35.6865, 36.8826, 'Idlib'],
    ['خان شيخون', 35.443, 36.645, 'Idlib'],
  ];
  for (const [name, lat, lon, admin1] of expect) {
    const ms = bySurface(seed, name).filter((m) => m.kind === 'gazetteer');
    assert.ok(ms.length > 0, `${name} not found as a place`);
    for (const m of ms) {
      assert.equal(m.location.geo_precision, 1, name);
      assert.equal(m.location.admin1, admin1, name);
      assert.ok(km(m, lat, lon) < 5, `${name} placed ${km(m, lat, lon).toFixed(1)} km away`);
      assert.ok(m.location.gazetteer_id);
    }
  }
  // The original spelling comes back (hamza, ta marbuta) through the offset map.
  assert.ok(seed.every((m) => seedText.includes(m.surface)));
  // بلدة خان شيخون carries its context word.
  assert.equal(bySurface(seed, 'خان شيخون')[0].context_word, 'بلده');
});

test('seed article: places no gazetteer has are reported from their context word, at a coarser place', { skip }, () => {
  const khalsa = bySurface(seed, 'خلصة');
  assert.equal(khalsa.length, 1);
  assert.equal(khalsa[0].kind, 'context');
  assert.equal(khalsa[0].context_word, 'محاور');
  assert.equal(khalsa[0].location.geo_precision, 3);
  assert.equal(khalsa[0].location.admin1, 'Aleppo');
  const mush = bySurface(seed, 'مشيميس');
  assert.equal(mush.length, 1);
  assert.equal(mush[0].location.geo_precision, 3);
  assert.equal(mush[0].location.admin1, 'Idlib');
  assert.ok(km(mush[0], 35.69, 36.89) < 30);
  // Never at a known sibling's own point (an event there would be read as the sibling's).
  for (const sib of ['سمكة', 'البرسة']) assert.ok(km(mush[0], bySurface(seed, sib)[0].location.lat!, bySurface(seed, sib)[0].location.lon!) > 0.3, sib);
  assert.ok(mush[0].location.confidence! <= 0.4);
  // الحميرة: every gazetteer الحميرة is far from "جنوب حلب" (Jarablus, Rural Damascus): never a wrong village.
  const ham = bySurface(seed, 'الحميرة');
  assert.equal(ham.length, 1);
  assert.equal(ham[0].location.admin1, 'Aleppo');
  assert.ok(km(ham[0], 36.2, 37.16) < 40, `الحميرة placed ${km(ham[0], 36.2, 37.16).toFixed(0)} km from Aleppo`);
});

test('seed article: relative and regional expressions', { skip }, () => {
  const one = (s: string) => {
    const m = seed.find((x) => x.surface === s);
    assert.ok(m, `no mention "${s}"; got ${seed.map((x) => x.surface).join(' | ')}`);
    return m;
  };
  const ne = one('شمال شرقي معرة النعمان');
  assert.equal(ne.kind, 'relative');
  assert.equal(ne.direction, 'NE');
  assert.equal(ne.location.geo_precision, 2);
  assert.ok(km(ne, 35.6484, 36.676) < 5);
  const south = one('جنوب حلب');
  assert.equal(south.direction, 'S');
  assert.equal(south.location.admin1, 'Aleppo');
  const rif = one('ريف إدلب الجنوبي');
  assert.equal(rif.kind, 'region');
  assert.equal(rif.direction, 'S');
  assert.equal(rif.location.admin1, 'Idlib');
  assert.equal(rif.location.geo_precision, 2);
  const west = one('غرب مدينة حلب');
  assert.equal(west.direction, 'W');
  assert.equal(west.location.geo_precision, 2);
  const sIdlib = one('جنوب إدلب');
  assert.equal(sIdlib.location.geo_precision, 3);
  assert.equal(sIdlib.location.admin1, 'Idlib');
  const gov = one('محافظة إدلب');
  assert.equal(gov.location.geo_precision, 3);
  // "7 بلدات رئيسية في محيط مدينة معرة النعمان": around Maarat al-Numan, precision 2.
  const around = one('محيط مدينة معرة النعمان');
  assert.equal(around.kind, 'relative');
  assert.equal(around.location.geo_precision, 2);
  assert.ok(km(around, 35.6484, 36.676) < 5);
  // Anaphors: "مشارف المدينة" is Maarat al-Numan, "ريف المحافظة الجنوبي" is Idlib's.
  assert.ok(km(one('مشارف المدينة'), 35.6484, 36.676) < 5);
  assert.equal(one('ريف المحافظة الجنوبي').location.admin1, 'Idlib');
  const far = seed.find((m) => m.surface.startsWith('مئات الأمتار'));
  assert.ok(far && km(far, 35.6484, 36.676) < 5 && far.location.geo_precision === 2);
});

test('seed article: common words are not places, nothing outside Syria', { skip }, () => {
  for (const w of ['المنطقة', 'الطريق', 'النظام', 'الجيش', 'جبهة', 'الوطن', 'الأحد', 'رئيسية'])
    assert.equal(seed.filter((m) => m.surface === w).length, 0, w);
  assert.deepEqual(seed.filter((m) => m.location.iso && m.location.iso !== 'SY').map((m) => m.surface), []);
});

test('lists, proclitics and spelling variants in report sentences', { skip }, () => {
  const text = 'قصفت قوات النظام بلدة كفرنبل وقرى حاس والبارة بالقذائف، فيما استهدفت طائرات حربية مدينة سراقب وبلدة تفتناز بريف إدلب الشرقي.';
  const ms = geoparse(normalize(text), full, { country: 'Syria' });
  const names = ms.filter((m) => m.kind === 'gazetteer').map((m) => m.surface);
  assert.deepEqual(names, ['كفرنبل', 'حاس', 'البارة', 'سراقب', 'تفتناز']);
  for (const m of ms) assert.equal(m.location.admin1, 'Idlib', m.surface);
  const rif = ms.find((m) => m.kind === 'region');
  assert.equal(rif?.direction, 'E');
});

test('shared names are decided by the other places of the article', { skip }, () => {
  const t1 = 'دارت اشتباكات عنيفة في قرية الصالحية قرب مدينة البوكمال في ريف دير الزور الشرقي.';
  const m1 = geoparse(normalize(t1), full, { country: 'Syria' }).find((m) => m.surface === 'الصالحية');
  assert.equal(m1?.location.admin1, 'Deir ez Zor');
  assert.ok(m1!.candidates > 3);
  const t2 = 'سقطت قذائف على قرية الصالحية في منطقة جسر الشغور غرب إدلب.';
  const m2 = geoparse(normalize(t2), full, { country: 'Syria' }).find((m) => m.surface === 'الصالحية');
  assert.equal(m2?.location.admin1, 'Idlib');
  const t3 = 'قصفت المدفعية قرية تل أحمر في ريف حمص الشرقي.';
  const m3 = geoparse(normalize(t3), full, { country: 'Syria' }).find((m) => m.surface === 'تل أحمر');
  assert.equal(m3?.location.admin1, 'Homs');
  assert.ok(m3!.location.confidence! < 0.95);
});

test('bare one-word village names need support; after a context word they count', { skip }, () => {
  // "البارة" alone in a sentence about Damascus is not trusted; after قرية it is.
  const bare = geoparse(normalize('قال مصدر في دمشق إن البارة هادئة.'), full, { country: 'Syria' });
  assert.equal(bare.filter((m) => m.surface === 'البارة').length, 0);
  const ctx = geoparse(normalize('قال مصدر في دمشق إن قرية البارة هادئة.'), full, { country: 'Syria' });
  assert.equal(ctx.filter((m) => m.surface === 'البارة').length, 1);
  // Next to a place it is near, the bare name stands.
  const near = geoparse(normalize('قصف على كفرنبل والبارة.'), full, { country: 'Syria' });
  assert.ok(near.some((m) => m.surface === 'البارة'));
  // Months and army words are never places.
  const none = geoparse(normalize('أكد الجيش في تموز أن النظام سيطر على الطريق.'), full, { country: 'Syria' });
  assert.deepEqual(none.map((m) => m.surface), []);
});

test('built-in gazetteer alone places the cities', () => {
  const g = loadGazetteer();
  const text = 'غارات روسية على مدينة حلب، وقصف على حمص ودرعا، واشتباكات في دير الزور والرقة. وفي العراق انفجار في الموصل.';
  const ms = geoparse(normalize(text), g, {});
  const get = (s: string) => ms.find((m) => m.surface === s)!;
  const expect: [string, string, number, number][] = [
    ['حلب', 'Aleppo', 36.2, 37.16],
    ['حمص', 'Homs', 34.73, 36.72],
    ['درعا', 'Dara', 32.62, 36.1],
    ['دير الزور', 'Deir ez Zor', 35.34, 40.14],
    ['الرقة', 'Raqqa', 35.95, 39.01],
  ];
  for (const [s, a1, lat, lon] of expect) {
    const m = get(s);
    assert.ok(m, `${s} not found`);
    assert.equal(m.location.admin1, a1);
    assert.equal(m.location.geo_precision, 1);
    assert.ok(km(m, lat, lon) < 5, s);
  }
  assert.equal(get('الموصل').location.iso, 'IQ');
});

test('actor names with a place inside are not places; compound directions; landmarks', { skip }, () => {
  const a = geoparse(normalize('سيطرت قوات سوريا الديمقراطية على بلدة الباب بريف حلب الشمالي الشرقي.'), full, { country: 'Syria' });
  assert.equal(a.filter((m) => m.surface === 'سوريا').length, 0);
  const rif = a.find((m) => m.kind === 'region');
  assert.equal(rif?.surface, 'ريف حلب الشمالي الشرقي');
  assert.equal(rif?.direction, 'NE');
  // "مطار حماة العسكري" is the airbase itself (lexicon/landmarks.tsv); "مطار إدلب" (no such entry) is
  // near Idlib city, precision 2; "جبل الزاوية" is not the village الزاوية in another governorate.
  const b = geoparse(normalize('استهدفت الفصائل مطار حماة العسكري ومطار إدلب، وقصفت قوات النظام جبل الزاوية بريف إدلب.'), full, { country: 'Syria' });
  const airbase = b.find((m) => m.surface === 'مطار حماة العسكري');
  assert.equal(airbase?.location.admin1, 'Hama');
  assert.equal(airbase?.location.geo_precision, 1);
  assert.equal(airbase?.location.feature_class, 'landmark');
  const idlibAirport = b.find((m) => m.surface === 'مطار إدلب');
  assert.equal(idlibAirport?.location.admin1, 'Idlib');
  assert.equal(idlibAirport?.location.geo_precision, 2);
  const zawiya = b.find((m) => m.surface === 'جبل الزاوية');
  assert.equal(zawiya?.location.admin1, 'Idlib');
  assert.equal(zawiya?.location.feature_class, 'region');
  assert.equal(zawiya?.location.geo_precision, 2);
});

test('an unknown list item is never put on a known sibling', { skip }, () => {
  // Two known siblings: the unknown one sits between them, at precision 3, with a low confidence.
  const a = geoparse(normalize('دارت اشتباكات عنيفة على محاور مشيميس وسمكة والبرسة شمال شرقي معرة النعمان بريف إدلب الجنوبي، وسط قصف مدفعي مكثف.'), full, { country: 'Syria' });
  const u = a.find((m) => m.surface === 'مشيميس')!;
  const known = ['سمكة', 'البرسة'].map((s) => a.find((m) => m.surface === s)!);
  assert.equal(u.location.geo_precision, 3);
  assert.equal(u.location.gazetteer_id, null);
  for (const k of known) {
    assert.equal(k.location.geo_precision, 1);
    const d = km(u, k.location.lat!, k.location.lon!);
    assert.ok(d > 0.3 && d < 5, `${k.surface}: ${d.toFixed(2)} km`);
  }
  // One known sibling and no phrase to hang on: only the governorate is known, not the sibling's point.
  const b = geoparse(normalize('قصفت قوات النظام قريتي مشيميس وسمكة بريف إدلب.'), full, { country: 'Syria' });
  const u2 = b.find((m) => m.surface === 'مشيميس');
  const s2 = b.find((m) => m.surface === 'سمكة');
  assert.equal(u2?.location.admin1, 'Idlib');
  assert.ok(u2 && s2 && km(u2, s2.location.lat!, s2.location.lon!) > 0.3);
});

test('an adjective after a place noun is not a place; "سلمية" the adjective vs the town', { skip }, () => {
  const a = geoparse(
    normalize('سيطرت قوات النظام على 7 بلدات رئيسية في ريف إدلب الجنوبي، فيما قصفت الطائرات قرى جبلية ونائية في ريف اللاذقية الشمالي ونزح الأهالي من أحياء شعبية وقرى كردية في ريف الحسكة.'),
    full,
    { country: 'Syria' },
  );
  assert.deepEqual(a.filter((m) => m.kind !== 'region').map((m) => m.surface), []);
  // Real names in the same position still count.
  const b = geoparse(normalize('قصفت قوات النظام قرى حاس وكفرنبل والبارة بريف إدلب.'), full, { country: 'Syria' });
  assert.deepEqual(b.filter((m) => m.kind === 'gazetteer').map((m) => m.surface), ['حاس', 'كفرنبل', 'البارة']);
  // "وقفات احتجاجية سلمية" is peaceful; "مدينة سلمية" / "السلمية" is the town in Hama.
  const c = geoparse(normalize('نظم الأهالي وقفات احتجاجية سلمية في حين سقطت قذائف على مدينة سلمية شرق حماة.'), full, { country: 'Syria' });
  assert.deepEqual(c.filter((m) => m.surface === 'سلمية').map((m) => m.start > 30), [true]);
  assert.equal(c.find((m) => m.surface === 'سلمية')?.location.admin1, 'Hama');
  const d = geoparse(normalize('خرجت وقفة احتجاجية سلمية في السلمية.'), full, { country: 'Syria' });
  assert.deepEqual(d.map((m) => m.surface), ['السلمية']);
});

test('a list item whose only namesake is far from the phrase it hangs on is not placed there', { skip }, () => {
  // The gazetteer's only جوبر is near Homs; "شرق العاصمة دمشق" says this one is in Damascus.
  const ms = geoparse(normalize('تجددت الاشتباكات في حي جوبر شرق العاصمة دمشق.'), full, { country: 'Syria' });
  const j = ms.find((m) => m.surface === 'جوبر');
  assert.equal(j?.kind, 'context');
  assert.equal(j?.location.admin1, 'Damascus');
  assert.equal(j?.location.geo_precision, 3);
});

test('empty and odd input', { skip }, () => {
  assert.deepEqual(geoparse(normalize(''), full), []);
  assert.deepEqual(geoparse(normalize('... ، 123 !!'), full), []);
  assert.deepEqual(geoparse(normalize('محاور'), full), []);
  assert.deepEqual(geoparse(normalize('ريف'), full), []);
});

test('a namesake in another governorate than its sentence names is not used; verbal nouns are not villages', { skip }, () => {
  const text =
    'استهدفت طائرة مسيرة سيارة على طريق سرمدا - باب الهوى شمال إدلب. إلى ذلك، خرجت مظاهرات في عدة مناطق بريف حلب الشمالي تطالب بإسقاط النظام.';
  const ms = geoparse(normalize(text), full, { country: 'Syria' });
  // The gazetteer's only باب الهوى is in Homs: here it is an unknown place of Idlib.
  const bab = ms.find((m) => m.surface === 'باب الهوى');
  assert.equal(bab?.kind, 'context');
  assert.equal(bab?.location.admin1, 'Idlib');
  assert.equal(ms.find((m) => m.surface === 'سرمدا')?.location.admin1, 'Idlib');
  // "بإسقاط" (a village of that name exists in Idlib) is not a place in a sentence about Aleppo.
  assert.equal(ms.filter((m) => m.surface.includes('سقاط')).length, 0);
});

test('definite area word + direction + place: "الأحياء الشرقية لمدينة حلب", "الريف الشمالي لحماة"', { skip }, () => {
  const ms = geoparse(normalize('تصاعد القصف على الأحياء الشرقية لمدينة حلب وعلى الريف الشمالي لحماة.'), full, { country: 'Syria' });
  const east = ms.find((m) => m.surface === 'الأحياء الشرقية لمدينة حلب');
  assert.equal(east?.kind, 'relative');
  assert.equal(east?.direction, 'E');
  assert.equal(east?.location.geo_precision, 2);
  assert.ok(east!.location.lon! > 37.15, 'placed east of the centre');
  const rif = ms.find((m) => m.surface === 'الريف الشمالي لحماة');
  assert.equal(rif?.kind, 'region');
  assert.equal(rif?.location.admin1, 'Hama');
  assert.equal(rif?.direction, 'N');
});

test('joined and split spellings, governorate names that start with ريف, unknown neighbourhoods in a named city', { skip }, () => {
  // OCHA writes "كفر نبودة" and "كفر نبل"; reports write كفرنبودة, and sometimes كفر نبل apart.
  const a = geoparse(normalize('قصف على بلدة كفرنبودة في ريف حماة الشمالي وعلى كفر نبل.'), full, { country: 'Syria' });
  assert.equal(a.find((m) => m.surface === 'كفرنبودة')?.location.admin1, 'Hama');
  assert.equal(a.find((m) => m.surface === 'كفر نبل')?.location.admin1, 'Idlib');
  // "ريف دمشق" is the Rural Damascus governorate.
  const b = geoparse(normalize('غارات على منطقة الكسوة بريف دمشق.'), full, { country: 'Syria' });
  const rd = b.find((m) => m.surface === 'ريف دمشق');
  assert.equal(rd?.location.admin1, 'Rural Damascus');
  assert.equal(rd?.location.geo_precision, 3);
  assert.equal(b.find((m) => m.surface.endsWith('الكسوة'))?.location.admin1, 'Rural Damascus');
  // An unknown neighbourhood is placed at the city the sentence names.
  const c = geoparse(normalize('قتل مدني برصاص قناص في حي الشيخ مقصود بمدينة حلب.'), full, { country: 'Syria' });
  const sm = c.find((m) => m.surface === 'الشيخ مقصود');
  assert.equal(sm?.kind, 'context');
  assert.ok(sm && km(sm, 36.2, 37.16) < 10);
});

test('a bare name followed by a relative phrase takes the namesake on that side; squares and adjectives', { skip }, () => {
  // Three الرصافة (Idlib, Hama, Raqqa desert): "جنوب غربي الرقة" picks the Raqqa one.
  const a = geoparse(normalize('قتل راعيان بانفجار لغم في بادية الرصافة جنوب غربي الرقة.'), full, { country: 'Syria' });
  assert.equal(a.find((m) => m.surface === 'الرصافة')?.location.admin1, 'Raqqa');
  // "ساحة الكرامة وسط المدينة" is a square, not the town الكرامة in Raqqa; "سلمية" here means peaceful.
  const b = geoparse(normalize('نظم الأهالي وقفات احتجاجية سلمية في ساحة الكرامة وسط مدينة السويداء.'), full, { country: 'Syria' });
  assert.equal(b.filter((m) => m.location.admin1 === 'Raqqa' || m.location.admin1 === 'Hama').length, 0);
  assert.ok(b.some((m) => m.location.admin1 === 'As-Sweida'));
  // "حي سكني" is a residential neighbourhood, not a place called سكني.
  const c = geoparse(normalize('سقطت قذيفة على حي سكني شمالي مدينة حلب.'), full, { country: 'Syria' });
  assert.equal(c.filter((m) => m.surface === 'سكني').length, 0);
});

test('outside Syria: admin1 in ACLED spelling from the built-in gazetteer', () => {
  const g = loadGazetteer();
  const cases: [string, string, string][] = [
    ['قتل متظاهرون في مدينة الناصرية جنوبي العراق.', 'الناصرية', 'Thi-Qar'],
    ['سقطت قذيفة على حي سكني في مدينة تعز.', 'تعز', 'Taizz'],
    ['اشتباكات عنيفة في مدينة غريان جنوب طرابلس.', 'غريان', 'Jabal al Gharbi'],
    ['سيطرت قوات الدعم السريع على مدينة ود مدني.', 'ود مدني', 'Al Jazirah'],
    ['غارة على مدينة النبطية جنوب لبنان.', 'النبطية', 'Nabatieh'],
  ];
  for (const [text, place, admin1] of cases) {
    const m = geoparse(normalize(text), g, {}).find((x) => x.surface === place);
    assert.equal(m?.location.admin1, admin1, place);
    assert.equal(m?.location.geo_precision, 1, place);
  }
  // A governorate as such: "ولاية الخرطوم" is the region (precision 3).
  const k = geoparse(normalize('اشتباكات في ولاية الخرطوم.'), g, {}).find((x) => x.surface === 'ولاية الخرطوم');
  assert.equal(k?.location.admin1, 'Khartoum');
  assert.equal(k?.location.geo_precision, 3);
});

test('the article country keeps foreign village namesakes out; a bare word that fails its anchor is dropped', { skip }, () => {
  // The only دار السلام in the gazetteer is a village near Aleppo: in a Sudanese report it is a
  // neighbourhood we do not know, placed at the city of its sentence.
  const a = geoparse(normalize('قتل 22 شخصاً في غارة جوية استهدفت حي دار السلام في مدينة أم درمان.'), full, { country: 'Sudan' });
  const d = a.find((m) => m.surface === 'دار السلام');
  assert.equal(d?.kind, 'context');
  assert.equal(d?.location.iso, 'SD');
  assert.equal(d?.location.admin1, 'Khartoum');
  // An unknown landform keeps its word ("سهل البقيع"); "طريق عامودا – القامشلي بريف الحسكة الشمالي": both towns placed.
  const b = geoparse(normalize('استهدفت مسيرة سيارة على طريق عامودا – القامشلي بريف الحسكة الشمالي، وقصفت قرى في سهل البقيع.'), full, { country: 'Syria' });
  assert.equal(b.find((m) => m.surface === 'القامشلي')?.kind, 'gazetteer');
  assert.equal(b.find((m) => m.surface === 'القامشلي')?.location.admin1, 'Hasakeh');
  assert.ok(b.some((m) => m.surface === 'سهل البقيع' && m.kind === 'context'));
});

test('conflict towns cities500 lacks or names only in Latin (lexicon/cities-extra.tsv); compound names whole', () => {
  const g = loadGazetteer();
  const one = (text: string, country: string, surface: string) => {
    const ms = geoparse(normalize(text), g, { country });
    const m = ms.find((x) => x.surface === surface || x.surface.endsWith(surface));
    assert.ok(m, `${surface}: got ${ms.map((x) => x.surface).join(' | ')}`);
    return m;
  };
  const fasher = one('قصفت قوات الدعم السريع مدينة الفاشر عاصمة ولاية شمال دارفور بالمسيرات.', 'Sudan', 'الفاشر');
  assert.equal(fasher.location.admin1, 'North Darfur');
  assert.equal(fasher.location.geo_precision, 1);
  assert.ok(km(fasher, 13.63, 25.35) < 5);
  // "تل أبيب" is one name (not the hill near a place called أبيب), in Israel.
  const tla = one('أعلنت كتائب القسام قصف تل أبيب برشقة صاروخية ردا على المجازر في قطاع غزة.', 'Palestine', 'تل أبيب');
  assert.equal(tla.location.country, 'Israel');
  assert.ok(km(tla, 32.08, 34.78) < 5);
  // Jerusalem is a city of the gazetteer now; the armed faction "سرايا القدس" is not a place.
  const jen = geoparse(normalize('وأعلنت "كتيبة جنين" التابعة لـ"سرايا القدس" أن مقاتليها يخوضون اشتباكات ضارية مع القوات المقتحمة في المخيم.'), g, { country: 'Palestine' });
  assert.deepEqual(jen.filter((m) => m.surface.includes('القدس')).map((m) => m.surface), []);
  assert.ok(km(one('اقتحمت قوات الاحتلال المسجد الأقصى في القدس المحتلة فجر اليوم.', 'Palestine', 'القدس المحتلة'), 31.77, 35.23) < 5);
  const leb = geoparse(normalize('أطلق حزب الله صواريخ على مواقع للجيش الإسرائيلي في مزارع شبعا المحتلة، ورد الجيش الإسرائيلي بقصف مدفعي على أطراف بلدة الخيام.'), g, { country: 'Lebanon' });
  const shebaa = leb.find((m) => m.surface === 'مزارع شبعا');
  assert.equal(shebaa?.location.admin1, 'Nabatieh');
  assert.equal(shebaa?.location.geo_precision, 2);
  const khiam = leb.find((m) => m.surface.endsWith('الخيام'));
  assert.equal(khiam?.location.iso, 'LB');
  assert.ok(khiam && km(khiam, 33.33, 35.61) < 5);
  // "عين" alone (some hamlet abroad) is never the reading of "عين X"; a district after محور is not Iraq's صلاح الدين.
  const lby = geoparse(normalize('وفي جنوب طرابلس، تجددت الاشتباكات اليوم الخميس على محوري عين زارة وصلاح الدين، وسط قصف متبادل بالمدفعية الثقيلة.'), g, { country: 'Libya' });
  assert.deepEqual(lby.filter((m) => m.location.iso !== 'LY').map((m) => m.surface), []);
  assert.ok(lby.some((m) => m.surface === 'عين زارة' && m.location.admin1 === 'Tripoli' && m.location.geo_precision === 3));
  assert.equal(lby.find((m) => m.surface === 'صلاح الدين')?.location.admin1, 'Tripoli');
  // "خان X" the gazetteer lacks is one unknown name, not X somewhere else.
  const kz = geoparse(normalize('استشهد خمسة مواطنين في قصف إسرائيلي على منزل في حي خان الزيتون بمدينة خان يونس.'), g, { country: 'Palestine' });
  assert.ok(kz.some((m) => m.surface === 'خان الزيتون' && m.location.admin1 === 'Gaza Strip'), kz.map((m) => m.surface).join(' | '));
});

test('an unknown place takes the governorate of the place named before it, not one named later', () => {
  const g = loadGazetteer();
  const ms = geoparse(
    normalize('تقدمت قوات النظام في ريف حماة الشمالي الغربي. وهاجم عناصر التنظيم نقطة عسكرية في قرية تل ملح. وفي السويداء، قتل شاب برصاص مجهولين.'),
    g,
    { country: 'Syria' },
  );
  const t = ms.find((m) => m.surface === 'تل ملح');
  assert.equal(t?.location.admin1, 'Hama');
  assert.equal(t?.location.geo_precision, 3);
});

test('"أطراف البلدة" points back at the town, not at the governorate phrase after it', { skip }, () => {
  for (const [text, town, lat, lon] of [
    ['وعلى جبهة تل تمر شمال غربي الحسكة، اندلعت اشتباكات بين مقاتلي "قسد" وفصائل "الجيش الوطني السوري" على أطراف البلدة، عقب محاولة تسلل.', 'تل تمر', 36.66, 40.37],
    ['قصفت قوات النظام بلدة كفرنبل جنوب إدلب، واستهدفت أطراف البلدة بالرشاشات الثقيلة.', 'كفرنبل', 35.61, 36.56],
  ] as const) {
    const ms = geoparse(normalize(text), full, { country: 'Syria' });
    const a = ms.find((m) => m.surface === 'أطراف البلدة');
    assert.ok(a && km(a, lat, lon) < 5, `${town}: ${a?.location.name}`);
  }
});

test('casualty words and "red lines" are not villages; "بادية حماة الشرقية" is a region', { skip }, () => {
  const ms = geoparse(
    normalize('وفي بادية حماة الشرقية، قُتل رجلان وأصيب طفل بجروح بانفجار لغم أرضي في محيط بلدة السعن. وكانت الحكومة قد توعدت بمحاسبة كل من يتجاوز الخطوط الحمراء في ريف حماة.'),
    full,
    { country: 'Syria' },
  );
  assert.deepEqual(ms.filter((m) => /جروح|الحمراء/.test(m.surface)).map((m) => m.surface), []);
  const b = ms.find((m) => m.surface === 'بادية حماة الشرقية');
  assert.equal(b?.kind, 'region');
  assert.equal(b?.direction, 'E');
  assert.equal(b?.location.geo_precision, 2);
});

test('never throws on arbitrary text; spans always point into the text', () => {
  const g = loadGazetteer();
  const pieces = ['قرية', 'محاور', 'شمال', 'شرقي', 'ريف', 'الجنوبي', 'محيط', 'المدينة', 'مئات', 'الأمتار', 'عن', 'حلب', 'وإدلب', 'بحمص', '،', '.', '-', '(', '"', 'و', 'ال', 'محافظتي', 'قوات', 'سوريا', 'الديمقراطية', '12', 'abc', '\n', 'ـ', 'ً'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let n = 0; n < 300; n++) {
    const words: string[] = [];
    const len = Math.floor(rnd() * 25);
    for (let k = 0; k < len; k++) words.push(pieces[Math.floor(rnd() * pieces.length)]);
    const text = words.join(rnd() < 0.5 ? ' ' : '');
    const nt = normalize(text);
    for (const m of geoparse(nt, g, { country: rnd() < 0.5 ? 'Syria' : undefined })) {
      assert.ok(m.start >= 0 && m.end <= nt.text.length && m.start < m.end, text);
      assert.ok(text.includes(m.surface), text);
      assert.ok([1, 2, 3].includes(m.location.geo_precision));
    }
  }
});
