import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGazetteer, nameKey, distanceKm, Gazetteer } from './index.js';
import { buildGazetteer } from './build.js';
import { writeGazetteerFile, readGazetteerFile, GazetteerFileError } from './store.js';
import { AdminIndex, importAdminGeoJSON } from './import/geojson.js';
import { defaultContext } from './import/lines.js';
import { splitComposite } from './import/ocha.js';
import { FULL_SOURCES, fullBuild, fullGazetteer, haveSharedData } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'marsad-gaz-test-'));
const quiet = { quiet: true, builtin: false } as const;

test('built-in gazetteer: city-level places of Syria and the region, admin1 in ACLED spelling', () => {
  const g = loadGazetteer();
  assert.ok(g.size > 1000, `built-in has ${g.size} places`);
  const aleppo = g.lookup(nameKey('حلب')).find((e) => e.feature_class === 'city');
  assert.ok(aleppo);
  assert.equal(aleppo.admin1, 'Aleppo');
  assert.ok(distanceKm(aleppo.lat, aleppo.lon, 36.2, 37.16) < 5);
  const idlib = g.lookup(nameKey('إدلب'));
  assert.ok(idlib.some((e) => e.feature_class === 'admin1' && e.admin1 === 'Idlib'));
  assert.ok(idlib.some((e) => e.feature_class === 'city' && e.admin1 === 'Idlib'));
  const maara = g.lookup(nameKey('معرّة النعمان'));
  assert.equal(maara[0]?.admin1, 'Idlib');
  // Hama spelled with ha or ta marbuta, Deir ez-Zor with its own admin1 name.
  assert.ok(g.lookup(nameKey('حماه')).some((e) => e.admin1 === 'Hama'));
  assert.ok(g.lookup(nameKey('دير الزور')).some((e) => e.admin1 === 'Deir ez Zor'));
  // Neighbours are in: Mosul in Iraq.
  assert.ok(g.lookup(nameKey('الموصل')).some((e) => e.iso === 'IQ'));
  // ال toggling in lookup()
  assert.ok(g.lookup(nameKey('رقة')).some((e) => e.admin1 === 'Raqqa'));
});

test('store: round trip keeps every field, and a non-gazetteer file is a clear error', () => {
  const g = loadGazetteer();
  const p = join(tmp, 'rt.json');
  writeGazetteerFile(p, g.entries.slice(0, 50), ['test']);
  const g2 = readGazetteerFile(p);
  assert.equal(g2.size, 50);
  assert.deepEqual(g2.entries[10].lat, Math.round(g.entries[10].lat * 1e5) / 1e5);
  assert.equal(g2.get(g.entries[10].id)?.name_en, g.entries[10].name_en);
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{"rows": 3}');
  assert.throws(() => readGazetteerFile(bad), GazetteerFileError);
  writeFileSync(bad, 'not json');
  assert.throws(() => readGazetteerFile(bad), /not a marsad gazetteer/);
});

test('OCHA composite names are split into aliases', () => {
  assert.deepEqual(splitComposite('معارة النعسان_معارة الحاسك'), ['معارة النعسان', 'معارة الحاسك']);
  assert.deepEqual(splitComposite('Ora Qabli - Edwan'), ['Ora Qabli', 'Edwan']);
  assert.deepEqual(splitComposite('تل رفعت'), ['تل رفعت']);
});

