// Number reader: digits, Arabic number words and their compounds, dual count nouns,
// fractions, ordinals, vague quantities and approximation markers, each with its span.
//
// Runs on normalised (MATCHING) text and is token-driven: one tokenize() pass, then
// Map lookups on token text (with و/ف/ب/ل/ك peeled off where that is safe). No regex.
// Vague words take the coded values of ../shared/eval/CONTRACT.md (lexicon/numbers.tsv).

import type { NumberKind } from '../types.js';
import { loadTable } from '../lexicon/table.js';
import { normalizeKey } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';

export type { NumberKind };

export interface NumberReading {
  value: number;
  kind: NumberKind;
  start: number;
  end: number;
  text: string;
  ordinal?: boolean;
  /** The approximation/at-least marker or vague word as written ("نحو", "أكثر من", "تقريبا", "عشرات"). */
  approximate_word?: string;
  /** A fraction (نصف، ثلث، ربع): value is the share, not a count. */
  fraction?: boolean;
  /** Read from a dual count noun (قتيلان، عنصرين): the noun itself is the count. */
  dual?: boolean;
  /** A percentage ("50%", "50 بالمئة", "50 في المئة"), not a count. */
  percent?: boolean;
  /** Part of a date (the day of "26 كانون الثاني", the year of "عام 2015", "26/1/2020"),
   *  not a count: readDates reads it. */
  date_part?: boolean;
}

type WordType =
  | 'unit'
  | 'teen-head'
  | 'teen-tail'
  | 'ten'
  | 'hundred'
  | 'scale'
  | 'scale-dual'
  | 'scale-plural'
  | 'fraction'
  | 'ordinal'
  | 'vague'
  | 'vague-of'
  | 'dual-noun';

interface Entry {
  value: number;
  type: WordType;
}

interface Lex {
  words: Map<string, Entry>;
  /** Marker phrases (folded words) -> kind, longest first. */
  markers: { words: string[]; kind: NumberKind }[];
  /** Markers after the number or its noun: "تقريباً", "على الأقل". */
  after: { words: string[]; kind: NumberKind }[];
  /** Words after a number that make it a percentage. */
  percentWords: Set<string>;
  /** First words of two-word month names (كانون، تشرين، ربيع، جمادي): their "الأول" is not an ordinal. */
  monthHeads: Set<string>;
  /** First and last words of all month names, and words introducing a year (عام، سنة). */
  monthFirst: Set<string>;
  monthLast: Set<string>;
  yearWords: Set<string>;
}

let lex: Lex | null = null;

function lexicon(): Lex {
  if (lex) return lex;
  const words = new Map<string, Entry>();
  const markers: Lex['markers'] = [];
  const after: Lex['after'] = [];
  const percentWords = new Set<string>();
  for (const r of loadTable('numbers.tsv')) {
    const form = normalizeKey(r.form);
    const type = r.type;
    if (type === 'approximate' || type === 'at-least') {
      markers.push({ words: form.split(' '), kind: type });
      continue;
    }
    if (type === 'approximate-after' || type === 'at-least-after') {
      after.push({ words: form.split(' '), kind: type === 'approximate-after' ? 'approximate' : 'at-least' });
      continue;
    }
    if (type === 'percent') {
      percentWords.add(form);
      continue;
    }
    if (!words.has(form)) words.set(form, { value: Number(r.value), type: type as WordType });
  }
  for (const r of loadTable('dual_nouns.tsv')) {
    const sing = normalizeKey(r.singular);
    const stem = sing.endsWith('ه') ? sing.slice(0, -1) + 'ت' : sing;
    const duals = r.duals ? r.duals.split('|').map((d) => normalizeKey(d)) : [stem + 'ان', stem + 'ين'];
    for (const d of duals) if (!words.has(d)) words.set(d, { value: 2, type: 'dual-noun' });
  }
  markers.sort((a, b) => b.words.length - a.words.length);
  const monthHeads = new Set<string>();
  const monthFirst = new Set<string>();
  const monthLast = new Set<string>();
  const yearWords = new Set<string>();
  for (const r of loadTable('dates.tsv')) {
    if (r.type === 'year-word') yearWords.add(normalizeKey(r.form));
    if (r.type !== 'month' && r.type !== 'hijri-month') continue;
    const w = normalizeKey(r.form).split(' ');
    if (w.length > 1) monthHeads.add(w[0]);
    monthFirst.add(w[0]);
    monthLast.add(w[w.length - 1]);
  }
  lex = { words, markers, after, percentWords, monthHeads, monthFirst, monthLast, yearWords };
  return lex;
}

