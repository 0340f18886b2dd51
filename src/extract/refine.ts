// Stage 3f: what the type and the actors become once the victims are known.
//  - protests: the protesters act; the force that intervenes is actor2;
//  - riots: the rioters act;
//  - violence against civilians: civilians are actor2; a generic "هجوم" that only kills
//    civilians, with no armed opponent named, is an attack on civilians, not a battle;
//  - remote violence with no named target: the side the dead belong to, or civilians;
//  - a killing verb ("أعدم أربعة رعاة") counts its object.

import type { Frame, Part } from './model.js';
import { actorById } from './actors.js';
import { plausibleCount } from './casualties.js';
import { within } from './analyze.js';

function byId(id: string, country: string) {
  const e = actorById(id, country);
  return e ? { entry: e } : null;
}

const UNCLAIMED = new Set(['Remote explosive/landmine/IED', 'Suicide bomb', 'Attack', 'Abduction/forced disappearance', 'Sexual violence']);

export function refine(f: Frame, country: string): void {
  const civ = () => byId('gen-civ', country);
  // A vague strategic word ("اتفاق", "تعزيزات", "انسحاب") with no conflict actor around it is not
  // a conflict event (a trade agreement, a withdrawal from talks ...).
  if (f.event_type === 'Strategic developments' && f.entry.flags.has('weak') && !f.actor1 && !f.actor2) {
    f.anaphor = true;
    return;
  }
  if (f.event_type === 'Protests') {
    // Protesters killed: the force used on them was lethal, whatever words told it.
    if (f.fatalities > 0) f.sub_event_type = 'Excessive force against protesters';
    const named = [f.actor1, f.actor2].filter(Boolean);
    const protesters = named.find((a) => a!.entry.inter === 6) ?? byId('gen-prot', country);
    // The force that intervenes: a side named with the act, else an armed side named in its
    // sentence ("فضت قوات الدعم السريع بالقوة اعتصاماً", "قتل 25 متظاهراً برصاص قوات الأمن").
    let force = named.find((a) => a!.entry.inter !== 6 && a!.entry.inter <= 3) ?? null;
    if (!force && f.sub_event_type !== 'Peaceful protest') {
      const m = within(f.part.actors, f.sentence.start, f.sentence.end).find((a) => a.entry.inter <= 3 && a.associated !== true);
      if (m) force = { entry: m.entry, mention: m };
    }
    f.actor1 = protesters;
    f.actor2 = f.sub_event_type === 'Peaceful protest' ? null : force ?? byId('gen-police', country);
    f.assoc1 = [];
    f.assoc2 = [];
    return;
  }
  if (f.event_type === 'Riots') {
    if (!f.actor1 || f.actor1.entry.inter !== 5) {
      if (f.actor1 && !f.actor2) f.actor2 = f.actor1;
      f.actor1 = byId('gen-riot', country);
    }
    return;
  }
  // Gunfire ("برصاص قناص") that kills a fighter of a named armed side is a battle between the two
  // sides (ACLED: a sniper killing a combatant is an Armed clash), not violence against civilians.
  if (f.sub_event_type === 'Attack' && !f.entry.flags.has('kill') && f.actor1 && f.actor1.entry.inter <= 4 && f.actor1.entry.side !== 'unidentified') {
    const fighter = f.victims.find((e) => e.inter <= 4 && e.side !== 'unidentified' && e.side !== f.actor1!.entry.side);
    if (fighter && !f.victims.some((e) => e.inter === 7)) {
      f.event_type = 'Battles';
      f.sub_event_type = 'Armed clash';
      f.actor2 = { entry: fighter };
      f.civilian = false;
      return;
    }
  }
  // A generic attack word with civilian victims and no armed opponent named.
  if (f.event_type === 'Battles' && f.entry.flags.has('attack') && f.civilian && (!f.actor2 || !f.actor2.mention)) {
    f.event_type = 'Violence against civilians';
    f.sub_event_type = 'Attack';
    f.actor2 = civ();
  }
  // Whom an arrest campaign takes, when no armed side is named ("طالت ستة شبان", "عشرات المطلوبين"):
  // civilians (ACLED codes detainees as civilians unless they belong to a named armed group).
  if (f.sub_event_type === 'Arrests' && f.actor1 && !f.actor2 && f.actor1.entry.inter !== 7) f.actor2 = civ();
  // Looting and burning of shops and homes with no target named: the civilians who own them.
  if (f.sub_event_type === 'Looting/property destruction' && f.actor1 && !f.actor2 && f.actor1.entry.inter !== 7) f.actor2 = civ();
  // No perpetrator named for a bombing, a mine or a killing ("اغتال مجهولون", "انفجار عبوة ناسفة",
  // "لم تتبن أي جهة"): ACLED's Unidentified Armed Group; the victims named as its subject are actor2.
  if (UNCLAIMED.has(f.sub_event_type) && (!f.actor1 || f.actor1.entry.inter === 7 || f.actor1.entry.inter === 6)) {
    const victim = f.actor1;
    if (f.actor2?.entry.side === 'unidentified') {
      f.actor1 = f.actor2;
      f.actor2 = victim;
    } else {
      if (victim && !f.actor2) f.actor2 = victim;
      f.actor1 = byId('gen-unid', country);
    }
  }
  if (f.event_type === 'Violence against civilians') {
    if (!f.actor2 || f.actor2.entry.inter !== 7) {
      if (!f.actor2) f.actor2 = civ();
    }
    f.civilian = true;
  }
  // An attack on a named side's men ("لقي ثلاثة من عناصر الحشد مصرعهم بهجوم لداعش"): they are actor2.
  if (f.event_type === 'Battles' && f.actor1 && (!f.actor2 || !f.actor2.mention)) {
    const v = f.victims.find((e) => e.id !== f.actor1!.entry.id && e.inter !== 7);
    if (v) f.actor2 = { entry: v };
  }
  if (f.event_type === 'Explosions/Remote violence' && !f.actor2) {
    const v = f.victims.find((e) => !f.actor1 || e.id !== f.actor1.entry.id);
    if (v) f.actor2 = { entry: v };
    else if (f.civilian) f.actor2 = civ();
  }
}

/** "أعدم أربعة رعاة", "اغتيال قيادي": the count of a killing verb is its object. */
export function killCount(p: Part, f: Frame): void {
  if (!f.entry.flags.has('kill') || f.fatalities > 0) return;
  const n = p.numbers.find((x) => x.start >= f.trigger.end && p.nt.text.slice(f.trigger.end, x.start).trim().split(/\s+/).filter(Boolean).length <= 2 && !x.ordinal && plausibleCount(x.value));
  if (n) {
    f.fatalities = n.value;
    f.fatalitySpans.push({ start: n.start, end: n.end }, { start: f.trigger.start, end: f.trigger.end });
  } else if (!/(ات|ين|ون)$/.test(p.nt.text.slice(f.trigger.start, f.trigger.end))) {
    f.fatalities = 1;
    f.fatalitySpans.push({ start: f.trigger.start, end: f.trigger.end });
  }
  const civ = p.markers.find((m) => m.start >= f.trigger.end && m.start - f.trigger.end <= 30 && m.values.includes('civilian'));
  if (civ) {
    f.civilian = true;
    f.civilianSpans.push({ start: civ.start, end: civ.end });
  }
}
