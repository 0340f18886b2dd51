// Merge: are two reports of an event the same happening, and what does the merged event say?
// Pure functions on plain data (no SQL): the store fetches a handful of candidates through its
// (date window, grid cell / admin1 / gazetteer id) indexes and asks `sameEvent` about each, so
// merging stays linear in the number of events. The rules are documented in docs/merge.md.

import type { Actor, ConflictEvent, Evidence, GeoPrecision, Location, TimePrecision } from '../types.js';
import type { EventSource } from '../store/types.js';
import { normalizeKey, normalizeKeyCached } from '../text/normalize.js';
import { loadTable } from '../lexicon/table.js';

// ---------------------------------------------------------------- dates

/** Days since 1970-01-01 for a YYYY-MM-DD (or YYYY-MM) string; null when unreadable. */
// Merging converts the same few thousand dates back and forth for every candidate: memoise both ways.
const dayNumbers = new Map<string, number | null>();
const dayStrings = new Map<number, string>();

export function dayNumber(date: string | null | undefined): number | null {
  if (!date) return null;
  let v = dayNumbers.get(date);
  if (v === undefined) {
    if (dayNumbers.size > 50_000) dayNumbers.clear();
    dayNumbers.set(date, (v = parseDay(date)));
  }
  return v;
}

function parseDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(date);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, m[3] ? +m[3] : 1);
  return Number.isNaN(t) ? null : Math.floor(t / 86_400_000);
}

export function dayString(n: number): string {
  let v = dayStrings.get(n);
  if (v === undefined) {
    if (dayStrings.size > 50_000) dayStrings.clear();
    dayStrings.set(n, (v = new Date(n * 86_400_000).toISOString().slice(0, 10)));
  }
  return v;
}

export function addDays(date: string, days: number): string {
  const n = dayNumber(date);
  if (n === null) throw new Error(`not a date: ${date}`);
  return dayString(n + days);
}

/**
 * The days an event may have happened on, given its time_precision:
 * 1 -> the day itself; 2 (week known) -> the date +/- 3 days; 3 (month known) -> the calendar month.
 */
export function dateWindow(date: string | null | undefined, precision: TimePrecision = 1): { lo: string; hi: string } | null {
  const d = dayNumber(date);
  if (d === null) return null;
  if (precision === 2) return { lo: dayString(d - 3), hi: dayString(d + 3) };
  if (precision === 3) {
    const s = dayString(d);
    const y = +s.slice(0, 4);
    const mo = +s.slice(5, 7);
    const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
    return { lo: `${s.slice(0, 7)}-01`, hi: last };
  }
  return { lo: dayString(d), hi: dayString(d) };
}

/** What the merge decision (sameEvent, bestMatch) reads of an event. */
export type MatchFields = Pick<ConflictEvent, 'background' | 'sub_event_type' | 'event_date' | 'time_precision' | 'location' | 'actor1' | 'actor2'> & {
  id?: string;
  created_at?: string;
};

/** Reporting-window slack: outlets date the same night raid to either day (|d| <= 1 at precision 1). */
export const DATE_SLACK_DAYS = 1;
/** Widest window a stored event can have (a month) plus the slack: bounds the index range scan. */
export const MAX_WINDOW_DAYS = 31 + DATE_SLACK_DAYS;

export function datesCompatible(a: MatchFields, b: MatchFields): boolean {
  const wa = dateWindow(a.event_date, a.time_precision);
  const wb = dateWindow(b.event_date, b.time_precision);
  if (!wa || !wb) return false; // an undated report cannot be tied to a dated one
  const gap = Math.max(dayNumber(wa.lo)! - dayNumber(wb.hi)!, dayNumber(wb.lo)! - dayNumber(wa.hi)!);
  return gap <= DATE_SLACK_DAYS;
}

// ---------------------------------------------------------------- places

/** Grid cell size in degrees for candidate lookup (~25 km: wider than the 10 km merge radius). */
export const CELL_DEGREES = 0.25;

