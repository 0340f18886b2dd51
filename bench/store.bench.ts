// Store benchmark (prints figures; no timing asserts):
// 1. ingest of the dev articles repeated to 100k articles into SQLite end to end, as `marsad ingest
//    --workers N` runs it (JSONL reader -> N extraction threads -> one writer storing and merging), with
//    articles/s, CPU per article of the writer thread and of all threads, and the final DB size;
// 2. the writer alone on the same copies (extraction memoised per text, its dates shifted to the copy's
//    date): reader + guard + store + merge, one thread;
// 3. query latency p50/p95 over 1M stored events (synthetic, written through the store) for three
//    typical filters. Targets (issue 5): ingest >= 500 articles/s on 2 cores, p95 < 50 ms.
// Sizes: MARSAD_BENCH_ARTICLES (100000; 0 skips), MARSAD_BENCH_STORE_ARTICLES (= ARTICLES), MARSAD_BENCH_WORKERS (cores),
// MARSAD_BENCH_EVENTS (1000000).

import { mkdtempSync, rmSync, statSync, existsSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Article, ConflictEvent, ExtractResult, Actor } from '../src/types.js';
import { openStore } from '../src/store/index.js';
import { ingest, defaultExtract, type Extract } from '../src/ingest/index.js';
import { createExtractPool } from '../src/scale/pool.js';
import { benchCorpus } from '../src/scale/corpus.js';
import { statCpuSec } from './proc.js';
import { addDays, dayNumber } from '../src/resolve/merge.js';
import type { EventFilter, Store } from '../src/store/types.js';
import type { SqliteStore } from '../src/store/sqlite.js';

const num = (name: string, d: number) => Number(process.env[name] ?? d);

/**
 * Copies of the dev articles as a real corpus would hold them: publication dates cycling over `days`
 * days (so the events move with them), and each day's copies from different outlets (real duplicates
 * across outlets, ~n/days per happening). Each copy has its own id and URL.
 */
