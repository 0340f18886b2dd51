// Stage 2: trigger hits -> frames (one per act mentioned), with the clause-level choices
// (weak triggers, overriding triggers, protest modifiers) and the reading of the act:
// background / intention / claim / negation / purpose, and status (failed, attempted).

import type { Hit } from './matcher.js';
import type { MarkerKind, TriggerEntry } from './lexicon.js';
import type { Frame, NSpan, Part, Sentence } from './model.js';
import { clauseAt, lowerBound, markersOf, within } from './analyze.js';

const span = (h: { start: number; end: number }): NSpan => ({ start: h.start, end: h.end });

/** Word index of a normalised offset. */
function wordIndex(p: Part, pos: number): number {
  let lo = 0;
  let hi = p.words.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (p.words[m].end <= pos) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Per part: each marker's rank in text order (built only for a span dense with markers). */
const markerRank = new WeakMap<Part, Map<Hit<MarkerKind>, number>>();
function rankOf(p: Part) {
  let rank = markerRank.get(p);
  if (!rank) {
    rank = new Map();
    for (let i = 0; i < p.markers.length; i++) rank.set(p.markers[i], i);
    markerRank.set(p, rank);
  }
  return rank;
}

// (from the per-kind lists by binary search, in text order: filtering all the markers of a long
// sentence for each of its triggers is quadratic)
function markersIn(p: Part, a: number, b: number, kinds: MarkerKind[]): Hit<MarkerKind>[] {
  if (kinds.length === 1) return markersOf(p, kinds[0], a, b);
  // (a span with few markers, as in any real report: filtering them is cheaper)
  const lo = lowerBound(p.markers, a);
  if (lo + 32 >= p.markers.length || p.markers[lo + 32].start >= b) return within(p.markers, a, b).filter((m) => m.values.some((v) => kinds.includes(v)));
  const found = new Set<Hit<MarkerKind>>();
  for (const k of kinds) for (const m of markersOf(p, k, a, b)) found.add(m);
  if (found.size < 2) return [...found];
  const rank = rankOf(p);
  return [...found].sort((x, y) => rank.get(x)! - rank.get(y)!);
}

/** Markers of `kinds` ending at most `maxWords` words before `pos`, from `from` on. */
function markerBefore(p: Part, from: number, pos: number, kinds: MarkerKind[], maxWords: number): Hit<MarkerKind> | undefined {
  const wi = wordIndex(p, pos);
  // (only markers that can end within reach: none starts before the word maxWords + the longest
  // marker's length back, so a long clause is not scanned from its start for each trigger)
  const first = wi - maxWords - p.longestMarker;
  const lo = first > 0 && p.words[first] ? Math.max(from, p.words[first].start) : from;
  return markersIn(p, lo, pos, kinds)
    .filter((m) => wi - m.last <= maxWords)
    .pop();
}

/** The event-bearing reading of a hit (protest modifiers only when nothing else). */
function primary(h: Hit<TriggerEntry>): TriggerEntry {
  return h.values.find((v) => !v.flags.has('protest-mod')) ?? h.values[0];
}

/** A noun with the purpose ل ("للتقدم", "لدخوله"): an aim, unless after "تعرض" (was subjected to). */
function purposeLam(p: Part, h: Hit<TriggerEntry>): boolean {
  const pre = h.prefix.replace(/^[وف]/, '');
  if (!(pre === 'ل' || pre === 'لل')) return false;
  const prev = p.words[h.first - 1];
  return !(prev && /^(ت|ي)?تعرض|^تعرض|^عرض/.test(prev.text));
}

export function findFrames(p: Part, nextId: () => number): Frame[] {
  const frames: Frame[] = [];
  for (const s of p.sentences) {
    const inSentence = within(p.triggers, s.start, s.end);
    const hasProtest = inSentence.some((h) => h.values.some((v) => v.event_type === 'Protests' && !v.flags.has('protest-mod')));
    // Protesters who burn, storm or stone are rioters: one riot, not a protest and a riot.
    const riot = hasProtest && inSentence.some((h) => h.values.some((v) => v.event_type === 'Riots'));
    const mods = inSentence.filter((h) => h.values.some((v) => v.flags.has('protest-mod')));
    // Live fire on protesters is the protest's own sub-type (Excessive force), not an attack too;
    // storming by rioters ("اقتحام القنصلية وإضرام النار فيها") is the riot, not a clash.
    const lethal = hasProtest && inSentence.some((h) => h.values.some((v) => v.sub_event_type === 'Excessive force against protesters'));
    for (let c = 0; c < s.clauses.length; c++) {
      const cl = s.clauses[c];
      // (the clause's hits from a binary search, not a filter of the whole sentence per clause)
      let hits: Hit<TriggerEntry>[] = [];
      for (let i = lowerBound(inSentence, cl.start); i < inSentence.length && inSentence[i].start < cl.end; i++) if (!purposeLam(p, inSentence[i])) hits.push(inSentence[i]);
      // When a protest is in the sentence, the modifier words are part of it, not events.
      if (hasProtest) hits = hits.filter((h) => !mods.includes(h) || (riot && h.values.some((v) => v.event_type === 'Riots')));
      else hits = hits.filter((h) => h.values.some((v) => !v.flags.has('protest-mod')));
      if (hits.some((h) => primary(h).flags.has('override'))) hits = hits.filter((h) => primary(h).flags.has('override'));
      // A capture names its fighting: "سيطرت ... بعد معارك مع ..." is one takeover, not a clash too.
      if (hits.some((h) => primary(h).flags.has('takeover')))
        hits = hits.filter((h) => primary(h).flags.has('takeover') || primary(h).event_type !== 'Battles');
      const strong = hits.some((h) => !primary(h).flags.has('weak'));
      if (strong) hits = hits.filter((h) => !primary(h).flags.has('weak'));
      if (riot) hits = hits.filter((h) => primary(h).event_type !== 'Protests' && !(primary(h).event_type === 'Battles' && primary(h).flags.has('weak')));
      // "مواجهات بين شبان رشقوا الحجارة والقوات الإسرائيلية": the confrontation is the stone-throwing riot.
      if (hits.some((h) => primary(h).event_type === 'Riots' && !primary(h).flags.has('protest-mod'))) hits = hits.filter((h) => primary(h).event_type !== 'Battles');
      if (lethal && !riot) hits = hits.filter((h) => primary(h).event_type === 'Protests' || (primary(h).event_type !== 'Violence against civilians' && !(primary(h).event_type === 'Battles' && primary(h).flags.has('weak'))));
      for (const h of hits) {
        let entry = primary(h);
        if (riot && entry.flags.has('protest-mod') && entry.event_type === 'Riots') entry = { ...entry, flags: new Set([...entry.flags].filter((f) => f !== 'protest-mod')) };
        let sub = entry.sub_event_type;
        if (entry.event_type === 'Protests' && hasProtest) {
          // The strongest modifier in the sentence sets the sub-type.
          // (a modifier in a clause with a protest act of its own belongs to that protest only:
          // "واصل المحتجون اعتصامهم، فيما أطلقت قوات الأمن الغاز على محتجين قرب الجسر")
          const protestIn = (k: number, strong: boolean) =>
            inSentence.some((x) => !mods.includes(x) && x.values.some((v) => v.event_type === 'Protests' && (!strong || !v.flags.has('weak'))) && clauseAt(s, x.start) === k);
          const subs = mods
            .filter((m) => clauseAt(s, m.start) === c || !protestIn(clauseAt(s, m.start), true) && !(protestIn(c, true) && protestIn(clauseAt(s, m.start), false)))
            .flatMap((m) => m.values.filter((v) => v.flags.has('protest-mod')).map((v) => v.sub_event_type));
          if (subs.includes('Excessive force against protesters')) sub = 'Excessive force against protesters';
          else if (subs.includes('Protest with intervention')) sub = 'Protest with intervention';
        }
        frames.push(newFrame(p, s, c, h, entry, sub, nextId()));
      }
    }
  }
  // A weak attempt word in a sentence that names the clash with a strong one ("اندلعت اشتباكات ...،
  // عقب محاولة تسلل نفذتها الفصائل") is that clash told from its start: one event.
  const strongBattle = new Set(frames.filter((f) => f.event_type === 'Battles' && !f.entry.flags.has('weak') && !f.entry.flags.has('takeover')).map((f) => f.sentence));
  frames.splice(0, frames.length, ...frames.filter((f) => !(f.event_type === 'Battles' && f.entry.flags.has('weak') && f.entry.flags.has('attempted') && strongBattle.has(f.sentence))));
  // Several triggers in one clause naming one act ("قصف صاروخي" after "قصف"): keep one per type.
  const seen = new Set<string>();
  return frames.filter((f) => {
    const k = `${f.sentence.index}|${f.clause}|${f.sub_event_type}`;
    if (f.entry.flags.has('takeover') || f.entry.flags.has('mutual') || !seen.has(k)) {
      seen.add(k);
      return true;
    }
    return false;
  });
}

function newFrame(p: Part, s: Sentence, c: number, h: Hit<TriggerEntry>, entry: TriggerEntry, sub: string, id: number): Frame {
  const f: Frame = {
    id,
    part: p,
    sentence: s,
    clause: c,
    trigger: h,
    entry,
    event_type: entry.event_type,
    sub_event_type: sub,
    actor1: null,
    actor2: null,
    assoc1: [],
    assoc2: [],
    places: [],
    refersTo: null,
    ownPlace: false,
    anaphor: false,
    date: null,
    time_precision: 1,
    dateSpans: [],
    status: 'occurred',
    statusSpans: [],
    background: false,
    backgroundSpans: [],
    pluperfectOnly: false,
    civilian: entry.flags.has('civilian'),
    civilianSpans: [],
    fatalities: 0,
    fatalities_by_side: {},
    fatalitySpans: [],
    wounded: 0,
    woundedSpans: [],
    victims: [],
    reported_by: null,
    reported_by_en: null,
    sourceSpans: [],
  };
  readContext(f);
  return f;
}

/** Background, intention, claim, negation, purpose and status from the markers around the trigger. */
export function readContext(f: Frame): void {
  const p = f.part;
  const s = f.sentence;
  const cl = s.clauses[f.clause];
  const h = f.trigger;
  const bg = (m: { start: number; end: number }, pluperfect = false) => {
    f.pluperfectOnly = pluperfect && (!f.background || f.pluperfectOnly);
    f.background = true;
    f.backgroundSpans.push(span(m));
  };
  // History and habits anywhere in the sentence; claims anywhere in the sentence.
  // (not in a later clause about someone's past: "اغتال مجهولون، مساء الاثنين، شاباً كان يعمل سابقاً في صفوف الفصائل")
  for (const m of markersIn(p, s.start, s.end, ['background', 'habitual', 'claim'])) if (m.start < cl.end || !m.values.includes('background')) bg(m);
  // Pluperfect "كان(ت) ... قد": history.
  for (const m of markersIn(p, s.start, h.start, ['past-perfect'])) {
    const wi = m.last;
    const qad = p.words.slice(wi, wi + 5).find((w) => w.text === 'قد' || w.text === 'وقد');
    if (qad && qad.start < h.start) bg({ start: m.start, end: qad.end }, true);
  }
  // A trigger word that is part of a non-act phrase ("تسوية أوضاع"): no event.
  if (markersIn(p, s.start, s.end, ['not-act']).some((m) => m.start <= h.start && m.end >= h.end)) f.anaphor = true;
  // "وتبنى تنظيم الدولة الهجوم": the claim names the act reported before it (linked in index.ts).
  const claim = markerBefore(p, cl.start, h.start, ['responsibility'], 6);
  if (claim) {
    f.claimSpan = span(claim);
    f.anaphor = true;
  } else {
    const acc = markerBefore(p, cl.start, h.start, ['accusation'], 8);
    if (acc && (f.event_type === 'Explosions/Remote violence' || f.event_type === 'Violence against civilians')) {
      f.claimSpan = span(acc);
      f.accusation = true;
      f.anaphor = true;
    }
  }
  // Threats, plans and the future: before the trigger in its sentence.
  for (const m of markersIn(p, s.start, h.start, ['intention'])) bg(m);
  // The aim of an act is not an act: "في محاولة منها لتخفيف الضغط", "بهدف".
  const purpose = markerBefore(p, cl.start, h.start, ['purpose'], 6);
  if (purpose) bg(purpose);
  // A state of control, not a capture: "تحت سيطرة".
  const state = markerBefore(p, s.start, h.start, ['state'], 1);
  if (state) bg(state);
  // Negated: "لم تسجل اشتباكات", "نفت ... قصف".
  const neg = markerBefore(p, cl.start, h.start, ['negation'], 2);
  if (neg) bg(neg);
  // Denied: "نفت وزارة الدفاع قيام طائراتها بقصف ..." (the whole clause after the denial).
  const denial = markerBefore(p, cl.start, h.start, ['denial'], 12);
  if (denial) bg(denial);
  // Status.
  const failed = markerBefore(p, cl.start, h.start, ['failed'], 4);
  if (failed) {
    f.status = 'failed';
    f.statusSpans.push(span(failed));
  } else if (f.entry.flags.has('repel')) {
    f.status = 'failed';
    f.statusSpans.push(span(h));
  } else if (f.entry.flags.has('attempted')) {
    f.status = 'attempted';
    f.statusSpans.push(span(h));
  } else {
    const att = markerBefore(p, cl.start, h.start, ['attempted'], 3);
    if (att) {
      f.status = 'attempted';
      f.statusSpans.push(span(att));
    }
  }
}
