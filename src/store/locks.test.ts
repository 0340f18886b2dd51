// The merge-lock keys (locks.ts) on real extractions of the dev seed and eval/extra articles:
// reports that merge share a key, reports far apart in place or time share none, and (against the
// real PostgreSQL) every stored event a candidate lookup returns and accepts shares a key with it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Article, ExtractResult } from '../types.js';
import { devArticles } from '../scale/corpus.js';
import { loadExtractor, type LoadedExtractor } from '../scale/extractor.js';
import { articleLocks, conflicts, homeKeys, homeRowOf, lockKey, queryFor, searchKeys, typeClass, type HomeRow, type LockSet } from './locks.js';
import { articleId, articleIdentity, candidateWheres, type Dialect } from './core.js';
import { sameEvent } from '../resolve/merge.js';
import { isPostgresUrl } from './index.js';
import { verify } from './postgres.js';
import { teamReports } from '../scale/corpus.js';

// Every lookup answered from the per-article prefetch is checked against the live query.
verify.prefetch = true;

const PG = process.env.DATABASE_URL;
const skipPg = isPostgresUrl(PG) ? false : 'DATABASE_URL is not a postgres:// URL: PostgreSQL lock tests skipped';

const extra: Article[] = teamReports();
const byId = (id: string) => extra.find((a) => a.id === id)!;
const copy = (a: Article, tag: string, days = 0, outlet = a.outlet): Article => ({
  ...a,
  id: `${a.id}-${tag}`,
  url: `https://copies.marsad.invalid/${a.id}/${tag}`,
  outlet,
  date: new Date(Date.parse(`${a.date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10),
});

let ex: LoadedExtractor;
before(async () => {
  ex = await loadExtractor();
});

const locks = (a: Article, r: ExtractResult = ex.extract(a)) => {
  const s = articleLocks(a, r);
  assert.ok(s, `${a.id}: a plan, not the global key`);
  return s;
};
const news = (r: ExtractResult): ExtractResult => ({ ...r, events: r.events.filter((e) => !e.background) });

test('compatible sub-event types share a class, incompatible ones do not', () => {
  assert.equal(typeClass('Government regains territory'), typeClass('Non-state actor overtakes territory'));
  assert.equal(typeClass('Suicide bomb'), typeClass('Remote explosive/landmine/IED'));
  assert.notEqual(typeClass('Air/drone strike'), typeClass('Shelling/artillery/missile attack'));
});

test('two outlets reporting the Baghdad twin suicide bombing the same day: every merging pair of events shares a key', () => {
  const reuters = byId('x-irq-001');
  const other = copy(reuters, 'afp', 0, 'فرانس برس');
  const ra = ex.extract(reuters);
  const rb = ex.extract(other);
  let pairs = 0;
  for (const a of ra.events)
    for (const b of rb.events) {
      if (!sameEvent(a, b).same) continue;
      pairs++;
      const q = queryFor(b)!;
      assert.ok(conflicts(searchKeys(q)!, homeKeys(homeRowOf(a))), `${a.sub_event_type} ${a.location?.name}`);
    }
  assert.ok(pairs > 0, 'the two reports have events that merge');
  assert.ok(conflicts(locks(reuters, ra), locks(other, rb)));
});

test('reports far apart in place or in time share no key', () => {
  // Baghdad 2021 vs Marib 2021 vs Khartoum 2023: other countries.
  const places = ['x-irq-001', 'x-yem-001', 'x-sdn-001', 'x-lby-002'].map(byId);
  for (const a of places) for (const b of places) if (a !== b) assert.ok(!conflicts(locks(a), locks(b)), `${a.id} vs ${b.id}`);
  // The same Baghdad report a year later: no news event within reach.
  const baghdad = byId('x-irq-001');
  assert.ok(!conflicts(locks(baghdad), locks(copy(baghdad, 'next-year', 365))));
  // The seed report of Ma'arrat an-Nu'man 400 days later: its news events share no key; its
  // background events (2015, 2019, dated in the text) are the same happenings, and do.
  const seed = devArticles()[0];
  const later = copy(seed, 'later', 400);
  assert.ok(!conflicts(locks(seed, news(ex.extract(seed))), locks(later, news(ex.extract(later)))));
  assert.ok(conflicts(locks(seed), locks(later)));
});

test('an article holds its identity exclusively; keys are signed 64-bit integers', () => {
  const a = byId('x-yem-002');
  const s = locks(a);
  assert.equal(s.get(lockKey(`A|${articleIdentity(a)}`)), 'x');
  for (const k of s.keys()) assert.ok(BigInt(k) >= -(2n ** 63n) && BigInt(k) < 2n ** 63n);
  assert.ok(s.size < 200, `${s.size} keys`);
});

test('region-level events: a point event and a region-level one of the same type in the same governorate conflict', () => {
  const seed = devArticles()[0];
  const r = ex.extract(seed);
  const region = r.events.find((e) => e.location?.geo_precision === 3 && !e.background)!;
  const point = { ...region, location: { ...region.location!, geo_precision: 1 as const, lat: region.location!.lat! + 0.6, lon: region.location!.lon! + 0.6 } };
  assert.ok(region && point.location.admin1, 'the seed names a region-level event');
  // The region-level lookup reaches the point event (same admin1 and type), so it must wait for its writer.
  assert.ok(conflicts(searchKeys(queryFor(region)!)!, homeKeys(homeRowOf(point))));
  // And the point event's lookup reaches the region-level event.
  assert.ok(conflicts(searchKeys(queryFor(point)!)!, homeKeys(homeRowOf(region))));
  // Two point events 160 km apart in one governorate on the same day share keys only in shared
  // mode (the governorate's region-level keys): no conflict.
  const far = { ...point, location: { ...point.location, lat: point.location.lat - 1.5 } };
  const a: LockSet = new Map([...searchKeys(queryFor(point)!)!, ...homeKeys(homeRowOf(point))]);
  const b: LockSet = new Map([...searchKeys(queryFor(far)!)!, ...homeKeys(homeRowOf(far))]);
  assert.ok(!conflicts(a, b));
});

/** Minimal PostgreSQL dialect for running candidateWheres directly. */
function dialect(): Dialect & { params: unknown[] } {
  const params: unknown[] = [];
  const param = (v: unknown) => (params.push(v), `$${params.length}`);
  return { params, param, textSearch: () => 'true', noIndex: (c) => c, contains: (c, p) => `strpos(${c}, ${p}) > 0`, inList: (c, v) => `${c} = ANY(${param(v)})` };
}

test('every stored event a candidate lookup returns and accepts shares a key with the lookup (real SQL, merged states)', { skip: skipPg, timeout: 120_000 }, async () => {
  const { openStore } = await import('./index.js');
  const { dropSchema } = await import('./postgres.js');
  const schema = `marsad_locks_${randomBytes(5).toString('hex')}`;
  const store = await openStore(PG!, { schema });
  const c = new pg.Client({ connectionString: PG, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    // Copies of every report 0, 1, 2, 4, 20 and 33 days later, from other outlets: merged states
    // mix the places and dates of their sources.
    const base = [...devArticles(), ...extra];
    const copies = [0, 1, 2, 4, 20, 33].flatMap((d, i) => base.map((a) => copy(a, `d${d}`, d, i % 2 ? 'وكالة' : a.outlet)));
    // The copies 4 days later lose their coordinates (a place known by gazetteer id only): the
    // gazetteer path of the lookup.
    const results = new Map(
      copies.map((a) => {
        const r = ex.extract(a);
        if (!a.id!.endsWith('-d4')) return [a.id!, r];
        return [a.id!, { ...r, events: r.events.map((e) => (e.location?.gazetteer_id ? { ...e, location: { ...e.location, lat: null, lon: null } } : e)) }];
      }),
    );
    for (const a of copies) await store.saveArticle(a, results.get(a.id!)!, ex.version);
    let checked = 0;
    const perPath = { cell: 0, gazetteer: 0, admin1: 0 };
    for (const a of copies) {
      const aid = articleId(articleIdentity(a));
      for (const raw of results.get(a.id!)!.events) {
        const ev = raw.event_date || !a.date ? raw : { ...raw, event_date: a.date };
        const q = queryFor(ev);
        if (!q) continue;
        // Each lookup path on its own (candidateWheres: the cell ranges or the gazetteer id, then
        // admin1), checked against that path's keys alone: a path whose keys were wrong could not
        // hide behind another path's.
        const paths = [
          ...(q.cells ? [{ ...q, admin1: null }, { ...q, admin1: null }] : q.gazetteer_id ? [{ ...q, admin1: null }] : []),
          ...(q.admin1 ? [{ ...q, cells: null, gazetteer_id: null }] : []),
        ];
        // Another article's lookup: exclude nothing (the store excludes the saving article's own events).
        const wheres = candidateWheres(q, 'ar_nobody', dialect);
        assert.equal(wheres.length, paths.length);
        for (const [i, { where, params }] of wheres.entries()) {
          const search = searchKeys(paths[i]);
          assert.ok(search);
          const rows = (await c.query<HomeRow & { json: string; id: string }>(
            `SELECT id, json, event_date, time_precision, cell, admin1, geo_precision, gazetteer_id, sub_event_type, background FROM events WHERE ${where}`,
            params,
          )).rows;
          for (const r of rows) {
            if (!sameEvent(JSON.parse(r.json), ev).same) continue;
            checked++;
            perPath[i === wheres.length - 1 && q.admin1 ? 'admin1' : q.cells ? 'cell' : 'gazetteer']++;
            assert.ok(conflicts(search, homeKeys(r)), `${aid} ${ev.sub_event_type} ${ev.event_date} vs ${r.id} ${r.event_date} ${r.admin1}`);
          }
        }
      }
    }
    assert.ok(checked > 500, `${checked} matching (lookup, stored event) pairs checked`);
    assert.ok(perPath.cell > 100 && perPath.admin1 > 100 && perPath.gazetteer > 10, JSON.stringify(perPath));
  } finally {
    await c.end();
    await store.close();
    await dropSchema(PG!, schema);
  }
});
