// The store's contract: one interface, two engines (SQLite embedded default, PostgreSQL for scale-out).
// Everything is async because PostgreSQL is; the SQLite engine simply resolves at once.

import type { Article, ConflictEvent, Evidence, ExtractResult, Figure } from '../types.js';

/** The article's content hash and search text, when computed elsewhere (a pool thread): saveArticle then skips them. */
export interface Precomputed {
  content_hash: string;
  search_text: string;
}

/** An article as stored: the input plus what the store knows about it. */
export interface StoredArticle extends Article {
  id: string;
  /** sha256 of the normalised title + text: the identity when there is no URL. */
  content_hash: string;
  /** Version of the extractor that produced this article's events (re-extract when it changes). */
  extractor_version: string;
  ingested_at: string;
  /** File (and line) the article was read from, when it came from a file. */
  source_path?: string | null;
  /** The `id` the article came with (feed/JSON id), kept apart from the store's own id. */
  external_id?: string | null;
}

/** One article's account of a (merged) event. */
export interface EventSource {
  article_id: string;
  outlet: string | null;
  url: string | null;
  /** Who the article credits (e.g. "المرصد السوري لحقوق الإنسان"), or null: the outlet's own voice. */
  reported_by: string | null;
  published: string | null;
  fatalities: number;
  /** The article's own event as extracted (before merging), with its evidence spans. */
  event: ConflictEvent;
}

/** A merged event: one happening, with every article that reported it. */
export interface StoredEvent extends ConflictEvent {
  id: string;
  /** UCDP convention: lowest, best and highest fatality figure across sources. */
  fatalities_low: number;
  fatalities_best: number;
  fatalities_high: number;
  sources: EventSource[];
  created_at: string;
  updated_at: string;
}

export interface StoredFigure extends Figure {
  id: string;
  article_id: string;
  published: string | null;
}

export type EventSort = 'event_date' | '-event_date' | 'fatalities' | '-fatalities';

export interface EventFilter {
  /** Inclusive YYYY-MM-DD bounds on event_date. */
  from?: string;
  to?: string;
  country?: string;
  admin1?: string;
  admin2?: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox?: [number, number, number, number];
  event_type?: string[];
  sub_event_type?: string[];
  /** Matches actor1/actor2/associated actors by English name or Arabic surface form (substring). */
  actor?: string;
  min_fatalities?: number;
  /** Matches reported_by or outlet (substring). */
  source?: string;
  /** Free text, Arabic or English: notes, location names, actor names, evidence text. */
  q?: string;
  /** Only background (true) or only news events (false, the default when unset is both). */
  background?: boolean;
  /** Only events one of whose sources is this stored article (its id, e.g. "ar_…"). */
  article_id?: string;
  sort?: EventSort;
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  /**
   * Matching items. events() stops counting at TOTAL_CAP (10 000): then total = 10 000 and
   * total_is_lower_bound = true (counting every match of a broad filter over millions of events costs
   * more than the page itself). Other pages are counted exactly.
   */
  total: number;
  /** true when total is TOTAL_CAP and more items match (events() only). */
  total_is_lower_bound?: boolean;
  items: T[];
}

export type AggregateBy = 'day' | 'admin1' | 'actor' | 'event_type' | 'sub_event_type';

export interface AggregateRow {
  key: string;
  /** Second key when stacking (e.g. event_type per day). */
  group?: string;
  events: number;
  fatalities: number;
}

export interface SaveResult {
  article_id: string;
  /** The same article (URL or content hash) was already stored with this extractor version. */
  duplicate: boolean;
  /** The article was stored before with an older extractor version and was re-extracted. */
  replaced: boolean;
  events_new: number;
  events_merged: number;
  figures: number;
}

export interface ArticleFilter {
  q?: string;
  outlet?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export interface Store {
  /** Create or upgrade the schema (idempotent). */
  migrate(): Promise<void>;
  /** Is this article (by URL, else content hash) already stored with this extractor version? */
  hasArticle(article: Article, extractorVersion: string): Promise<boolean>;
  /** Store an article with its extraction, merging its events into existing ones, in ONE transaction. */
  saveArticle(article: Article, result: ExtractResult, extractorVersion: string, sourcePath?: string, precomputed?: Precomputed): Promise<SaveResult>;
  events(filter?: EventFilter): Promise<Page<StoredEvent>>;
  event(id: string): Promise<StoredEvent | null>;
  articles(filter?: ArticleFilter): Promise<Page<StoredArticle>>;
  article(id: string): Promise<StoredArticle | null>;
  figures(filter?: { article_id?: string; kind?: string; limit?: number; offset?: number }): Promise<Page<StoredFigure>>;
  aggregates(by: AggregateBy, filter?: EventFilter, stackBy?: 'event_type'): Promise<AggregateRow[]>;
  /**
   * Make every saveArticle that has resolved durable and visible to other connections. SQLite groups
   * commits (up to 32 articles or 200 ms); an API that answers "saved" should flush first. Optional:
   * engines that commit each article at once (PostgreSQL) may omit it or resolve at once.
   */
  flush?(): Promise<void>;
  /**
   * What the operator should fix in the database's set-up, in words (commands print them at start).
   * Optional: engines without such checks omit it.
   */
  warnings?(): Promise<string[]>;
  close(): Promise<void>;
}

export type { Evidence };
