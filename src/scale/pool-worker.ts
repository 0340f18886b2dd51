// Entry of one extraction thread of the pool (src/scale/pool.ts). It loads the extractor and
// the gazetteer once, then answers one task at a time: the pool never sends a second task
// before the first is answered, so a crash is always attributable to one article.

import { parentPort, workerData } from 'node:worker_threads';
import type { Article } from '../types.js';
import { injectFailure, loadExtractor, type LoadedExtractor } from './extractor.js';
import { prepareAndExtract, type PreparedExtraction } from '../ingest/prepare.js';

export interface PoolTask {
  id: number;
  article: Article;
  /** Guard the article and compute what the writer needs (src/ingest/prepare.ts) before extracting. */
  prepare?: boolean;
}
export type PoolReply =
  | { id: number; ok: true; result: import('../types.js').ExtractResult }
  | { id: number; ok: true; prepared: PreparedExtraction }
  | { id: number; ok: false; error: string }
  /** Sent once the extractor is loaded (or failed to load): the time budget starts after this. */
  | { ready: true };

const port = parentPort;
if (!port) throw new Error('pool-worker must run in a worker thread');

const { gazetteerPath } = (workerData ?? {}) as { gazetteerPath?: string };
// A failed load must not crash-loop the pool: every task then reports the load error.
const ready: Promise<LoadedExtractor | Error> = loadExtractor(gazetteerPath).catch((e: unknown) =>
  e instanceof Error ? e : new Error(String(e)),
);
void ready.then((ex) => {
  // One small extraction first: the extractor's lazy set-up (lexicons, indexes) then happens
  // before the thread reports ready, and does not count against the first article's time budget.
  if (!(ex instanceof Error)) {
    try {
      ex.extract({ id: 'warm-up', text: 'قتل شخصان في قصف على حلب.', date: '2020-01-01' });
    } catch {
      /* a real article will report the problem */
    }
  }
  port.postMessage({ ready: true } satisfies PoolReply);
});

port.on('message', async (task: PoolTask) => {
  const ex = await ready;
  let reply: PoolReply;
  if (ex instanceof Error) {
    reply = { id: task.id, ok: false, error: `extractor failed to load: ${ex.message}` };
  } else {
    try {
      injectFailure(task.article);
      reply = task.prepare
        ? { id: task.id, ok: true, prepared: prepareAndExtract(task.article, ex.extract) }
        : { id: task.id, ok: true, result: ex.extract(task.article) };
    } catch (e) {
      reply = { id: task.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  port.postMessage(reply);
});
