// The embedded engine: one SQLite file (WAL), versioned migrations, prepared statements only.
// better-sqlite3 is synchronous; the Store interface is async, so methods resolve at once. Writes
// are serialised by a promise chain so two saveArticle calls never interleave inside a transaction.

import Database from 'better-sqlite3';
import type { Database as DB, Statement } from 'better-sqlite3';
import type { Article, ConflictEvent, ExtractResult } from '../types.js';
import { bestMatch, type SourceFigure } from '../resolve/merge.js';
import { MergeIndex, BUCKET_WHERE, type BucketKind, type IndexedEvent } from './merge-index.js';
import { spanTable, encodeSource, decodeSource, encodeSpans, parseSpans, type SpanTable } from './spans.js';
import type {
  AggregateBy,
  AggregateRow,
  ArticleFilter,
  EventFilter,
  EventSource,
  Page,
  Precomputed,
  SaveResult,
  Store,
  StoredArticle,
  StoredEvent,
  StoredFigure,
} from './types.js';
import {
  articleIdentity,
  eventOrder,
  eventWhere,
  pageBounds,
  saveArticleWith,
  checkSave,
  matchProbe,
  rowProbe,
  searchTokens,
  fts5Query,
  candidateWheres,
  cappedTotal,
  TOTAL_CAP,
  unionEvidence,
  eventSearchText,
  searchHash,
  type CandidateQuery,
  type EventCore,
  type Dialect,
  type EventRow,
  type Repo,
} from './core.js';

const FTS = `tokenize = 'unicode61 remove_diacritics 2', content = '', contentless_delete = 1`;

/** Each entry upgrades the schema by one version; never edit a released entry, append a new one. */
export const SQLITE_MIGRATIONS: (string | ((db: DB) => void))[] = [
  `
  CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    identity TEXT NOT NULL UNIQUE,
    url TEXT,
    content_hash TEXT NOT NULL,
    title TEXT,
    date TEXT,
    outlet TEXT,
    country TEXT,
    extractor_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    source_path TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX articles_date ON articles(date);
  CREATE INDEX articles_hash ON articles(content_hash);
  CREATE VIRTUAL TABLE articles_fts USING fts5(body, ${FTS});

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_date TEXT,
    date_lo TEXT,
    date_hi TEXT,
    time_precision INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    admin2 TEXT,
    lat REAL,
    lon REAL,
    cell INTEGER,
    geo_precision INTEGER,
    gazetteer_id TEXT,
    fatalities INTEGER NOT NULL DEFAULT 0,
    fatalities_low INTEGER NOT NULL DEFAULT 0,
    fatalities_high INTEGER NOT NULL DEFAULT 0,
    background INTEGER NOT NULL DEFAULT 0,
    actor1 TEXT,
    actor2 TEXT,
    actors_text TEXT NOT NULL DEFAULT '',
    sources_text TEXT NOT NULL DEFAULT '',
    json TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX events_date ON events(event_date);
  CREATE INDEX events_admin1_date ON events(admin1, event_date);
  CREATE INDEX events_type_date ON events(event_type, event_date);
  CREATE INDEX events_fatalities ON events(fatalities);
  CREATE INDEX events_cell_date ON events(cell, time_precision, event_date);
  CREATE INDEX events_admin1_geo ON events(admin1, geo_precision, event_date);
  CREATE INDEX events_latlon ON events(lat, lon);
  CREATE INDEX events_gazetteer ON events(gazetteer_id, event_date) WHERE gazetteer_id IS NOT NULL;
  CREATE VIRTUAL TABLE events_fts USING fts5(body, ${FTS});

  CREATE TABLE event_sources (
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    outlet TEXT,
    reported_by TEXT,
    published TEXT,
    fatalities INTEGER NOT NULL DEFAULT 0,
    ord INTEGER NOT NULL DEFAULT 0,
    json TEXT NOT NULL,
    -- A rowid table: rows carry JSON (hundreds of bytes), too big for a WITHOUT ROWID b-tree.
    PRIMARY KEY (event_id, article_id)
  );
  CREATE INDEX event_sources_article ON event_sources(article_id);

  CREATE TABLE figures (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value REAL NOT NULL,
    published TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX figures_article ON figures(article_id);
  CREATE INDEX figures_kind ON figures(kind);
  `,
  `ALTER TABLE events ADD COLUMN search_hash TEXT;`,
  // The merged evidence is rebuilt from the sources on read; only its distinct texts are kept (search).
  `ALTER TABLE events ADD COLUMN evidence_texts TEXT NOT NULL DEFAULT '[]';`,
  // Map queries (bbox + type + fatalities + dates) answered from the cell index alone, without reading
  // each candidate row; the merge lookups use its (cell, time_precision, event_date) prefix as before.
  `DROP INDEX events_cell_date;
   CREATE INDEX events_cell_date ON events(cell, time_precision, event_date, event_type, fatalities, lat, lon);
   -- Full-text matches are rowids: their date and fatalities (the usual filter and sort) are read from
   -- this narrow index instead of one table row (kilobytes of JSON) each.
   CREATE INDEX IF NOT EXISTS events_seq_cover ON events(seq, event_date, fatalities);`,
  // The sources' figures ride with the event row: a merge reads them with the candidate (NULL in rows
  // written before: then they are read from event_sources).
  `ALTER TABLE events ADD COLUMN source_figures TEXT;`,
  // The merge lookup's cheap tests (type, place, news/background) are answered from the cell index too:
  // in a dense front (dozens of events a day within a few km) a candidate row (kilobytes) is read only
  // when it can match. The map query's columns stay in it.
  `DROP INDEX events_cell_date;
   CREATE INDEX events_cell_date ON events(cell, time_precision, event_date, sub_event_type, geo_precision, gazetteer_id, background,
     event_type, fatalities, lat, lon);`,
  // An article's evidence spans, once (src/store/spans.ts); its sources' evidence refers to them by number.
  `ALTER TABLE articles ADD COLUMN spans TEXT;`,
  // Period tokens (core.ts periodTokens) in every event's full-text row: rebuilt from the rows.
  rebuildEventSearch,
];

