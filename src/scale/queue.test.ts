// Queue mode end to end against the real Redis and PostgreSQL (CI sets REDIS_URL, DATABASE_URL):
// separate worker processes on one queue, one of them SIGKILLed while it holds jobs, a poison
// article, and the final database compared with a single-process run over the same input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Article } from '../types.js';
import type { Store } from '../store/types.js';
import { devArticles, repeatArticles } from './corpus.js';
import { allEvents, eventSignature, perSourceFigures } from '../store/testing.js';
import { enqueueArticles, jobIdFor, openQueue, queueStatus, type ReadItem } from './queue.js';
import { extractorVersion, loadExtractor } from './extractor.js';

const REDIS = process.env.REDIS_URL;
const PG = process.env.DATABASE_URL;
const skip = !REDIS || !PG ? 'REDIS_URL and DATABASE_URL must both be set: queue-mode tests skipped' : false;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function startWorker(queueName: string, schema: string, env: Record<string, string>): { proc: ChildProcess; ready: Promise<void>; log: string[] } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--queue-name', queueName, '--pg-schema', schema,
      '--concurrency', '2', '--lock-ms', '2000', '--stalled-ms', '500'],
    { cwd: ROOT, env: { ...process.env, MARSAD_BACKOFF_MS: '100', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    proc.stderr!.setEncoding('utf8').on('data', (s: string) => {
      log.push(s);
      if (s.includes('ready on queue')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`worker exited (${code}) before ready: ${log.join('')}`)));
  });
  return { proc, ready, log };
}

const stop = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });


test('several workers on one queue: exactly-once in effect, a SIGKILLed worker changes nothing, poison ends in the dead-letter list', { skip, timeout: 180_000 }, async () => {
  const run = randomBytes(4).toString('hex');
  const queueName = `marsad-test-${run}`;
  const schema = `marsad_scale_${run}`;
  const refSchema = `marsad_scale_ref_${run}`;
  // 48 reports of the seed incidents on 6 dates 40 days apart (8 outlets each: they must merge) + 1 poison.
  const articles: Article[] = [...repeatArticles(devArticles(), 48, { dates: 6, spacing: 40, tag: `q${run}` })];
  const poison: Article = { ...articles[0], id: `poison-${run}`, url: `https://repeat.marsad.invalid/poison/${run}` };
  const hang = articles[0].id!; // the first job: worker A takes it, hangs on it, and is killed
  const queue = openQueue({ queueName, redisUrl: REDIS });
  const { openStore } = await import('../store/index.js');
  const { dropSchema } = await import('../store/postgres.js');
  const workers: ChildProcess[] = [];
  let store: Store | undefined;
  let ref: Store | undefined;
  try {
    const version = await extractorVersion();
    const items: ReadItem[] = [...articles, poison].map((article, i) => ({ article, source: `test:${i + 1}` }));
    const first = await enqueueArticles(queue, items, version, { batchSize: 20 });
    assert.equal(first.added, items.length);
    const again = await enqueueArticles(queue, items, version);
    assert.equal(again.added, 0, 're-enqueueing the same articles adds no job');

    // Worker A takes the first job and spins on it (test-only MARSAD_HANG_ON) until killed.
    const a = startWorker(queueName, schema, { MARSAD_HANG_ON: hang, MARSAD_FAIL_ON: poison.id! });
    workers.push(a.proc);
    await a.ready;
    const hangJob = jobIdFor(articles[0], version);
    for (let i = 0; i < 200 && (await queue.getJobState(hangJob)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await queue.getJobState(hangJob), 'active', 'worker A holds the job');

    const b = startWorker(queueName, schema, { MARSAD_FAIL_ON: poison.id! });
    const c = startWorker(queueName, schema, { MARSAD_FAIL_ON: poison.id! });
    workers.push(b.proc, c.proc);
    await Promise.all([b.ready, c.ready]);
    a.proc.kill('SIGKILL');

    let st = await queueStatus(queue);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      st = await queueStatus(queue);
      const c = st.counts;
      if (c.waiting + c.active + c.delayed + c.prioritized === 0 && c.completed + c.failed === items.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(st.counts.completed, articles.length, `all good articles completed: ${JSON.stringify(st.counts)}`);
    assert.equal(st.counts.failed, 1);
    assert.equal(st.failures[0].article, poison.id);
    assert.equal(st.failures[0].attempts, 3);
    assert.match(st.failures[0].reason, /injected failure/);

    // The workers' database: each article once, and the same events as one process writing alone.
    store = await openStore(PG, { schema });
    ref = await openStore(PG, { schema: refSchema });
    const ex = await loadExtractor();
    let extracted = 0;
    for (const art of articles) {
      const r = ex.extract(art);
      extracted += r.events.length;
      await ref.saveArticle(art, r, version, 'ref');
    }
    assert.equal((await store.articles({ limit: 1 })).total, articles.length);
    const gotEvents = await allEvents(store);
    const wantEvents = await allEvents(ref);
    const got = gotEvents.map(eventSignature).sort();
    const want = wantEvents.map(eventSignature).sort();
    // 8 reports per date: each incident stored once with its 8 sources, not 8 times.
    assert.ok(want.length > 0 && want.length * 4 < extracted, `reports of one incident merged (${want.length} of ${extracted})`);
    assert.deepEqual(got, want);
    assert.deepEqual(perSourceFigures(gotEvents), perSourceFigures(wantEvents));
    assert.equal(perSourceFigures(gotEvents).length, extracted, 'every extracted event is one source of one stored event');
  } finally {
    await Promise.all(workers.map(stop));
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await store?.close();
    await ref?.close();
    await dropSchema(PG!, schema).catch(() => {});
    await dropSchema(PG!, refSchema).catch(() => {});
  }
});
