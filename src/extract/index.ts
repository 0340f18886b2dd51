// The event extractor: an Arabic conflict report in, ACLED-coded events with evidence out.
//
//   analyze (title, body) -> frames (one per trigger) -> actors, places, date, casualties,
//   source -> events (one per place) -> dedupe -> notes
//
// Each stage is a small function over plain data in its own file; the lexicons are data
// files in /lexicon (triggers.tsv, markers.tsv, sides.tsv, opponents.tsv).

import type { Article, ConflictEvent, ExtractResult, Figure, Mention } from '../types.js';
import { inferCountry, loadGazetteer, type Gazetteer } from './deps.js';
import { normalize } from '../text/normalize.js';
import { analyzePart, lowerBound, within } from './analyze.js';
import { findFrames } from './frames.js';
import { attachActors, type ActorState } from './actors.js';
import { attachPlaces, type PlaceState } from './places.js';
import { attachDate } from './dates.js';
import { assignCasualties, readCasualties } from './casualties.js';
import { sourceFor } from './sources.js';
import { readFigures } from './figures.js';
import { killCount, refine } from './refine.js';
import { evidence, toEvents } from './assemble.js';
import { dedupe } from './dedupe.js';
import { notes } from './notes.js';
import type { ActorRef, Frame, Part } from './model.js';

export interface ExtractOptions {
  /** A loaded gazetteer; by default the built-in one, loaded once and cached. */
  gazetteer?: Gazetteer;
  /** Country the report is about (English name); else the article's, else inferred from the text, else Syria. */
  country?: string;
}

let defaultGazetteer: Gazetteer | null = null;

/** The gazetteer extract() uses when none is passed (loaded on first use). */
export function defaultGazetteerInstance(): Gazetteer {
  return (defaultGazetteer ??= loadGazetteer());
}

/** Share of non-space characters that are Arabic letters. */
function arabicShare(s: string): number {
  let ar = 0;
  let all = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20) continue;
    all++;
    if (c >= 0x0600 && c <= 0x06ff) ar++;
  }
  return all === 0 ? 1 : ar / all;
}

