// Stage 3a: who acted and against whom. Rules of Arabic conflict reporting:
//   "بين X [من جهة] و Y [من جهة أخرى]"  -> actor1 X, actor2 Y
//   "الطرفين" / "الجانبين"               -> the two sides of the preceding clash
//   "من قبل X"                           -> actor1 X
//   "قصف جوي روسي" / "غارات من الطائرات الروسية" -> actor1 right after a noun trigger
//   subject before the verb (SVO) or right after it (VSO)          -> actor1
//   "على X" / "ضد X" / "في مواجهة X" / "استهدف X"                   -> actor2
//   a battle with one named side -> the usual opponent in that country (lexicon/opponents.tsv)

import { loadTable } from '../lexicon/table.js';
import { actorById as lexiconActorById } from '../lexicon/actors.js';
import type { ActorEntry, ActorMention } from './deps.js';
import type { ActorRef, Frame, NSpan, Part } from './model.js';
import type { MarkerKind } from './lexicon.js';
import { lowerBound, markersOf, within } from './analyze.js';

let blocs: Map<string, string> | null = null;
let opponents: Map<string, string> | null = null;

function tables() {
  if (!blocs) {
    blocs = new Map(loadTable('sides.tsv').map((r) => [r.side, r.bloc]));
    opponents = new Map(loadTable('opponents.tsv').map((r) => [`${r.country}|${r.bloc}`, r.opponent]));
  }
  return { blocs: blocs!, opponents: opponents! };
}

export function bloc(e: ActorEntry): string {
  return tables().blocs.get(e.side) ?? e.side;
}

export function sameSide(a: ActorEntry, b: ActorEntry): boolean {
  return a.id === b.id || bloc(a) === bloc(b);
}

/** A lexicon actor by id, generic rows ("{country}") resolved to the article's country. */
const byIdCache = new Map<string, ActorEntry | null>();

export function actorById(id: string, country: string): ActorEntry | null {
  const k = `${id}|${country}`;
  let e = byIdCache.get(k);
  if (e === undefined) {
    if (byIdCache.size > 5000) byIdCache.clear();
    byIdCache.set(k, (e = lexiconActorById(id, country || undefined)));
  }
  return e;
}

/** The usual opponent of `e` in `country`, if the lexicon says. */
export function usualOpponent(e: ActorEntry, country: string): ActorEntry | null {
  const id = tables().opponents.get(`${country}|${bloc(e)}`);
  return id ? actorById(id, country) : null;
}

const ref = (m: ActorMention): ActorRef => ({ entry: m.entry, mention: m });
const isAssoc = (m: ActorMention) => m.associated === true;

function markers(p: Part, a: number, b: number, kind: MarkerKind) {
  return markersOf(p, kind, a, b);
}

