// Paging through a real SQLite store: the date cursor used by full exports must give exactly the
// events, in exactly the order, of one big query: same-day runs longer than a page, undated
// events at the end, the caller's own date bounds, and limit/offset walks.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store, StoredEvent } from '../store/types.js';
import type { Article, ConflictEvent } from '../types.js';
import { testEngines } from '../store/testing.js';
import { iterateEvents } from './events.js';

let store: Store;
let cleanup: () => Promise<void>;

// One realistic event per report; reports differ by town and date so the store keeps them apart.
const TOWNS: [string, string, number, number][] = [
  ['كفرنبل', 'Kafr Nabl', 35.6136, 36.5617],
  ['سراقب', 'Saraqab', 35.8622, 36.8006],
  ['أريحا', 'Ariha', 35.8128, 36.6094],
  ['جسر الشغور', 'Jisr al-Shughur', 35.8122, 36.3189],
  ['الأتارب', 'Al-Atarib', 36.1353, 36.8289],
];

function report(i: number, date: string | null): { article: Article; event: ConflictEvent } {
  const [ar, en, lat, lon] = TOWNS[i % TOWNS.length];
  const text = `قصفت قوات النظام بالمدفعية الثقيلة أطراف مدينة ${ar} في ريف إدلب، وفق ما أفاد المرصد السوري لحقوق الإنسان (تقرير ${i}).`;
  const start = text.indexOf('قصفت');
  return {
    article: { text, date, outlet: 'المرصد السوري لحقوق الإنسان', url: `https://example.org/report/${i}` },
    event: {
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Shelling/artillery/missile attack',
      event_date: date,
      time_precision: 1,
      actor1: { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 },
      actor2: null,
      // far apart (0.5 degree steps) so no two reports merge
      location: { name: en, name_ar: ar, country: 'Syria', admin1: 'Idlib', lat: lat + Math.floor(i / 5) * 0.5, lon, geo_precision: 2 },
      fatalities: 0,
      status: 'occurred',
      civilian_targeting: false,
      reported_by: 'المرصد السوري لحقوق الإنسان',
      background: false,
      evidence: { event_type: [{ part: 'text', start, end: start + 4, text: 'قصفت' }] },
      notes: `Regime artillery shelled the outskirts of ${en} (Idlib).`,
    },
  };
}

before(async () => {
  ({ store, cleanup } = await testEngines()[0].open());
  // 5 events on 2020-01-05 (a run longer than a page of 2), singles around it, 2 undated
  const dates = ['2020-01-05', '2020-01-05', '2020-01-03', '2020-01-05', '2020-01-07', '2020-01-05', null, '2020-01-05', '2020-01-01', null];
  for (let i = 0; i < dates.length; i++) {
    const { article, event } = report(i, dates[i]);
    await store.saveArticle(article, { events: [event], figures: [], mentions: [], warnings: [] }, 't');
  }
});
after(() => cleanup());

async function ids(it: AsyncIterable<StoredEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.id);
  return out;
}

test('date cursor walk equals one big query, undated events last', async () => {
  const all = await store.events({ sort: 'event_date', limit: 1000 });
  assert.equal(all.total, 10, 'ten separate events stored');
  assert.equal(all.items[9].event_date, null);
  for (const pageSize of [1, 2, 3, 1000]) assert.deepEqual(await ids(iterateEvents(store, {}, pageSize)), all.items.map((e) => e.id), `page ${pageSize}`);
});

test("the caller's bounds and filters still apply", async () => {
  const want = await store.events({ sort: 'event_date', from: '2020-01-04', to: '2020-01-06', limit: 1000 });
  assert.equal(want.total, 5);
  assert.deepEqual(await ids(iterateEvents(store, { from: '2020-01-04', to: '2020-01-06' }, 2)), want.items.map((e) => e.id));
});

test('limit/offset and other sorts page by offset', async () => {
  const want = await store.events({ sort: '-event_date', limit: 1000 });
  assert.deepEqual(await ids(iterateEvents(store, { sort: '-event_date' }, 3)), want.items.map((e) => e.id));
  const slice = await store.events({ sort: 'event_date', offset: 2, limit: 5 });
  assert.deepEqual(await ids(iterateEvents(store, { offset: 2, limit: 5 }, 2)), slice.items.map((e) => e.id));
});