export function gridCell(lat: number, lon: number): number {
  const r = Math.floor((lat + 90) / CELL_DEGREES);
  const c = Math.floor((lon + 180) / CELL_DEGREES);
  return r * 10_000 + c;
}

/** The cell and its 8 neighbours: every place within one cell size (> merge radius) lies in these. */
export function neighbourCells(lat: number, lon: number): number[] {
  const r = Math.floor((lat + 90) / CELL_DEGREES);
  const c = Math.floor((lon + 180) / CELL_DEGREES);
  const out: number[] = [];
  for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) out.push((r + dr) * 10_000 + (c + dc));
  return out;
}

export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "Near X" (precision 2) covers X and its surroundings: ~10 km, ACLED's usual "around" radius. */
export const NEAR_KM = 10;
/** Two precision-1 placements without gazetteer ids closer than this are the same place (spelling variants). */
export const SAME_PLACE_KM = 2;

function hasCoords(l: Location): l is Location & { lat: number; lon: number } {
  return typeof l.lat === 'number' && typeof l.lon === 'number' && Number.isFinite(l.lat) && Number.isFinite(l.lon);
}

/**
 * Same or nearby place:
 * - same gazetteer id -> yes;
 * - both precision 1 (the named places themselves) with different gazetteer ids -> no: two named villages
 *   are two events even when close (GUIDELINES: fighting at three villages is three events); without ids,
 *   the same normalised name or < 2 km;
 * - either at precision 2 (near/around a place) -> within 10 km;
 * - either at precision 3 (only a region known) -> same admin1, and the caller must also require the
 *   exact same sub_event_type (`exactTypeRequired`).
 */
