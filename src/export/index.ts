// Export stored events in one of three formats, streamed page by page from the store.

import type { Writable } from 'node:stream';
import type { EventFilter, Store } from '../store/types.js';
import { writeAcledCsv } from './acled-csv.js';
import { iterateEvents } from './events.js';
import { writeGeoJson } from './geojson.js';
import { writeJsonl } from './jsonl.js';

export const EXPORT_FORMATS = ['acled-csv', 'geojson', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  'acled-csv': 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

export const EXTENSIONS: Record<ExportFormat, string> = { 'acled-csv': 'csv', geojson: 'geojson', jsonl: 'jsonl' };

export interface ExportOptions {
  format: ExportFormat;
  filter?: EventFilter;
  /** acled-csv: UTF-8 byte order mark for Excel. */
  bom?: boolean;
  /** acled-csv: ACLED's columns only. */
  acledOnly?: boolean;
}

export interface ExportStats {
  events: number;
  /** geojson: events left out because they have no coordinates. */
  skipped: number;
}

/** Stream every matching event to `out` in `opts.format`. Does not end `out`. */
export async function exportEvents(store: Store, out: Writable, opts: ExportOptions): Promise<ExportStats> {
  const events = iterateEvents(store, opts.filter ?? {});
  switch (opts.format) {
    case 'acled-csv':
      return { ...(await writeAcledCsv(events, out, { bom: opts.bom, acledOnly: opts.acledOnly })), skipped: 0 };
    case 'geojson':
      return writeGeoJson(events, out);
    case 'jsonl':
      return { ...(await writeJsonl(events, out)), skipped: 0 };
  }
}

export { ACLED_COLUMNS, MARSAD_COLUMNS, acledRow } from './acled.js';
export { iterateEvents } from './events.js';
