// Hostile sizes that do not belong in the test suite: a 100 MB single "article" as a .txt file and
// as one JSON Lines record, between two real reports, through the real ingest() into SQLite. The
// huge inputs must be refused with a reason, the reports stored, memory and time bounded.
// (npm run bench hostile)
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ingest } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';

const REPORT = 'قتل 5 عناصر من قوات النظام جراء استهداف فصائل المعارضة لمواقعهم بالقذائف الصاروخية على محور كبانة في ريف اللاذقية الشمالي، وفق ما أفاد المرصد السوري لحقوق الإنسان.';
const MB = 1024 * 1024;

async function writeBig(path: string, prefix: string, suffix: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(prefix);
  const chunk = 'قصف مدفعي على القرى. '.repeat(4096); // ~150 KB of UTF-8
  let written = 0;
  while (written < bytes) {
    if (!out.write(chunk)) await once(out, 'drain');
    written += Buffer.byteLength(chunk);
  }
  out.end(suffix);
  await once(out, 'finish');
}

export default async function hostileBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'marsad-hostile-bench-'));
  try {
    writeFileSync(join(dir, 'a-report.txt'), REPORT);
    await writeBig(join(dir, 'b-100mb.txt'), 'عنوان\n', '', 100 * MB);
    await writeBig(join(dir, 'c-100mb.jsonl'), `${JSON.stringify({ text: REPORT.replace('كبانة', 'الكبينة'), date: '2020-01-26' })}\n{"text": "`, `"}\n${JSON.stringify({ text: REPORT.replace('كبانة', 'جب الأحمر'), date: '2020-01-26' })}\n`, 100 * MB);
    const store = await openStore(join(dir, 'b.db'));
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const s = await ingest([dir], { store, extractorVersion: 'bench' });
    const ms = performance.now() - t0;
    clearInterval(timer);
    await store.close();
    console.log(`inputs: 2 x 100 MB articles (.txt and one JSONL line) + 3 reports`);
    console.log(`ingest: ${(ms / 1000).toFixed(1)} s, stored ${s.stored}, errors ${s.errors.length}, peak RSS +${((peak - rss0) / MB).toFixed(0)} MB`);
    for (const e of s.errors) console.log(`  ${e.source.replace(dir, '')}: ${e.reason}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
