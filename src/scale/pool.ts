// All cores on one machine: extraction (synchronous and CPU-bound) runs in a pool of worker
// threads, each with its own copy of the extractor and the gazetteer, loaded once.
//
// - Each thread holds at most two tasks: the one it is extracting and the next, already posted, so
//   it never sits idle waiting for this thread to read its reply and post more work. A thread
//   answers in order, so the oldest unanswered task is the one it was on: a crash is attributed to
//   that article alone (its promise rejects), the thread is replaced and the next task is handed on.
// - Results come back as JSON text: cheaper to make and to read than a structured clone of the
//   object graph, and the reading happens on this thread, which in `marsad ingest` is the writer.
// - A per-article time budget: a runaway extraction is cut (the thread is terminated and
//   replaced) and reported as an error for that article.
// - Backpressure: extract() does not hand a task to the pool while `capacity` tasks are already
//   waiting; use mapBounded() to feed the pool from a stream with bounded memory.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Article, ExtractResult } from '../types.js';
import type { PoolReply, PoolTask } from './pool-worker.js';
import type { PreparedExtraction } from '../ingest/prepare.js';


export interface ExtractPoolOptions {
  /** Number of threads; default: os.availableParallelism(). */
  workers?: number;
  /** Passed to loadGazetteer(path) in every thread. */
  gazetteerPath?: string;
  /** Per-article time budget in ms (0 = none); default 10 000 or MARSAD_EXTRACT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Tasks that may wait for a thread before extract() itself waits; default 2 × workers. */
  maxPending?: number;
}

export interface ExtractPool {
  extract(a: Article): Promise<ExtractResult>;
  /**
   * Guard, hash and extract in the thread (src/ingest/prepare.ts): the writer thread only writes.
   * The result is what the store keeps: its `mentions` are left empty.
   */
  extractPrepared(a: Article): Promise<PreparedExtraction>;
  /**
   * One output line of `marsad extract --jsonl` ({...result, id}), made in the thread and never parsed
   * here: re-extracting an archive to JSON Lines costs this thread only the writing.
   */
  extractLine(a: Article, id: string, opts?: { country?: string }): Promise<string>;
  /** Waits for the tasks already given, then stops the threads. */
  close(): Promise<void>;
  readonly workers: number;
  /** In-flight tasks worth keeping to keep every thread busy (running + waiting). */
  readonly capacity: number;
}

interface Task {
  id: number;
  article: Article;
  prepare: boolean;
  line?: PoolTask['line'];
  resolve(r: ExtractResult | PreparedExtraction | string): void;
  reject(e: Error): void;
}
interface Slot {
  worker: Worker;
  /** Posted and not yet answered, oldest first: tasks[0] is being extracted. */
  tasks: Task[];
  timer: NodeJS.Timeout | null;
  /** We terminated it (time budget): not a crash. */
  killed: boolean;
  /** Extractor loaded: tasks (and their time budget) start only then. */
  ready: boolean;
  /** Has ever reported ready: a later death is an article's fault, not a broken set-up. */
  loaded: boolean;
}

/** Tasks posted to one thread at once (see the header). */
const DEPTH = 2;

/**
 * A thread's young generation as large as the main thread's (3 x V8's 16 MB semi-space on 64-bit):
 * a worker's default is smaller, and extraction allocates fast, so it scavenged far more often
 * (one thread's CPU per seed article 2.65 -> 2.15 ms with this; measured with bench/scale).
 * MARSAD_THREAD_YOUNG_MB overrides it.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: Number(process.env.MARSAD_THREAD_YOUNG_MB ?? 48) };

/**
 * Starts one thread on the entry beside this file: the .js once compiled; under tsx (tests,
 * `node --import tsx`) the .ts, with tsx registered inside the thread first. tsx's `--import`
 * hook only registers on the main thread (checked on tsx 4.23 / Node 20: execArgv
 * ['--import', 'tsx'] gives "Unknown file extension .ts"), so the thread boots through
 * tsx's documented ESM API, register(), then imports the entry.
 */
function startThread(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./pool-worker.js', here), { workerData, execArgv: [], resourceLimits: THREAD_LIMITS });
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./pool-worker.ts', here).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, execArgv: [], resourceLimits: THREAD_LIMITS });
}

