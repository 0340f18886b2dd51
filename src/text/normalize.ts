// Arabic normalisation on a COPY of the text, with an offset map back to the original,
// so that every field extracted from the normalised text can point at the original span.
//
// Always: tashkeel and Quranic marks removed, tatweel removed, invisible format
// characters removed, alef forms (أ إ آ ٱ) -> ا, Arabic-Indic and Persian digits -> ASCII,
// Persian kaf/yeh -> Arabic, presentation forms (ligatures like ﻻ) unfolded.
// For matching (options, on by default): ة -> ه, ى -> ي, ؤ -> و, ئ -> ي, Latin lower-cased.

import type { Span } from '../types.js';
import { memoize } from './memo.js';

export interface NormalizeOptions {
  /** ة -> ه (so "حماة" and "حماه" match). */
  taMarbuta?: boolean;
  /** ى -> ي (so "بصرى" and "بصري" match). */
  alefMaqsura?: boolean;
  /** ؤ -> و and ئ -> ي (hamza seats vary between outlets). */
  hamzaSeats?: boolean;
  /** Latin letters to lower case. */
  lowerLatin?: boolean;
}

export const MATCHING: Required<NormalizeOptions> = {
  taMarbuta: true,
  alefMaqsura: true,
  hamzaSeats: true,
  lowerLatin: true,
};

export const LIGHT: Required<NormalizeOptions> = {
  taMarbuta: false,
  alefMaqsura: false,
  hamzaSeats: false,
  lowerLatin: false,
};

/** Normalised text plus, for each of its UTF-16 units, where it came from in the original. */
export interface NormalizedText {
  original: string;
  text: string;
  /** starts[i]: original offset of the unit that produced normalised unit i. */
  starts: Int32Array;
  /** ends[i]: original end offset (exclusive) of that unit. */
  ends: Int32Array;
}

const DELETE = 0;
const KEEP = 0xffff;

function buildTable(o: Required<NormalizeOptions>): Uint16Array {
  const t = new Uint16Array(0x10000).fill(KEEP);
  // Tashkeel (fathatan .. sukun), maddah/hamza marks, superscript alef, Quranic annotation marks.
  for (let c = 0x064b; c <= 0x065f; c++) t[c] = DELETE;
  t[0x0670] = DELETE;
  for (let c = 0x06d6; c <= 0x06ed; c++) t[c] = DELETE;
  for (let c = 0x0610; c <= 0x061a; c++) t[c] = DELETE;
  t[0x0640] = DELETE; // tatweel
  // Invisible format characters that scraped text carries.
  for (const c of [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x061c, 0xfeff, 0x00ad, 0x2066, 0x2067, 0x2068, 0x2069, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e])
    t[c] = DELETE;
  // Alef forms.
  for (const c of [0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673]) t[c] = 0x0627;
  // Digits.
  for (let d = 0; d < 10; d++) {
    t[0x0660 + d] = 0x30 + d;
    t[0x06f0 + d] = 0x30 + d;
  }
  // Persian letters in Arabic text.
  t[0x06a9] = 0x0643; // ک -> ك
  t[0x06cc] = 0x064a; // ی -> ي
  t[0x06c0] = 0x0647; // ۀ -> ه
  // Non-breaking and other odd spaces -> plain space.
  for (const c of [0x00a0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000])
    t[c] = 0x20;
  if (o.taMarbuta) t[0x0629] = 0x0647;
  if (o.alefMaqsura) t[0x0649] = 0x064a;
  if (o.hamzaSeats) {
    t[0x0624] = 0x0648;
    t[0x0626] = 0x064a;
  }
  if (o.lowerLatin) for (let c = 0x41; c <= 0x5a; c++) t[c] = c + 32;
  return t;
}

const tables = new Map<string, Uint16Array>();
function tableFor(o: Required<NormalizeOptions>): Uint16Array {
  const key = `${+o.taMarbuta}${+o.alefMaqsura}${+o.hamzaSeats}${+o.lowerLatin}`;
  let t = tables.get(key);
  if (!t) tables.set(key, (t = buildTable(o)));
  return t;
}

