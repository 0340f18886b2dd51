// The merge lookup of a single writer, answered from memory. Ingest asks "which stored events near
// this place and date could be this one?" for every extracted event (three index queries each in
// SQL); a batch of articles asks about the same few places and weeks again and again. The index
// loads a bucket (grid cell | admin1 | gazetteer id, and a span of days) from the database once, then
// keeps it in step with the writer's own inserts, updates and deletes. It selects the rows the SQL
// candidate queries (candidateWheres in core.ts) select, with the same tests; merge-index.test.ts
// checks the two agree on real events.
//
// Only valid while this connection is the only writer: the owner clears it when another connection
// has committed (SQLite's data_version) and after any rollback. Events whose event_date is not a full
// YYYY-MM-DD are not indexed (the extractor writes full dates).

import type { CandidateQuery, EventRow, MatchProbe } from './core.js';
import { addDays, dayNumber, dayString } from '../resolve/merge.js';

/**
 * The columns of an event row that the candidate tests read (a few dozen bytes; the event's JSON is
 * read from the database only for the events that pass them).
 */
export type IndexedEvent = Pick<
  EventRow,
  | 'id' | 'event_date' | 'date_lo' | 'date_hi' | 'time_precision' | 'sub_event_type' | 'admin1' | 'cell' | 'geo_precision' | 'gazetteer_id' | 'background'
  // Not tested here: with the above, every indexed column, so the writer can tell an update that
  // touches no index.
  | 'event_type' | 'fatalities' | 'lat' | 'lon'
> & {
  seq: number;
  /** What the match decision reads, once known (written by this store, or read once as a candidate). */
  probe?: MatchProbe;
};

/**
 * Bucket kinds, each the rows of one SQL index range: day/week-precision events of a grid cell,
 * month-precision events of a cell, precise (geo_precision 1-2) and region-level (3) events of an
 * admin1, events of a gazetteer place.
 */
export type BucketKind = 'cell' | 'cell_month' | 'admin1_place' | 'admin1_region' | 'gazetteer';

/** Days per bucket: day-level events are looked up within a few days, the others within a month. */
const SPAN: Record<BucketKind, number> = { cell: 8, cell_month: 32, admin1_place: 32, admin1_region: 32, gazetteer: 32 };

/** Reads one bucket: the events of `kind` with this key whose event_date is in [from, to]. */
export type BucketLoader = (kind: BucketKind, key: string | number, from: string, to: string) => IndexedEvent[];

interface Bucket {
  id: string;
  /**
   * sub_event_type -> its events. A lookup reads only the types that can merge with the incoming
   * event (typesCompatible): an admin1 bucket holds a month of events of every type.
   */
  byType: Map<string, TypeSlot>;
  count: number;
  used: number;
}

/**
 * One type's events in a bucket. A day- or week-level event's window lies within 3 days of its date
 * (dateWindow), so a lookup reads only the days near the incoming window; month-level ones are all read.
 */
interface TypeSlot {
  /** Day number -> seq -> event, for events of time_precision 1 and 2. */
  days: Map<number, Map<number, IndexedEvent>>;
  /** seq -> event, for month-level events. */
  wide: Map<number, IndexedEvent>;
}

