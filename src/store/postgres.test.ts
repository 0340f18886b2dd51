// PostgreSQL session and table settings the save path relies on (src/store/postgres.ts). Each was
// found by measuring seed copies saved one by one: without them saves slowed several-fold as the
// store grew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testEngines } from './testing.js';
import { openStore } from './index.js';
import { dropSchema, type PostgresStore } from './postgres.js';
import { defaultExtract } from '../ingest/index.js';
import { devArticles, repeatArticles } from '../scale/corpus.js';

const engine = testEngines().find((e) => e.name === 'postgres')!;

test('PostgreSQL: sessions run without JIT, in their schema; merged events update in place (HOT)', { skip: engine.skip }, async () => {
  const url = process.env.DATABASE_URL!;
  const schema = `marsad_test_${randomBytes(6).toString('hex')}`;
  const store = (await openStore(url, { schema })) as PostgresStore;
  try {
    // Every session of the pool, not only the first: hold several at once.
    const clients = await Promise.all([store.pool.connect(), store.pool.connect(), store.pool.connect()]);
    try {
      for (const c of clients) {
        assert.equal((await c.query<{ jit: string }>('SHOW jit')).rows[0].jit, 'off');
        assert.equal((await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s, schema);
      }
    } finally {
      for (const c of clients) c.release();
    }
    const opts = (await store.pool.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE oid = 'events'::regclass")).rows[0].reloptions;
    assert.deepEqual(opts, ['fillfactor=50']);

    // Reports of the same incidents on the same day merge: the rows are rewritten, and with room left
    // on their pages the new versions stay there (heap-only updates, no new index entries).
    const extract = await defaultExtract();
    for (const a of repeatArticles(devArticles(), 12, { dates: 1, tag: 'hot' })) await store.saveArticle(a, await extract(a), 'v1');
  } finally {
    await store.close();
  }
  // The sessions have ended, so their counts have reached the statistics (a backend reports at exit).
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    let upd = 0;
    let hot = 0;
    for (let i = 0; i < 50 && upd === 0; i++) {
      const r = await c.query<{ upd: string; hot: string }>(
        'SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2',
        [schema, 'events'],
      );
      [upd, hot] = [Number(r.rows[0]?.upd ?? 0), Number(r.rows[0]?.hot ?? 0)];
      if (upd === 0) await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(upd >= 11 * 12, `merges rewrote the events rows (${upd} updates)`);
    assert.ok(hot / upd > 0.8, `${hot} of ${upd} updates were heap-only`);
  } finally {
    await c.end();
    await dropSchema(url, schema);
  }
});
