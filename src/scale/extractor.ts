// One place that knows how to get the extractor, its gazetteer and its version, so the
// thread pool, the queue worker and the benchmark all run exactly the same code.
// The extractor and gazetteer modules are loaded on demand: `marsad queue status` must not
// pay for (or fail on) loading a gazetteer.

import type { Article, ExtractResult } from '../types.js';

/** A synchronous, CPU-bound extractor bound to its loaded gazetteer. */
export type ExtractFn = (article: Article) => ExtractResult;

export interface LoadedExtractor {
  extract: ExtractFn;
  /** Goes into store.saveArticle(…, extractorVersion) and into queue job ids. */
  version: string;
}

interface ExtractModule {
  extract(article: Article, opts?: { gazetteer?: unknown }): ExtractResult;
  EXTRACTOR_VERSION?: string;
  VERSION?: string;
  extractorVersion?: string | (() => string);
}
interface GazetteerModule {
  loadGazetteer(path?: string): unknown;
}

// Specifiers held in variables: these modules are written concurrently by other engineers, and
// this keeps the scale layer compiling whatever their state; the call shapes are the agreed ones.
const EXTRACT_MODULE = '../extract/index.js';
const GAZETTEER_MODULE = '../gazetteer/index.js';

/** The extractor version alone (no gazetteer load): used by `marsad enqueue` for job ids. */
export async function extractorVersion(): Promise<string> {
  const mod = (await import(EXTRACT_MODULE)) as ExtractModule;
  return versionOf(mod);
}

function versionOf(mod: ExtractModule): string {
  const v = mod.EXTRACTOR_VERSION ?? mod.VERSION ?? mod.extractorVersion;
  if (typeof v === 'function') return v();
  if (typeof v === 'string' && v) return v;
  return process.env.MARSAD_EXTRACTOR_VERSION ?? 'dev';
}

/** Load the extractor and its gazetteer once (per thread / process). */
export async function loadExtractor(gazetteerPath?: string): Promise<LoadedExtractor> {
  const [mod, gaz] = await Promise.all([
    import(EXTRACT_MODULE) as Promise<ExtractModule>,
    import(GAZETTEER_MODULE) as Promise<GazetteerModule>,
  ]);
  const gazetteer = await gaz.loadGazetteer(gazetteerPath);
  return { extract: (a) => mod.extract(a, { gazetteer }), version: versionOf(mod) };
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
