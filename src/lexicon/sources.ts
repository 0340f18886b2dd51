// Source recognition: who a report credits ("المرصد السوري لحقوق الإنسان", "سانا", "مصدر عسكري",
// "الأمم المتحدة") and the attribution phrases that credit them ("أفاد المرصد", "وفق الأمم المتحدة",
// "نقلت سانا عن مصدر عسكري"). Which events a phrase covers is the extractor's business; this
// module gives phrase positions and the source (and the relaying source, `via`).
//
// Data: lexicon/sources.tsv (sources and their forms), lexicon/attribution.tsv (verbs, prepositions,
// fillers, adjectives of generic sources); nationality adjectives from lexicon/actor_countries.tsv
// continue generic sources ("مصدر عسكري سوري").

import { LexiconError, list, loadTable } from './table.js';
import { normalizeKey, originalSlice, type NormalizedText } from '../text/normalize.js';
import { PhraseIndex, gapOk, scanTokens, type Tok } from './phrase-index.js';
import { findActors, type ActorMention } from './actors.js';

export interface SourceEntry {
  id: string;
  /** The Arabic name a report's `reported_by` carries ("المرصد السوري لحقوق الإنسان", "سانا"). */
  name_ar: string;
  name_en: string;
  /** monitor | state-agency | official | military | un | ngo | media | local; 'party' for an armed
   *  actor speaking for itself ("أعلن حزب الله", "قالت قوات الدعم السريع"). */
  kind: string;
  aliases: string[];
}

export interface SourceMention {
  /** Offsets in nt.text, after any proclitic. */
  start: number;
  end: number;
  /** Original words. */
  surface: string;
  entry: SourceEntry;
}

export interface Attribution {
  /** The whole attribution phrase, verb or preposition and source(s), in nt.text offsets. */
  start: number;
  end: number;
  /** Who is credited: for "نقلت سانا عن مصدر عسكري", the military source. */
  source: SourceEntry;
  /** Who relayed it: for "نقلت سانا عن مصدر عسكري", SANA. */
  via?: SourceEntry;
  /** The source's own words (and the relay's), for evidence. */
  sourceMention: SourceMention;
  viaMention?: SourceMention;
  /** The verb or preposition as written ("أفاد", "وفق ما أفاد", "إن"). */
  phrase: string;
}

type Role = 'verb' | 'prep' | 'via' | 'after' | 'filler' | 'source-modifier';
const ROLES: ReadonlySet<string> = new Set(['verb', 'prep', 'via', 'after', 'filler', 'source-modifier']);

interface SVal {
  entry: SourceEntry;
  weak: boolean;
}

interface Data {
  entries: SourceEntry[];
  sources: PhraseIndex<SVal>;
  phrases: PhraseIndex<Set<Role>>;
  modifiers: Set<string>;
}

let DATA: Data | null = null;

function loadData(): Data {
  if (DATA) return DATA;
  const entries: SourceEntry[] = [];
  const sources = new PhraseIndex<SVal>();
  const ids = new Set<string>();
  for (const r of loadTable('sources.tsv')) {
    if (!r.id || !r.name_ar) throw new LexiconError(`sources.tsv: row without id or name_ar (${JSON.stringify(r)})`);
    if (ids.has(r.id)) throw new LexiconError(`sources.tsv: duplicate id ${r.id}`);
    ids.add(r.id);
    const weak = list(r.weak);
    const entry: SourceEntry = { id: r.id, name_ar: r.name_ar, name_en: r.name_en, kind: r.kind, aliases: [...list(r.aliases), ...weak] };
    entries.push(entry);
    const weakKeys = new Set(weak.map((w) => normalizeKey(w)));
    for (const a of [r.name_ar, ...entry.aliases]) sources.add(a, { entry, weak: weakKeys.has(normalizeKey(a)) });
  }
  const byKey = new Map<string, { phrase: string; roles: Set<Role> }>();
  const modifiers = new Set<string>();
  for (const r of loadTable('attribution.tsv')) {
    if (!ROLES.has(r.role)) throw new LexiconError(`attribution.tsv: unknown role "${r.role}" for ${r.phrase}`);
    const key = normalizeKey(r.phrase);
    if (r.role === 'source-modifier') {
      for (const w of key.split(' ')) modifiers.add(w);
      continue;
    }
    let e = byKey.get(key);
    if (!e) byKey.set(key, (e = { phrase: r.phrase, roles: new Set() }));
    e.roles.add(r.role as Role);
  }
  const phrases = new PhraseIndex<Set<Role>>();
  for (const { phrase, roles } of byKey.values()) phrases.add(phrase, roles);
  for (const r of loadTable('actor_countries.tsv'))
    for (const a of [...list(r.nisba), ...list(r.adjectives)]) modifiers.add(normalizeKey(a));
  DATA = { entries, sources, phrases, modifiers };
  return DATA;
}

