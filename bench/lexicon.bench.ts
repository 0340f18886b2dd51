// Actor and source recognition throughput: the dev articles (title + text) run one by one,
// repeated until 20 MB of text have gone through; normalisation is timed separately.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize } from '../src/text/normalize.js';
import { findActors, actorIndexSize } from '../src/lexicon/actors.js';
import { findSources, findAttributions } from '../src/lexicon/sources.js';

export default async function bench(): Promise<void> {
  const path = fileURLToPath(new URL('../../shared/eval/dev/articles.jsonl', import.meta.url));
  const arts = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { title?: string; text: string; country?: string });
  const texts = arts.map((a) => normalize(`${a.title ?? ''}\n${a.text}`));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.original), 0);
  const reps = Math.max(1, Math.ceil(20e6 / bytes));
  // Warm up: index build for Syria and the regional countries.
  findActors(texts[0], { country: 'Syria' });
  findAttributions(texts[0]);
  const run = (name: string, f: (i: number) => unknown) => {
    for (let r = 0; r < Math.min(reps, 200); r++) for (let i = 0; i < texts.length; i++) f(i); // JIT warm-up
    const t0 = performance.now();
    let n = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < texts.length; i++, n++) f(i);
    const s = (performance.now() - t0) / 1000;
    console.log(`${name.padEnd(28)} ${((bytes * reps) / 1e6 / s).toFixed(1)} MB/s  ${(n / s).toFixed(0)} articles/s`);
  };
  console.log(`${arts.length} article(s), ${(bytes / 1e3).toFixed(1)} kB, x${reps}; ${actorIndexSize('Syria')} actor forms indexed for Syria`);
  run('findActors (country given)', (i) => findActors(texts[i], { country: arts[i].country ?? 'Syria' }));
  run('findActors (country inferred)', (i) => findActors(texts[i]));
  run('findSources', (i) => findSources(texts[i]));
  run('findAttributions', (i) => findAttributions(texts[i]));
}
