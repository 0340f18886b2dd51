import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExtractPool, mapBounded } from './pool.js';
import { loadExtractor } from './extractor.js';
import { devArticles, repeatArticles } from './corpus.js';

test('mapBounded keeps input order and never has more than `limit` calls in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  async function* source() {
    for (let i = 0; i < 40; i++) yield i;
  }
  const out: number[] = [];
  for await (const r of mapBounded(source(), 3, async (i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((res) => setTimeout(res, (i * 7) % 5)); // finish out of order
    inFlight--;
    if (i === 13) throw new Error('bad item 13');
    return i * 2;
  })) {
    out.push(r.error ? -1 : r.value!);
  }
  assert.equal(peak, 3);
  assert.deepEqual(out, [...Array(40).keys()].map((i) => (i === 13 ? -1 : i * 2)));
});

test('the thread pool gives exactly the single-thread results', async () => {
  const articles = [...repeatArticles(devArticles(), 12, { dates: 6, tag: 'pool' })];
  const single = await loadExtractor();
  const expected = articles.map((a) => single.extract(a));
  assert.ok(expected.some((r) => r.events.length > 0), 'the dev article yields events');
  const pool = createExtractPool({ workers: 2 });
  try {
    const got = await Promise.all(articles.map((a) => pool.extract(a)));
    // Results cross threads as JSON, so a field set to undefined arrives absent: the same data.
    assert.deepEqual(got, JSON.parse(JSON.stringify(expected)));
  } finally {
    await pool.close();
  }
});

test('a crashing and a runaway article are reported as failed; the others are extracted', async () => {
  const articles = [...repeatArticles(devArticles(), 8, { dates: 4, tag: 'bad' })];
  const crash = articles[2].id!;
  const hang = articles[5].id!;
  // Test-only failure injection (docs/scaling.md); threads copy the environment when they start.
  process.env.MARSAD_CRASH_ON = crash;
  process.env.MARSAD_HANG_ON = hang;
  const pool = createExtractPool({ workers: 2, timeoutMs: 4000 });
  try {
    const results = [];
    for await (const r of mapBounded(articles, pool.capacity, (a) => pool.extract(a))) results.push(r);
    assert.equal(results.length, articles.length);
    const byId = new Map(results.map((r) => [r.item.id, r]));
    assert.match(byId.get(crash)!.error!.message, /exited \(code 70\)/);
    assert.match(byId.get(hang)!.error!.message, /longer than 4000 ms/);
    for (const r of results) {
      if (r.item.id === crash || r.item.id === hang) continue;
      assert.equal(r.error, undefined, `${r.item.id}: ${r.error?.message}`);
      assert.ok(r.value!.events.length > 0);
    }
    // The replaced threads keep working.
    const again = await pool.extract(articles[0]);
    assert.ok(again.events.length > 0);
  } finally {
    delete process.env.MARSAD_CRASH_ON;
    delete process.env.MARSAD_HANG_ON;
    await pool.close();
  }
});

test('one thread: the task posted behind a crashing article is handed to the new thread, not lost', async () => {
  // A thread holds its running task and the next one; a crash must fail only the first.
  const articles = [...repeatArticles(devArticles(), 5, { dates: 5, tag: 'one' })];
  process.env.MARSAD_CRASH_ON = articles[1].id!;
  const pool = createExtractPool({ workers: 1 });
  try {
    const results = await Promise.allSettled(articles.map((a) => pool.extract(a)));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /exited \(code 70\)/);
    for (const r of results) if (r.status === 'fulfilled') assert.ok(r.value.events.length > 0);
  } finally {
    delete process.env.MARSAD_CRASH_ON;
    await pool.close();
  }
});

test('extractPrepared guards, hashes and extracts in the thread, as prepareAndExtract does in-process', async () => {
  const { prepareAndExtract } = await import('../ingest/prepare.js');
  const { contentHash } = await import('../store/core.js');
  const seed = devArticles()[0];
  // English wire copy (refused: not mined for Arabic events) and a scrape with control characters (repaired).
  const english = { id: 'en-1', text: 'Syrian government forces shelled villages in southern Idlib on Sunday, the Observatory said.', date: '2020-01-26' };
  const dirty = { ...seed, id: 'seed-dirty', url: undefined, text: seed.text.replace('،', '\u0007،') };
  const single = await loadExtractor();
  const pool = createExtractPool({ workers: 2 });
  try {
    const [s, e, d] = await Promise.all([seed, english, dirty].map((a) => pool.extractPrepared(a)));
    const local = prepareAndExtract(seed, single.extract);
    // What the store keeps comes back (events, figures); the mentions are left out of the crossing.
    assert.ok(local.result!.mentions.length > 0);
    assert.deepEqual(s, { ...local, result: { ...JSON.parse(JSON.stringify(local.result)), mentions: [] } });
    assert.ok(s.prepared.ok && s.result!.events.length > 0);
    // An article the guard left alone is the caller's own object again; a repaired one is the thread's copy.
    assert.ok(s.prepared.ok && s.prepared.article === seed);
    assert.ok(d.prepared.ok && d.prepared.article !== dirty);
    assert.ok(s.prepared.ok && s.prepared.precomputed.content_hash === contentHash(seed));
    assert.equal(e.prepared.ok, false);
    assert.equal(e.result, undefined, 'a refused article is not extracted');
    assert.match(!e.prepared.ok ? e.prepared.error : '', /English/);
    assert.ok(d.prepared.ok && d.prepared.warnings.some((w) => /control character/.test(w)));
    assert.ok(d.prepared.ok && !d.prepared.article.text.includes('\u0007'));
    assert.ok(d.prepared.ok && d.prepared.precomputed.content_hash === contentHash(seed), 'the repaired copy hashes as the clean text');
  } finally {
    await pool.close();
  }
});
