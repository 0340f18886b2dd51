// One place that knows how to get the extractor, its gazetteer and its version, so the
// thread pool, the queue worker and the benchmark all run exactly the same code.
// The extractor and gazetteer modules are loaded on demand: `marsad queue status` must not
// pay for (or fail on) loading a gazetteer.

import type { Article, ExtractResult } from '../types.js';

/** A synchronous, CPU-bound extractor bound to its loaded gazetteer. */
export type ExtractFn = (article: Article, opts?: { country?: string }) => ExtractResult;

export interface LoadedExtractor {
  extract: ExtractFn;
  /** Goes into store.saveArticle(…, extractorVersion) and into queue job ids. */
  version: string;
}

/**
 * The version stored with each article: the same function `marsad ingest` uses (src/ingest/version.ts),
 * so articles written by queue workers and by a local ingest are recognised by each other.
 */
export async function extractorVersion(): Promise<string> {
  const { extractorVersion: v } = await import('../ingest/version.js');
  return v();
}

/** One output line of `marsad extract --jsonl` (../shared/eval/CONTRACT.md): the result with the input line's id. */
export function resultLine(r: ExtractResult, id: string): string {
  return JSON.stringify({ ...r, id });
}

/** Load the extractor and its gazetteer once (per thread / process). */
export async function loadExtractor(gazetteerPath?: string): Promise<LoadedExtractor> {
  const [{ extract }, { loadGazetteer }, version] = await Promise.all([
    import('../extract/index.js'),
    import('../gazetteer/index.js'),
    extractorVersion(),
  ]);
  const gazetteer = loadGazetteer(gazetteerPath);
  return { extract: (a, o) => extract(a, o?.country ? { gazetteer, country: o.country } : { gazetteer }), version };
}

/**
 * Test-only failure injection, documented in docs/scaling.md. Ids are compared with the
 * article id (or URL). MARSAD_FAIL_ON=id1,id2 throws; MARSAD_CRASH_ON kills the thread or
 * process; MARSAD_HANG_ON loops forever (to exercise the time budget).
 */
export function injectFailure(article: Article): void {
  const key = article.id ?? article.url ?? '';
  if (!key) return;
  const hit = (name: string) => (process.env[name] ?? '').split(',').includes(key);
  if (hit('MARSAD_FAIL_ON')) throw new Error(`injected failure (MARSAD_FAIL_ON=${key})`);
  if (hit('MARSAD_CRASH_ON')) process.exit(70);
  if (hit('MARSAD_HANG_ON')) for (;;);
}