export function extract(article: Article, opts: ExtractOptions = {}): ExtractResult {
  if (!article || typeof article.text !== 'string') throw new TypeError('extract: article.text must be a string');
  const gazetteer = opts.gazetteer ?? defaultGazetteerInstance();
  // The country the report is about: given, else read from the text (its places and actors), else Syria.
  const title = typeof article.title === 'string' ? article.title : '';
  const country = opts.country ?? (typeof article.country === 'string' && article.country ? article.country : null) ?? inferCountry(normalize(`${title}\n${article.text}`)) ?? 'Syria';
  const published = typeof article.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(article.date) && !Number.isNaN(Date.parse(article.date.slice(0, 10))) ? article.date.slice(0, 10) : null;
  const warnings: string[] = [];
  if (!published) warnings.push('no publication date: relative dates ("today", weekdays) are unresolved');
  const body = article.text;
  if (arabicShare(body) < 0.3) warnings.push('the text is mostly not Arabic: nothing may be found');

  const parts: Part[] = [];
  const aopts = { gazetteer, country, date: published };
  if (typeof article.title === 'string' && article.title.trim()) parts.push(analyzePart(article.title, 'title', aopts));
  parts.push(analyzePart(body, 'text', aopts));

  let id = 0;
  const allFrames: Frame[] = [];
  const figures: Figure[] = [];
  for (const p of parts) {
    const frames = findFrames(p, () => id++);
    const bySentence = new Map<Frame['sentence'], Frame[]>();
    for (const f of frames) {
      const l = bySentence.get(f.sentence);
      if (l) l.push(f);
      else bySentence.set(f.sentence, [f]);
    }
    const actorState: ActorState = { lastPair: null, country };
    const placeState: PlaceState = { fronts: [], frames: [] };
    // (the frames a claim may reach, built once per part: a copy for each claim is quadratic)
    let reach: Frame[] | null = null;
    // (f's place in its sentence's list, counted as we go: frames come in order, so the frames
    // before it are that list's head, not a filter of the whole sentence for each frame)
    const seenInSentence = new Map<Frame['sentence'], number>();
    for (const [i, f] of frames.entries()) {
      attachPlaces(f, placeState);
      const inSentence = bySentence.get(f.sentence) ?? [];
      const at = seenInSentence.get(f.sentence) ?? 0;
      seenInSentence.set(f.sentence, at + 1);
      attachActors(f, actorState, sentenceSubject(f, inSentence, at), inSentence[at - 1] ?? null);
      if (f.claimSpan) claimFor(f, (reach ??= [...allFrames, ...frames]), allFrames.length + i);
      // "وأعلنت كتيبة جنين أن مقاتليها ... فجروا عبوات ناسفة", "أعلنت كتائب القسام استهداف دبابة": an
      // armed group announcing an act with no other author is that act's author.
      if (!f.actor1 || f.actor1.entry.side === 'unidentified') {
        const by = announcer(f);
        if (by) f.actor1 = { entry: by.entry, mention: by };
      }
      // "الضربات طالت أيضاً مستودعات في الكسوة": the strikes told before, reaching a new place, keep
      // their author.
      if (!f.actor1 && !f.anaphor && f.event_type === 'Explosions/Remote violence' && (/(ال|لل)$/.test(f.trigger.prefix) || /^[وفبل]?(?:ال|لل)/.test(p.nt.text.slice(f.trigger.start, f.trigger.end)))) {
        const earlier = frames.slice(0, i).filter((g) => g.event_type === f.event_type && !g.background && !g.anaphor);
        const prev = earlier.reverse().find((g) => g.actor1);
        // (at a place already named for such an act it is that act retold: dedupe joins them)
        const ids = new Set(earlier.flatMap((g) => g.places.map((x) => x.location.gazetteer_id)).filter(Boolean));
        if (prev?.actor1 && !f.places.some((x) => ids.has(x.location.gazetteer_id))) f.actor1 = { entry: prev.actor1.entry };
      }
      attachDate(f, published);
      const src = sourceFor(p, f.sentence, f.trigger.start);
      if (src) {
        f.reported_by = src.name;
        f.reported_by_en = src.name_en;
        f.sourceSpans.push(src.span);
      }
    }
    // A capture told again without a date ("حررت غريان بالكامل" after "أعلنت أمس استعادة السيطرة على
    // غريان") is the same capture: it takes the date of the first telling.
    for (const f of frames) {
      if (!f.entry.flags.has('takeover') || f.dateSpans.length > 0 || f.background) continue;
      const id = f.places[0]?.location.gazetteer_id;
      const first = id ? frames.find((g) => g !== f && g.entry.flags.has('takeover') && g.dateSpans.length > 0 && !g.background && g.places.some((x) => x.location.gazetteer_id === id)) : undefined;
      if (first) {
        f.date = first.date;
        f.time_precision = first.time_precision;
        f.dateSpans.push(...first.dateSpans);
      }
    }
    const figs = readFigures(p, published);
    assignCasualties(p, frames, readCasualties(p, figs.map((x) => x.numberSpan), published));
    for (const f of frames) {
      killCount(p, f);
      refine(f, country);
    }
    for (const fr of figs) figures.push({ ...fr.figure, evidence: evidence(p, fr.spans) });
    allFrames.push(...frames);
  }

  const sourceEn = new Map<ConflictEvent, string | null>();
  const raw: ConflictEvent[] = [];
  for (const f of allFrames) {
    for (const e of toEvents(f)) {
      sourceEn.set(e, f.reported_by_en);
      raw.push(e);
    }
  }
  const events = dedupe(raw);
  events.forEach((e, i) => {
    e.id = `${article.id ?? 'article'}-e${i + 1}`;
    e.notes = notes(e, sourceEn.get(e));
  });
  return { ...(article.id ? { id: article.id } : {}), events, figures: dedupeFigures(figures), mentions: mentions(parts), warnings };
}

/** "وتبنى تنظيم الدولة الهجوم": the claimant is the author of the latest act before the claim
 * that has no author of its own (a bombing, an attack); the claim itself is no event. */
