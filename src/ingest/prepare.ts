// Everything about one article that does not need the database: the guard (refuse or repair), its
// content hash and its search text. Computed where the extraction runs, so with a thread pool the
// single writer thread only writes.

import type { Article, ExtractResult } from '../types.js';
import { guardArticle } from './guard.js';
import { articleKeys, articleSearchText, contentHash } from '../store/core.js';
import type { Precomputed } from '../store/types.js';


export type Prepared =
  | { ok: true; article: Article; warnings: string[]; precomputed: Precomputed }
  | { ok: false; error: string; warnings: string[] };

export function prepareArticle(a: Article): Prepared {
  const g = guardArticle(a);
  if (!g.article) return { ok: false, error: g.error!, warnings: g.warnings };
  const keys = articleKeys(g.article);
  return { ok: true, article: g.article, warnings: g.warnings, precomputed: { content_hash: contentHash(g.article, keys), search_text: articleSearchText(g.article, keys) } };
}

/** A prepared article and, when it passed the guard, its extraction. */
export interface PreparedExtraction {
  prepared: Prepared;
  result?: ExtractResult;
}

/** Prepare, then extract what passed the guard (the same in a pool thread and in-process). */
export function prepareAndExtract(a: Article, extract: (a: Article) => ExtractResult): PreparedExtraction {
  const prepared = prepareArticle(a);
  return prepared.ok ? { prepared, result: extract(prepared.article) } : { prepared };
}