/**
 * Rewrite every event's full-text row (and its search hash) from what the events row keeps, in seq
 * order, a few thousand at a time (better-sqlite3 cannot write while a read is open on the connection).
 */
export function rebuildEventSearch(db: DB): void {
  const read = db.prepare('SELECT seq, json, actors_text, sources_text, evidence_texts, evidence FROM events WHERE seq > ? ORDER BY seq LIMIT 2000');
  const del = db.prepare('DELETE FROM events_fts WHERE rowid = ?');
  const ins = db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)');
  const hash = db.prepare('UPDATE events SET search_hash = ? WHERE seq = ?');
  type Row = { seq: number; json: string; actors_text: string; sources_text: string; evidence_texts: string; evidence: string };
  // A large store takes a while (84 s at 1M events): say why the command waits.
  const n = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  if (n >= 50_000) process.stderr.write(`marsad: updating the search index of ${n} events for this version (once; about 1.5 minutes per million)\n`);
  for (let last = 0; ; ) {
    const rows = read.all(last) as Row[];
    // Every row deleted and written again leaves the index in many segments full of deletions: merged
    // into one, a search reads 3-4 times less (measured at 1M events).
    if (!rows.length) return void db.prepare("INSERT INTO events_fts (events_fts) VALUES ('optimize')").run();
    for (const r of rows) {
      let texts = JSON.parse(r.evidence_texts) as string[];
      // Rows written before migration 3 kept their evidence whole.
      if (!texts.length) texts = [...new Set(Object.values(JSON.parse(r.evidence) as Record<string, { text?: string }[]>).flat().map((sp) => sp?.text).filter((t): t is string => !!t))];
      const text = eventSearchText(JSON.parse(r.json) as EventCore, r.actors_text, r.sources_text, texts);
      del.run(r.seq);
      ins.run(r.seq, text);
      hash.run(searchHash(text), r.seq);
    }
    last = rows[rows.length - 1].seq;
  }
}

type Params = unknown[];

class SqliteDialect implements Dialect {
  params: Params = [];
  selective = false;
  param(v: unknown): string {
    this.params.push(v);
    return '?';
  }
  textSearch(terms: string[][], period?: string[] | null): string {
    // Terms are letters/digits only, quoted prefix terms; the FTS query itself is a bound value.
    // Every full-text row holds its period tokens (migration 8), so a dated range narrows the match.
    return `e.seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ${this.param(fts5Query(terms, period))})`;
  }
  contains(column: string, param: string): string {
    return `instr(${column}, ${param}) > 0`;
  }
  noIndex(column: string): string {
    return `+${column}`;
  }
  inList(column: string, values: unknown[]): string {
    return `${column} IN (${values.map((v) => this.param(v)).join(', ')})`;
  }
}

/** The columns the merge index holds (IndexedEvent). */
const INDEXED_COLS =
  'seq, id, event_date, date_lo, date_hi, time_precision, sub_event_type, admin1, cell, geo_precision, gazetteer_id, background, event_type, fatalities, lat, lon';

