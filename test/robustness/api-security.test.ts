// The HTTP API facing the internet: tokens, read restriction, body size, rate limit, request
// timeout, strict schemas, SQL injection in every filter of /api/events and /api/articles
// (SQLite, and PostgreSQL when DATABASE_URL is set), CORS, and error bodies without stack
// traces or file paths. Real store, real buildServer(), fastify inject() and a real socket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/types.js';
import { testEngines } from '../../src/store/testing.js';
import { buildServer, type ServeExtractor } from '../../src/serve/server.js';
import { tokenMatches, requestToken } from '../../src/serve/auth.js';
import { corpus, afpArticle } from '../../src/serve/testdata.js';

const WRITE = 'w-robust-5be1f09a77';
const READ = 'r-robust-0c4d2e8a13';

/** Stack frames, absolute paths, source file names: what an error body must never show. */
const LEAK = /^\s+at |\bat [^\s]+ \(|\/work\/|\/home\/|\/tmp\/|node_modules|\.ts:\d|\.js:\d|[A-Z]:\\/m;

// An extractor whose failures carry a path and a stack, to see that neither reaches a client.
const leakyExtractor: ServeExtractor = {
  version: 'robust-1',
  extract(a) {
    if (a.text.includes('FAIL')) {
      const e = new Error(`ENOENT: no such file or directory, open '/work/main/lexicon/secret.tsv'\n    at readFileSync (node:fs:441:20)\n    at load (/work/main/src/extract/lexicon.ts:12:3)`);
      throw e;
    }
    return { events: [], figures: [], mentions: [], warnings: [] };
  },
};

export const INJECTIONS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  "1; DROP TABLE events; --",
  "'; DROP TABLE articles; --",
  "x'); DELETE FROM events; --",
  "' UNION SELECT name, sql FROM sqlite_master --",
  "' UNION SELECT table_name FROM information_schema.tables --",
  "' || (SELECT version()) || '",
  "1' AND SLEEP(5) --",
  "'; SELECT pg_sleep(5); --",
  '\\\'; DELETE FROM articles; --',
  '%',
  '_',
  '%\' OR \'%\'=\'',
  '"',
  'NEAR(قصف إدلب)',
  'title:* OR text:*',
  '* AND NOT -',
  '$1',
  '?',
  '\u0000',
  "قصف' OR 'ا'='ا",
];

