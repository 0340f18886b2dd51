// Walks the store page by page so an export of a million events never holds them all in memory.

import type { EventFilter, Store, StoredEvent } from '../store/types.js';

/** A store may offer a cursor of its own; otherwise we page with the public events() call. */
type Iterating = Store & { iterateEvents?(filter?: EventFilter): AsyncIterable<StoredEvent> };

/**
 * Every event matching `filter` (its limit/offset bound the whole walk), in the filter's sort order
 * (default oldest first), fetched `pageSize` events at a time. The store's sort has a unique
 * tie-breaker, so pages neither repeat nor skip events.
 *
 * Oldest-first walks without limit/offset (a full export) advance a date cursor instead of an
 * offset: page k asks for event_date >= the last date seen, skipping only the events of that one
 * day already written, so no page makes the database step over everything before it (OFFSET
 * 900000 reads 900000 rows). Undated events sort last and are read after the dated ones.
 */
export async function* iterateEvents(store: Store, filter: EventFilter = {}, pageSize = 1000): AsyncGenerator<StoredEvent> {
  const s = store as Iterating;
  const base: EventFilter = { ...filter, sort: filter.sort ?? 'event_date' };
  if (typeof s.iterateEvents === 'function') {
    yield* s.iterateEvents(base);
    return;
  }
  if (base.sort === 'event_date' && filter.limit == null && filter.offset == null) {
    yield* byDate(store, base, pageSize);
    return;
  }
  yield* byOffset(store, base, filter.offset ?? 0, filter.limit != null ? (filter.offset ?? 0) + filter.limit : Infinity, pageSize);
}

async function* byOffset(store: Store, base: EventFilter, start: number, end: number, pageSize: number): AsyncGenerator<StoredEvent> {
  let offset = start;
  while (offset < end) {
    const limit = Math.min(pageSize, end - offset);
    const page = await store.events({ ...base, offset, limit });
    for (const e of page.items) yield e;
    // A store may cap the page below `limit`: stop on an empty page or at the total, not on a short one.
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return;
  }
}

async function* byDate(store: Store, base: EventFilter, pageSize: number): AsyncGenerator<StoredEvent> {
  let from = base.from;
  let sameDay = 0; // events already written whose date is `from`
  let dated = 0;
  let total: number | null = null;
  for (;;) {
    const page = await store.events({ ...base, from, offset: sameDay, limit: pageSize });
    total ??= page.total; // the first query has the caller's own bounds: undated events included
    for (const e of page.items) {
      if (e.event_date == null) {
        // Reached the undated tail (only on a query without our cursor): finish by offset.
        yield* byOffset(store, base, dated, total, pageSize);
        return;
      }
      yield e;
      dated++;
      if (e.event_date === from) sameDay++;
      else {
        from = e.event_date;
        sameDay = 1;
      }
    }
    if (page.items.length === 0) break;
  }
  // Dated events done; undated ones (if the caller's filter admits any) sort after them.
  if (total != null && dated < total) yield* byOffset(store, base, dated, total, pageSize);
}