/** The word just before a mention, without proclitics (to see "على"/"ضد"/"مواجهة"). */
// "على X", "ضد X", "استهداف X", and with a target noun between: "على دورية للجيش", "عند حاجز لقوات".
// (After the verb "استهدفت" an actor is its subject: "استهدفت قوات النظام بالقذائف ...".)
const TARGET_BEFORE =
  /(?:^|\s)(?:علي|ضد|مواجهه|عند)\s+(?:(?:دوريه|حاجز|مقر|مواقع|موقع|نقطه|نقاط|تجمع|تجمعات|ارتال|رتل|اليه|اليات|سياره|عناصر|مقرات|ثكنه|قاعده)\s+)?["«]?[وفبلك]{0,2}(?:ال)?$/;

// A target noun with ل: "مواقع لقوات الوفاق", "مقرات لتنظيم داعش".
const TARGET_NOUN_BEFORE = /(?:^|\s)(?:ال)?(?:مواقع|موقع|مقرات|مقر|نقاط|نقطه|تجمعات|تجمع|ارتال|رتل|دوريه|حاجز|تحصينات|اليات|اليه|سياره|سيارات|عربه|مركبه|شاحنه|دبابه|دبابات|مدرعه|مدرعات|طايره|مستودع|مخزن|حافله)\s+(?:(?:ال)?تابع(?:ه)?\s+)?["«]?[ل](?:ل)?$/;

// The holder of a position in a genitive ("استهدفت الفصائل بالقذائف مواقع قوات النظام"): the target.
const TARGET_GENITIVE_BEFORE = /(?:^|\s)[وب]?(?:مواقع|موقع|مقرات|مقر|نقاط|نقطه|تجمعات|تجمع|ارتال|رتل|دوريه|دوريات|حاجز|حواجز|تحصينات|ثكنه|ثكنات|قاعده|مستودعات|مستودع|مخازن|مخزن|تعزيزات)\s+["«]?$/;

function governedAsTarget(p: Part, m: ActorMention): boolean {
  const before = p.nt.text.slice(Math.max(0, m.start - 24), m.start);
  return TARGET_BEFORE.test(before) || TARGET_NOUN_BEFORE.test(before) || TARGET_GENITIVE_BEFORE.test(before);
}

/** Words between a trigger and an actor that still leave the actor "right after" it: the weapon
 * ("قصفت طائرة مسيرة تابعة لقوات حفتر", "غارات للطيران الحربي التابع للنظام"). */
const WEAPON_WORDS = /^(?:[وبل]?(?:ال)?(?:طايره|طايرات|مسيره|مسيرات|حربيه|حربي|تابعه|تابع|مروحيه|مروحي|مقاتله|مقاتلات|من|حديثه|عسكريه|عسكري|ضخمه|جديده))$/;

function transparentGap(p: Part, a: number, b: number): number {
  if (b <= a) return 0;
  return p.nt.text.slice(a, b).trim().split(/\s+/).filter((w) => w && !WEAPON_WORDS.test(w) && !/^[وفبلك]{1,2}$/.test(w)).length;
}

/** Words between two offsets (rough: spaces). */
function gapWords(p: Part, a: number, b: number): number {
  if (b <= a) return 0;
  // A proclitic left before a mention ("لـ" of "لقوات") is not a word.
  return p.nt.text.slice(a, b).trim().split(/\s+/).filter((w) => w && !/^[وفبلك]{1,2}$/.test(w)).length;
}

/** A mention that says whose men a count is: "عنصران من قوات النظام", "جنديان من الجيش". */
function countOf(p: Part, m: ActorMention): boolean {
  return /(?:\d|(?:^|\s)(?:عنصر|عنصرا|عنصران|عنصرين|عناصر|جندي|جنديا|جنديان|جنديين|جنود|مقاتل|مقاتلا|مقاتلين|مقاتلون|ضابط|ضباط|افراد|فرد|شرطي|شرطيين|عدد|اثنان|اثنين|ثلاثه|اربعه|خمسه))\s+من\s*["«]?$/.test(p.nt.text.slice(Math.max(0, m.start - 20), m.start));
}

const CLASH_WORD = /^[وفبل]{0,2}(?:ال)?(?:اشتباك|اشتبك|معارك|معركه|اقتتال|قتال|مواجهات|مواجهه)/;

/** The actor named right after "مع" that follows a clash word (the trigger itself, or in a takeover's
 * clause "بعد أربعة أيام من الاشتباكات العنيفة مع قوات الحماية الرئاسية"). */
function opponentAfterWith(p: Part, f: Frame, a: number, b: number, main: ActorMention[]): ActorMention | undefined {
  const ws = p.words;
  for (let i = lowerBound(ws, Math.max(a, f.trigger.start)); i < ws.length && ws[i].end <= b; i++) {
    const w = ws[i];
    if (w.text !== 'مع') continue;
    // a clash word within the three words before مع
    let clash = false;
    for (let j = Math.max(0, i - 3); j < i; j++) if (ws[j].start >= a && (CLASH_WORD.test(ws[j].text) || (ws[j].start >= f.trigger.start && ws[j].end <= f.trigger.end && f.event_type === 'Battles'))) clash = true;
    if (!clash) continue;
    return main.find((m) => m.start >= w.end && gapWords(p, w.end, m.start) <= 1);
  }
  return undefined;
}

export interface ActorState {
  /** The two sides of the last clash named in this part (for "الطرفين"). */
  lastPair: [ActorRef, ActorRef] | null;
  /** The subject of the sentence so far (clauses without a subject inherit it). */
  country: string;
}

/** Attach actor1/actor2 (and associated actors) to a frame. */
export function attachActors(f: Frame, st: ActorState, sentenceSubject: ActorRef | null, previous: Frame | null = null): void {
  const p = f.part;
  const s = f.sentence;
  const cl = s.clauses[f.clause];
  const h = f.trigger;
  const inClause = within(p.actors, cl.start, cl.end);
  // Civilians are victims, not the side that acts (except in protests and riots, coded apart).
  const main = inClause.filter((m) => !isAssoc(m) && (m.entry.inter !== 7 || f.event_type === 'Protests' || f.event_type === 'Riots'));
  const assocAfter = (m: ActorMention) => inClause.filter((a) => isAssoc(a) && a.start >= m.end && a.start - m.end <= 3).map(ref);

  // "بين X ... و Y"
  const between = markers(p, h.end, cl.end, 'between').find((b) => gapWords(p, h.end, b.start) <= 4);
  if (between) {
    const both = markers(p, between.end, between.end + 12, 'both-sides')[0];
    if (both && st.lastPair) {
      setPair(f, st.lastPair, [{ start: both.start, end: both.end }]);
    } else {
      const after = main.filter((m) => m.start >= between.end);
      const closes = markers(p, between.end, cl.end, 'side-close');
      let a: ActorMention | undefined;
      let b: ActorMention | undefined;
      if (closes.length > 0) {
        a = after.find((m) => m.end <= closes[0].start);
        b = after.find((m) => m.start >= closes[0].end && (closes.length < 2 || m.end <= closes[1].start));
      } else {
        a = after[0];
        b = after.find((m) => m !== a && !sameSide(m.entry, a!.entry));
      }
      if (a) {
        f.actor1 = ref(a);
        f.assoc1 = [
          ...after.filter((m) => m !== a && m !== b && m.start < (b?.start ?? cl.end) && sameSide(m.entry, a!.entry) && m.entry.id !== a!.entry.id).map(ref),
          ...assocAfter(a),
        ];
      }
      if (b) {
        f.actor2 = ref(b);
        f.assoc2 = [...after.filter((m) => m !== a && m !== b && m.start > b!.start && sameSide(m.entry, b!.entry) && m.entry.id !== b!.entry.id).map(ref), ...assocAfter(b)];
      }
    }
  }
  // "اشتباكات عنيفة مع Y", "سيطرت X على ... بعد الاشتباكات مع Y": مع after a clash word marks the
  // opponent (it would otherwise read as the side "right after the trigger").
  if (!f.actor2 && (f.event_type === 'Battles' || f.entry.flags.has('takeover'))) {
    const y = opponentAfterWith(p, f, cl.start, cl.end, main);
    if (y && y.entry.id !== f.actor1?.entry.id) {
      f.actor2 = ref(y);
      f.assoc2 = assocAfter(y);
      main.splice(main.indexOf(y), 1);
    }
  }
  // "الطرفين" right after the trigger ("قصف متبادل بين الطرفين" handled above; "من الطرفين" is a casualty phrase).
  if (!f.actor1 && f.entry.flags.has('mutual') && st.lastPair) {
    const both = markers(p, h.end, cl.end, 'both-sides')[0];
    setPair(f, st.lastPair, both ? [{ start: both.start, end: both.end }] : []);
  }
  // "من قبل X"
  if (!f.actor1) {
    // The agent phrase belongs to the trigger next to it (before it: "محاولة من قبل X التقدم").
    const by = markers(p, cl.start, cl.end, 'by').find((b) => (b.start >= h.end ? gapWords(p, h.end, b.start) <= 4 : gapWords(p, b.end, h.start) <= 5));
    const m = by && main.find((x) => x.start >= by.end && x.start - by.end <= 2);
    if (m) {
      f.actor1 = ref(m);
      f.assoc1 = assocAfter(m);
    }
  }
  // Whom an arrest or abduction takes: the actor named right after it ("اعتقال عناصر من داعش").
  if (!f.actor2 && (f.sub_event_type === 'Arrests' || f.sub_event_type === 'Abduction/forced disappearance')) {
    const obj = main.find((m) => m.start >= h.end && gapWords(p, h.end, m.start) <= 4 && m.entry.inter !== 1);
    // Right after a verb it is the subject (VSO: "اختطف مسلحون مجهولون طبيباً"), not the object.
    // A masdar with its agent and then its object: "احتجاز قوة الردع آمر اللواء 444".
    const then = obj && !f.entry.flags.has('verb') && gapWords(p, h.end, obj.start) === 0 ? main.find((m) => m.start >= obj.end && gapWords(p, obj.end, m.start) <= 2 && m.entry.id !== obj.entry.id) : undefined;
    if (obj && then) {
      f.actor1 = ref(obj);
      f.actor2 = ref(then);
      main.splice(main.indexOf(then), 1);
    } else if (obj && !(f.entry.flags.has('verb') && gapWords(p, h.end, obj.start) === 0)) {
      f.actor2 = ref(obj);
      main.splice(main.indexOf(obj), 1);
    }
  }
  // Right after the trigger: "قصف جوي روسي وسوري", "غارات للطائرات الروسية", "سيطرت قوات النظام".
  if (!f.actor1) {
    const next = main.filter(
      (m) => m.start >= h.end && transparentGap(p, h.end, m.start) <= 2 && gapWords(p, h.end, m.start) <= 5 && !governedAsTarget(p, m) && !(f.event_type === 'Explosions/Remote violence' && countOf(p, m)),
    );
    if (next.length > 0) {
      f.actor1 = ref(next[0]);
      // Allies named together with it ("روسي وسوري") are associated.
      let last = next[0];
      for (const m of main.filter((x) => x.start > next[0].start)) {
        if (gapWords(p, last.end, m.start) > 1 || !sameSide(m.entry, next[0].entry) || m.entry.id === next[0].entry.id) break;
        f.assoc1.push(ref(m));
        last = m;
      }
      f.assoc1.push(...assocAfter(next[0]));
    }
  }
  // The trigger is the actor's own name ("أسقطت الدفاعات الجوية طائرة"): it acted.
  if (!f.actor1) {
    const m = main.find((x) => x.start < h.end && x.end > h.start);
    if (m) f.actor1 = ref(m);
  }
  // Subject before the trigger in its clause (SVO: "الفصائل المعارضة تمكنت من التقدم").
  if (!f.actor1) {
    // The first one: later ones before the verb are usually objects of an earlier verb
    // ("وحدات الجيش دمرت تحصينات الإرهابيين وقضت على ...").
    // (not the men a count belongs to: "قتل جنديان من الجيش العراقي بانفجار عبوة")
    const before = main.filter((m) => m.end <= h.start && !governedAsTarget(p, m) && !(f.event_type === 'Explosions/Remote violence' && countOf(p, m)));
    const m = before[0];
    if (m) {
      f.actor1 = ref(m);
      f.assoc1 = assocAfter(m);
    }
  }
  // The target: "على X"، "ضد X"، "في مواجهة X"، "استهدف X", or another side later in the clause.
  if (!f.actor2) {
    const targets = main.filter((m) => m.start >= h.start && governedAsTarget(p, m) && m.entry.id !== f.actor1?.entry.id);
    let t: ActorMention | undefined = targets[0];
    if (!t && f.actor1) {
      const against = markers(p, h.end, cl.end, 'against')[0];
      t = against ? main.find((m) => m.start >= against.end && m.start - against.end <= 2) : undefined;
    }
    // Another side later in the clause: the opponent of a battle, the other party of an agreement.
    if (!t && f.actor1 && (f.event_type === 'Battles' || f.sub_event_type === 'Agreement'))
      t = main.find((m) => m.start > h.end && !sameSide(m.entry, f.actor1!.entry));
    if (t) {
      f.actor2 = ref(t);
      f.assoc2 = [...assocAfter(t), ...main.filter((m) => m.start > t!.end && m.start - t!.end <= 3 && sameSide(m.entry, t!.entry) && m.entry.id !== t!.entry.id).map(ref)];
    }
  }
  // No subject in the clause: the sentence's subject (a later clause continues the first one).
  // A battle word with no side of its own continues the clash under way ("ولا تزال الاشتباكات مستمرة").
  const battle = f.event_type === 'Battles' && !f.entry.flags.has('takeover');
  if (!f.actor1 && !f.actor2 && battle && st.lastPair && !(sentenceSubject && sentenceSubject.mention && sentenceSubject.mention.end <= h.start && sentenceSubject.mention.start >= s.start)) {
    f.actor1 = { entry: st.lastPair[0].entry };
    f.actor2 = { entry: st.lastPair[1].entry };
  }
  if (!f.actor1 && sentenceSubject && (!f.actor2 || !sameSide(sentenceSubject.entry, f.actor2.entry))) f.actor1 = sentenceSubject;
  if (f.actor1 && f.actor2 && f.actor1.entry.id === f.actor2.entry.id) f.actor2 = null;
  // "ورد الجيش الإسرائيلي بقصف ...": a response targets the author of the act before it.
  if (f.actor1 && !f.actor2 && previous?.actor1 && !sameSide(previous.actor1.entry, f.actor1.entry) && markers(p, cl.start, h.start, 'response').length > 0)
    f.actor2 = { entry: previous.actor1.entry };

  // "صد هجوماً": the subject repelled the attack; the attacker is the other side.
  if (f.entry.flags.has('repel') && f.actor1) {
    const defender = f.actor1;
    f.actor1 = f.actor2;
    f.actor2 = defender;
    [f.assoc1, f.assoc2] = [f.assoc2, f.assoc1];
  }
  completeSides(f, st);
}

function setPair(f: Frame, pair: [ActorRef, ActorRef], via: NSpan[]) {
  f.actor1 = { ...pair[0], via };
  f.actor2 = { ...pair[1], via };
}

/** Fill the missing side of battles, mutual fire, and remote attacks on a front. */
function completeSides(f: Frame, st: ActorState): void {
  const battle = f.event_type === 'Battles' || f.entry.flags.has('mutual');
  if (f.actor1 && !f.actor2) {
    // Remote fire at a front named before hits the other side of that front; at a place of its own, nobody is assumed.
    if (st.lastPair && (battle || (f.entry.flags.has('remote') && !f.ownPlace))) {
      const [a, b] = st.lastPair;
      if (sameSide(f.actor1.entry, a.entry) && !sameSide(f.actor1.entry, b.entry)) f.actor2 = { entry: b.entry };
      else if (sameSide(f.actor1.entry, b.entry) && !sameSide(f.actor1.entry, a.entry)) f.actor2 = { entry: a.entry };
    }
    // Another side named in the sentence, even of the same bloc (HTS against the SNA's Third
    // Legion: "سيطرت الهيئة على عفرين بعد انسحاب مقاتلي الفيلق الثالث منها"), before the usual opponent.
    if (!f.actor2 && battle) {
      const a1 = f.actor1.entry;
      const m = within(f.part.actors, f.sentence.start, f.sentence.end).find(
        (x) => x.associated !== true && x.entry.inter !== 7 && x.entry.inter !== 6 && x.entry.side !== a1.side && x.entry.side !== 'unidentified' && x.entry.id !== a1.id,
      );
      if (m) f.actor2 = ref(m);
    }
    if (!f.actor2 && battle) {
      const o = usualOpponent(f.actor1.entry, st.country);
      if (o) f.actor2 = { entry: o };
    }
  } else if (!f.actor1 && f.actor2 && battle) {
    const o = usualOpponent(f.actor2.entry, st.country);
    if (o) {
      f.actor1 = f.actor2;
      f.actor2 = { entry: o };
    }
  } else if (!f.actor1 && !f.actor2 && battle && st.lastPair) {
    f.actor1 = { entry: st.lastPair[0].entry };
    f.actor2 = { entry: st.lastPair[1].entry };
  } else if (!f.actor1 && !f.actor2 && battle) {
    // Fighting with no side named: the country's forces and their usual opponent (lexicon/opponents.tsv).
    const gov = actorById('gen-mil', st.country);
    const o = gov && usualOpponent(gov, st.country);
    if (gov && o) {
      f.actor1 = { entry: gov };
      f.actor2 = { entry: o };
    }
  }
  if (f.event_type === 'Battles' && f.actor1 && f.actor2 && !sameSide(f.actor1.entry, f.actor2.entry)) st.lastPair = [f.actor1, f.actor2];
}
