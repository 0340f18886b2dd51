// Stage 5: one event per (sub_event_type, place, day, actor pair) per article. Duplicates
// (the title repeating the body, a clash named twice) merge, keeping all their evidence.

import type { ConflictEvent, EventStatus, Evidence } from '../types.js';

function placeKey(e: ConflictEvent): string {
  const l = e.location;
  if (!l) return '-';
  return l.gazetteer_id ?? `${l.name}|${l.lat?.toFixed(3)}|${l.lon?.toFixed(3)}`;
}

function key(e: ConflictEvent): string {
  // A clash between A and B is one event whoever is named first; fire from A on B and from B
  // on A ("أطلق حزب الله صواريخ ... ورد الجيش الإسرائيلي بقصف") are two.
  const names = [e.actor1?.name ?? '', e.actor2?.name ?? ''];
  const pair = (e.event_type === 'Battles' ? names.sort() : names).join('|');
  return [e.sub_event_type, placeKey(e), e.event_date ?? '', pair, e.background ? 'bg' : 'news'].join('#');
}

// Told twice, an attempt that is also reported as fighting happened; a failure stays a failure.
const STATUS_RANK: Record<EventStatus, number> = { attempted: 0, occurred: 1, failed: 2 };

/** Only the headline tells this event. */
const titleOnly = (e: ConflictEvent) => Object.values(e.evidence).every((l) => l.every((x) => x.part === 'title'));

/**
 * A headline summarises the body: "مقتل 5 مدنيين بغارات روسية على إدلب" is the body's air
 * strike on Kafranbel told coarsely. A title event whose place is missing or coarser than a
 * body event of the same sub-type, status and attacker in the same governorate is that event.
 */
function titleMatch(t: ConflictEvent, events: ConflictEvent[], fromTitle: Set<ConflictEvent>): ConflictEvent | undefined {
  if (!fromTitle.has(t)) return undefined;
  return events.find(
    (b) =>
      b !== t &&
      !fromTitle.has(b) &&
      // (a headline protest is the body's, however the body qualifies it)
      (b.sub_event_type === t.sub_event_type || (b.event_type === 'Protests' && t.event_type === 'Protests')) &&
      (b.status === t.status || t.status === 'occurred') &&
      b.background === t.background &&
      (!t.actor1 || !b.actor1 || t.actor1.name === b.actor1.name || t.actor1.inter === b.actor1.inter || /^Unidentified Armed Group/.test(t.actor1.name)) &&
      (!t.location || (b.location && b.location.admin1 === t.location.admin1 && (t.location.geo_precision === 3 || b.location.geo_precision === 3 || b.location.name === t.location.name || t.location.name === b.location.admin1))),
  );
}

const TAKEOVER = new Set(['Government regains territory', 'Non-state actor overtakes territory']);

/**
 * A takeover absorbs the fighting that produced it (ACLED: one event per place and day): a clash
 * at the same place on the same day ("سيطرت قوات النظام على كفرنبل إثر معارك عنيفة") and the
 * loser's withdrawal from it ("أقر الجيش بانسحاب قواته من المدينة") are that takeover.
 */
function absorbIntoTakeovers(events: ConflictEvent[]): ConflictEvent[] {
  // (only the capture of a named place: villages taken "around" a town, precision 2, are one event
  // and the fighting on the town's fronts another)
  const takeovers = events.filter((e) => TAKEOVER.has(e.sub_event_type) && !e.background && e.location?.geo_precision === 1);
  if (takeovers.length === 0) return events;
  const samePlace = (a: ConflictEvent, b: ConflictEvent) =>
    !!a.location && !!b.location && (a.location.gazetteer_id ? a.location.gazetteer_id === b.location.gazetteer_id : a.location.name === b.location.name);
  const names = (e: ConflictEvent) => [e.actor1?.name, e.actor2?.name].filter((x): x is string => !!x);
  return events.filter((e) => {
    if (e.background || (e.sub_event_type !== 'Armed clash' && e.sub_event_type !== 'Non-violent transfer of territory')) return true;
    // (a withdrawal is the loser's act: its actor need not be named in the takeover)
    const withdrawal = e.sub_event_type === 'Non-violent transfer of territory';
    const t = takeovers.find((x) => x.event_date === e.event_date && samePlace(x, e) && (withdrawal || names(e).length === 0 || names(e).some((n) => names(x).includes(n))));
    if (!t) return true;
    if (e.fatalities > t.fatalities) {
      t.fatalities = e.fatalities;
      if (e.fatalities_by_side) t.fatalities_by_side = e.fatalities_by_side;
    }
    // The side that withdrew or fought back is the takeover's other side.
    if (withdrawal && e.actor1 && e.actor1.name !== t.actor1?.name && !(t.evidence.actor2 ?? []).length) {
      t.actor2 = e.actor1;
      t.evidence.actor2 = [...(e.evidence.actor1 ?? [])];
    } else if (!t.actor2) {
      const other = [e.actor1, e.actor2].find((a) => a && a.name !== t.actor1?.name);
      if (other) t.actor2 = other;
    }
    for (const [f, spans] of Object.entries(e.evidence)) if (f === 'fatalities' || f === 'actor2') (t.evidence[f] ??= []).push(...spans.filter((x) => !(t.evidence[f] ?? []).some((y) => y.part === x.part && y.start === x.start)));
    return false;
  });
}

