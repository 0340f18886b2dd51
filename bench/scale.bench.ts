// Scale benchmark (issue 7): extraction throughput on one core, on all cores (thread pool), and in
// queue mode (BullMQ on Redis -> worker processes -> PostgreSQL) with 1 and 2 workers; peak RSS.
// Input: the dev set repeated to MARSAD_BENCH_ARTICLES articles (default 100 000) with varied ids,
// URLs and dates (10 years of dates, so each incident is reported ~N/3650 times and must merge).
// Queue mode needs REDIS_URL and DATABASE_URL; it writes into a throw-away PG schema.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { benchCorpus, repeatArticles } from '../src/scale/corpus.js';
import { extractorVersion, loadExtractor, resultLine } from '../src/scale/extractor.js';
import { createExtractPool, mapBounded } from '../src/scale/pool.js';
import { prepareAndExtract } from '../src/ingest/prepare.js';
import { enqueueArticles, openQueue } from '../src/scale/queue.js';
import type { Article } from '../src/types.js';
import { statCpuSec } from './proc.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const N = Number(process.env.MARSAD_BENCH_ARTICLES ?? 100_000);
// Queue mode and the store reference write every article to PostgreSQL (one merge transaction per
// article): slower than extraction, so they can be sized on their own.
const NQ = Number(process.env.MARSAD_BENCH_QUEUE_ARTICLES ?? N);
const DATES = 3650;
// Which parts to run (comma-separated): single, pool (one thread and all cores on what `marsad
// ingest` asks of its threads), full (the same with whole results, mentions included), lines (as
// JSON Lines), ceiling (the same work in separate processes, one per core: the machine's own scaling),
// local (pool + PostgreSQL writes), queue.
const PARTS = new Set((process.env.MARSAD_BENCH_PARTS ?? 'single,pool,ceiling,local,queue').split(','));
// dev: the dev seed repeated (the input; every copy also reports the same dated background
// events, so every save updates the same few events: a hot spot no lock design removes).
// dev+extra: the seed and the 24 eval/extra reports (7 countries) repeated: saves about other
// places, the common case, which the store's fine-grained merge locks let run in parallel.
const CORPUS = process.env.MARSAD_BENCH_CORPUS ?? 'dev';
// Extraction threads per queue worker (its --threads; default 1 as deployed: a worker then uses
// more than one core, main thread for the queue and the database, a thread for extraction).
// 0: each worker is one thread, so "1 vs 2 workers" compares one core with two.
const WORKER_THREADS = Number(process.env.MARSAD_BENCH_WORKER_THREADS ?? 1);
const BASE = benchCorpus(CORPUS);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number) => (n / (ms / 1000));

function procKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) of another process (0 when it has ended or /proc is missing). */
const procCpuSec = (pid: number): number => statCpuSec(`/proc/${pid}/stat`) || 0;

/** CPU seconds of every process with this command name (postgres backends, redis-server), from /proc. */
function serverCpuSec(comm: string): number {
  let sum = 0;
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === comm) sum += procCpuSec(Number(d));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return NaN;
  }
  return sum;
}

/** CPU the database and the queue server spent during `fn` (other users of them count too). */
async function serverCpu<T>(fn: () => Promise<T>): Promise<{ value: T; pg: number; redis: number }> {
  const pg0 = serverCpuSec('postgres');
  const r0 = serverCpuSec('redis-server');
  const value = await fn();
  return { value, pg: serverCpuSec('postgres') - pg0, redis: serverCpuSec('redis-server') - r0 };
}

/**
 * Autovacuum's stand-in while a part writes to PostgreSQL, on a server that runs without it (this
 * machine's and CI's: `SHOW autovacuum` is off). Merges rewrite event rows, and without VACUUM and
 * ANALYZE every lookup reads through the dead versions with a plan made for empty tables: one queue
 * worker on the team's reports fell from ~100 to 16 articles/s by 36 000 articles, and went back to
 * 126/s right after one `VACUUM (ANALYZE)`. A deployment runs autovacuum (docs/scaling.md); the bench
 * does its work every MARSAD_BENCH_VACUUM_S seconds (default 60; 0: never), and its CPU counts as
 * PostgreSQL's. Does nothing when the server's autovacuum is on.
 */
