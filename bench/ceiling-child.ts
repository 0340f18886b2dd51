// One of the scale bench's `ceiling` processes: the bench's one-thread work (prepareAndExtract on the
// same repeated articles), with nothing shared and no result sent back. N of them side by side show
// how far this machine's cores scale on their own: the most a pool of N threads could reach.
import { loadExtractor } from '../src/scale/extractor.js';
import { prepareAndExtract } from '../src/ingest/prepare.js';
import { benchCorpus, repeatArticles } from '../src/scale/corpus.js';

const base = benchCorpus(process.env.MARSAD_BENCH_CORPUS ?? 'dev');
const ex = await loadExtractor();
process.on('message', (m: { tag: string; n: number; dates: number }) => {
  let events = 0;
  for (const a of repeatArticles(base, m.n, { dates: m.dates, tag: m.tag })) events += prepareAndExtract(a, ex.extract).result?.events.length ?? 0;
  process.send!({ events });
});
process.send!({ ready: true });
