// Stage 3e: who reports it. The attribution in the frame's sentence governs it ("أفاد المرصد
// السوري أن ..."، "... وفق الأمم المتحدة"); an attribution that opens a paragraph carries
// through the paragraph; otherwise the outlet speaks in its own voice (null).

import type { Attribution } from './deps.js';
import type { NSpan, Part, Sentence } from './model.js';
import { within } from './analyze.js';

export interface SourceReading {
  name: string;
  name_en: string | null;
  span: NSpan;
}

function reading(a: Attribution): SourceReading {
  return { name: a.source.name_ar, name_en: a.source.name_en ?? null, span: { start: a.start, end: a.end } };
}

export function sourceFor(p: Part, s: Sentence, at: number): SourceReading | null {
  const inS = within(p.attributions, s.start, s.end);
  if (inS.length > 0) {
    // The nearest one before the act, else the first after it ("... وفق الأمم المتحدة").
    const before = inS.filter((a) => a.start <= at).pop();
    return reading(before ?? inS[0]);
  }
  // A paragraph opened by an attribution.
  const first = p.sentences.find((x) => x.paragraph === s.paragraph);
  if (first && first !== s) {
    const open = p.attributions.find((a) => a.start >= first.start && a.end <= first.end && a.start - first.start <= 40);
    if (open) return reading(open);
  }
  return null;
}
