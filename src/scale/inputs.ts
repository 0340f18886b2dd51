// Articles for the queue come from the ingest readers (src/ingest), so `marsad enqueue` reads
// exactly the formats `marsad ingest` reads (files, folders, JSONL, HTML, RSS, encodings).
import type { ReadItem } from './queue.js';

export async function readInputs(paths: string[]): Promise<AsyncIterable<ReadItem>> {
  const [{ readArticles }, { guardArticle }] = await Promise.all([import('../ingest/readers.js'), import('../ingest/guard.js')]);
  return (async function* () {
    for await (const it of readArticles(paths)) {
      if (!it.article) {
        yield it;
        continue;
      }
      // The same gate as ingest: refused articles are enqueue errors, repaired ones go on repaired.
      const g = guardArticle(it.article);
      yield g.article ? { article: g.article, source: it.source } : { error: g.error!, source: it.source };
    }
  })();
}