/**
 * The same act told again without its author ("مقتل 3 مدنيين جراء القصف الصاروخي على بلدة الفطيرة"
 * after "قصف صاروخي تنفذه قوات النظام على قرى الفطيرة ..."): an event with no actor1 is the
 * event of the same sub-type, place and day that has one; its victims complete that event.
 */
function absorbAuthorless(events: ConflictEvent[]): ConflictEvent[] {
  const byKey = new Map<string, ConflictEvent[]>();
  const k = (e: ConflictEvent) => [e.sub_event_type, placeKey(e), e.event_date ?? '', e.background ? 'bg' : 'news'].join('#');
  for (const e of events) if (e.actor1) (byKey.get(k(e)) ?? byKey.set(k(e), []).get(k(e))!).push(e);
  return events.filter((e) => {
    if (e.actor1 || !e.location) return true;
    const t = (byKey.get(k(e)) ?? []).find((x) => !e.actor2 || !x.actor2 || x.actor2.name === e.actor2.name);
    if (!t) return true;
    if (!t.actor2 && e.actor2) {
      t.actor2 = e.actor2;
      t.evidence.actor2 = [...(e.evidence.actor2 ?? [])];
    }
    merge(t, e);
    return false;
  });
}

/** The same act with its target left unnamed once: one event, with the target. */
function absorbTargetless(events: ConflictEvent[]): ConflictEvent[] {
  const k = (e: ConflictEvent) => [e.sub_event_type, placeKey(e), e.event_date ?? '', e.background ? 'bg' : 'news', e.actor1?.name ?? ''].join('#');
  const withTarget = new Map<string, ConflictEvent>();
  for (const e of events) if (e.actor1 && e.actor2 && !withTarget.has(k(e))) withTarget.set(k(e), e);
  return events.filter((e) => {
    if (!e.actor1 || e.actor2 || !e.location) return true;
    const t = withTarget.get(k(e));
    if (!t) return true;
    merge(t, e);
    return false;
  });
}

/** A place named as a region ("ريف درعا الغربي", "غربي درعا", "محافظة إدلب"), not a locality. */
const REGIONAL = /(?:^|\s)(?:[وبفل]{0,2}(?:ال)?)(?:ريف|محافظ\S*|غربي|شرقي|شمالي|جنوبي|بادي\S*)(?:\s|$)/;

/**
 * The act retold at the level of its region ("انفجار عبوة ... بين المزيريب واليادودة في ريف درعا
 * الغربي" then "العبوة ... انفجرت" placed at "ريف درعا الغربي"): an event placed only at a region,
 * with the same sub-type, day and author as an event at a locality of that region, is that event.
 */
