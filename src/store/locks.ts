// Fine-grained merge locks for PostgreSQL writers (issue 7). Two saves must be serialised only when
// one of them writes an event that the other's candidate lookup (core.ts candidateWheres + sameEvent)
// could match. Each stored event state has HOME keys (one per lookup path that can reach it) and each
// candidate query has SEARCH keys; saves take them as transaction-scoped advisory locks.
//
// Correctness (what must hold; postgres.ts enforces the write side at run time):
//  A. Reads are covered: if a candidate query q can return a stored state S that sameEvent accepts,
//     some key k is in both homeKeys(S) and searchKeys(q), and at least one of them holds k
//     exclusively. Proof per lookup path (each path's WHERE fixes the key's place part; the date
//     part holds because a match implies datesCompatible, i.e. S's window meets q's [lo, hi] (the
//     incoming window widened by DATE_SLACK_DAYS), so day(S.event_date) lies in [lo - 3, hi + 3]
//     when S.time_precision is 1 or 2 (the window is the day, or the day +/- 3) and in
//     [lo - 30, hi + 30] when it is 3 (a calendar month); every key below covers its range):
//     - cell path (q.cells): S.cell is in q.cells, S.time_precision in (1,2) or 3. Home: day-range
//       key D(block(S.cell), 16-day bucket) resp. month-range key M(block, 64-day bucket); q takes
//       D for blocks(q.cells) x buckets of [lo-3, hi+3] exclusively, M for x buckets of [lo-31,
//       hi+31] shared (M homes are written exclusively: month-precision events are few).
//     - gazetteer path (q has no cells): S.gazetteer_id = q.gazetteer_id. Home G(gid, bucket),
//       written shared (most events have an id), searched exclusively (events without coordinates
//       but with an id are few).
//     - admin1 path: S.admin1 = q.admin1 and S.geo_precision = 3, or (q region-level)
//       S.geo_precision in (1,2,3) with S.sub_event_type = q's. Homes R(admin1, bucket) for
//       region-level S (written exclusively, searched shared by every event with an admin1) and
//       T(admin1, sub_event_type, bucket) for S of precision 1-3 (written shared, searched
//       exclusively by region-level events only).
//     Every key also holds S.background and the class of S.sub_event_type: the query filters
//     background = q.background and sub_event_type IN compatibleSubEventTypes(q's type), and
//     compatible types always fall in one class (connected component of the compatible groups).
//  B. Writes are covered: a save inserts, updates or deletes an events row only while holding
//     homeKeys(old row) and homeKeys(new row) in their modes (postgres.ts checks each write; a key
//     not taken up front is try-locked, and when that fails the save restarts with it).
//  So if save T1 writes a state S that save T2's lookup could match, both hold a key with one of
//  them exclusive: T2's lookup runs wholly before T1 takes its locks or wholly after T1 commits -
//  the same outcome as saving one after the other. Same article (same identity): an exclusive key
//  on the identity. Re-ingest (a new extractor version detaches the old extraction's events,
//  found only while saving) and any unusual case take the global key exclusively; every
//  fine-grained save holds it shared.
//  Deadlock-free: the keys taken up front are acquired in one statement in increasing key order;
//  later keys are only try-locked (never waited for).

import { createHash } from 'node:crypto';
import type { Article, ConflictEvent, ExtractResult } from '../types.js';
import { articleIdentity, candidateQuery, type CandidateQuery } from './core.js';
import { compatibleSubEventTypes, dayNumber, gridCell } from '../resolve/merge.js';

/** 'x': exclusive, 's': shared (pg_advisory_xact_lock_shared). */
export type LockMode = 'x' | 's';
/** Advisory-lock key (signed 64-bit, as a decimal string for bigint parameters) -> mode. */
export type LockSet = Map<string, LockMode>;

/** More keys than this in one save: take the global key instead (the lock table is finite: 64 per connection by default). */
export const MAX_KEYS = 400;

/** The columns of a stored event row that the candidate lookup filters on. */
export interface HomeRow {
  event_date: string | null;
  time_precision: number | null;
  cell: number | string | null;
  admin1: string | null;
  geo_precision: number | null;
  gazetteer_id: string | null;
  sub_event_type: string;
  background: number | boolean | null;
}

