// The queue worker in-process against the real Redis and PostgreSQL: it guards articles as
// `marsad ingest` does (a refused article fails once, with its reason, and is not retried) and
// saves the others with the hash and search text computed beside the extraction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Article } from '../types.js';
import { enqueueArticles, openQueue, queueStatus } from './queue.js';
import { extractorVersion } from './extractor.js';
import { startQueueWorker } from './worker.js';

const REDIS = process.env.REDIS_URL;
const PG = process.env.DATABASE_URL;
const skip = !REDIS || !PG ? 'REDIS_URL and DATABASE_URL must both be set: queue worker test skipped' : false;

test('a worker refuses a non-Arabic article once (no retries) and stores the Arabic report', { skip, timeout: 60_000 }, async () => {
  const run = randomBytes(4).toString('hex');
  const queueName = `marsad-test-w-${run}`;
  const schema = `marsad_worker_${run}`;
  const arabic: Article = {
    id: `ar-${run}`,
    title: 'مقتل مدنيين بقصف على معرة النعمان',
    text: 'قتل ثلاثة مدنيين وأصيب آخرون جراء قصف مدفعي لقوات النظام على مدينة معرة النعمان في ريف إدلب الجنوبي صباح اليوم.',
    date: '2019-12-20',
    outlet: 'المرصد السوري لحقوق الإنسان',
    url: `https://example.org/${run}/maarat`,
  };
  const english: Article = {
    id: `en-${run}`,
    title: 'Weather report',
    text: 'Sunny skies are expected across the region this weekend, with mild temperatures and light winds in the afternoon.',
    date: '2019-12-20',
    url: `https://example.org/${run}/weather`,
  };
  const queue = openQueue({ queueName, redisUrl: REDIS });
  const { dropSchema } = await import('../store/postgres.js');
  const w = await startQueueWorker({ queueName, redisUrl: REDIS, db: PG, pgSchema: schema, threads: 1, concurrency: 2 });
  try {
    await enqueueArticles(queue, [arabic, english].map((article) => ({ article, source: 'test' })), await extractorVersion());
    let st = await queueStatus(queue);
    for (let i = 0; i < 400 && st.counts.completed + st.counts.failed < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      st = await queueStatus(queue);
    }
    assert.equal(st.counts.completed, 1);
    assert.equal(st.counts.failed, 1);
    assert.equal(st.failures[0].article, english.id);
    assert.equal(st.failures[0].attempts, 1, 'a refusal is not retried');
    assert.match(st.failures[0].reason, /^refused: /);
    const { openStore } = await import('../store/index.js');
    const store = await openStore(PG!, { schema });
    try {
      const stored = await store.articles({});
      assert.equal(stored.total, 1);
      assert.equal(stored.items[0].url, arabic.url);
      assert.equal((await store.articles({ q: 'معرة' })).total, 1, 'the article is searchable (its search text computed in the pool thread)');
    } finally {
      await store.close();
    }
  } finally {
    await w.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await dropSchema(PG!, schema).catch(() => {});
  }
});
