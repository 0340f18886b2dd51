// Figures that are not events: displaced people, population, cumulative tolls. A number in a
// clause with a displacement / population / cumulative word (lexicon/markers.tsv), nearest
// marker wins: "تؤوي ثلاثة ملايين شخص" -> population 3,000,000; "دفع التصعيد منذ كانون
// الأول/ديسمبر بنحو 350 ألف شخص إلى النزوح ... وفق الأمم المتحدة" -> displaced 350,000 since
// 2019-12, source الأمم المتحدة.

import type { Figure, FigureKind } from '../types.js';
import type { NSpan, Part } from './model.js';
import { clauseAt, sentenceOf, within } from './analyze.js';
import { sourceFor } from './sources.js';
import type { MarkerKind } from './lexicon.js';
import type { Hit } from './matcher.js';

export interface FigureReading {
  figure: Omit<Figure, 'evidence'>;
  spans: NSpan[];
  numberSpan: NSpan;
}

const KIND: Partial<Record<MarkerKind, FigureKind>> = { displaced: 'displaced', population: 'population', cumulative: 'killed_cumulative' };

export function readFigures(p: Part, published: string | null = null): FigureReading[] {
  const out: FigureReading[] = [];
  for (const n of p.numbers) {
    if (n.ordinal || (n as { fraction?: boolean }).fraction || n.value < 2) continue;
    // A year ("عام 2011") is no figure.
    if (n.value >= 1900 && n.value <= 2100 && n.kind === 'exact') continue;
    const s = sentenceOf(p, n.start);
    if (!s) continue;
    const cl = s.clauses[clauseAt(s, n.start)];
    let ms = within(p.markers, cl.start, cl.end).filter((m) => m.values.some((v) => KIND[v]));
    // A death toll over a period named anywhere before it in the sentence ("ومنذ اندلاع الحرب في 15
    // نيسان، قتل أكثر من 3 آلاف شخص", "ارتفاع حصيلة العدوان منذ السابع من تشرين الأول إلى 31,341
    // شهيداً"): a cumulative toll, whatever its size.
    // (the casualty word nearest the number must be a killing one: "40 قتيلاً و260 جريحاً"; and a
    // part of a toll after "بينهم" is no toll of its own)
    const gap = (m: { start: number; end: number }) => (m.start < n.start ? n.start - m.end : m.start - n.end);
    const casualty = within(p.markers, cl.start, cl.end).filter((m) => m.values.includes('killed') || m.values.includes('wounded')).sort((a, b) => gap(a) - gap(b))[0];
    const subset = within(p.markers, cl.start, n.start).some((m) => m.values.includes('subset'));
    const killedHere = casualty && casualty.values.includes('killed') && gap(casualty) <= 40 && !subset ? casualty : undefined;
    const sinceBefore = killedHere ? within(p.markers, s.start, n.start).find((m) => m.values.includes('cumulative')) ?? sincePhrase(p, s.start, n.start, published) ?? sinceAfter(p, n, cl.end, published) : undefined;
    if (ms.length === 0 && sinceBefore) ms = [sinceBefore];
    if (ms.length === 0) continue;
    // (small numbers are figures only as tolls over a period)
    if (n.value < 50 && !(killedHere && (sinceBefore || ms.some((m) => m.values.includes('cumulative'))))) continue;
    // Nearest marker; one before the number wins a tie ("تؤوي ثلاثة ملايين شخص نصفهم من النازحين").
    const dist = (m: { start: number; end: number }) => (m.end <= n.start ? n.start - m.end : (m.start - n.end) * 1.5);
    const m = ms.sort((a, b) => dist(a) - dist(b))[0];
    let kind = KIND[m.values.find((v) => KIND[v])!]!;
    // A cumulative word only makes a cumulative death toll when a killing word is there too.
    if (kind === 'killed_cumulative' && !p.markers.some((x) => x.start >= cl.start && x.end <= cl.end && x.values.includes('killed'))) kind = 'other';
    // "مئات الضربات الجوية منذ اندلاع النزاع": a vague count of something else is no figure.
    if (kind === 'other' && n.kind !== 'exact') continue;
    const place = p.places.find((x) => x.start >= cl.start && x.end <= cl.end) ?? p.places.find((x) => x.start >= s.start && x.end <= s.end && x.location.feature_class !== 'country');
    // "منذ كانون الأول", and "منذ بدء الهجوم في نيسان/أبريل الماضي"
    const sinceWord = p.nt.text.slice(cl.start, cl.end).indexOf('منذ');
    const since =
      p.dates.find((d) => d.since && d.start >= cl.start && d.end <= cl.end && d.date) ??
      (sinceWord >= 0 ? p.dates.find((d) => d.date && d.start > cl.start + sinceWord && d.start - (cl.start + sinceWord) < 40 && d.end <= cl.end) : undefined) ??
      // "ومنذ منتصف الشهر، نزح أكثر من 80 ألف شخص": a since-phrase opening the sentence
      p.dates.find((d) => d.since && d.date && d.start >= s.start && d.end <= n.start && d.start - s.start <= 12);
    const src = sourceFor(p, s, n.start);
    const spans: NSpan[] = [{ start: n.start, end: n.end }, { start: m.start, end: m.end }];
    if (place) spans.push({ start: place.start, end: place.end });
    if (since) spans.push({ start: since.start, end: since.end });
    if (src) spans.push(src.span);
    out.push({
      figure: {
        kind,
        value: n.value,
        value_kind: n.kind,
        place: place ? place.surface : null,
        since: since?.date ? since.date.slice(0, 7) : null,
        source: src?.name ?? null,
      },
      spans,
      numberSpan: { start: n.start, end: n.end },
    });
  }
  return out;
}

/** "منذ <date or event>" between a and b: the word منذ as a hit-like span. */
function sincePhrase(p: Part, a: number, b: number, published: string | null): Hit<MarkerKind> | undefined {
  const i = p.nt.text.slice(a, b).search(/(?:^|\s)[و]?منذ\s/);
  if (i < 0) return undefined;
  const start = a + p.nt.text.slice(a + i, b).indexOf('منذ') + i;
  // "منذ صباح اليوم": a period of today is the act's own time ("منذ الأربعاء" is a running total).
  const d = within(p.dates, start, Math.min(b, start + 40))[0];
  const back = d?.date && published ? (Date.parse(published) - Date.parse(d.date.length === 7 ? d.date + '-01' : d.date.slice(0, 10))) / 86400000 : NaN;
  if (d?.date && (!published || back === 0)) return undefined;
  // (a span only: no word indices are read from it)
  return { start, end: start + 3, values: ['cumulative'], first: -1, last: -1, prefix: '' };
}

/** "قتل أكثر من 350 شخصاً منذ انطلاق الاحتجاجات": منذ after the number, before any other number
 * (not "قتل 9 في اشتباكات اليوم، ما يرفع الحصيلة منذ الأربعاء إلى 40": that منذ is the 40's). */
function sinceAfter(p: Part, n: { end: number }, b: number, published: string | null): Hit<MarkerKind> | undefined {
  const next = p.numbers.find((x) => x.start >= n.end && x.start < b);
  return sincePhrase(p, n.end, next ? next.start : b, published);
}
