// Every API route, with its errors, through fastify's inject() against a real store: SQLite in a
// temp dir always, PostgreSQL too when DATABASE_URL is set (the same suite). The store is filled
// through store.saveArticle with real Arabic reports and hand-coded extraction results.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Store, StoredEvent } from '../store/types.js';
import { testEngines } from '../store/testing.js';
import { ACLED_COLUMNS } from '../export/acled.js';
import { buildServer } from './server.js';
import { afpArticle, corpus, sanaArticle, seedArticle } from './testdata.js';

const WRITE = 'w-7f3a9c1e2b';
const READ = 'r-44d0aa91c8';

/** Minimal strict CSV reader (RFC 4180 quoting) for checking the downloaded file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') row.push(f), (f = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(f), rows.push(row), (row = []), (f = ''), i++;
    else f += c;
  }
  if (f || row.length) row.push(f), rows.push(row);
  return rows;
}

for (const engine of testEngines()) {
  describe(`API on ${engine.name}`, { skip: engine.skip }, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: FastifyInstance;
    let ids: { seed: string; sana: string; afp: string };

    before(async () => {
      const opened = await engine.open();
      store = opened.store;
      cleanup = opened.cleanup;
      const saved = [];
      for (const { article, result } of corpus()) saved.push(await store.saveArticle(article, result, 'test-1'));
      ids = { seed: saved[0].article_id, sana: saved[1].article_id, afp: saved[2].article_id };
      app = await buildServer({ store, token: WRITE, webRoot: null });
    });
    after(async () => {
      await app?.close();
      await cleanup?.();
    });

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    test('GET /api/health', async () => {
      const r = await get('/api/health');
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().status, 'ok');
    });

    test('GET /api/events: all, newest first, with total', async () => {
      const r = await get('/api/events');
      assert.equal(r.statusCode, 200);
      const body = r.json() as { total: number; items: StoredEvent[] };
      assert.equal(body.total, body.items.length);
      assert.ok(body.total >= 3, `expected the three reported happenings, got ${body.total}`);
      const types = body.items.map((e) => e.sub_event_type).sort();
      assert.ok(types.includes('Air/drone strike') && types.includes('Excessive force against protesters') && types.includes('Armed clash'));
    });

    test('GET /api/events: filters (country, type list, bbox, Arabic text, actor, source, fatalities, paging)', async () => {
      const total = (url: string) => get(url).then((r) => (assert.equal(r.statusCode, 200, r.body), (r.json() as { total: number; items: StoredEvent[] })));
      const iraq = await total('/api/events?country=Iraq');
      assert.equal(iraq.total, 1);
      assert.equal(iraq.items[0].location?.admin1, 'Baghdad');
      // repeated parameter and comma list mean the same
      const a = await total('/api/events?event_type=Battles&event_type=Protests');
      const b = await total('/api/events?event_type=Battles,Protests');
      assert.equal(a.total, b.total);
      assert.ok(a.items.every((e) => e.event_type === 'Battles' || e.event_type === 'Protests'));
      assert.ok(a.total >= 2);
      // Idlib/Aleppo box leaves Baghdad out
      const box = await total('/api/events?bbox=36.5,35.5,37.5,36.5');
      assert.ok(box.total >= 2 && box.items.every((e) => e.location?.country === 'Syria'));
      const arabic = await total(`/api/events?q=${encodeURIComponent('مشيميس')}`);
      assert.ok(arabic.items.some((e) => e.sources.some((x) => x.event.location?.name_ar === 'مشيميس')));
      assert.ok(arabic.items.every((e) => e.location?.country === 'Syria'));
      const actor = await total(`/api/events?actor=${encodeURIComponent('قوات الأمن العراقية')}`);
      assert.deepEqual(actor.items.map((e) => e.location?.country), ['Iraq']);
      const src = await total(`/api/events?source=${encodeURIComponent('فرانس برس')}`);
      assert.deepEqual(src.items.map((e) => e.event_type), ['Protests']);
      const deadly = await total('/api/events?min_fatalities=10');
      assert.ok(deadly.items.length >= 1 && deadly.items.every((e) => e.fatalities_best >= 10 || e.fatalities >= 10));
      const dates = await total('/api/events?from=2020-01-27');
      assert.equal(dates.total, 0);
      const p1 = await total('/api/events?limit=1&offset=0&sort=-fatalities');
      const p2 = await total('/api/events?limit=1&offset=1&sort=-fatalities');
      assert.equal(p1.items.length, 1);
      assert.notEqual(p1.items[0].id, p2.items[0].id);
      assert.equal(p1.total, (await total('/api/events')).total, 'total ignores paging');
      assert.ok(p1.items[0].fatalities >= p2.items[0].fatalities);
    });

    test('GET /api/events: bad input is a 400 with details, never a stack', async () => {
      for (const url of [
        '/api/events?event_type=Airstrike',
        '/api/events?bbox=36,35,37',
        '/api/events?bbox=40,35,37,36',
        '/api/events?limit=5000',
        '/api/events?limit=-1',
        '/api/events?from=2020-02-30',
        '/api/events?min_fatalities=many',
        '/api/events?sort=random',
        '/api/events?colour=red',
      ]) {
        const r = await get(url);
        assert.equal(r.statusCode, 400, url);
        const body = r.json() as { error: string; details: { path: string; message: string }[] };
        assert.equal(body.error, 'invalid query');
        assert.ok(body.details.length >= 1, url);
        assert.doesNotMatch(r.body, /at \w+ \(|node_modules|\/work\//, url);
      }
      const unknown = (await get('/api/events?colour=red')).json() as { details: { message: string }[] };
      assert.match(unknown.details[0].message, /colour/);
    });

    test('GET /api/events/:id: sources and evidence spans that point into the articles', async () => {
      const list = (await get('/api/events?sort=-fatalities')).json() as { items: StoredEvent[] };
      const clash = list.items.find((e) => e.sub_event_type === 'Armed clash')!;
      const r = await get(`/api/events/${clash.id}`);
      assert.equal(r.statusCode, 200);
      const ev = r.json() as StoredEvent;
      assert.ok(ev.sources.length >= 1);
      const seed = seedArticle();
      for (const s of ev.sources) {
        const text = s.article_id === ids.seed ? seed.text : s.article_id === ids.sana ? sanaArticle.text : afpArticle.text;
        for (const spans of Object.values(s.event.evidence)) for (const sp of spans) assert.equal(text.slice(sp.start, sp.end), sp.text);
      }
      const nf = await get('/api/events/ev_doesnotexist');
      assert.equal(nf.statusCode, 404);
      assert.match(nf.json().error, /no event/);
    });

    test('GET /api/articles and /api/articles/:id (events and figures)', async () => {
      const r = await get('/api/articles');
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().total, 3);
      const outlet = await get(`/api/articles?outlet=${encodeURIComponent('سانا')}`);
      assert.deepEqual(outlet.json().items.map((a: { id: string }) => a.id), [ids.sana]);
      const one = await get(`/api/articles/${ids.sana}`);
      assert.equal(one.statusCode, 200);
      const body = one.json() as { title: string; events: string[]; figures: { kind: string; value: number }[] };
      assert.equal(body.title, sanaArticle.title);
      assert.equal(body.events.length, 1);
      const ev = (await get(`/api/events/${body.events[0]}`)).json() as StoredEvent;
      assert.ok(ev.sources.some((s) => s.article_id === ids.sana));
      assert.deepEqual(body.figures.map((f) => [f.kind, f.value]), [['displaced', 358000]]);
      // The seed's events, found through the article filter of /api/events (also once merged with other outlets').
      const seedEvents = (await get(`/api/events?article_id=${ids.seed}&limit=1000`)).json() as { total: number; items: StoredEvent[] };
      assert.ok(seedEvents.total > 0, `the seed gives its events (${seedEvents.total})`);
      assert.ok(seedEvents.items.every((e) => e.sources.some((s) => s.article_id === ids.seed)));
      const all = (await get('/api/events?limit=1000')).json() as { items: StoredEvent[] };
      assert.equal(seedEvents.total, all.items.filter((e) => e.sources.some((s) => s.article_id === ids.seed)).length);
      assert.deepEqual(((await get(`/api/articles/${ids.seed}`)).json() as { events: string[] }).events.sort(), seedEvents.items.map((e) => e.id).sort());
      assert.equal((await get('/api/events?article_id=ar_nope')).json().total, 0);
      assert.equal((await get('/api/articles/ar_nope')).statusCode, 404);
      assert.equal((await get('/api/articles?limit=0')).statusCode, 400);
      assert.equal((await get('/api/articles?from=yesterday')).statusCode, 400);
    });

    test('GET /api/figures', async () => {
      const all = (await get('/api/figures')).json();
      assert.equal(all.total, 2);
      const displaced = (await get('/api/figures?kind=displaced')).json();
      assert.equal(displaced.items[0].value, 358000);
      assert.equal(displaced.items[0].evidence[0].text, 'نزوح أكثر من 358 ألف شخص');
      const bySeed = (await get(`/api/figures?article_id=${ids.seed}`)).json();
      assert.deepEqual(bySeed.items.map((f: { kind: string }) => f.kind), ['population']);
      assert.equal((await get('/api/figures?kind=wounded')).statusCode, 400);
    });

    test('GET /api/aggregates by day, by type stacked, filtered; bad `by` is a 400', async () => {
      const day = (await get('/api/aggregates?by=day')).json();
      assert.equal(day.by, 'day');
      const all = (await get('/api/events')).json();
      const sum = day.rows.reduce((n: number, r: { events: number }) => n + r.events, 0);
      assert.equal(sum, all.total);
      assert.equal(day.rows[0].key, '2020-01-26');
      const stacked = (await get('/api/aggregates?by=admin1&stack=event_type')).json();
      assert.ok(stacked.rows.some((r: { key: string; group: string }) => r.key === 'Baghdad' && r.group === 'Protests'));
      const syria = (await get('/api/aggregates?by=event_type&country=Syria')).json();
      assert.ok(syria.rows.every((r: { key: string }) => r.key !== 'Protests'));
      assert.equal((await get('/api/aggregates')).statusCode, 400);
      assert.equal((await get('/api/aggregates?by=week')).statusCode, 400);
      assert.equal((await get('/api/aggregates?by=day&stack=actor')).statusCode, 400);
    });

    test('GET /api/export: ACLED CSV attachment with BOM, Arabic intact; GeoJSON; JSONL; bad format 400', async () => {
      const csv = await get('/api/export?format=acled-csv');
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="marsad-\d{4}-\d{2}-\d{2}\.csv"$/);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const rows = parseCsv(csv.rawPayload.subarray(3).toString('utf8'));
      assert.deepEqual(rows[0].slice(0, 31), [...ACLED_COLUMNS]);
      const total = (await get('/api/events')).json().total;
      assert.equal(rows.length - 1, total);
      assert.ok(rows.some((r) => r.join(',').includes('فرانس برس')));
      const only = parseCsv((await get('/api/export?format=acled-csv&acled_only=true&bom=false&country=Iraq')).body);
      assert.equal(only.length, 2);
      assert.equal(only[0].length, 31);
      assert.equal(only[1][only[0].indexOf('iso')], '368');
      const geo = await get('/api/export?format=geojson');
      assert.equal(geo.statusCode, 200);
      const fc = geo.json();
      assert.equal(fc.type, 'FeatureCollection');
      assert.equal(fc.features.length, total);
      const jsonl = await get('/api/export?format=jsonl&event_type=Protests');
      const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((e: StoredEvent) => e.event_type), ['Protests']);
      assert.equal((await get('/api/export?format=jsonl&background=all')).body.trim().split('\n').length, total);
      assert.equal((await get('/api/export?format=jsonl&background=true')).body, '');
      assert.equal((await get('/api/export?format=xlsx')).statusCode, 400);
      assert.equal((await get('/api/export')).statusCode, 400);
    });

    test('GET /api/openapi.json describes every route', async () => {
      const doc = (await get('/api/openapi.json')).json();
      assert.equal(doc.openapi, '3.1.0');
      for (const p of ['/api/events', '/api/events/{id}', '/api/articles', '/api/articles/{id}', '/api/figures', '/api/aggregates', '/api/extract', '/api/export', '/api/health'])
        assert.ok(doc.paths[p], p);
      const params = doc.paths['/api/events'].get.parameters.map((p: { name: string }) => p.name);
      for (const n of ['from', 'to', 'country', 'admin1', 'admin2', 'bbox', 'event_type', 'sub_event_type', 'actor', 'min_fatalities', 'source', 'q', 'sort', 'limit', 'offset'])
        assert.ok(params.includes(n), n);
      assert.ok(doc.components.schemas.StoredEvent.properties.sources);
      assert.ok(doc.paths['/api/extract'].post.requestBody);
      // every $ref points at a defined component, and every operation documents its responses
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      assert.ok(refs.length > 5);
      for (const name of refs) assert.ok(doc.components.schemas[name], `dangling $ref ${name}`);
      for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>))
        for (const [method, op] of Object.entries(ops)) assert.ok(Object.keys(op.responses).length, `${method} ${path}`);
    });

    test('writes: no token 401, wrong token 401, bad body 400, too large 413, bad JSON 400', async () => {
      const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
        app.inject({ method: 'POST', url, payload: payload as object, headers });
      const article = { article: afpArticle };
      let r = await post('/api/articles', article);
      assert.equal(r.statusCode, 401);
      assert.match(r.json().error, /write token/);
      r = await post('/api/articles', article, { authorization: 'Bearer not-the-token' });
      assert.equal(r.statusCode, 401);
      r = await post('/api/extract?store=true', article, { authorization: 'Bearer nope' });
      assert.equal(r.statusCode, 401);
      r = await post('/api/extract', { article: afpArticle, store: true });
      assert.equal(r.statusCode, 401);
      r = await post('/api/articles', { article: { title: 'no text' } }, { authorization: `Bearer ${WRITE}` });
      assert.equal(r.statusCode, 400);
      assert.ok(r.json().details.some((d: { path: string }) => d.path.includes('text')));
      r = await post('/api/extract', { articles: Array.from({ length: 101 }, () => afpArticle) });
      assert.equal(r.statusCode, 400);
      r = await post('/api/extract', { article: { ...afpArticle, date: '26/01/2020' } });
      assert.equal(r.statusCode, 400);
      r = await post('/api/extract', { article: afpArticle, extra: 1 });
      assert.equal(r.statusCode, 400);
      r = await post('/api/extract', { article: { text: 'x'.repeat(2_100_000) } });
      assert.equal(r.statusCode, 413);
      assert.equal(r.json().error, 'request body too large');
      r = await app.inject({ method: 'POST', url: '/api/extract', payload: '{"article": {"text": ', headers: { 'content-type': 'application/json' } });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error, 'body is not valid JSON');
    });

    test('a server without a write token refuses writes (403); a read token closes reads', async () => {
      const closed = await buildServer({ store, readToken: READ, webRoot: null });
      try {
        assert.equal((await closed.inject({ method: 'POST', url: '/api/articles', payload: { article: afpArticle } })).statusCode, 403);
        assert.equal((await closed.inject('/api/events')).statusCode, 401);
        assert.equal((await closed.inject({ url: '/api/events', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
        assert.equal((await closed.inject({ url: `/api/events/${'x'}`, headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
        assert.equal((await closed.inject('/api/export?format=jsonl')).statusCode, 401);
        assert.equal((await closed.inject('/api/aggregates?by=day')).statusCode, 401);
        assert.equal((await closed.inject('/api/figures')).statusCode, 401);
        assert.equal((await closed.inject(`/api/articles/${ids.afp}`)).statusCode, 401);
        const ok = await closed.inject({ url: '/api/events', headers: { authorization: `Bearer ${READ}` } });
        assert.equal(ok.statusCode, 200);
        const x = await closed.inject({ url: '/api/events?limit=1', headers: { 'x-marsad-token': READ } });
        assert.equal(x.statusCode, 200);
        assert.equal((await closed.inject('/api/health')).statusCode, 200, 'health stays open');
      } finally {
        await closed.close();
      }
      const both = await buildServer({ store, token: WRITE, readToken: READ, webRoot: null });
      try {
        assert.equal((await both.inject({ url: '/api/events', headers: { authorization: `Bearer ${WRITE}` } })).statusCode, 200, 'the write token also reads');
      } finally {
        await both.close();
      }
    });

    test('store failures are a 500 without internals; unknown routes 404 JSON; no CORS headers', async () => {
      const broken = new Proxy(store, {
        get(t, k) {
          if (k === 'events') return async () => {
            throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/marsad/marsad.db');
          };
          return Reflect.get(t, k);
        },
      });
      const b = await buildServer({ store: broken, webRoot: null });
      try {
        const r = await b.inject({ url: '/api/events', headers: { origin: 'https://evil.example' } });
        assert.equal(r.statusCode, 500);
        assert.deepEqual(r.json(), { error: 'internal error' });
        assert.equal(r.headers['access-control-allow-origin'], undefined);
        const nf = await b.inject('/api/nothing');
        assert.equal(nf.statusCode, 404);
        assert.match(nf.json().error, /no route/);
      } finally {
        await b.close();
      }
    });
  });
}

test('export: a client that disconnects stops the export (no more store pages are read)', async () => {
  const engine = testEngines()[0];
  const { store, cleanup } = await engine.open();
  for (const { article, result } of corpus()) await store.saveArticle(article, result, 'test-1');
  // The same real page over and over, as if the store held millions of events.
  let pages = 0;
  const endless = new Proxy(store, {
    get(t, k) {
      if (k === 'events')
        return async (f: Parameters<Store['events']>[0]) => {
          pages++;
          const p = await t.events({ ...f, offset: 0 });
          const items = Array.from({ length: f?.limit ?? 1000 }, (_, i) => ({ ...p.items[i % p.items.length], id: `ev_${pages}_${i}` }));
          return { total: 10_000_000, items };
        };
      return Reflect.get(t, k);
    },
  });
  const app = await buildServer({ store: endless, webRoot: null });
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { get: httpGet } = await import('node:http');
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(`${url}/api/export?format=jsonl`, (res) => {
        assert.equal(res.statusCode, 200);
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got > 200_000) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => ((e as { code?: string }).code === 'ECONNRESET' ? resolve() : reject(e)));
    });
    const atAbort = pages;
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(pages <= atAbort + 1, `export went on reading pages after the client left (${atAbort} -> ${pages})`);
    assert.ok(pages < 50, `read ${pages} pages for a 200 kB download`);
  } finally {
    await app.close();
    await cleanup();
  }
});

test('dashboard: dist/web served at / when built (webRoot hook)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>مرصد</title>');
  const engine = testEngines()[0];
  const { store, cleanup } = await engine.open();
  const app = await buildServer({ store, webRoot: dir });
  try {
    const r = await app.inject('/');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /مرصد/);
    assert.equal((await app.inject('/api/health')).statusCode, 200);
    // client-side routes fall back to index.html for browsers; the API and missing assets stay 404 JSON
    const deep = await app.inject({ url: '/events/ev_123', headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /مرصد/);
    assert.equal((await app.inject({ url: '/api/nothing', headers: { accept: 'text/html' } })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/missing.js', headers: { accept: 'text/html' } })).statusCode, 404);
  } finally {
    await app.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