test('malformed files: bad rows reported with line numbers and skipped, good rows kept', async () => {
  const ocha = join(tmp, 'ocha.csv');
  writeFileSync(
    ocha,
    [
      'pcode,name_en,name_ar,adm1_pcode,adm2_en,adm3_en,lat,lon,capital_level',
      'C1,Kafr Nobol,كفر نبل,SY07,Al Ma\'ra,Kafr Nobol,35.61341,36.56103,3',
      'C2,Nowhere,مكان,SY07,x,y,abc,36.5,',
      'C3,"Has, the village",حاس,SY07,Al Ma\'ra,Kafr Nobol,35.61585,36.5963,',
      'C4,,,SY07,x,y,35.1,36.1,',
      'C5,Barsa,البرسة,SY07,Al Ma\'ra,Maarrat,35.68648,36.88261,',
    ].join('\n'),
  );
  const osm = join(tmp, 'osm.csv');
  writeFileSync(osm, ['osm_id,name,type,population,lon,lat', '1,سمكة,village,,36.9088,35.6969', 'x,بلا رقم,village,,36.9,35.6', '3,قرية,village,,,', '4,"غير مغلق,village,,36,35'].join('\n'));
  const gn = join(tmp, 'gn.txt');
  writeFileSync(gn, ['169389\tIdlib\tIdlib\tIdlib,إدلب\t35.93062\t36.63393\tP\tPPLA\tSY\t\t12\t\t\t\t128840\t\t449\tAsia/Damascus\t2020-01-01', 'short\tline', '1\tX\tX\t\tnan\t36\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t0\tAsia/Damascus\t2020-01-01'].join('\n'));
  const geo = join(tmp, 'adm.geojson');
  writeFileSync(geo, JSON.stringify({ type: 'FeatureCollection', features: [{ properties: { PCODE: 'SY07', NAME_EN: 'Idleb', NAME_AR: 'إدلب' }, geometry: { type: 'Polygon', coordinates: [[[36, 35], [37.5, 35], [37.5, 36.5], [36, 36.5], [36, 35]]] } }, { properties: { PCODE: 'SY99' }, geometry: null }, { properties: { foo: 1 }, geometry: { type: 'Polygon', coordinates: [] } }] }));
  const r = await buildGazetteer({ ...quiet, ocha: [ocha], osm: [osm], geonames: [gn], adminGeojson: [geo] });
  const rep = (f: string) => r.reports.find((x) => x.format === f)!;
  assert.deepEqual(rep('ocha').bad.map((b) => b.line), [3, 5]);
  assert.equal(rep('ocha').added, 3);
  assert.deepEqual(rep('osm').bad.map((b) => b.line), [3, 4, 5]);
  assert.equal(rep('osm').added, 1);
  assert.deepEqual(rep('geonames').bad.map((b) => b.line), [2, 3]);
  assert.deepEqual(rep('admin-geojson').bad.map((b) => b.line), [2, 3]);
  const g = new Gazetteer(r.entries);
  // The quoted comma survived; the OSM point got its admin1 from the polygon.
  assert.equal(g.lookup(nameKey('حاس'))[0]?.name_en, 'Has, the village');
  assert.equal(g.lookup(nameKey('سمكة'))[0]?.admin1, 'Idlib');
  // Spaced and unspaced spellings meet on one key.
  assert.equal(g.lookup(nameKey('كفرنبل'))[0]?.name_en, 'Kafr Nobol');
  // A file that is not the format at all fails loudly, naming the file.
  const notCsv = join(tmp, 'notocha.csv');
  writeFileSync(notCsv, 'a,b\n1,2\n');
  await assert.rejects(buildGazetteer({ ...quiet, ocha: [notCsv] }), /not an OCHA P-code table/);
});

