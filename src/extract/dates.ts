// Stage 3c: when. A date expression in the trigger's clause, else in its sentence, else the
// publication date (an unmarked present-tense report is news of the day; so is "خلال الساعات
// الـ24 الماضية"). A date well before the publication date makes the mention background.

import type { DateReading } from './deps.js';
import type { Frame } from './model.js';
import { within } from './analyze.js';

/** How far back a report's "news window" reaches (GUIDELINES: normally the last 1-7 days). */
const WINDOW_DAYS = 7;

function days(a: string, b: string): number {
  const ta = Date.parse(a.length === 7 ? a + '-01' : a.length === 4 ? a + '-01-01' : a);
  const tb = Date.parse(b);
  return (tb - ta) / 86400000;
}

function usableDate(d: DateReading): boolean {
  return !!d.date && !d.since && d.date.length >= 7;
}

export function attachDate(f: Frame, published: string | null): void {
  const p = f.part;
  const s = f.sentence;
  const cl = s.clauses[f.clause];
  const inClause = within(p.dates, cl.start, cl.end);
  const inSentence = within(p.dates, s.start, s.end);
  // History: a date (or "since" date) in the sentence that lies long before publication.
  if (published) {
    for (const d of inSentence) {
      if (!d.date) continue;
      // A period (a month, a year) is old only when it ended before the news window.
      // ("منذ مطلع العام": a period reaching back before the window is a running total or a
      // state of affairs, not the act of the day)
      const end = d.since ? d.date : d.end_date ?? d.date;
      const back = days(end, published);
      const old = end.length === 10 ? back > WINDOW_DAYS : end.length === 7 ? back > 31 + WINDOW_DAYS : back > 366 + WINDOW_DAYS;
      // (a date in a later clause counts when it is the date the act would take: see below)
      const taken = d === (inClause.find(usableDate) ?? inSentence.find(usableDate));
      if (old && (d.since || d.start < cl.end || taken)) {
        f.background = true;
        f.backgroundSpans.push({ start: d.start, end: d.end });
      }
    }
  }
  const d = inClause.find(usableDate) ?? inSentence.find(usableDate);
  // "وكانت طائرات روسية قد قصفت أمس ...": the pluperfect of a recent act (news style), not history.
  if (f.background && f.pluperfectOnly && d?.date && published && d.date.length === 10 && days(d.date, published) <= WINDOW_DAYS) {
    f.background = false;
    f.backgroundSpans = [];
  }
  if (d && d.date) {
    f.date = d.date.length === 7 ? d.date + '-01' : d.date.slice(0, 10);
    f.time_precision = d.date.length === 7 ? 3 : d.time_precision;
    f.dateSpans.push({ start: d.start, end: d.end });
  } else {
    f.date = published;
    f.time_precision = 1;
  }
}
