// Extractor throughput: the dev articles repeated to >= 20 MB of text, one thread, the
// gazetteer loaded once beforehand (as the CLI and the workers do). Target: >= 500 articles/s.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { extract } from '../src/extract/index.js';
import { loadGazetteer } from '../src/gazetteer/index.js';
import { SHARED } from '../src/gazetteer/testing.js';
import type { Article } from '../src/types.js';

export default async function bench(): Promise<void> {
  const articles: Article[] = readFileSync(join(SHARED, 'eval', 'dev', 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const gaz = loadGazetteer();
  const bytesOf = (a: Article) => Buffer.byteLength(a.text, 'utf8') + Buffer.byteLength(a.title ?? '', 'utf8');
  const TARGET = Number(process.env.MARSAD_BENCH_MB ?? 20) * 1024 * 1024;
  // Warm up (lexicons, caches, JIT).
  for (let i = 0; i < 50; i++) extract(articles[i % articles.length], { gazetteer: gaz });
  let bytes = 0;
  let n = 0;
  let events = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (bytes < TARGET) {
    // A distinct id and a slightly different text each time, so no cache can short-cut the work.
    const a = articles[n % articles.length];
    const r = extract({ ...a, id: `bench-${n}`, text: a.text + ' ' + n }, { gazetteer: gaz });
    events += r.events.length;
    bytes += bytesOf(a);
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
  const cpu = (c.user + c.system) / 1e6;
  console.log(`extract: ${n} articles, ${(bytes / 1048576).toFixed(1)} MB in ${s.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (single thread, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  console.log(`  wall: ${(n / s).toFixed(0)} articles/s, ${(bytes / 1048576 / s).toFixed(2)} MB/s`);
  console.log(`  CPU:  ${(n / cpu).toFixed(0)} articles/s, ${(bytes / 1048576 / cpu).toFixed(2)} MB/s per core; ${events} events (target >= 500 articles/s)`);
}
