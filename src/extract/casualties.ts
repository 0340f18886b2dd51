// Stage 3d: how many killed and wounded. A casualty noun or verb ("مقتل", "قتلى", "جرحى") with
// its count(s): "مقتل 4 عناصر من X و8 عناصر من Y" -> 12, by side {X: 4, Y: 8}; "عشرات القتلى"
// -> 10 (CONTRACT.md vague numbers); "مقتل عنصر" -> 1; counts after "بينهم" are a subset.
// The count goes to the act of its clause, else the nearest act before it in the sentence,
// else after it; for an act reported at several places it goes to the first event only.

import type { ActorEntry, NumberReading } from './deps.js';
import type { Frame, NSpan, Part, Sentence } from './model.js';
import type { MarkerKind } from './lexicon.js';
import { clauseAt, lowerBound, markersOf, sentenceOf, within } from './analyze.js';

export interface Count {
  kind: 'killed' | 'wounded';
  total: number;
  bySide: Record<string, number>;
  sides: ActorEntry[];
  spans: NSpan[];
  civilian: NSpan | null;
  bothSides: boolean;
  at: number;
  sentence: Sentence;
}

const SINGULAR = /^(عنصر|مقاتل|جندي|ضابط|مدني|طفل|شخص|مواطن|امراه|سيده|شاب|رجل|مسلح|قتيل|شرطي)$/;

/** "وطفلها", "وابنتها", "وزوجته": a second victim named by kinship. */
const RELATIVE = /^و(طفل|طفلت|ابن|ابنت|زوج|زوجت|شقيق|شقيقت|والد|والدت|ام|اب|اخ|اخت)(ها|ه|هما)$/;

const singular = (w: { stems: { stem: string }[] }) => w.stems.length > 0 && SINGULAR.test(w.stems[w.stems.length - 1].stem.replace(/^ال/, ''));

// (markers in [a, b) by binary search: scanning all markers of a kind for each casualty word is
// quadratic in a long text)
function has(p: Part, a: number, b: number, kind: MarkerKind) {
  return markersOf(p, kind, a, b)[0];
}

/** No single event kills a million: longer numbers (IDs, 30-digit noise) are not casualty counts. */
export const plausibleCount = (v: number) => Number.isSafeInteger(v) && v <= 1_000_000;

/** Numbers usable as casualty counts (not ordinals, not fractions, not years). */
function counts(p: Part): NumberReading[] {
  return p.numbers.filter((n) => !n.ordinal && !(n as { fraction?: boolean }).fraction && !(n.value >= 1900 && n.value <= 2100 && n.kind === 'exact') && plausibleCount(n.value));
}

/** Days before publication beyond which a "since" period makes a toll cumulative (see dates.ts). */
const WINDOW_DAYS = 7;

function oldSince(d: { since?: boolean; date: string | null }, published: string | null): boolean {
  if (!d.since || !d.date) return false;
  if (!published) return true;
  return (Date.parse(published) - Date.parse(d.date.length === 7 ? d.date + '-01' : d.date)) / 86400000 > WINDOW_DAYS;
}