for (const engine of testEngines()) {
  describe(`API security on ${engine.name}`, { skip: engine.skip }, () => {
    let store: Store;
    let db: string;
    let cleanup: () => Promise<void>;
    let app: FastifyInstance;
    let eventId: string;
    let articleId: string;
    let baseline: { events: number; articles: number; figures: number };
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
    const errorBodies: string[] = [];

    before(async () => {
      const opened = await engine.open();
      store = opened.store;
      db = opened.db;
      cleanup = opened.cleanup;
      for (const { article, result } of corpus()) articleId = (await store.saveArticle(article, result, 'robust-1')).article_id;
      app = await buildServer({ store, token: WRITE, webRoot: null, extract: leakyExtractor, rateLimit: 0 });
      const ev = await store.events({ limit: 1 });
      eventId = ev.items[0].id;
      baseline = { events: ev.total, articles: (await store.articles({ limit: 1 })).total, figures: (await store.figures({ limit: 1 })).total };
      assert.ok(baseline.events >= 2 && baseline.articles === 3);
    });
    after(async () => {
      await app?.close();
      await cleanup?.();
      for (const b of errorBodies) assert.doesNotMatch(b, LEAK, b);
    });

    test('write routes need the write token: 401 without or with a wrong one, 403 when writes are disabled', async () => {
      const body = { article: { text: afpArticle.text, date: '2019-12-24' } };
      const post = (url: string, headers: Record<string, string> = {}, a: FastifyInstance = app) => a.inject({ method: 'POST', url, payload: body, headers });
      for (const url of ['/api/articles', '/api/extract?store=true']) {
        const none = await post(url);
        assert.equal(none.statusCode, 401, url);
        const wrong = await post(url, { authorization: 'Bearer w-robust-5be1f09a78' });
        assert.equal(wrong.statusCode, 401);
        const readOnly = await post(url, { authorization: `Bearer ${READ}` });
        assert.equal(readOnly.statusCode, 401);
        const prefix = await post(url, { authorization: `Bearer ${WRITE.slice(0, -1)}` });
        assert.equal(prefix.statusCode, 401);
        errorBodies.push(none.body, wrong.body);
      }
      const ok = await post('/api/articles', { authorization: `Bearer ${WRITE}` });
      assert.equal(ok.statusCode, 201);
      const readonlyServer = await buildServer({ store, webRoot: null, extract: leakyExtractor, rateLimit: 0 });
      try {
        const r = await post('/api/articles', { authorization: `Bearer ${WRITE}` }, readonlyServer);
        assert.equal(r.statusCode, 403);
      } finally {
        await readonlyServer.close();
      }
      assert.equal((await store.articles({ limit: 1 })).total, baseline.articles + 1);
      baseline.articles++;
    });

    test('the API refuses what ingest refuses: non-Arabic, binary text; repairs are warnings', async () => {
      const persian = 'به گزارش خبرگزاری‌ها، در حمله پهپادی به شهر حلب دست‌کم ۱۲ نفر کشته شدند و این حمله از سوی نیروهای ترکیه انجام شده است.';
      const one = await app.inject({ method: 'POST', url: '/api/extract', payload: { article: { text: persian } } });
      assert.equal(one.statusCode, 422);
      assert.match(one.json().error, /^not Arabic \(Persian\)/);
      const batch = await app.inject({ method: 'POST', url: '/api/extract', payload: { articles: [{ text: persian }, { text: `${afpArticle.text}\u0000` }] } });
      assert.equal(batch.statusCode, 200);
      const [fa, ar] = batch.json().results;
      assert.match(fa.error, /^not Arabic \(Persian\)/);
      assert.equal(ar.error, undefined);
      assert.ok(ar.warnings.some((w: string) => /control character\(s\) \(1 NUL\) removed/.test(w)));
      const stored = await app.inject({ method: 'POST', url: '/api/articles', headers: { authorization: `Bearer ${WRITE}` }, payload: { articles: [{ text: 'Clashes continued near Idlib on Sunday, the Syrian Observatory said.' }] } });
      assert.equal(stored.statusCode, 422);
      assert.match(stored.json().results[0].error, /^not Arabic \(English\)/);
      assert.equal((await store.articles({ limit: 1 })).total, baseline.articles);
      errorBodies.push(one.body, stored.body);
    });

    test('tokens are compared in constant time (sha256 then timingSafeEqual), never with ===', () => {
      const src = readFileSync(fileURLToPath(new URL('../../src/serve/auth.ts', import.meta.url)), 'utf8');
      assert.match(src, /timingSafeEqual\(digest\(given\), digest\(expected\)\)/);
      assert.doesNotMatch(src.replace(/\/\/.*$/gm, ''), /given\s*===?\s*expected|expected\s*===?\s*given/);
      const server = readFileSync(fileURLToPath(new URL('../../src/serve/server.ts', import.meta.url)), 'utf8');
      assert.doesNotMatch(server, /token\s*===|===\s*opts\.(token|readToken)/);
      assert.equal(tokenMatches('abc', 'abc'), true);
      assert.equal(tokenMatches('abc', 'abcd'), false);
      assert.equal(tokenMatches('', ''), false);
      assert.equal(tokenMatches(undefined, 'x'), false);
      assert.equal(requestToken({ authorization: 'Basic abc' }), undefined);
    });

    test('reads can be restricted with a read token (every read route)', async () => {
      const restricted = await buildServer({ store, token: WRITE, readToken: READ, webRoot: null, rateLimit: 0 });
      try {
        const routes = [
          '/api/events',
          `/api/events/${encodeURIComponent(eventId)}`,
          '/api/articles',
          `/api/articles/${encodeURIComponent(articleId)}`,
          '/api/figures',
          '/api/aggregates?by=day',
          '/api/export?format=jsonl',
        ];
        for (const url of routes) {
          const none = await restricted.inject({ url });
          assert.equal(none.statusCode, 401, url);
          errorBodies.push(none.body);
          assert.equal((await restricted.inject({ url, headers: { authorization: 'Bearer nope' } })).statusCode, 401, url);
          assert.equal((await restricted.inject({ url, headers: { authorization: `Bearer ${READ}` } })).statusCode, 200, url);
          assert.equal((await restricted.inject({ url, headers: { 'x-marsad-token': WRITE } })).statusCode, 200, url);
        }
        assert.equal((await restricted.inject({ url: '/api/health' })).statusCode, 200);
      } finally {
        await restricted.close();
      }
    });

    test('request size limit: 413 with a JSON error, nothing stored', async () => {
      const small = await buildServer({ store, token: WRITE, webRoot: null, extract: leakyExtractor, bodyLimit: 20_000, rateLimit: 0 });
      try {
        const r = await small.inject({
          method: 'POST',
          url: '/api/articles',
          headers: { authorization: `Bearer ${WRITE}` },
          payload: { article: { text: 'قصف '.repeat(10_000) } },
        });
        assert.equal(r.statusCode, 413);
        assert.deepEqual(r.json(), { error: 'request body too large' });
        // An article above the schema's 500 000 characters is refused too, even under the byte limit.
        const big = await app.inject({ method: 'POST', url: '/api/articles', headers: { authorization: `Bearer ${WRITE}` }, payload: { article: { text: 'ا'.repeat(500_001) } } });
        assert.equal(big.statusCode, 400);
        errorBodies.push(r.body, big.body);
      } finally {
        await small.close();
      }
      assert.equal((await store.articles({ limit: 1 })).total, baseline.articles);
    });

    test('rate limit: 429 beyond the configured requests per minute', async () => {
      const limited = await buildServer({ store, webRoot: null, rateLimit: 5 });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 7; i++) codes.push((await limited.inject({ url: '/api/events?limit=1' })).statusCode);
        assert.deepEqual(codes, [200, 200, 200, 200, 200, 429, 429]);
        const r = await limited.inject({ url: '/api/events' });
        assert.equal(r.statusCode, 429);
        assert.ok(r.headers['retry-after']);
        errorBodies.push(r.body);
      } finally {
        await limited.close();
      }
    });

    test('a client that never finishes its request is cut by the request timeout (slow loris)', async () => {
      const slow = await buildServer({ store, token: WRITE, webRoot: null, rateLimit: 0, requestTimeoutMs: 600 });
      try {
        await slow.listen({ port: 0, host: '127.0.0.1' });
        const port = (slow.server.address() as { port: number }).port;
        // Classic slow loris: headers never finished; then a body that stalls after the headers.
        const slowClient = (payload: string) =>
          new Promise<{ reply: string; ms: number }>((resolve, reject) => {
            const t0 = Date.now();
            const sock = connect(port, '127.0.0.1', () => sock.write(payload));
            let data = '';
            const timer = setTimeout(() => {
              sock.destroy();
              reject(new Error('the server kept the slow connection open for 10 s'));
            }, 10_000);
            sock.on('data', (d) => (data += d));
            sock.on('close', () => {
              clearTimeout(timer);
              resolve({ reply: data, ms: Date.now() - t0 });
            });
            sock.on('error', () => undefined);
          });
        const headers = await slowClient('GET /api/events HTTP/1.1\r\nHost: x\r\nX-Slow: 1');
        assert.ok(headers.reply === '' || /^HTTP\/1\.1 408/.test(headers.reply), headers.reply); // 408, or closed when idle
        assert.ok(headers.ms >= 500 && headers.ms < 9_000, `closed after ${headers.ms} ms`);
        const body = await slowClient(`POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${WRITE}\r\n\r\n{"article":`);
        assert.ok(body.ms >= 500 && body.ms < 9_000, `closed after ${body.ms} ms`);
        assert.equal((await store.articles({ limit: 1 })).total, baseline.articles);
      } finally {
        await slow.close();
      }
    });

    test('strict schemas: unknown or invalid parameters are 400 with the field named', async () => {
      const cases = [
        '/api/events?foo=1',
        '/api/events?limit=0',
        '/api/events?limit=1001',
        '/api/events?limit=-1',
        '/api/events?limit=1e3',
        '/api/events?offset=-5',
        '/api/events?from=2020-02-30',
        '/api/events?from=2020-1-1',
        '/api/events?bbox=1,2,3',
        '/api/events?bbox=200,0,0,0',
        '/api/events?event_type=Picnics',
        '/api/events?sort=id;DROP',
        '/api/events?min_fatalities=abc',
        '/api/events?background=maybe',
        '/api/events?__proto__=x',
        '/api/events?constructor[prototype][x]=1',
        '/api/articles?outlet=',
        '/api/articles?limit=abc',
        '/api/articles?event_type=Battles',
        '/api/aggregates?by=password',
        '/api/export?format=exe',
      ];
      const long = await get(`/api/events/${'x'.repeat(201)}`);
      assert.ok(long.statusCode === 400 || long.statusCode === 414, `${long.statusCode}`);
      errorBodies.push(long.body);
      for (const url of cases) {
        const r = await get(url);
        assert.equal(r.statusCode, 400, `${url}: ${r.statusCode} ${r.body}`);
        const b = r.json();
        assert.ok(typeof b.error === 'string' && Array.isArray(b.details) && b.details.length > 0, url);
        errorBodies.push(r.body);
      }
    });

    test('SQL injection strings in every filter parameter: never 500, no data leaked, tables intact', async () => {
      const eventParams = ['from', 'to', 'country', 'admin1', 'admin2', 'bbox', 'event_type', 'sub_event_type', 'actor', 'min_fatalities', 'source', 'q', 'background', 'sort', 'limit', 'offset'];
      const articleParams = ['q', 'outlet', 'from', 'to', 'limit', 'offset'];
      const tried: string[] = [];
      for (const [route, params, total] of [
        ['/api/events', eventParams, baseline.events],
        ['/api/articles', articleParams, baseline.articles],
        ['/api/aggregates?by=actor&', eventParams, baseline.events],
        ['/api/export?format=jsonl&', eventParams.filter((p) => p !== 'sort'), baseline.events],
      ] as const) {
        for (const p of params) {
          for (const inj of INJECTIONS) {
            const sep = route.includes('?') ? '' : '?';
            const url = `${route}${sep}${p}=${encodeURIComponent(inj)}`;
            const r = await get(url);
            tried.push(url);
            assert.ok(r.statusCode === 200 || r.statusCode === 400, `${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
            if (r.statusCode === 400) {
              errorBodies.push(r.body);
              continue;
            }
            if (route === '/api/events' || route === '/api/articles') {
              const b = r.json() as { total: number; items: unknown[] };
              // A filter can only narrow: never more rows than exist, never rows of another table.
              assert.ok(b.total <= total && b.items.length <= total, `${url}: ${b.total} rows`);
              // Quote-breaking strings match nothing: they are compared as text, not run as SQL.
              // (q is a full-text query: its quotes and operators are dropped, so it is not checked here.)
              if (/['"]/.test(inj) && !['q', 'sort', 'limit', 'offset', 'bbox', 'event_type', 'background', 'from', 'to', 'min_fatalities'].includes(p))
                assert.equal(b.total, 0, `${url} matched ${b.total}`);
              assert.doesNotMatch(r.body, /CREATE TABLE|sqlite_master|information_schema|PostgreSQL \d/);
            }
          }
        }
      }
      // Tables intact: the same rows, the store still answers, the schema is all there.
      assert.equal((await store.events({ limit: 1 })).total, baseline.events);
      assert.equal((await store.articles({ limit: 1 })).total, baseline.articles);
      assert.equal((await store.figures({ limit: 1 })).total, baseline.figures);
      assert.equal((await get('/api/events?q=' + encodeURIComponent('معرة النعمان'))).statusCode, 200);
      if (engine.name === 'sqlite') {
        const raw = new Database(db, { readonly: true });
        try {
          const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
          for (const t of ['articles', 'events', 'figures']) assert.ok(tables.includes(t), `table ${t}`);
          assert.equal((raw.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
        } finally {
          raw.close();
        }
      }
      assert.ok(tried.length >= 1000, `${tried.length} injection requests`);
      console.log(`SQL injection: ${tried.length} requests on ${engine.name}, no 500, no leak`);
    });

    test('CORS is closed: no Access-Control-Allow-Origin for a foreign origin, preflight refused', async () => {
      const r = await get('/api/events', { origin: 'https://evil.example' });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
      assert.equal(r.headers['access-control-allow-credentials'], undefined);
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/articles',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      assert.notEqual(pre.statusCode, 204);
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
      assert.equal(pre.headers['access-control-allow-methods'], undefined);
      errorBodies.push(pre.body);
    });

    test('errors never leak stack traces or file paths', async () => {
      const auth = { authorization: `Bearer ${WRITE}` };
      const bodies: string[] = [];
      const add = (r: { statusCode: number; body: string }, status?: number) => {
        if (status) assert.equal(r.statusCode, status, r.body);
        bodies.push(r.body);
      };
      add(await app.inject({ method: 'POST', url: '/api/articles', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"article": {"text": "x"' }), 400);
      add(await app.inject({ method: 'POST', url: '/api/articles', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' }), 415);
      add(await app.inject({ method: 'POST', url: '/api/articles', headers: { ...auth, 'content-type': 'application/json' }, payload: '' }), 400);
      add(await app.inject({ method: 'GET', url: '/api/../../etc/passwd' }));
      add(await app.inject({ method: 'GET', url: '/api/nothing/here' }), 404);
      add(await app.inject({ method: 'DELETE', url: '/api/events' }), 404);
      add(await get(`/api/events/${encodeURIComponent("' OR 1=1 --")}`), 404);
      add(await get('/api/events/%00'), 400);
      add(await get(`/api/articles/${encodeURIComponent("x' UNION SELECT 1 --")}`), 404);
      // The extractor fails with a path and a stack in its message: batch slot and single article.
      const failing = `FAIL ${afpArticle.text}`;
      add(await app.inject({ method: 'POST', url: '/api/extract', payload: { articles: [{ text: failing }, { text: 'قصف على حلب' }] } }), 200);
      add(await app.inject({ method: 'POST', url: '/api/articles', headers: auth, payload: { article: { text: failing } } }), 422);
      // The store fails (a database error carrying a path and a stack): a bare 500.
      const broken = new Proxy(store, {
        get(target, prop, recv) {
          if (prop === 'events' || prop === 'articles')
            return async () => {
              const e = new Error(`SQLITE_CORRUPT: database disk image is malformed (/work/main/marsad.db)`);
              e.stack = `${e.message}\n    at SqliteStore.events (/work/main/src/store/sqlite.ts:301:11)`;
              throw e;
            };
          return Reflect.get(target, prop, recv);
        },
      });
      const bad = await buildServer({ store: broken, webRoot: null, rateLimit: 0 });
      try {
        const r = await bad.inject({ url: '/api/events' });
        add(r, 500);
        assert.deepEqual(r.json(), { error: 'internal error' });
        add(await bad.inject({ url: '/api/articles' }), 500);
      } finally {
        await bad.close();
      }
      for (const b of bodies) assert.doesNotMatch(b, LEAK, b);
      assert.ok(bodies.some((b) => /no such file/.test(b)), 'the first line of the extractor error is still told (without its path)');
      errorBodies.push(...bodies);
    });
  });
}
