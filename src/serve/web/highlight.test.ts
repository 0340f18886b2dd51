// pieces(): cutting an article's original text at evidence/mention spans for <mark> rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pieces, type Mark } from './highlight.js';

// From the seed report (AFP/SOHR, Idlib, 26 January 2020).
const text = 'وثق "المرصد السوري" مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام خلال المعارك';
const at = (s: string, from = 0) => {
  const i = text.indexOf(s, from);
  assert.ok(i >= 0, s);
  return { start: i, end: i + s.length };
};

test('plain text stays one piece; the pieces always rebuild the original text', () => {
  assert.deepEqual(pieces(text, []), [{ text, start: 0, end: text.length, marks: [] }]);
  const marks: Mark[] = [
    { ...at('مقتل'), kind: 'trigger' },
    { ...at('قوات النظام'), kind: 'actor' },
  ];
  const ps = pieces(text, marks);
  assert.equal(ps.map((p) => p.text).join(''), text);
  const marked = ps.filter((p) => p.marks.length);
  assert.deepEqual(marked.map((p) => [p.text, p.marks[0].kind]), [['مقتل', 'trigger'], ['قوات النظام', 'actor']]);
  for (const p of ps) assert.equal(text.slice(p.start, p.end), p.text);
});

test('overlapping and nested spans are split so every span stays visible, longest outermost', () => {
  const fatal = { ...at('مقتل 4 عناصر'), kind: 'fatalities' };
  const num = { ...at('4'), kind: 'number' };
  const ps = pieces(text, [num, fatal]);
  assert.equal(ps.map((p) => p.text).join(''), text);
  const inner = ps.find((p) => p.text === '4')!;
  assert.deepEqual(inner.marks.map((m) => m.kind), ['fatalities', 'number']);
  // The pieces covered by the fatalities span, together, are exactly its text.
  const covered = ps.filter((p) => p.marks.some((m) => m.kind === 'fatalities')).map((p) => p.text).join('');
  assert.equal(covered, 'مقتل 4 عناصر');
  // Partial overlap: "المعارضة و8" with "و8 عناصر".
  const a = { ...at('المعارضة و8'), kind: 'a' };
  const b = { ...at('و8 عناصر'), kind: 'b' };
  const ps2 = pieces(text, [a, b]);
  assert.deepEqual(ps2.filter((p) => p.marks.length).map((p) => [p.text, p.marks.map((m) => m.kind).sort().join('+')]), [
    ['المعارضة ', 'a'],
    ['و8', 'a+b'],
    [' عناصر', 'b'],
  ]);
});

test('bad spans (outside the text, empty, inverted, NaN) are clipped or dropped, never thrown', () => {
  const ps = pieces(text, [
    { start: -5, end: 3, kind: 'x' },
    { start: text.length - 2, end: text.length + 50, kind: 'y' },
    { start: 10, end: 10, kind: 'empty' },
    { start: 20, end: 12, kind: 'inverted' },
    { start: NaN, end: 4, kind: 'nan' },
  ]);
  assert.equal(ps.map((p) => p.text).join(''), text);
  assert.deepEqual(ps.filter((p) => p.marks.length).map((p) => p.marks[0].kind), ['x', 'y']);
  assert.equal(ps[0].text, text.slice(0, 3));
});

test('markup-looking text is just characters to pieces()', () => {
  const t = 'قصف <img src=x onerror=alert(1)> سراقب';
  const ps = pieces(t, [{ start: t.indexOf('<img'), end: t.indexOf('>') + 1, kind: 'x' }]);
  assert.equal(ps[1].text, '<img src=x onerror=alert(1)>');
});