export function readCasualties(p: Part, figureSpans: NSpan[], published: string | null = null): Count[] {
  const nums = counts(p).filter((n) => !figureSpans.some((f) => n.start < f.end && n.end > f.start));
  const out: Count[] = [];
  const used = new Set<NumberReading>();
  // (the "since" dates found once, not each sentence's dates read again for each casualty word)
  const sinceDates = p.dates.filter((d) => oldSince(d, published));
  for (const m of p.markers) {
    const kind = m.values.includes('killed') ? 'killed' : m.values.includes('wounded') ? 'wounded' : null;
    if (!kind) continue;
    const s = sentenceOf(p, m.start);
    if (!s) continue;
    const cl = s.clauses[clauseAt(s, m.start)];
    // Cumulative tolls over a period are figures, not event counts ("منذ بدء الهجوم", "منذ نيسان").
    // (a "since" date earlier in the sentence too: "ومنذ الثامن من تشرين الأول، يتبادل الطرفان القصف،
    // ما أسفر عن مقتل أكثر من 90 شخصاً")
    if (has(p, cl.start, cl.end, 'cumulative') || within(sinceDates, s.start, cl.end, 1).length > 0) continue;
    // A death named as the cause of what is reported ("احتجاجات ... على خلفية وفاة شاب تحت التعذيب") is history.
    if (/خلفيه\s+$/.test(p.nt.text.slice(Math.max(s.start, m.start - 10), m.start))) continue;
    // "ما يرفع الحصيلة إلى 40 قتيلاً و260 جريحاً": a noun whose count is a figure belongs to that figure.
    if (figureSpans.some((f) => f.end <= m.start && /^\s*$/.test(p.nt.text.slice(f.end, m.start)))) continue;
    const c: Count = { kind, total: 0, bySide: {}, sides: [], spans: [{ start: m.start, end: m.end }], civilian: null, bothSides: !!has(p, m.end, cl.end, 'both-sides'), at: m.start, sentence: s };
    const subset = markersOf(p, 'subset', m.end + 1, cl.end)[0];
    const limit = subset ? subset.start : cl.end;
    // "عشرات القتلى", "12 قتيلا": the count right before the noun.
    // (numbers of this clause only: long articles stay linear)
    const local = within(nums, cl.start, cl.end);
    const before = local.find((n) => !used.has(n) && n.end <= m.start && /^[\s]*$/.test(p.nt.text.slice(n.end, m.start)) && n.end >= cl.start);
    // "لقي ثلاثة من عناصر الحشد مصرعهم": the count inside the phrase.
    const inside = local.find((n) => !used.has(n) && n.start >= m.start && n.end <= m.end);
    const chain: NumberReading[] = [];
    if (inside) chain.push(inside);
    else if (before) chain.push(before);
    else {
      // "مقتل 4 عناصر من X و8 عناصر من Y": counts after the noun, joined by و.
      let pos = m.end;
      for (const n of local) {
        if (used.has(n) || n.start < pos || n.start >= limit) continue;
        const gap = p.nt.text.slice(pos, n.start);
        const words = gap.trim().split(/\s+/).filter(Boolean).length;
        const joined = /و\s*$/.test(gap) || (n.start > 0 && p.nt.text[n.start - 1] === 'و');
        if (chain.length === 0 ? words > 1 : words > 9 || !joined) break;
        chain.push(n);
        pos = n.end;
      }
    }
    if (chain.length === 0 && !inside) {
      // "9 أشخاص على الأقل قتلوا في اشتباكات اليوم": the count of the subject before a passive verb.
      const prior = local.filter((n) => !used.has(n) && n.end <= m.start && n.start >= cl.start).pop();
      if (prior) {
        const between = p.nt.text.slice(prior.end, m.start).trim().split(/\s+/).filter(Boolean);
        const otherCasualty = within(p.markers, prior.end, m.start).some((x) => x.values.includes('killed') || x.values.includes('wounded'));
        if (between.length <= 4 && !otherCasualty) chain.push(prior);
      }
    }
    if (chain.length === 0) {
      // "ارتفعت حصيلة قتلى الغارة إلى 12": the toll after "إلى".
      const head = p.nt.text.slice(Math.max(cl.start, m.start - 12), m.start);
      // ("إلى" searched only up to the clause's limit: a search to the end of the text for every
      // casualty word would be quadratic in a long text)
      const to = /(حصيله|عدد)\s*$/.test(head) ? p.nt.text.slice(0, limit + 3).indexOf('الي ', m.end) : -1;
      if (to >= 0 && to < limit) {
        const n = local.find((x) => !used.has(x) && x.start > to && x.start - to <= 12 && x.end <= limit);
        if (n) chain.push(n);
      }
    }
    if (chain.length === 0) {
      // "مقتل عنصر", "قتيل": one.
      // (its next two words only: a long clause is not copied for each casualty word)
      const after = within(p.words, m.end, cl.end, 2);
      const next = after[0];
      const own = p.nt.text.slice(m.start, m.end);
      if (/^(قتيل|جريح)$/.test(own) || (next && next.start - m.end <= 2 && next.end <= limit && singular(next))) {
        if (!(next && /ين$|ون$/.test(next.text) && !/^(عنصرين|جنديين|مدنيين|طفلين|شخصين)$/.test(next.text))) {
          c.total = 1;
          // "قتلت سيدة وطفلها": a victim and her/his relative, two.
          if (next && after[1] && RELATIVE.test(after[1].text)) c.total = 2;
        }
      } else if (/^(قتل|قتلت|قتلتا|قتلا)$/.test(own)) {
        // The subject before a passive verb: "وكان عنصر من هيئة تحرير الشام قد قتل برصاص قناص".
        // (from 7 words back: the word holding the marker's proclitic may end past its start)
        const back = p.words[Math.max(0, lowerBound(p.words, m.start) - 7)];
        const prior = within(p.words, Math.max(cl.start, back ? back.start : 0), m.start).slice(-6);
        const i = prior.findIndex((w) => singular(w));
        if (i >= 0) {
          const w = prior[i];
          c.total = prior[i + 1] && RELATIVE.test(prior[i + 1].text) ? 2 : 1;
          c.spans.push({ start: w.start, end: w.end });
          const side = within(p.actors, w.end, m.start).find((a) => a.start - w.end <= 8);
          if (side) {
            c.bySide[side.entry.name] = c.total;
            c.sides.push(side.entry);
            c.spans.push({ start: side.start, end: side.end });
          }
        }
      }
    }
    for (const n of chain) {
      used.add(n);
      c.total += n.value;
      c.spans.push({ start: n.start, end: n.end });
      // The side of this count: an actor within a few words after it ("4 عناصر من المجموعات المعارضة").
      const nextNum = chain[chain.indexOf(n) + 1];
      const side = within(p.actors, n.end, Math.max(limit, m.end)).find((a) => a.start >= n.end && a.start - n.end <= 30 && (!nextNum || a.end <= nextNum.start) && a.end <= Math.max(limit, m.end));
      if (side) {
        c.bySide[side.entry.name] = (c.bySide[side.entry.name] ?? 0) + n.value;
        if (!c.sides.some((x) => x.id === side.entry.id)) c.sides.push(side.entry);
        c.spans.push({ start: side.start, end: side.end });
      }
    }
    // Who died: civilians?
    // (civilians named after "بينهم" are civilians too)
    const civ = markersOf(p, 'civilian', Math.max(m.start - 30, cl.start), cl.end)[0];
    if (civ) c.civilian = { start: civ.start, end: civ.end };
    if (c.total > 0 || c.civilian) out.push(c);
  }
  return out;
}

