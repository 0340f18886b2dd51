// A small phrase matcher for the extractor's own lexicons (triggers, markers): patterns are
// normalised word sequences; a word ending in "*" matches any ending, and each text word may
// carry proclitics (و ف ب ل ك, the article ال, لل) that are stripped before comparing.

import { normalizeKey } from '../text/normalize.js';

export interface Word {
  /** Normalised surface of the whole word. */
  text: string;
  start: number;
  end: number;
  /** Candidate stems after stripping proclitics, with where each starts. */
  stems: { stem: string; offset: number; prefix: string }[];
}

// Word characters: Arabic letters, ASCII letters and digits.
const W = new Uint8Array(0x10000);
for (let c = 0x0621; c <= 0x064a; c++) W[c] = 1;
for (let c = 0x066e; c <= 0x06d3; c++) W[c] = 1;
for (let c = 0x30; c <= 0x39; c++) W[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) W[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) W[c] = 1;

const PROCLITICS = ['', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل', 'وك', 'فك'];

const stemCache = new Map<string, Word['stems']>();

/** Proclitic readings of a word, the unsplit word first (cached: words repeat). */
function stemsOf(w: string): Word['stems'] {
  let c = stemCache.get(w);
  if (c) return c;
  if (stemCache.size > 100000) stemCache.clear();
  stemCache.set(w, (c = computeStems(w)));
  return c;
}

function computeStems(w: string): Word['stems'] {
  const out: Word['stems'] = [];
  const seen = new Set<string>();
  const add = (stem: string, offset: number, prefix: string) => {
    if (stem.length < 2 || seen.has(stem)) return;
    seen.add(stem);
    out.push({ stem, offset, prefix });
  };
  for (const p of PROCLITICS) {
    if (!w.startsWith(p)) continue;
    const rest = w.slice(p.length);
    add(rest, p.length, p);
    if (rest.startsWith('ال')) add(rest.slice(2), p.length, p + 'ال');
    // ل + ال is written لل: "للقصف" = ل + القصف
    if (p === '' || p === 'و' || p === 'ف') {
      const q = w.slice(p.length);
      if (q.startsWith('لل')) add(q.slice(2), p.length, p + 'لل');
    }
  }
  return out;
}

/** Word tokens of a normalised text, with their proclitic readings. */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && W[text.charCodeAt(i)] === 0) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && W[text.charCodeAt(i)] === 1) i++;
    const t = text.slice(s, i);
    out.push({ text: t, start: s, end: i, stems: stemsOf(t) });
  }
  return out;
}

interface PatWord {
  word: string;
  wild: boolean;
}

interface Pattern<T> {
  words: PatWord[];
  value: T;
}

export interface Hit<T> {
  /** Word index range [first, last). */
  first: number;
  last: number;
  /** Offsets in the normalised text (start is after the proclitics of the first word). */
  start: number;
  end: number;
  prefix: string;
  values: T[];
}

function wordMatches(p: PatWord, stem: string): boolean {
  return p.wild ? stem.startsWith(p.word) : stem === p.word;
}

/** Patterns indexed by their first word (exact) or by its first two letters (wildcards). */
export class Matcher<T> {
  private exact = new Map<string, Pattern<T>[]>();
  private wild = new Map<string, Pattern<T>[]>();
  size = 0;

  add(pattern: string, value: T): void {
    const ws = normalizeKey(pattern)
      .split(' ')
      .filter(Boolean)
      .map((w) => ({ word: w.replace(/\*$/, '').replace(/^ال(?=..)/, ''), wild: w.endsWith('*') }));
    if (ws.length === 0) return;
    const p: Pattern<T> = { words: ws, value };
    const first = ws[0];
    const map = first.wild ? this.wild : this.exact;
    const key = first.wild ? first.word.slice(0, 2) : first.word;
    let l = map.get(key);
    if (!l) map.set(key, (l = []));
    l.push(p);
    this.size++;
  }

  /** The (reading, pattern) pairs whose first word this word matches; cached per word form. */
  private firsts = new Map<string, { s: Word['stems'][number]; p: Pattern<T> }[]>();
  private static NONE: never[] = [];

  private firstsOf(w: Word): { s: Word['stems'][number]; p: Pattern<T> }[] {
    let l = this.firsts.get(w.text);
    if (l) return l;
    l = [];
    for (const s of w.stems)
      for (let pass = 0; pass < 2; pass++) {
        const cands = pass === 0 ? this.exact.get(s.stem) : this.wild.get(s.stem.slice(0, 2));
        if (cands) for (const p of cands) if (wordMatches(p.words[0], s.stem)) l.push({ s, p });
      }
    if (l.length === 0) l = Matcher.NONE;
    if (this.firsts.size > 200000) this.firsts.clear();
    this.firsts.set(w.text, l);
    return l;
  }

  /** Patterns whose rest matches words[i+1..]; returns the longest (all values of equal length). */
  private matchAt(ws: Word[], i: number, maxGap: (a: Word, b: Word) => boolean): Hit<T> | null {
    let best: Hit<T> | null = null;
    const fs = this.firstsOf(ws[i]);
    for (let k = 0; k < fs.length; k++) {
      const { s, p } = fs[k];
      const last = this.rest(p.words, 1, ws, i + 1, maxGap);
      if (last < 0) continue;
      if (!best || last > best.last) {
        best = { first: i, last, start: ws[i].start + s.offset, end: ws[last - 1].end, prefix: s.prefix, values: [p.value] };
      } else if (last === best.last && !best.values.includes(p.value)) best.values.push(p.value);
    }
    return best;
  }

  /** Match pattern words from k on against text words from i on; returns the end word index or -1. */
  private rest(pw: PatWord[], k: number, ws: Word[], i: number, maxGap: (a: Word, b: Word) => boolean): number {
    if (k === pw.length) return i;
    if (pw[k].word === '~') {
      // "~": up to six words of any kind in between ("أسقطت الدفاعات الجوية طائرة").
      for (let skip = 0; skip <= 6 && i + skip <= ws.length; skip++) {
        const r = this.rest(pw, k + 1, ws, i + skip, (a, b) => b.start - a.end <= 3);
        if (r >= 0) return r;
      }
      return -1;
    }
    const w = ws[i];
    if (!w || !maxGap(ws[i - 1], w)) return -1;
    if (!w.stems.some((x) => wordMatches(pw[k], x.stem) && x.prefix.replace(/^[وف]/, '').length <= 2)) return -1;
    return this.rest(pw, k + 1, ws, i + 1, maxGap);
  }

  /** Non-overlapping hits, left to right, longest first. */
  matchAll(text: string, ws: Word[] = words(text)): Hit<T>[] {
    const out: Hit<T>[] = [];
    const gap = (a: Word, b: Word) => {
      if (b.start - a.end > 3) return false;
      for (let k = a.end; k < b.start; k++) {
        const c = text.charCodeAt(k);
        if (c !== 0x20 && c !== 0x22 && c !== 0xab && c !== 0xbb) return false;
      }
      return true;
    };
    for (let i = 0; i < ws.length; ) {
      const h = this.matchAt(ws, i, gap);
      if (h) {
        out.push(h);
        i = h.last;
      } else i++;
    }
    return out;
  }
}
