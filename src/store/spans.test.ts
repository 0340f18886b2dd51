// An article's spans stored once: every source of the seed comes back exactly as extracted, in far
// fewer bytes; a source with a span the table lacks is kept whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Article } from '../types.js';
import type { EventSource } from './types.js';
import { defaultExtract } from '../ingest/index.js';
import { spanTable, encodeSource, decodeSource, encodeSpans, parseSpans } from './spans.js';

const SEED = JSON.parse(readFileSync(fileURLToPath(new URL('../../../shared/eval/dev/articles.jsonl', import.meta.url)), 'utf8').split('\n')[0]) as Article;

test("the seed's sources round-trip through the span table, in at least a quarter fewer bytes", async () => {
  const result = await (await defaultExtract())(SEED);
  assert.ok(result.events.length >= 10);
  const table = spanTable(result);
  const spans = parseSpans(encodeSpans(table));
  // Net saving: the plain rows' length minus the packed rows and the table itself.
  const bytes = (x: string) => Buffer.byteLength(x);
  let saved = -bytes(encodeSpans(table)!);
  let packed = 0;
  for (const ev of result.events) {
    const s: EventSource = { article_id: 'ar_seed', outlet: SEED.outlet ?? null, url: null, reported_by: ev.reported_by ?? null, published: SEED.date ?? null, fatalities: ev.fatalities, event: ev };
    const stored = encodeSource(s, table);
    assert.ok(stored.includes('evidence_refs'), 'every span of the seed is in the table');
    const back = decodeSource(stored, () => spans);
    assert.deepEqual(back, JSON.parse(JSON.stringify(s)), "as the plain JSON row gave it");
    for (const list of Object.values(back.event.evidence)) for (const sp of list) assert.equal(sp.text, SEED[sp.part === 'title' ? 'title' : 'text']!.slice(sp.start, sp.end));
    saved += bytes(JSON.stringify(s)) - bytes(stored);
    packed += bytes(stored);
  }
  assert.ok(saved >= (saved + packed) / 4, `saved ${saved} bytes net, ${packed} stored`);
});

test('a source whose span is not in the table is stored whole', () => {
  const ev = { evidence: { location: [{ part: 'text', start: 0, end: 4, text: 'حلب' }] } } as unknown as EventSource['event'];
  const s = { article_id: 'a', outlet: null, url: null, reported_by: null, published: null, fatalities: 0, event: ev } as EventSource;
  const other = spanTable({ events: [{ evidence: { location: [{ part: 'text', start: 9, end: 12, text: 'إدلب' }] } }] as never });
  const stored = encodeSource(s, other);
  assert.ok(!stored.includes('evidence_refs'));
  assert.deepEqual(decodeSource(stored, () => null), s);
});