function claimFor(f: Frame, frames: Frame[], at: number): void {
  const p = f.part;
  const named = within(p.actors, f.claimSpan!.end, f.accusation ? f.trigger.start : f.sentence.end).filter((a) => a.associated !== true && a.entry.inter !== 7 && a.entry.inter !== 6);
  // "اتهمت قوات الدعم السريع الجيش بتنفيذ الغارة": the accused is the last side before the act.
  const claimant = f.accusation ? named[named.length - 1] : named[0];
  if (!claimant) return;
  // The act claimed: every telling of it still without an author, in the headline or the
  // three sentences before the claim.
  for (let i = at - 1; i >= 0; i--) {
    const g = frames[i];
    if (g.anaphor || g.background) continue;
    if (g.part === p && g.sentence.index < f.sentence.index - 3) break;
    if (g.event_type !== 'Explosions/Remote violence' && g.event_type !== 'Violence against civilians' && !g.entry.flags.has('attack')) continue;
    if (!g.actor1 || g.actor1.entry.inter === 7 || g.actor1.entry.side === 'unidentified') {
      if (g.actor1 && g.actor1.entry.inter === 7 && !g.actor2) g.actor2 = g.actor1;
      // (spans are offsets in their own part: a headline act gets the entry only)
      g.actor1 = g.part === p ? { entry: claimant.entry, mention: claimant } : { entry: claimant.entry };
    }
  }
}

/** The armed group that opens the sentence by announcing ("أعلن/أعلنت X أن/عن ...") before the trigger. */
function announcer(f: Frame) {
  const p = f.part;
  const t = p.nt.text;
  const head = t.slice(f.sentence.start, f.trigger.start);
  const i = head.search(/(?:^|\s)و?اعلن(?:ت)?\s/);
  if (i < 0) return undefined;
  const m = within(p.actors, f.sentence.start + i, f.trigger.start)[0];
  if (!m || m.associated === true || m.entry.inter > 4 || m.entry.side === 'unidentified') return undefined;
  // the group must come right after the verb (its subject)
  const between = t.slice(f.sentence.start + i, m.start).trim().split(/\s+/).filter((w) => /[\u0621-\u064a]/.test(w));
  return between.length <= 1 ? m : undefined;
}

/** The subject a clause without its own actor inherits: the last explicit actor1 of the sentence. */
function sentenceSubject(f: Frame, sentenceFrames: Frame[], at: number): ActorRef | null {
  // (the frames before f are sentenceFrames[0, at); walked back from f, stopping at the first hit)
  for (let i = at - 1; i >= 0; i--) {
    const g = sentenceFrames[i];
    if (g.actor1?.mention && g.event_type === f.event_type) return g.actor1;
  }
  // The subject of another kind of act ("قصفت الطائرات ... وسط اشتباكات") is not this one's.
  for (let i = 0; i < at; i++) if (sentenceFrames[i].event_type !== f.event_type) return null;
  const p = f.part;
  const s = f.sentence;
  // Otherwise the first actor named before the trigger in the sentence.
  // (not a victim or a part: "مقتل 7 عناصر من قوات النظام")
  for (let i = lowerBound(p.actors, s.start); i < p.actors.length && p.actors[i].start < f.trigger.start; i++) {
    const a = p.actors[i];
    if (a.end <= f.trigger.start && a.associated !== true && a.entry.inter !== 7 && !/(^|\s)من\s*$/.test(p.nt.text.slice(Math.max(0, a.start - 5), a.start))) return { entry: a.entry, mention: a };
  }
  return null;
}

function dedupeFigures(fs: Figure[]): Figure[] {
  const out: Figure[] = [];
  for (const f of fs) if (!out.some((g) => g.kind === f.kind && g.value === f.value && g.place === f.place)) out.push(f);
  return out;
}

function mentions(parts: Part[]): Mention[] {
  const out: Mention[] = [];
  for (const p of parts) {
    const { starts, ends, original } = p.nt;
    const add = (kind: Mention['kind'], s: number, e: number, value: string | number) => {
      if (e <= s) return;
      const os = starts[s];
      const oe = ends[e - 1];
      out.push({ kind, part: p.part, start: os, end: oe, text: original.slice(os, oe), value });
    };
    for (const m of p.places) add('place', m.start, m.end, m.location.gazetteer_id ?? m.location.name);
    for (const m of p.actors) add('actor', m.start, m.end, m.entry.name);
    for (const n of p.numbers) add('number', n.start, n.end, n.value);
    for (const d of p.dates) if (d.date) add('date', d.start, d.end, d.date);
    for (const t of p.triggers) add('trigger', t.start, t.end, t.values[0].sub_event_type);
    for (const a of p.attributions) add('source', a.start, a.end, a.source.name_ar);
  }
  return out.sort((a, b) => (a.part === b.part ? a.start - b.start : a.part === 'title' ? -1 : 1));
}

export type { Article, ConflictEvent, ExtractResult, Figure, Mention } from '../types.js';
