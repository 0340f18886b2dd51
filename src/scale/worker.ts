// `marsad worker`: consumes extraction jobs from the BullMQ queue and writes to PostgreSQL.
//
// Acknowledgement discipline: BullMQ marks a job completed only when the processor's promise
// resolves, and the processor resolves only after store.saveArticle's transaction has
// committed. A worker killed mid-job leaves its job 'active' with an expiring lock; another
// worker's stalled-job check moves it back to waiting and it runs again. Running again is
// harmless: saveArticle dedupes by article identity + extractor version, and each save holds
// PostgreSQL advisory locks on the merge neighbourhoods of its events (src/store/locks.ts), so
// concurrent workers never create two events for one incident, while saves about other places
// and times run in parallel.

import { MetricsTime, UnrecoverableError, Worker, type Job } from 'bullmq';
import pg from 'pg';
import type { Store } from '../store/types.js';
import { extractorVersion, injectFailure, loadExtractor } from './extractor.js';
import { createExtractPool, type ExtractPool } from './pool.js';
import { QUEUE_NAME, redisConnection, type ExtractJobData, type ExtractJobResult } from './queue.js';
import type { Article } from '../types.js';
import { prepareAndExtract, type PreparedExtraction } from '../ingest/prepare.js';

export interface QueueWorkerOptions {
  queueName?: string;
  redisUrl?: string;
  /** postgres:// URL; default DATABASE_URL. */
  db?: string;
  /** PostgreSQL schema to write into (several observatories in one database; tests). */
  pgSchema?: string;
  /** Jobs in flight in this process (overlaps Redis/PostgreSQL waits with extraction); default 4. */
  concurrency?: number;
  /**
   * Extraction threads (src/scale/pool.ts); default 1. With N > 0 the main thread only does I/O:
   * a job holding merge locks is never kept waiting behind another job's extraction (which would
   * hold them for every writer of that neighbourhood), job locks are renewed on time, and a
   * runaway article hits the per-article time budget. 0: extract on the main thread.
   */
  threads?: number;
  gazetteerPath?: string;
  /** BullMQ job lock (ms): a dead worker's job is retried after about this long. Default 30 000. */
  lockDuration?: number;
  /** How often this worker looks for stalled jobs (ms). Default 30 000. */
  stalledInterval?: number;
  /** Use this store instead of opening `db` (tests, embedding). Not closed by close(). */
  store?: Store;
  log?: (line: string) => void;
}

export interface QueueWorker {
  worker: Worker<ExtractJobData, ExtractJobResult>;
  readonly stats: { completed: number; failed: number; duplicates: number };
  /** Finishes the jobs in hand (their writes commit), then disconnects. */
  close(): Promise<void>;
}

/** Advisory lock key for opening (migrating) the store; distinct from the store's own keys. */
const OPEN_LOCK = 0x6d61726f; // "maro"

export async function openPostgresStore(db?: string, schema?: string): Promise<Store> {
  const url = db ?? process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error('marsad worker writes to PostgreSQL: pass --db postgres://... or set DATABASE_URL');
  }
  const { openStore } = await import('../store/index.js');
  // N workers starting together all migrate (openStore does). The store's migration holds its own
  // lock, but CREATE SCHEMA IF NOT EXISTS before it is not race-free in PostgreSQL (duplicate
  // catalog rows): one opening at a time, behind a session advisory lock on a separate connection.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [OPEN_LOCK]);
    return await openStore(url, schema ? { schema } : {});
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [OPEN_LOCK]).catch(() => {});
    await client.end();
  }
}

export async function startQueueWorker(opts: QueueWorkerOptions = {}): Promise<QueueWorker> {
  const log = opts.log ?? (() => {});
  const store = opts.store ?? (await openPostgresStore(opts.db, opts.pgSchema));
  for (const w of (await store.warnings?.()) ?? []) log(`warning: ${w}`);
  const threads = Math.max(0, Math.floor(opts.threads ?? Number(process.env.MARSAD_WORKER_THREADS ?? 1)));
  let pool: ExtractPool | null = null;
  let version: string;
  // As `marsad ingest` does (src/ingest/prepare.ts): guard the article, then extract, with its
  // content hash and search text computed beside the extraction (in the pool thread), so the
  // save - which holds merge locks - does not compute them.
  let extract: (a: Article) => Promise<PreparedExtraction>;
  if (threads > 0) {
    pool = createExtractPool({ workers: threads, gazetteerPath: opts.gazetteerPath });
    version = await extractorVersion();
    const p = pool;
    extract = (a) => p.extractPrepared(a);
  } else {
    const ex = await loadExtractor(opts.gazetteerPath);
    version = ex.version;
    extract = async (a) => {
      injectFailure(a); // test-only, see docs/scaling.md (the pool threads do their own)
      return prepareAndExtract(a, ex.extract);
    };
  }

  const stats = { completed: 0, failed: 0, duplicates: 0 };
  const processor = async (job: Job<ExtractJobData, ExtractJobResult>): Promise<ExtractJobResult> => {
    const { article, source } = job.data;
    if (!article || typeof article.text !== 'string') throw new Error('job has no article text');
    // Already stored by this extractor version (a retried or re-enqueued job): nothing to do.
    if (await store.hasArticle(article, version)) {
      return { article_id: article.id ?? '', duplicate: true, skipped: true };
    }
    const { prepared, result } = await extract(article);
    // Refused by the guard (not Arabic text, binary, too long): the same answer on every attempt.
    if (!prepared.ok) throw new UnrecoverableError(`refused: ${prepared.error}`);
    const saved = await store.saveArticle(prepared.article, result!, version, source ?? undefined, prepared.precomputed);
    // Resolving here, after the commit, is what acknowledges the job.
    return {
      article_id: saved.article_id,
      duplicate: saved.duplicate,
      replaced: saved.replaced,
      events_new: saved.events_new,
      events_merged: saved.events_merged,
    };
  };

  const worker = new Worker<ExtractJobData, ExtractJobResult>(opts.queueName ?? QUEUE_NAME, processor, {
    connection: redisConnection(opts.redisUrl),
    concurrency: Math.max(1, Math.floor(opts.concurrency ?? 4)),
    lockDuration: opts.lockDuration ?? 30_000,
    stalledInterval: opts.stalledInterval ?? 30_000,
    // A job whose worker died twice is not retried forever: it goes to the failed set.
    maxStalledCount: 2,
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('completed', (_job, r) => {
    stats.completed++;
    if (r?.duplicate) stats.duplicates++;
  });
  worker.on('failed', (job, err) => {
    stats.failed++;
    const id = job?.data?.article?.id ?? job?.id ?? '?';
    const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
    log(`${final ? 'FAILED (dead letter)' : 'failed, will retry'}: ${id}: ${err.message}`);
  });
  worker.on('error', (err) => log(`worker error: ${err.message}`));
  await worker.waitUntilReady();

  let closing: Promise<void> | null = null;
  return {
    worker,
    stats,
    close() {
      closing ??= (async () => {
        await worker.close();
        await pool?.close();
        // How often saves found a merge key busy and restarted, or took the global key (docs/scaling.md).
        const ls = (store as { lockStats?: { saves: number; restarts: number; global: number } }).lockStats;
        if (ls) log(`merge locks: ${ls.saves} saves, ${ls.restarts} restarts, ${ls.global} with the global key`);
        if (!opts.store) await store.close();
      })();
      return closing;
    },
  };
}