async function autovacuumStandIn(url: string, schema: string): Promise<{ stop(): Promise<string> }> {
  const every = Number(process.env.MARSAD_BENCH_VACUUM_S ?? 60) * 1000;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const on = (await c.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0].autovacuum === 'on';
  if (on || every <= 0) {
    await c.end();
    return { stop: async () => (on ? 'autovacuum on' : 'no VACUUM (autovacuum off, MARSAD_BENCH_VACUUM_S=0)') };
  }
  let runs = 0;
  let ms = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      const t0 = performance.now();
      try {
        // The tables may not exist yet (the workers migrate the schema when they start).
        const q = (t: string) => c.escapeIdentifier(schema) + '.' + t;
        await c.query(`VACUUM (ANALYZE) ${['events', 'event_sources', 'articles'].map(q).join(', ')}`);
        runs++;
        ms += performance.now() - t0;
      } catch {
        /* not there yet */
      }
      if (!stopped) timer = setTimeout(tick, every);
    })();
  };
  timer = setTimeout(tick, every);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await c.end();
      return `autovacuum off: the bench ran VACUUM (ANALYZE) every ${every / 1000} s, ${runs} times, ${(ms / 1000).toFixed(1)} s in all`;
    },
  };
}

/** Run `fn`, returning wall ms and this process's CPU seconds (all threads). */
async function timed(fn: () => Promise<void> | void): Promise<{ ms: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1e6 };
}

function* items(tag: string, n = N): Generator<{ article: Article; source: string }> {
  let i = 0;
  for (const article of repeatArticles(BASE, n, { dates: DATES, tag })) yield { article, source: `bench:${++i}` };
}

/** The local path with the same writes: pool threads guard and extract, one writer saves to PostgreSQL (what `marsad ingest --db postgres://` does). */
async function poolWithStore(cores: number): Promise<{ perSec: number; ms: number; cpu: number; pgCpu: number; locks: string } | string> {
  const PG = process.env.DATABASE_URL;
  if (!PG) return 'skipped (DATABASE_URL not set)';
  const schema = `marsad_bench_local_${randomBytes(4).toString('hex')}`;
  const { openStore } = await import('../src/store/index.js');
  const { dropSchema } = await import('../src/store/postgres.js');
  const store = await openStore(PG, { schema });
  const pool = createExtractPool({ workers: cores });
  const vacuum = await autovacuumStandIn(PG, schema);
  let vacuumed = '';
  try {
    const version = await extractorVersion();
    await Promise.all(BASE.map((a) => pool.extract(a)));
    const { value: t, pg: pgCpu } = await serverCpu(() =>
      timed(async () => {
        // As `marsad ingest --workers` does: guard, hash and extract in the threads, write in this one.
        for await (const r of mapBounded(items('local', NQ), pool.capacity, (i) => pool.extractPrepared(i.article))) {
          const p = r.value?.prepared;
          if (p?.ok) await store.saveArticle(p.article, r.value!.result!, version, r.item.source, p.precomputed);
        }
      }),
    );
    vacuumed = await vacuum.stop();
    const ls = (store as unknown as { lockStats?: { restarts: number; global: number } }).lockStats;
    return { perSec: rate(NQ, t.ms), ms: t.ms, cpu: t.cpu, pgCpu, locks: (ls ? `${ls.restarts} restarts, ${ls.global} global` : '') + `; ${vacuumed}` };
  } finally {
    if (!vacuumed) await vacuum.stop().catch(() => '');
    await pool.close();
    await store.close();
    await dropSchema(PG, schema).catch(() => {});
  }
}