/** Where an event sits in its type's slot: a day's map, or the month-level one. */
function slotMap(slot: TypeSlot, e: IndexedEvent, create: boolean): Map<number, IndexedEvent> | undefined {
  if (e.time_precision === 3) return slot.wide;
  const day = dayNumber(e.event_date)!;
  let m = slot.days.get(day);
  if (!m && create) slot.days.set(day, (m = new Map()));
  return m;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The map of bucket `b` that holds entry `e`, if any (to remove it). */
function slotOf(b: Bucket, e: IndexedEvent): Map<number, IndexedEvent> | undefined {
  const slot = b.byType.get(e.sub_event_type);
  return slot && slotMap(slot, e, false);
}

/** The kinds an event belongs to, with its key in each. */
function kindsOf(e: IndexedEvent): [BucketKind, string | number][] {
  const out: [BucketKind, string | number][] = [];
  if (e.cell !== null) {
    if (e.time_precision === 1 || e.time_precision === 2) out.push(['cell', e.cell]);
    else if (e.time_precision === 3) out.push(['cell_month', e.cell]);
  }
  if (e.gazetteer_id !== null) out.push(['gazetteer', e.gazetteer_id]);
  if (e.admin1 !== null) {
    if (e.geo_precision === 1 || e.geo_precision === 2) out.push(['admin1_place', e.admin1]);
    else if (e.geo_precision === 3) out.push(['admin1_region', e.admin1]);
  }
  return out;
}

export class MergeIndex {
  /** kind -> key -> bucket number -> bucket. */
  private readonly kinds = new Map<BucketKind, Map<string | number, Map<number, Bucket>>>();
  /** For each held event, the buckets holding it, with its entry there. */
  private placed = new Map<number, [Bucket, IndexedEvent][]>();
  private size = 0;
  private tick = 0;

  /** `maxEvents`: beyond this many held (event, bucket) pairs, the least recently used buckets are dropped. */
  constructor(private readonly load: BucketLoader, readonly maxEvents = 200_000) {}

  /** Events held (an event in several buckets counts once per bucket). */
  get held(): number {
    return this.size;
  }

  clear(): void {
    this.kinds.clear();
    this.placed.clear();
    this.size = 0;
  }

  private keyMap(kind: BucketKind, key: string | number): Map<number, Bucket> {
    let byKind = this.kinds.get(kind);
    if (!byKind) this.kinds.set(kind, (byKind = new Map()));
    let m = byKind.get(key);
    if (!m) byKind.set(key, (m = new Map()));
    return m;
  }

  private bucket(kind: BucketKind, key: string | number, n: number, m: Map<number, Bucket>): Bucket {
    let b = m.get(n);
    if (!b) {
      b = { id: `${kind}|${key}|${n}`, byType: new Map(), count: 0, used: 0 };
      const span = SPAN[kind];
      for (const e of this.load(kind, key, dayString(n * span), dayString(n * span + span - 1))) if (FULL_DATE.test(e.event_date ?? '')) this.add(b, e);
      m.set(n, b);
    }
    b.used = ++this.tick;
    return b;
  }

  private add(b: Bucket, e: IndexedEvent): void {
    let slot = b.byType.get(e.sub_event_type);
    if (!slot) b.byType.set(e.sub_event_type, (slot = { days: new Map(), wide: new Map() }));
    slotMap(slot, e, true)!.set(e.seq, e);
    b.count++;
    this.size++;
    const p = this.placed.get(e.seq);
    if (p) p.push([b, e]);
    else this.placed.set(e.seq, [[b, e]]);
  }

  /** Drop the least recently used quarter of what is held once over the limit. */
  private evict(): void {
    if (this.size <= this.maxEvents) return;
    const all: { b: Bucket; m: Map<number, Bucket>; n: number }[] = [];
    for (const byKind of this.kinds.values()) for (const m of byKind.values()) for (const [n, b] of m) all.push({ b, m, n });
    all.sort((x, y) => x.b.used - y.b.used);
    for (const { b, m, n } of all) {
      if (this.size <= this.maxEvents * 0.75) break;
      m.delete(n);
      this.size -= b.count;
      for (const slot of b.byType.values())
        for (const seq of [...slot.wide.keys(), ...[...slot.days.values()].flatMap((m) => [...m.keys()])]) {
          const p = this.placed.get(seq)?.filter(([x]) => x !== b);
          if (p?.length) this.placed.set(seq, p);
          else this.placed.delete(seq);
        }
    }
  }

  /**
   * Events of `kind`/`keys` with event_date in [from, to], of one of `types` (null: any), that pass
   * `test`, into `out`. Day- and week-level events are read only from the days [near0, near1] (day
   * numbers): outside them, their window cannot overlap the incoming one.
   */
  private scan(
    kind: BucketKind, keys: (string | number)[], from: string, to: string, near0: number, near1: number,
    types: readonly string[] | null, test: (e: IndexedEvent) => boolean, out: Map<number, IndexedEvent>,
  ): void {
    const span = SPAN[kind];
    const d0 = dayNumber(from)!;
    const d1 = dayNumber(to)!;
    const visit = (events: Map<number, IndexedEvent> | undefined) => {
      if (events) for (const e of events.values()) if (e.event_date! >= from && e.event_date! <= to && !out.has(e.seq) && test(e)) out.set(e.seq, e);
    };
    const visitSlot = (slot: TypeSlot | undefined, n: number) => {
      if (!slot) return;
      visit(slot.wide);
      for (let d = Math.max(n * span, d0, near0), last = Math.min(n * span + span - 1, d1, near1); d <= last; d++) visit(slot.days.get(d));
    };
    for (const key of keys) {
      const m = this.keyMap(kind, key);
      for (let n = Math.floor(d0 / span); n <= Math.floor(d1 / span); n++) {
        const b = this.bucket(kind, key, n, m);
        if (types) for (const t of types) visitSlot(b.byType.get(t), n);
        else for (const slot of b.byType.values()) visitSlot(slot, n);
      }
    }
  }

  /**
   * The events candidateWheres(q) selects, in no particular order; `hasSourceFrom(id)`: the event
   * already has a source from the incoming article (two events of one article never merge).
   */
  candidates(q: CandidateQuery, hasSourceFrom: (id: string) => boolean): IndexedEvent[] {
    // The type test is made by scan(), which reads only these types' entries.
    const types = q.sub_event_types?.length ? q.sub_event_types : null;
    const residual = (e: IndexedEvent) =>
      (!q.exact_place || e.gazetteer_id === q.exact_place || e.gazetteer_id === null || e.geo_precision !== 1) &&
      e.background === q.background &&
      e.date_hi !== null && e.date_hi >= q.lo &&
      e.date_lo !== null && e.date_lo <= q.hi &&
      !hasSourceFrom(e.id);
    const out = new Map<number, IndexedEvent>();
    const from3 = addDays(q.lo, -3);
    const to3 = addDays(q.hi, 3);
    const from31 = addDays(q.lo, -31);
    const to31 = addDays(q.hi, 31);
    // A day-level event's window is its date +/- 0, a week-level one's +/- 3 (dateWindow).
    const near0 = dayNumber(from3)!;
    const near1 = dayNumber(to3)!;
    if (q.cells) {
      this.scan('cell', q.cells, from3, to3, near0, near1, types, residual, out);
      this.scan('cell_month', q.cells, from31, to31, near0, near1, types, residual, out);
    } else if (q.gazetteer_id) {
      this.scan('gazetteer', [q.gazetteer_id], from31, to31, near0, near1, types, residual, out);
    }
    if (q.admin1) {
      if (q.regionSubEventType) {
        // Region-level events merge only with their own type (the SQL's sub_event_type = ?), which
        // must also be one of `types` when those are given.
        const t = q.regionSubEventType;
        const only = !types || types.includes(t) ? [t] : [];
        this.scan('admin1_place', [q.admin1], from31, to31, near0, near1, only, residual, out);
        this.scan('admin1_region', [q.admin1], from31, to31, near0, near1, only, residual, out);
      } else this.scan('admin1_region', [q.admin1], from31, to31, near0, near1, types, residual, out);
    }
    this.evict();
    return [...out.values()];
  }

  /** The event as now written (inserted or updated): it moves to the buckets of its new place and date. */
  put(e: IndexedEvent): void {
    this.remove(e.seq);
    if (!FULL_DATE.test(e.event_date ?? '')) return;
    const day = dayNumber(e.event_date)!;
    for (const [kind, key] of kindsOf(e)) {
      // A bucket not loaded reads the row from the database when it is.
      const b = this.kinds.get(kind)?.get(key)?.get(Math.floor(day / SPAN[kind]));
      if (b) this.add(b, e);
    }
  }

  /** The held entry of an event, if any bucket holds it. */
  get(seq: number): IndexedEvent | undefined {
    return this.placed.get(seq)?.[0]?.[1];
  }

  /** Forget the event (deleted, or about to be put again). */
  remove(seq: number): void {
    for (const [b, e] of this.placed.get(seq) ?? [])
      if (slotOf(b, e)?.delete(seq)) {
        b.count--;
        this.size--;
      }
    this.placed.delete(seq);
  }
}

/** SQL for one bucket kind's rows (without the date range), matching kindsOf(). */
export const BUCKET_WHERE: Record<BucketKind, string> = {
  cell: 'cell = ? AND time_precision IN (1, 2)',
  cell_month: 'cell = ? AND time_precision = 3',
  admin1_place: 'admin1 = ? AND geo_precision IN (1, 2)',
  admin1_region: 'admin1 = ? AND geo_precision = 3',
  gazetteer: 'gazetteer_id = ?',
};