export function placesCompatible(a: Location | null, b: Location | null): { ok: boolean; exactTypeRequired: boolean } {
  const no = { ok: false, exactTypeRequired: false };
  if (!a || !b) return no;
  if (a.gazetteer_id && b.gazetteer_id && a.gazetteer_id === b.gazetteer_id) return { ok: true, exactTypeRequired: false };
  const p = Math.max(a.geo_precision, b.geo_precision) as GeoPrecision;
  if (p === 3) {
    const ok = !!a.admin1 && !!b.admin1 && normalizeKeyCached(a.admin1) === normalizeKeyCached(b.admin1);
    return { ok, exactTypeRequired: true };
  }
  if (p === 1) {
    if (a.gazetteer_id && b.gazetteer_id) return no;
    const na = normalizeKeyCached(a.name_ar || a.name || '');
    const nb = normalizeKeyCached(b.name_ar || b.name || '');
    if (na && na === nb) return { ok: true, exactTypeRequired: false };
    if (hasCoords(a) && hasCoords(b)) return { ok: distanceKm(a.lat, a.lon, b.lat, b.lon) < SAME_PLACE_KM, exactTypeRequired: false };
    return no;
  }
  if (hasCoords(a) && hasCoords(b)) return { ok: distanceKm(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM, exactTypeRequired: false };
  return no;
}

// ---------------------------------------------------------------- types

/**
 * Sub-event types that different outlets use for one happening. Decision (docs/merge.md):
 * - Armed clash ~ Government regains territory ~ Non-state actor overtakes territory: one outlet reports
 *   the fighting, another the capture of the same village that day; ACLED codes the territorial change,
 *   so the merged event takes the territorial type. The two territorial types are NOT compatible with each
 *   other (opposite outcomes are contradicting claims, kept apart).
 * - Remote explosive/landmine/IED ~ Suicide bomb: a car bomb is often reported as either; keep Suicide bomb.
 * - Peaceful protest ~ Protest with intervention ~ Excessive force against protesters: the same protest
 *   seen with or without the crackdown; keep the most severe.
 * - Air/drone strike vs Shelling/artillery/missile attack are NOT compatible: GUIDELINES code Russian air
 *   strikes and regime shelling on the same front as two events.
 * Lists are in increasing specificity: the merged event keeps the later one.
 */
const COMPATIBLE_GROUPS: string[][] = [
  ['Armed clash', 'Government regains territory'],
  ['Armed clash', 'Non-state actor overtakes territory'],
  ['Remote explosive/landmine/IED', 'Suicide bomb'],
  ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
];

export function typesCompatible(a: MatchFields, b: MatchFields): boolean {
  if (a.sub_event_type === b.sub_event_type) return true;
  return COMPATIBLE_GROUPS.some((g) => g.includes(a.sub_event_type) && g.includes(b.sub_event_type));
}

/** Every sub-event type compatible with `t` (itself included): the store's candidate lookup filters on it. */
export function compatibleSubEventTypes(t: string): string[] {
  const out = new Set([t]);
  for (const g of COMPATIBLE_GROUPS) if (g.includes(t)) for (const x of g) out.add(x);
  return [...out];
}

/** The more specific of two compatible sub-event types (and its event_type). */
export function moreSpecificType(a: ConflictEvent, b: ConflictEvent): ConflictEvent {
  if (a.sub_event_type === b.sub_event_type) return a;
  for (const g of COMPATIBLE_GROUPS) {
    const ia = g.indexOf(a.sub_event_type);
    const ib = g.indexOf(b.sub_event_type);
    if (ia >= 0 && ib >= 0) return ib > ia ? b : a;
  }
  return a;
}

// ---------------------------------------------------------------- actors

export function interSet(e: MatchFields): Set<number> {
  const s = new Set<number>();
  if (e.actor1) s.add(e.actor1.inter);
  if (e.actor2) s.add(e.actor2.inter);
  return s;
}

/**
 * Compatible actors: the same set of main-actor inter codes, or one report leaves a side unknown
 * (its set is a subset of the other's: "an air strike hit X" vs "Russian jets struck X").
 */
export function actorsCompatible(a: MatchFields, b: MatchFields): boolean {
  const sa = interSet(a);
  const sb = interSet(b);
  const sub = (x: Set<number>, y: Set<number>) => [...x].every((v) => y.has(v));
  return sub(sa, sb) || sub(sb, sa);
}

// ---------------------------------------------------------------- the decision

export interface MatchResult {
  same: boolean;
  /** Higher is closer (for picking among several candidates). */
  score: number;
  reason: string;
}

/** Is `incoming` (one article's event) the same happening as `stored` (a merged event)? */
export function sameEvent(stored: MatchFields, incoming: MatchFields): MatchResult {
  if (!!stored.background !== !!incoming.background) return { same: false, score: 0, reason: 'background vs news' };
  if (!typesCompatible(stored, incoming)) return { same: false, score: 0, reason: 'sub_event_type' };
  const place = placesCompatible(stored.location, incoming.location);
  if (!place.ok) return { same: false, score: 0, reason: 'place' };
  if (place.exactTypeRequired && stored.sub_event_type !== incoming.sub_event_type)
    return { same: false, score: 0, reason: 'region-level place needs the same sub_event_type' };
  if (!datesCompatible(stored, incoming)) return { same: false, score: 0, reason: 'date' };
  if (!actorsCompatible(stored, incoming)) return { same: false, score: 0, reason: 'actors' };
  let score = 1;
  if (stored.sub_event_type === incoming.sub_event_type) score += 2;
  if (stored.event_date === incoming.event_date) score += 2;
  const a = stored.location!;
  const b = incoming.location!;
  if (a.gazetteer_id && a.gazetteer_id === b.gazetteer_id) score += 3;
  else if (hasCoords(a) && hasCoords(b)) score += Math.max(0, 2 - distanceKm(a.lat, a.lon, b.lat, b.lon) / 5);
  if (interSet(stored).size === interSet(incoming).size) score += 1;
  return { same: true, score, reason: 'match' };
}

/** Ties go to the older event (then the smaller id): the same answer whatever order a store lists candidates in. */
function before(a: MatchFields, b: MatchFields): boolean {
  const ca = a.created_at ?? '';
  const cb = b.created_at ?? '';
  return ca !== cb ? ca < cb : (a.id ?? '') < (b.id ?? '');
}

/** Among candidates, the best match for `incoming`, or null. */
export function bestMatch<T extends MatchFields>(candidates: T[], incoming: MatchFields): T | null {
  let best: T | null = null;
  let bestScore = -1;
  for (const c of candidates) {
    const m = sameEvent(c, incoming);
    if (m.same && (m.score > bestScore || (m.score === bestScore && best && before(c, best)))) {
      best = c;
      bestScore = m.score;
    }
  }
  return best;
}

// ---------------------------------------------------------------- sources and fatalities

export interface SourceTier {
  pattern: string;
  tier: number;
  kind: string;
}

let tiersCache: SourceTier[] | null = null;

/** lexicon/source_tiers.tsv, loaded once. */
export function sourceTiers(): SourceTier[] {
  if (!tiersCache)
    tiersCache = loadTable('source_tiers.tsv').map((r) => ({ pattern: normalizeKey(r.pattern), tier: Number(r.tier) || 2, kind: r.kind }));
  return tiersCache;
}

// A merge ranks every source of the event again: memoise the tier per credited name (default table only).
const tierMemo = new Map<string, number>();

/** 1 monitor/UN, 2 news agency or outlet's own voice (default), 3 a party's claim. */
export function sourceTier(s: Pick<EventSource, 'reported_by' | 'outlet'>, tiers: SourceTier[] = sourceTiers()): number {
  // Who is credited decides; the outlet speaks only when it credits nobody.
  const raw = s.reported_by || s.outlet || '';
  const memo = tiers === tiersCache;
  const hit = memo ? tierMemo.get(raw) : undefined;
  if (hit !== undefined) return hit;
  const t = tierOf(normalizeKey(raw), tiers);
  if (memo) {
    if (tierMemo.size > 10_000) tierMemo.clear();
    tierMemo.set(raw, t);
  }
  return t;
}

function tierOf(who: string, tiers: SourceTier[]): number {
  if (!who) return 2;
  let tier = 0;
  for (const t of tiers) if (t.pattern && who.includes(t.pattern)) tier = tier === 0 ? t.tier : Math.min(tier, t.tier);
  return tier || 2;
}

export interface Fatalities {
  low: number;
  best: number;
  high: number;
  /** Index (in the given sources) of the source whose figure is `best`, or -1 when nobody gave one. */
  bestIndex: number;
}

/**
 * UCDP convention across sources. A source that gives no count (0 = "no count reported", CONTRACT.md)
 * is not a claim of zero deaths, so low/high range over the sources that gave a figure.
 * best = the figure of the most reliable tier (monitor/UN > agency or outlet > party claim); within that
 * tier the most recently published report (tolls are revised upward as bodies are counted and names
 * verified); on a tie of date, the higher figure of that tier.
 */
export function fatalityRange(sources: SourceFigure[], tiers: SourceTier[] = sourceTiers()): Fatalities {
  const counted = sources.map((s, i) => ({ s, i })).filter(({ s }) => s.fatalities > 0);
  if (counted.length === 0) return { low: 0, best: 0, high: 0, bestIndex: -1 };
  const figs = counted.map(({ s }) => s.fatalities);
  const ranked = counted
    .map(({ s, i }) => ({ i, f: s.fatalities, tier: sourceTier(s, tiers), pub: s.published ?? '' }))
    .sort((x, y) => x.tier - y.tier || (x.pub < y.pub ? 1 : x.pub > y.pub ? -1 : 0) || y.f - x.f);
  return { low: Math.min(...figs), best: ranked[0].f, high: Math.max(...figs), bestIndex: ranked[0].i };
}

/**
 * The figures a later merge needs, in their order: the first source of each (outlet, reported_by)
 * pair (the store's searchable source names), the lowest and the highest count, and the best-ranked
 * source. fatalityRange(reduceFigures(xs) + [new]) gives the same low/best/high as over xs + [new]
 * (the best of the union is the old best or the new one; ties keep the earlier), so an event reported
 * thousands of times merges in constant time.
 */
export function reduceFigures(sources: SourceFigure[], tiers: SourceTier[] = sourceTiers()): SourceFigure[] {
  if (sources.length <= 8) return sources;
  const keep = new Set<number>();
  const pairs = new Set<string>();
  let lo = -1;
  let hi = -1;
  sources.forEach((s, i) => {
    const k = `${s.outlet ?? ''}\u0000${s.reported_by ?? ''}`;
    if (!pairs.has(k)) (pairs.add(k), keep.add(i));
    if (s.fatalities > 0) {
      if (lo < 0 || s.fatalities < sources[lo].fatalities) lo = i;
      if (hi < 0 || s.fatalities > sources[hi].fatalities) hi = i;
    }
  });
  if (lo >= 0) keep.add(lo).add(hi).add(fatalityRange(sources, tiers).bestIndex);
  return sources.filter((_, i) => keep.has(i));
}

// ---------------------------------------------------------------- the merged event

function moreSpecificLocation(a: Location | null, b: Location | null): Location | null {
  if (!a) return b;
  if (!b) return a;
  if (b.geo_precision < a.geo_precision) return b;
  if (b.geo_precision === a.geo_precision && !a.gazetteer_id && b.gazetteer_id) return b;
  if (b.geo_precision === a.geo_precision && !hasCoords(a) && hasCoords(b)) return b;
  return a;
}

function actorKey(a: Actor): string {
  return `${a.inter}|${a.name}`;
}

function unionActors(lists: (Actor[] | undefined)[], exclude: (Actor | null)[]): Actor[] | undefined {
  const seen = new Set(exclude.filter((a): a is Actor => !!a).map(actorKey));
  const out: Actor[] = [];
  for (const l of lists)
    for (const a of l ?? []) {
      const k = actorKey(a);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(a);
      }
    }
  return out.length ? out : undefined;
}