function absorbRegional(events: ConflictEvent[]): ConflictEvent[] {
  // (not the countryside of a town or village, "ريف بلدة تل تمر": that is a place of its own)
  const regional = (e: ConflictEvent) =>
    !!e.location && e.location.geo_precision >= 2 && (e.evidence.location ?? []).length > 0 && (e.evidence.location ?? []).every((x) => REGIONAL.test(x.text) && !/(?:بلد|قري|ناحي)[ةه]/.test(x.text));
  return events.filter((e) => {
    if (e.background || !regional(e)) return true;
    const t = events.find(
      (x) =>
        x !== e &&
        !x.background &&
        !regional(x) &&
        x.sub_event_type === e.sub_event_type &&
        x.event_date === e.event_date &&
        x.location?.admin1 === e.location!.admin1 &&
        (!e.actor1 || !x.actor1 || x.actor1.name === e.actor1.name) &&
        (!e.actor2 || !x.actor2 || x.actor2.name === e.actor2.name),
    );
    if (!t) return true;
    merge(t, e, false);
    return false;
  });
}

export function dedupe(events: ConflictEvent[]): ConflictEvent[] {
  const merged = absorbRegional(absorbTargetless(absorbAuthorless(absorbIntoTakeovers(sameKey(events)))));
  const fromTitle = new Set(merged.filter(titleOnly));
  const out: ConflictEvent[] = [];
  for (const e of merged) {
    const b = fromTitle.size ? titleMatch(e, merged, fromTitle) : undefined;
    if (b) {
      // A body that knows only the region takes the headline's town ("غارة جوية على أم درمان").
      if (b.location?.geo_precision === 3 && e.location && e.location.geo_precision < 3) b.location = e.location;
      merge(b, e, false);
    }
    else out.push(e);
  }
  return out;
}

function sameKey(events: ConflictEvent[]): ConflictEvent[] {
  const byKey = new Map<string, ConflictEvent>();
  const out: ConflictEvent[] = [];
  for (const e of events) {
    const k = key(e);
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, e);
      out.push(e);
      continue;
    }
    merge(prev, e);
  }
  return out;
}

const spanKey = (h: Evidence) => `${h.part}|${h.start}|${h.end}`;
const SMALL = 32;

/**
 * The keys of an evidence list, kept between merges: an event that absorbs thousands of retellings
 * (a text of nothing but trigger words) would otherwise rebuild its whole key set at each one,
 * quadratic in the text. Spans pushed by others since the last merge are added on the way.
 */
const seen = new WeakMap<Evidence[], { keys: Set<string>; n: number }>();
function spanKeys(have: Evidence[]): Set<string> {
  let s = seen.get(have);
  if (!s || have.length < s.n) s = { keys: new Set(), n: 0 };
  for (let i = s.n; i < have.length; i++) s.keys.add(spanKey(have[i]!));
  s.n = have.length;
  seen.set(have, s);
  return s.keys;
}

/** The same event told twice: the larger count, the stronger status, all the evidence. */
function merge(prev: ConflictEvent, e: ConflictEvent, samePlace = true): void {
  {
    if (e.fatalities > prev.fatalities) {
      prev.fatalities = e.fatalities;
      if (e.fatalities_by_side) prev.fatalities_by_side = e.fatalities_by_side;
    }
    if ((e.wounded ?? 0) > (prev.wounded ?? 0)) prev.wounded = e.wounded;
    if (STATUS_RANK[e.status] > STATUS_RANK[prev.status]) prev.status = e.status;
    prev.civilian_targeting ||= e.civilian_targeting;
    prev.reported_by ??= e.reported_by;
    if (!prev.assoc_actor_1 && e.assoc_actor_1) prev.assoc_actor_1 = e.assoc_actor_1;
    if (!prev.assoc_actor_2 && e.assoc_actor_2) prev.assoc_actor_2 = e.assoc_actor_2;
    // (a headline's coarse place never replaces the body's)
    if (samePlace && prev.location && e.location && e.location.geo_precision < prev.location.geo_precision) prev.location = e.location;
    for (const [f, spans] of Object.entries(e.evidence)) {
      const have = (prev.evidence[f] ??= []);
      if (have.length <= SMALL) {
        // (a few spans, as in any real report: a fresh set is cheaper than the kept one)
        const fresh = new Set(have.map(spanKey));
        for (const s of spans) if (!fresh.has(spanKey(s))) have.push(s);
        continue;
      }
      const keys = spanKeys(have);
      // (checked against the spans held before this merge, as before: the set grows after)
      const add = spans.filter((s) => !keys.has(spanKey(s)));
      for (const s of add) {
        have.push(s);
        keys.add(spanKey(s));
      }
      seen.set(have, { keys, n: have.length });
    }
  }
}
