// marsad worker: consume extraction jobs (Redis, BullMQ) and write to PostgreSQL. See docs/scaling.md.
import { parseArgs } from 'node:util';
import { startQueueWorker } from '../scale/worker.js';
import { QUEUE_NAME } from '../scale/queue.js';

const HELP = `usage: marsad worker [--concurrency N] [--threads N] [--db postgres://...] [--pg-schema NAME] [--queue-name NAME]
                     [--redis redis://...] [--gazetteer PATH] [--lock-ms N] [--stalled-ms N]

Consumes jobs from the BullMQ queue "${QUEUE_NAME}" on REDIS_URL, extracts, writes to PostgreSQL
(--db or DATABASE_URL), and acknowledges each job only after its write has committed.
  --pg-schema S    write into this PostgreSQL schema (env MARSAD_PG_SCHEMA; default: search_path)
  --concurrency N  jobs in flight in this process (default 4)
  --threads N      extraction threads, with a per-article time budget (default 1; 0: on the main thread)
  --lock-ms N      job lock; a killed worker's job is retried after about this long (default 30000, env MARSAD_LOCK_MS)
  --stalled-ms N   stalled-job check interval (default 30000, env MARSAD_STALLED_MS)
Stops cleanly on SIGTERM / SIGINT (jobs in hand finish and commit); a second signal exits at once.`;

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string', short: 'c' },
      threads: { type: 'string' },
      db: { type: 'string' },
      'pg-schema': { type: 'string' },
      'queue-name': { type: 'string' },
      redis: { type: 'string' },
      gazetteer: { type: 'string' },
      'lock-ms': { type: 'string' },
      'stalled-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const log = (line: string) => console.error(`[worker ${process.pid}] ${line}`);
  const qw = await startQueueWorker({
    queueName: values['queue-name'],
    redisUrl: values.redis,
    db: values.db,
    pgSchema: values['pg-schema'] ?? process.env.MARSAD_PG_SCHEMA,
    concurrency: int(values.concurrency, '--concurrency'),
    threads: int(values.threads, '--threads'),
    gazetteerPath: values.gazetteer,
    lockDuration: int(values['lock-ms'] ?? process.env.MARSAD_LOCK_MS, '--lock-ms'),
    stalledInterval: int(values['stalled-ms'] ?? process.env.MARSAD_STALLED_MS, '--stalled-ms'),
    log,
  });
  log(`ready on queue "${qw.worker.name}"`);

  const progress = setInterval(() => {
    log(`completed ${qw.stats.completed} (already stored ${qw.stats.duplicates}), failed attempts ${qw.stats.failed}`);
  }, Number(process.env.MARSAD_PROGRESS_MS ?? 10_000));
  progress.unref();

  await new Promise<void>((resolve) => {
    let first = 0;
    const stop = (sig: string) => {
      // A repeat within a second is the same request delivered twice (a wrapper such as npx or
      // timeout forwarding the signal the process group already got), not an impatient user.
      if (first && Date.now() - first < 1000) return;
      if (first) {
        log(`${sig} again: exiting now (jobs in hand will be retried by another worker)`);
        process.exit(130);
      }
      first = Date.now();
      log(`${sig}: finishing jobs in hand, then stopping`);
      resolve();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  clearInterval(progress);
  await qw.close();
  log(`stopped: completed ${qw.stats.completed} (already stored ${qw.stats.duplicates}), failed attempts ${qw.stats.failed}`);
  return 0;
}