export function interaction(a1: Actor | null, a2: Actor | null): number | undefined {
  if (!a1 && !a2) return undefined;
  if (a1 && a2) return Math.min(a1.inter, a2.inter) * 10 + Math.max(a1.inter, a2.inter);
  return (a1 ?? a2)!.inter * 10;
}

export interface MergedEvent extends ConflictEvent {
  fatalities_low: number;
  fatalities_best: number;
  fatalities_high: number;
}

/** What fatality bookkeeping needs of each source (cheap columns, no evidence). */
export type SourceFigure = Pick<EventSource, 'reported_by' | 'outlet' | 'published' | 'fatalities'>;

/**
 * Fold one more source into a merged event (null: the first source). `figures` are the figure
 * records of ALL the event's sources, this one last. Adding a source either leaves the best source
 * as it was or makes the new one best (the ranking is a total order), so the fold gives the same
 * result as merging all sources at once, and an update costs O(1) sources, not O(all).
 * The merged event keeps the most precise location and date, the most specific compatible type, the
 * fullest actor pair, associated actors and evidence united (each span tagged with its article), and
 * fatalities by `fatalityRange`; notes, reported_by and the per-side split come from the best source.
 */
export function mergeStep(acc: MergedEvent | null, s: EventSource, figures: SourceFigure[], tiers: SourceTier[] = sourceTiers()): MergedEvent {
  const e = s.event;
  const tagged: Record<string, Evidence[]> = {};
  for (const [field, spans] of Object.entries(e.evidence ?? {})) tagged[field] = spans.map((sp) => ({ ...sp, article_id: s.article_id }));
  const f = fatalityRange(figures, tiers);
  const newIsBest = f.bestIndex === figures.length - 1;
  if (!acc) {
    const m: MergedEvent = {
      event_type: e.event_type,
      sub_event_type: e.sub_event_type,
      event_date: e.event_date,
      time_precision: e.time_precision,
      actor1: e.actor1 ?? null,
      actor2: e.actor2 ?? null,
      interaction: interaction(e.actor1 ?? null, e.actor2 ?? null),
      location: e.location ?? null,
      fatalities: f.best,
      fatalities_low: f.low,
      fatalities_best: f.best,
      fatalities_high: f.high,
      status: e.status,
      civilian_targeting: !!e.civilian_targeting,
      reported_by: s.reported_by,
      background: !!e.background,
      evidence: tagged,
      notes: e.notes ?? '',
    };
    if (e.assoc_actor_1?.length) m.assoc_actor_1 = e.assoc_actor_1;
    if (e.assoc_actor_2?.length) m.assoc_actor_2 = e.assoc_actor_2;
    if (e.fatalities_by_side) m.fatalities_by_side = e.fatalities_by_side;
    if (e.wounded) m.wounded = e.wounded;
    if (m.interaction === undefined) delete m.interaction;
    return m;
  }
  const type = moreSpecificType(acc, e);
  const loc = moreSpecificLocation(acc.location, e.location);
  const takeDate = !!e.event_date && (!acc.event_date || e.time_precision < acc.time_precision);
  const takeActors = interSet(e).size > interSet(acc).size;
  const actor1 = takeActors ? e.actor1 : acc.actor1;
  const actor2 = takeActors ? e.actor2 : acc.actor2;
  const evidence: Record<string, Evidence[]> = { ...acc.evidence };
  for (const [field, spans] of Object.entries(tagged)) evidence[field] = [...(evidence[field] ?? []), ...spans];
  const m: MergedEvent = {
    ...acc,
    event_type: type.event_type,
    sub_event_type: type.sub_event_type,
    event_date: takeDate ? e.event_date : acc.event_date,
    time_precision: takeDate ? e.time_precision : acc.time_precision,
    actor1,
    actor2,
    interaction: interaction(actor1, actor2),
    location: loc,
    fatalities: f.best,
    fatalities_low: f.low,
    fatalities_best: f.best,
    fatalities_high: f.high,
    status: acc.status === 'occurred' || e.status === 'occurred' ? 'occurred' : acc.status,
    civilian_targeting: acc.civilian_targeting || !!e.civilian_targeting,
    background: acc.background && !!e.background,
    evidence,
  };
  const a1 = unionActors([acc.assoc_actor_1, e.assoc_actor_1], [actor1, actor2]);
  const a2 = unionActors([acc.assoc_actor_2, e.assoc_actor_2], [actor1, actor2]);
  if (a1) m.assoc_actor_1 = a1;
  else delete m.assoc_actor_1;
  if (a2) m.assoc_actor_2 = a2;
  else delete m.assoc_actor_2;
  if (newIsBest) {
    m.reported_by = s.reported_by;
    m.notes = e.notes || acc.notes;
    if (e.fatalities_by_side) m.fatalities_by_side = e.fatalities_by_side;
    else delete m.fatalities_by_side;
  }
  const wounded = Math.max(acc.wounded ?? 0, e.wounded ?? 0);
  if (wounded > 0) m.wounded = wounded;
  if (m.interaction === undefined) delete m.interaction;
  return m;
}

/** The merged event of all its sources, in the order given (first reported first). */
export function mergeSources(sources: EventSource[], tiers: SourceTier[] = sourceTiers()): MergedEvent {
  if (sources.length === 0) throw new Error('mergeSources: no sources');
  let acc: MergedEvent | null = null;
  for (let i = 0; i < sources.length; i++) acc = mergeStep(acc, sources[i], sources.slice(0, i + 1), tiers);
  return acc!;
}
