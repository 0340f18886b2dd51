// Test and benchmark input: the shared dev articles (/work/shared/eval/dev), repeated with varied
// ids, URLs and publication dates so that each copy is a distinct article (the store's identity
// is the URL) and copies on the same date report the same incidents (they must merge).
// Read from ../shared beside the repository; never copied into it.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Article } from '../types.js';

export function sharedDir(): string {
  return fileURLToPath(new URL('../../../shared/', import.meta.url));
}

function readJsonl(file: string): Article[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Article);
}

export function devArticles(): Article[] {
  const file = sharedDir() + 'eval/dev/articles.jsonl';
  if (!existsSync(file)) throw new Error(`dev articles not found at ${file}`);
  return readJsonl(file);
}

/** The team's 24 reports from seven countries (eval/extra, in the repository). */
export function teamReports(): Article[] {
  return readJsonl(fileURLToPath(new URL('../../eval/extra/articles.jsonl', import.meta.url)));
}

/**
 * The benches' input by name (MARSAD_BENCH_CORPUS): `dev`, the dev articles (the issues' input), or
 * `dev+extra`, those and the team's reports (seven countries, fewer merges per article).
 */
export function benchCorpus(name: string): Article[] {
  if (name === 'dev') return devArticles();
  if (name === 'dev+extra') return [...devArticles(), ...teamReports()];
  throw new Error(`MARSAD_BENCH_CORPUS: dev or dev+extra, not ${name}`);
}

function shiftDate(date: string | null | undefined, days: number): string | null {
  if (!date) return null;
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return date;
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `count` articles cycling through `base`; copy i is published (i % dates) × spacing days after
 * the original, so every date gets about count / dates reports of the same incidents. A spacing
 * wider than the merge window (a few days) keeps the date groups from merging into each other,
 * so the merged result does not depend on the order the articles arrive in.
 */
export function* repeatArticles(
  base: Article[],
  count: number,
  opts: { dates?: number; spacing?: number; tag?: string } = {},
): Generator<Article> {
  const dates = Math.max(1, opts.dates ?? 30);
  const spacing = opts.spacing ?? 1;
  const tag = opts.tag ?? 'r';
  for (let i = 0; i < count; i++) {
    const a = base[i % base.length];
    yield {
      ...a,
      id: `${a.id ?? 'article'}-${tag}${i}`,
      url: `https://repeat.marsad.invalid/${tag}/${i}`,
      date: shiftDate(a.date, (i % dates) * spacing),
    };
  }
}