test('real files in ../shared: every importer, merged, with parents from the polygons', { skip: !haveSharedData() && 'no ../shared data' }, async () => {
  // The same build as the cached full gazetteer the other tests load (built once per file).
  const r = await fullBuild();
  const rep = (f: string) => r.reports.filter((x) => x.format === f);
  assert.equal(rep('ocha')[0].rows, 5251);
  assert.equal(rep('ocha')[0].bad.length, 0);
  assert.equal(rep('opensyria')[0].added, 14 + 62 + 272);
  assert.deepEqual(rep('admin-geojson').map((x) => x.added), [14, 62, 272]);
  assert.equal(rep('geonames')[0].rows, 1498);
  const osm = rep('osm')[0];
  assert.equal(osm.rows, 11805);
  // Rows with no name are reported by line (line 20 of the file has an empty name), border points skipped.
  assert.ok(osm.bad.some((b) => b.line === 20 && /no name/.test(b.reason)));
  assert.ok(osm.skipped > 300 && osm.skipped < 1000, `skipped ${osm.skipped}`);
  const g = new Gazetteer(r.entries);
  // OCHA + OSM + GeoNames copies of one town are one entry.
  const maara = g.lookup(nameKey('معرة النعمان')).filter((e) => e.feature_class !== 'admin2' && e.feature_class !== 'admin3');
  assert.equal(maara.length, 1);
  assert.match(maara[0].source, /ocha/);
  assert.match(maara[0].source, /osm/);
  assert.equal(maara[0].admin1, 'Idlib');
  // Composite OCHA name split: الحميرة_آشكجي answers to الحميرة too.
  assert.ok(g.lookup(nameKey('الحميرة')).some((e) => e.id === 'ocha:C2258'));
  // An OSM-only village gets admin1/2/3 from the COD-AB polygons.
  const osmOnly = r.entries.filter((e) => e.source === 'osm' && e.iso === 'SY');
  assert.ok(osmOnly.length > 3000);
  const withParents = osmOnly.filter((e) => e.admin1 && e.admin2 && e.admin3).length;
  assert.ok(withParents / osmOnly.length > 0.99, `${withParents}/${osmOnly.length}`);
  // Admin1 names are ACLED's everywhere.
  const acled = new Set(['Aleppo', 'Idlib', 'Hama', 'Homs', 'Damascus', 'Rural Damascus', 'Dara', 'Deir ez Zor', 'Hasakeh', 'Raqqa', 'Lattakia', 'Tartous', 'Quneitra', 'As-Sweida']);
  const odd = r.entries.filter((e) => e.iso === 'SY' && e.feature_class !== 'country' && !acled.has(e.admin1 ?? ''));
  assert.deepEqual(odd.map((e) => `${e.id} ${e.admin1}`).slice(0, 5), []);
});

test('admin polygons: point-in-polygon gives the sub-district', { skip: !haveSharedData() && 'no ../shared data' }, () => {
  const idx = new AdminIndex();
  for (const p of FULL_SOURCES.adminGeojson) importAdminGeoJSON(p, idx, defaultContext({ quiet: true }));
  const r = idx.locate(35.6969, 36.9088); // Samkeh
  assert.equal(r?.a1?.pcode, 'SY07');
  assert.equal(r?.a2?.pcode, 'SY0702');
  assert.equal(idx.locate(41.0, 29.0), undefined); // Istanbul
});

test('full gazetteer file loads from disk and answers village names', { skip: !haveSharedData() && 'no ../shared data' }, async () => {
  const g = await fullGazetteer();
  assert.ok(g.size > 12000, `${g.size}`);
  assert.ok(g.lookup(nameKey('البرسة')).some((e) => e.admin1 === 'Idlib'));
  // Two villages called سمكة (Idlib and Tartous) stay two entries.
  const s = new Set(g.lookup(nameKey('سمكة')).map((e) => e.admin1));
  assert.ok(s.has('Idlib') && s.has('Tartous'), [...s].join(','));
});

