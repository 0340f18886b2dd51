// Stage 3b: where. The places of the trigger's own clause (after it first, then before it);
// a list of places joined by و is one event per place ("محاور خلصة والحميرة" -> two events),
// and a coarser place right after a list only anchors it ("... جنوب حلب"). A clause with no
// place refers back to the front of the sentence ("تشهدها محاور القتال في المنطقة": one event
// at the front); "الجبهتين"/"الجبهات" are the fronts named just before (one event per front).

import type { Location } from '../types.js';
import type { PlaceMention } from './deps.js';
import type { Frame, NSpan, Part, PlaceRef } from './model.js';
import { markersOf, within } from './analyze.js';

const COARSE = new Set(['country', 'admin1', 'region']);

function isCoarse(m: PlaceMention): boolean {
  return m.kind === 'region' || COARSE.has(m.location.feature_class ?? '') || m.location.geo_precision === 3 && m.kind !== 'context';
}

/** Places usable as event locations (not a whole country). */
function usable(p: Part, a: number, b: number): PlaceMention[] {
  return within(p.places, a, b).filter((m) => isUsable(p, m));
}

const isUsable = (p: Part, m: PlaceMention) => m.location.feature_class !== 'country' && m.location.lat !== null && !SQUARE.test(p.nt.text.slice(m.start, m.end));


// A square, roundabout or street ("ساحة الكرامة وسط المدينة", "دوار الساعة") is a spot inside the
// town of the report, not a toponym of its own: a homonymous village elsewhere is wrong.
const SQUARE = /^[وبفل]{0,2}(?:ال)?(?:ساحه|دوار|شارع|جسر)\s/;

/** Consecutive mentions separated only by spaces, و, commas: one list. */
function groups(p: Part, ms: PlaceMention[]): PlaceMention[][] {
  const out: PlaceMention[][] = [];
  for (const m of ms) {
    const g = out[out.length - 1];
    const prev = g?.[g.length - 1];
    if (prev && /^[\s،,و]*$/.test(p.nt.text.slice(prev.end, m.start))) g.push(m);
    else out.push([m]);
  }
  return out;
}

/** From a list, the places an event happens at (the finest ones; the rest anchor them). */
function eventPlaces(g: PlaceMention[]): PlaceMention[] {
  // Named places first; a relative phrase after them ("الطارمية شمال بغداد") only anchors them.
  // ("أطراف بلدتي البارة وكنصفرة": the outskirts of a named place are a place of the act, not an anchor)
  const named = g.filter((m) => (m.kind === 'gazetteer' || m.kind === 'context' || (m.kind === 'relative' && !m.direction && OUTSKIRTS.test(m.context_word ?? ''))) && !isCoarse(m));
  // "قرى في ريف بلدة تل تمر وناحية أبو راسين": the countryside or sub-district of a town or village,
  // listed, is a place of the act each (precision 2).
  const local = g.filter((m) => m.kind === 'region' && !m.direction && /^(?:ريف|ناحيه)$/.test(m.context_word ?? '') && m.location.geo_precision <= 2 && /^(?:town|village)$/.test(m.location.feature_class ?? ''));
  if (named.length === 0 && local.length > 1) return local;
  if (named.length > 0) return named;
  const fine = g.filter((m) => !isCoarse(m));
  return fine.length > 0 ? fine : [g[0]];
}

const OUTSKIRTS = /^(?:اطراف|محيط|ضواحي|مشارف)$/;

const toRef = (m: PlaceMention): PlaceRef => ({ location: m.location, spans: [{ start: m.start, end: m.end }] });

export interface PlaceState {
  /** Place groups of earlier frames in this part, most recent last, each with its frame. */
  fronts: { frame: Frame; group: PlaceMention[] }[];
  /** Every frame placed so far in this part (for definite mentions of an act told before). */
  frames: Frame[];
}

