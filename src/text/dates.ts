// Date reader: Gregorian dates in the common Arabic forms, both month-name systems and
// their "كانون الثاني/يناير" combination, weekdays, relative expressions, "منذ ..." and
// Hijri dates, resolved against the publication date (GUIDELINES.md "Date").
//
// Runs on normalised (MATCHING) text, token-driven: one tokenize() pass and Map lookups.
// Calendar words live in lexicon/dates.tsv and lexicon/relative_dates.tsv.
//
// Resolution: a weekday is the most recent such day on or before the reference
// ("الأحد الماضي": strictly before; "المقبل": strictly after). A month or day without a
// year is the latest such month/day not after the reference. A month is precision 3 with
// date = its first day and end_date = its last day; "مطلع/منتصف/نهاية" narrow that to
// days 1-10 / 11-20 / 21-end (still precision 3). "منذ X" gives the start of X, since=true,
// end_date = the reference. Without a reference, whatever needs one has date null.

import type { TimePrecision } from '../types.js';
import { loadTable } from '../lexicon/table.js';
import { normalizeKey } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';
import { readNumbersInTokens } from './numbers.js';

export interface DateReading {
  start: number;
  end: number;
  text: string;
  kind: 'date' | 'month' | 'year' | 'weekday' | 'relative' | 'since' | 'range' | 'hijri';
  /** YYYY-MM-DD (first day of the period), or null when it cannot be resolved. */
  date: string | null;
  /** Last day of the period, when the reading is a period (month, year, range, since). */
  end_date?: string | null;
  time_precision: TimePrecision;
  since?: boolean;
}

type Part = 'start' | 'mid' | 'end';

interface MonthName {
  words: string[];
  value: number;
  hijri: boolean;
  needsContext: boolean;
}

interface Relative {
  words: string[];
  unit: 'day' | 'week' | 'month' | 'year';
  offset: number;
  precision: TimePrecision;
  needsPart: boolean;
}

interface Cal {
  months: Map<string, MonthName[]>;
  weekdays: Map<string, number>;
  dayOrdinals: Map<string, number>;
  parts: Map<string, Part>;
  yearWords: Set<string>;
  timeOfDay: Set<string>;
  since: Set<string>;
  hijriMarkers: Set<string>;
  past: Set<string>;
  next: Set<string>;
  current: Set<string>;
  relatives: Map<string, Relative[]>;
  /** Every word an expression can start with (after proclitics): a fast pre-filter. */
  starters: Set<string>;
}

let cal: Cal | null = null;

function calendar(): Cal {
  if (cal) return cal;
  const c: Cal = {
    months: new Map(),
    weekdays: new Map(),
    dayOrdinals: new Map(),
    parts: new Map(),
    yearWords: new Set(),
    timeOfDay: new Set(),
    since: new Set(),
    hijriMarkers: new Set(),
    past: new Set(),
    next: new Set(),
    current: new Set(),
    relatives: new Map(),
    starters: new Set(['قبل', 'شهر']),
  };
  for (const r of loadTable('dates.tsv')) {
    const f = normalizeKey(r.form);
    switch (r.type) {
      case 'month':
      case 'hijri-month': {
        const words = f.split(' ');
        const m: MonthName = { words, value: Number(r.value), hijri: r.type === 'hijri-month', needsContext: r.context === 'needs' };
        const list = c.months.get(words[0]) ?? [];
        list.push(m);
        list.sort((a, b) => b.words.length - a.words.length);
        c.months.set(words[0], list);
        break;
      }
      case 'weekday':
        c.weekdays.set(f, Number(r.value));
        break;
      case 'day-ordinal':
        c.dayOrdinals.set(f, Number(r.value));
        break;
      case 'part':
        c.parts.set(f, r.value as Part);
        break;
      case 'year-word':
        c.yearWords.add(f);
        break;
      case 'time-of-day':
        c.timeOfDay.add(f);
        break;
      case 'since':
        c.since.add(f);
        break;
      case 'hijri-marker':
        c.hijriMarkers.add(f);
        break;
      case 'past':
        c.past.add(f);
        break;
      case 'next':
        c.next.add(f);
        break;
      case 'current':
        c.current.add(f);
        break;
    }
  }
  for (const r of loadTable('relative_dates.tsv')) {
    // "الساعات الـ# الماضية" -> tokens, "#" = any number
    const words = tokenize(normalizeKey(r.phrase)).map((t) => t.text);
    const rel: Relative = {
      words,
      unit: r.unit as Relative['unit'],
      offset: Number(r.offset),
      precision: Number(r.precision) as TimePrecision,
      needsPart: r.needs === 'part',
    };
    const list = c.relatives.get(words[0]) ?? [];
    list.push(rel);
    list.sort((a, b) => b.words.length - a.words.length);
    c.relatives.set(words[0], list);
  }
  for (const k of [c.months.keys(), c.weekdays.keys(), c.dayOrdinals.keys(), c.parts.keys(), c.yearWords, c.timeOfDay, c.since, c.relatives.keys()])
    for (const w of k) c.starters.add(w);
  cal = c;
  return c;
}

