// ACLED CSV export, streamed: header, then one RFC 4180 record per event as the events arrive.

import type { Writable } from 'node:stream';
import type { StoredEvent } from '../store/types.js';
import { ACLED_COLUMNS, MARSAD_COLUMNS, acledRow } from './acled.js';
import { BOM, csvRecord } from './csv.js';
import { write } from './write.js';

export interface AcledCsvOptions {
  /** Start with a UTF-8 byte order mark so Excel reads Arabic as UTF-8 (default false). */
  bom?: boolean;
  /** Only ACLED's 31 columns, without Marsad's extension columns (default false). */
  acledOnly?: boolean;
}

export function acledCsvColumns(opts: AcledCsvOptions = {}): string[] {
  return opts.acledOnly ? [...ACLED_COLUMNS] : [...ACLED_COLUMNS, ...MARSAD_COLUMNS];
}

export function acledCsvHeader(opts: AcledCsvOptions = {}): string {
  return (opts.bom ? BOM : '') + csvRecord(acledCsvColumns(opts));
}

export function acledCsvLine(e: StoredEvent, opts: AcledCsvOptions = {}): string {
  const row = acledRow(e);
  return csvRecord(acledCsvColumns(opts).map((c) => row[c as keyof typeof row]));
}

/** Write the whole CSV to `out`; resolves with the number of events written. Does not end `out`. */
export async function writeAcledCsv(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>, out: Writable, opts: AcledCsvOptions = {}): Promise<{ events: number }> {
  await write(out, acledCsvHeader(opts));
  let n = 0;
  for await (const e of events) {
    await write(out, acledCsvLine(e, opts));
    n++;
  }
  return { events: n };
}
