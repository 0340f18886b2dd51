// ingest: read articles from paths, extract their events, store and merge them.
// Each article is committed in its own transaction, so a crash or Ctrl-C loses nothing committed,
// and a re-run skips what is stored (identity + extractor version) without extracting it again.

import type { Article, ExtractResult } from '../types.js';
import type { Store } from '../store/types.js';
import { readArticles, totalBytes } from './readers.js';
import { extractorVersion } from './version.js';
import { MAX_ARTICLE_CHARS } from './guard.js';
import { prepareArticle, type PreparedExtraction } from './prepare.js';

export { readArticles, walkFiles, formatOf, textToArticle, totalBytes, type ReadItem, type Format } from './readers.js';
export { decodeBuffer, detectEncoding } from './decode.js';
export { htmlToArticle } from './html.js';
export { feedItems, decodeXmlEntities } from './feed.js';
export { articleFromRecord, toDay, dateFromFilename } from './fields.js';
export { extractorVersion, computedVersion } from './version.js';

export type Extract = (a: Article) => Promise<ExtractResult>;

/** Guard + hash + extract in one call (a thread pool's extractPrepared): the writer thread only writes. */
export type ExtractPrepared = (a: Article) => Promise<PreparedExtraction>;
export { prepareArticle, prepareAndExtract, type Prepared, type PreparedExtraction } from './prepare.js';

export interface IngestError {
  source: string;
  reason: string;
}

export interface IngestSummary {
  /** Articles read from the inputs (errors in reading not included). */
  read: number;
  stored: number;
  duplicates: number;
  replaced: number;
  events_new: number;
  events_merged: number;
  figures: number;
  errors: IngestError[];
  /** Articles stored after a repair (mojibake, control characters removed): what was changed. */
  warnings?: IngestError[];
  /** Stopped early by the signal (Ctrl-C). */
  interrupted: boolean;
  elapsed_ms: number;
  extractor_version: string;
}

export interface IngestProgress extends IngestSummary {
  /** Bytes of input files finished so far, and in all (0 when unknown). */
  bytes_done: number;
  bytes_total: number;
  source: string | null;
}

export interface IngestOptions {
  store: Store;
  /** Defaults to the extractor (src/extract) with the gazetteer loaded once; the guard runs before it, in this thread. */
  extract?: Extract;
  /** Instead of `extract`: guard and extraction together, e.g. in a worker pool (src/scale/pool.ts extractPrepared). */
  extractPrepared?: ExtractPrepared;
  /** How many extractions may be in flight at once (useful with a worker-pool `extract`); saves stay in input order. */
  concurrency?: number;
  /** Gazetteer file for the default extractor. */
  gazetteer?: string;
  /** Country to assume for articles that do not say (English name). */
  country?: string;
  /** Override the stored extractor version (tests; normally computed). */
  extractorVersion?: string;
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
}

type ExtractFn = (article: Article, opts?: { gazetteer?: unknown }) => ExtractResult;

/** The extractor's `extract`, with the gazetteer loaded once. Imported lazily (it is a heavy module). */
export async function defaultExtract(opts: { gazetteer?: string } = {}): Promise<Extract> {
  // Variable specifiers keep this module compiling while the extractor is developed alongside.
  const extractSpec = '../extract/index.js';
  const gazSpec = '../gazetteer/index.js';
  const ex = (await import(extractSpec)) as { extract: ExtractFn };
  const gz = (await import(gazSpec)) as { loadGazetteer(path?: string): unknown };
  const gazetteer = gz.loadGazetteer(opts.gazetteer);
  return async (a) => ex.extract(a, { gazetteer });
}

export async function ingest(paths: string[], opts: IngestOptions): Promise<IngestSummary> {
  const t0 = Date.now();
  const version = opts.extractorVersion ?? (await extractorVersion());
  const summary: IngestSummary = {
    read: 0,
    stored: 0,
    duplicates: 0,
    replaced: 0,
    events_new: 0,
    events_merged: 0,
    figures: 0,
    errors: [],
    warnings: [],
    interrupted: false,
    elapsed_ms: 0,
    extractor_version: version,
  };
  let extract = opts.extract;
  const bytesTotal = opts.onProgress ? totalBytes(paths) : 0;
  let bytesDone = 0;
  let current: string | null = null;
  const progress = () => {
    summary.elapsed_ms = Date.now() - t0;
    opts.onProgress?.({ ...summary, errors: summary.errors, bytes_done: bytesDone, bytes_total: bytesTotal, source: current });
  };

  // Extraction may run ahead (concurrency > 1); results are saved strictly in input order.
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  type Pending = { item: { article: Article; source: string }; result: Promise<PreparedExtraction> };
  const run: ExtractPrepared =
    opts.extractPrepared ??
    (async (a) => {
      const prepared = prepareArticle(a);
      if (!prepared.ok) return { prepared };
      if (!extract) extract = await defaultExtract({ gazetteer: opts.gazetteer });
      return { prepared, result: await extract(prepared.article) };
    });
  const window: Pending[] = [];

  const finish = async (p: Pending) => {
    const item = p.item;
    current = item.source;
    try {
      const { prepared, result } = await p.result;
      for (const w of prepared.warnings) summary.warnings!.push({ source: item.source, reason: w });
      // Not Arabic text (binary, another language, too long): refused with a reason; repairs are warnings.
      if (!prepared.ok) {
        summary.errors.push({ source: item.source, reason: prepared.error });
        progress();
        return;
      }
      summary.read++;
      const r = await opts.store.saveArticle(prepared.article, result!, version, item.source, prepared.precomputed);
      if (r.duplicate) summary.duplicates++;
      else {
        summary.stored++;
        if (r.replaced) summary.replaced++;
        summary.events_new += r.events_new;
        summary.events_merged += r.events_merged;
        summary.figures += r.figures;
      }
    } catch (e) {
      summary.errors.push({ source: item.source, reason: e instanceof Error ? e.message : String(e) });
    }
    progress();
  };

  const reader = readArticles(paths, { onBytes: (n) => (bytesDone = Math.min(bytesTotal || Infinity, bytesDone + n)) });
  try {
    for await (const item of reader) {
      if (opts.signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      if (item.error !== undefined) {
        summary.errors.push({ source: item.source, reason: item.error });
        progress();
        continue;
      }
      const article: Article = opts.country && !item.article.country ? { ...item.article, country: opts.country } : item.article;
      const it = { source: item.source, article };
      // Resume: what is stored with this extractor version is not extracted again. (Checked on the
      // article as read; one the guard repairs is recognised by saveArticle after extraction.)
      let stored = false;
      try {
        if (typeof article.text === 'string' && article.text.length <= MAX_ARTICLE_CHARS) stored = await opts.store.hasArticle(article, version);
      } catch (e) {
        summary.errors.push({ source: item.source, reason: `store: ${(e as Error).message}` });
        continue;
      }
      if (stored) {
        summary.read++;
        summary.duplicates++;
        current = item.source;
        progress();
        continue;
      }
      const result = Promise.resolve().then(() => run(article));
      result.catch(() => undefined); // observed in finish(); avoid an unhandled rejection meanwhile
      window.push({ item: it, result });
      while (window.length >= concurrency) await finish(window.shift()!);
    }
    // Drain what is in flight: an interrupt finishes the current article(s), it does not drop them.
    while (window.length) await finish(window.shift()!);
    if (opts.signal?.aborted) summary.interrupted = true;
  } finally {
    await reader.return(undefined);
  }
  summary.elapsed_ms = Date.now() - t0;
  return summary;
}
