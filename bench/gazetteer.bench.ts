// Gazetteer and geoparser figures: load time and memory of the built-in and of the full
// village-level Syrian gazetteer (built from ../shared/data/gazetteer), each measured in a fresh
// process; place-matching throughput with the full gazetteer loaded (target >= 10 MB/s per core).
// MB = 10^6 bytes of UTF-8 input; one thread; geoparse runs per article, as the pipeline calls it.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { normalize } from '../src/text/normalize.js';
import { readGazetteerFile } from '../src/gazetteer/store.js';
import { geoparse } from '../src/geoparse/index.js';
import { fullGazetteerPath, haveSharedData } from '../src/gazetteer/testing.js';

const TARGET_BYTES = 10e6;

/** Load a gazetteer in a child process: ms to load, RSS after, heap used. */
function measureLoad(path: string | null): { ms: number; cpuMs: number; rssMB: number; heapMB: number; size: number } {
  const mod = new URL('../src/gazetteer/index.ts', import.meta.url).href;
  const code = `
    const before = process.memoryUsage().rss;
    const { loadGazetteer } = await import(${JSON.stringify(mod)});
    const t = performance.now();
    const c = process.cpuUsage();
    const g = loadGazetteer(${path ? JSON.stringify(path) : 'undefined'});
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(c);
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(JSON.stringify({ origin: g.origin, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMB: m.rss / 1e6, heapMB: m.heapUsed / 1e6, baseMB: before / 1e6, size: g.size }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, MARSAD_GAZETTEER: '' } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function corpus(): string[] {
  // The shared dev article and the 24 varied reports of eval/extra (Syria and the region).
  const base: string[] = [];
  for (const rel of ['../../shared/eval/dev/articles.jsonl', '../eval/extra/articles.jsonl']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(path)) continue;
    for (const l of readFileSync(path, 'utf8').split('\n'))
      if (l.trim()) {
        const a = JSON.parse(l);
        base.push([a.title, a.text].filter(Boolean).join('\n'));
      }
  }
  // Report sentences of other places, so the matcher does not see one article only.
  base.push(
    'قصفت قوات النظام بلدة كفرنبل وقرى حاس والبارة بالقذائف، فيما استهدفت طائرات حربية مدينة سراقب وبلدة تفتناز بريف إدلب الشرقي. ' +
      'ودارت اشتباكات عنيفة في قرية الصالحية قرب مدينة البوكمال في ريف دير الزور الشرقي، وسقطت قذائف على حي الوعر في مدينة حمص. ' +
      'وفي درعا، قتل شخصان برصاص مجهولين في بلدة طفس بالريف الغربي، بينما شهدت مدينة الحسكة ومحيطها توتراً أمنياً.',
  );
  const out: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES)
    for (const t of base) {
      out.push((' ' + t).slice(1));
      bytes += Buffer.byteLength(t);
    }
  return out;
}

export default async function () {
  const b = measureLoad(null);
  console.log(`built-in gazetteer (${(b as { origin?: string }).origin}): ${b.size} places, load ${b.ms.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)} ms), RSS ${b.rssMB.toFixed(0)} MB, heap ${b.heapMB.toFixed(0)} MB`);
  if (!haveSharedData()) {
    console.log('full gazetteer: skipped (no ../shared/data/gazetteer)');
    return;
  }
  const fullPath = await fullGazetteerPath();
  const f = measureLoad(fullPath);
  console.log(`full Syrian gazetteer: ${f.size} places, load ${f.ms.toFixed(0)} ms (CPU ${f.cpuMs.toFixed(0)} ms; target < 1000), RSS ${f.rssMB.toFixed(0)} MB (target < 300), heap ${f.heapMB.toFixed(0)} MB`);

  const gaz = readGazetteerFile(fullPath); // a fresh object: its per-word cache starts empty
  const texts = corpus();
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const nts = texts.map((t) => normalize(t));
  // Warm up (JIT tiers, lexicon tables, the per-word cache) before measuring the steady state.
  for (const nt of nts.slice(0, 200)) geoparse(nt, gaz, { country: 'Syria' });
  // Per core = per CPU-second of this thread (wall time on a loaded machine measures the neighbours too).
  let best = Infinity;
  let bestCpu = Infinity;
  let places = 0;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    const c = process.cpuUsage();
    places = 0;
    for (const nt of nts) places += geoparse(nt, gaz, { country: 'Syria' }).length;
    const cpu = process.cpuUsage(c);
    best = Math.min(best, (performance.now() - t) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  console.log(
    `geoparse (full gazetteer): ${(bytes / 1e6).toFixed(1)} MB: ${(bytes / 1e6 / bestCpu).toFixed(1)} MB per CPU-second (target >= 10 per core), ` +
      `${(bytes / 1e6 / best).toFixed(1)} MB/s wall, ${places} places`,
  );
  const t = performance.now();
  for (const x of texts) geoparse(normalize(x), gaz, { country: 'Syria' });
  const s = (performance.now() - t) / 1000;
  console.log(`normalize + geoparse: ${(bytes / 1e6 / s).toFixed(1)} MB/s`);
}