/** All sources of the lexicon. */
export function sourceEntries(): SourceEntry[] {
  return [...loadData().entries];
}

interface SourceHit {
  entry: SourceEntry;
  start: number;
  end: number;
  /** Token index after the source (and its adjectives / parenthesis). */
  last: number;
  proclitic: string;
}

/** The source starting at token i (weak forms only when `weak`), with adjectives and "(سانا)". */
function sourceAt(d: Data, text: string, toks: Tok[], i: number, weak: boolean): SourceHit | null {
  if (i >= toks.length) return null;
  const h = d.sources.matchAt(text, toks, i);
  if (!h || (h.value.weak && !weak)) return null;
  const entry = h.value.entry;
  let last = h.last;
  let end = h.end;
  // "مصدر عسكري سوري", "مصادر محلية متطابقة"
  while (last < toks.length && d.modifiers.has(toks[last].text) && gapOk(text, toks[last - 1].end, toks[last].start)) end = toks[last++].end;
  // "وكالة الأنباء السورية (سانا)"
  if (last < toks.length) {
    let k = end;
    while (k < text.length && text.charCodeAt(k) === 0x20) k++;
    if (text[k] === '(') {
      const close = text.indexOf(')', k);
      const inner = close > k && close - k < 60 ? d.sources.matchAt(text, toks, last) : null;
      if (inner && inner.value.entry.id === entry.id && inner.end <= close && (inner.last >= toks.length || toks[inner.last].start > close)) {
        last = inner.last;
        end = close + 1;
      }
    }
  }
  return { entry, start: h.start, end, last, proclitic: h.proclitic };
}

function mentionOf(nt: NormalizedText, s: SourceHit): SourceMention {
  return { start: s.start, end: s.end, surface: originalSlice(nt, s.start, s.end), entry: s.entry };
}

/** Every named source in the text (weak forms such as "الجزيرة" or "سكان" only inside attributions). */
export function findSources(nt: NormalizedText): SourceMention[] {
  if (!nt || typeof nt.text !== 'string') throw new TypeError('findSources: expected a NormalizedText (from normalize(text))');
  const d = loadData();
  const text = nt.text;
  const toks = scanTokens(text);
  const out: SourceMention[] = [];
  for (let i = 0; i < toks.length; ) {
    const s = sourceAt(d, text, toks, i, false);
    if (s) {
      out.push(mentionOf(nt, s));
      i = s.last;
    } else i++;
  }
  return out;
}

const SENTENCE_END = /[.!?؟\n:؛]/;
const PARTY_KINDS: ReadonlySet<string> = new Set(['state', 'rebel', 'militia', 'external']);