/** Presentation forms (ligatures, isolated/final forms) unfold through NFKC, then the table. */
function isPresentationForm(c: number): boolean {
  return (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
}

const decoder = new TextDecoder('utf-16le');

/** Normalise `original`; the result maps every unit back to the original string. */
export function normalize(original: string, options: NormalizeOptions = MATCHING): NormalizedText {
  const r = run(original, options, true);
  return { original, text: r.text, starts: r.starts!, ends: r.ends! };
}

/**
 * The normalising pass. `offsets`: also record where each output unit came from (normalize); keys
 * and hashes do without (normalizeKey), which saves two arrays and their copies per call.
 */
function run(original: string, options: NormalizeOptions, offsets: boolean): { text: string; starts?: Int32Array; ends?: Int32Array } {
  const o = { ...MATCHING, ...options };
  const table = tableFor(o);
  const n = original.length;
  // Presentation forms can expand (ﷺ is long); size for the worst case only when one occurs.
  let cap = n + 8;
  let out = new Uint16Array(cap);
  let starts = offsets ? new Int32Array(cap) : null;
  let ends = offsets ? new Int32Array(cap) : null;
  let k = 0;
  const push = (code: number, s: number, e: number) => {
    if (k >= cap) {
      cap = cap * 2 + 16;
      const o2 = new Uint16Array(cap);
      o2.set(out);
      out = o2;
      if (starts && ends) {
        const s2 = new Int32Array(cap);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(cap);
        e2.set(ends);
        ends = e2;
      }
    }
    out[k] = code;
    if (starts && ends) {
      starts[k] = s;
      ends[k] = e;
    }
    k++;
  };
  for (let i = 0; i < n; i++) {
    const c = original.charCodeAt(i);
    if (isPresentationForm(c)) {
      const unfolded = original[i].normalize('NFKC');
      for (let j = 0; j < unfolded.length; j++) {
        const u = unfolded.charCodeAt(j);
        const m = table[u];
        if (m === DELETE) continue;
        push(m === KEEP ? u : m, i, i + 1);
      }
      continue;
    }
    const m = table[c];
    if (m === DELETE) continue;
    if (k >= cap) push(m === KEEP ? c : m, i, i + 1);
    else {
      out[k] = m === KEEP ? c : m;
      if (starts && ends) {
        starts[k] = i;
        ends[k] = i + 1;
      }
      k++;
    }
  }
  const text = decoder.decode(out.subarray(0, k));
  return starts && ends ? { text, starts: starts.slice(0, k), ends: ends.slice(0, k) } : { text };
}

/** Map a span of the normalised text back to the original string. */
export function toOriginal(nt: NormalizedText, start: number, end: number): Span {
  if (end <= start) {
    const at = start < nt.starts.length ? nt.starts[start] : nt.original.length;
    return { start: at, end: at };
  }
  // Marks dropped right after the last unit (tanween of "تقريباً", tatweel) belong to the word.
  let e = nt.ends[end - 1];
  const o = nt.original;
  while (e < o.length && isTrailingMark(o.charCodeAt(e))) e++;
  return { start: nt.starts[start], end: e };
}

function isTrailingMark(c: number): boolean {
  return (c >= 0x064b && c <= 0x065f) || c === 0x0670 || c === 0x0640 || (c >= 0x06d6 && c <= 0x06ed);
}

/** The original words behind a span of the normalised text. */
export function originalSlice(nt: NormalizedText, start: number, end: number): string {
  const s = toOriginal(nt, start, end);
  return nt.original.slice(s.start, s.end);
}

/** Normalise a short key (a lexicon entry or a place name) for lookup; no offsets kept. */
export function normalizeKey(s: string, options: NormalizeOptions = MATCHING): string {
  return run(s, options, false).text.replace(/\s+/g, ' ').trim();
}

/**
 * normalizeKey (matching options), memoised and bounded: for names and texts that are compared or
 * indexed again and again (normalize builds an offset map on every call).
 */
export const normalizeKeyCached = memoize((s) => normalizeKey(s));
