// One suite, every engine (SQLite always; PostgreSQL when DATABASE_URL is set).
// Events are built by hand here so the store is tested apart from the extractor; the reports are
// real-style pairs of Arabic articles about the same incident from different outlets.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Article, ConflictEvent, ExtractResult, Location, Actor } from '../types.js';
import type { Store } from './types.js';
import { testEngines } from './testing.js';

const REGIME: Actor = { name: 'Military Forces of Syria', inter: 1, name_ar: 'قوات النظام' };
const REBELS: Actor = { name: 'Opposition Rebels (Syria)', inter: 2, name_ar: 'الفصائل' };
const RUSSIA: Actor = { name: 'Military Forces of Russia', inter: 8, name_ar: 'الطائرات الروسية' };
const CIVILIANS: Actor = { name: 'Civilians (Syria)', inter: 7, name_ar: 'مدنيين' };

const MAARAT: Location = { name: "Ma'arrat an-Nu'man", name_ar: 'معرة النعمان', gazetteer_id: 'gn:169304', admin1: 'Idlib', country: 'Syria', lat: 35.6476, lon: 36.6741, geo_precision: 1 };
const KAFRNABL: Location = { name: 'Kafr Nabl', name_ar: 'كفرنبل', gazetteer_id: 'gn:169756', admin1: 'Idlib', country: 'Syria', lat: 35.6133, lon: 36.5614, geo_precision: 1 };
const SUQAYLABIYAH: Location = { name: 'As Suqaylabiyah', name_ar: 'السقيلبية', gazetteer_id: 'gn:163345', admin1: 'Hama', country: 'Syria', lat: 35.3697, lon: 36.3805, geo_precision: 1 };
const ALEPPO_SOUTH: Location = { name: 'Khalsa', name_ar: 'خلصة', admin1: 'Aleppo', country: 'Syria', lat: 36.03, lon: 37.03, geo_precision: 2 };

