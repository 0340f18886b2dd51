// PostgreSQL going away and coming back, without touching the shared server: the store and the
// API reach PostgreSQL through a throwaway TCP proxy of this test; "going away" closes the proxy
// and cuts every connection, "coming back" listens again on the same port. The process must not
// crash, requests during the outage get a clean error, and service resumes by itself after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { openStore, isPostgresUrl } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { buildServer } from '../../src/serve/server.js';
import { corpus } from '../../src/serve/testdata.js';
import { openQueue, enqueueArticles } from '../../src/scale/queue.js';
import { startQueueWorker } from '../../src/scale/worker.js';
import type { Article } from '../../src/types.js';

const PG = process.env.DATABASE_URL;
const REDIS = process.env.REDIS_URL;
const skip = isPostgresUrl(PG) ? undefined : 'DATABASE_URL is not set to a postgres:// URL: PostgreSQL outage not tested';
const skipQueue = isPostgresUrl(PG) && REDIS ? undefined : 'REDIS_URL and DATABASE_URL must both be set: Redis outage not tested';

/** A TCP proxy to host:port that can be cut (every connection destroyed) and restarted on the same port. */
class CuttableProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly target: number,
  ) {}
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(this.port, '127.0.0.1', () => res());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((res) => (s ? s.close(() => res()) : res()));
  }
}

describe('PostgreSQL going away and coming back', { skip }, () => {
  let proxy: CuttableProxy;
  let store: Store;
  let app: FastifyInstance;
  const schema = `marsad_outage_${randomBytes(5).toString('hex')}`;

  before(async () => {
    const url = new URL(PG!);
    proxy = new CuttableProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    store = await openStore(url.toString(), { schema });
    for (const { article, result } of corpus()) await store.saveArticle(article, result, 'outage-1');
    app = await buildServer({ store, webRoot: null, rateLimit: 0 });
  });
  after(async () => {
    await app?.close();
    await store?.close().catch(() => undefined);
    await proxy?.cut();
    const { dropSchema } = await import('../../src/store/postgres.js');
    await dropSchema(PG!, schema);
  });

  test('requests fail cleanly during the outage and succeed again once PostgreSQL is back, no restart', async () => {
    const before = await app.inject({ url: '/api/events' });
    assert.equal(before.statusCode, 200);
    const total = before.json().total as number;
    assert.ok(total > 0);

    await proxy.cut(); // the database goes away; idle pooled connections die
    await new Promise((r) => setTimeout(r, 300));
    const during = await app.inject({ url: '/api/events' });
    assert.ok(during.statusCode >= 500, `during the outage: ${during.statusCode}`);
    assert.deepEqual(Object.keys(during.json()), ['error']);
    assert.doesNotMatch(during.body, /ECONNREFUSED|127\.0\.0\.1|\/work\//);

    await proxy.start(); // it comes back on the same address
    let after = during;
    for (let i = 0; i < 20 && after.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100 * (i + 1))); // the client's own backoff
      after = await app.inject({ url: '/api/events' });
    }
    assert.equal(after.statusCode, 200, after.body);
    assert.equal(after.json().total, total, 'the same data after the outage');
    // Writes work again too.
    const a = corpus()[0].article;
    const saved = await store.saveArticle({ ...a, url: 'https://example.org/after-outage', text: a.text + ' ' }, corpus()[0].result, 'outage-1');
    assert.equal(saved.duplicate, false);
  });
});

describe('Redis going away and coming back under a queue worker', { skip: skipQueue }, () => {
  test('the worker survives the outage and processes the jobs enqueued meanwhile once Redis is back', async () => {
    const url = new URL(REDIS!);
    const proxy = new CuttableProxy(url.hostname, Number(url.port || 6379));
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const schema = `marsad_redis_outage_${randomBytes(5).toString('hex')}`;
    const queueName = `marsad-outage-${randomBytes(4).toString('hex')}`;
    const store = await openStore(PG!, { schema });
    const queue = openQueue({ queueName, redisUrl: REDIS });
    const log: string[] = [];
    const worker = await startQueueWorker({ queueName, redisUrl: url.toString(), store, threads: 0, concurrency: 1, log: (l) => log.push(l) });
    const base = corpus().map((c) => c.article);
    const articles: Article[] = [0, 1, 2, 3].map((i) => ({ ...base[i % base.length], url: `https://example.org/redis-outage/${i}`, text: `${base[i % base.length].text}${' '.repeat(i)}` }));
    const enqueue = (list: Article[]) => enqueueArticles(queue, list.map((article, i) => ({ article, source: `outage#${i}` })), 'outage-1');
    const waitStored = async (n: number, ms: number) => {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        if ((await store.articles({ limit: 1 })).total >= n) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    };
    try {
      await enqueue(articles.slice(0, 2));
      assert.ok(await waitStored(2, 30_000), `first jobs processed (${log.join(' | ')})`);
      await proxy.cut(); // Redis goes away for the worker
      await enqueue(articles.slice(2)); // the producer still reaches Redis
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await store.articles({ limit: 1 })).total, 2, 'nothing processed while the worker cannot reach Redis');
      await proxy.start(); // Redis is back on the same address
      assert.ok(await waitStored(4, 60_000), `jobs enqueued during the outage processed after it (${log.slice(-5).join(' | ')})`);
      assert.equal((await store.articles({ limit: 10 })).total, 4, 'nothing doubled');
    } finally {
      await worker.close().catch(() => undefined);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await store.close();
      await proxy.cut();
      const { dropSchema } = await import('../../src/store/postgres.js');
      await dropSchema(PG!, schema);
    }
  });
});