export function createExtractPool(opts: ExtractPoolOptions = {}): ExtractPool {
  const size = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  const timeoutMs = opts.timeoutMs ?? Number(process.env.MARSAD_EXTRACT_TIMEOUT_MS ?? 10_000);
  const maxPending = Math.max(1, opts.maxPending ?? size * 2);

  const slots: Slot[] = [];
  const queue: Task[] = [];
  const spaceWaiters: Array<() => void> = [];
  const drainWaiters: Array<() => void> = [];
  let nextId = 1;
  let running = 0;
  let closing = false;
  // Threads that die before ever loading (e.g. the extractor fails to load natively):
  // stop respawning rather than loop forever, and fail what is left.
  let deathsWithoutReply = 0;
  let broken: Error | null = null;

  function spawn(): Slot {
    const worker = startThread({ gazetteerPath: opts.gazetteerPath });
    const slot: Slot = { worker, tasks: [], timer: null, killed: false, ready: false, loaded: false };
    if (running === 0 && queue.length === 0) worker.unref(); // see updateRefs
    worker.on('message', (reply: PoolReply) => {
      if ('ready' in reply) {
        slot.ready = slot.loaded = true;
        pump();
        return;
      }
      const task = slot.tasks[0];
      if (!task || task.id !== reply.id) return; // answer to a task already timed out
      deathsWithoutReply = 0;
      finish(slot);
      if (!reply.ok) task.reject(new Error(reply.error));
      else if ('prepared' in reply) {
        const prepared = reply.unchanged && reply.prepared.ok ? { ...reply.prepared, article: task.article } : reply.prepared;
        task.resolve(reply.result === undefined ? { prepared } : { prepared, result: JSON.parse(reply.result) as ExtractResult });
      } else task.resolve(task.line ? reply.result : (JSON.parse(reply.result) as ExtractResult));
      pump();
    });
    worker.on('error', (err) => {
      // An uncaught exception in the thread; 'exit' follows and replaces it.
      slot.ready = false;
      if (slot.tasks.length) fail(slot, new Error(`extraction thread crashed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (slot.tasks.length) fail(slot, new Error(`extraction thread exited (code ${code}) while extracting this article`));
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      if (closing) return;
      if (!slot.killed && !slot.loaded && ++deathsWithoutReply > size * 3 + 3) {
        broken = new Error(`extraction threads keep dying (last exit code ${code})`);
        for (const t of queue.splice(0)) t.reject(broken);
        release();
        return;
      }
      slots.push(spawn());
      pump();
    });
    return slot;
  }

  /** The thread failed on its oldest task: that one is rejected; the tasks posted after it go back to the queue's front. */
  function fail(slot: Slot, err: Error): void {
    const [task, ...later] = slot.tasks;
    slot.tasks = [task];
    running -= later.length;
    queue.unshift(...later);
    finish(slot);
    task.reject(err);
  }

  /** The oldest task is answered (or failed): the timer moves on to the next, which the thread starts now. */
  function finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.tasks.shift();
    running--;
    if (slot.tasks.length) startTimer(slot);
    updateRefs();
    if (running === 0 && queue.length === 0) for (const w of drainWaiters.splice(0)) w();
  }

  function startTimer(slot: Slot): void {
    if (timeoutMs <= 0) return;
    const task = slot.tasks[0];
    slot.timer = setTimeout(() => {
      if (slot.tasks[0] !== task) return;
      slot.ready = false; // about to be terminated: give it nothing more
      slot.killed = true;
      fail(slot, new Error(`extraction took longer than ${timeoutMs} ms; stopped`));
      // terminate -> 'exit' -> a fresh thread takes its place (and pumps the requeued tasks)
      void slot.worker.terminate();
    }, timeoutMs);
  }

  /**
   * An idle pool must not keep the process alive, but a pool with work must: a pending promise
   * alone does not hold the event loop open, so while anything is queued or running (even
   * while the threads are still loading) every thread is ref'd.
   */
  function updateRefs(): void {
    const busy = running > 0 || queue.length > 0;
    for (const s of slots) busy ? s.worker.ref() : s.worker.unref();
  }

  function release(): void {
    while (spaceWaiters.length && queue.length < maxPending) spaceWaiters.shift()!();
    if (running === 0 && queue.length === 0) for (const w of drainWaiters.splice(0)) w();
  }

  function pump(): void {
    for (let depth = 1; depth <= DEPTH; depth++) {
      // Every ready thread gets its first task before any gets a second.
      for (const slot of slots) {
        if (!slot.ready || slot.tasks.length >= depth || queue.length === 0) continue;
        const task = queue.shift()!;
        slot.tasks.push(task);
        running++;
        if (slot.tasks.length === 1) startTimer(slot);
        slot.worker.postMessage({ id: task.id, article: task.article, prepare: task.prepare, line: task.line } satisfies PoolTask);
      }
    }
    updateRefs();
    release();
  }

  for (let i = 0; i < size; i++) slots.push(spawn());

  async function submit(article: Article, prepare: boolean, line?: PoolTask['line']): Promise<ExtractResult | PreparedExtraction | string> {
    if (closing) throw new Error('extract pool is closed');
    while (queue.length >= maxPending && !broken) await new Promise<void>((r) => spaceWaiters.push(r));
    if (broken) throw broken;
    return new Promise<ExtractResult | PreparedExtraction | string>((resolve, reject) => {
      queue.push({ id: nextId++, article, prepare, line, resolve, reject });
      pump();
    });
  }

  return {
    workers: size,
    capacity: size + maxPending,
    extract: (article: Article) => submit(article, false) as Promise<ExtractResult>,
    extractPrepared: (article: Article) => submit(article, true) as Promise<PreparedExtraction>,
    extractLine: (article: Article, id: string, opts?: { country?: string }) => submit(article, false, { id, country: opts?.country }) as Promise<string>,
    async close(): Promise<void> {
      if (running > 0 || queue.length > 0) await new Promise<void>((r) => drainWaiters.push(r));
      closing = true;
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}

/**
 * Maps `fn` over a (possibly huge) stream with at most `limit` calls in flight, yielding the
 * results in input order. Reading stops while `limit` items are pending, so memory stays bounded.
 * A rejected call yields {error} for that item; the rest goes on.
 */
export async function* mapBounded<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<{ item: T; value?: R; error?: Error }> {
  const inFlight: Array<Promise<{ item: T; value?: R; error?: Error }>> = [];
  const run = (item: T) =>
    fn(item).then(
      (value) => ({ item, value }),
      (e: unknown) => ({ item, error: e instanceof Error ? e : new Error(String(e)) }),
    );
  for await (const item of source) {
    inFlight.push(run(item));
    if (inFlight.length >= Math.max(1, limit)) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}