function frontMarker(p: Part, a: number, b: number, which: 'plural' | 'any') {
  return within(markersOf(p, 'front'), a, b).find(
    (m) => (which === 'any' || /(تين|ات)$/.test(p.nt.text.slice(m.start, m.end))),
  );
}

function distanceKm(a: Location, b: Location): number {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return Infinity;
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const ROAD_BETWEEN = /(?:^|\s)[وبعلى]*(?:ال)?(?:طريق|اوتستراد|اوتوستراد)\s+(?:\S+\s+){0,2}بين\s+(?:(?:بلدتي|قريتي|مدينتي|بلده|قريه|مدينه)\s+)?$/;

/** One event at a front: the group's first place, approximate, named by the whole phrase. */
function frontRef(p: Part, g: PlaceMention[]): PlaceRef {
  const first = eventPlaces(g)[0];
  const whole = { start: g[0].start, end: g[g.length - 1].end };
  const name_ar = p.nt.original.slice(p.nt.starts[whole.start], p.nt.ends[whole.end - 1]);
  return {
    location: { ...first.location, name_ar, geo_precision: Math.max(2, first.location.geo_precision) as 2 | 3 },
    spans: [whole],
  };
}

/** Is the trigger a definite noun ("القصف", "الهجوم", "صد الهجوم")? */
function definite(p: Part, f: Frame): boolean {
  // The noun of the act is the last word of the trigger ("الهجوم" in "صدت القوات الحكومية الهجوم").
  if (f.entry.flags.has('verb') && !/\s/.test(f.entry.pattern)) return false;
  const words = p.nt.text.slice(f.trigger.start - f.trigger.prefix.length, f.trigger.end).split(/\s+/);
  return /^[وفبل]{0,2}(ال|لل)/.test(words[words.length - 1]);
}

export function attachPlaces(f: Frame, st: PlaceState): void {
  placeFrame(f, st);
  if (f.places.length === 0 && !f.anaphor) articlePlace(f);
  st.frames.push(f);
}

/** No place in reach: the first place the report names (its dateline/lead), as a region only. */
function articlePlace(f: Frame): void {
  const p = f.part;
  // (looked up once per part, not once for each act without a place)
  const first = p.firstUsablePlace === undefined ? (p.firstUsablePlace = p.places.find((m) => isUsable(p, m)) ?? null) : p.firstUsablePlace;
  if (!first) return;
  f.places = [{ location: { ...first.location, geo_precision: 3 }, spans: [{ start: first.start, end: first.end }] }];
}

function placeFrame(f: Frame, st: PlaceState): void {
  const p = f.part;
  const s = f.sentence;
  const cl = s.clauses[f.clause];
  const h = f.trigger;
  // Places after a purpose phrase are the aim, not the scene ("لتخفيف الضغط على المحاور الشرقية لـ...").
  // (in the clause by binary search, not a scan of all the text's purpose markers for each act)
  const purpose = markersOf(p, 'purpose', h.end, cl.end)[0];
  const clauseEnd = purpose ? purpose.start : cl.end;
  const own = usable(p, cl.start, clauseEnd);
  const after = groups(p, own.filter((m) => m.start >= h.end));
  const before = groups(p, own.filter((m) => m.end <= h.start));
  let g: PlaceMention[] | undefined = after[0] ?? before[before.length - 1];

  // "الجبهتين"/"الجبهات": the distinct fronts named before, most recent first.
  const plural = frontMarker(p, cl.start, cl.end, 'plural');
  if (plural && !after[0]) {
    const seen: PlaceMention[][] = [];
    for (const fr of [...st.fronts].reverse()) {
      if (seen.some((x) => distanceKm(x[0].location, fr.group[0].location) < 10)) continue;
      seen.push(fr.group);
    }
    const n = /تين$/.test(p.nt.text.slice(plural.start, plural.end)) ? 2 : seen.length;
    if (seen.length > 0) {
      f.places = seen.slice(0, n).map((gr) => ({ ...frontRef(p, gr), front: st.fronts.find((x) => x.group === gr)!.frame }));
      for (const pl of f.places) pl.spans.push({ start: plural.start, end: plural.end });
      return;
    }
  }

  // (one slice, not an unshift per front: cubic in a sentence naming hundreds of fronts)
  let j = st.fronts.length;
  while (j > 0 && st.fronts[j - 1].frame.sentence === s) j--;
  const sameSentence: PlaceState['fronts'] = st.fronts.slice(j);
  if (!g && definite(p, f)) {
    // "جراء القصف", "صدت القوات الحكومية الهجوم": the act told before, not a new one.
    let prev: Frame | undefined;
    for (let i = st.frames.length - 1; i >= 0 && st.frames[i].sentence.index >= s.index - 3; i--) {
      const x = st.frames[i];
      if (x.event_type === f.event_type && !x.anaphor && !x.background) {
        prev = x;
        break;
      }
    }
    if (prev) {
      f.anaphor = true;
      f.refersTo = prev.refersTo ?? prev;
      if (f.status !== 'occurred' && f.refersTo.status === 'occurred') {
        f.refersTo.status = f.status;
        f.refersTo.statusSpans.push(...f.statusSpans);
      }
      return;
    }
  }
  if (!g) {
    // No place of its own: the front of the sentence, else of the previous sentences.
    // (an earlier sentence's front only when it is near: same paragraph or the two sentences before)
    const last = st.fronts[st.fronts.length - 1];
    const near = last && (last.frame.sentence.paragraph === s.paragraph || s.index - last.frame.sentence.index <= 2);
    const prev = sameSentence[sameSentence.length - 1] ?? (usable(p, s.start, s.end).length === 0 && near ? last : undefined);
    if (prev) {
      f.refersTo = prev.frame.refersTo ?? prev.frame;
      const marker = frontMarker(p, cl.start, cl.end, 'any');
      const ref = frontRef(p, prev.group);
      if (marker) ref.spans.push({ start: marker.start, end: marker.end });
      f.places = [ref];
      return;
    }
    // Else the places of the sentence, if it names any.
    const all = groups(p, usable(p, s.start, s.end));
    g = all[0];
    if (!g) return;
  }
  // A relative/approximate place near a front already named in this sentence is that front
  // ("خلال المعارك التي تشهدها محاور شمال شرقي معرة النعمان" after "محاور مشيميس وسمكة ...").
  const places = eventPlaces(g);
  if (places.length === 1 && (places[0].kind === 'relative' || places[0].location.geo_precision >= 2)) {
    const near = sameSentence.find(
      (x) => x.group.some((m) => m.anchor_id && m.anchor_id === places[0].anchor_id) || distanceKm(x.group[0].location, places[0].location) <= 15,
    );
    if (near && near.frame.event_type === f.event_type) {
      f.refersTo = near.frame.refersTo ?? near.frame;
      f.places = [{ ...frontRef(p, near.group), spans: [{ start: g[0].start, end: g[g.length - 1].end }] }];
      return;
    }
  }
  f.places = places.map(toRef);
  // "على الطريق الواصل بين بلدتي المزيريب واليادودة": a road between two places is one place, the
  // first, approximate (precision 2); the second names where the road leads.
  if (f.places.length >= 2 && ROAD_BETWEEN.test(p.nt.text.slice(Math.max(0, g[0].start - 40), g[0].start))) {
    const [first] = f.places;
    f.places = [{ ...first, location: { ...first.location, geo_precision: Math.max(2, first.location.geo_precision) as 2 | 3 } }];
  }
  f.ownPlace = true;
  // The anchor phrase after a list is evidence of the location too.
  const anchor = g.filter((m) => !places.includes(m));
  if (anchor.length) for (const r of f.places) r.spans.push(...anchor.map((m): NSpan => ({ start: m.start, end: m.end })));
  st.fronts.push({ frame: f, group: g });
}
