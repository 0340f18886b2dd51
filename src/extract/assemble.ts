// Stage 4: frames -> ConflictEvents (one per place), with evidence in ORIGINAL offsets.

import type { Actor, ConflictEvent, Evidence, Inter } from '../types.js';
import { toOriginal } from '../text/normalize.js';
import type { ActorRef, Frame, NSpan, Part } from './model.js';
import { sameSide } from './actors.js';

export function evidence(p: Part, spans: NSpan[]): Evidence[] {
  const out: Evidence[] = [];
  for (const s of spans) {
    if (s.end <= s.start) continue;
    const o = toOriginal(p.nt, s.start, s.end);
    if (out.some((e) => e.start === o.start && e.end === o.end)) continue;
    out.push({ part: p.part, start: o.start, end: o.end, text: p.nt.original.slice(o.start, o.end) });
  }
  return out;
}

function actor(r: ActorRef | null): Actor | null {
  if (!r) return null;
  const a: Actor = { name: r.entry.name, inter: r.entry.inter as Inter, id: r.entry.id, side: r.entry.side };
  if (r.mention) a.name_ar = r.mention.surface;
  return a;
}

function actorSpans(r: ActorRef | null): NSpan[] {
  if (!r) return [];
  return [...(r.mention ? [{ start: r.mention.start, end: r.mention.end }] : []), ...(r.via ?? [])];
}

/** The ACLED sub-event type of a frame, now that its actors are known. */
export function finalSubType(f: Frame): string {
  if (f.entry.flags.has('takeover') && f.event_type === 'Battles') {
    return f.actor1 && f.actor1.entry.inter === 1 ? 'Government regains territory' : 'Non-state actor overtakes territory';
  }
  if (f.entry.flags.has('aircraft') && f.sub_event_type === 'Shelling/artillery/missile attack') {
    // The attacker's words, with the head noun before a nationality adjective ("طائرات حربية روسية").
    const m = f.actor1?.mention;
    const t = f.part.nt.text;
    const s = m ? t.slice(Math.max(0, Math.min(m.start, f.trigger.start) - 20), Math.max(m.end, f.trigger.end)) : t.slice(f.trigger.start, f.trigger.end + 30);
    if (/طاير|طيران|مقاتلات|مروحي|الجو|مسير/.test(s)) return 'Air/drone strike';
  }
  return f.sub_event_type;
}

/** On a front named before, the sides that fight there fill in what the frame did not name. */
function sidesAt(f: Frame, front: Frame | undefined): [ActorRef | null, ActorRef | null] {
  if (!front || !front.actor1 || !front.actor2) return [f.actor1, f.actor2];
  const own1 = f.actor1?.mention ? f.actor1 : null;
  const own2 = f.actor2?.mention ? f.actor2 : null;
  if (!own1 && !own2) return f.event_type === 'Battles' ? [front.actor1, front.actor2] : [f.actor1, f.actor2];
  if (own1 && !own2) {
    const other = sameSide(own1.entry, front.actor1.entry) ? front.actor2 : sameSide(own1.entry, front.actor2.entry) ? front.actor1 : f.actor2;
    return [own1, other];
  }
  return [f.actor1, f.actor2];
}

export function toEvents(f: Frame): ConflictEvent[] {
  const p = f.part;
  if (f.anaphor) return [];
  const places = f.places.length > 0 ? f.places : [null];
  const sub = finalSubType(f);
  return places.map((pl, i) => {
    const [r1, r2] = sidesAt(f, pl?.front);
    const a1 = actor(r1);
    const a2 = actor(r2);
    const ev: ConflictEvent = {
      event_type: f.event_type,
      sub_event_type: sub,
      event_date: f.date,
      time_precision: f.time_precision,
      actor1: a1,
      actor2: a2,
      location: pl ? pl.location : null,
      // A count reported for several places together goes to the first one.
      fatalities: i === 0 ? f.fatalities : 0,
      status: f.status,
      // ACLED: civilians are targeted in remote violence and attacks, never in a battle between armed sides.
      civilian_targeting: f.event_type !== 'Battles' && (f.civilian || a2?.inter === 7),
      reported_by: f.reported_by,
      background: f.background,
      evidence: {},
      notes: '',
    };
    if (f.assoc1.length) ev.assoc_actor_1 = f.assoc1.map(actor).filter((x): x is Actor => !!x);
    if (f.assoc2.length) ev.assoc_actor_2 = f.assoc2.map(actor).filter((x): x is Actor => !!x);
    if (a1 && a2) ev.interaction = Math.min(a1.inter, a2.inter) * 10 + Math.max(a1.inter, a2.inter);
    else if (a1) ev.interaction = a1.inter * 10;
    if (i === 0 && Object.keys(f.fatalities_by_side).length > 0) ev.fatalities_by_side = { ...f.fatalities_by_side };
    if (i === 0 && f.wounded > 0) ev.wounded = f.wounded;
    const E = (spans: NSpan[]) => evidence(p, spans);
    const trig = [{ start: f.trigger.start, end: f.trigger.end }];
    ev.evidence = {
      event_type: E(trig),
      sub_event_type: E(trig),
      actor1: E(actorSpans(r1)),
      actor2: E(actorSpans(r2)),
      assoc_actor_1: E(f.assoc1.flatMap(actorSpans)),
      assoc_actor_2: E(f.assoc2.flatMap(actorSpans)),
      location: E(pl ? pl.spans : []),
      event_date: E(f.dateSpans),
      fatalities: E(i === 0 ? f.fatalitySpans : []),
      wounded: E(i === 0 ? f.woundedSpans : []),
      status: E(f.statusSpans),
      civilian_targeting: E(f.civilianSpans),
      reported_by: E(f.sourceSpans),
      background: E(f.backgroundSpans),
    };
    // A value inferred rather than read (the usual opponent of a one-sided battle, the report
    // date of an unmarked present-tense report, the status of a plain report) points at the
    // trigger whose reading implied it.
    const inferred: (keyof ConflictEvent)[] = ['actor1', 'actor2', 'event_date', 'status', 'location'];
    for (const k of inferred) if ((ev[k] !== null && ev[k] !== undefined) && ev.evidence[k].length === 0) ev.evidence[k] = E(trig);
    for (const k of Object.keys(ev.evidence)) if (ev.evidence[k].length === 0) delete ev.evidence[k];
    return ev;
  });
}
