// `marsad events` and `marsad export` as a user runs them: a child process on a temp SQLite DB
// filled with real Arabic reports; output parsed back, exit codes checked (2 = bad arguments).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/index.js';
import type { Article, ExtractResult } from '../types.js';
import { ACLED_COLUMNS, MARSAD_COLUMNS } from '../export/acled.js';
import { corpus, span } from '../serve/testdata.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let db: string;

function marsad(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** A SOHR-style report that names no place: its event cannot go on a map. */
const unplaced: Article = {
  title: 'مقتل عنصر من قوات النظام برصاص قناص',
  text:
    'وثق المرصد السوري لحقوق الإنسان مقتل عنصر من قوات النظام برصاص قناص على أحد محاور القتال، دون أن يحدد المرصد مكان الحادثة. ' +
    'وكانت قوات النظام قد سيطرت على مدينة خان شيخون في آب/أغسطس 2019 بعد معارك عنيفة مع الفصائل.',
  date: '2020-01-25',
  outlet: 'المرصد السوري لحقوق الإنسان',
  url: 'https://example.org/sohr/sniper',
};

function unplacedResult(a: Article): ExtractResult {
  return {
    events: [
      {
        event_type: 'Battles',
        sub_event_type: 'Armed clash',
        event_date: '2020-01-25',
        time_precision: 1,
        actor1: { name: 'Unidentified Armed Group (Syria)', inter: 3 },
        actor2: { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 },
        location: null,
        fatalities: 1,
        status: 'occurred',
        civilian_targeting: false,
        reported_by: 'المرصد السوري لحقوق الإنسان',
        background: false,
        evidence: { fatalities: [span(a, 'مقتل عنصر من قوات النظام برصاص قناص')] },
        notes: 'On 25 January 2020, a regime soldier was killed by sniper fire on a front line (location not reported).',
      },
      {
        event_type: 'Battles',
        sub_event_type: 'Government regains territory',
        event_date: '2019-08-21',
        time_precision: 3,
        actor1: { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 },
        actor2: { name: 'Opposition Rebels (Syria)', name_ar: 'الفصائل', inter: 2 },
        location: { name: 'Khan Shaykhun', name_ar: 'خان شيخون', country: 'Syria', admin1: 'Idlib', lat: 35.4417, lon: 36.6469, geo_precision: 1 },
        fatalities: 0,
        status: 'occurred',
        civilian_targeting: false,
        reported_by: 'المرصد السوري لحقوق الإنسان',
        background: true,
        evidence: { event_type: [span(a, 'سيطرت على مدينة خان شيخون')] },
        notes: 'In August 2019, regime forces took Khan Shaykhun from opposition factions (background mention).',
      },
    ],
    figures: [],
    mentions: [],
    warnings: [],
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marsad-cli-'));
  db = join(dir, 'test.db');
  const store = await openStore(db);
  for (const { article, result } of corpus()) await store.saveArticle(article, result, 'test-1');
  await store.saveArticle(unplaced, unplacedResult(unplaced), 'test-1');
  await store.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('marsad events: readable table, JSON, filters', async () => {
  const t = await marsad(['events', '--db', db]);
  assert.equal(t.code, 0, t.stderr);
  const text = t.stdout.toString();
  assert.match(text, /Excessive force against protesters/);
  assert.match(text, /ساحة الخلاني/);
  assert.match(text, /1-5 of 5 events/);
  assert.match(text, /Government regains territory/, 'events lists background mentions too');
  const j = await marsad(['events', '--db', db, '--json', '--country', 'Iraq']);
  assert.equal(j.code, 0, j.stderr);
  const body = JSON.parse(j.stdout.toString());
  assert.equal(body.total, 1);
  assert.equal(body.items[0].actor1.name_ar, 'قوات الأمن العراقية');
  const typed = JSON.parse((await marsad(['events', '--db', db, '--json', '--type', 'Battles', '--min-fatalities', '1', '--sort', 'fatalities'])).stdout.toString());
  assert.deepEqual(
    typed.items.map((e: { fatalities: number }) => e.fatalities),
    [1, 12],
  );
});

test('marsad events: bad arguments exit 2 with a clear message; a missing database exits 1', async () => {
  const bad = await marsad(['events', '--db', db, '--type', 'Airstrike']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--type: Invalid option/);
  const bbox = await marsad(['events', '--db', db, '--bbox', '36,35']);
  assert.equal(bbox.code, 2);
  assert.match(bbox.stderr, /--bbox: bbox must be four numbers/);
  const unknown = await marsad(['events', '--db', db, '--colour', 'red']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /colour/);
  const missing = await marsad(['events', '--db', join(dir, 'nope.db')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no database at .*nope\.db/);
  assert.ok(!existsSync(join(dir, 'nope.db')), 'reading must not create an empty database');
});

test('marsad export acled-csv: stdout without BOM, -o file with BOM, Arabic intact', async () => {
  const out = await marsad(['export', '--format', 'acled-csv', '--db', db]);
  assert.equal(out.code, 0, out.stderr);
  assert.notEqual(out.stdout[0], 0xef, 'no BOM on stdout');
  const text = out.stdout.toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], [...ACLED_COLUMNS, ...MARSAD_COLUMNS].join(','));
  assert.match(text, /المرصد السوري لحقوق الإنسان/);
  assert.match(out.stderr, /4 events/);
  const file = join(dir, 'events.csv');
  const f = await marsad(['export', '--format', 'acled-csv', '--db', db, '-o', file, '--acled-only', '--country', 'Syria']);
  assert.equal(f.code, 0, f.stderr);
  const buf = readFileSync(file);
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = buf.subarray(3).toString('utf8').trimEnd().split('\r\n');
  assert.equal(rows[0], ACLED_COLUMNS.join(','));
  assert.ok(rows.slice(1).every((r) => r.startsWith('SYR')));
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.partial')), [], 'no partial file left behind');
});

test('marsad export geojson and jsonl; events without coordinates are counted on stderr', async () => {
  const g = await marsad(['export', '--format', 'geojson', '--db', db]);
  assert.equal(g.code, 0, g.stderr);
  const fc = JSON.parse(g.stdout.toString());
  assert.equal(fc.features.length, 3);
  assert.match(g.stderr, /1 events without coordinates were left out/);
  assert.ok(!fc.features.some((f: { properties: { background: boolean } }) => f.properties.background), 'background mentions stay out by default');
  const all = JSON.parse((await marsad(['export', '--format', 'geojson', '--db', db, '--background', 'all'])).stdout.toString());
  assert.equal(all.features.length, 4);
  assert.ok(all.features.some((f: { properties: { location_ar: string } }) => f.properties.location_ar === 'خان شيخون'));
  const j = await marsad(['export', '--format', 'jsonl', '--db', db, '--limit', '2', '--sort', '-fatalities']);
  assert.equal(j.code, 0, j.stderr);
  const lines = j.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].fatalities, 12);
});

test('marsad export: bad arguments exit 2', async () => {
  for (const args of [['export', '--db', db], ['export', '--format', 'xlsx', '--db', db], ['export', '--format', 'geojson', '--bom', '--db', db], ['export', '--format', 'jsonl', '--from', '26-01-2020', '--db', db]]) {
    const r = await marsad(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^marsad export: /);
  }
});

test('marsad serve: listens, answers the API from the database, stops cleanly on SIGINT', async () => {
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--db', db, '--port', String(port), '--workers', '0'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', MARSAD_TOKEN: 'tok-123', MARSAD_READ_TOKEN: '' },
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  try {
    const deadline = Date.now() + 30_000;
    while (!/listening on/.test(err)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(err, /writes need MARSAD_TOKEN; reads open/);
    const base = `http://127.0.0.1:${port}`;
    const ev = (await (await fetch(`${base}/api/events?country=Iraq`)).json()) as { total: number };
    assert.equal(ev.total, 1);
    const w = await fetch(`${base}/api/articles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(w.status, 401);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, err);
});