function indexed(row: EventRow, seq: number): IndexedEvent {
  const { id, event_date, date_lo, date_hi, time_precision, sub_event_type, admin1, cell, geo_precision, gazetteer_id, background, event_type, fatalities, lat, lon } = row;
  return { seq, id, event_date, date_lo, date_hi, time_precision, sub_event_type, admin1, cell, geo_precision, gazetteer_id, background, event_type, fatalities, lat, lon, probe: rowProbe(row) };
}

/** The columns of the events table's indexes (besides seq and id). */
const INDEXED_EVENT_COLS = ['event_date', 'admin1', 'event_type', 'fatalities', 'cell', 'time_precision', 'sub_event_type', 'geo_precision', 'gazetteer_id', 'background', 'lat', 'lon'] as const;

export class SqliteStore implements Store {
  readonly db: DB;
  private queue: Promise<unknown> = Promise.resolve();
  private stmts = new Map<string, Statement>();
  /**
   * The rows read by the last candidate lookup, by event id: the merge that follows takes the figures,
   * evidence texts, seq and search hash from here instead of reading the row again. Cleared by every
   * write to events and by the next lookup.
   */
  private lastCandidates = new Map<string, CandidateRow>();

  /**
   * The merge lookup answered from memory (src/store/merge-index.ts): valid while no other connection
   * writes, so it is cleared when SQLite's data_version moves between batches and after a rollback.
   * MARSAD_MERGE_INDEX=0 turns it off (the SQL queries of candidateWheres then answer).
   */
  private readonly index: MergeIndex | null;
  private dataVersion: number | null = null;
  /**
   * Merged events not yet written, by id: within a batch a popular event takes a new source from
   * article after article (every seed copy merges into the same 16 events), so its row is written
   * once, before COMMIT, instead of once per source. Only with the merge index (which holds the
   * rows' new place and date); every read of an event's row looks here first, and reads that
   * select rows by other columns (a bucket load, the API's queries) write these first.
   */
  private deferred = new Map<string, { seq: number; row: EventRow; diskHash: string | null; indexedChanged: boolean }>();
  /** The events that received a source from the article being saved (the candidates' "not the same article" test). */
  private sourcesOf: { article: string | null; events: Set<string> } = { article: null, events: new Set() };
  /** The spans of the article being saved (written with it; its sources point into them). */
  private spans: SpanTable | null = null;

  /** Articles saved but not yet committed (group commit), and the timer that commits them. */
  private pending = 0;
  /** The saves of the open batch, replayed if a later save in it fails (rollBatch). */
  private batch: BatchItem[] = [];
  private batchStart = 0;
  private commitTimer: NodeJS.Timeout | null = null;
  readonly batchArticles: number;
  readonly batchMs: number;

  /**
   * Group commit: consecutive saveArticle calls share one transaction of at most `batchArticles`
   * articles, committed at the latest `batchMs` after the first save (and on close). A failing article
   * leaves nothing: the batch is rolled back and its earlier articles saved again (rollBatch). A crash
   * loses at most the open batch, which a re-run re-ingests (identity + version). batchArticles: 1
   * commits every article at once.
   */
  constructor(readonly path: string, opts: { batchArticles?: number; batchMs?: number; mergeIndex?: boolean; mergeIndexMaxEvents?: number } = {}) {
    this.batchArticles = Math.max(1, opts.batchArticles ?? 32);
    this.batchMs = Math.max(0, opts.batchMs ?? 200);
    try {
      this.db = new Database(path);
      // A new file gets 8 KB pages: source rows (an article's extracted event with its evidence, ~2 KB)
      // fit several to a page instead of one to a 4 KB page with half of it empty. No effect on an
      // existing file.
      this.db.pragma('page_size = 8192');
      this.db.pragma('journal_mode = WAL');
    } catch (e) {
      // SQLite's own words ("unable to open database file") do not say which file or why.
      throw new Error(`cannot open the database ${path} for writing: ${(e as Error).message} (read-only file or filesystem, or a missing folder?)`);
    }
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Keep the indexes' hot pages in memory; checkpoint the WAL less often (fewer page copies).
    this.db.pragma('cache_size = -131072'); // 128 MB: the random-key indexes (ids) of a large store stay cached
    this.db.pragma('temp_store = MEMORY');
    // 10 000 pages (80 MB of WAL at most): a hot page (index interior, FTS5 segment) dirtied in many
    // batches is copied to the file once per checkpoint. Writer alone, 20 000 copies, alternating:
    // seed 368 -> 383 articles/s, team mix 656 -> 702 (4 000 before; 0, no checkpoint, is slower:
    // lookups in a long WAL).
    this.db.pragma('wal_autocheckpoint = 10000');
    this.index = (opts.mergeIndex ?? process.env.MARSAD_MERGE_INDEX !== '0') === false ? null : new MergeIndex((kind, key, from, to) => (this.writeDeferred(), this.loadBucket(kind, key, from, to)), opts.mergeIndexMaxEvents);
  }

