// marsad export --format acled-csv|geojson|jsonl [filters] [--db ...] [-o FILE]
// Streams the matching events page by page (stdout by default). A file is written beside its
// final name and renamed when complete, so a failed export never leaves a truncated file behind.

import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Store } from '../store/types.js';
import { EXPORT_FORMATS, exportEvents, type ExportFormat } from '../export/index.js';
import { StreamClosedError } from '../export/write.js';
import { FILTER_HELP, UsageError, filterFromValues, openForReading, parseCli } from './events.js';

const HELP = `usage: marsad export --format acled-csv|geojson|jsonl [filters] [--db FILE|URL] [-o FILE]

Writes every matching event (oldest first unless --sort), to stdout unless -o is given.

  --format F         acled-csv: ACLED's 31 columns, then Marsad's columns (fatalities_low,
                     fatalities_high, fatalities_by_source, reported_by, evidence, article_urls,
                     marsad_id); geojson: FeatureCollection of points; jsonl: one event per line
  -o, --output FILE  write to FILE instead of stdout
  --bom / --no-bom   acled-csv: UTF-8 byte order mark so Excel shows Arabic (default: on for
                     a file, off for stdout)
  --acled-only       acled-csv: only ACLED's 31 columns
  --background true|false|all
                     default false: news events only, without the history/context mentions
${FILTER_HELP}
                     (no --limit: everything that matches)`;

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  let format: ExportFormat;
  let filter;
  try {
    values = parseCli(argv, {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      bom: { type: 'boolean' },
      'no-bom': { type: 'boolean' },
      'acled-only': { type: 'boolean' },
    }).values as typeof values;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const f = values.format;
    if (!f) throw new UsageError(`--format is required (${EXPORT_FORMATS.join(', ')})`);
    if (!(EXPORT_FORMATS as readonly string[]).includes(f as string)) throw new UsageError(`--format: unknown format "${f}" (${EXPORT_FORMATS.join(', ')})`);
    format = f as ExportFormat;
    if (values.bom && values['no-bom']) throw new UsageError('--bom and --no-bom together');
    if ((values.bom || values['no-bom'] || values['acled-only']) && format !== 'acled-csv')
      throw new UsageError('--bom, --no-bom and --acled-only apply to --format acled-csv only');
    if (values.output === '') throw new UsageError('-o: empty file name');
    // An export is a dataset of events: background mentions stay out unless asked for.
    const bg = values.background;
    if (bg === 'all') delete values.background;
    filter = filterFromValues(values, Number.MAX_SAFE_INTEGER);
    if (bg === undefined) filter.background = false;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`marsad export: ${e.message}\n(marsad export --help for the options)`);
      return 2;
    }
    throw e;
  }

  let store: Store;
  try {
    store = await openForReading(values.db as string | undefined);
  } catch (e) {
    console.error(`marsad export: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  const file = values.output as string | undefined;
  const tmp = file ? `${file}.partial-${process.pid}` : null;
  const out: Writable = tmp ? createWriteStream(tmp) : process.stdout;
  const outError = new Promise<never>((_, reject) => out.once('error', reject));
  outError.catch(() => undefined);
  const bom = values.bom ? true : values['no-bom'] ? false : !!file;
  const t0 = performance.now();
  try {
    const stats = await Promise.race([exportEvents(store, out, { format, filter, bom, acledOnly: !!values['acled-only'] }), outError]);
    if (tmp) {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      renameSync(tmp, file!);
    }
    const secs = (performance.now() - t0) / 1000;
    const where = file ? ` to ${file}` : '';
    console.error(`marsad export: ${stats.events} events${where} (${format}, ${secs.toFixed(1)} s)`);
    if (stats.skipped) console.error(`marsad export: ${stats.skipped} events without coordinates were left out of the GeoJSON`);
    return 0;
  } catch (e) {
    if (tmp) {
      out.destroy();
      rmSync(tmp, { force: true });
    }
    // The reader went away (`marsad export ... | head`): not an error of ours.
    const code = (e as { code?: string }).code;
    if (!file && (code === 'EPIPE' || e instanceof StreamClosedError)) return 0;
    console.error(`marsad export: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await store.close();
  }
}
