// Articles for the queue come from the ingest readers (src/ingest), so `marsad enqueue` reads
// exactly the formats `marsad ingest` reads (files, folders, JSONL, HTML, RSS, encodings).
import type { ReadItem } from './queue.js';

const INGEST_MODULE = '../ingest/index.js';

type Reader = (paths: string[]) => AsyncIterable<ReadItem>;

export async function readInputs(paths: string[]): Promise<AsyncIterable<ReadItem>> {
  const mod = (await import(INGEST_MODULE)) as Record<string, unknown>;
  const reader = (mod.readArticles ?? mod.readPaths ?? mod.readInputs ?? mod.read) as Reader | undefined;
  if (typeof reader !== 'function') throw new Error('src/ingest exports no article reader (readArticles)');
  return reader(paths);
}
