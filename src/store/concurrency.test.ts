// Concurrent saves on the real PostgreSQL with the fine-grained merge locks (locks.ts): many
// connections saving reports of the same incidents at once end with the events one writer saving
// them one by one gets; saves about other places do not wait for each other; the lock statement
// takes its keys in increasing order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Article, ConflictEvent } from '../types.js';
import { devArticles, repeatArticles } from '../scale/corpus.js';
import { loadExtractor, type LoadedExtractor } from '../scale/extractor.js';
import { articleLocks, lockKey, type LockSet } from './locks.js';
import { isPostgresUrl, openStore } from './index.js';
import { allEvents, eventSignature, perSourceFigures } from './testing.js';
import { dropSchema, lockSql, MERGE_LOCK, PostgresStore, verify } from './postgres.js';
import { teamReports } from '../scale/corpus.js';

// Every lookup answered from the per-article prefetch is checked against the live query.
verify.prefetch = true;

const PG = process.env.DATABASE_URL;
const skip = isPostgresUrl(PG) ? false : 'DATABASE_URL is not a postgres:// URL: PostgreSQL concurrency tests skipped';

const extra: Article[] = teamReports();
const byId = (id: string) => extra.find((a) => a.id === id)!;

let ex: LoadedExtractor;
before(async () => {
  ex = await loadExtractor();
});


async function withSchema<T>(fn: (schema: string) => Promise<T>): Promise<T> {
  const schema = `marsad_conc_${randomBytes(5).toString('hex')}`;
  try {
    return await fn(schema);
  } finally {
    await dropSchema(PG!, schema).catch(() => undefined);
  }
}

