// Invariants of the whole text core on random Arabic-ish text (fast-check): nothing throws,
// every span is inside the text and slices back to its own text, spans are ordered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalize } from './normalize.js';
import { tokenize, cliticSplits } from './tokenize.js';
import { splitSentences, splitClauses } from './sentences.js';
import { readNumbers } from './numbers.js';
import { readDates } from './dates.js';

// Pieces real reports are made of, glued at random: words, digits, punctuation, separators.
const PIECES = [
  'قتل', 'مقتل', '4', 'و8', 'عناصر', 'الـ24', 'الساعات', 'الماضية', 'ثلاثة', 'ملايين', 'نحو', '350', 'ألف', 'أكثر', 'من',
  'كانون', 'الأول', '/', 'ديسمبر', 'نهاية', 'آب', 'أغسطس', 'منذ', 'عام', '2015', 'الأحد', 'أمس', 'يوم', 'عشرات', 'قتيلان',
  '.,', '.', '،', '؛', '؟', '!', '"', '«', '»', '(', ')', '-', ' ', ' ', ' ', '\n', '٣٥٠٬٠٠٠', '3.5', 'حلب.ولا', 'د.', 'U.S.',
  'تزامناً', 'مع', 'في', 'حين', 'بينما', 'ـ', 'ً', '26/1/2020', 'رمضان', '1441', 'هـ', 'بصرى', 'والحميرة', 'x', '😀',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));
const anyText = fc.oneof(text, fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

function checkSpans(t: string, spans: { start: number; end: number; text?: string }[], ordered = true) {
  let prev = 0;
  for (const s of spans) {
    assert.ok(s.start >= 0 && s.end <= t.length && s.start < s.end, `span ${s.start}-${s.end} in ${t.length}`);
    if (s.text !== undefined) assert.equal(t.slice(s.start, s.end), s.text);
    if (ordered) assert.ok(s.start >= prev, 'ordered');
    prev = s.end;
  }
}

test('text core invariants on random report-like text', () => {
  fc.assert(
    fc.property(anyText, (orig) => {
      const nt = normalize(orig);
      const t = nt.text;
      checkSpans(t, tokenize(t));
      checkSpans(orig, tokenize(orig));
      const ss = splitSentences(t);
      checkSpans(t, ss);
      for (const s of ss) {
        const cs = splitClauses(t, s);
        checkSpans(t, cs);
        for (const c of cs) assert.ok(c.start >= s.start && c.end <= s.end);
      }
      checkSpans(t, readNumbers(t));
      checkSpans(t, readDates(t, '2020-01-26'));
      checkSpans(t, readDates(t, null));
      for (const tok of tokenize(t))
        if (tok.kind === 'word') for (const c of cliticSplits(tok.text)) assert.equal(tok.text.slice(c.stemStart), c.stem);
    }),
    { numRuns: 400 },
  );
});