/** Give each count to one frame (see the header). */
export function assignCasualties(p: Part, frames: Frame[], cs: Count[]): void {
  // Frames grouped by sentence once: filtering all frames for each count is quadratic in a long text.
  const bySentence = new Map<Sentence, Frame[]>();
  for (const f of frames) {
    // (not a word that names no act of its own: a claim, "تزامنت المعارك مع ...")
    if (f.part !== p || f.background || (f.anaphor && !f.refersTo)) continue;
    const l = bySentence.get(f.sentence);
    if (l) l.push(f);
    else bySentence.set(f.sentence, [f]);
  }
  for (const c of cs) {
    const inSentence = bySentence.get(c.sentence) ?? [];
    if (inSentence.length === 0) continue;
    const ci = clauseAt(c.sentence, c.at);
    // In the count's own clause: the act before it, else after it. Otherwise the count
    // ("وقد أسفرت عن ...", "ما أدى إلى ...") is the result of the sentence's main act: its first
    // one, and a battle when the dead are "من الطرفين" or split by side.
    const twoSided = c.bothSides || Object.keys(c.bySide).length > 1;
    // After a second main clause ("قصفت المدفعية قرى ...، فيما استهدفت مسيرة محيط عين العرب، ما أسفر
    // عن مقتل مدني"), the result belongs to the act just before it, not to the sentence's first.
    const before = inSentence.filter((f) => f.trigger.start < c.at);
    const second = before.length > 1 && / (?:فيما|بينما|في حين) /.test(p.nt.text.slice(before[0].trigger.end, c.at)) ? before[before.length - 1] : undefined;
    let target =
      inSentence.filter((f) => f.clause === ci && f.trigger.start < c.at).pop() ??
      inSentence.filter((f) => f.clause === ci).shift() ??
      (twoSided ? inSentence.find((f) => f.event_type === 'Battles') : undefined) ??
      second ??
      inSentence[0];
    // A count for a front goes to the first event of that front.
    if (target.refersTo) target = target.refersTo;
    if (c.kind === 'killed') {
      target.fatalities += c.total;
      for (const [k, v] of Object.entries(c.bySide)) target.fatalities_by_side[k] = (target.fatalities_by_side[k] ?? 0) + v;
      target.fatalitySpans.push(...c.spans);
    } else {
      target.wounded += c.total;
      target.woundedSpans.push(...c.spans);
    }
    for (const e of c.sides) if (!target.victims.some((x) => x.id === e.id)) target.victims.push(e);
    if (c.civilian) {
      target.civilian = true;
      target.civilianSpans.push(c.civilian);
    }
  }
}