const WAW = 0x0648;
const FA = 0x0641;
const BA = 0x0628;
const LAM = 0x0644;
const KAF = 0x0643;

interface Hit {
  entry: Entry;
  /** Offset of the matched form inside the token text. */
  at: number;
  /** The word had a conjunction و/ف in front (a compound continues with it). */
  conj: boolean;
}

/** Look a word token up, peeling و/ف (always) and ب/ل/ك (only for longer forms: "لست" is not 6). */
function lookup(words: Map<string, Entry>, w: string): Hit | null {
  const e = words.get(w);
  if (e) return { entry: e, at: 0, conj: false };
  const c0 = w.charCodeAt(0);
  let at = 0;
  if (c0 === WAW || c0 === FA) {
    at = 1;
    const e1 = words.get(w.slice(1));
    if (e1) return { entry: e1, at: 1, conj: true };
  }
  const p = w.charCodeAt(at);
  if ((p === BA || p === LAM || p === KAF) && w.length - at - 1 >= 4) {
    const e2 = words.get(w.slice(at + 1));
    // a preposition in front ends any compound, but the word is still a number ("بثلاثة")
    if (e2) return { entry: e2, at: at + 1, conj: false };
  }
  return null;
}

const FRACTION_SUFFIXES = ['هما', 'هم', 'هن', 'ها', 'كم', 'ه'];

/** Fractions with a pronoun suffix: نصفهم، ثلثها. */
function lookupFraction(words: Map<string, Entry>, w: string): Hit | null {
  for (const s of FRACTION_SUFFIXES) {
    if (w.length > s.length + 2 && w.endsWith(s)) {
      const h = lookup(words, w.slice(0, -s.length));
      if (h && h.entry.type === 'fraction') return h;
    }
  }
  return null;
}

/** Digits with separators: a group separator is followed by exactly 3 digits, otherwise decimal. */
export function parseDigits(s: string): number {
  let intPart = '';
  let frac = '';
  let inFrac = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (inFrac) frac += s[i];
      else intPart += s[i];
      continue;
    }
    if (c >= 0x0660 && c <= 0x0669) {
      const d = String.fromCharCode(c - 0x0660 + 0x30);
      if (inFrac) frac += d;
      else intPart += d;
      continue;
    }
    if (c >= 0x06f0 && c <= 0x06f9) {
      const d = String.fromCharCode(c - 0x06f0 + 0x30);
      if (inFrac) frac += d;
      else intPart += d;
      continue;
    }
    // separator: count digits up to the next separator or the end
    let j = i + 1;
    while (j < s.length && ((s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) || (s.charCodeAt(j) >= 0x0660 && s.charCodeAt(j) <= 0x0669) || (s.charCodeAt(j) >= 0x06f0 && s.charCodeAt(j) <= 0x06f9))) j++;
    const group = j - i - 1 === 3 && c !== 0x066b; // ٫ is always the decimal point
    if (!group || inFrac) inFrac = true;
  }
  return Number(intPart + (frac ? '.' + frac : ''));
}

interface Parsed {
  value: number;
  kind: NumberKind;
  /** Span in text. */
  start: number;
  end: number;
  /** Index of the last token used. */
  last: number;
  ordinal?: boolean;
  fraction?: boolean;
  dual?: boolean;
  vagueWord?: string;
}

const isScale = (t: WordType) => t === 'scale' || t === 'scale-plural' || t === 'scale-dual';

/** Does token i directly continue a number ("ثلاثة ملايين", "خمسة عشر", "350 ألف", "ثلاث مئة")? */
function scaleAt(words: Map<string, Entry>, toks: Token[], i: number): Entry | null {
  const t = toks[i];
  if (!t || t.kind !== 'word') return null;
  const e = words.get(t.text);
  return e && isScale(e.type) ? e : null;
}