async function queueMode(workers: number): Promise<{ perSec: number; ms: number; peakWorkerKb: number; failed: number; cpu: number; pgCpu: number; redisCpu: number; lockWaits: number; locks: string } | string> {
  const REDIS = process.env.REDIS_URL;
  const PG = process.env.DATABASE_URL;
  if (!REDIS || !PG) return 'skipped (REDIS_URL and DATABASE_URL not both set)';
  const run = randomBytes(4).toString('hex');
  const queueName = `marsad-bench-${run}`;
  const schema = `marsad_bench_${run}`;
  const queue = openQueue({ queueName, redisUrl: REDIS });
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  const peak = new Map<number, number>();
  // Saves waiting for a merge lock, sampled with the progress: near 0 means the locks are not the limit.
  const watch = new pg.Client({ connectionString: PG });
  await watch.connect();
  let waitSum = 0;
  let samples = 0;
  let vacuum: Awaited<ReturnType<typeof autovacuumStandIn>> | null = null;
  try {
    for (let i = 0; i < workers; i++) {
      const p = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--queue-name', queueName, '--pg-schema', schema, '--concurrency', '4', '--threads', String(WORKER_THREADS)],
        { cwd: ROOT, env: { ...process.env, MARSAD_PROGRESS_MS: '600000' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      procs.push(p);
      await new Promise<void>((resolve, reject) => {
        let log = '';
        p.stderr!.setEncoding('utf8').on('data', (s: string) => {
          log += s;
          for (const line of s.split('\n')) if (line.includes('merge locks:')) logs.push(line.replace(/^\[worker \d+\] /, ''));
          if (log.includes('ready on queue')) resolve();
        });
        p.once('exit', (code) => reject(new Error(`worker exited (${code}): ${log}`)));
      });
    }
    const version = await extractorVersion();
    vacuum = await autovacuumStandIn(PG, schema);
    const cpu0 = procs.reduce((a, p) => a + procCpuSec(p.pid!), 0);
    const pg0 = serverCpuSec('postgres');
    const redis0 = serverCpuSec('redis-server');
    const t0 = performance.now();
    const enq = enqueueArticles(queue, items(`q${workers}-${run}`, NQ), version, { batchSize: 500, maxWaiting: 5000 });
    let done = 0;
    let failed = 0;
    for (;;) {
      const [c, f] = await Promise.all([queue.getMetrics('completed', 0, 0), queue.getMetrics('failed', 0, 0)]);
      done = Number(c.meta.count ?? 0);
      failed = Number(f.meta.count ?? 0);
      for (const p of procs) peak.set(p.pid!, Math.max(peak.get(p.pid!) ?? 0, procKb(p.pid!, 'VmHWM')));
      waitSum += Number((await watch.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n);
      samples++;
      if (done + failed >= NQ) break;
      if (procs.every((p) => p.exitCode !== null)) throw new Error('all workers exited');
      await new Promise((r) => setTimeout(r, 200));
    }
    const ms = performance.now() - t0;
    const cpu = procs.reduce((a, p) => a + procCpuSec(p.pid!), 0) - cpu0;
    const pgCpu = serverCpuSec('postgres') - pg0;
    const redisCpu = serverCpuSec('redis-server') - redis0;
    logs.push(await vacuum.stop());
    vacuum = null;
    await enq;
    await Promise.all(
      procs.map((p) => new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGTERM'))))),
    );
    return { perSec: rate(done, ms), ms, peakWorkerKb: Math.max(...peak.values()), failed, cpu, pgCpu, redisCpu, lockWaits: waitSum / Math.max(1, samples), locks: logs.join('; ') };
  } finally {
    await vacuum?.stop().catch(() => '');
    await watch.end().catch(() => {});
    await Promise.all(
      procs.map((p) => new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGTERM'))))),
    );
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    const { dropSchema } = await import('../src/store/postgres.js');
    await dropSchema(PG, schema).catch(() => {});
  }
}

/** Busy and total CPU ticks of the whole machine (every process: PostgreSQL, Redis, the neighbours). */
function machineTicks(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Runs a part and says how busy the machine was meanwhile (cores in use, of all of them). */
async function part<T>(fn: () => Promise<T>): Promise<{ value: T; machine: string }> {
  const m0 = machineTicks();
  const value = await fn();
  const m1 = machineTicks();
  const cores = availableParallelism();
  const share = m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : NaN;
  return { value, machine: `machine busy ${share.toFixed(2)} of ${cores} cores` };
}

/**
 * `cores` separate processes (bench/ceiling-child.ts), each doing the one-thread work on its share:
 * nothing shared, nothing sent back. On a 2-vCPU virtual machine two busy cores are often each slower
 * than one alone (neighbours, shared caches), so this, not 2x, is the most a pool can reach here.
 */
async function ceilingProcesses(cores: number): Promise<{ run(tag: string, n: number): Promise<void>; close(): void }> {
  const kids = await Promise.all(
    Array.from({ length: cores }, () => {
      const c = fork(fileURLToPath(new URL('./ceiling-child.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, MARSAD_BENCH_CORPUS: CORPUS } });
      return new Promise<ChildProcess>((resolve, reject) => {
        c.once('message', () => resolve(c));
        c.once('exit', (code) => reject(new Error(`ceiling process exited (${code})`)));
      });
    }),
  );
  const ask = (c: ChildProcess, tag: string, n: number) =>
    new Promise<void>((resolve) => {
      c.once('message', () => resolve());
      c.send({ tag, n, dates: DATES });
    });
  return {
    run: async (tag, n) => {
      await Promise.all(kids.map((c, i) => ask(c, `${tag}p${i}-`, Math.floor(n / cores) + (i < n % cores ? 1 : 0))));
    },
    close: () => kids.forEach((c) => c.kill()),
  };
}

/**
 * One thread against the pool on the same work. When both run they take turns in ROUNDS rounds of
 * N / ROUNDS articles each: this machine's speed drifts by a fifth within minutes (another tenant
 * of the host), and a drift during one long part and not the other would read as a speed-up or a loss.
 */
async function singleVsPool(
  label: string,
  single: ((a: Article) => number) | null,
  pooled: ((a: Article) => Promise<number>) | null,
  cores: number,
  processes: Awaited<ReturnType<typeof ceilingProcesses>> | null = null,
): Promise<{ single: number; pool: number }> {
  const ROUNDS = single && pooled ? Math.max(1, Number(process.env.MARSAD_BENCH_ROUNDS ?? 10)) : 1;
  // Warm-up: each V8 isolate (this thread, every pool thread) JIT-compiles the extractor on its
  // own; on a short run a cold thread looks slower than it is.
  const WARM = 500;
  if (single) for (const { article } of items('warm-single', WARM)) single(article);
  if (pooled) for await (const _ of mapBounded(items('warm-pool', WARM * cores), 3 * cores, (i) => pooled(i.article)));
  if (processes) await processes.run('warm-procs', WARM * cores);
  const zero = () => ({ ms: 0, cpu: 0, busy: 0, total: 0, units: 0, errors: 0 });
  const totals = { single: zero(), pool: zero(), procs: zero() };
  const ratios: number[] = [];
  const procRatios: number[] = [];
  const add = (t: ReturnType<typeof zero>, r: { ms: number; cpu: number }, m0: { busy: number; total: number }) => {
    const m1 = machineTicks();
    t.ms += r.ms;
    t.cpu += r.cpu;
    t.busy += m1.busy - m0.busy;
    t.total += m1.total - m0.total;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const n = Math.floor(N / ROUNDS) + (round < N % ROUNDS ? 1 : 0);
    let s = NaN;
    if (single) {
      const m0 = machineTicks();
      const r = await timed(() => {
        for (const { article } of items(`single${round}-`, n)) totals.single.units += single(article);
      });
      add(totals.single, r, m0);
      s = rate(n, r.ms);
    }
    if (pooled) {
      const m0 = machineTicks();
      const r = await timed(async () => {
        for await (const x of mapBounded(items(`pool${round}-`, n), 3 * cores, (i) => pooled(i.article)))
          if (x.error) totals.pool.errors++;
          else totals.pool.units += x.value!;
      });
      add(totals.pool, r, m0);
      if (single) ratios.push(rate(n, r.ms) / s);
    }
    if (processes) {
      const m0 = machineTicks();
      const t0 = performance.now();
      await processes.run(`procs${round}-`, n);
      const ms = performance.now() - t0;
      add(totals.procs, { ms, cpu: 0 }, m0);
      if (single) procRatios.push(rate(n, ms) / s);
    }
  }
  const busy = (t: ReturnType<typeof zero>) => `machine busy ${t.total ? ((t.busy / t.total) * cores).toFixed(2) : 'NaN'} of ${cores} cores`;
  const cpu = (t: ReturnType<typeof zero>) => `CPU ${t.cpu.toFixed(1)} s, share ${(t.cpu / (t.ms / 1000)).toFixed(2)} cores, ${(N / t.cpu).toFixed(1)} articles per CPU-second`;
  const out = { single: single ? rate(N, totals.single.ms) : NaN, pool: pooled ? rate(N, totals.pool.ms) : NaN };
  const spread = (r: number[]) => {
    r.sort((a, b) => a - b);
    return `per round min ${r[0].toFixed(2)} / median ${r[r.length >> 1].toFixed(2)} / max ${r[r.length - 1].toFixed(2)}`;
  };
  if (single)
    console.log(`single thread, ${label}: ${out.single.toFixed(1)} articles/s (${(totals.single.ms / 1000).toFixed(1)} s; ${cpu(totals.single)}; ${busy(totals.single)})`);
  if (pooled) {
    console.log(
      `pool ${cores} threads, ${label}: ${out.pool.toFixed(1)} articles/s (${(totals.pool.ms / 1000).toFixed(1)} s, ${totals.pool.errors} errors; ${cpu(totals.pool)}; ${busy(totals.pool)})` +
        (single
          ? `, speed-up ${(out.pool / out.single).toFixed(2)}x (target >= 1.7x on 2 cores; ${ROUNDS} alternating rounds, ${spread(ratios)})`
          : ''),
    );
  }
  if (processes && single) {
    const procs = rate(N, totals.procs.ms);
    console.log(
      `${cores} separate processes, one thread each, nothing shared (this machine's own scaling; the most a pool could reach): ${procs.toFixed(1)} articles/s (${(totals.procs.ms / 1000).toFixed(1)} s; ${busy(totals.procs)}), ` +
        `speed-up ${(procs / out.single).toFixed(2)}x (${spread(procRatios)})` +
        (pooled ? `; the pool reaches ${((100 * out.pool) / procs).toFixed(0)}% of it` : ''),
    );
  }
  return out;
}

export default async function scaleBench(): Promise<void> {
  const cores = availableParallelism();
  console.log(
    `articles: ${N} (${CORPUS}: ${BASE.length} article(s) repeated over ${DATES} dates), queue/PostgreSQL parts: ${NQ}, cores: ${cores}, parts: ${[...PARTS].join(',')}, worker threads: ${WORKER_THREADS}`,
  );
  // 1 and 2. One thread in this process, and all cores (the worker-thread pool fed by a bounded
  // stream), results as objects (what `marsad ingest`'s writer takes).
  // Optional part `lines`: the same as JSON Lines output (`marsad extract --jsonl [--workers N]`),
  // where the pool threads write the lines and this thread never rebuilds the objects.
  const ex = PARTS.has('single') || PARTS.has('lines') || PARTS.has('full') ? await loadExtractor() : null;
  const pool = PARTS.has('pool') || PARTS.has('lines') || PARTS.has('full') ? createExtractPool({ workers: cores }) : null;
  let all = NaN;
  const processes = PARTS.has('ceiling') && PARTS.has('single') ? await ceilingProcesses(cores) : null;
  if (PARTS.has('single') || PARTS.has('pool')) {
    // ingest's extraction stage: guard, hash, search text and extraction of each article, the results
    // as objects in this thread (its writer), as the store keeps them (without mentions).
    const r = await singleVsPool(
      'what ingest\'s writer takes (guard + hash + extraction, results as objects)',
      PARTS.has('single') ? (a) => prepareAndExtract(a, ex!.extract).result?.events.length ?? 0 : null,
      PARTS.has('pool') ? (a) => pool!.extractPrepared(a).then((r) => r.result?.events.length ?? 0) : null,
      cores,
      processes,
    );
    all = r.pool;
  }
  processes?.close();
  if (PARTS.has('full'))
    await singleVsPool(
      'whole results as objects (mentions included)',
      (a) => ex!.extract(a).events.length,
      (a) => pool!.extract(a).then((r) => r.events.length),
      cores,
    );
  if (PARTS.has('lines'))
    await singleVsPool(
      'results as JSON Lines',
      (a) => resultLine(ex!.extract(a), a.id!).length,
      (a) => pool!.extractLine(a, a.id!).then((l) => l.length),
      cores,
    );
  await pool?.close();

  // 3. The local pool with PostgreSQL writes: the reference for the queue (same work, no queue).
  let local: Awaited<ReturnType<typeof poolWithStore>> = 'not run';
  if (PARTS.has('local')) {
    const r = await part(() => poolWithStore(cores));
    local = r.value;
    if (typeof local === 'string') console.log(`pool ${cores} threads + PostgreSQL writes: ${local}`);
    else
      console.log(
        `pool ${cores} threads + PostgreSQL writes, one writer (${NQ} articles): ${local.perSec.toFixed(1)} articles/s (${(local.ms / 1000).toFixed(1)} s; this process used ${local.cpu.toFixed(1)} CPU-s, PostgreSQL ${local.pgCpu.toFixed(1)} CPU-s: ${((1000 * (local.cpu + local.pgCpu)) / NQ).toFixed(1)} ms of CPU per article; locks: ${local.locks}; ${r.machine})`,
      );
  }

  // 4. Queue mode: separate worker processes, extraction + PostgreSQL write + ack per article.
  const q: Record<number, Awaited<ReturnType<typeof queueMode>>> = {};
  if (PARTS.has('queue')) {
    for (const w of [1, 2]) {
      const { value: r, machine } = await part(() => queueMode(w));
      q[w] = r;
      if (typeof r === 'string') console.log(`queue ${w} worker(s): ${r}`);
      else
        console.log(
          `queue ${w} worker(s) (${NQ} articles): ${r.perSec.toFixed(1)} articles/s (${(r.ms / 1000).toFixed(1)} s, ${r.failed} failed; workers used ${r.cpu.toFixed(1)} CPU-s = ${(NQ / r.cpu).toFixed(1)} articles per worker CPU-second, PostgreSQL ${r.pgCpu.toFixed(1)} CPU-s, Redis ${r.redisCpu.toFixed(1)} CPU-s: ${((1000 * (r.cpu + r.pgCpu + r.redisCpu)) / NQ).toFixed(1)} ms of CPU per article; ${machine}; saves waiting for a merge lock ${r.lockWaits.toFixed(2)} on average; ${r.locks}), peak worker RSS ${mb(r.peakWorkerKb)}`,
        );
    }
    const q1 = q[1];
    const q2 = q[2];
    if (typeof q1 !== 'string' && typeof q2 !== 'string') {
      console.log(`queue speed-up 2 vs 1 worker: ${(q2.perSec / q1.perSec).toFixed(2)}x`);
      if (Number.isFinite(all)) {
        const perCorePool = all / cores;
        console.log(
          `queue per worker vs extraction-only pool per core: ${(q1.perSec / perCorePool).toFixed(2)} (1 worker), ${(q2.perSec / 2 / perCorePool).toFixed(2)} (2 workers) (target >= 0.75)`,
        );
      }
      if (typeof local !== 'string') {
        console.log(
          `queue vs local pool with the same PostgreSQL writes: ${(q1.perSec / local.perSec).toFixed(2)} (1 worker), ${(q2.perSec / local.perSec).toFixed(2)} (2 workers)`,
        );
      }
    }
  }
  console.log(`peak RSS of this process (main + pool threads): ${mb(process.resourceUsage().maxRSS)}`);
}