  /** One bucket of the merge index, with the same row tests as the SQL candidate queries' index ranges. */
  private loadBucket(kind: BucketKind, key: string | number, from: string, to: string): IndexedEvent[] {
    return this.st(`SELECT ${INDEXED_COLS} FROM events WHERE ${BUCKET_WHERE[kind]} AND event_date BETWEEN ? AND ?`).all(key, from, to) as IndexedEvent[];
  }

  /** Start a write transaction; the merge index is dropped if another connection committed since our last one. */
  private begin(): void {
    this.st('BEGIN IMMEDIATE').run();
    this.batchStart = Date.now();
    if (!this.index) return;
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (v !== this.dataVersion) this.index.clear();
    this.dataVersion = v;
  }

  /** After a rollback: what the merge index and the pending rows hold is no longer on disk. */
  private forgetUnwritten(): void {
    this.index?.clear();
    this.deferred.clear();
  }

  /** Write the deferred event rows (and their full-text rows where the searchable text changed). */
  private writeDeferred(): void {
    if (!this.deferred.size) return;
    for (const d of this.deferred.values()) this.writeEvent(d.seq, d.row, d.indexedChanged, d.diskHash);
    this.deferred.clear();
  }

  private writeEvent(seq: number, row: EventRow, indexedChanged: boolean, diskHash: string | null): void {
    // A merge that changes no indexed column (another report of the same figures) sets only the others:
    // SQLite then rewrites the row but none of the events table's nine indexes.
    const cols = indexedChanged ? UPDATE_COLS : UNINDEXED_UPDATE_COLS;
    this.st(indexedChanged ? UPDATE_SQL : UNINDEXED_UPDATE_SQL).run(...cols.map((c) => row[c]), seq);
    if (diskHash !== row.search_hash) {
      this.st('DELETE FROM events_fts WHERE rowid = ?').run(seq);
      this.st('INSERT INTO events_fts (rowid, body) VALUES (?, ?)').run(seq, row.search_text);
    }
  }

  /** Commit the open batch, if any. */
  private commitNow(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    this.batch = [];
    if (this.db.inTransaction) {
      this.writeDeferred();
      this.st('COMMIT').run();
    }
    this.pending = 0;
  }

  /** Commit what has been saved so far (the store also does so by itself within batchMs). */
  flush(): Promise<void> {
    return this.exclusive(async () => this.commitNow());
  }

