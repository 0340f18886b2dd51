// Property-based tests (fast-check) over the whole extractor and the guards, on random
// report-like Arabic, hostile characters and plain random Unicode: no exception escapes, every
// offset lies inside its part, and every evidence span's text is exactly the original substring
// of the right part (title or text). The text core's own invariants are in src/text/properties.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extract } from '../../src/extract/index.js';
import { normalize, toOriginal } from '../../src/text/normalize.js';
import { readNumbers } from '../../src/text/numbers.js';
import { readDates } from '../../src/text/dates.js';
import { detectLanguage } from '../../src/text/language.js';
import { guardArticle } from '../../src/ingest/guard.js';
import type { Evidence, ExtractResult } from '../../src/types.js';

// Words and pieces real SOHR/SANA/AFP reports are made of, plus hostile characters.
const WORDS = [
  'قتل', 'مقتل', 'قصف', 'غارات', 'اشتباكات', 'استهدفت', 'طائرات', 'حربية', 'روسية', 'قوات', 'النظام', 'الفصائل', 'المعارضة',
  'هيئة', 'تحرير', 'الشام', 'المرصد', 'السوري', 'لحقوق', 'الإنسان', 'مدنيين', 'بينهم', 'أطفال', 'عناصر', 'من', 'في', 'على',
  'مدينة', 'بلدة', 'قرية', 'معرة', 'النعمان', 'سراقب', 'كفرنبل', 'حلب', 'إدلب', 'ريف', 'الجنوبي', 'شمال', 'شرقي', 'أمس',
  'الأحد', 'يوم', '26', 'كانون', 'الثاني', '2020', '3000', 'ثلاثة', 'عشرات', 'نحو', '٣٥', '123456789012345678901234567890',
  'وفق', 'بحسب', 'أفاد', 'وكالة', 'سانا', 'فرانس', 'برس', 'إصابة', 'جرحى', 'عبوة', 'ناسفة', 'انفجار', 'اغتيال', 'اعتقال',
];
const PUNCT = [' ', ' ', ' ', '، ', '. ', '.', '\n', '\n\n', '؛', '"', '«', '»', '(', ')', '-', '/', ':', '!', '؟'];
const HOSTILE = ['\u0000', '\u200f', '\u200c', '\u202e', '\ufeff', 'ـــ', 'ً', 'ّ', '\ud83d\ude00', '\ud800', '\r\n', '\t', '<script>', '&amp;', 'Ø§Ù', 'ط§ظ„', 'x'];
const piece = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...WORDS) }, { weight: 4, arbitrary: fc.constantFrom(...PUNCT) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) });
const report = fc.array(piece, { maxLength: 120 }).map((a) => a.join(' ').replace(/ {2,}/g, ' '));
const anyText = fc.oneof({ weight: 6, arbitrary: report }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) });
const dateArb = fc.oneof(fc.constant(null), fc.constant('2020-01-26'), fc.constant('3000-12-31'), fc.constant('not a date'), fc.constant('0001-01-01'));

function checkEvidence(where: string, ev: Evidence, title: string, text: string) {
  const src = ev.part === 'title' ? title : text;
  assert.ok(ev.part === 'title' || ev.part === 'text', `${where}: part ${ev.part}`);
  assert.ok(Number.isInteger(ev.start) && Number.isInteger(ev.end), `${where}: integer offsets`);
  assert.ok(ev.start >= 0 && ev.start < ev.end && ev.end <= src.length, `${where}: ${ev.start}-${ev.end} in ${src.length}`);
  assert.equal(src.slice(ev.start, ev.end), ev.text, `${where}: evidence text is the original substring`);
}

function checkResult(r: ExtractResult, title: string, text: string) {
  for (const e of r.events) {
    for (const [field, spans] of Object.entries(e.evidence)) for (const s of spans) checkEvidence(`event.${field}`, s, title, text);
    assert.ok(Number.isSafeInteger(e.fatalities) && e.fatalities >= 0 && e.fatalities <= 1_000_000, `fatalities ${e.fatalities}`);
    if (e.event_date) assert.match(e.event_date, /^\d{4}-\d{2}-\d{2}$/);
  }
  for (const f of r.figures) for (const s of f.evidence) checkEvidence('figure', s, title, text);
  for (const m of r.mentions) checkEvidence(`mention.${m.kind}`, m, title, text);
  assert.ok(Array.isArray(r.warnings));
}

test('extract(): no exception, offsets inside the part, evidence equals the original substring', () => {
  fc.assert(
    fc.property(anyText, fc.option(anyText, { nil: null }), dateArb, (text, title, date) => {
      const r = extract({ text, title, date });
      checkResult(r, title ?? '', text);
    }),
    { numRuns: 150 },
  );
});

test('normalize/toOriginal and the number and date readers: spans map back inside the original', () => {
  fc.assert(
    fc.property(anyText, (orig) => {
      const nt = normalize(orig);
      for (const n of readNumbers(nt.text)) {
        assert.ok(Number.isFinite(n.value) || n.value === Infinity, `value ${n.value}`);
        const o = toOriginal(nt, n.start, n.end);
        assert.ok(o.start >= 0 && o.start <= o.end && o.end <= orig.length, `number ${o.start}-${o.end} in ${orig.length}`);
      }
      for (const d of readDates(nt.text, '2020-01-26')) {
        if (d.date) assert.match(d.date, /^\d{4}(-\d{2}(-\d{2})?)?$/);
        const o = toOriginal(nt, d.start, d.end);
        assert.ok(o.start >= 0 && o.start <= o.end && o.end <= orig.length);
      }
    }),
    { numRuns: 300 },
  );
});

test('language detection and the ingest guard never throw and are consistent', () => {
  fc.assert(
    fc.property(anyText, fc.option(anyText, { nil: null }), (text, title) => {
      const g = detectLanguage(text);
      assert.ok(g.arabic >= 0 && g.arabic <= 1 && g.latin >= 0 && g.latin <= 1 && g.arabic + g.latin <= 1.0000001);
      const r = guardArticle({ text, title });
      assert.ok(r.article ? !r.error : !!r.error, 'either an article or an error');
      if (r.article) {
        assert.doesNotMatch(r.article.text, /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/);
        // What passes the guard goes through the extractor without throwing.
        checkResult(extract({ ...r.article, date: '2020-01-26' }), r.article.title ?? '', r.article.text);
      }
    }),
    { numRuns: 150 },
  );
});
