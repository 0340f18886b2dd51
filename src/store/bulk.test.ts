// SQLite bulk loading (no merging) and the capped Page.total of events().
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article, ConflictEvent, ExtractResult } from '../types.js';
import { SqliteStore } from './sqlite.js';
import { TOTAL_CAP } from './core.js';

// A daily SOHR-style toll line; each copy is another day and another village of Idlib.
const TEXT = 'وثق المرصد السوري لحقوق الإنسان مقتل مدنيين اثنين جراء قصف مدفعي نفذته قوات النظام على بلدة في ريف إدلب الجنوبي.';

function shelling(date: string, i: number, k: number): ConflictEvent {
  const at = TEXT.indexOf('قصف مدفعي');
  return {
    event_type: 'Explosions/Remote violence',
    sub_event_type: 'Shelling/artillery/missile attack',
    event_date: date,
    time_precision: 1,
    actor1: { name: 'Military Forces of Syria', inter: 1, name_ar: 'قوات النظام' },
    actor2: { name: 'Civilians (Syria)', inter: 7, name_ar: 'مدنيين' },
    location: { name: `Village ${i}-${k}`, admin1: k === 0 ? 'Hama' : 'Idlib', country: 'Syria', lat: 35.5 + k * 0.01, lon: 36.6, geo_precision: 1, gazetteer_id: `t:${i}:${k}` },
    fatalities: 2,
    status: 'occurred',
    civilian_targeting: true,
    reported_by: 'المرصد السوري لحقوق الإنسان',
    background: false,
    evidence: { sub_event_type: [{ part: 'text', start: at, end: at + 9, text: 'قصف مدفعي' }] },
    notes: '',
  };
}

describe('store (sqlite): bulk loading and capped totals', () => {
  let dir: string;
  let store: SqliteStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'marsad-bulk-'));
    store = new SqliteStore(join(dir, 'bulk.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bulkLoad stores every event as new, skips a duplicate article, and events() caps its count', async () => {
    const perArticle = 10;
    const n = Math.ceil((TOTAL_CAP + 1) / perArticle); // just over the cap
    const items: { article: Article; result: ExtractResult }[] = [];
    for (let i = 0; i < n; i++) {
      const date = `2019-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      items.push({
        article: { title: `قصف على ريف إدلب ${i}`, text: TEXT, date, outlet: 'المرصد السوري لحقوق الإنسان', url: `https://www.syriahr.com/t/${i}` },
        result: { events: Array.from({ length: perArticle }, (_, k) => shelling(date, i, k)), figures: [], mentions: [], warnings: [] },
      });
    }
    const saved = await store.bulkLoad(items, 'v1');
    assert.equal(saved.reduce((s, r) => s + r.events_new, 0), n * perArticle);
    assert.equal(saved.reduce((s, r) => s + r.events_merged, 0), 0);
    // The same article again: a duplicate, nothing written.
    const again = await store.bulkLoad([items[0]], 'v1');
    assert.equal(again[0].duplicate, true);

    const all = await store.events({ limit: 5 });
    assert.equal(all.total, TOTAL_CAP);
    assert.equal(all.total_is_lower_bound, true);
    assert.equal(all.items.length, 5);
    assert.equal(all.items[0].sources.length, 1);
    // Newest first, as without the cap.
    assert.ok(all.items[0].event_date! >= all.items[4].event_date!);
    // Under the cap: the exact count and no flag (one Hama event per article).
    const hama = await store.events({ admin1: 'Hama', limit: 3, offset: 2 });
    assert.equal(hama.total, n);
    assert.equal(hama.total_is_lower_bound, undefined);
    assert.equal(hama.items.length, 3);
    // A text search over the same rows, sorted by fatalities: the page comes from the one ordered pass.
    const q = await store.events({ q: 'قصف مدفعي', admin1: 'Hama', from: '2019-03-01', to: '2019-03-31', sort: '-fatalities' });
    const exact = (await store.aggregates('admin1', { admin1: 'Hama', from: '2019-03-01', to: '2019-03-31' }))[0].events;
    assert.equal(q.total, exact);
    assert.ok(q.items.every((e) => e.location?.admin1 === 'Hama' && e.event_date!.startsWith('2019-03')));
    // A page beyond the cap is still served.
    const far = await store.events({ limit: 10, offset: TOTAL_CAP + 5 });
    assert.equal(far.items.length, Math.min(10, n * perArticle - TOTAL_CAP - 5));
  });
});