test('GeoNames alternateNames add spellings to loaded places; bad lines are reported', async () => {
  const gn = join(tmp, 'gn2.txt');
  // Maarat al-Numan with no Arabic spelling in the main table: alternateNames supplies it.
  writeFileSync(gn, "167611\tMa`arrat an Nu`man\tMa`arrat an Nu`man\t\t35.6483\t36.67693\tP\tPPLA2\tSY\t\t12\t\t\t\t58008\t\t496\tAsia/Damascus\t2020-01-01\n");
  const alt = join(tmp, 'alt.txt');
  writeFileSync(alt, ['1\t167611\tar\tمعرة النعمان\t1\t\t\t\t\t', '2\t167611\tfa\tمعره‌النعمان\t\t\t\t\t\t', 'garbage', '3\t999\tar\tمكان\t\t\t\t\t\t'].join('\n'));
  const r = await buildGazetteer({ ...quiet, geonames: [gn], alternateNames: [alt] });
  const rep = r.reports.find((x) => x.format === 'geonames-alternatenames')!;
  assert.deepEqual(rep.bad.map((b) => b.line), [3]);
  assert.equal(rep.added, 1);
  const g = new Gazetteer(r.entries);
  assert.equal(g.get('gn:167611')?.name_ar, 'معرة النعمان');
  assert.deepEqual(g.lookup(nameKey('معرة النعمان')).map((x) => x.id), ['gn:167611']);
});

test('marsad gazetteer import writes a file that loadGazetteer reads', async () => {
  const { run } = await import('../cli/gazetteer.js');
  const ocha = join(tmp, 'cli-ocha.csv');
  writeFileSync(ocha, "pcode,name_en,name_ar,adm1_pcode,adm2_en,adm3_en,lat,lon,capital_level\nC3975,Barsa,البرسة,SY07,Al Ma'ra,Maarrat,35.68648,36.88261,\n");
  const out = join(tmp, 'cli-gaz.json');
  const code = await run(['import', '--ocha', ocha, '--no-builtin', '--quiet', '-o', out]);
  assert.equal(code, 0);
  const g = loadGazetteer(out);
  assert.equal(g.lookup(nameKey('البرسة'))[0]?.id, 'ocha:C3975');
  assert.equal(await run(['import', '--ocha', ocha]), 2); // no -o
});

test('OCHA admin P-code table (no coordinates) adds names to the admin units; geoBoundaries ISO3', async () => {
  const geo = join(tmp, 'adm2.geojson');
  const square = { type: 'Polygon', coordinates: [[[36.4, 35.3], [37.0, 35.3], [37.0, 35.8], [36.4, 35.8], [36.4, 35.3]]] };
  writeFileSync(geo, JSON.stringify({ type: 'FeatureCollection', features: [{ properties: { PCODE: 'SY0702', NAME_EN: "Al Ma'ra", NAME_AR: 'معرة النعمان', ADM1_PCODE: 'SY07' }, geometry: square }] }));
  const table = join(tmp, 'admin-table.csv');
  writeFileSync(table, ['admin1Name_en,admin1Name_ar,admin1Pcode,admin2Name_en,admin2Name_ar,admin2RefName_ar,admin2Pcode', "Idleb,إدلب,SY07,Al Ma'ra,معرة النعمان,منطقة المعرة,SY0702", ',,,,,,'].join('\n'));
  const r = await buildGazetteer({ ...quiet, adminGeojson: [geo], ocha: [table] });
  const rep = r.reports.find((x) => x.format === 'ocha')!;
  assert.deepEqual(rep.bad.map((b) => b.line), [3]);
  const g = new Gazetteer(r.entries);
  assert.ok(g.lookup(nameKey('منطقة المعرة')).some((e) => e.id === 'ocha:SY0702'));
  assert.equal(g.get('ocha:SY0702')?.admin1, 'Idlib');

  const gb = join(tmp, 'geoboundaries.geojson');
  writeFileSync(gb, JSON.stringify({ type: 'FeatureCollection', features: [{ properties: { shapeName: 'Nineveh', shapeID: 'IRQ-ADM1-1', shapeGroup: 'IRQ', shapeType: 'ADM1' }, geometry: { type: 'Polygon', coordinates: [[[42, 35.5], [44, 35.5], [44, 37], [42, 37], [42, 35.5]]] } }] }));
  const idx = new AdminIndex();
  importAdminGeoJSON(gb, idx, defaultContext({ quiet: true }));
  assert.equal(idx.units[0].iso, 'IQ');
  assert.equal(idx.locate(36.34, 43.13)?.a1?.name_en, 'Nineveh');
});
