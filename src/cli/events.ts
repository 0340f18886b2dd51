// marsad events [filters] [--json] [--db FILE|URL]: list stored events as a table or as JSON.
// The filters are the API's (/api/events), validated by the same schema.

import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import type { EventFilter, Store, StoredEvent } from '../store/types.js';
import { eventFilterShape, toEventFilter } from '../serve/schemas.js';

export class UsageError extends Error {}

/** The filter options shared by `marsad events` and `marsad export`. */
export const FILTER_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  country: { type: 'string' },
  admin1: { type: 'string' },
  admin2: { type: 'string' },
  bbox: { type: 'string' },
  type: { type: 'string', multiple: true },
  'sub-type': { type: 'string', multiple: true },
  actor: { type: 'string' },
  'min-fatalities': { type: 'string' },
  source: { type: 'string' },
  q: { type: 'string' },
  background: { type: 'string' },
  article: { type: 'string' },
  sort: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const FILTER_HELP = `filters:
  --from YYYY-MM-DD --to YYYY-MM-DD   event date range (inclusive)
  --country X --admin1 X --admin2 X   place (English names, as stored)
  --bbox minLon,minLat,maxLon,maxLat  bounding box
  --type T (repeatable or a,b)        event type, e.g. "Battles"
  --sub-type T (repeatable or a,b)    sub-event type, e.g. "Air/drone strike"
  --actor X                           actor, English name or Arabic as written
  --min-fatalities N
  --source X                          reporting organisation or outlet
  --q TEXT                            free text, Arabic or English
  --background true|false             only background / only news events
  --article ID                        only events with this stored article among their sources
  --sort event_date|-event_date|fatalities|-fatalities
  --limit N --offset N
  --db FILE|URL                       SQLite file or postgres:// URL (default ./marsad.db, or DATABASE_URL)`;

const cliFilter = (maxLimit: number) =>
  z.strictObject({
    ...eventFilterShape,
    limit: z.coerce.number().int().min(1).max(maxLimit).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  });

export type Values = Record<string, string | boolean | string[] | undefined>;

/** parseArgs values -> EventFilter, with the API's validation; UsageError names every problem. */
export function filterFromValues(v: Values, maxLimit = 1000): EventFilter {
  const input: Record<string, unknown> = {
    from: v.from,
    to: v.to,
    country: v.country,
    admin1: v.admin1,
    admin2: v.admin2,
    bbox: v.bbox,
    event_type: v.type,
    sub_event_type: v['sub-type'],
    actor: v.actor,
    min_fatalities: v['min-fatalities'],
    source: v.source,
    q: v.q,
    background: v.background,
    article_id: v.article,
    sort: v.sort,
    limit: v.limit,
    offset: v.offset,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  const r = cliFilter(maxLimit).safeParse(input);
  if (!r.success) {
    const flag: Record<string, string> = { event_type: 'type', sub_event_type: 'sub-type', min_fatalities: 'min-fatalities' };
    throw new UsageError(
      r.error.issues
        .map((i) => {
          const k = String(i.path[0] ?? '');
          return `--${flag[k] ?? k}: ${i.message}`;
        })
        .join('\n'),
    );
  }
  return toEventFilter(r.data);
}

/** Parse argv with the filter options plus `extra`; unknown options are usage errors. */
export function parseCli(argv: string[], extra: NonNullable<ParseArgsConfig['options']>): { values: Values } {
  const options = { ...FILTER_OPTIONS, ...extra };
  // `--sort -event_date`: a value that starts with a dash would otherwise read as an option.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : null;
    const opt = name ? (options as Record<string, { type: string }>)[name] : undefined;
    if (opt?.type === 'string' && i + 1 < argv.length && /^-[^-]/.test(argv[i + 1])) {
      args.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else args.push(argv[i]);
  }
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }) as { values: Values };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Open the store; a SQLite file that does not exist is an error here (nothing to read). */
export async function openForReading(db: string | undefined): Promise<Store> {
  const { openStore, resolveDb, isPostgresUrl } = await import('../store/index.js');
  const target = resolveDb(db);
  if (!isPostgresUrl(target) && !existsSync(target)) throw new UsageError(`no database at ${target} (run \`marsad ingest\` first, or pass --db)`);
  return openStore(target);
}

function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s.padEnd(n + (s.length - chars.length)) : chars.slice(0, n - 1).join('') + '…';
}

function fatal(e: StoredEvent): string {
  return e.fatalities_low !== e.fatalities_high ? `${e.fatalities_best} (${e.fatalities_low}-${e.fatalities_high})` : String(e.fatalities_best ?? e.fatalities);
}

/** A readable fixed-width table (English names; Arabic place name after the English one). */
export function formatTable(items: StoredEvent[]): string {
  // The Arabic place name goes last: unclipped, and a right-to-left run at the end of the line
  // does not scramble the columns in a terminal.
  const head = ['id', 'date', 'sub-event type', 'actors', 'place', 'admin1', 'killed', 'src', 'place (ar)'];
  const w = [19, 10, 34, 50, 26, 14, 12, 3, 40];
  const lines = [head.map((h, i) => clip(h, w[i])).join('  ').trimEnd()];
  lines.push(w.map((n) => '-'.repeat(n)).join('  ').trimEnd());
  for (const e of items) {
    const actors = [e.actor1?.name, e.actor2?.name].filter(Boolean).join(' vs ');
    const loc = e.location;
    const cells = [e.id, e.event_date ?? '?', e.sub_event_type, actors, loc?.name ?? '', loc?.admin1 ?? '', fatal(e), String(e.sources?.length ?? 0)];
    lines.push([...cells.map((c, i) => clip(c, w[i])), loc?.name_ar ?? ''].join('  ').trimEnd());
  }
  return lines.join('\n');
}

const HELP = `usage: marsad events [filters] [--json] [--db FILE|URL]

Lists stored events, newest first (default --limit 20).

${FILTER_HELP}
  --json                              print {total, items} as JSON (full events, with evidence)`;

export async function run(argv: string[]): Promise<number> {
  let filter: EventFilter;
  let values: Values;
  try {
    values = parseCli(argv, { json: { type: 'boolean' } }).values as Values;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    filter = filterFromValues(values);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`marsad events: ${e.message}\n(marsad events --help for the options)`);
      return 2;
    }
    throw e;
  }
  filter.limit ??= 20;
  let store: Store;
  try {
    store = await openForReading(values.db as string | undefined);
  } catch (e) {
    console.error(`marsad events: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  try {
    const page = await store.events(filter);
    if (values.json) {
      process.stdout.write(JSON.stringify({ total: page.total, items: page.items }, null, 2) + '\n');
    } else {
      console.log(formatTable(page.items));
      const from = (filter.offset ?? 0) + (page.items.length ? 1 : 0);
      console.log(`\n${from}-${(filter.offset ?? 0) + page.items.length} of ${page.total} events`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
