// marsad ingest PATH... [--db FILE|URL] [--gazetteer FILE] [--country NAME] [--workers N]
// Reads articles (text, JSON, JSON Lines, HTML, RSS/Atom, folders), extracts, stores and merges.
// Exit 0 when every article went in, 1 when some failed (the rest are stored), 130 on Ctrl-C.

import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { ingest, type IngestProgress, type IngestSummary, type ExtractPrepared } from '../ingest/index.js';
import { openStore, resolveDb } from '../store/index.js';

const HELP = `usage: marsad ingest PATH... [options]

Reads articles from files and folders (recursively): .txt, .json (one article or an array),
.jsonl, .html, RSS/Atom feeds (.xml/.rss/.atom); UTF-8 (with or without BOM), UTF-16 with BOM
and Windows-1256. Re-running skips articles already stored with the same extractor version.

options:
  --db FILE|URL       SQLite file or postgres:// URL (default: $DATABASE_URL if PostgreSQL, else ./marsad.db)
  --gazetteer FILE    gazetteer file for the extractor (default: built-in)
  --country NAME      country for articles that do not say (English name)
  --workers N         extraction threads beside the writer (default: the number of cores;
                      0 = extract in the writer's own thread)
  --queue             do not extract here: put the articles on the BullMQ queue for marsad workers
                      (REDIS_URL; same as marsad enqueue PATH...; --queue-name NAME to pick the queue)
  --quiet             no progress output
  -h, --help          this help`;

function fmtRate(n: number, ms: number): string {
  return ms > 0 ? `${((n * 1000) / ms).toFixed(1)}/s` : '-';
}

function line(p: IngestProgress): string {
  const done = p.stored + p.duplicates + p.errors.length;
  return `${done} articles (${p.stored} stored, ${p.duplicates} already stored, ${p.errors.length} errors), ${p.events_new} new events, ${p.events_merged} merged, ${fmtRate(done, p.elapsed_ms)}`;
}

function bar(p: IngestProgress, width = 24): string {
  if (!p.bytes_total) return '';
  const f = Math.min(1, p.bytes_done / p.bytes_total);
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(f * 100).toFixed(0).padStart(3)}% `;
}

export function summaryText(s: IngestSummary, db: string): string {
  const out = [
    `ingest ${s.interrupted ? 'interrupted' : 'done'} in ${(s.elapsed_ms / 1000).toFixed(1)} s -> ${db}`,
    `  articles read:    ${s.read}`,
    `  stored:           ${s.stored}${s.replaced ? ` (${s.replaced} re-extracted)` : ''}`,
    `  already stored:   ${s.duplicates}`,
    `  events:           ${s.events_new} new, ${s.events_merged} merged into existing events`,
    `  figures:          ${s.figures}`,
    `  errors:           ${s.errors.length}`,
    `  extractor:        ${s.extractor_version}`,
  ];
  const shown = s.errors.slice(0, 50);
  for (const e of shown) out.push(`    ${e.source}: ${e.reason}`);
  if (s.errors.length > shown.length) out.push(`    ... and ${s.errors.length - shown.length} more`);
  return out.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        gazetteer: { type: 'string' },
        country: { type: 'string' },
        workers: { type: 'string' },
        queue: { type: 'boolean', default: false },
        'queue-name': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`marsad ingest: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`marsad ingest: no PATH given\n\n${HELP}`);
    return 2;
  }
  if (values.queue) {
    // Scale-out (issue 7): the queue workers extract and store; see src/cli/enqueue.ts.
    const { run: enqueue } = await import('./enqueue.js');
    return enqueue([...positionals, ...(values['queue-name'] ? ['--queue-name', values['queue-name']] : [])]);
  }
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) {
    console.error(`marsad ingest: --workers must be a whole number >= 0, got "${values.workers}"`);
    return 2;
  }

  const db = resolveDb(values.db);
  const store = await openStore(db);
  for (const w of (await store.warnings?.()) ?? []) console.error(`marsad ingest: warning: ${w}`);
  let extractPrepared: ExtractPrepared | undefined;
  let concurrency = 1;
  let closePool: (() => Promise<void>) | undefined;
  // --workers 1 is one extraction thread beside this one (the writer): on 2 cores the two then share
  // the machine without a third busy thread (10 000 team reports: ~10% faster than 2 threads).
  if (workers > 0) {
    // Extraction threads come from the scale layer (src/scale/pool.ts).
    const poolSpec = '../scale/pool.js';
    const { createExtractPool } = (await import(poolSpec)) as {
      createExtractPool(o: { workers: number; gazetteerPath?: string }): { extractPrepared: ExtractPrepared; close(): Promise<void>; capacity: number };
    };
    const pool = createExtractPool({ workers, gazetteerPath: values.gazetteer });
    // The threads guard, hash and extract; this thread only reads and writes.
    extractPrepared = (a) => pool.extractPrepared(a);
    concurrency = pool.capacity;
    closePool = () => pool.close();
  }

  const ac = new AbortController();
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints > 1) process.exit(130); // a second Ctrl-C: stop now (committed articles are safe)
    process.stderr.write('\ninterrupted: finishing the current article (Ctrl-C again to stop at once)\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);

  const tty = !!process.stderr.isTTY && !values.quiet;
  let last = 0;
  const onProgress = values.quiet
    ? undefined
    : (p: IngestProgress) => {
        const now = Date.now();
        if (tty) {
          if (now - last < 100) return;
          last = now;
          process.stderr.write(`\r\x1b[K${bar(p)}${line(p)}`);
        } else if (now - last >= 5000) {
          last = now;
          process.stderr.write(`${line(p)}\n`);
        }
      };

  let summary: IngestSummary;
  try {
    summary = await ingest(positionals, {
      store,
      extractPrepared,
      concurrency,
      gazetteer: values.gazetteer,
      country: values.country,
      onProgress,
      signal: ac.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    if (tty) process.stderr.write('\r\x1b[K');
    await closePool?.();
    await store.close();
  }
  console.log(summaryText(summary, db));
  if (summary.interrupted) return 130;
  return summary.errors.length ? 1 : 0;
}
