// marsad extract end to end: a JSON Lines batch with bad lines (reported, never stopping the
// batch), a plain-text article, and the terminal table keeping Arabic intact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './extract.js';
import { extract } from '../extract/index.js';
import { devArticles, teamReports } from '../scale/corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'marsad-extract-cli-'));
const marsad = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'extract', ...args], { cwd: ROOT, encoding: 'utf8' });

const SENTENCE = 'قتل خمسة مدنيين بينهم طفلان جراء غارة جوية روسية استهدفت بلدة كفرنبل بريف إدلب الجنوبي، وفق المرصد السوري.';

test('--jsonl: one output line per input line; bad lines get an error line and a stderr message', () => {
  const input = join(dir, 'in.jsonl');
  writeFileSync(
    input,
    [
      JSON.stringify({ id: 'a1', date: '2020-01-26', country: 'Syria', title: null, text: SENTENCE }),
      '{"id": "a2", "text": "غارة',
      JSON.stringify({ id: 'a3', title: 'بلا نص' }),
      JSON.stringify({ id: 'a4', date: '2020-01-26', text: 'اندلعت اشتباكات عنيفة بين قوات النظام وهيئة تحرير الشام في ريف حلب الغربي.' }),
    ].join('\n') + '\n',
  );
  const r = marsad('--jsonl', input);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(out.map((o) => o.id), ['a1', 'line-2', 'a3', 'a4']);
  assert.equal(out[0].events[0].sub_event_type, 'Air/drone strike');
  assert.equal(out[0].events[0].fatalities, 5);
  assert.ok(out[1].error && out[2].error);
  assert.equal(out[3].events[0].sub_event_type, 'Armed clash');
  assert.match(r.stderr, /in\.jsonl:2: /);
  assert.match(r.stderr, /in\.jsonl:3: .*"text"/);
  assert.equal(r.status, 1);
});

test('--jsonl --workers 2: the same output, byte for byte and in input order, as one thread', () => {
  // The dev article and the team's 24 reports (7 countries), a broken line and a line without text
  // among them, and --country for the lines that do not say theirs.
  const lines = [...devArticles(), ...teamReports()].map((a) => JSON.stringify(a));
  lines.splice(5, 0, '{"id": "broken", "text": "غارة');
  lines.splice(9, 0, JSON.stringify({ id: 'no-text', title: 'بلا نص' }));
  const input = join(dir, 'many.jsonl');
  writeFileSync(input, lines.join('\n') + '\n');
  const one = marsad('--jsonl', input, '--country', 'Syria');
  const two = marsad('--jsonl', input, '--country', 'Syria', '--workers', '2');
  assert.equal(one.status, 1);
  assert.equal(two.status, 1);
  const outLines = two.stdout.trim().split('\n');
  assert.equal(outLines.length, lines.length);
  assert.ok(outLines.filter((l) => JSON.parse(l).events?.length > 0).length >= 20, 'most reports give events');
  assert.equal(two.stdout, one.stdout);
  assert.equal(two.stderr, one.stderr);
  assert.equal(marsad('--jsonl', input, '--workers', '0').status, 2);
});

test('a plain text file with --date prints JSON events; a bad --date is refused', () => {
  const f = join(dir, 'a.txt');
  writeFileSync(f, SENTENCE);
  const r = marsad('--format', 'json', '--date', '2020-01-26', f);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.events[0].event_date, '2020-01-26');
  assert.equal(res.events[0].evidence.fatalities[0].text, 'قتل');
  const bad = marsad('--date', '26/01/2020', f);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /YYYY-MM-DD/);
});

test('table: aligned columns with Arabic intact', () => {
  const r = extract({ text: SENTENCE, date: '2020-01-26' });
  const t = table(r.events, r);
  const lines = t.split('\n');
  assert.match(lines[0], /sub_event_type/);
  assert.ok(lines.some((l) => l.includes('Air/drone strike') && l.includes('المرصد السوري لحقوق الإنسان')));
  assert.equal(lines[0].indexOf('date'), lines[2].indexOf('2020-01-26'));
});

test('a plain text file: a short first line before a blank line is the headline', async () => {
  const { parseArticle } = await import('./extract.js');
  const a = parseArticle('سوريا.. قوات النظام تفشل في دخول معرة النعمان بإدلب \n\nالمرصد السوري لحقوق الإنسان إن اشتباكات عنيفة مستمرة.');
  assert.equal(a.title, 'سوريا.. قوات النظام تفشل في دخول معرة النعمان بإدلب');
  assert.match(a.text, /^المرصد السوري/);
  const r = extract({ ...a, date: '2020-01-26' });
  const failed = r.events.find((e) => e.status === 'failed');
  assert.ok(failed && failed.evidence.status.every((x) => x.part === 'title' && a.title!.slice(x.start, x.end) === x.text));
  assert.deepEqual(parseArticle('سطر واحد فقط'), { text: 'سطر واحد فقط' });
});