  /** Statements are prepared once per SQL text and reused. */
  private st(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = this.db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        const m = SQLITE_MIGRATIONS[v];
        if (typeof m === 'string') this.db.exec(m);
        else m(this.db);
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
      })();
    }
  }

  /** Serialise writers (a transaction must not interleave with another's awaits). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async hasArticle(article: Article, extractorVersion: string): Promise<boolean> {
    const r = this.st('SELECT extractor_version FROM articles WHERE identity = ?').get(articleIdentity(article)) as
      | { extractor_version: string }
      | undefined;
    return !!r && r.extractor_version === extractorVersion;
  }

  saveArticle(article: Article, result: ExtractResult, extractorVersion: string, sourcePath?: string, precomputed?: Precomputed): Promise<SaveResult> {
    return this.exclusive(async () => {
      // What can be refused without writing is refused before the transaction.
      checkSave(article, result);
      if (!this.db.inTransaction) this.begin();
      const item: BatchItem = { article, result, extractorVersion, sourcePath, precomputed };
      let r: SaveResult;
      try {
        r = await this.saveOne(item);
      } catch (e) {
        await this.rollBatch(e);
        throw e;
      }
      if (r.duplicate && this.pending === 0) {
        this.commitNow();
        return r;
      }
      if (!r.duplicate) this.batch.push(item);
      this.pending++;
      // By count, or by age: a busy ingest loop may not yield to the timer below for seconds.
      if (this.pending >= this.batchArticles || this.batchMs === 0 || Date.now() - this.batchStart >= this.batchMs) this.commitNow();
      else if (!this.commitTimer)
        // Not unref'd: a process that saved something stays alive until it is committed.
        this.commitTimer = setTimeout(() => void this.flush().catch(() => undefined), this.batchMs);
      return r;
    });
  }

  private saveOne(it: BatchItem, merge = true): Promise<SaveResult> {
    this.lastCandidates.clear();
    this.sourcesOf = { article: null, events: new Set() };
    this.spans = Array.isArray(it.result?.events) ? spanTable(it.result) : null;
    return saveArticleWith(this.repo, it.article, it.result, it.extractorVersion, it.sourcePath, { precomputed: it.precomputed, merge });
  }

  /**
   * A save failed inside the open batch: roll the transaction back and save the batch's earlier
   * articles again. (Not a SAVEPOINT per article: each one makes FTS5 flush its pending index
   * data, ~0.2 ms an article and many tiny segments.) A replay that fails too (the disk is full)
   * leaves nothing of the batch; the error says so, and a re-run stores those articles.
   */
  private async rollBatch(cause: unknown): Promise<void> {
    this.lastCandidates.clear();
    this.forgetUnwritten();
    const redo = this.batch;
    this.batch = [];
    this.pending = 0;
    if (this.db.inTransaction) this.st('ROLLBACK').run();
    if (!redo.length) return;
    try {
      this.begin();
      for (const it of redo) await this.saveOne(it);
      this.batch = redo;
      this.pending = redo.length;
    } catch (e) {
      this.forgetUnwritten();
      if (this.db.inTransaction) this.st('ROLLBACK').run();
      if (cause instanceof Error)
        cause.message += `; the ${redo.length} article(s) saved before it in this batch were rolled back too (${(e as Error).message}): a re-run stores them`;
    }
  }

  /**
   * Bulk loading: store articles WITHOUT merging (every event new, one source each) in one transaction.
   * For imports of already merged data and benchmarks; ~10x faster than saveArticle. A failing article
   * rolls back the whole batch (the error names it). Duplicates (same identity and version) are skipped.
   */
  bulkLoad(items: { article: Article; result: ExtractResult; sourcePath?: string }[], extractorVersion: string): Promise<SaveResult[]> {
    return this.exclusive(async () => {
      this.commitNow();
      this.begin();
      const out: SaveResult[] = [];
      try {
        for (const it of items) out.push(await this.saveOne({ ...it, extractorVersion }, false));
        this.writeDeferred();
        this.st('COMMIT').run();
      } catch (e) {
        this.forgetUnwritten();
        if (this.db.inTransaction) this.st('ROLLBACK').run();
        throw e;
      }
      return out;
    });
  }

  private readonly repo: Repo = {
    findArticle: async (identity) =>
      (this.st('SELECT id, extractor_version FROM articles WHERE identity = ?').get(identity) as
        | { id: string; extractor_version: string }
        | undefined) ?? null,
    insertArticle: async (a, identity, searchText) => {
      const info = this.st(
        `INSERT INTO articles (id, identity, url, content_hash, title, date, outlet, country, extractor_version, ingested_at, source_path, json, spans)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(a.id, identity, a.url ?? null, a.content_hash, a.title ?? null, a.date ?? null, a.outlet ?? null, a.country ?? null,
        a.extractor_version, a.ingested_at, a.source_path ?? null, JSON.stringify(a), encodeSpans(this.spans));
      this.st('INSERT INTO articles_fts (rowid, body) VALUES (?, ?)').run(info.lastInsertRowid, searchText);
    },
    deleteArticle: async (id) => {
      const r = this.st('SELECT seq FROM articles WHERE id = ?').get(id) as { seq: number } | undefined;
      if (!r) return;
      this.st('DELETE FROM articles_fts WHERE rowid = ?').run(r.seq);
      this.st('DELETE FROM articles WHERE seq = ?').run(r.seq);
    },
    detachArticle: async (id) => {
      const ids = (this.st('SELECT event_id FROM event_sources WHERE article_id = ?').all(id) as { event_id: string }[]).map((r) => r.event_id);
      this.st('DELETE FROM event_sources WHERE article_id = ?').run(id);
      this.st('DELETE FROM figures WHERE article_id = ?').run(id);
      return ids;
    },
    loadCore: async (id) => this.loadCore(id),
    loadSources: async (id) => this.loadSources(id),
    evidenceTexts: async (id) => {
      const r = this.lastCandidates.get(id) ?? this.deferred.get(id)?.row ?? (this.st('SELECT evidence_texts FROM events WHERE id = ?').get(id) as { evidence_texts: string } | undefined);
      return r ? (JSON.parse(r.evidence_texts) as string[]) : [];
    },
    sourceFigures: async (id) => {
      const c = this.lastCandidates.get(id);
      if (c?.source_figures) {
        const v = JSON.parse(c.source_figures) as { n: number; f: SourceFigure[] } | SourceFigure[];
        if (!Array.isArray(v)) return { figures: v.f, count: v.n };
      }
      // Rows written before the source_figures column: read every source's figures.
      const figures = this.st('SELECT reported_by, outlet, published, fatalities FROM event_sources WHERE event_id = ? ORDER BY ord').all(id) as SourceFigure[];
      return { figures, count: figures.length };
    },
    deleteEvent: async (id) => {
      this.lastCandidates.clear();
      this.deferred.delete(id); // its full-text row is still the one on disk: deleted below
      const r = this.st('SELECT seq FROM events WHERE id = ?').get(id) as { seq: number } | undefined;
      if (!r) return;
      this.st('DELETE FROM events_fts WHERE rowid = ?').run(r.seq);
      this.st('DELETE FROM events WHERE seq = ?').run(r.seq);
      this.index?.remove(r.seq);
      this.st('DELETE FROM event_sources WHERE event_id = ?').run(id);
    },
    candidates: async (q, exclude) => this.candidates(q, exclude),
    match: async (q, exclude, ev) => this.match(q, exclude, ev),
    insertEvent: async (row) => {
      this.lastCandidates.clear();
      const info = this.st(
        `INSERT INTO events (${EVENT_COLS.join(', ')}) VALUES (${EVENT_COLS.map(() => '?').join(', ')})`,
      ).run(...EVENT_COLS.map((c) => row[c]));
      this.st('INSERT INTO events_fts (rowid, body) VALUES (?, ?)').run(info.lastInsertRowid, row.search_text);
      this.index?.put(indexed(row, Number(info.lastInsertRowid)));
    },
    updateEvent: async (row) => {
      const d = this.deferred.get(row.id);
      const r =
        (d && { seq: d.seq, search_hash: d.diskHash }) ??
        this.lastCandidates.get(row.id) ??
        (this.st('SELECT seq, search_hash FROM events WHERE id = ?').get(row.id) as { seq: number; search_hash: string | null } | undefined);
      this.lastCandidates.clear();
      if (!r) throw new Error(`event ${row.id} vanished during merge`);
      // The held entry is the row's previous version: did this merge move it in any index?
      const old = this.index?.get(r.seq);
      const indexedChanged = !old || INDEXED_EVENT_COLS.some((c) => old[c] !== row[c]);
      if (!this.index) return this.writeEvent(r.seq, row, indexedChanged, r.search_hash);
      this.index.put(indexed(row, r.seq));
      this.deferred.set(row.id, { seq: r.seq, row, diskHash: r.search_hash, indexedChanged: indexedChanged || !!d?.indexedChanged });
    },
    insertSource: async (eventId, ord, s) => {
      if (this.sourcesOf.article !== s.article_id) this.sourcesOf = { article: s.article_id, events: new Set() };
      this.sourcesOf.events.add(eventId);
      this.st(
        'INSERT OR REPLACE INTO event_sources (event_id, article_id, outlet, reported_by, published, fatalities, ord, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(eventId, s.article_id, s.outlet, s.reported_by, s.published, s.fatalities, ord, encodeSource(s, this.spans));
    },
    insertFigure: async (f) => {
      this.st('INSERT INTO figures (id, article_id, kind, value, published, json) VALUES (?, ?, ?, ?, ?, ?)').run(
        f.id, f.article_id, f.kind, f.value, f.published, JSON.stringify(f));
    },
  };

  private loadCore(id: string): EventCore | null {
    const r = this.deferred.get(id)?.row ?? (this.st('SELECT json FROM events WHERE id = ?').get(id) as { json: string } | undefined);
    return r ? coreOf(r) : null;
  }

  private loadSources(id: string): EventSource[] {
    const rows = this.st(
      'SELECT s.json, a.spans FROM event_sources s LEFT JOIN articles a ON a.id = s.article_id WHERE s.event_id = ? ORDER BY s.ord',
    ).all(id) as { json: string; spans: string | null }[];
    return rows.map((r) => decodeSource(r.json, () => parseSpans(r.spans)));
  }

  private withSources(core: EventCore): StoredEvent {
    const sources = this.loadSources(core.id);
    return { ...core, evidence: unionEvidence(sources), sources };
  }

  /**
   * The merge decision from the index: candidates are compared on their probes (kept in the index
   * once read), and only the one that matches is read whole.
   */
  private match(q: CandidateQuery, exclude: string, ev: ConflictEvent): EventCore | null {
    if (!this.index) return bestMatch(this.candidates(q, exclude), ev);
    this.lastCandidates.clear();
    const read = new Map<number, { row: CandidateRow; core: EventCore }>();
    const full = ({ seq, id }: IndexedEvent) => {
      let f = read.get(seq);
      if (!f) {
        const d = this.deferred.get(id);
        const row = d ? { ...d.row, seq } : (this.st(`SELECT ${CANDIDATE_COLS} FROM events WHERE seq = ?`).get(seq) as CandidateRow);
        read.set(seq, (f = { row, core: JSON.parse(row.json) as EventCore }));
      }
      return f;
    };
    const entries = this.index!.candidates(q, (id) => this.hasSourceFrom(id, exclude));
    const probes = entries.map((e) => (e.probe ??= matchProbe(full(e).core)));
    const best = bestMatch(probes, ev);
    if (!best) return null;
    const f = full(entries[probes.indexOf(best)]);
    this.lastCandidates.set(f.row.id, f.row);
    return f.core;
  }

  private hasSourceFrom(id: string, article: string): boolean {
    return this.sourcesOf.article === article
      ? this.sourcesOf.events.has(id)
      : !!this.st('SELECT 1 FROM event_sources WHERE event_id = ? AND article_id = ?').get(id, article);
  }

  /** The SQL candidate queries (candidateWheres): the lookup without the merge index, and its reference in tests. */
  private candidates(q: CandidateQuery, exclude: string): EventCore[] {
    this.writeDeferred();
    const seen = new Map<string, EventCore>();
    this.lastCandidates.clear();
    for (const { where, params } of candidateWheres(q, exclude, () => new SqliteDialect()))
      for (const r of this.st(`SELECT ${CANDIDATE_COLS} FROM events WHERE ${where}`).all(...params) as CandidateRow[])
        if (!seen.has(r.id)) {
          seen.set(r.id, JSON.parse(r.json) as EventCore);
          this.lastCandidates.set(r.id, r);
        }
    return [...seen.values()];
  }

  async events(filter: EventFilter = {}): Promise<Page<StoredEvent>> {
    this.writeDeferred();
    const d = new SqliteDialect();
    const where = eventWhere(filter, d);
    const { limit, offset } = pageBounds(filter);
    const order = eventOrder(filter.sort, d.selective);
    // One pass gives both the (capped) total and the page: the ordered ids of up to TOTAL_CAP + 1 matches,
    // read from covering indexes where possible (a full-text MATCH is evaluated once, not twice); the
    // page's rows are then fetched by id. A page beyond the cap is read with LIMIT/OFFSET.
    const seqs = (this.st(`SELECT e.seq FROM events e WHERE ${where} ORDER BY ${order} LIMIT ${TOTAL_CAP + 1}`).all(...d.params) as { seq: number }[]).map((r) => r.seq);
    let rows: { json: string }[];
    if (offset + limit <= seqs.length || seqs.length <= TOTAL_CAP) {
      const page = seqs.slice(offset, offset + limit);
      const bySeq = new Map<number, string>();
      for (const r of this.st('SELECT seq, json FROM events WHERE seq IN (SELECT value FROM json_each(?))').all(JSON.stringify(page)) as { seq: number; json: string }[])
        bySeq.set(r.seq, r.json);
      rows = page.map((q) => ({ json: bySeq.get(q)! })).filter((r) => r.json !== undefined);
    } else
      rows = this.st(`SELECT e.json FROM events e WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...d.params, limit, offset) as { json: string }[];
    return { ...cappedTotal(seqs.length), items: rows.map((r) => this.withSources(coreOf(r))) };
  }

  async event(id: string): Promise<StoredEvent | null> {
    const core = this.loadCore(id);
    return core ? this.withSources(core) : null;
  }

  async articles(filter: ArticleFilter = {}): Promise<Page<StoredArticle>> {
    const w: string[] = [];
    const p: unknown[] = [];
    if (filter.from) (w.push('a.date >= ?'), p.push(filter.from));
    if (filter.to) (w.push('a.date <= ?'), p.push(filter.to));
    if (filter.outlet) (w.push('instr(lower(a.outlet), lower(?)) > 0'), p.push(filter.outlet));
    if (filter.q) {
      const toks = searchTokens(filter.q);
      if (toks.length) (w.push('a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)'), p.push(fts5Query(toks)));
    }
    const where = w.length ? w.join(' AND ') : '1=1';
    const { limit, offset } = pageBounds(filter);
    const total = (this.st(`SELECT count(*) AS n FROM articles a WHERE ${where}`).get(...p) as { n: number }).n;
    const rows = this.st(`SELECT a.json FROM articles a WHERE ${where} ORDER BY a.date DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?`).all(
      ...p, limit, offset) as { json: string }[];
    return { total, items: rows.map((r) => JSON.parse(r.json) as StoredArticle) };
  }

  async article(id: string): Promise<StoredArticle | null> {
    const r = this.st('SELECT json FROM articles WHERE id = ?').get(id) as { json: string } | undefined;
    return r ? (JSON.parse(r.json) as StoredArticle) : null;
  }

  async figures(filter: { article_id?: string; kind?: string; limit?: number; offset?: number } = {}): Promise<Page<StoredFigure>> {
    const w: string[] = [];
    const p: unknown[] = [];
    if (filter.article_id) (w.push('article_id = ?'), p.push(filter.article_id));
    if (filter.kind) (w.push('kind = ?'), p.push(filter.kind));
    const where = w.length ? w.join(' AND ') : '1=1';
    const { limit, offset } = pageBounds(filter);
    const total = (this.st(`SELECT count(*) AS n FROM figures WHERE ${where}`).get(...p) as { n: number }).n;
    const rows = this.st(`SELECT json FROM figures WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(...p, limit, offset) as { json: string }[];
    return { total, items: rows.map((r) => JSON.parse(r.json) as StoredFigure) };
  }

  async aggregates(by: AggregateBy, filter: EventFilter = {}, stackBy?: 'event_type'): Promise<AggregateRow[]> {
    this.writeDeferred();
    const d = new SqliteDialect();
    const where = eventWhere(filter, d);
    const group = stackBy === 'event_type' ? ', e.event_type' : '';
    const groupSel = stackBy === 'event_type' ? ', e.event_type AS grp' : ', NULL AS grp';
    let sql: string;
    if (by === 'actor') {
      // An event counts once for each of its two main actors.
      sql = `SELECT k AS key, grp, count(*) AS events, sum(f) AS fatalities FROM (
          SELECT e.actor1 AS k, e.fatalities AS f ${groupSel} FROM events e WHERE ${where} AND e.actor1 IS NOT NULL
          UNION ALL
          SELECT e.actor2 AS k, e.fatalities AS f ${groupSel} FROM events e WHERE ${where} AND e.actor2 IS NOT NULL
        ) GROUP BY k, grp ORDER BY events DESC, key`;
      d.params = [...d.params, ...d.params];
    } else {
      const col = by === 'day' ? 'e.event_date' : `e.${by}`;
      const order = by === 'day' ? 'key' : 'events DESC, key';
      sql = `SELECT ${col} AS key ${groupSel}, count(*) AS events, coalesce(sum(e.fatalities), 0) AS fatalities
        FROM events e WHERE ${where} AND ${col} IS NOT NULL GROUP BY ${col} ${group} ORDER BY ${order}`;
    }
    const rows = this.st(sql).all(...d.params) as { key: string; grp: string | null; events: number; fatalities: number }[];
    return rows.map((r) => (r.grp != null ? { key: r.key, group: r.grp, events: r.events, fatalities: r.fatalities ?? 0 } : { key: r.key, events: r.events, fatalities: r.fatalities ?? 0 }));
  }

  async close(): Promise<void> {
    await this.queue;
    this.commitNow();
    // Keep the planner's statistics fresh (SQLite's advice: run on close; bounded work).
    try {
      this.db.pragma('analysis_limit = 400');
      this.db.pragma('optimize');
    } catch {
      /* read-only or busy: statistics stay as they were */
    }
    this.db.close();
  }
}

interface BatchItem {
  article: Article;
  result: ExtractResult;
  extractorVersion: string;
  sourcePath?: string;
  precomputed?: Precomputed;
}

/** What a merge reads of a candidate event (CandidateRow). */
const CANDIDATE_COLS = 'id, seq, json, evidence_texts, source_figures, search_hash';

interface CandidateRow {
  id: string;
  seq: number;
  json: string;
  evidence_texts: string;
  source_figures: string | null;
  search_hash: string | null;
}

function coreOf(r: { json: string }): EventCore {
  return { ...(JSON.parse(r.json) as EventCore), evidence: {} };
}

const EVENT_COLS: (keyof EventRow)[] = [
  'id', 'event_date', 'date_lo', 'date_hi', 'time_precision', 'event_type', 'sub_event_type', 'country', 'admin1', 'admin2',
  'lat', 'lon', 'cell', 'geo_precision', 'gazetteer_id', 'fatalities', 'fatalities_low', 'fatalities_high', 'background',
  'actor1', 'actor2', 'actors_text', 'sources_text', 'json', 'evidence_texts', 'source_figures', 'search_hash', 'created_at', 'updated_at',
];

const UPDATE_COLS = EVENT_COLS.filter((c) => c !== 'id' && c !== 'created_at');
const UNINDEXED_UPDATE_COLS = UPDATE_COLS.filter((c) => !(INDEXED_EVENT_COLS as readonly string[]).includes(c));
// Built once: writeEvent runs for every merged event.
const UPDATE_SQL = `UPDATE events SET ${UPDATE_COLS.map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`;
const UNINDEXED_UPDATE_SQL = `UPDATE events SET ${UNINDEXED_UPDATE_COLS.map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`;

export type { EventSource };
