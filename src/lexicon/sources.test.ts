import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize, originalSlice } from '../text/normalize.js';
import { findSources, findAttributions, sourceEntries, type Attribution } from './sources.js';

const SEED_DIR = fileURLToPath(new URL('../../../shared/seed/', import.meta.url));
const SEED = readFileSync(SEED_DIR + readdirSync(SEED_DIR).filter((f) => f.endsWith('.txt')).sort()[0], 'utf8');

const atts = (s: string) => {
  const nt = normalize(s);
  return findAttributions(nt).map((a: Attribution) => ({
    text: originalSlice(nt, a.start, a.end),
    source: a.source.name_ar,
    via: a.via?.name_ar ?? null,
  }));
};

test('seed: every attribution of the article, with the source the gold credits', () => {
  const got = atts(SEED);
  const want: [string, string, string | null][] = [
    ['المرصد السوري لحقوق الإنسان إن', 'المرصد السوري لحقوق الإنسان', null],
    ['علم "المرصد السوري', 'المرصد السوري لحقوق الإنسان', null],
    ['وثق "المرصد السوري', 'المرصد السوري لحقوق الإنسان', null],
    ['وفق ما أفاد المرصد السوري لحقوق الإنسان', 'المرصد السوري لحقوق الإنسان', null],
    ['أفاد المرصد السوري', 'المرصد السوري لحقوق الإنسان', null],
    ['وفق المرصد', 'المرصد السوري لحقوق الإنسان', null],
    ['كتبت صحيفة الوطن المقربة من النظام السوري', 'صحيفة الوطن', null],
    ['نقلت وكالة الأنباء السورية (سانا) عن مصدر عسكري', 'مصدر عسكري', 'سانا'],
    ['وفق الأمم المتحدة', 'الأمم المتحدة', null],
  ];
  assert.deepEqual(
    got.map((g) => [g.text, g.source, g.via]),
    want,
  );
});

test('seed: source mentions, "(سانا)" read as part of the agency name', () => {
  const nt = normalize(SEED);
  const ms = findSources(nt);
  assert.ok(ms.some((m) => m.surface === 'وكالة الأنباء السورية (سانا)' && m.entry.name_ar === 'سانا'));
  assert.equal(ms.filter((m) => m.entry.id === 'sohr').length, 6);
  for (const m of ms) assert.equal(SEED.slice(nt.starts[m.start], nt.ends[m.end - 1]), m.surface);
});

test('relays: the quoted source is credited, the relay is via', () => {
  assert.deepEqual(atts('قال مصدر عسكري لوكالة سانا إن وحدات الجيش استعادت السيطرة على التلة'), [
    { text: 'قال مصدر عسكري لوكالة سانا', source: 'مصدر عسكري', via: 'سانا' },
  ]);
  assert.deepEqual(atts('وذكرت وكالة رويترز نقلاً عن مصادر أمنية عراقية أن انفجاراً وقع قرب كركوك'), [
    { text: 'ذكرت وكالة رويترز نقلاً عن مصادر أمنية عراقية', source: 'مصدر أمني', via: 'رويترز' },
  ]);
  assert.deepEqual(atts('بحسب ما أفادت مصادر محلية متطابقة لعنب بلدي، قتل شاب برصاص مجهولين'), [
    { text: 'بحسب ما أفادت مصادر محلية متطابقة لعنب بلدي', source: 'مصادر محلية', via: 'عنب بلدي' },
  ]);
});

test('other countries: agencies, ministries, UN bodies', () => {
  const cases: [string, string][] = [
    ['وأعلنت وزارة الدفاع الروسية، في بيان، أن طائراتها دمرت مستودعاً للذخيرة', 'وزارة الدفاع الروسية'],
    ['وقالت وزارة الصحة في غزة إن حصيلة القتلى ارتفعت', 'وزارة الصحة في غزة'],
    ['بحسب مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية (أوتشا) نزح أكثر من 20 ألف شخص', 'مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية'],
    ['أفادت شبكة أطباء السودان بمقتل 15 مدنياً في قصف مدفعي على الفاشر', 'شبكة أطباء السودان'],
    ['وذكرت وكالة الأنباء اليمنية (سبأ) أن غارات استهدفت الحديدة', 'سبأ'],
    ['وفقاً للمرصد السوري لحقوق الإنسان فإن الغارات أوقعت قتلى', 'المرصد السوري لحقوق الإنسان'],
    ['قالت الجزيرة إن الغارات استهدفت حي الشجاعية', 'الجزيرة'],
    ['وقال ناشطون إن قوات النظام قصفت البلدة', 'ناشطون'],
  ];
  for (const [s, name] of cases) {
    const a = atts(s);
    assert.equal(a.length, 1, `${s}: ${JSON.stringify(a)}`);
    assert.equal(a[0].source, name, s);
  }
});

test('weak source names and verbs without a source are not attributions', () => {
  // "الجزيرة" and "الميادين" are places here, not the channels.
  assert.deepEqual(findSources(normalize('وصلت التعزيزات إلى ولاية الجزيرة ومدينة الميادين')), []);
  assert.deepEqual(atts('وصلت التعزيزات إلى ولاية الجزيرة ومدينة الميادين'), []);
  // A verb whose subject is neither a source nor an armed actor.
  assert.deepEqual(atts('وأعلنت البلدية إغلاق الطرق المؤدية إلى السوق'), []);
  // Civilians and generic words are not parties speaking for themselves.
  assert.deepEqual(atts('وقال مدنيون إن القصف استمر طوال الليل'), []);
  // A source followed by a verb mid-sentence is not read backwards.
  assert.deepEqual(atts('وصل وفد من الأمم المتحدة قال إنه سيزور المخيم'), []);
});

test('lexicon: ids unique, every source has Arabic and English names', () => {
  const es = sourceEntries();
  assert.ok(es.length >= 50);
  assert.equal(new Set(es.map((e) => e.id)).size, es.length);
  for (const e of es) assert.ok(e.name_ar && e.name_en && e.kind, e.id);
});

test('an armed actor after a verb speaks for itself (kind party)', () => {
  const nt = normalize('وأعلن حزب الله في بيان أن مقاتليه استهدفوا تجمعاً لجنود العدو الإسرائيلي في محيط موقع المالكية');
  const a = findAttributions(nt, { country: 'Lebanon' });
  assert.equal(a.length, 1);
  assert.equal(a[0].source.kind, 'party');
  assert.equal(a[0].source.name_ar, 'حزب الله');
  assert.equal(a[0].source.name_en, 'Hezbollah');
  assert.equal(originalSlice(nt, a[0].start, a[0].end), 'أعلن حزب الله');
  const b = atts('وقالت قوات الدعم السريع إنها سيطرت على مقر الفرقة 16 في نيالا');
  assert.deepEqual(b.map((x) => x.source), ['قوات الدعم السريع']);
  // A named source still wins over the actor reading.
  assert.deepEqual(atts('وأعلن الجيش الإسرائيلي مقتل جندي').map((x) => x.source), ['الجيش الإسرائيلي']);
});
