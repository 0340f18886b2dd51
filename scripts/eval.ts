// npm run eval: runs the extractor over ../shared/eval/dev/articles.jsonl with the full
// gazetteer built from ../shared/data/gazetteer (the gazetteer importer, cached in the temp
// folder), writes the predictions to a temp file and scores them with the shared scorer
// (node ../shared/eval/score.mjs), printing its report. Never a copy of the scorer.
//
//   node --import tsx scripts/eval.ts [--builtin] [--gazetteer FILE] [--per-article] [--keep]

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { extract } from '../src/extract/index.js';
import { loadGazetteer, type Gazetteer } from '../src/gazetteer/index.js';
import { fullGazetteerPath, haveSharedData, SHARED } from '../src/gazetteer/testing.js';

const { values } = parseArgs({
  options: {
    builtin: { type: 'boolean' },
    gazetteer: { type: 'string' },
    'per-article': { type: 'boolean' },
    keep: { type: 'boolean' },
  },
});

const dev = join(SHARED, 'eval', 'dev');
const scorer = join(SHARED, 'eval', 'score.mjs');
if (!existsSync(scorer)) {
  console.error(`eval: the scorer is not at ${scorer}`);
  process.exit(2);
}

let gaz: Gazetteer;
if (values.gazetteer) gaz = loadGazetteer(values.gazetteer);
else if (!values.builtin && haveSharedData()) gaz = loadGazetteer(await fullGazetteerPath());
else {
  console.log('eval: the shared gazetteer data is not there (or --builtin): using the BUILT-IN gazetteer');
  gaz = loadGazetteer();
}
console.log(`gazetteer: ${gaz.origin} (${gaz.size} places)`);

const lines = readFileSync(join(dev, 'articles.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
const out: string[] = [];
const t0 = performance.now();
for (const [i, line] of lines.entries()) {
  let id = `line-${i + 1}`;
  try {
    const a = JSON.parse(line);
    id = a.id ?? id;
    const r = extract(a, { gazetteer: gaz });
    out.push(JSON.stringify({ ...r, id }));
  } catch (e) {
    console.error(`articles.jsonl:${i + 1}: ${(e as Error).message}`);
    out.push(JSON.stringify({ id, events: [], figures: [], error: (e as Error).message }));
  }
}
const ms = performance.now() - t0;
const pred = join(mkdtempSync(join(tmpdir(), 'marsad-eval-')), 'pred.jsonl');
writeFileSync(pred, out.join('\n') + '\n');
console.log(`extracted ${lines.length} article(s) in ${ms.toFixed(0)} ms -> ${pred}\n`);

const args = [scorer, '--gold', join(dev, 'gold.jsonl'), '--pred', pred];
if (values['per-article']) args.push('--per-article');
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
