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

export interface FigureReading {
  figure: Omit<Figure, 'evidence'>;
  spans: NSpan[];
  numberSpan: NSpan;
}

const KIND: Partial<Record<MarkerKind, FigureKind>> = { displaced: 'displaced', population: 'population', cumulative: 'killed_cumulative' };

export function readFigures(p: Part): FigureReading[] {
  const out: FigureReading[] = [];
  for (const n of p.numbers) {
    if (n.ordinal || (n as { fraction?: boolean }).fraction || n.value < 50) continue;
    const s = sentenceOf(p, n.start);
    if (!s) continue;
    const cl = s.clauses[clauseAt(s, n.start)];
    const ms = within(p.markers, cl.start, cl.end).filter((m) => m.values.some((v) => KIND[v]));
    if (ms.length === 0) continue;
    // Nearest marker; one before the number wins a tie ("تؤوي ثلاثة ملايين شخص نصفهم من النازحين").
    const dist = (m: { start: number; end: number }) => (m.end <= n.start ? n.start - m.end : (m.start - n.end) * 1.5);
    const m = ms.sort((a, b) => dist(a) - dist(b))[0];
    let kind = KIND[m.values.find((v) => KIND[v])!]!;
    // A cumulative word only makes a cumulative death toll when a killing word is there too.
    if (kind === 'killed_cumulative' && !p.markers.some((x) => x.start >= cl.start && x.end <= cl.end && x.values.includes('killed'))) kind = 'other';
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
