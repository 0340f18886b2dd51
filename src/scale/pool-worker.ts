// Entry of one extraction thread of the pool (src/scale/pool.ts). It loads the extractor and
// the gazetteer once, then answers its tasks one at a time, in the order they came: the pool
// posts at most one task beyond the running one and knows which article a crash belongs to.

import { parentPort, workerData } from 'node:worker_threads';
import type { Article } from '../types.js';
import { injectFailure, loadExtractor, resultLine, type LoadedExtractor } from './extractor.js';
import { prepareAndExtract, type PreparedExtraction } from '../ingest/prepare.js';

export interface PoolTask {
  id: number;
  article: Article;
  /** Guard the article and compute what the writer needs (src/ingest/prepare.ts) before extracting. */
  prepare?: boolean;
  /** Answer with the JSON Lines line {...result, id: line.id} (`marsad extract --jsonl`). */
  line?: { id: string; country?: string };
}
/** `result` is the ExtractResult as JSON text (see pool.ts), or the output line of a `line` task. */
export type PoolReply =
  | { id: number; ok: true; result: string }
  /**
   * A prepared task: `prepared` without its article when the guard left the article as it came
   * (`unchanged`: the pool puts back the one it sent, instead of a copy of its text crossing back).
   */
  | { id: number; ok: true; prepared: PreparedExtraction['prepared']; unchanged?: boolean; result?: string }
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
      if (task.prepare) {
        const p = prepareAndExtract(task.article, ex.extract);
        const unchanged = p.prepared.ok && p.prepared.article === task.article;
        const prepared = unchanged ? { ...p.prepared, article: undefined as unknown as Article } : p.prepared;
        // What the writer stores: the events and figures. Mentions (every place, actor and number the
        // extractor saw: a third of a result) are for the article view, which extracts live.
        reply = { id: task.id, ok: true, prepared, unchanged, result: p.result && JSON.stringify({ ...p.result, mentions: [] }) };
      } else if (task.line) {
        reply = { id: task.id, ok: true, result: resultLine(ex.extract(task.article, { country: task.line.country }), task.line.id) };
      } else {
        reply = { id: task.id, ok: true, result: JSON.stringify(ex.extract(task.article)) };
      }
    } catch (e) {
      reply = { id: task.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  port.postMessage(reply);
});