export async function writeCopies(path: string, n: number, days: number): Promise<void> {
  // MARSAD_BENCH_CORPUS=dev+extra: the seed and the team's 24 reports (7 countries, ~5 events each,
  // fewer merges per article): the common case, beside the worst case of one article repeated.
  const base = benchCorpus(process.env.MARSAD_BENCH_CORPUS ?? 'dev');
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const a = base[i % base.length];
    const date = a.date ? addDays(a.date, -(i % days)) : null;
    const outlet = OUTLETS[Math.floor(i / days) % OUTLETS.length];
    if (!out.write(JSON.stringify({ ...a, id: `${a.id}-c${i}`, url: `https://bench.marsad.invalid/${i}`, date, outlet }) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function fileSize(db: string): number {
  let n = 0;
  for (const f of [db, `${db}-wal`, `${db}-shm`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function progress(label: string) {
  let last = 0;
  return (done: number, total: number, t0: number) => {
    const now = Date.now();
    if (now - last < 5000 && done < total) return;
    last = now;
    console.log(`  ${label}: ${done}/${total} (${((done * 1000) / Math.max(1, now - t0)).toFixed(0)}/s)`);
  };
}

/** Extraction memoised per text; event dates shifted by the copy's publication offset. */
function memoised(real: Extract): Extract {
  const cache = new Map<string, { date: string | null; result: ExtractResult }>();
  return async (a) => {
    const k = `${a.title ?? ''}\n${a.text}`;
    let c = cache.get(k);
    if (!c) cache.set(k, (c = { date: a.date ?? null, result: await real(a) }));
    const shift = a.date && c.date ? dayNumber(a.date)! - dayNumber(c.date)! : 0;
    if (!shift) return c.result;
    return {
      ...c.result,
      events: c.result.events.map((e) => (e.event_date ? { ...e, event_date: addDays(e.event_date, shift) } : e)),
    };
  };
}

/** CPU milliseconds (user + system) of one thread of this process, or of the whole process, from /proc (Linux). */
function cpuMs(tid?: number): number {
  return 1000 * statCpuSec(tid === undefined ? '/proc/self/stat' : `/proc/self/task/${tid}/stat`);
}

/** One ingest run: wall time, the writer (main) thread's CPU and all threads' CPU per article, DB size. */
async function runIngest(label: string, jsonl: string, db: string, n: number, opts: Partial<Parameters<typeof ingest>[1]>): Promise<void> {
  const store = await openStore(db);
  const p = progress(label);
  const main0 = cpuMs(process.pid);
  const all0 = cpuMs();
  const t0 = Date.now();
  const s = await ingest([jsonl], { store, ...opts, onProgress: (x) => p(x.stored + x.duplicates, n, t0) });
  await store.close();
  const secs = (Date.now() - t0) / 1000;
  const main = (cpuMs(process.pid) - main0) / s.stored;
  const all = (cpuMs() - all0) / s.stored;
  console.log(
    `${label}: ${s.stored} articles in ${secs.toFixed(1)} s = ${(s.stored / secs).toFixed(0)} articles/s (target >= 500); ` +
      `${s.events_new} events new, ${s.events_merged} merged; errors ${s.errors.length}; ` +
      `CPU per article: writer thread ${main.toFixed(2)} ms, all threads ${all.toFixed(2)} ms ` +
      `(bound on an idle machine of ${availableParallelism()} cores: ${Math.min(1000 / main, (1000 * availableParallelism()) / all).toFixed(0)}/s); ` +
      `DB ${mb(fileSize(db))} (${(fileSize(db) / s.stored / 1024).toFixed(1)} KB per article); peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

async function benchIngest(dir: string, real: Extract): Promise<void> {
  const nArticles = num('MARSAD_BENCH_ARTICLES', 100_000);
  const nStore = num('MARSAD_BENCH_STORE_ARTICLES', nArticles);
  const workers = num('MARSAD_BENCH_WORKERS', availableParallelism());
  // Spread copies over 3 years: each day's copies (different outlets) report the same incidents and merge.
  const days = num('MARSAD_BENCH_DAYS', 1096);

  // 1. What `marsad ingest --workers N` does: threads guard and extract, one writer stores and merges.
  if (nArticles > 0) {
    const jsonl = join(dir, 'copies.jsonl');
    await writeCopies(jsonl, nArticles, days);
    const pool = createExtractPool({ workers });
    try {
      await runIngest(`ingest end to end (real extractor, ${workers} threads)`, jsonl, join(dir, 'e2e.db'), nArticles, {
        extractPrepared: (a) => pool.extractPrepared(a),
        concurrency: pool.capacity,
      });
    } finally {
      await pool.close();
    }
    for (const f of ['e2e.db', 'e2e.db-wal', 'e2e.db-shm']) rmSync(join(dir, f), { force: true });
  }
  // 2. The writer alone: extraction memoised per text (dates shifted to each copy's), one thread.
  if (nStore > 0) {
    const jsonl = join(dir, 'copies-store.jsonl');
    await writeCopies(jsonl, nStore, days);
    await runIngest('store path alone (reader + guard + store + merge; extraction memoised)', jsonl, join(dir, 'bench.db'), nStore, { extract: memoised(real) });
  }
}

// ---------------------------------------------------------------- queries over 1M events

const ADMIN1 = ['Idlib', 'Aleppo', 'Hama', 'Homs', 'Damascus', 'Rural Damascus', 'Daraa', 'Deir ez-Zor', 'Raqqa', 'Hasakah', 'Latakia', 'Tartus', 'Quneitra', 'As-Sweida'];
const TYPES: [ConflictEvent['event_type'], string][] = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Air/drone strike'],
  ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['Violence against civilians', 'Attack'],
  ['Protests', 'Peaceful protest'],
  ['Strategic developments', 'Looting/property destruction'],
];
const ACTORS: Actor[] = [
  { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 },
  { name: 'Opposition Rebels (Syria)', name_ar: 'الفصائل', inter: 2 },
  { name: 'Military Forces of Russia', name_ar: 'الطائرات الروسية', inter: 8 },
  { name: 'Islamic State (Syria)', name_ar: 'تنظيم الدولة', inter: 2 },
  { name: 'Civilians (Syria)', name_ar: 'مدنيين', inter: 7 },
];
const OUTLETS = ['المرصد السوري لحقوق الإنسان', 'سانا', 'عنب بلدي', 'فرانس برس', 'زمان الوصل'];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function fillEvents(store: Store, n: number): Promise<void> {
  const r = rng(42);
  // Synthetic events are distinct by construction: bulk-load them (no merge lookups, 1k articles per
  // transaction) when the engine offers it; the merge path is measured by the ingest bench.
  const bulk = (store as Partial<SqliteStore>).bulkLoad?.bind(store);
  let batch: { article: Article; result: ExtractResult }[] = [];
  const perArticle = 10;
  const t0 = Date.now();
  const p = progress('synthetic events');
  for (let i = 0; i < n / perArticle; i++) {
    const date = addDays('2012-01-01', Math.floor(r() * 365 * 12));
    const outlet = OUTLETS[i % OUTLETS.length];
    const text = `تقرير رقم ${i}: قصف واشتباكات في ريف ${ADMIN1[i % ADMIN1.length]}`;
    const events: ConflictEvent[] = [];
    for (let k = 0; k < perArticle; k++) {
      const [event_type, sub_event_type] = TYPES[Math.floor(r() * TYPES.length)];
      const admin1 = ADMIN1[Math.floor(r() * ADMIN1.length)];
      const a1 = ACTORS[Math.floor(r() * ACTORS.length)];
      const a2 = ACTORS[Math.floor(r() * ACTORS.length)];
      const lat = 32.5 + r() * 4.5;
      const lon = 35.8 + r() * 6.2;
      const f = r() < 0.6 ? 0 : Math.floor(r() * r() * 40);
      events.push({
        event_type,
        sub_event_type,
        event_date: date,
        time_precision: 1,
        actor1: a1,
        actor2: a2 === a1 ? null : a2,
        location: { name: `Place ${Math.floor(lat * 100)}-${Math.floor(lon * 100)}`, admin1, country: 'Syria', lat, lon, geo_precision: 1, gazetteer_id: `syn:${i}:${k}` },
        fatalities: f,
        status: 'occurred',
        civilian_targeting: a2?.inter === 7,
        reported_by: r() < 0.5 ? 'المرصد السوري لحقوق الإنسان' : null,
        background: false,
        evidence: { sub_event_type: [{ part: 'text', start: 0, end: 4, text: 'قصف' }] },
        notes: `${a1.name} ${sub_event_type.toLowerCase()} in ${admin1}`,
      });
    }
    const article: Article = { text, title: text, date, outlet, url: `https://bench.marsad.invalid/q/${i}` };
    const result: ExtractResult = { events, figures: [], mentions: [], warnings: [] };
    if (!bulk) await store.saveArticle(article, result, 'bench');
    else if (batch.push({ article, result }) >= 1000) (await bulk(batch, 'bench'), (batch = []));
    p((i + 1) * perArticle, n, t0);
  }
  if (bulk && batch.length) await bulk(batch, 'bench');
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function benchQueries(dir: string): Promise<void> {
  const n = num('MARSAD_BENCH_EVENTS', 1_000_000);
  // MARSAD_BENCH_DB: a database from an earlier run (kept with MARSAD_BENCH_KEEP) to query again.
  const db = process.env.MARSAD_BENCH_DB ?? join(dir, 'events.db');
  let store = await openStore(db);
  // events() counts up to 10 000 only: count exactly by summing an aggregate.
  const have = (await store.aggregates('event_type')).reduce((n, r) => n + r.events, 0);
  if (have < n) {
    const t0 = Date.now();
    await fillEvents(store, n - have);
    console.log(`stored ${n - have} synthetic events in ${((Date.now() - t0) / 1000).toFixed(0)} s (${(((n - have) * 1000) / (Date.now() - t0)).toFixed(0)} events/s); DB ${mb(fileSize(db))}`);
    // Queried as `marsad serve` finds it after an ingest: closed (which refreshes the planner's
    // statistics, PRAGMA optimize) and opened again. Without the statistics the text search takes
    // another plan (~100 ms instead of ~25 ms at 1M events).
    await store.close();
    store = await openStore(db);
  } else console.log(`querying ${have} stored events in ${db} (${mb(fileSize(db))})`);
  const r = rng(7);
  const filters: [string, () => EventFilter][] = [
    [
      'one governorate, one month, newest first',
      () => {
        const from = addDays('2012-01-01', Math.floor(r() * 365 * 11));
        return { admin1: ADMIN1[Math.floor(r() * ADMIN1.length)], from, to: addDays(from, 30), limit: 50 };
      },
    ],
    [
      'bbox + event type + min fatalities, a year',
      () => {
        const lat = 33 + r() * 3;
        const lon = 36 + r() * 4;
        const from = addDays('2012-01-01', Math.floor(r() * 365 * 11));
        return { bbox: [lon, lat, lon + 1, lat + 1], event_type: ['Explosions/Remote violence'], min_fatalities: 5, from, to: addDays(from, 365), limit: 50 };
      },
    ],
    [
      'text search (Arabic actor + governorate) in a year, by fatalities',
      () => {
        const from = addDays('2012-01-01', Math.floor(r() * 365 * 11));
        return { q: `الطائرات الروسية ${ADMIN1[Math.floor(r() * ADMIN1.length)]}`, from, to: addDays(from, 365), sort: '-fatalities', limit: 50 };
      },
    ],
    [
      '(worst case) broad text search: one Arabic actor name over all years, by fatalities',
      () => ({ q: 'الطائرات الروسية', sort: '-fatalities', limit: 50 }),
    ],
  ];
  for (const [label, make] of filters) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const f = make();
      const t = performance.now();
      const page = await store.events(f);
      times.push(performance.now() - t);
      total += page.total;
    }
    console.log(`query "${label}": p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (target < 50), mean total ${(total / 60).toFixed(0)} (counted up to 10 000)`);
  }
  await store.close();
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-bench-'));
  try {
    const real = await defaultExtract();
    if (!process.env.MARSAD_BENCH_SKIP_INGEST) await benchIngest(dir, real);
    if (!process.env.MARSAD_BENCH_SKIP_QUERIES) await benchQueries(dir);
  } finally {
    if (process.env.MARSAD_BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
