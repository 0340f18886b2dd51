// JSON Lines export: one StoredEvent (sources and evidence included) per line.

import type { Writable } from 'node:stream';
import type { StoredEvent } from '../store/types.js';
import { write } from './write.js';

export async function writeJsonl(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>, out: Writable): Promise<{ events: number }> {
  let n = 0;
  for await (const e of events) {
    await write(out, JSON.stringify(e) + '\n');
    n++;
  }
  return { events: n };
}
