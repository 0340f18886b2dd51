// The SQLite writer's in-memory merge lookup (merge-index.ts) must merge exactly as the SQL candidate
// queries do: real articles (the seed and the team's reports from seven countries, with copies from
// other outlets on nearby days) ingested with and without it give the same events and sources; and
// a second connection writing into the same file is seen (the index is dropped, not trusted).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article, ExtractResult } from '../types.js';
import { SqliteStore } from './sqlite.js';
import { defaultExtract } from '../ingest/index.js';
import { addDays } from '../resolve/merge.js';
import { devArticles, teamReports } from '../scale/corpus.js';


const OUTLETS = ['المرصد السوري لحقوق الإنسان', 'عنب بلدي', 'فرانس برس'];

/** Each report three times: other outlets, published the same day or the next (their events merge). */
function corpus(): Article[] {
  const base = [...devArticles(), ...teamReports()];
  const out: Article[] = [];
  for (let k = 0; k < 3; k++)
    for (const a of base)
      out.push({ ...a, id: `${a.id}-${k}`, url: `https://copies.marsad.invalid/${a.id}/${k}`, outlet: OUTLETS[k], date: a.date ? addDays(a.date, k % 2) : a.date });
  return out;
}

let dir: string;
let items: { article: Article; result: ExtractResult }[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marsad-merge-index-'));
  const extract = await defaultExtract();
  items = [];
  for (const article of corpus()) items.push({ article, result: await extract(article) });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The merged result, without timestamps: events with their full-text rows and sources, in id order. */
function snapshot(db: string): string {
  const s = new SqliteStore(db);
  // The full-text index is contentless: read what it holds for each row through fts5vocab.
  s.db.exec('CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, events_fts, instance)');
  const rows = s.db
    .prepare(
      `SELECT e.id, e.event_date, e.sub_event_type, e.fatalities, e.fatalities_low, e.fatalities_high, e.evidence_texts, e.source_figures,
              e.search_hash, (SELECT group_concat(term, ' ') FROM (SELECT term FROM temp.vocab WHERE doc = e.seq ORDER BY term, offset)) AS fts,
              (SELECT group_concat(article_id, ',') FROM (SELECT article_id FROM event_sources WHERE event_id = e.id ORDER BY ord)) AS sources
       FROM events e ORDER BY e.id`,
    )
    .all();
  s.db.close();
  return JSON.stringify(rows);
}

async function ingestAll(db: string, mergeIndex: boolean, list = items, version = 'v1', batchArticles = 7, mergeIndexMaxEvents?: number): Promise<{ merged: number }> {
  const store = new SqliteStore(db, { mergeIndex, batchArticles, batchMs: 60_000, mergeIndexMaxEvents });
  await store.migrate();
  let merged = 0;
  for (const it of list) merged += (await store.saveArticle(it.article, it.result, version)).events_merged;
  await store.close();
  return { merged };
}

describe('merge index (SQLite writer)', () => {
  it('merges real reports exactly as the SQL candidate queries do, re-ingest included', async () => {
    const withSql = join(dir, 'sql.db');
    const withIndex = join(dir, 'index.db');
    const a = await ingestAll(withSql, false);
    const b = await ingestAll(withIndex, true);
    assert.ok(a.merged > items.length / 2, `copies from other outlets merge (${a.merged} merges)`);
    assert.equal(b.merged, a.merged);
    assert.equal(snapshot(withIndex), snapshot(withSql));
    // A new extractor version: every third article is re-extracted (its old contributions removed first).
    const again = items.filter((_, i) => i % 3 === 0);
    await ingestAll(withSql, false, again, 'v2');
    await ingestAll(withIndex, true, again, 'v2');
    assert.equal(snapshot(withIndex), snapshot(withSql));
  });

  it('merges the same when it holds only a few events and drops buckets all the time', async () => {
    // 40 (event, bucket) pairs: fewer than one report's copies touch, so buckets are dropped and read
    // again in the middle of a batch, with merged rows still pending.
    const withSql = join(dir, 'small-sql.db');
    const withIndex = join(dir, 'small-index.db');
    const a = await ingestAll(withSql, false, items, 'v1', 16);
    const b = await ingestAll(withIndex, true, items, 'v1', 16, 40);
    assert.equal(b.merged, a.merged);
    assert.equal(snapshot(withIndex), snapshot(withSql));
  });

  it('writes an event merged several times in one batch once, with the same result', async () => {
    // Each report's copies one after the other, 64 articles a batch: the writer defers the merged rows
    // (and their full-text rows) to the commit; the SQL path writes every merge at once. A fourth copy
    // from an outlet already counted leaves the searchable text as the third left it (but not as
    // the committed row has it).
    const again = items.filter((it) => it.article.id!.endsWith('-2')).map((it) => ({ ...it, article: { ...it.article, id: `${it.article.id}-again`, url: `${it.article.url}/again` } }));
    const adjacent = [...items, ...again].sort((x, y) => x.article.id!.localeCompare(y.article.id!));
    const withSql = join(dir, 'adjacent-sql.db');
    const withIndex = join(dir, 'adjacent-index.db');
    await ingestAll(withSql, false, adjacent, 'v1', 64);
    await ingestAll(withIndex, true, adjacent, 'v1', 64);
    assert.equal(snapshot(withIndex), snapshot(withSql));
  });

  it('reads inside an open batch see the merges not yet written', async () => {
    const seed = items.filter((it) => it.article.id!.startsWith('seed-0001'));
    const store = new SqliteStore(join(dir, 'open-batch.db'), { batchArticles: 100, batchMs: 60_000 });
    await store.migrate();
    try {
      for (const it of seed) await store.saveArticle(it.article, it.result, 'v1');
      // Nothing committed yet; the merged rows are pending. The third copy's outlet is searchable
      // only in the rows rewritten by its merges, and each row must agree with its sources.
      const open = await store.events({ q: 'فرانس برس', limit: 100 });
      const openAgg = await store.aggregates('event_type');
      const openOne = await store.event(open.items[0].id);
      assert.ok(open.items.length >= 12, `the seed's events carry the third outlet (${open.items.length})`);
      for (const ev of open.items) assert.equal(ev.sources.length, seed.length, `${ev.id}: one source per copy`);
      await store.flush();
      assert.deepEqual(open, await store.events({ q: 'فرانس برس', limit: 100 }));
      assert.deepEqual(openAgg, await store.aggregates('event_type'));
      assert.deepEqual(openOne, await store.event(open.items[0].id));
    } finally {
      await store.close();
    }
  });

  it('sees events written by another connection between its batches', async () => {
    // The seed and its copy from another outlet must merge into the seed's events, even when the copy
    // is written by a second store on the same file while the first keeps its index.
    const seed = items.filter((it) => it.article.id!.startsWith('seed-0001'));
    assert.equal(seed.length, 3);
    const db = join(dir, 'two-writers.db');
    const first = new SqliteStore(db, { batchArticles: 1 });
    await first.migrate();
    await first.saveArticle(seed[0].article, seed[0].result, 'v1');
    const other = new SqliteStore(db, { batchArticles: 1 });
    await other.saveArticle(seed[1].article, seed[1].result, 'v1');
    await other.close();
    const r = await first.saveArticle(seed[2].article, seed[2].result, 'v1');
    await first.close();

    const single = join(dir, 'one-writer.db');
    await ingestAll(single, true, seed);
    assert.equal(snapshot(db), snapshot(single));
    assert.equal(r.events_new, 0, 'the third copy adds no new event');
  });
});
