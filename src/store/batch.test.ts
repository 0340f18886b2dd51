// SQLite group commit: several articles share one transaction. A save that fails halfway through
// its writes must leave nothing of itself and lose nothing of the articles saved before it in the
// same batch (the batch is rolled back and replayed, src/store/sqlite.ts rollBatch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConflictEvent, ExtractResult } from '../types.js';
import { SqliteStore } from './sqlite.js';
import { defaultExtract } from '../ingest/index.js';
import { devArticles, repeatArticles } from '../scale/corpus.js';

test('a save failing mid-write inside a batch leaves no trace and keeps the batch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-batch-'));
  try {
    const extract = await defaultExtract();
    const [a, b, c, bad] = [...repeatArticles(devArticles(), 4, { dates: 4, spacing: 40, tag: 'batch' })];
    const results = await Promise.all([a, b, c, bad].map((x) => extract(x)));
    // The fourth article's second event throws when the store reads its date: its first event is
    // already written by then.
    const poisoned: ExtractResult = {
      ...results[3],
      events: results[3].events.map((e, i) =>
        i === 1 ? (Object.defineProperty({ ...e }, 'event_date', { get: () => { throw new Error('poisoned event'); }, enumerable: true }) as ConflictEvent) : e,
      ),
    };
    const db = join(dir, 'batch.db');
    const store = new SqliteStore(db, { batchArticles: 10, batchMs: 60_000 });
    await store.migrate();
    for (let i = 0; i < 3; i++) await store.saveArticle([a, b, c][i], results[i], 'v1');
    await assert.rejects(store.saveArticle(bad, poisoned, 'v1'), /poisoned event/);
    // The batch goes on after the failure, and is committed as a whole.
    const again = await store.saveArticle(bad, results[3], 'v1');
    assert.ok(again.events_new > 0 && !again.duplicate);
    await store.close();

    const check = new SqliteStore(db);
    const count = (sql: string) => (check.db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT count(*) AS n FROM articles'), 4);
    const perArticle = results.reduce((n, r) => n + r.events.length, 0);
    assert.equal(count('SELECT count(*) AS n FROM event_sources'), perArticle, 'every event of the four articles once, none of the failed attempt');
    // The full-text index kept the batch's words (a village of the seed's front).
    assert.ok((await check.events({ q: 'مشيميس' })).total > 0);
    assert.equal((check.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    check.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
