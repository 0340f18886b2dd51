// Many machines: the extraction queue on Redis, through BullMQ (no home-made job system).
// One job per article, so retries, backoff and the dead-letter list work per article.
// Job ids are deterministic (hash of the article's identity + extractor version): enqueueing
// the same corpus twice adds nothing while the first jobs are still known to Redis, and a
// worker skips articles the store already has (store.hasArticle), so a re-run is cheap and the
// final database is the same.

import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Article } from '../types.js';

export const QUEUE_NAME = 'marsad-extract';
export const JOB_NAME = 'extract';

/** What a job carries: the article itself (workers need no shared file system) and where it came from. */
export interface ExtractJobData {
  article: Article;
  source?: string | null;
}

/** What a completed job returns (kept by BullMQ with the job; shown by `queue status`). */
export interface ExtractJobResult {
  article_id: string;
  duplicate: boolean;
  replaced?: boolean;
  events_new?: number;
  events_merged?: number;
  skipped?: boolean;
}

export function redisUrl(url?: string): string {
  return url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** BullMQ connection options; workers need maxRetriesPerRequest: null (blocking commands). */
export function redisConnection(url?: string) {
  return { url: redisUrl(url), maxRetriesPerRequest: null };
}

function num(env: string, dflt: number): number {
  const v = Number(process.env[env]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

/**
 * Defaults for every job. Retry 3 times with exponential backoff (MARSAD_BACKOFF_MS × 2^n);
 * failed jobs are kept: BullMQ's failed set IS the dead-letter list. Completed jobs are kept a
 * day (capped) so re-enqueueing within that time is a no-op and `queue status` can show them.
 */
export function defaultJobOptions(): JobsOptions {
  return {
    attempts: num('MARSAD_ATTEMPTS', 3),
    backoff: { type: 'exponential', delay: num('MARSAD_BACKOFF_MS', 2000) },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}

/** Deterministic job id: URL when there is one, else title + text; plus the extractor version. */
export function jobIdFor(article: Article, extractorVersion: string): string {
  const identity = article.url ? `url\0${article.url.trim()}` : `text\0${article.title ?? ''}\0${article.text}`;
  return 'a' + createHash('sha256').update(`${extractorVersion}\0${identity}`).digest('hex').slice(0, 40);
}

export function openQueue(opts: { queueName?: string; redisUrl?: string } = {}): Queue<ExtractJobData, ExtractJobResult> {
  return new Queue<ExtractJobData, ExtractJobResult>(opts.queueName ?? QUEUE_NAME, {
    connection: redisConnection(opts.redisUrl),
    defaultJobOptions: defaultJobOptions(),
  });
}

export type ReadItem = { article: Article; source: string } | { error: string | Error; source: string };

export interface EnqueueSummary {
  /** Jobs handed to Redis (an id already known to the queue is ignored by BullMQ). */
  submitted: number;
  /** Of those, new jobs (ids Redis did not know). */
  added: number;
  errors: Array<{ source: string; error: string }>;
}

/**
 * Streams articles into the queue in bulk batches: memory holds one batch, however large the input.
 */
export async function enqueueArticles(
  queue: Queue<ExtractJobData, ExtractJobResult>,
  items: AsyncIterable<ReadItem> | Iterable<ReadItem>,
  extractorVersion: string,
  opts: {
    batchSize?: number;
    /** Pause while more than this many jobs wait (bounds Redis memory on huge inputs). */
    maxWaiting?: number;
    onProgress?: (s: EnqueueSummary) => void;
  } = {},
): Promise<EnqueueSummary> {
  const summary: EnqueueSummary = { submitted: 0, added: 0, errors: [] };
  const batchSize = opts.batchSize ?? 500;
  let batch: ExtractJobData[] = [];
  const flush = async () => {
    if (!batch.length) return;
    if (opts.maxWaiting) {
      while ((await queue.getWaitingCount()) > opts.maxWaiting) await new Promise((r) => setTimeout(r, 200));
    }
    const before = await jobCountAll(queue);
    await queue.addBulk(
      batch.map((data) => ({ name: JOB_NAME, data, opts: { jobId: jobIdFor(data.article, extractorVersion) } })),
    );
    summary.submitted += batch.length;
    // Approximate under concurrent enqueuers/workers with removal; exact when alone.
    summary.added += Math.max(0, Math.min(batch.length, (await jobCountAll(queue)) - before));
    batch = [];
    opts.onProgress?.(summary);
  };
  for await (const item of items) {
    if ('error' in item) {
      summary.errors.push({ source: item.source, error: item.error instanceof Error ? item.error.message : String(item.error) });
      continue;
    }
    batch.push({ article: item.article, source: item.source });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return summary;
}

async function jobCountAll(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

export interface QueueStatus {
  name: string;
  counts: Record<'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized', number>;
  /** Completed/failed totals since the metrics began (completed jobs are pruned after a day). */
  processed: { completed: number; failed: number };
  /** Most recent dead letters first. */
  failures: Array<{ jobId: string; article: string; source: string | null; attempts: number; reason: string; failedAt: string | null }>;
}

export async function queueStatus(queue: Queue<ExtractJobData, ExtractJobResult>, opts: { failures?: number } = {}): Promise<QueueStatus> {
  const raw = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  const counts = {
    waiting: raw.waiting ?? 0,
    active: raw.active ?? 0,
    completed: raw.completed ?? 0,
    failed: raw.failed ?? 0,
    delayed: raw.delayed ?? 0,
    prioritized: raw.prioritized ?? 0,
  };
  const [mc, mf] = await Promise.all([queue.getMetrics('completed', 0, 0), queue.getMetrics('failed', 0, 0)]);
  const n = opts.failures ?? 10;
  const failed = n > 0 ? await queue.getFailed(0, n - 1) : [];
  return {
    name: queue.name,
    counts,
    processed: { completed: Number(mc.meta?.count ?? 0), failed: Number(mf.meta?.count ?? 0) },
    failures: failed.filter(Boolean).map((job) => ({
      jobId: String(job.id),
      article: job.data?.article?.id ?? job.data?.article?.url ?? (job.data?.article?.title ?? '').slice(0, 60),
      source: job.data?.source ?? null,
      attempts: job.attemptsMade,
      reason: job.failedReason ?? '',
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    })),
  };
}

/** Moves every dead letter back to waiting (attempts start again). Returns how many. */
export async function retryFailed(queue: Queue<ExtractJobData, ExtractJobResult>): Promise<number> {
  const n = await queue.getFailedCount();
  if (n > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
  return n;
}
