// Walks the store page by page so an export of a million events never holds them all in memory.

import type { EventFilter, Store, StoredEvent } from '../store/types.js';

/** A store may offer a cursor of its own (keyset pagination); offset paging is the fallback. */
type Iterating = Store & { iterateEvents?(filter?: EventFilter): AsyncIterable<StoredEvent> };

/**
 * Every event matching `filter` (its limit/offset bound the whole walk), in the filter's sort order
 * (default oldest first). Pages of `pageSize` events are fetched one at a time (the store's
 * sort has a unique tie-breaker, so offset pages neither repeat nor skip events).
 */
export async function* iterateEvents(store: Store, filter: EventFilter = {}, pageSize = 1000): AsyncGenerator<StoredEvent> {
  const s = store as Iterating;
  const base: EventFilter = { ...filter, sort: filter.sort ?? 'event_date' };
  if (typeof s.iterateEvents === 'function') {
    yield* s.iterateEvents(base);
    return;
  }
  const start = filter.offset ?? 0;
  const end = filter.limit != null ? start + filter.limit : Infinity;
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
