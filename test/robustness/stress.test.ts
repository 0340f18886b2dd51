// Text that stresses the rules: long lists of village names, 30-digit numbers, the year 3000,
// every token a trigger, and adversarial strings for regex backtracking. Extraction time must grow
// linearly (time for 4n over time for n stays well below 16, the quadratic ratio), and a runaway
// extraction is cut by the per-article time budget and reported, the rest of the batch stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { extract, defaultGazetteerInstance } from '../../src/extract/index.js';
import { readNumbers } from '../../src/text/numbers.js';
import { readDates } from '../../src/text/dates.js';
import { normalize } from '../../src/text/normalize.js';
import { ingest } from '../../src/ingest/index.js';
import { openStore } from '../../src/store/index.js';
import { createExtractPool } from '../../src/scale/pool.js';

const date = '2020-01-26';
const REPORT = 'قتل 5 عناصر من قوات النظام جراء استهداف فصائل المعارضة لمواقعهم بالقذائف الصاروخية على محور كبانة في ريف اللاذقية الشمالي، وفق ما أفاد المرصد السوري لحقوق الإنسان.';

// A full garbage collection before each measure, so one run does not pay for the previous one's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Fastest of 3 runs, in CPU time of this process (ms): the machine is shared by several engineers,
 * so wall time measures their jobs too; the minimum is the least disturbed measure.
 */
function best(f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < 3; i++) {
    gc();
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    b = Math.min(b, (c.user + c.system) / 1000);
  }
  return b;
}

/**
 * t(4n)/t(n) for a text generator. n grows (x2) until the base run takes 10 ms (CPU) or 4n reaches
 * maxChars (24 000 characters, ten long reports: beyond that allocation and GC, not the rules,
 * dominate; see SECURITY.md); another engineer's job can land in one measure, so a ratio above
 * the bound is measured again (up to 4 times, keeping each size's fastest run) before it counts.
 */
function growth(run: (s: string) => void, gen: (n: number) => string, n0: number, maxChars = 24_000, bound = 8) {
  let n = n0;
  run(gen(n)); // warm-up for this shape
  while (gen(2 * n).length * 4 <= maxChars && best(() => run(gen(n))) < 10) n *= 2;
  const small = gen(n);
  const big = gen(4 * n);
  // Each side's fastest run over all attempts: the least disturbed measure of each size.
  let t1 = Infinity;
  let t4 = Infinity;
  let out = { chars: small.length, t1: 0, t4: 0, ratio: Infinity };
  for (let attempt = 0; attempt < 4 && out.ratio >= bound; attempt++) {
    t1 = Math.min(t1, best(() => run(small)));
    t4 = Math.min(t4, best(() => run(big)));
    out = { chars: small.length, t1, t4, ratio: t4 / Math.max(t1, 5) }; // below 5 ms a ratio is timer noise
  }
  return out;
}

// Each generator gives a text of about n units; n is chosen so the base run takes some milliseconds.
const ADVERSARIAL: [string, (n: number) => string, number][] = [
  ['a run of one letter', (n) => 'ا'.repeat(n * 100), 100],
  ['a run of tatweel between letters', (n) => 'قـ'.repeat(n * 50) + 'تل', 100],
  ['diacritics on every letter', (n) => 'كَتَبَ الوَلَدُ '.repeat(n * 5), 100],
  ['alternating punctuation', (n) => '.،'.repeat(n * 20), 100],
  ['dot-space runs', (n) => '. '.repeat(n * 20), 100],
  ['comma-separated digits', (n) => '1,'.repeat(n * 40) + '1', 50],
  ['Arabic-Indic digits with separators', (n) => '١٢٣٬'.repeat(n * 20), 50],
  ['open quotes and brackets never closed', (n) => '"«('.repeat(n * 15) + 'قتل', 50],
  ['the same preposition', (n) => 'من '.repeat(n * 20), 50],
  ['a run of conjunction waw', (n) => 'و'.repeat(n * 100) + 'قتل', 100],
  ['number words chained', (n) => 'ثلاثة آلاف وخمسمائة و'.repeat(n * 2), 50],
  ['dates in the year 3000', (n) => 'في 26 كانون الثاني 3000 '.repeat(n), 60],
];