function parseAt(L: Lex, text: string, toks: Token[], i: number): Parsed | null {
  const tok = toks[i];
  const words = L.words;
  if (tok.kind === 'number') {
    let value = parseDigits(tok.text);
    if (!Number.isFinite(value)) return null;
    let start = tok.start;
    let last = i;
    let ordinal = false;
    // "الـ24" / "ال24": the article glued to the digits.
    const prev = toks[i - 1];
    if (prev && prev.kind === 'word' && prev.end === tok.start && (prev.text.endsWith('ال') || prev.text.endsWith('الـ'))) {
      ordinal = true;
      start = prev.start + prev.text.lastIndexOf('ال');
    }
    // "350 ألف", "1.5 مليون", "3 آلاف"
    const sc = scaleAt(words, toks, i + 1);
    if (sc && !ordinal) {
      value = value * (sc.type === 'scale-dual' ? sc.value / 2 : sc.value);
      last = i + 1;
    }
    return { value: round(value), kind: 'exact', start, end: toks[last].end, last, ...(ordinal ? { ordinal } : {}) };
  }
  if (tok.kind !== 'word') return null;
  let hit = lookup(words, tok.text);
  if (!hit) {
    const f = lookupFraction(words, tok.text);
    if (!f) return null;
    hit = f;
  }
  const e = hit.entry;
  const start = tok.start + hit.at;
  switch (e.type) {
    case 'dual-noun':
      return { value: 2, kind: 'exact', start, end: tok.end, last: i, dual: true };
    case 'ordinal': {
      const prev = toks[i - 1];
      if (prev && prev.kind === 'word' && hit.at === 0 && isMonthHead(L, prev.text)) return null;
      return { value: e.value, kind: 'exact', start, end: tok.end, last: i, ordinal: true };
    }
    case 'fraction': {
      // "نصف مليون" = 500000
      const sc = tok.text.length === hit.at + 3 || tok.text.length === hit.at + 4 ? scaleAt(words, toks, i + 1) : null;
      if (sc && sc.type === 'scale') return { value: round(e.value * sc.value), kind: 'exact', start, end: toks[i + 1].end, last: i + 1 };
      return { value: e.value, kind: 'exact', start, end: tok.end, last: i, fraction: true };
    }
    case 'vague': {
      let value = e.value;
      let last = i;
      // "عشرات الآلاف", "مئات الآلاف"
      const sc = scaleAt(words, toks, i + 1);
      if (sc && sc.type === 'scale-plural') {
        value *= sc.value;
        last = i + 1;
      }
      return { value, kind: 'vague', start, end: toks[last].end, last, vagueWord: text.slice(start, tok.end) };
    }
    case 'vague-of': {
      // "عدد من" / "عدد كبير من" / "العديد من"; "عدد القتلى" is not a count.
      let j = i + 1;
      if (toks[j] && (toks[j].text === 'كبير' || toks[j].text === 'قليل' || toks[j].text === 'محدود')) j++;
      if (toks[j] && toks[j].text === 'من') return { value: e.value, kind: 'vague', start, end: toks[j].end, last: j, vagueWord: text.slice(start, toks[j].end) };
      if (tok.text.slice(hit.at) === 'العديد') return { value: e.value, kind: 'vague', start, end: tok.end, last: i, vagueWord: text.slice(start, tok.end) };
      return null;
    }
    case 'scale-plural':
      // "آلاف" / "ملايين" on their own: vague (CONTRACT.md: آلاف = 1000)
      return { value: e.value, kind: 'vague', start, end: tok.end, last: i, vagueWord: text.slice(start, tok.end) };
    case 'teen-tail':
    case 'teen-head':
    case 'unit':
    case 'ten':
    case 'hundred':
    case 'scale':
    case 'scale-dual':
      return compound(L, toks, i, hit, start);
  }
  return null;
}

/** "كانون" / "وتشرين" / "منذ كانون": the word before a month's ordinal half. */
function isMonthHead(L: Lex, w: string): boolean {
  if (L.monthHeads.has(w)) return true;
  for (let p = 1; p <= 2 && p < w.length - 2; p++) {
    const c = w.charCodeAt(p - 1);
    if (c !== WAW && c !== FA && c !== BA && c !== LAM && c !== KAF) return false;
    if (L.monthHeads.has(w.slice(p))) return true;
  }
  return false;
}

