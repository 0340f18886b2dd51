// Stage 1: one part of an article (title or body) -> normalised text with sentences, clauses,
// trigger and marker hits, actors, places, numbers, dates and attributions.

import type { ArticlePart } from '../types.js';
import { normalize } from '../text/normalize.js';
import {
  findActors,
  findAttributions,
  geoparse,
  readDatesInTokens,
  readNumbersInTokens,
  splitClauses,
  splitSentences,
  tokenize,
  type Gazetteer,
} from './deps.js';
import { lexicons, type MarkerKind } from './lexicon.js';
import type { Hit } from './matcher.js';
import { words } from './matcher.js';
import type { Part, Sentence } from './model.js';

export interface AnalyzeOptions {
  gazetteer: Gazetteer;
  country?: string;
  date?: string | null;
}

export function analyzePart(text: string, part: ArticlePart, opts: AnalyzeOptions): Part {
  const nt = normalize(text);
  const t = nt.text;
  const L = lexicons();
  const ws = words(t);
  const sentences: Sentence[] = [];
  let paragraph = 0;
  let prevEnd = 0;
  for (const s of splitSentences(t)) {
    // A newline or the scraped ".," between sentences starts a new paragraph.
    const gap = t.slice(prevEnd, s.start);
    if (sentences.length > 0 && (/\n/.test(gap) || /\.,/.test(t.slice(Math.max(0, prevEnd - 2), s.start)))) paragraph++;
    prevEnd = s.end;
    const clauses = splitClauses(t, s);
    sentences.push({ index: sentences.length, start: s.start, end: s.end, clauses: clauses.length ? clauses : [s], paragraph });
  }
  if (sentences.length === 0 && t.trim()) sentences.push({ index: 0, start: 0, end: t.length, clauses: [{ start: 0, end: t.length }], paragraph: 0 });
  const geo = opts.country ? { country: opts.country } : {};
  const markers = L.markers.matchAll(t, ws);
  const toks = tokenize(t);
  const byKind = new Map<MarkerKind, Hit<MarkerKind>[]>();
  let longestMarker = 0;
  for (const m of markers) {
    longestMarker = Math.max(longestMarker, m.last - m.first);
    for (const k of m.values) {
      let l = byKind.get(k);
      if (!l) byKind.set(k, (l = []));
      l.push(m);
    }
  }
  return {
    part,
    nt,
    words: ws,
    sentences,
    triggers: L.triggers.matchAll(t, ws),
    markers,
    byKind,
    longestMarker,
    // An actor named as someone's backer ("الموالية لتركيا", "المقربة من النظام") does not act.
    // The report date picks date-ranged rows (the RSF is state forces before 15 April 2023).
    actors: byStart(findActors(nt, { ...(opts.country ? { country: opts.country } : {}), ...(opts.date ? { date: opts.date } : {}) }).filter((a) => !a.backer)),
    places: byStart(geoparse(nt, opts.gazetteer, geo)),
    numbers: byStart(readNumbersInTokens(t, toks)),
    // A weekday inside a proper name is no date: "سوق الجمعة" (a Tripoli district), "جامع الجمعة".
    dates: byStart(readDatesInTokens(t, toks, opts.date ?? null).filter((d) => !(WEEKDAY.test(t.slice(d.start, d.end)) && NAME_HEAD.test(t.slice(Math.max(0, d.start - 8), d.start))))),
    attributions: byStart(findAttributions(nt, { country: opts.country ?? null })),
  };
}

const NONE: Hit<MarkerKind>[] = [];
const WEEKDAY = /^(?:ال)?(?:جمعه|سبت|احد|اثنين|ثلاثاء|اربعاء|خميس)$/;
const NAME_HEAD = /(?:^|\s)[وبل]?(?:سوق|جامع|مسجد|شارع|ساحه|حي|منطقه|مجلس)\s+$/;

/** Index of the first item of a start-sorted array starting at or after `a` (binary search). */
export function lowerBound<T extends { start: number }>(arr: T[], a: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (arr[m].start < a) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Items of a start-sorted array lying within [a, b): binary search, so long articles stay linear.
 * With `limit`, only the first `limit` of them (a caller wanting the next word or two of a long
 * clause does not copy the whole clause).
 */
export function within<T extends { start: number; end: number }>(arr: T[], a: number, b: number, limit = Infinity): T[] {
  const out: T[] = [];
  for (let i = lowerBound(arr, a); i < arr.length && arr[i].start < b && out.length < limit; i++) if (arr[i].end <= b) out.push(arr[i]);
  return out;
}

const byStart = <T extends { start: number }>(x: T[]): T[] => x.sort((p, q) => p.start - q.start);

/** Markers of one kind within [a, b). */
export function markersOf(p: Part, kind: MarkerKind, a = 0, b = Infinity): Hit<MarkerKind>[] {
  const l = p.byKind.get(kind) ?? NONE;
  return a === 0 && b === Infinity ? l : within(l, a, b);
}

/** The sentence holding normalised offset `pos` (binary search). */
export function sentenceOf(p: Part, pos: number): Sentence | undefined {
  const ss = p.sentences;
  let lo = 0;
  let hi = ss.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (ss[m].end <= pos) lo = m + 1;
    else hi = m;
  }
  const s = ss[lo];
  return s && pos >= s.start ? s : undefined;
}

/** The clause index (in its sentence) holding `pos`. */
export function clauseAt(s: Sentence, pos: number): number {
  for (let i = 0; i < s.clauses.length; i++) if (pos < s.clauses[i].end) return i;
  return s.clauses.length - 1;
}