// Day-precision windows are short (+/- 4 days around the window): 16-day buckets give 1-2 per event.
const DAY_BUCKET = 16;
// Month-wide searches (+/- 32 days): 64-day buckets give 2-3.
const MONTH_BUCKET = 64;
// The cell lookup reads the cell and its 8 neighbours: 2x2-cell blocks cover them with 4 keys, not 9.
const BLOCK = 2;

function blockOf(cell: number): string {
  const r = Math.floor(cell / 10_000);
  const c = cell - r * 10_000;
  return `${Math.floor(r / BLOCK)}:${Math.floor(c / BLOCK)}`;
}

const typeClasses = new Map<string, string>();
/** The connected component of a sub-event type under compatibleSubEventTypes (its smallest member). */
export function typeClass(t: string): string {
  let v = typeClasses.get(t);
  if (v === undefined) {
    const seen = new Set([t]);
    for (let todo = [t]; todo.length; ) for (const x of compatibleSubEventTypes(todo.pop()!)) if (!seen.has(x)) (seen.add(x), todo.push(x));
    v = [...seen].sort()[0];
    typeClasses.set(t, v);
  }
  return v;
}

const keyMemo = new Map<string, string>();
/** Signed 64-bit key of a key name (sha1; the global and migration keys are small constants, no clash in practice). */
export function lockKey(name: string): string {
  let k = keyMemo.get(name);
  if (k === undefined) {
    if (keyMemo.size > 50_000) keyMemo.clear();
    keyMemo.set(name, (k = BigInt.asIntN(64, createHash('sha1').update(name).digest().readBigUInt64BE(0)).toString()));
  }
  return k;
}

function add(set: LockSet, name: string, mode: LockMode, names?: Map<string, string>): void {
  const k = lockKey(name);
  names?.set(k, name);
  if (set.get(k) !== 'x') set.set(k, mode);
}

function buckets(lo: number, hi: number, size: number): number[] {
  const out: number[] = [];
  for (let b = Math.floor(lo / size); b <= Math.floor(hi / size); b++) out.push(b);
  return out;
}

/** Keys a stored state (old or new row) must be written under. None when it has no readable date: no lookup can match it. */
export function homeKeys(row: HomeRow, into: LockSet = new Map(), names?: Map<string, string>): LockSet {
  const d = dayNumber(row.event_date);
  if (d === null) return into;
  const bg = row.background ? 1 : 0;
  const cls = typeClass(row.sub_event_type);
  const mb = Math.floor(d / MONTH_BUCKET);
  if (row.cell !== null && row.cell !== undefined) {
    const block = blockOf(Number(row.cell));
    if (row.time_precision === 1 || row.time_precision === 2) add(into, `D|${bg}|${cls}|${block}|${Math.floor(d / DAY_BUCKET)}`, 'x', names);
    else if (row.time_precision === 3) add(into, `M|${bg}|${cls}|${block}|${mb}`, 'x', names);
  }
  if (row.gazetteer_id) add(into, `G|${bg}|${cls}|${row.gazetteer_id}|${mb}`, 's', names);
  if (row.admin1) {
    if (row.geo_precision === 3) add(into, `R|${bg}|${cls}|${row.admin1}|${mb}`, 'x', names);
    if (row.geo_precision === 1 || row.geo_precision === 2 || row.geo_precision === 3)
      add(into, `T|${bg}|${row.admin1}|${row.sub_event_type}|${mb}`, 's', names);
  }
  return into;
}

/**
 * Keys a candidate query must run under; null when the query is of a shape these keys do not cover
 * (no type filter): the caller then takes the global key.
 */