test('extraction time grows linearly on adversarial text (t(4n)/t(n) < 8)', () => {
  extract({ text: REPORT, date }); // warm up the JIT and load the gazetteer
  const rows: string[] = [];
  for (const [name, gen, n] of ADVERSARIAL) {
    const g = growth((t) => extract({ text: t, date }), gen, n);
    rows.push(`${name}: ${g.chars} chars ${g.t1.toFixed(1)} ms, x4 ${g.t4.toFixed(1)} ms, ratio ${g.ratio.toFixed(1)}`);
    assert.ok(g.ratio < 8, `superlinear: ${rows[rows.length - 1]}`);
  }
  console.log(rows.join('\n'));
});

// Trigger-dense text was quadratic (CPU time per doubling of 'قتل قصف اشتباكات غارة.' 1.9 to 4.0,
// 1.3 s at 29 440 characters): dedupe rebuilt an event's evidence key set at each of thousands of
// merges, readCasualties searched for a toll's "إلى" to the end of the text for every casualty
// word, and several stages filtered all of a sentence's frames, markers or words for each act.
// All are bounded now (about 80 ms at 29 440 characters), also in one endless sentence.
const DENSE: [string, (n: number) => string, number][] = [
  ['report sentences repeated', (n) => `${REPORT} `.repeat(n), 8],
  ['every token a trigger word', (n) => 'قتل قصف اشتباكات غارة. '.repeat(n), 40],
  ['30-digit numbers, a killing in each sentence', (n) => 'قتل 123456789012345678901234567890 مدنيا في 3000/1/1. '.repeat(n), 30],
  ['actor names chained', (n) => 'قوات النظام والفصائل المعارضة وهيئة تحرير الشام وحزب الله '.repeat(n), 30],
  // One endless sentence: no full stop at all, or clauses split only by "،".
  ['trigger words with no full stop', (n) => 'قتل قصف اشتباكات غارة '.repeat(n), 40],
  ['strikes in comma-separated clauses of one sentence', (n) => 'غارة روسية على إدلب، '.repeat(n), 40],
];
test('trigger- and actor-dense text: extraction time grows linearly up to 24 000 characters', () => {
  const bad: string[] = [];
  for (const [name, gen, n] of DENSE) {
    const g = growth((t) => extract({ text: t, date }), gen, n);
    const row = `${name}: ${g.chars} chars ${g.t1.toFixed(1)} ms, x4 ${g.t4.toFixed(1)} ms, ratio ${g.ratio.toFixed(1)}`;
    console.log(row);
    if (g.ratio >= 8) bad.push(row);
  }
  assert.deepEqual(bad, []);
});

test('the text readers stay linear too (numbers, dates, normalisation) on long runs', () => {
  const gens: [string, (n: number) => string][] = [
    ['digits', (n) => '9'.repeat(n)],
    ['digit groups', (n) => '1,000,'.repeat(n / 6)],
    ['dots', (n) => '1.'.repeat(n / 2)],
    ['slashes', (n) => '1/'.repeat(n / 2)],
    ['diacritics', (n) => 'َ'.repeat(n)],
  ];
  for (const [name, gen] of gens) {
    const run = (s: string) => {
      const t = normalize(s).text;
      readNumbers(t);
      readDates(t, date);
    };
    const g = growth(run, gen, 25_000, 100_000);
    assert.ok(g.ratio < 8, `${name}: ${g.t1.toFixed(1)} ms -> ${g.t4.toFixed(1)} ms`);
  }
});

