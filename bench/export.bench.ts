// Export and API benchmark (prints figures; no timing asserts):
// 1. streamed exports (acled-csv, geojson, jsonl) of N stored events: events/s, bytes, and the
//    process's peak RSS growth, which must stay flat whatever N is (page-by-page streaming);
// 2. HTTP API latency p50/p95 through fastify.inject (validation + store + JSON) for three typical
//    requests, to compare with the store's own query latency printed by the store bench.
// Size: MARSAD_BENCH_EXPORT_EVENTS (default 100000), written through store.saveArticle.

import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';
import { exportEvents, EXPORT_FORMATS } from '../src/export/index.js';
import { buildServer } from '../src/serve/index.js';
import { fillEvents } from './store.bench.js';

/** Counts bytes and throws them away, draining at a realistic pace (like a file or a socket). */
class Sink extends Writable {
  bytes = 0;
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.bytes += chunk.length;
    setImmediate(cb);
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export default async function main(): Promise<void> {
  const n = Number(process.env.MARSAD_BENCH_EXPORT_EVENTS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'marsad-bench-export-'));
  try {
    const db = join(dir, 'export.db');
    const store = await openStore(db);
    const t0 = Date.now();
    await fillEvents(store, n);
    console.log(`stored ${n} synthetic events in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    for (const format of EXPORT_FORMATS) {
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const sink = new Sink();
      const t = performance.now();
      const stats = await exportEvents(store, sink, { format, bom: true });
      const secs = (performance.now() - t) / 1000;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.log(
        `export ${format}: ${stats.events} events in ${secs.toFixed(1)} s = ${(stats.events / secs).toFixed(0)} events/s, ` +
          `${(sink.bytes / 1e6).toFixed(1)} MB, peak RSS growth ${((peak - rss0) / 1e6).toFixed(0)} MB`,
      );
    }

    const app = await buildServer({ store, webRoot: null });
    const requests = [
      '/api/events?admin1=Idlib&from=2016-01-01&to=2016-12-31&limit=100',
      '/api/events?event_type=Explosions/Remote%20violence&min_fatalities=10&sort=-fatalities&limit=100',
      '/api/aggregates?by=day&country=Syria&from=2019-01-01&to=2019-12-31',
    ];
    for (const url of requests) {
      const times: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        const r = await app.inject(url);
        times.push(performance.now() - t);
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      }
      console.log(`API ${url}: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms`);
    }
    await app.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
