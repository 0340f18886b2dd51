// Period tokens: a text search bounded by dates asks the full-text index for the events' years or months
// too (src/store/core.ts periodTerms). They must never lose an event the date test keeps, and a store
// written before them gets them by migration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { periodTokens, periodTerms, eventWhere, eventSearchText, type Dialect } from './core.js';
import { SqliteStore, SQLITE_MIGRATIONS } from './sqlite.js';
import { defaultExtract } from '../ingest/index.js';
import { devArticles } from '../scale/corpus.js';

test('periodTokens: the year and the month of the event date', () => {
  assert.equal(periodTokens('2020-01-26'), 'yr2020 ym202001');
  assert.equal(periodTokens(null), '');
  assert.equal(periodTokens('26/01/2020'), '');
});

test('periodTerms: months up to 13, then years up to 4, else none; every date in range is covered', () => {
  assert.deepEqual(periodTerms('2019-12-24', '2020-02-03'), ['ym201912', 'ym202001', 'ym202002']);
  assert.deepEqual(periodTerms('2020-01-26', '2020-01-26'), ['ym202001']);
  assert.equal(periodTerms('2015-03-10', '2016-03-09')!.length, 13);
  assert.deepEqual(periodTerms('2015-03-10', '2016-04-09'), ['yr2015', 'yr2016']);
  assert.equal(periodTerms('2012-01-01', '2016-01-01'), null, 'five years narrow too little');
  assert.equal(periodTerms('2020-01-01', undefined), null);
  assert.equal(periodTerms(undefined, '2020-01-01'), null);
  assert.equal(periodTerms('2020-02-01', '2020-01-01'), null, 'an empty range: the date test alone answers');
  // Every day of ranges that cross years is covered by one of its terms.
  for (const [from, to] of [['2018-11-15', '2019-11-14'], ['2018-11-15', '2021-02-01']]) {
    const terms = new Set(periodTerms(from, to));
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
      const [yr, ym] = periodTokens(new Date(t).toISOString().slice(0, 10)).split(' ');
      assert.ok(terms.has(yr) || terms.has(ym), `${new Date(t).toISOString().slice(0, 10)} in ${from}..${to}`);
    }
  }
});

test('a dated text search asks SQLite for the period terms; an open range does not', () => {
  const dialect = (): Dialect & { params: unknown[] } => {
    const params: unknown[] = [];
    return { params, param: (v) => (params.push(v), '?'), textSearch: (t, p) => `fts:${JSON.stringify([t, p])}`, noIndex: (c) => c, inList: (c) => c, contains: (c) => c };
  };
  const d = dialect();
  assert.match(eventWhere({ q: 'معرة النعمان', from: '2019-12-24', to: '2020-01-10' }, d), /\["ym201912","ym202001"\]/);
  assert.match(eventWhere({ q: 'معرة النعمان', from: '2019-12-24' }, dialect()), /,null\]$/);
});

test('migration 8 gives the full-text rows of an older store their period tokens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-period-'));
  try {
    const extract = await defaultExtract();
    const [seed] = devArticles();
    const db = join(dir, 'old.db');
    let store = new SqliteStore(db);
    await store.migrate();
    await store.saveArticle(seed, await extract(seed), 'v1');
    await store.flush();
    // Turn it into a store of schema 7: full-text rows without period tokens.
    const rows = store.db.prepare('SELECT seq, json, actors_text, sources_text, evidence_texts FROM events').all() as { seq: number; json: string; actors_text: string; sources_text: string; evidence_texts: string }[];
    for (const r of rows) {
      const text = eventSearchText({ ...JSON.parse(r.json), event_date: null }, r.actors_text, r.sources_text, JSON.parse(r.evidence_texts));
      assert.doesNotMatch(text, /\byr\d/);
      store.db.prepare('DELETE FROM events_fts WHERE rowid = ?').run(r.seq);
      store.db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)').run(r.seq, text);
    }
    store.db.prepare('DELETE FROM schema_version WHERE version = ?').run(SQLITE_MIGRATIONS.length);
    const dated = { q: 'مشيميس', from: '2020-01-25', to: '2020-01-26' };
    assert.equal((await store.events(dated)).total, 0, 'without the tokens the dated search misses the village');
    await store.close();

    store = new SqliteStore(db);
    await store.migrate();
    const found = await store.events(dated);
    assert.ok(found.total > 0, 'the dated search finds the seed village again');
    assert.deepEqual(found.items.map((e) => e.id), (await store.events({ q: 'مشيميس' })).items.filter((e) => e.event_date! >= dated.from && e.event_date! <= dated.to).map((e) => e.id));
    // The rebuilt rows are what a new save writes: the search hash did not change for any event.
    const hashes = store.db.prepare('SELECT id, search_hash FROM events ORDER BY id').all();
    await store.close();
    const fresh = new SqliteStore(join(dir, 'new.db'));
    await fresh.migrate();
    await fresh.saveArticle(seed, await extract(seed), 'v1');
    await fresh.flush();
    assert.deepEqual(fresh.db.prepare('SELECT id, search_hash FROM events ORDER BY id').all(), hashes);
    await fresh.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