// ---------------------------------------------------------------------------------------
// Day arithmetic on UTC day numbers.

type Ymd = { y: number; m: number; d: number };

function dayNum(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / 86400000);
}
function fromDayNum(n: number): Ymd {
  const dt = new Date(n * 86400000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}
function iso(n: number): string {
  const { y, m, d } = fromDayNum(n);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export class DateRefError extends Error {}

/** "YYYY-MM-DD" ("2020-1-5" and a longer timestamp are accepted); null/empty = no reference. */
function parseRef(ref: string | null | undefined): number | null {
  if (!ref) return null;
  const day = ref.trim().split(/[T ]/, 1)[0];
  const parts = day.split('-');
  const [y, m, d] = parts.map(Number);
  if (parts.length !== 3 || parts[0].length !== 4 || !Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || !validDay(y, m, d))
    throw new DateRefError(`reference date must be YYYY-MM-DD, got ${JSON.stringify(ref)}`);
  return dayNum(y, m, d);
}

// Hijri -> Gregorian: the tabular (arithmetic) calendar gives a first guess, then the
// Umm al-Qura calendar of Intl (when Node has full ICU) picks the exact day nearby.
const EPOCH_ISLAMIC = 1948439.5;
function hijriTabular(y: number, m: number, d: number): number {
  const jd = d + Math.ceil(29.5 * (m - 1)) + (y - 1) * 354 + Math.floor((3 + 11 * y) / 30) + EPOCH_ISLAMIC - 1;
  return Math.floor(jd - 2440587.5 + 0.5);
}
let hijriFmt: Intl.DateTimeFormat | null | undefined;
function hijriOf(n: number): Ymd | null {
  if (hijriFmt === undefined) {
    try {
      hijriFmt = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
      if (hijriFmt.resolvedOptions().calendar !== 'islamic-umalqura') hijriFmt = null;
    } catch {
      hijriFmt = null;
    }
  }
  if (!hijriFmt) return null;
  const parts = hijriFmt.formatToParts(new Date(n * 86400000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}
export function hijriToGregorian(y: number, m: number, d: number): string {
  const guess = hijriTabular(y, m, d);
  for (const delta of [0, -1, 1, -2, 2, -3, 3]) {
    const h = hijriOf(guess + delta);
    if (!h) break;
    if (h.y === y && h.m === m && h.d === d) return iso(guess + delta);
  }
  return iso(guess);
}

// ---------------------------------------------------------------------------------------
// Matching.

const WAW = 0x0648;
const FA = 0x0641;
const BA = 0x0628;
const LAM = 0x0644;
const KAF = 0x0643;

/** Offsets at which a word may start after proclitics: "وكانون" "بكانون" "ومنذ" "للعام". */
function stems(w: string): number[] {
  const out = [0];
  const c0 = w.charCodeAt(0);
  let p = 0;
  if (c0 === WAW || c0 === FA) {
    p = 1;
    if (w.length > 3) out.push(1);
  }
  const c1 = w.charCodeAt(p);
  if ((c1 === BA || c1 === LAM || c1 === KAF) && w.length - p > 3) out.push(p + 1);
  return out;
}

/** A matched expression before resolution into a DateReading. */
interface Match {
  start: number;
  last: number; // index of the last token used
  kind: DateReading['kind'];
  date: string | null;
  end_date?: string | null;
  precision: TimePrecision;
  since?: boolean;
}

interface Ctx {
  text: string;
  toks: Token[];
  ref: number | null;
  c: Cal;
}

const isNum = (t: Token | undefined): t is Token => !!t && t.kind === 'number';
const numVal = (t: Token) => Number(t.text);
const isYearTok = (t: Token | undefined): t is Token =>
  isNum(t) && t.text.length === 4 && numVal(t) >= 1900 && numVal(t) <= 2100;
const isDayTok = (t: Token | undefined): boolean => isNum(t) && t.text.length <= 2 && numVal(t) >= 1 && numVal(t) <= 31;
const punctIs = (t: Token | undefined, s: string) => !!t && t.kind === 'punct' && t.text === s;

/** Month name at token i (possibly after a proclitic), with an optional "/other name" or "(other name)". */
function monthAt(x: Ctx, i: number): { value: number; hijri: boolean; at: number; last: number; needsContext: boolean; paired: boolean } | null {
  const t = x.toks[i];
  if (!t || t.kind !== 'word') return null;
  for (const at of stems(t.text)) {
    const list = x.c.months.get(t.text.slice(at));
    if (!list) continue;
    for (const m of list) {
      let ok = true;
      for (let k = 1; k < m.words.length; k++) {
        const tk = x.toks[i + k];
        if (!tk || tk.text !== m.words[k]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      let last = i + m.words.length - 1;
      let paired = false;
      // "كانون الأول/ديسمبر", "ديسمبر (كانون الأول)"
      const sep = x.toks[last + 1];
      if (punctIs(sep, '/') || punctIs(sep, '(') || punctIs(sep, '-')) {
        const other = monthAt(x, last + 2);
        if (other && other.value === m.value && other.hijri === m.hijri && other.at === 0) {
          last = other.last;
          paired = true;
          if (punctIs(sep, '(') && punctIs(x.toks[last + 1], ')')) last++;
        }
      }
      return { value: m.value, hijri: m.hijri, at, last, needsContext: m.needsContext, paired };
    }
  }
  return null;
}

/** Words that make an ambiguous month word ("آب" = father, "مارس" = practised) a month. */
const TIME_PREPOSITIONS = new Set(['في', 'خلال', 'منذ', 'حتي', 'قبل', 'بعد', 'وفي', 'ومنذ', 'مطلع']);

/** The latest (y, m) not after the reference. */
function latestMonth(ref: number | null, m: number): number | null {
  if (ref === null) return null;
  const r = fromDayNum(ref);
  return r.m >= m ? r.y : r.y - 1;
}

function partWindow(y: number, m: number, part: Part | null): [number, number] {
  const dim = daysInMonth(y, m);
  if (part === 'start') return [dayNum(y, m, 1), dayNum(y, m, 10)];
  if (part === 'mid') return [dayNum(y, m, 11), dayNum(y, m, 20)];
  if (part === 'end') return [dayNum(y, m, 21), dayNum(y, m, dim)];
  return [dayNum(y, m, 1), dayNum(y, m, dim)];
}

/** Optional year after a month: "2020", "من العام 2020", "عام 2020". */
function yearAfter(x: Ctx, i: number): { y: number; last: number } | null {
  let j = i;
  if (x.toks[j]?.text === 'من') j++;
  if (x.toks[j] && x.c.yearWords.has(x.toks[j].text)) j++;
  const t = x.toks[j];
  if (isYearTok(t)) return { y: numVal(t), last: j };
  return null;
}

function hijriYearAfter(x: Ctx, i: number): { y: number; last: number } | null {
  const t = x.toks[i];
  if (!isNum(t) || t.text.length > 4) return null;
  const y = numVal(t);
  if (y < 1 || y > 1600) return null;
  let last = i;
  if (x.toks[i + 1] && x.c.hijriMarkers.has(x.toks[i + 1].text)) last = i + 1;
  return { y, last };
}

/** "26 كانون الثاني/يناير 2020", "26 من يناير", ranges "بين 1 و5 يناير", Hijri "15 رمضان 1441 هـ". */
function dayMonth(x: Ctx, i: number): Match | null {
  const t = x.toks[i];
  if (!t) return null;
  let d1: number;
  let d2 = -1;
  let j = i + 1;
  if (isDayTok(t)) {
    d1 = numVal(t);
    // range: D1 (- | و | إلى | حتى) D2 month
    const sep = x.toks[j];
    if (sep && (punctIs(sep, '-') || sep.text === 'و' || sep.text === 'الي' || sep.text === 'حتي') && isDayTok(x.toks[j + 1])) {
      d2 = numVal(x.toks[j + 1]);
      j += 2;
    }
    if (x.toks[j]?.text === 'من') j++;
  } else {
    // "الأول من كانون الأول/ديسمبر": an ordinal day needs its "من"
    const od = (t as Token).kind === 'word' ? x.c.dayOrdinals.get((t as Token).text) : undefined;
    if (od === undefined || x.toks[j]?.text !== 'من') return null;
    d1 = od;
    j++;
  }
  const mo = monthAt(x, j);
  if (!mo || mo.at !== 0) return null;
  let last = mo.last;
  let start = t.start;
  if (mo.hijri) {
    const hy = hijriYearAfter(x, last + 1);
    let y: number | null = null;
    if (hy) {
      y = hy.y;
      last = hy.last;
    } else if (x.ref !== null) {
      const h = hijriOf(x.ref);
      if (h) y = h.m > mo.value || (h.m === mo.value && h.d >= d1) ? h.y : h.y - 1;
    }
    return { start, last, kind: 'hijri', date: y !== null ? hijriToGregorian(y, mo.value, d1) : null, precision: 1 };
  }
  const ya = yearAfter(x, last + 1);
  let y: number | null;
  if (ya) {
    y = ya.y;
    last = ya.last;
  } else if (x.ref !== null) {
    if (x.toks[last + 1] && (x.c.past.has(x.toks[last + 1].text) || x.c.current.has(x.toks[last + 1].text))) last++; // "26 نيسان الماضي"
    const r = fromDayNum(x.ref);
    y = r.m > mo.value || (r.m === mo.value && r.d >= d1) ? r.y : r.y - 1;
  } else y = null;
  if (d2 > 0) {
    const prev = x.toks[i - 1];
    if (prev && (prev.text === 'بين' || prev.text === 'من' || prev.text === 'مابين')) start = prev.start;
    if (y === null || !validDay(y, mo.value, d1) || !validDay(y, mo.value, d2) || d2 < d1)
      return { start, last, kind: 'range', date: null, end_date: null, precision: 1 };
    const span = d2 - d1;
    return { start, last, kind: 'range', date: iso(dayNum(y, mo.value, d1)), end_date: iso(dayNum(y, mo.value, d2)), precision: span <= 0 ? 1 : span <= 7 ? 2 : 3 };
  }
  if (y !== null && !validDay(y, mo.value, d1)) return null;
  return { start, last, kind: 'date', date: y === null ? null : iso(dayNum(y, mo.value, d1)), precision: 1 };
}

/** "26/1/2020", "26-1-2020", "2020-01-26", "2020/1/26" (tokens glued together). */
function numericDate(x: Ctx, i: number): Match | null {
  const a = x.toks[i];
  const s1 = x.toks[i + 1];
  const b = x.toks[i + 2];
  const s2 = x.toks[i + 3];
  const c = x.toks[i + 4];
  if (!isNum(a) || !isNum(b) || !isNum(c) || !s1 || !s2) return null;
  if (s1.kind !== 'punct' || s2.kind !== 'punct' || s1.text !== s2.text || (s1.text !== '/' && s1.text !== '-' && s1.text !== '.')) return null;
  if (a.end !== s1.start || s1.end !== b.start || b.end !== s2.start || s2.end !== c.start) return null;
  let y: number, m: number, d: number;
  if (a.text.length === 4) [y, m, d] = [numVal(a), numVal(b), numVal(c)];
  else if (c.text.length === 4) [d, m, y] = [numVal(a), numVal(b), numVal(c)];
  else return null;
  if (y < 1900 || y > 2100 || !validDay(y, m, d)) return null;
  return { start: a.start, last: i + 4, kind: 'date', date: iso(dayNum(y, m, d)), precision: 1 };
}

/** "كانون الأول/ديسمبر", "يناير 2020", "نهاية آب/أغسطس" (part given), Hijri "رمضان 1441 هـ". */
function monthExpr(x: Ctx, i: number, part: Part | null, context: boolean): Match | null {
  let j = i;
  let hadShahr = false;
  if (x.toks[j] && (x.toks[j].text === 'شهر' || x.toks[j].text === 'لشهر' || x.toks[j].text === 'بشهر')) {
    hadShahr = true;
    j++;
  }
  const mo = monthAt(x, j);
  if (!mo) return null;
  const start = x.toks[j].start + mo.at;
  let last = mo.last;
  if (mo.hijri) {
    const hy = hijriYearAfter(x, last + 1);
    if (!hy && !hadShahr && !context) return null;
    if (hy && !(hy.last > last + 1) && !hadShahr && mo.needsContext) {
      // "صفر 2" is not a month: a Hijri year needs its marker here
      return null;
    }
    let y: number | null = null;
    if (hy) {
      y = hy.y;
      last = hy.last;
    } else if (x.ref !== null) {
      const h = hijriOf(x.ref);
      if (h) y = h.m >= mo.value ? h.y : h.y - 1;
    }
    let date: string | null = null;
    let end: string | null = null;
    if (y !== null) {
      date = hijriToGregorian(y, mo.value, 1);
      const nextStart = mo.value === 12 ? hijriToGregorian(y + 1, 1, 1) : hijriToGregorian(y, mo.value + 1, 1);
      end = iso(dayNum(+nextStart.slice(0, 4), +nextStart.slice(5, 7), +nextStart.slice(8, 10)) - 1);
    }
    return { start: hadShahr ? x.toks[i].start : start, last, kind: 'hijri', date, end_date: end, precision: 3 };
  }
  const ya = yearAfter(x, last + 1);
  if (mo.needsContext && !ya && !mo.paired && !hadShahr && !context) {
    // "في آب", "خلال تموز", "نيسان الماضي": a preposition of time before, or a marker after
    const prev = x.toks[j - 1];
    const nx = x.toks[last + 1];
    const before = !!prev && mo.at === 0 && TIME_PREPOSITIONS.has(prev.text);
    const after = !!nx && (x.c.past.has(nx.text) || x.c.current.has(nx.text));
    if (!before && !after) return null;
  }
  let y: number | null;
  if (ya) {
    y = ya.y;
    last = ya.last;
  } else {
    if (x.toks[last + 1] && (x.c.past.has(x.toks[last + 1].text) || x.c.current.has(x.toks[last + 1].text))) last++; // "كانون الأول الماضي"
    y = latestMonth(x.ref, mo.value);
  }
  const s = hadShahr ? x.toks[i].start : start;
  if (y === null) return { start: s, last, kind: 'month', date: null, end_date: null, precision: 3 };
  const [a, b] = partWindow(y, mo.value, part);
  return { start: s, last, kind: 'month', date: iso(a), end_date: iso(b), precision: 3 };
}

/** "في العام 2015", "عام 2015", "بين عامي 2015 و2018", "1441 هـ". */
function yearExpr(x: Ctx, i: number, part: Part | null): Match | null {
  const t = x.toks[i];
  if (!t) return null;
  if (t.kind === 'word' && stems(t.text).some((at) => x.c.yearWords.has(t.text.slice(at)))) {
    const at = stems(t.text).find((a) => x.c.yearWords.has(t.text.slice(a)))!;
    const yt = x.toks[i + 1];
    if (isYearTok(yt)) {
      const y = numVal(yt);
      // "عامي 2015 و2018"
      if (x.toks[i + 2]?.text === 'و' && isYearTok(x.toks[i + 3]) && numVal(x.toks[i + 3]) > y) {
        const prev = x.toks[i - 1];
        const start = prev && prev.text === 'بين' ? prev.start : t.start + at;
        return { start, last: i + 3, kind: 'range', date: `${y}-01-01`, end_date: `${numVal(x.toks[i + 3])}-12-31`, precision: 3 };
      }
      return yearMatch(t.start + at, i + 1, y, part);
    }
    // Hijri year with its marker: "عام 1441 هـ"
    const hy = hijriYearAfter(x, i + 1);
    if (hy && hy.last > i + 1) return { start: t.start + at, last: hy.last, kind: 'hijri', date: hijriToGregorian(hy.y, 1, 1), precision: 3 };
    return null;
  }
  if (isNum(t)) {
    const hy = hijriYearAfter(x, i);
    if (hy && hy.last > i && t.text.length >= 3) return { start: t.start, last: hy.last, kind: 'hijri', date: hijriToGregorian(hy.y, 1, 1), precision: 3 };
    // a bare year only after منذ or a part word ("منذ 2011", "منتصف 2019"): caller passes part/context
    if (isYearTok(t) && part !== null) return yearMatch(t.start, i, numVal(t), part);
  }
  return null;
}

function yearMatch(start: number, last: number, y: number, part: Part | null): Match {
  let a = dayNum(y, 1, 1);
  let b = dayNum(y, 12, 31);
  if (part === 'start') b = dayNum(y, 4, 30);
  else if (part === 'mid') [a, b] = [dayNum(y, 5, 1), dayNum(y, 8, 31)];
  else if (part === 'end') a = dayNum(y, 9, 1);
  return { start, last, kind: 'year', date: iso(a), end_date: iso(b), precision: 3 };
}

/** "الأحد", "يوم الأحد", "الأحد الماضي", "الأحد 26 كانون الثاني" (the date wins). */
function weekdayExpr(x: Ctx, i: number): Match | null {
  const t = x.toks[i];
  if (!t || t.kind !== 'word') return null;
  for (const at of stems(t.text)) {
    const wd = x.c.weekdays.get(t.text.slice(at));
    if (wd === undefined) continue;
    const start = t.start + at;
    // a full date right after: "الأحد 26 كانون الثاني/يناير 2020"
    let k = i + 1;
    if (punctIs(x.toks[k], '،') || punctIs(x.toks[k], ',')) k++;
    const dm = dayMonth(x, k) ?? numericDate(x, k);
    if (dm && dm.kind === 'date') return { ...dm, start };
    let last = i;
    let mode: 'onOrBefore' | 'before' | 'after' = 'onOrBefore';
    const nx = x.toks[i + 1];
    if (nx && x.c.past.has(nx.text)) {
      mode = 'before';
      last = i + 1;
    } else if (nx && x.c.next.has(nx.text)) {
      mode = 'after';
      last = i + 1;
    }
    if (x.ref === null) return { start, last, kind: 'weekday', date: null, precision: 1 };
    const refDow = new Date(x.ref * 86400000).getUTCDay();
    let n: number;
    if (mode === 'after') n = x.ref + (((wd - refDow + 7) % 7) || 7);
    else {
      let back = (refDow - wd + 7) % 7;
      if (mode === 'before' && back === 0) back = 7;
      n = x.ref - back;
    }
    return { start, last, kind: 'weekday', date: iso(n), precision: 1 };
  }
  return null;
}

/** Relative phrases from lexicon/relative_dates.tsv ("أمس", "الأسبوع الماضي", "الساعات الـ24 الماضية"). */
function relativeExpr(x: Ctx, i: number, part: Part | null): Match | null {
  const t = x.toks[i];
  if (!t || t.kind !== 'word') return null;
  for (const at of stems(t.text)) {
    const list = x.c.relatives.get(t.text.slice(at));
    if (!list) continue;
    for (const r of list) {
      if (r.needsPart && part === null) continue;
      let ok = true;
      for (let k = 1; k < r.words.length; k++) {
        const tk = x.toks[i + k];
        const w = r.words[k];
        if (!tk || (w === '#' ? tk.kind !== 'number' : tk.text !== w)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const last = i + r.words.length - 1;
      // "اليوم الـ24 من الهجوم" / "اليوم الثاني": a day count, not today
      if (r.unit === 'day' && r.words.length === 1) {
        const nx = x.toks[i + 1];
        if (nx && (nx.text === 'ال' || nx.text === 'الـ' || /^ال(اول|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)/.test(nx.text))) continue;
      }
      return resolveRelative(x, t.start + at, last, r, part);
    }
  }
  return null;
}

function resolveRelative(x: Ctx, start: number, last: number, r: Relative, part: Part | null): Match {
  if (x.ref === null) return { start, last, kind: 'relative', date: null, precision: r.precision };
  const ref = fromDayNum(x.ref);
  switch (r.unit) {
    case 'day':
      return { start, last, kind: 'relative', date: iso(x.ref + r.offset), precision: 1 };
    case 'week': {
      // the week counted back from the reference: [ref-7, ref-1] for "الأسبوع الماضي"
      if (r.offset === 0 && part === 'start') return { start, last, kind: 'relative', date: iso(x.ref - 6), end_date: iso(x.ref), precision: 2 };
      const a = x.ref + 7 * r.offset;
      return { start, last, kind: 'relative', date: iso(r.offset === 0 ? x.ref - 6 : a), end_date: iso(r.offset === 0 ? x.ref : a + 6), precision: 2 };
    }
    case 'month': {
      let y = ref.y;
      let m = ref.m + r.offset;
      while (m < 1) {
        m += 12;
        y--;
      }
      while (m > 12) {
        m -= 12;
        y++;
      }
      const [a, b] = partWindow(y, m, part);
      return { start, last, kind: 'relative', date: iso(a), end_date: iso(b), precision: 3 };
    }
    case 'year': {
      const y = ref.y + r.offset;
      const ym = yearMatch(start, last, y, part);
      return { ...ym, kind: 'relative' };
    }
  }
}

/** "قبل يومين", "قبل 3 أيام", "قبل أسبوع", "قبل شهرين". */
function agoExpr(x: Ctx, i: number): Match | null {
  const t = x.toks[i];
  if (!t || t.kind !== 'word') return null;
  const at = stems(t.text).find((a) => t.text.slice(a) === 'قبل' || t.text.slice(a) === 'منذ');
  if (at === undefined) return null;
  const start = t.start + at;
  const nx = x.toks[i + 1];
  if (!nx) return null;
  const units: Record<string, [number, TimePrecision]> = {
    يوم: [1, 1], يومين: [2, 1], ايام: [1, 1], اسبوع: [7, 2], اسبوعين: [14, 2], اسابيع: [7, 2],
    شهر: [30, 3], شهرين: [60, 3], اشهر: [30, 3], شهور: [30, 3],
  };
  let n = 1;
  let j = i + 1;
  if (!(nx.text in units)) {
    const nums = readNumbersInTokens(x.text, x.toks.slice(i + 1, i + 4));
    if (nums.length === 0 || nums[0].start !== nx.start || nums[0].kind !== 'exact' || nums[0].ordinal) return null;
    n = nums[0].value;
    while (j < x.toks.length && x.toks[j].end <= nums[0].end) j++;
  }
  const u = x.toks[j];
  if (!u || !(u.text in units)) return null;
  const [days, precision] = units[u.text];
  const count = u.text.endsWith('ين') ? 1 : n;
  if (x.ref === null) return { start, last: j, kind: 'relative', date: null, precision };
  return { start, last: j, kind: 'relative', date: iso(x.ref - count * days), precision };
}

/** Any expression at token i (without the منذ/time-of-day/part prefixes). */
function core(x: Ctx, i: number, part: Part | null, context: boolean): Match | null {
  return (
    numericDate(x, i) ??
    dayMonth(x, i) ??
    monthExpr(x, i, part, context || part !== null) ??
    yearExpr(x, i, part) ??
    weekdayExpr(x, i) ??
    relativeExpr(x, i, part)
  );
}

function isStarter(c: Cal, w: string): boolean {
  if (c.starters.has(w)) return true;
  const c0 = w.charCodeAt(0);
  let p = 0;
  if (c0 === WAW || c0 === FA) {
    p = 1;
    if (c.starters.has(w.slice(1))) return true;
  }
  const c1 = w.charCodeAt(p);
  return (c1 === BA || c1 === LAM || c1 === KAF) && c.starters.has(w.slice(p + 1));
}

function matchAt(x: Ctx, i: number): Match | null {
  const t = x.toks[i];
  if (t.kind !== 'word' && t.kind !== 'number') return null;
  if (t.kind === 'word') {
    if (!isStarter(x.c, t.text)) return null;
    // Whole relative phrases first: "أول أمس" is not the part word "أول" + "أمس".
    const rel = relativeExpr(x, i, null);
    if (rel) return rel;
    for (const at of stems(t.text)) {
      const w = t.text.slice(at);
      // "منذ كانون الأول/ديسمبر", "منذ مطلع الشهر", "منذ عام 2011", "منذ 2011"
      if (x.c.since.has(w)) {
        let j = i + 1;
        let part: Part | null = null;
        const pw = x.toks[j];
        if (pw && x.c.parts.has(pw.text)) {
          part = x.c.parts.get(pw.text)!;
          j++;
        }
        const yt = x.toks[j];
        const inner = core(x, j, part, true) ?? (isYearTok(yt) ? yearMatch(yt.start, j, numVal(yt), null) : null);
        if (inner && inner.kind !== 'weekday') {
          return {
            start: t.start + at,
            last: inner.last,
            kind: 'since',
            date: inner.date,
            end_date: x.ref === null ? null : iso(x.ref),
            precision: inner.precision,
            since: true,
          };
        }
        const ago = agoExpr(x, i);
        if (ago) return ago;
        return null;
      }
      // "نهاية آب/أغسطس", "مطلع العام 2015", "منتصف الشهر الماضي"
      const part = x.c.parts.get(w);
      if (part) {
        const inner = monthExpr(x, i + 1, part, true) ?? yearExpr(x, i + 1, part) ?? relativeExpr(x, i + 1, part);
        if (inner) return { ...inner, start: t.start + at };
      }
      // "فجر اليوم", "مساء أمس", "يوم الأحد", "ليل السبت"
      if (x.c.timeOfDay.has(w)) {
        const inner = weekdayExpr(x, i + 1) ?? relativeExpr(x, i + 1, null) ?? dayMonth(x, i + 1);
        if (inner && (inner.kind === 'weekday' || inner.kind === 'date' || (inner.kind === 'relative' && inner.precision === 1)))
          return { ...inner, start: t.start + at };
      }
    }
    const ago = agoExpr(x, i);
    if (ago) return ago;
  }
  return core(x, i, null, false);
}

/** All dates in `text` (normalised MATCHING text), resolved against `ref` (YYYY-MM-DD). */
export function readDates(text: string, ref?: string | null): DateReading[] {
  return readDatesInTokens(text, tokenize(text), ref);
}

/** Same as readDates, on tokens the caller already has (tokenize(text)). */
export function readDatesInTokens(text: string, toks: Token[], ref?: string | null): DateReading[] {
  const x: Ctx = { text, toks, ref: parseRef(ref), c: calendar() };
  const out: DateReading[] = [];
  for (let i = 0; i < toks.length; i++) {
    const m = matchAt(x, i);
    if (!m) continue;
    const end = toks[m.last].end;
    const r: DateReading = { start: m.start, end, text: text.slice(m.start, end), kind: m.kind, date: m.date, time_precision: m.precision };
    if (m.end_date !== undefined) r.end_date = m.end_date;
    if (m.since) r.since = true;
    out.push(r);
    i = m.last;
  }
  return out;
}
