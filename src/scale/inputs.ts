// Articles for the queue come from the ingest readers (src/ingest), so `marsad enqueue` reads
// exactly the formats `marsad ingest` reads (files, folders, JSONL, HTML, RSS, encodings).
import type { ReadItem } from './queue.js';

export async function readInputs(paths: string[]): Promise<AsyncIterable<ReadItem>> {
  const { readArticles } = await import('../ingest/readers.js');
  return readArticles(paths);
}
