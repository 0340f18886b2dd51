// Text core throughput: normalize, tokenize, splitSentences, the three together (the
// "whole text core", target >= 20 MB/s per core), and number + date reading.
// Input: the texts of ../shared/eval/dev/articles.jsonl repeated to >= 50 MB (UTF-8).
// MB = 10^6 bytes of UTF-8 input; one thread. Figures are given per wall-clock second and per
// CPU-second of this process (the per-core figure when the machine is shared).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize } from '../src/text/normalize.js';
import { tokenize } from '../src/text/tokenize.js';
import { splitSentences } from '../src/text/sentences.js';
import { readNumbersInTokens } from '../src/text/numbers.js';
import { readDatesInTokens } from '../src/text/dates.js';

const TARGET_BYTES = 50e6;

function loadArticles(): { text: string; date: string | null }[] {
  const path = fileURLToPath(new URL('../../shared/eval/dev/articles.jsonl', import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .map((a) => ({ text: [a.title, a.text].filter(Boolean).join('\n'), date: a.date ?? null }));
}

export default async function () {
  const base = loadArticles();
  const corpus: { text: string; date: string | null }[] = [];
  let bytes = 0;
  // Each copy is a distinct string object (as separate articles would be).
  while (bytes < TARGET_BYTES) {
    for (const a of base) {
      const text = (' ' + a.text).slice(1);
      corpus.push({ text, date: a.date });
      bytes += Buffer.byteLength(text, 'utf8');
    }
  }
  const chars = corpus.reduce((s, a) => s + a.text.length, 0);
  console.log(`input: ${corpus.length} articles, ${(bytes / 1e6).toFixed(1)} MB UTF-8, ${(chars / 1e6).toFixed(1)} M chars`);

  const normalized = corpus.map((a) => normalize(a.text).text);
  const run = (name: string, f: (i: number) => number) => {
    // one warm-up pass over a slice, then the timed pass over everything
    for (let i = 0; i < Math.min(200, corpus.length); i++) f(i);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let sink = 0;
    for (let i = 0; i < corpus.length; i++) sink += f(i);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    // wall clock, and per CPU-second (the per-core figure, fair on a shared machine)
    console.log(
      `${name.padEnd(28)} ${(bytes / 1e6 / s).toFixed(1).padStart(7)} MB/s ${(corpus.length / s).toFixed(0).padStart(7)} articles/s wall | ` +
        `${(bytes / 1e6 / cpu).toFixed(1).padStart(7)} MB/s ${(corpus.length / cpu).toFixed(0).padStart(7)} articles/s per CPU-s  (${s.toFixed(2)} s, ${sink} items)`,
    );
  };
  run('normalize', (i) => normalize(corpus[i].text).text.length);
  run('tokenize (normalized text)', (i) => tokenize(normalized[i]).length);
  run('splitSentences', (i) => splitSentences(normalized[i]).length);
  run('core: norm+tok+sentences', (i) => {
    const t = normalize(corpus[i].text).text;
    return tokenize(t).length + splitSentences(t).length;
  });
  run('numbers+dates (on tokens)', (i) => {
    const t = normalized[i];
    const toks = tokenize(t);
    return readNumbersInTokens(t, toks).length + readDatesInTokens(t, toks, corpus[i].date).length;
  });
}