/** Word-number compounds: "خمسة وعشرون", "ثلاثة ملايين", "مئة وخمسون ألفا", "أحد عشر". */
function compound(L: Lex, toks: Token[], i: number, first: Hit, start: number): Parsed | null {
  const words = L.words;
  let total = 0;
  let cur = 0;
  let last = i;
  let e: Entry = first.entry;
  let j = i;
  let any = false;
  for (;;) {
    const nextTok = toks[j + 1];
    const nextWord = nextTok && nextTok.kind === 'word' ? words.get(nextTok.text) : undefined;
    switch (e.type) {
      case 'teen-head':
        if (!(nextWord && nextWord.type === 'teen-tail')) return any ? done() : null;
        cur += e.value + 10;
        j++;
        break;
      case 'unit':
        if (nextWord && nextWord.type === 'teen-tail') {
          cur += e.value + 10;
          j++;
        } else cur += e.value;
        break;
      case 'teen-tail':
      case 'ten':
        cur += e.value;
        break;
      case 'hundred':
        if (e.value === 100 && cur > 0 && cur < 10) cur *= 100;
        else cur += e.value;
        break;
      case 'scale':
        cur = (cur || 1) * e.value;
        total += cur;
        cur = 0;
        break;
      case 'scale-plural':
        if (cur === 0) return any ? done() : null;
        total += cur * e.value;
        cur = 0;
        break;
      case 'scale-dual':
        total += cur ? cur * (e.value / 2) : e.value;
        cur = 0;
        break;
      default:
        return any ? done() : null;
    }
    any = true;
    last = j;
    // Continue with a directly following scale/hundred ("ثلاثة ملايين", "ثلاث مئة"),
    // or a و + number word ("وعشرون", "وخمسمئة").
    const n = toks[j + 1];
    if (!n || n.kind !== 'word') break;
    const direct = words.get(n.text);
    if (direct && (isScale(direct.type) || (direct.type === 'hundred' && direct.value === 100 && e.type === 'unit'))) {
      e = direct;
      j++;
      continue;
    }
    const c0 = n.text.charCodeAt(0);
    if (c0 === WAW && n.text.length > 2) {
      const w = words.get(n.text.slice(1));
      if (w && (w.type === 'unit' || w.type === 'ten' || w.type === 'hundred' || w.type === 'scale' || w.type === 'scale-dual' || w.type === 'teen-head')) {
        e = w;
        j++;
        continue;
      }
    }
    break;
  }
  return done();
  function done(): Parsed {
    return { value: total + cur, kind: 'exact', start, end: toks[last].end, last };
  }
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** A marker phrase ending right before token i? Returns its first token index and kind. */
function markerBefore(L: Lex, toks: Token[], i: number): { first: number; at: number; kind: NumberKind } | null {
  for (const m of L.markers) {
    const n = m.words.length;
    const f = i - n;
    if (f < 0) continue;
    let ok = true;
    for (let k = 1; k < n; k++) {
      if (toks[f + k].text !== m.words[k]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const w = toks[f].text;
    const head = m.words[0];
    if (w === head) return { first: f, at: 0, kind: m.kind };
    // "بنحو", "وقرابة", "بأكثر من", "وبما لا يقل عن"
    for (let p = 1; p <= 2 && p < w.length; p++) {
      const c = w.charCodeAt(p - 1);
      if (c !== WAW && c !== FA && c !== BA && c !== LAM) break;
      if (w.slice(p) === head) return { first: f, at: p, kind: m.kind };
    }
  }
  return null;
}

function afterMarkerAt(L: Lex, toks: Token[], k: number): { kind: NumberKind; last: number } | null {
  outer: for (const a of L.after) {
    for (let j = 0; j < a.words.length; j++) {
      const t = toks[k + j];
      if (!t || t.text !== a.words[j]) continue outer;
    }
    return { kind: a.kind, last: k + a.words.length - 1 };
  }
  return null;
}

/** Is the number in tokens first..last the day or year of a date? */
function isDatePart(L: Lex, toks: Token[], first: number, last: number, value: number): boolean {
  const t = toks[first];
  const next = toks[last + 1];
  const prev = toks[first - 1];
  // "26 كانون الثاني", "الأول من كانون الأول", "26 من يناير"
  if (Number.isInteger(value) && value >= 1 && value <= 31) {
    const m = next && next.text === 'من' ? toks[last + 2] : next;
    if (m && m.kind === 'word' && L.monthFirst.has(m.text)) return true;
  }
  // numeric dates: 26/1/2020, 2020-01-26 (digits glued to / or -)
  if (t.kind === 'number') {
    const glued = (a: Token | undefined, b: Token | undefined) => !!a && !!b && a.end === b.start;
    const sep = (x: Token | undefined) => !!x && x.kind === 'punct' && (x.text === '/' || x.text === '-');
    if (sep(next) && glued(toks[last], next) && toks[last + 2]?.kind === 'number' && glued(next, toks[last + 2])) return true;
    if (sep(prev) && glued(prev, t) && toks[first - 2]?.kind === 'number' && glued(toks[first - 2], prev)) return true;
  }
  // years: "عام 2015", "كانون الثاني 2020"
  if (t.kind === 'number' && t.text.length === 4 && value >= 1900 && value <= 2100 && prev && prev.kind === 'word') {
    if (L.yearWords.has(prev.text) || L.monthLast.has(prev.text)) return true;
    const c0 = prev.text.charCodeAt(0);
    if ((c0 === WAW || c0 === FA || c0 === BA || c0 === LAM) && L.yearWords.has(prev.text.slice(1))) return true;
  }
  return false;
}

/** All numbers in `text` (normalised MATCHING text), in order, with spans into it. */
export function readNumbers(text: string): NumberReading[] {
  return readNumbersInTokens(text, tokenize(text));
}

/** Same as readNumbers, on tokens the caller already has (tokenize(text)). */
export function readNumbersInTokens(text: string, toks: Token[]): NumberReading[] {
  const L = lexicon();
  const out: NumberReading[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'number' && t.kind !== 'word') continue;
    const p = parseAt(L, text, toks, i);
    if (!p) continue;
    let { start, end, kind } = p;
    let approx: string | undefined = p.vagueWord;
    // A marker in front: "نحو 350 ألف", "أكثر من 20", "ما لا يقل عن 5"
    const m = p.ordinal ? null : markerBefore(L, toks, i);
    if (m) {
      start = toks[m.first].start + m.at;
      approx = text.slice(start, toks[i - 1].end);
      if (kind === 'exact') kind = m.kind;
    }
    let last = p.last;
    // After the number ("نصفهم تقريباً") or after its noun ("20 قتيلاً على الأقل").
    if (!p.ordinal) {
      for (let skip = 0; skip <= 2; skip++) {
        const k = last + 1 + skip;
        // the skipped words must be plain words (the counted noun), not another number
        const sk = toks[k - 1];
        if (skip > 0 && (!sk || sk.kind !== 'word' || lookup(L.words, sk.text) || lookupFraction(L.words, sk.text))) break;
        const am = afterMarkerAt(L, toks, k);
        if (!am) continue;
        // "تقريباً" right after the number only; "على الأقل" may follow the noun
        if (skip > 0 && am.kind === 'approximate') break;
        if (kind === 'exact') kind = am.kind;
        if (!m) approx = text.slice(toks[k].start, toks[am.last].end);
        if (skip === 0) {
          end = toks[am.last].end;
          last = am.last;
        }
        break;
      }
    }
    let percent = false;
    const pc = toks[last + 1];
    if (pc && !p.ordinal && ((pc.kind === 'punct' && (pc.text === '%' || pc.text === '٪')) || (pc.kind === 'word' && L.percentWords.has(pc.text)))) percent = true;
    if (pc && pc.text === 'في' && toks[last + 2] && L.percentWords.has(toks[last + 2].text)) percent = true;
    const r: NumberReading = { value: p.value, kind, start, end, text: text.slice(start, end) };
    if (p.ordinal) r.ordinal = true;
    if (p.fraction) r.fraction = true;
    if (p.dual) r.dual = true;
    if (percent) r.percent = true;
    if (approx !== undefined) r.approximate_word = approx;
    if (kind === 'exact' && !p.fraction && !p.dual && isDatePart(L, toks, i, p.last, p.value)) r.date_part = true;
    out.push(r);
    i = last;
  }
  return out;
}
