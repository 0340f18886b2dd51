// POST /api/extract and POST /api/articles with the real extractor and gazetteer on real Arabic
// reports (the seed article, 2020-01-26): extraction alone, extraction + storage with the write
// token, idempotence, and a batch in which one article fails without stopping the others.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Store, StoredEvent } from '../store/types.js';
import type { Article, ExtractResult } from '../types.js';
import { testEngines } from '../store/testing.js';
import { openStore } from '../store/index.js';
import { loadExtractor, type LoadedExtractor } from '../scale/extractor.js';
import { buildServer } from './server.js';
import { afpArticle, sanaArticle, seedArticle } from './testdata.js';

const WRITE = 'write-token-for-tests';
const auth = { authorization: `Bearer ${WRITE}` };

let extractor: LoadedExtractor;
before(async () => {
  extractor = await loadExtractor();
});

for (const engine of testEngines()) {
  describe(`extraction routes on ${engine.name}`, { skip: engine.skip }, () => {
    let store: Store;
    let db: string;
    let cleanup: () => Promise<void>;
    let app: FastifyInstance;
    before(async () => {
      ({ store, db, cleanup } = await engine.open());
      app = await buildServer({ store, token: WRITE, extract: extractor, webRoot: null });
    });
    after(async () => {
      await app?.close();
      await cleanup?.();
    });

    test('POST /api/extract: events with evidence spans from the seed article, nothing stored', async () => {
      const seed = seedArticle();
      const r = await app.inject({ method: 'POST', url: '/api/extract', payload: { article: seed } });
      assert.equal(r.statusCode, 200, r.body);
      const res = r.json() as ExtractResult;
      assert.ok(res.events.length >= 3, `only ${res.events.length} events`);
      assert.ok(res.events.some((e) => e.event_type === 'Battles'));
      for (const e of res.events)
        for (const spans of Object.values(e.evidence))
          for (const s of spans) assert.equal((s.part === 'title' ? seed.title! : seed.text).slice(s.start, s.end), s.text);
      assert.equal((await store.events({})).total, 0, 'store=false stores nothing');
    });

    test('POST /api/extract?store=true: stored with the write token, idempotent, then queryable', async () => {
      const seed = seedArticle();
      const r = await app.inject({ method: 'POST', url: '/api/extract?store=true', payload: { article: seed }, headers: auth });
      assert.equal(r.statusCode, 200, r.body);
      const res = r.json() as ExtractResult & { saved: { article_id: string; duplicate: boolean; events_new: number } };
      assert.equal(res.saved.duplicate, false);
      assert.ok(res.saved.events_new >= 1);
      const again = (await app.inject({ method: 'POST', url: '/api/extract', payload: { article: seed, store: true }, headers: auth })).json();
      assert.equal(again.saved.duplicate, true);
      const events = (await app.inject(`/api/events?limit=1000`)).json() as { total: number; items: StoredEvent[] };
      assert.equal(events.total, res.saved.events_new);
      assert.ok(events.items.every((e) => e.sources.some((s) => s.article_id === res.saved.article_id)));
      const art = (await app.inject(`/api/articles/${res.saved.article_id}`)).json() as { events: string[]; title: string };
      assert.equal(art.title, seed.title);
      assert.deepEqual([...art.events].sort(), events.items.map((e) => e.id).sort());
      const csv = await app.inject('/api/export?format=acled-csv&bom=false');
      const news = (await app.inject('/api/events?background=false&limit=1')).json() as { total: number };
      assert.ok(news.total >= 1 && news.total <= events.total);
      assert.equal(csv.body.trimEnd().split('\r\n').length, 1 + news.total, 'one row per news event (background mentions stay out)');
      assert.match(csv.body, /SYR\d+,2020-01-26,2020,1,Political violence,Battles,Armed clash/);
    });

    test('POST /api/articles: a batch stores each article; a failing article is reported in its slot', async () => {
      const failing: typeof extractor = {
        version: extractor.version,
        extract: (a: Article) => {
          if (a.url === afpArticle.url) throw new Error('extractor crashed at /srv/marsad/src/extract/frames.ts:12');
          return extractor.extract(a);
        },
      };
      const b = await buildServer({ store, token: WRITE, extract: failing, webRoot: null });
      try {
        const r = await b.inject({ method: 'POST', url: '/api/articles', payload: { articles: [sanaArticle, afpArticle] }, headers: auth });
        assert.equal(r.statusCode, 201, r.body);
        const { results } = r.json() as { results: { index: number; saved?: { article_id: string }; error?: string }[] };
        assert.equal(results.length, 2);
        assert.ok(results[0].saved?.article_id);
        assert.match(results[1].error!, /extractor crashed/);
        assert.doesNotMatch(results[1].error!, /\/srv\/marsad/, 'no file paths in errors');
        assert.ok((await b.inject(`/api/articles/${results[0].saved!.article_id}`)).statusCode === 200);
        if (engine.name === 'sqlite') {
          // A 201 means committed: another connection to the file already sees the article.
          const other = await openStore(db);
          try {
            assert.ok(await other.article(results[0].saved!.article_id), 'article not yet committed when the API answered');
          } finally {
            await other.close();
          }
        }
        const none = await b.inject({ method: 'POST', url: '/api/articles', payload: { article: afpArticle }, headers: auth });
        assert.equal(none.statusCode, 422);
      } finally {
        await b.close();
      }
    });

    test('an extractor that cannot load is a 503, and the next request tries again', async () => {
      let calls = 0;
      const b = await buildServer({
        store,
        token: WRITE,
        webRoot: null,
        extract: async () => {
          calls++;
          if (calls === 1) throw new Error('gazetteer file missing: /home/x/marsad-gazetteer.json');
          return extractor;
        },
      });
      try {
        const r1 = await b.inject({ method: 'POST', url: '/api/extract', payload: { article: afpArticle } });
        assert.equal(r1.statusCode, 503);
        assert.doesNotMatch(r1.body, /home/);
        const r2 = await b.inject({ method: 'POST', url: '/api/extract', payload: { articles: [afpArticle] } });
        assert.equal(r2.statusCode, 200, r2.body);
        assert.equal(r2.json().results.length, 1);
      } finally {
        await b.close();
      }
    });
  });
}