/** An actor's words as a source name: spaces collapsed, quotes dropped. */
function normalizeSurface(s: string): string {
  return s.replace(/["«»“”]/g, '').replace(/\s+/g, ' ').trim();
}

/** True when token i opens a sentence or a line (or the text). */
function opensSentence(text: string, toks: Tok[], i: number): boolean {
  if (i === 0) return true;
  return SENTENCE_END.test(text.slice(toks[i - 1].end, toks[i].start));
}

/** A phrase of one of `roles` at token j; unless `free`, directly after token j-1 (no punctuation between). */
function phraseAt(d: Data, text: string, toks: Tok[], j: number, roles: Role[], free = false) {
  if (j >= toks.length || (!free && j > 0 && !gapOk(text, toks[j - 1].end, toks[j].start))) return null;
  const p = d.phrases.matchAt(text, toks, j);
  if (!p) return null;
  for (const r of roles) if (p.value.has(r)) return p;
  return null;
}

/**
 * Attribution phrases, left to right: "أفاد المرصد السوري" (verb + source), "وفق الأمم المتحدة"
 * (preposition + source), "وفق ما أفاد المرصد" (with fillers), "نقلت سانا عن مصدر عسكري" (source =
 * the quoted one, via = the relay), "قال مصدر عسكري لسانا" (via = the one told), and at a sentence
 * start "المرصد السوري قال ..." / "المرصد السوري لحقوق الإنسان إن ...".
 */
export function findAttributions(nt: NormalizedText, opts?: { country?: string | null }): Attribution[] {
  if (!nt || typeof nt.text !== 'string') throw new TypeError('findAttributions: expected a NormalizedText (from normalize(text))');
  const d = loadData();
  const text = nt.text;
  const toks = scanTokens(text);
  const out: Attribution[] = [];
  // A named armed actor after a verb speaks for itself ("أعلن حزب الله أن مقاتليه ..."): found
  // through the actor lexicon, only when no source follows the verb.
  let actorsAt: Map<number, ActorMention> | null = null;
  const partyAt = (j: number): SourceHit | null => {
    if (j >= toks.length || (j > 0 && !gapOk(text, toks[j - 1].end, toks[j].start))) return null;
    if (!actorsAt) {
      actorsAt = new Map();
      for (const m of findActors(nt, opts?.country ? { country: opts.country } : undefined)) actorsAt.set(m.start, m);
    }
    for (let k = toks[j].start; k < toks[j].start + 3 && k < toks[j].end; k++) {
      const m = actorsAt.get(k);
      if (!m) continue;
      if (m.associated || m.adjectival || m.backer || !PARTY_KINDS.has(m.entry.kind) || m.entry.id.startsWith('gen-')) return null;
      let last = j;
      while (last < toks.length && toks[last].start < m.end) last++;
      const entry: SourceEntry = { id: `actor:${m.entry.id}`, name_ar: normalizeSurface(m.surface), name_en: m.entry.name, kind: 'party', aliases: [] };
      return { entry, start: m.start, end: m.end, last, proclitic: text.slice(toks[j].start, m.start) };
    }
    return null;
  };
  // After the credited source: "عن مصدر عسكري" (it quotes another) or "لسانا" (it was told to another).
  const relay = (s: SourceHit): { source: SourceHit; via?: SourceHit } => {
    // Measured from the source's end, which may be a ")" ("(سانا) عن مصدر عسكري").
    if (s.last >= toks.length || !gapOk(text, s.end, toks[s.last].start)) return { source: s };
    const v = phraseAt(d, text, toks, s.last, ['via'], true);
    if (v) {
      const q = sourceAt(d, text, toks, v.last, true);
      if (q && gapOk(text, toks[v.last - 1].end, toks[v.last].start)) return { source: q, via: s };
    }
    {
      const told = sourceAt(d, text, toks, s.last, false);
      if (told && told.proclitic.endsWith('ل') && told.entry.id !== s.entry.id) return { source: s, via: told };
    }
    return { source: s };
  };
  const push = (start: number, phraseStart: number, phraseEnd: number, r: { source: SourceHit; via?: SourceHit }) => {
    const end = Math.max(r.source.end, r.via?.end ?? 0, phraseEnd);
    const a: Attribution = {
      start,
      end,
      source: r.source.entry,
      sourceMention: mentionOf(nt, r.source),
      phrase: originalSlice(nt, phraseStart, phraseEnd),
    };
    if (r.via) {
      a.via = r.via.entry;
      a.viaMention = mentionOf(nt, r.via);
    }
    out.push(a);
  };
  for (let i = 0; i < toks.length; ) {
    const p = phraseAt(d, text, toks, i, ['verb', 'prep'], true);
    if (p) {
      // Skip fillers and one more verb: "وفق ما أفاد", "بحسب ما ذكرت اليوم".
      let j = p.last;
      let phraseEnd = p.end;
      let verbs = 0;
      for (let step = 0; step < 4; step++) {
        const f = phraseAt(d, text, toks, j, ['filler', 'verb', 'prep']);
        if (!f || sourceAt(d, text, toks, j, false)) break;
        if (!f.value.has('filler') && ++verbs > 1) break;
        j = f.last;
        if (!f.value.has('filler')) phraseEnd = f.end;
      }
      const s =
        j < toks.length && gapOk(text, toks[j - 1].end, toks[j].start)
          ? (sourceAt(d, text, toks, j, true) ?? (p.value.has('verb') && j === p.last ? partyAt(j) : null))
          : null;
      if (s) {
        const r = relay(s);
        push(p.start, p.start, phraseEnd, r);
        i = Math.max(r.source.last, r.via?.last ?? 0);
        continue;
      }
      i = p.last;
      continue;
    }
    const s = sourceAt(d, text, toks, i, false);
    if (s) {
      const start = opensSentence(text, toks, i);
      const v = phraseAt(d, text, toks, s.last, start ? ['verb', 'after'] : ['verb']);
      if (v && start) {
        push(s.start, v.start, v.end, { source: s });
        i = v.last;
        continue;
      }
      // Headline style "سانا عن مصدر عسكري": a relay without a verb.
      const r = relay(s);
      if (r.via && r.via === s) {
        push(s.start, s.start, s.start, r);
        i = r.source.last;
        continue;
      }
      i = s.last;
      continue;
    }
    i++;
  }
  return out;
}