function evidence(text: string, part: 'title' | 'text', needle: string) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture: "${needle}" not in text`);
  return [{ part, start: at, end: at + needle.length, text: needle }];
}

function event(a: Article, o: Partial<ConflictEvent> & { trigger: string }): ConflictEvent {
  const { trigger, ...rest } = o;
  return {
    event_type: 'Explosions/Remote violence',
    sub_event_type: 'Air/drone strike',
    event_date: a.date ?? null,
    time_precision: 1,
    actor1: null,
    actor2: null,
    location: null,
    fatalities: 0,
    status: 'occurred',
    civilian_targeting: false,
    reported_by: null,
    background: false,
    evidence: { sub_event_type: evidence(a.text, 'text', trigger) },
    notes: '',
    ...rest,
  };
}

const result = (events: ConflictEvent[], figures: ExtractResult['figures'] = []): ExtractResult => ({ events, figures, mentions: [], warnings: [] });

// The same air strike on Ma'arrat an-Nu'man, 2019-12-24, as SOHR and AFP (Arabic) told it.
const SOHR: Article = {
  title: 'مقتل 8 مدنيين بغارات روسية على معرة النعمان',
  text: 'وثق المرصد السوري لحقوق الإنسان مقتل 8 مدنيين بينهم 3 أطفال جراء غارات نفذتها طائرات حربية روسية على مدينة معرة النعمان في ريف إدلب الجنوبي، فيما لا يزال عدد القتلى مرشحاً للارتفاع بسبب وجود جرحى بحالات خطرة.',
  date: '2019-12-24',
  outlet: 'المرصد السوري لحقوق الإنسان',
  url: 'https://www.syriahr.com/2019/12/24/maarat-strike',
};
const AFP: Article = {
  title: 'قتلى في غارات جوية على معرة النعمان في شمال غرب سوريا',
  text: 'قتل عشرة مدنيين على الأقل الثلاثاء في غارات جوية روسية استهدفت مدينة معرة النعمان في محافظة إدلب، وفق ما أفاد مراسل فرانس برس، في وقت تواصل قوات النظام تقدمها في ريف المحافظة الجنوبي.',
  date: '2019-12-24',
  outlet: 'فرانس برس',
  url: 'https://www.afp.com/ar/news/maarat-2019-12-24',
};
// Rebel shelling of As Suqaylabiyah, 2020-01-15: the state agency and the monitor disagree on the toll.
const SANA: Article = {
  title: 'استشهاد 5 مدنيين جراء اعتداء المجموعات الإرهابية بالقذائف الصاروخية على السقيلبية',
  text: 'استشهد خمسة مدنيين وأصيب آخرون جراء اعتداء المجموعات الإرهابية المنتشرة في ريف إدلب بالقذائف الصاروخية على مدينة السقيلبية بريف حماة الشمالي الغربي.',
  date: '2020-01-15',
  outlet: 'سانا',
};
const SOHR2: Article = {
  title: 'قصف صاروخي من الفصائل على السقيلبية',
  text: 'قالت مصادر المرصد السوري إن 3 مدنيين قتلوا جراء قصف صاروخي نفذته الفصائل على مدينة السقيلبية الخاضعة لسيطرة قوات النظام في ريف حماة.',
  date: '2020-01-15',
  outlet: 'المرصد السوري لحقوق الإنسان',
};

for (const engine of testEngines()) {
  describe(`store (${engine.name})`, { skip: engine.skip }, () => {
    let store: Store;
    let db: string;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, db, cleanup } = await engine.open());
    });
    after(async () => {
      await cleanup?.();
    });

    it('warns about a database that will slow down (PostgreSQL without autovacuum)', async () => {
      const warnings = (await store.warnings?.()) ?? [];
      if (engine.name === 'sqlite') return assert.deepEqual(warnings, []);
      // This machine's and CI's server runs without autovacuum; the warning must follow the setting.
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: db });
      await c.connect();
      const off = (await c.query('SHOW autovacuum')).rows[0].autovacuum === 'off';
      await c.end();
      assert.equal(warnings.some((w) => /autovacuum off/.test(w)), off);
    });

    it('stores an article once; the event round-trips with its source and evidence', async () => {
      const ev = event(SOHR, { trigger: 'غارات نفذتها طائرات حربية روسية', actor1: RUSSIA, actor2: CIVILIANS, location: MAARAT, fatalities: 8, civilian_targeting: true, reported_by: 'المرصد السوري لحقوق الإنسان', notes: "Russian air strikes on Ma'arrat an-Nu'man killed 8 civilians." });
      const r1 = await store.saveArticle(SOHR, result([ev], [{ kind: 'other', value: 3, evidence: evidence(SOHR.text, 'text', '3 أطفال') }]), 'v1', 'sohr.txt');
      assert.equal(r1.duplicate, false);
      assert.equal(r1.events_new, 1);
      assert.equal(r1.figures, 1);
      const r2 = await store.saveArticle(SOHR, result([ev]), 'v1');
      assert.equal(r2.duplicate, true);
      assert.equal(r2.article_id, r1.article_id);
      assert.equal(await store.hasArticle(SOHR, 'v1'), true);
      assert.equal(await store.hasArticle(SOHR, 'v2'), false);
      const page = await store.events();
      assert.equal(page.total, 1);
      const got = page.items[0];
      assert.equal(got.sources.length, 1);
      assert.equal(got.sources[0].article_id, r1.article_id);
      assert.deepEqual(got.sources[0].event.evidence, ev.evidence);
      assert.deepEqual(got.location, MAARAT);
      assert.equal(got.fatalities_best, 8);
      assert.deepEqual(await store.event(got.id), got);
      const art = await store.article(r1.article_id);
      assert.equal(art?.title, SOHR.title);
      assert.equal(art?.source_path, 'sohr.txt');
      assert.equal((await store.figures({ article_id: r1.article_id })).total, 1);
    });

    it('merges the AFP report of the same strike: one event, two sources, low/best/high', async () => {
      const ev = event(AFP, { trigger: 'غارات جوية روسية', actor1: RUSSIA, actor2: CIVILIANS, location: { ...MAARAT }, fatalities: 10, civilian_targeting: true, reported_by: null });
      const r = await store.saveArticle(AFP, result([ev]), 'v1');
      assert.equal(r.events_merged, 1);
      assert.equal(r.events_new, 0);
      const page = await store.events({ q: 'معرة النعمان' });
      assert.equal(page.total, 1);
      const m = page.items[0];
      assert.equal(m.sources.length, 2);
      assert.equal(m.fatalities_low, 8);
      assert.equal(m.fatalities_high, 10);
      // The monitor's count is preferred over a news agency's.
      assert.equal(m.fatalities_best, 8);
      assert.equal(m.fatalities, 8);
      // Evidence from both articles, each span tagged with its article.
      const arts = new Set(m.evidence.sub_event_type.map((e) => e.article_id));
      assert.equal(arts.size, 2);
    });

    it('merges a state-agency and a monitor report of one shelling; the party claim is not best', async () => {
      const a = event(SANA, { trigger: 'بالقذائف الصاروخية', sub_event_type: 'Shelling/artillery/missile attack', actor1: { name: 'Opposition Rebels (Syria)', inter: 2, name_ar: 'المجموعات الإرهابية' }, actor2: CIVILIANS, location: SUQAYLABIYAH, fatalities: 5, reported_by: 'سانا' });
      const b = event(SOHR2, { trigger: 'قصف صاروخي', sub_event_type: 'Shelling/artillery/missile attack', actor1: REBELS, actor2: CIVILIANS, location: { ...SUQAYLABIYAH, gazetteer_id: null, lat: 35.371, lon: 36.382 }, fatalities: 3, reported_by: 'المرصد السوري' });
      await store.saveArticle(SANA, result([a]), 'v1');
      const r = await store.saveArticle(SOHR2, result([b]), 'v1');
      assert.equal(r.events_merged, 1);
      const page = await store.events({ admin1: 'Hama' });
      assert.equal(page.total, 1);
      const m = page.items[0];
      assert.deepEqual([m.fatalities_low, m.fatalities_best, m.fatalities_high], [3, 3, 5]);
      // The most precise placement (the one with a gazetteer id) is kept.
      assert.equal(m.location?.gazetteer_id, 'gn:163345');
    });

    it('keeps apart reports of another place, another day or another type', async () => {
      const base: Article = { title: 'غارات على كفرنبل', text: 'شنت الطائرات الحربية الروسية غارات على بلدة كفرنبل وقصفت قوات النظام معرة النعمان بالمدفعية.', date: '2019-12-24', outlet: 'شبكة شام' };
      const r = await store.saveArticle(base, result([
        event(base, { trigger: 'غارات على بلدة كفرنبل', actor1: RUSSIA, location: KAFRNABL }),
        event(base, { trigger: 'قصفت قوات النظام معرة النعمان بالمدفعية', sub_event_type: 'Shelling/artillery/missile attack', actor1: REGIME, location: MAARAT }),
      ]), 'v1');
      assert.equal(r.events_new, 2, 'Kafr Nabl is another village; shelling is another type');
      const later: Article = { title: 'غارات جديدة على معرة النعمان', text: 'جددت الطائرات الحربية الروسية غاراتها على مدينة معرة النعمان صباح اليوم.', date: '2019-12-27', outlet: 'شبكة شام' };
      const r2 = await store.saveArticle(later, result([event(later, { trigger: 'غاراتها على مدينة معرة النعمان', actor1: RUSSIA, location: MAARAT })]), 'v1');
      assert.equal(r2.events_new, 1, 'three days later is another strike');
      assert.equal((await store.events({ admin1: 'Idlib' })).total, 4);
    });

    it('re-extraction with a new version replaces the article\'s contributions', async () => {
      const art: Article = { title: 'اشتباكات في محاور خلصة', text: 'اشتباكات عنيفة بين الفصائل وقوات النظام على محاور خلصة والحميرة جنوب حلب.', date: '2020-01-26', outlet: 'المرصد السوري لحقوق الإنسان' };
      const clash = event(art, { trigger: 'اشتباكات عنيفة', event_type: 'Battles', sub_event_type: 'Armed clash', actor1: REBELS, actor2: REGIME, location: ALEPPO_SOUTH });
      const r1 = await store.saveArticle(art, result([clash]), 'v1');
      assert.equal(r1.events_new, 1);
      const before = await store.events({ admin1: 'Aleppo' });
      assert.equal(before.total, 1);
      const r2 = await store.saveArticle(art, result([{ ...clash, fatalities: 4 }, { ...clash, location: { ...ALEPPO_SOUTH, name: 'Al-Hamira', name_ar: 'الحميرة', lat: 36.035, lon: 37.05 } }]), 'v2');
      assert.equal(r2.replaced, true);
      assert.equal(r2.article_id, r1.article_id);
      assert.equal(r2.events_new, 2, "the article's own two events are never merged with each other");
      const after = await store.events({ admin1: 'Aleppo' });
      assert.equal(after.total, 2, 'the v1 event left without a source is gone');
      assert.ok(after.items.every((e) => e.sources.every((s) => s.article_id === r1.article_id)));
      assert.equal((await store.articles({})).items.filter((a) => a.id === r1.article_id).length, 1);
      assert.equal((await store.saveArticle(art, result([]), 'v2')).duplicate, true);
    });

    it('re-extraction of one source of a merged event keeps the other source', async () => {
      const page = await store.events({ q: 'معرة النعمان', from: '2019-12-24', to: '2019-12-24', event_type: ['Explosions/Remote violence'], sub_event_type: ['Air/drone strike'] });
      assert.equal(page.total, 1);
      const merged = page.items[0];
      const r = await store.saveArticle(AFP, result([]), 'v2');
      assert.equal(r.replaced, true);
      const again = await store.event(merged.id);
      assert.ok(again);
      assert.equal(again.sources.length, 1);
      assert.deepEqual([again.fatalities_low, again.fatalities_best, again.fatalities_high], [8, 8, 8]);
    });

    it('filters events: dates, admin1, bbox, types, actor, fatalities, source, text, sort, pages', async () => {
      const all = await store.events({ limit: 100 });
      assert.equal(all.total, 7);
      assert.equal((await store.events({ from: '2020-01-01' })).total, 3);
      assert.equal((await store.events({ to: '2019-12-31' })).total, 4);
      assert.equal((await store.events({ admin1: 'Hama' })).total, 1);
      assert.equal((await store.events({ country: 'Syria' })).total, 7);
      // bbox around Ma'arrat an-Nu'man and Kafr Nabl only.
      assert.equal((await store.events({ bbox: [36.5, 35.55, 36.7, 35.7] })).total, 4);
      // A box too large for the grid-cell lookup falls back to latitude/longitude ranges.
      assert.equal((await store.events({ bbox: [-180, -90, 180, 90] })).total, 7);
      assert.equal((await store.events({ bbox: [36.5, 35.55, 36.7, 35.7], event_type: ['Battles'] })).total, 0);
      assert.equal((await store.events({ event_type: ['Battles'] })).total, 2);
      assert.equal((await store.events({ sub_event_type: ['Shelling/artillery/missile attack'] })).total, 2);
      assert.equal((await store.events({ actor: 'Russia' })).total, 3);
      assert.equal((await store.events({ actor: 'قوات النظام' })).total, 3);
      assert.equal((await store.events({ min_fatalities: 4 })).total, 2);
      assert.equal((await store.events({ source: 'سانا' })).total, 1);
      assert.equal((await store.events({ source: 'المرصد السوري' })).total, 4);
      // Arabic search is normalised: ة/ه and hamza forms match.
      assert.equal((await store.events({ q: 'معره النعمان' })).total, 3);
      assert.equal((await store.events({ q: 'السقيلبيه' })).total, 1);
      assert.equal((await store.events({ q: 'kafr nabl' })).total, 1);
      assert.equal((await store.events({ q: 'artillery' })).total, 2);
      assert.equal((await store.events({ q: 'لا يوجد مثل هذا النص' })).total, 0);
      // Text and dates together, within a month, across the turn of a year (month terms), over 19
      // months (year terms) and over ten years (no period terms): the same events as the dates alone.
      assert.equal((await store.events({ q: 'معره النعمان', from: '2019-12-01', to: '2020-01-31' })).total, 3);
      assert.equal((await store.events({ q: 'معره النعمان', from: '2019-06-01', to: '2020-12-31' })).total, 3);
      assert.equal((await store.events({ q: 'معره النعمان', from: '2015-01-01', to: '2024-12-31' })).total, 3);
      assert.equal((await store.events({ q: 'السقيلبيه', from: '2020-01-15', to: '2020-01-15' })).total, 1);
      assert.equal((await store.events({ q: 'السقيلبيه', from: '2019-12-01', to: '2019-12-31' })).total, 0);
      assert.equal((await store.events({ q: 'السقيلبيه', from: '2020-01-16', to: '2020-02-29' })).total, 0);
      // Proclitics glued to words: "بالقذائف" is found by "القذائف", "بالمدفعية" by "المدفعية" and "مدفعية".
      assert.equal((await store.events({ q: 'القذائف' })).total, 1);
      assert.equal((await store.events({ q: 'المدفعية' })).total, 1);
      assert.equal((await store.events({ q: 'مدفعية' })).total, 1);
      const byDate = await store.events({ sort: 'event_date', limit: 100 });
      const dates = byDate.items.map((e) => e.event_date!);
      assert.deepEqual(dates, [...dates].sort());
      const byFat = await store.events({ sort: '-fatalities' });
      assert.equal(byFat.items[0].fatalities, 8);
      const p1 = await store.events({ limit: 4, offset: 0 });
      const p2 = await store.events({ limit: 4, offset: 4 });
      assert.equal(p1.items.length, 4);
      assert.equal(p2.items.length, 3);
      assert.equal(new Set([...p1.items, ...p2.items].map((e) => e.id)).size, 7);
      assert.equal((await store.events({ background: true })).total, 0);
    });

    it('aggregates by day, admin1, actor, type and stacked', async () => {
      const byAdmin = await store.aggregates('admin1');
      assert.deepEqual(byAdmin.find((r) => r.key === 'Idlib'), { key: 'Idlib', events: 4, fatalities: 8 });
      assert.deepEqual(byAdmin.find((r) => r.key === 'Hama'), { key: 'Hama', events: 1, fatalities: 3 });
      const byDay = await store.aggregates('day');
      assert.deepEqual(byDay.map((r) => r.key), ['2019-12-24', '2019-12-27', '2020-01-15', '2020-01-26']);
      assert.equal(byDay[0].events, 3);
      const byActor = await store.aggregates('actor');
      assert.equal(byActor.find((r) => r.key === 'Military Forces of Russia')?.events, 3);
      const byType = await store.aggregates('event_type', { admin1: 'Idlib' });
      assert.equal(byType.find((r) => r.key === 'Explosions/Remote violence')?.events, 4);
      const stacked = await store.aggregates('day', {}, 'event_type');
      assert.ok(stacked.some((r) => r.key === '2020-01-26' && r.group === 'Battles' && r.events === 2));
      const sub = await store.aggregates('sub_event_type');
      assert.equal(sub.reduce((n, r) => n + r.events, 0), 7);
    });

    it('lists and searches articles', async () => {
      const arts = await store.articles({});
      assert.equal(arts.total, 7);
      assert.equal((await store.articles({ q: 'السقيلبية' })).total, 2);
      assert.equal((await store.articles({ q: 'ريف حماة' })).total, 2, '"بريف حماة" and "في ريف حماة"');
      assert.equal((await store.articles({ outlet: 'فرانس' })).total, 1);
      assert.equal((await store.articles({ from: '2020-01-01' })).total, 3);
      assert.equal(await store.article('nope'), null);
      assert.equal(await store.event('nope'), null);
    });

    it('rejects a malformed extraction without writing anything', async () => {
      const bad: Article = { text: 'نص بلا أحداث صالحة', date: '2020-02-01' };
      await assert.rejects(store.saveArticle(bad, { events: [{} as ConflictEvent], figures: [], mentions: [], warnings: [] }, 'v1'), /event_type/);
      assert.equal(await store.hasArticle(bad, 'v1'), false);
      assert.equal((await store.articles({})).total, 7);
    });

    it('an article going back to an older extractor version does not collide with an event it created', async () => {
      const x: Article = { title: 'غارة على سراقب', text: 'استهدفت غارة جوية روسية مدينة سراقب شرق إدلب فجر اليوم.', date: '2020-02-03', outlet: 'شبكة شام' };
      const y: Article = { title: 'قصف جوي على سراقب', text: 'قصفت طائرات حربية روسية مدينة سراقب بريف إدلب الشرقي.', date: '2020-02-03', outlet: 'عنب بلدي' };
      const SARAQIB: Location = { name: 'Saraqib', name_ar: 'سراقب', gazetteer_id: 'gn:163806', admin1: 'Idlib', country: 'Syria', lat: 35.8647, lon: 36.8006, geo_precision: 1 };
      const strike = (a: Article, loc: Location, trigger: string) => event(a, { trigger, actor1: RUSSIA, location: loc });
      await store.saveArticle(x, result([strike(x, SARAQIB, 'غارة جوية روسية')]), 'v1');
      await store.saveArticle(y, result([strike(y, SARAQIB, 'طائرات حربية روسية')]), 'v1');
      await store.saveArticle(x, result([]), 'v2'); // the event lives on through y
      const back = await store.saveArticle(x, result([strike(x, { ...KAFRNABL }, 'غارة جوية روسية')]), 'v1');
      assert.equal(back.events_new, 1);
      const page = await store.events({ from: '2020-02-03', to: '2020-02-03' });
      assert.equal(page.total, 2);
      assert.equal(new Set(page.items.map((e) => e.id)).size, 2);
    });

    it('flush makes saved articles visible to another connection', async () => {
      const a: Article = { title: 'اشتباكات في درعا البلد', text: 'دارت اشتباكات بين مسلحين محليين وقوات النظام في درعا البلد.', date: '2021-07-29', outlet: 'تجمع أحرار حوران' };
      const r = await store.saveArticle(a, result([]), 'v1');
      await store.flush?.();
      if (engine.name !== 'sqlite') return; // PostgreSQL commits in saveArticle; its schema is private to this store
      const { openStore } = await import('./index.js');
      const other = await openStore(db);
      try {
        assert.equal((await other.article(r.article_id))?.title, a.title);
      } finally {
        await other.close();
      }
    });
  });
}