test('a list of 200 village names is read as places, in bounded time', () => {
  const gz = defaultGazetteerInstance();
  // Real one-word place names of the gazetteer (Syria), as a SOHR list of shelled villages reads.
  const names = [...new Set(gz.entries.filter((e) => e.iso === 'SY' && e.name_ar && !/\s/.test(e.name_ar) && /village|town/.test(e.feature_class)).map((e) => e.name_ar))];
  assert.ok(names.length >= 20, `gazetteer has ${names.length} one-word Syrian villages/towns`);
  const list = Array.from({ length: 200 }, (_, i) => names[i % names.length]);
  const text = `قصفت قوات النظام بالمدفعية الثقيلة قرى وبلدات ${list.join(' و')} في أرياف إدلب وحماة وحلب، وفق المرصد السوري لحقوق الإنسان.`;
  const t0 = performance.now();
  const r = extract({ text, date });
  const ms = performance.now() - t0;
  const places = r.mentions.filter((m) => m.kind === 'place');
  // Every distinct name of the list is found at least once (repeats may be merged).
  const found = new Set(places.map((p) => normalize(p.text).text));
  const distinct = new Set(list.map((n) => normalize(n).text));
  const hit = [...distinct].filter((n) => [...found].some((f) => f.includes(n) || n.includes(f))).length;
  assert.ok(hit >= distinct.size * 0.8, `places found for ${hit} of ${distinct.size} names`);
  assert.ok(r.events.length >= 1 && r.events.length <= list.length + 5, `${r.events.length} events`);
  assert.ok(ms < 20_000, `${ms} ms`);
});

test('30-digit numbers and the year 3000 give no absurd fatalities or dates', () => {
  const r = extract({ text: 'قتل 123456789012345678901234567890 مدنيا وأصيب 99999999999 آخرون في قصف على مدينة حلب يوم 26 كانون الثاني 3000، وفي 1/1/3000 قصفت الطائرات بلدة سراقب.', date });
  assert.ok(r.events.length >= 1);
  for (const e of r.events) {
    assert.ok(Number.isSafeInteger(e.fatalities) && e.fatalities <= 1_000_000, `fatalities ${e.fatalities}`);
    if (e.event_date) assert.ok(e.event_date >= '1900-01-01' && e.event_date <= date, `event_date ${e.event_date}`);
    assert.doesNotMatch(e.notes, /e\+\d|3000-/);
  }
  for (const m of r.mentions) if (m.kind === 'date') assert.ok(String(m.value) <= date, `date mention ${m.value}`);
  // The number itself is still read (it is a number), just not used as a count.
  assert.ok(r.mentions.some((m) => m.kind === 'number' && m.text === '123456789012345678901234567890'));
});

test('every token a trigger word: a bounded number of events, each with its evidence', () => {
  const text = 'قتل قصف اشتباكات غارة هجوم انفجار اغتيال اعتقال '.repeat(200);
  const r = extract({ text, date });
  assert.ok(r.events.length <= 1600, `${r.events.length} events`);
  for (const e of r.events) for (const spans of Object.values(e.evidence)) for (const s of spans) assert.equal(text.slice(s.start, s.end), s.text);
});

test('a runaway extraction is cut by the per-article time budget and reported; the batch goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-budget-'));
  const store = await openStore(join(dir, 'b.db'));
  // A never-ending extraction (the pool's documented test-only injection, docs/scaling.md: the thread
  // loops forever on this article id); threads copy the environment when they start.
  process.env.MARSAD_HANG_ON = 'runaway-1';
  const pool = createExtractPool({ workers: 1, timeoutMs: 1500 });
  try {
    const lines = [
      JSON.stringify({ text: REPORT, date, url: 'https://example.org/1' }),
      JSON.stringify({ id: 'runaway-1', text: REPORT.replace('كبانة', 'جب الأحمر'), date, url: 'https://example.org/slow' }),
      JSON.stringify({ text: REPORT.replace('كبانة', 'الكبينة'), date, url: 'https://example.org/2' }),
    ];
    const file = join(dir, 'batch.jsonl');
    writeFileSync(file, lines.join('\n'));
    const s = await ingest([file], { store, extract: (a) => pool.extract(a), concurrency: pool.capacity, extractorVersion: 'budget-test' });
    assert.equal(s.errors.length, 1, JSON.stringify(s.errors));
    assert.equal(s.errors[0].source, `${file}:2`);
    assert.match(s.errors[0].reason, /longer than 1500 ms/);
    assert.equal(s.stored, 2);
    assert.equal((await store.articles({ limit: 10 })).total, 2);
  } finally {
    delete process.env.MARSAD_HANG_ON;
    await pool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