export function searchKeys(q: CandidateQuery, into: LockSet = new Map(), names?: Map<string, string>): LockSet | null {
  const lo = dayNumber(q.lo);
  const hi = dayNumber(q.hi);
  const types = q.sub_event_types ?? [];
  if (lo === null || hi === null || !types.length) return null;
  const cls = typeClass(types[0]);
  if (types.some((t) => typeClass(t) !== cls)) return null;
  const bg = q.background ? 1 : 0;
  const month = buckets(lo - 31, hi + 31, MONTH_BUCKET);
  if (q.cells) {
    const blocks = new Set(q.cells.map(blockOf));
    for (const block of blocks) {
      for (const b of buckets(lo - 3, hi + 3, DAY_BUCKET)) add(into, `D|${bg}|${cls}|${block}|${b}`, 'x', names);
      for (const b of month) add(into, `M|${bg}|${cls}|${block}|${b}`, 's', names);
    }
  } else if (q.gazetteer_id) {
    for (const b of month) add(into, `G|${bg}|${cls}|${q.gazetteer_id}|${b}`, 'x', names);
  }
  if (q.admin1) {
    for (const b of month) add(into, `R|${bg}|${cls}|${q.admin1}|${b}`, 's', names);
    if (q.regionSubEventType) for (const b of month) add(into, `T|${bg}|${q.admin1}|${q.regionSubEventType}|${b}`, 'x', names);
  }
  return into;
}

/** The event as the save stores and looks it up: undated events take the report's date (as core.ts saveArticleWith does). */
function asSaved(raw: ConflictEvent, article: Article): ConflictEvent {
  return raw.event_date || !article.date ? raw : { ...raw, event_date: article.date };
}

/** The candidate query core.ts findMatch builds for an event (null: it finds nothing, as findMatch returns null). */
export const queryFor = candidateQuery;

/** The lookup columns of the row a new event gets (core.ts eventRow). */
export function homeRowOf(ev: ConflictEvent): HomeRow {
  const loc = ev.location;
  const hasXY = !!loc && typeof loc.lat === 'number' && typeof loc.lon === 'number';
  return {
    event_date: ev.event_date ?? null,
    time_precision: ev.time_precision,
    cell: hasXY ? gridCell(loc!.lat!, loc!.lon!) : null,
    admin1: loc?.admin1 ?? null,
    geo_precision: loc?.geo_precision ?? null,
    gazetteer_id: loc?.gazetteer_id ?? null,
    sub_event_type: ev.sub_event_type,
    background: ev.background ? 1 : 0,
  };
}

export function articleKey(article: Article, identity = articleIdentity(article)): string {
  return lockKey(`A|${identity}`);
}

/**
 * The keys to take before saving an article: its identity, and for each event the search keys of
 * its lookup and the home keys of the event it would create. Merged states mix the stored event's
 * and the new one's place and date: usually covered too (both lie in the searched blocks and
 * buckets); anything else is try-locked when written. null: too many keys (take the global key).
 */
export function articleLocks(article: Article, result: ExtractResult, names?: Map<string, string>, identity = articleIdentity(article)): LockSet | null {
  const set: LockSet = new Map([[articleKey(article, identity), 'x']]);
  names?.set(articleKey(article, identity), `A|${identity}`);
  for (const { ev, q } of articleQueries(article, result)) {
    if (!searchKeys(q, set, names)) return null;
    homeKeys(homeRowOf(ev), set, names);
    if (set.size > MAX_KEYS) return null;
  }
  return set;
}

/** Each event of the article that findMatch would look up (with the date it is saved with), and its query. */
export function articleQueries(article: Article, result: ExtractResult): { ev: ConflictEvent; q: CandidateQuery }[] {
  const out: { ev: ConflictEvent; q: CandidateQuery }[] = [];
  for (const raw of Array.isArray(result?.events) ? result.events : []) {
    if (!raw || typeof raw.sub_event_type !== 'string') continue;
    const ev = asSaved(raw, article);
    const q = queryFor(ev);
    // No query: findMatch returns null, and the new event has no date or no place: no lookup reaches it.
    if (q) out.push({ ev, q });
  }
  return out;
}

/** Does `held` cover `need` (every key, exclusive where an exclusive one is needed)? The keys missing. */
export function missing(held: LockSet, need: LockSet): LockSet {
  const out: LockSet = new Map();
  for (const [k, m] of need) {
    const h = held.get(k);
    if (!h || (m === 'x' && h === 's')) out.set(k, m);
  }
  return out;
}

/** Whether two saves holding these sets would wait for each other (a key in both, one exclusive). */
export function conflicts(a: LockSet, b: LockSet): boolean {
  for (const [k, m] of a) {
    const n = b.get(k);
    if (n && (m === 'x' || n === 'x')) return true;
  }
  return false;
}
