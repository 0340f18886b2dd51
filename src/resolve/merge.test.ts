// The merge decision and the merged event, on hand-built events in the shape the extractor emits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConflictEvent, Location } from '../types.js';
import type { EventSource } from '../store/types.js';
import {
  sameEvent,
  bestMatch,
  datesCompatible,
  placesCompatible,
  typesCompatible,
  actorsCompatible,
  fatalityRange,
  sourceTier,
  mergeSources,
  mergeStep,
  dateWindow,
  gridCell,
  neighbourCells,
  distanceKm,
} from './merge.js';

const SARAQIB: Location = { name: 'Saraqib', name_ar: 'سراقب', gazetteer_id: 'gn:163806', admin1: 'Idlib', lat: 35.8647, lon: 36.8006, geo_precision: 1 };
const NEAR_SARAQIB: Location = { name: 'Saraqib', name_ar: 'محيط سراقب', admin1: 'Idlib', lat: 35.8647, lon: 36.8006, geo_precision: 2 };
const NAYRAB: Location = { name: 'An Nayrab', name_ar: 'النيرب', gazetteer_id: 'gn:166467', admin1: 'Idlib', lat: 35.8322, lon: 36.7375, geo_precision: 1 };
const IDLIB_REGION: Location = { name: 'Idlib', name_ar: 'ريف إدلب', admin1: 'Idlib', lat: 35.93, lon: 36.63, geo_precision: 3 };

function ev(o: Partial<ConflictEvent> = {}): ConflictEvent {
  return {
    event_type: 'Explosions/Remote violence',
    sub_event_type: 'Air/drone strike',
    event_date: '2020-02-03',
    time_precision: 1,
    actor1: { name: 'Military Forces of Russia', inter: 8 },
    actor2: { name: 'Civilians (Syria)', inter: 7 },
    location: SARAQIB,
    fatalities: 0,
    status: 'occurred',
    civilian_targeting: true,
    reported_by: null,
    background: false,
    evidence: {},
    notes: '',
    ...o,
  };
}

function src(article_id: string, e: ConflictEvent, o: Partial<EventSource> = {}): EventSource {
  return { article_id, outlet: null, url: null, reported_by: e.reported_by, published: e.event_date, fatalities: e.fatalities, event: e, ...o };
}

describe('merge decision', () => {
  it('same strike, same village and day from two outlets: same event', () => {
    assert.equal(sameEvent(ev(), ev({ fatalities: 5 })).same, true);
    // An outlet that does not name the attacker (one side unknown) is compatible.
    assert.equal(sameEvent(ev(), ev({ actor1: null })).same, true);
  });

  it('dates: |d| <= 1 at day precision; week and month windows overlap', () => {
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-02-04' })), true);
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-02-05' })), false);
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-02-07', time_precision: 2 })), true);
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-02-09', time_precision: 2 })), false);
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-02-15', time_precision: 3 })), true);
    assert.equal(datesCompatible(ev(), ev({ event_date: '2020-03-15', time_precision: 3 })), false);
    assert.equal(datesCompatible(ev(), ev({ event_date: null })), false);
    assert.deepEqual(dateWindow('2020-02-15', 3), { lo: '2020-02-01', hi: '2020-02-29' });
  });

  it('places: same gazetteer id; two named villages stay apart; "near" within 10 km; regions by admin1 and exact type', () => {
    assert.equal(placesCompatible(SARAQIB, { ...SARAQIB }).ok, true);
    assert.ok(distanceKm(SARAQIB.lat!, SARAQIB.lon!, NAYRAB.lat!, NAYRAB.lon!) < 10);
    assert.equal(placesCompatible(SARAQIB, NAYRAB).ok, false, 'two villages 7 km apart are two events');
    assert.equal(placesCompatible(SARAQIB, NEAR_SARAQIB).ok, true);
    assert.equal(placesCompatible(NAYRAB, NEAR_SARAQIB).ok, true);
    assert.equal(placesCompatible(SARAQIB, { ...SARAQIB, gazetteer_id: null, lat: 35.87, lon: 36.81 }).ok, true, 'same place without id, < 2 km');
    const r = placesCompatible(SARAQIB, IDLIB_REGION);
    assert.deepEqual(r, { ok: true, exactTypeRequired: true });
    assert.equal(sameEvent(ev(), ev({ location: IDLIB_REGION })).same, true);
    assert.equal(sameEvent(ev(), ev({ location: IDLIB_REGION, sub_event_type: 'Shelling/artillery/missile attack' })).same, false);
    assert.equal(placesCompatible(SARAQIB, { ...IDLIB_REGION, admin1: 'Aleppo' }).ok, false);
    assert.equal(placesCompatible(SARAQIB, null).ok, false);
  });

  it('types: clash ~ territorial change (territory kept), air strike vs shelling apart', () => {
    const clash = ev({ event_type: 'Battles', sub_event_type: 'Armed clash', actor1: { name: 'Military Forces of Syria', inter: 1 }, actor2: { name: 'Opposition Rebels (Syria)', inter: 2 } });
    const regain = { ...clash, sub_event_type: 'Government regains territory' };
    const overtake = { ...clash, sub_event_type: 'Non-state actor overtakes territory' };
    assert.equal(typesCompatible(clash, regain), true);
    assert.equal(typesCompatible(regain, overtake), false);
    assert.equal(typesCompatible(ev(), ev({ sub_event_type: 'Shelling/artillery/missile attack' })), false);
    const m = mergeSources([src('a', clash), src('b', regain)]);
    assert.equal(m.sub_event_type, 'Government regains territory');
  });

  it('actors: same inter set or a subset; different sides are different events', () => {
    assert.equal(actorsCompatible(ev(), ev({ actor1: { name: 'Military Forces of Syria', inter: 1 } })), false);
    assert.equal(actorsCompatible(ev(), ev({ actor1: null, actor2: null })), true);
  });

  it('bestMatch picks the closest candidate', () => {
    const a = ev({ id: 'a', event_date: '2020-02-02' });
    const b = ev({ id: 'b' });
    const c = ev({ id: 'c', location: NAYRAB });
    assert.equal(bestMatch([a, c, b], ev())?.id, 'b');
    assert.equal(bestMatch([c], ev()), null);
    assert.equal(bestMatch([ev({ background: true })], ev()), null);
  });

  it('grid cells: a place within 10 km is always in the 3x3 neighbourhood', () => {
    const cells = neighbourCells(SARAQIB.lat!, SARAQIB.lon!);
    assert.ok(cells.includes(gridCell(NEAR_SARAQIB.lat!, NEAR_SARAQIB.lon!)));
    assert.ok(cells.includes(gridCell(SARAQIB.lat! + 0.09, SARAQIB.lon! - 0.11)));
    assert.equal(new Set(cells).size, 9);
  });
});