/** Holds the keys of `plan` (or the global key) in an open transaction on its own connection. */
async function holdLocks(schema: string, sql: string): Promise<{ client: pg.Client; pid: number; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: PG, options: `-c search_path=${schema}` });
  await client.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await client.query(`BEGIN; ${sql}`);
  return {
    client,
    pid,
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Waits until some backend other than `except` waits for an advisory lock. */
async function someoneWaits(c: pg.Client, except: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const r = await c.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid <> $1`, [except]);
    if (r.rowCount) return true;
    await new Promise((res) => setTimeout(res, 50));
  }
  return false;
}

/** `p`, or a failure (not a hang) when it is still waiting after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: still waiting after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

test('16 connections saving reports of the same incidents at once store the events one writer saving them in turn stores', { skip, timeout: 180_000 }, async () => {
  // Four reports (Ma'arrat an-Nu'man, Idlib countryside, Baghdad, Rafah), each copied by 4 outlets on
  // each of 3 dates 40 days apart: every incident is reported 4 times at the same moment.
  const base = [devArticles()[0], byId('x-syr-001'), byId('x-irq-001'), byId('x-pse-002')];
  const articles = [...repeatArticles(base, 48, { dates: 3, spacing: 40, tag: `c${randomBytes(3).toString('hex')}` })];
  const results = articles.map((a) => ex.extract(a));
  await withSchema(async (refSchema) =>
    withSchema(async (schema) => {
      const ref = await openStore(PG!, { schema: refSchema });
      const first = await openStore(PG!, { schema });
      const stores = [first, ...(await Promise.all([1, 2, 3].map(() => openStore(PG!, { schema }))))] as PostgresStore[];
      try {
        for (let i = 0; i < articles.length; i++) await ref.saveArticle(articles[i], results[i], ex.version, 'ref');
        // Each of 4 stores (4 connections each) saves every 4th article, all of them at once.
        let next = 0;
        const saved = await Promise.all(
          articles.map(async (a, i) => {
            await new Promise((r) => setImmediate(r));
            next++;
            return stores[i % stores.length].saveArticle(a, results[i], ex.version, 'concurrent');
          }),
        );
        assert.equal(next, articles.length);
        assert.ok(saved.some((s) => s.events_merged > 0), 'reports merged');
        const want = await allEvents(ref);
        const got = await allEvents(first);
        const extracted = results.reduce((n, r) => n + r.events.length, 0);
        assert.ok(want.length * 3 < extracted, `each incident stored once with its reports (${want.length} events of ${extracted})`);
        assert.deepEqual(got.map(eventSignature).sort(), want.map(eventSignature).sort());
        assert.deepEqual(perSourceFigures(got), perSourceFigures(want));
        assert.equal(perSourceFigures(got).length, extracted, 'every extracted event is one source of one stored event');
        const stats = stores.reduce((s, x) => ({ restarts: s.restarts + x.lockStats.restarts, global: s.global + x.lockStats.global }), { restarts: 0, global: 0 });
        assert.equal(stats.global, 0, 'no save fell back to the global key');
      } finally {
        await Promise.all([ref, ...stores].map((s) => s.close()));
      }
    }),
  );
});

test('a save about another place goes on while a save about Baghdad holds its keys; a second report of Baghdad waits', { skip, timeout: 60_000 }, async () => {
  await withSchema(async (schema) => {
    const store = (await openStore(PG!, { schema })) as PostgresStore;
    const baghdad = byId('x-irq-001');
    const holder = await holdLocks(schema, lockSql(articleLocks(baghdad, ex.extract(baghdad))));
    const watch = new pg.Client({ connectionString: PG });
    await watch.connect();
    try {
      // Marib (Yemen) and Khartoum (Sudan): no key in common with Baghdad; they commit at once.
      for (const id of ['x-yem-001', 'x-sdn-001']) {
        const a = byId(id);
        const r = await within(store.saveArticle(a, ex.extract(a), ex.version), 20_000, id);
        assert.ok(r.events_new > 0);
      }
      // The same bombing told by another outlet must wait for the Baghdad save.
      const again: Article = { ...baghdad, id: 'x-irq-001-afp', url: 'https://www.afp.com/ar/baghdad-2021-01-21', outlet: 'فرانس برس' };
      let done = false;
      const waiting = store.saveArticle(again, ex.extract(again), ex.version).then((r) => ((done = true), r));
      assert.ok(await someoneWaits(watch, holder.pid), 'the second Baghdad report waits for a merge lock');
      assert.equal(done, false);
      await holder.release();
      const r = await within(waiting, 20_000, 'second Baghdad report');
      assert.ok(r.events_new > 0);
    } finally {
      await watch.end();
      await holder.client.end().catch(() => undefined);
      await store.close();
    }
  });
});

test('a writer of an earlier Marsad version (the global key, exclusively) still excludes every save', { skip, timeout: 60_000 }, async () => {
  await withSchema(async (schema) => {
    const store = await openStore(PG!, { schema });
    const holder = await holdLocks(schema, `SELECT pg_advisory_xact_lock(${MERGE_LOCK})`);
    const watch = new pg.Client({ connectionString: PG });
    await watch.connect();
    try {
      const a = byId('x-lby-001');
      let done = false;
      const waiting = store.saveArticle(a, ex.extract(a), ex.version).then((r) => ((done = true), r));
      assert.ok(await someoneWaits(watch, holder.pid));
      assert.equal(done, false);
      await holder.release();
      assert.ok((await within(waiting, 20_000, 'save after the old writer')).events_new > 0);
    } finally {
      await watch.end();
      await holder.client.end().catch(() => undefined);
      await store.close();
    }
  });
});

test('the lock statement takes its keys in increasing order (and so cannot deadlock with another)', { skip, timeout: 60_000 }, async () => {
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5'].map(lockKey).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const [lo, , mid, , hi] = keys;
  await withSchema(async (schema) => {
    await (await openStore(PG!, { schema })).close();
    // Another transaction holds the middle key.
    const holder = await holdLocks(schema, `SELECT pg_advisory_xact_lock(${mid})`);
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const watch = new pg.Client({ connectionString: PG });
    await watch.connect();
    try {
      // Given in reverse order, and mixed modes: the statement must still go lo, ..., mid and stop there.
      const plan: LockSet = new Map([...keys].reverse().map((k, i) => [k, i % 2 ? 's' : 'x']));
      const taking = c.query(`BEGIN; ${lockSql(plan)}`);
      assert.ok(await someoneWaits(watch, holder.pid));
      const held = (
        await watch.query<{ k: string; granted: boolean }>(
          `SELECT ((classid::bigint << 32) | objid::bigint)::text AS k, granted FROM pg_locks WHERE locktype = 'advisory' AND pid = $1`,
          [pid],
        )
      ).rows;
      const state = new Map(held.map((r) => [r.k, r.granted]));
      assert.equal(state.get(lo), true, 'the smallest key is taken');
      assert.equal(state.get(keys[1]), true);
      assert.equal(state.get(mid), false, 'the middle key is waited for');
      assert.equal(state.has(hi), false, 'larger keys are not taken before it');
      await holder.release();
      await taking;
      await c.query('COMMIT');
    } finally {
      await watch.end();
      await c.end();
      await holder.client.end().catch(() => undefined);
    }
  });
});

test('a merge that needs a key it did not take up front, while another save holds it, restarts and waits instead of writing', { skip, timeout: 60_000 }, async () => {
  // A governorate-level report (only "ريف إدلب" known) and a later report naming Harem, 60 km
  // from the governorate's centre: they merge by governorate (same admin1, same type), so the
  // second save rewrites an event whose region-level key it had only planned to read (shared).
  const region: Article = {
    title: 'اشتباكات في ريف إدلب',
    text: 'دارت اشتباكات عنيفة بين قوات النظام والفصائل في ريف إدلب اليوم.',
    date: '2020-02-03',
    outlet: 'المرصد السوري لحقوق الإنسان',
    url: 'https://example.org/idlib-region-2020-02-03',
  };
  const harem: Article = {
    title: 'اشتباكات في حارم',
    text: 'دارت اشتباكات عنيفة بين قوات النظام والفصائل قرب مدينة حارم في ريف إدلب الشمالي اليوم.',
    date: '2020-02-03',
    outlet: 'عنب بلدي',
    url: 'https://example.org/harem-2020-02-03',
  };
  const clash = (a: Article, location: ConflictEvent['location']): ConflictEvent => ({
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    event_date: a.date!,
    time_precision: 1,
    actor1: null,
    actor2: null,
    location,
    fatalities: 0,
    status: 'occurred',
    civilian_targeting: false,
    reported_by: null,
    background: false,
    evidence: { sub_event_type: [{ part: 'text', start: 5, end: 14, text: a.text.slice(5, 14) }] },
    notes: '',
  });
  const idlib = clash(region, { name: 'Idlib', name_ar: 'إدلب', admin1: 'Idlib', country: 'Syria', lat: 35.93062, lon: 36.63393, geo_precision: 3 });
  const point = clash(harem, { name: 'Harim', name_ar: 'حارم', gazetteer_id: 'gn:169389', admin1: 'Idlib', country: 'Syria', lat: 36.2078, lon: 36.5186, geo_precision: 1 });
  const res = (e: ConflictEvent) => ({ events: [e], figures: [], mentions: [], warnings: [] });
  await withSchema(async (schema) => {
    const store = (await openStore(PG!, { schema })) as PostgresStore;
    const watch = new pg.Client({ connectionString: PG });
    await watch.connect();
    let holder: Awaited<ReturnType<typeof holdLocks>> | undefined;
    try {
      await store.saveArticle(region, res(idlib), ex.version);
      // Another save reading Idlib's region-level events holds their key shared.
      const names = new Map<string, string>();
      const plan = articleLocks(harem, res(point), names)!;
      const regionKeys: LockSet = new Map([...plan].filter(([k]) => names.get(k)?.startsWith('R|')).map(([k]) => [k, 's']));
      assert.ok(regionKeys.size > 0 && [...regionKeys.keys()].every((k) => plan.get(k) === 's'), 'the Harem save plans to read the region keys only');
      holder = await holdLocks(schema, lockSql(regionKeys));
      let done = false;
      const saving = store.saveArticle(harem, res(point), ex.version).then((r) => ((done = true), r));
      assert.ok(await someoneWaits(watch, holder.pid), 'the Harem save waits (after its try-lock failed and it restarted)');
      assert.equal(done, false);
      assert.equal(store.lockStats.restarts, 1);
      await holder.release();
      const r = await within(saving, 20_000, 'Harem save');
      assert.equal(r.events_merged, 1, 'merged into the governorate-level event');
      const evs = await allEvents(store);
      assert.equal(evs.length, 1);
      assert.equal(evs[0].location?.name, 'Harim', 'the merged event keeps the more precise place');
      assert.equal(evs[0].sources.length, 2);
    } finally {
      await watch.end();
      await holder?.client.end().catch(() => undefined);
      await store.close();
    }
  });
});

test('the same report (clashes in Tripoli) saved by two connections at once is stored once; a re-ingest by a new extractor version takes the global key', { skip, timeout: 60_000 }, async () => {
  await withSchema(async (schema) => {
    const a = (await openStore(PG!, { schema })) as PostgresStore;
    const b = (await openStore(PG!, { schema })) as PostgresStore;
    try {
      const tripoli = byId('x-lby-002');
      const r = ex.extract(tripoli);
      const [x, y] = await Promise.all([a.saveArticle(tripoli, r, ex.version), b.saveArticle(tripoli, r, ex.version)]);
      assert.deepEqual([x.duplicate, y.duplicate].sort(), [false, true], 'one save stores it, the other finds it stored');
      const once = await allEvents(a);
      assert.equal(perSourceFigures(once).length, r.events.length);
      const replaced = await a.saveArticle(tripoli, r, `${ex.version}-next`);
      assert.equal(replaced.replaced, true);
      assert.equal(a.lockStats.global, 1, 'the re-ingest ran under the global key');
      assert.deepEqual((await allEvents(a)).map(eventSignature).sort(), once.map(eventSignature).sort());
    } finally {
      await a.close();
      await b.close();
    }
  });
});