describe('fatalities across sources', () => {
  it('tiers from lexicon/source_tiers.tsv: monitor 1, agency/own voice 2, party 3', () => {
    assert.equal(sourceTier({ reported_by: 'المرصد السوري لحقوق الإنسان', outlet: 'عنب بلدي' }), 1);
    assert.equal(sourceTier({ reported_by: 'الأمم المتحدة', outlet: null }), 1);
    assert.equal(sourceTier({ reported_by: null, outlet: 'وكالة فرانس برس' }), 2);
    assert.equal(sourceTier({ reported_by: null, outlet: 'عنب بلدي' }), 2);
    assert.equal(sourceTier({ reported_by: 'سانا', outlet: 'الوطن' }), 3);
    assert.equal(sourceTier({ reported_by: 'مصدر عسكري', outlet: null }), 3);
  });

  it('low = min, high = max of reported figures; best = most reliable, then most recent; 0 = not reported', () => {
    const s = (f: number, reported_by: string | null, published: string) => ({ fatalities: f, reported_by, outlet: null, published });
    assert.deepEqual(fatalityRange([s(5, 'سانا', '2020-02-03'), s(3, 'المرصد السوري', '2020-02-03'), s(0, null, '2020-02-03')]), { low: 3, best: 3, high: 5, bestIndex: 1 });
    // The monitor's revised (later) toll wins over its first count.
    assert.equal(fatalityRange([s(7, 'المرصد السوري', '2020-02-03'), s(9, 'المرصد السوري', '2020-02-04'), s(12, null, '2020-02-04')]).best, 9);
    assert.deepEqual(fatalityRange([s(0, null, '2020-02-03')]), { low: 0, best: 0, high: 0, bestIndex: -1 });
  });

  it('the merged event: most precise place and date, evidence of both articles, folding = all at once', () => {
    const a = ev({ location: NEAR_SARAQIB, time_precision: 2, fatalities: 4, reported_by: 'سانا', evidence: { location: [{ part: 'text', start: 0, end: 10, text: 'محيط سراقب' }] } });
    const b = ev({ fatalities: 6, reported_by: 'المرصد السوري', notes: 'SOHR: 6 killed', evidence: { location: [{ part: 'text', start: 5, end: 10, text: 'سراقب' }] } });
    const sources = [src('art-a', a), src('art-b', b)];
    const m = mergeSources(sources);
    assert.deepEqual(m.location, SARAQIB);
    assert.equal(m.time_precision, 1);
    assert.deepEqual([m.fatalities_low, m.fatalities_best, m.fatalities_high, m.fatalities], [4, 6, 6, 6]);
    assert.equal(m.reported_by, 'المرصد السوري');
    assert.equal(m.notes, 'SOHR: 6 killed');
    assert.deepEqual(m.evidence.location.map((e) => e.article_id), ['art-a', 'art-b']);
    const step = mergeStep(mergeStep(null, sources[0], [sources[0]]), sources[1], sources);
    assert.deepEqual(step, m);
  });
});

describe('reduceFigures', () => {
  it('keeps low/best/high, which source is best, and every source name, for any next report', async () => {
    const { reduceFigures, fatalityRange } = await import('./merge.js');
    const outlets = ['المرصد السوري لحقوق الإنسان', 'سانا', 'عنب بلدي', 'فرانس برس', null];
    const reporters = ['المرصد السوري لحقوق الإنسان', 'الدفاع المدني', 'وكالة سانا', null];
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const fig = () => ({
      outlet: outlets[rnd(outlets.length)],
      reported_by: reporters[rnd(reporters.length)],
      published: `2020-01-${String(1 + rnd(28)).padStart(2, '0')}`,
      fatalities: rnd(3) === 0 ? 0 : rnd(40),
    });
    for (let t = 0; t < 300; t++) {
      const xs = Array.from({ length: 1 + rnd(60) }, fig);
      const next = fig();
      const reduced = reduceFigures(xs);
      assert.ok(reduced.length <= Math.max(8, outlets.length * reporters.length + 3));
      const full = fatalityRange([...xs, next]);
      const part = fatalityRange([...reduced, next]);
      assert.deepEqual([part.low, part.best, part.high], [full.low, full.best, full.high]);
      assert.equal(part.bestIndex === reduced.length, full.bestIndex === xs.length, 'the new report is best in both or in neither');
      const names = (l: { outlet: string | null; reported_by: string | null }[]) => new Set(l.map((s) => `${s.outlet}|${s.reported_by}`));
      assert.deepEqual(names(reduced), names(xs));
    }
  });
});
