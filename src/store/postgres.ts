// The PostgreSQL engine: the same schema and the same save/merge algorithm (core.ts) as SQLite.
// Writers take transaction-scoped advisory locks on the merge neighbourhoods of their events
// (locks.ts), so concurrent ingesters (several processes or a worker pool) never create two events
// for one happening, while saves about other places or times run in parallel.

import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Article, ExtractResult } from '../types.js';
import type { SourceFigure } from '../resolve/merge.js';
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
import { articleLocks, articleQueries, homeKeys, missing, searchKeys, type HomeRow, type LockSet } from './locks.js';
import {
  articleId,
  articleIdentity,
  eventOrder,
  eventWhere,
  pageBounds,
  saveArticleWith,
  searchTokens,
  tsQuery,
  candidateWheres,
  cappedCountSql,
  cappedTotal,
  unionEvidence,
  type CandidateQuery,
  type EventCore,
  type Dialect,
  type EventRow,
  type Repo,
} from './core.js';

/** Each entry upgrades the schema by one version; append, never edit. */
export const POSTGRES_MIGRATIONS: string[] = [
  `
  CREATE TABLE articles (
    seq BIGSERIAL PRIMARY KEY,
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
    search TSVECTOR,
    json TEXT NOT NULL
  );
  CREATE INDEX articles_date ON articles(date);
  CREATE INDEX articles_hash ON articles(content_hash);
  CREATE INDEX articles_search ON articles USING GIN (search);

  CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
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
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    cell BIGINT,
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
    search TSVECTOR,
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
  CREATE INDEX events_search ON events USING GIN (search);

  CREATE TABLE event_sources (
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    outlet TEXT,
    reported_by TEXT,
    published TEXT,
    fatalities INTEGER NOT NULL DEFAULT 0,
    ord INTEGER NOT NULL DEFAULT 0,
    json TEXT NOT NULL,
    PRIMARY KEY (event_id, article_id)
  );
  CREATE INDEX event_sources_article ON event_sources(article_id);

  CREATE TABLE figures (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    published TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX figures_article ON figures(article_id);
  CREATE INDEX figures_kind ON figures(kind);
  `,
  `ALTER TABLE events ADD COLUMN search_hash TEXT;`,
  // The merged evidence is rebuilt from the sources on read; only its distinct texts are kept (search).
  `ALTER TABLE events ADD COLUMN evidence_texts TEXT NOT NULL DEFAULT '[]';`,
  // {n, f}: the source count and reduceFigures() of the sources (core.ts eventRow): a merge reads this
  // one value instead of every source's figures (an event with 20 000 sources read 20 000 rows).
  `ALTER TABLE events ADD COLUMN source_figures TEXT;`,
  // Room on each page for a merged event's next version: an update that changes no indexed column then
  // stays on its page (HOT) and adds no entry to the ten indexes, and reading the page prunes the dead
  // versions without VACUUM. Applies to pages written from now on.
  `ALTER TABLE events SET (fillfactor = 50);`,
];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/**
 * The global merge key: every fine-grained save holds it shared, a save that needs the whole store
 * (re-ingest by a new extractor version, too many keys) exclusively. Earlier Marsad versions took it
 * exclusively for every save, so a mixed fleet stays correct. MERGE_LOCK + 1 guards migrations.
 */
export const MERGE_LOCK = 0x6d617273; // "mars"

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}" (lower-case letters, digits, _)`);
  return schema;
}

/** Drop a schema (test cleanup). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${c.escapeIdentifier(checkSchema(schema))} CASCADE`);
  } finally {
    await c.end();
  }
}

class PgDialect implements Dialect {
  params: unknown[] = [];
  param(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }
  // The period tokens are not asked for: rows written before they existed lack them (no rebuild here).
  textSearch(terms: string[][]): string {
    return `e.search @@ to_tsquery('simple', ${this.param(tsQuery(terms))})`;
  }
  contains(column: string, param: string): string {
    return `strpos(${column}, ${param}) > 0`;
  }
  noIndex(column: string): string {
    return column;
  }
  inList(column: string, values: unknown[]): string {
    return `${column} = ANY(${this.param(values)})`;
  }
}

type Q = { query: pg.Pool['query'] };

const EVENT_COLS: (keyof EventRow)[] = [
  'id', 'event_date', 'date_lo', 'date_hi', 'time_precision', 'event_type', 'sub_event_type', 'country', 'admin1', 'admin2',
  'lat', 'lon', 'cell', 'geo_precision', 'gazetteer_id', 'fatalities', 'fatalities_low', 'fatalities_high', 'background',
  'actor1', 'actor2', 'actors_text', 'sources_text', 'json', 'evidence_texts', 'source_figures', 'search_hash', 'created_at', 'updated_at',
];

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly schema: string | undefined;

  constructor(url: string, schema?: string) {
    this.schema = schema ? checkSchema(schema) : undefined;
    this.pool = new pg.Pool({
      connectionString: url,
      max: 4,
      // No JIT: once the tables hold some thousands of events, the planner's cost of a save's one-trip
      // lookup passes jit_above_cost and every save paid ~55 ms compiling it (for 3 ms of execution;
      // EXPLAIN ANALYZE at 10 000 seed copies). Short, repeated statements never repay JIT.
      // A dedicated schema (tests, several observatories in one database) via the session search_path.
      options: `-c jit=off${this.schema ? ` -c search_path=${this.schema}` : ''}`,
    });
    // An idle connection dropped by the server (restart, failover) is an 'error' on the pool: without
    // a listener it kills the process. The pool discards that client; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${c.escapeIdentifier(this.schema)}`);
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1)', [MERGE_LOCK + 1]);
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const r = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
      for (let v = r.rows[0].v ?? 0; v < POSTGRES_MIGRATIONS.length; v++) {
        await c.query(POSTGRES_MIGRATIONS[v]);
        await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async hasArticle(article: Article, extractorVersion: string): Promise<boolean> {
    const r = await this.pool.query<{ extractor_version: string }>('SELECT extractor_version FROM articles WHERE identity = $1', [
      articleIdentity(article),
    ]);
    return r.rows.length > 0 && r.rows[0].extractor_version === extractorVersion;
  }

  /** Saves that restarted with more keys, and saves that took the global key (bench, tests). */
  readonly lockStats = { restarts: 0, global: 0, saves: 0 };

  async saveArticle(article: Article, result: ExtractResult, extractorVersion: string, sourcePath?: string, precomputed?: Precomputed): Promise<SaveResult> {
    const identity = articleIdentity(article, precomputed?.content_hash);
    // The keys of the article's merge neighbourhoods (locks.ts); null: the global key.
    let plan: LockSet | null = articleLocks(article, result, undefined, identity);
    for (let attempt = 0; ; attempt++) {
      const c = await this.pool.connect();
      try {
        // BEGIN, every lock, the stored article and every lookup of the article in one round trip
        // (simple protocol: keys are generated integers, values escaped literals); then the writes
        // in one statement, and COMMIT.
        const repo = plan ? new LockedRepo(c, plan, extractorVersion) : null;
        const pre = repo?.prefetchSql(articleId(identity), articleQueries(article, result).map((x) => x.q), Array.isArray(result?.events) ? result.events.length : 0);
        const head = repo ? `; SELECT id, extractor_version FROM articles WHERE identity = ${c.escapeLiteral(identity)}${pre ? `; ${pre}` : ''}` : '';
        // Statements of one simple query run in order: the lookups run once the locks are held.
        const res = (await c.query(`BEGIN; ${lockSql(plan)}${head}`)) as unknown as pg.QueryResult[];
        if (repo) {
          repo.knownArticle(identity, res[2].rows[0] ?? null);
          if (pre) repo.takePrefetch(res[3].rows);
        }
        const r = await saveArticleWith(repo ?? repoFor(c), article, result, extractorVersion, sourcePath, { precomputed });
        await repo?.flush();
        await c.query('COMMIT');
        this.lockStats.saves++;
        if (!plan) this.lockStats.global++;
        return r;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        // The shared lock table is full (max_locks_per_transaction x connections, docs/scaling.md):
        // this save takes the one global key instead.
        if ((e as { code?: string }).code === '53200' && plan && attempt < MAX_RESTARTS) {
          this.lockStats.restarts++;
          plan = null;
          continue;
        }
        // Advisory keys are taken in order or only try-locked, so no deadlock among saves; this is
        // for anything else (row locks of another writer): the rolled-back save simply runs again.
        if ((e as { code?: string }).code === '40P01' && attempt < MAX_RESTARTS) {
          this.lockStats.restarts++;
          continue;
        }
        if (e instanceof LockMiss && attempt < MAX_RESTARTS) {
          // Start again holding the keys that were busy (blocking, in order), or everything.
          this.lockStats.restarts++;
          plan = e.keys && plan && attempt < MAX_RESTARTS - 1 ? new Map([...plan, ...upgrade(plan, e.keys)]) : null;
          continue;
        }
        throw e;
      } finally {
        c.release();
      }
    }
  }

  async events(filter: EventFilter = {}): Promise<Page<StoredEvent>> {
    const d = new PgDialect();
    const where = eventWhere(filter, d);
    const { limit, offset } = pageBounds(filter);
    const total = await this.pool.query<{ n: string }>(cappedCountSql(where), d.params);
    const lim = d.param(limit);
    const off = d.param(offset);
    const rows = await this.pool.query<{ json: string }>(
      `SELECT e.json FROM events e WHERE ${where} ORDER BY ${eventOrder(filter.sort)} LIMIT ${lim} OFFSET ${off}`,
      d.params,
    );
    const cores = rows.rows.map(coreOf);
    // Sources of the whole page in one query.
    const src = await this.pool.query<{ event_id: string; json: string }>(
      'SELECT event_id, json FROM event_sources WHERE event_id = ANY($1::text[]) ORDER BY event_id, ord',
      [cores.map((e) => e.id)],
    );
    const by = new Map<string, EventSource[]>();
    for (const r of src.rows) {
      let l = by.get(r.event_id);
      if (!l) by.set(r.event_id, (l = []));
      l.push(JSON.parse(r.json) as EventSource);
    }
    return {
      ...cappedTotal(Number(total.rows[0].n)),
      items: cores.map((e) => {
        const sources = by.get(e.id) ?? [];
        return { ...e, evidence: unionEvidence(sources), sources };
      }),
    };
  }

  async event(id: string): Promise<StoredEvent | null> {
    const repo = repoFor(this.pool);
    const core = await repo.loadCore(id);
    if (!core) return null;
    const sources = await repo.loadSources(id);
    return { ...core, evidence: unionEvidence(sources), sources };
  }

  async articles(filter: ArticleFilter = {}): Promise<Page<StoredArticle>> {
    const w: string[] = [];
    const p: unknown[] = [];
    const ph = (v: unknown) => (p.push(v), `$${p.length}`);
    if (filter.from) w.push(`a.date >= ${ph(filter.from)}`);
    if (filter.to) w.push(`a.date <= ${ph(filter.to)}`);
    if (filter.outlet) w.push(`strpos(lower(a.outlet), lower(${ph(filter.outlet)})) > 0`);
    if (filter.q) {
      const toks = searchTokens(filter.q);
      if (toks.length) w.push(`a.search @@ to_tsquery('simple', ${ph(tsQuery(toks))})`);
    }
    const where = w.length ? w.join(' AND ') : '1=1';
    const { limit, offset } = pageBounds(filter);
    const total = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles a WHERE ${where}`, p);
    const lim = ph(limit);
    const off = ph(offset);
    const rows = await this.pool.query<{ json: string }>(
      `SELECT a.json FROM articles a WHERE ${where} ORDER BY a.date DESC NULLS LAST, a.seq DESC LIMIT ${lim} OFFSET ${off}`,
      p,
    );
    return { total: total.rows[0].n, items: rows.rows.map((r) => JSON.parse(r.json) as StoredArticle) };
  }

  async article(id: string): Promise<StoredArticle | null> {
    const r = await this.pool.query<{ json: string }>('SELECT json FROM articles WHERE id = $1', [id]);
    return r.rows.length ? (JSON.parse(r.rows[0].json) as StoredArticle) : null;
  }

  async figures(filter: { article_id?: string; kind?: string; limit?: number; offset?: number } = {}): Promise<Page<StoredFigure>> {
    const w: string[] = [];
    const p: unknown[] = [];
    const ph = (v: unknown) => (p.push(v), `$${p.length}`);
    if (filter.article_id) w.push(`article_id = ${ph(filter.article_id)}`);
    if (filter.kind) w.push(`kind = ${ph(filter.kind)}`);
    const where = w.length ? w.join(' AND ') : '1=1';
    const { limit, offset } = pageBounds(filter);
    const total = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM figures WHERE ${where}`, p);
    const lim = ph(limit);
    const off = ph(offset);
    const rows = await this.pool.query<{ json: string }>(`SELECT json FROM figures WHERE ${where} ORDER BY seq LIMIT ${lim} OFFSET ${off}`, p);
    return { total: total.rows[0].n, items: rows.rows.map((r) => JSON.parse(r.json) as StoredFigure) };
  }

  async aggregates(by: AggregateBy, filter: EventFilter = {}, stackBy?: 'event_type'): Promise<AggregateRow[]> {
    const d = new PgDialect();
    const where = eventWhere(filter, d);
    const group = stackBy === 'event_type' ? ', e.event_type' : '';
    const groupSel = stackBy === 'event_type' ? ', e.event_type AS grp' : ', NULL::text AS grp';
    let sql: string;
    if (by === 'actor') {
      sql = `SELECT k AS key, grp, count(*)::int AS events, coalesce(sum(f), 0)::float8 AS fatalities FROM (
          SELECT e.actor1 AS k, e.fatalities AS f ${groupSel} FROM events e WHERE ${where} AND e.actor1 IS NOT NULL
          UNION ALL
          SELECT e.actor2 AS k, e.fatalities AS f ${groupSel} FROM events e WHERE ${where} AND e.actor2 IS NOT NULL
        ) x GROUP BY k, grp ORDER BY events DESC, key`;
    } else {
      const col = by === 'day' ? 'e.event_date' : `e.${by}`;
      const order = by === 'day' ? 'key' : 'events DESC, key';
      sql = `SELECT ${col} AS key ${groupSel}, count(*)::int AS events, coalesce(sum(e.fatalities), 0)::float8 AS fatalities
        FROM events e WHERE ${where} AND ${col} IS NOT NULL GROUP BY ${col} ${group} ORDER BY ${order}`;
    }
    const rows = await this.pool.query<{ key: string; grp: string | null; events: number; fatalities: number }>(sql, d.params);
    return rows.rows.map((r) =>
      r.grp != null ? { key: r.key, group: r.grp, events: r.events, fatalities: r.fatalities } : { key: r.key, events: r.events, fatalities: r.fatalities },
    );
  }

  /** Every article is committed by saveArticle itself: nothing to flush. */
  async flush(): Promise<void> {}

  async warnings(): Promise<string[]> {
    const out: string[] = [];
    const r = await this.pool.query<{ autovacuum: string }>('SHOW autovacuum');
    // Merges rewrite event rows. Without VACUUM and ANALYZE, lookups read through the dead versions
    // with plans made for empty tables (scale bench: one queue worker went from ~100 to 16 articles/s
    // within 36 000 articles, and back to 126/s after one VACUUM (ANALYZE)).
    if (r.rows[0]?.autovacuum === 'off')
      out.push(
        'PostgreSQL runs with autovacuum off: merges rewrite event rows, and without VACUUM (ANALYZE) saves slow down several-fold ' +
          'within tens of thousands of articles. Turn autovacuum on, or run VACUUM (ANALYZE) on the events, event_sources and articles tables regularly.',
      );
    return out;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function coreOf(r: { json: string }): EventCore {
  return { ...(JSON.parse(r.json) as EventCore), evidence: {} };
}

function repoFor(c: Q): Repo {
  const one = async <T>(sql: string, params: unknown[]): Promise<T | undefined> => (await c.query(sql, params)).rows[0] as T | undefined;
  return {
    findArticle: async (identity) => (await one<{ id: string; extractor_version: string }>('SELECT id, extractor_version FROM articles WHERE identity = $1', [identity])) ?? null,
    insertArticle: async (a, identity, searchText) => {
      await c.query(
        `INSERT INTO articles (id, identity, url, content_hash, title, date, outlet, country, extractor_version, ingested_at, source_path, search, json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, to_tsvector('simple', $12), $13)`,
        [a.id, identity, a.url ?? null, a.content_hash, a.title ?? null, a.date ?? null, a.outlet ?? null, a.country ?? null,
          a.extractor_version, a.ingested_at, a.source_path ?? null, searchText, JSON.stringify(a)],
      );
    },
    deleteArticle: async (id) => {
      await c.query('DELETE FROM articles WHERE id = $1', [id]);
    },
    detachArticle: async (id) => {
      const r = await c.query<{ event_id: string }>('DELETE FROM event_sources WHERE article_id = $1 RETURNING event_id', [id]);
      await c.query('DELETE FROM figures WHERE article_id = $1', [id]);
      return r.rows.map((x) => x.event_id);
    },
    loadCore: async (id) => {
      const r = await one<{ json: string }>('SELECT json FROM events WHERE id = $1', [id]);
      return r ? coreOf(r) : null;
    },
    loadSources: async (id) =>
      (await c.query<{ json: string }>('SELECT json FROM event_sources WHERE event_id = $1 ORDER BY ord', [id])).rows.map(
        (r) => JSON.parse(r.json) as EventSource,
      ),
    evidenceTexts: async (id) => {
      const r = await one<{ evidence_texts: string }>('SELECT evidence_texts FROM events WHERE id = $1', [id]);
      return r ? (JSON.parse(r.evidence_texts) as string[]) : [];
    },
    sourceFigures: async (id) => {
      const r = await one<{ source_figures: string | null }>('SELECT source_figures FROM events WHERE id = $1', [id]);
      if (r?.source_figures) {
        const v = JSON.parse(r.source_figures) as { n: number; f: SourceFigure[] };
        return { figures: v.f, count: v.n };
      }
      const figures = (await c.query<SourceFigure>('SELECT reported_by, outlet, published, fatalities FROM event_sources WHERE event_id = $1 ORDER BY ord', [id])).rows;
      return { figures, count: figures.length };
    },
    deleteEvent: async (id) => {
      await c.query('DELETE FROM events WHERE id = $1', [id]);
      await c.query('DELETE FROM event_sources WHERE event_id = $1', [id]);
    },
    candidates: async (q: CandidateQuery, exclude: string) => {
      const seen = new Map<string, EventCore>();
      for (const { where, params } of candidateWheres(q, exclude, () => new PgDialect()))
        for (const r of (await c.query<{ id: string; json: string }>(`SELECT id, json FROM events WHERE ${where}`, params)).rows)
          if (!seen.has(r.id)) seen.set(r.id, JSON.parse(r.json) as EventCore);
      return [...seen.values()];
    },
    insertEvent: async (row) => {
      const ph = EVENT_COLS.map((_, i) => `$${i + 1}`).join(', ');
      await c.query(`INSERT INTO events (${EVENT_COLS.join(', ')}, search) VALUES (${ph}, to_tsvector('simple', $${EVENT_COLS.length + 1}))`, [
        ...EVENT_COLS.map((k) => row[k]),
        row.search_text,
      ]);
    },
    updateEvent: async (row) => {
      const cols = EVENT_COLS.filter((k) => k !== 'id' && k !== 'created_at');
      const set = cols.map((k, i) => `${k} = $${i + 2}`).join(', ');
      // The text vector is recomputed only when the searchable text changed (search_hash is set last).
      const hashParam = `$${cols.indexOf('search_hash') + 2}`;
      const r = await c.query(
        `UPDATE events SET search = CASE WHEN events.search_hash IS DISTINCT FROM ${hashParam} THEN to_tsvector('simple', $${cols.length + 2}) ELSE events.search END, ${set} WHERE id = $1`, [
        row.id,
        ...cols.map((k) => row[k]),
        row.search_text,
      ]);
      if (r.rowCount === 0) throw new Error(`event ${row.id} vanished during merge`);
    },
    insertSource: async (eventId, ord, s) => {
      await c.query(
        `INSERT INTO event_sources (event_id, article_id, outlet, reported_by, published, fatalities, ord, json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (event_id, article_id) DO UPDATE SET outlet = EXCLUDED.outlet, reported_by = EXCLUDED.reported_by,
           published = EXCLUDED.published, fatalities = EXCLUDED.fatalities, ord = EXCLUDED.ord, json = EXCLUDED.json`,
        [eventId, s.article_id, s.outlet, s.reported_by, s.published, s.fatalities, ord, JSON.stringify(s)],
      );
    },
    insertFigure: async (f) => {
      await c.query('INSERT INTO figures (id, article_id, kind, value, published, json) VALUES ($1, $2, $3, $4, $5, $6)', [
        f.id, f.article_id, f.kind, f.value, f.published, JSON.stringify(f),
      ]);
    },
  };
}

// ---------------------------------------------------------------- fine-grained merge locks

/** Restarts with more keys before a save falls back to the global key. */
const MAX_RESTARTS = 3;

/** A key a write or lookup needs was busy (try-lock failed): restart holding it. keys null: take the global key. */
class LockMiss extends Error {
  constructor(readonly keys: LockSet | null) {
    super('merge lock busy: restart');
  }
}

function upgrade(held: LockSet, add: LockSet): LockSet {
  const out: LockSet = new Map();
  for (const [k, m] of add) out.set(k, m === 'x' || held.get(k) === 'x' ? 'x' : 's');
  return out;
}

/**
 * The statement taking a save's keys: the global key shared plus `plan` in increasing key order, or
 * the global key alone, exclusively. unnest ... WITH ORDINALITY reads the array in order, and the
 * volatile lock calls are evaluated after the ORDER BY (locks.test.ts checks the plan).
 */
export function lockSql(plan: LockSet | null): string {
  if (!plan) return `SELECT pg_advisory_xact_lock(${MERGE_LOCK})`;
  const keys = [...plan.entries()].filter(([k]) => k !== String(MERGE_LOCK));
  keys.push([String(MERGE_LOCK), 's']);
  keys.sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : BigInt(a[0]) > BigInt(b[0]) ? 1 : 0));
  return `SELECT count(*) FROM (SELECT CASE WHEN t.x THEN pg_advisory_xact_lock(t.k) ELSE pg_advisory_xact_lock_shared(t.k) END
    FROM unnest('{${keys.map(([k]) => k).join(',')}}'::bigint[], '{${keys.map(([, m]) => (m === 'x' ? 't' : 'f')).join(',')}}'::bool[])
    WITH ORDINALITY AS t(k, x, i) ORDER BY t.i) l`;
}

/** Test hook: every prefetched lookup is also made live and compared (src/store/*.test.ts). */
export const verify = { prefetch: false };

/** Writes each bound value as a column of the lookup's record-set row (mq.pN). */
class RowDialect extends PgDialect {
  override param(v: unknown): string {
    this.params.push(v);
    return `mq.p${this.params.length}`;
  }
}

/** The record-set column type of a bound lookup value (candidateWheres binds text, integers and lists of them). */
function pgType(v: unknown): string {
  if (Array.isArray(v)) return v.length && v.every((x) => Number.isInteger(x)) ? 'bigint[]' : 'text[]';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'double precision';
  if (typeof v === 'boolean') return 'boolean';
  return 'text';
}

/** The same lookup (every field, and the article excluded). */
function queryKey(q: CandidateQuery, exclude: string): string {
  return JSON.stringify([exclude, q.lo, q.hi, q.background, q.cells, q.admin1, q.regionSubEventType, q.gazetteer_id, q.sub_event_types, q.exact_place, Object.keys(q).length]);
}

const HOME_COLS = 'event_date, time_precision, cell, admin1, geo_precision, gazetteer_id, sub_event_type, background';

interface CandidateRow extends HomeRow {
  id: string;
  json: string;
  evidence_texts: string;
  source_figures: string | null;
  search_hash: string | null;
}

/** json_to_recordset column list of an events row (plus the text to index). */
const EVENT_TYPES: Record<string, string> = {
  time_precision: 'integer', lat: 'double precision', lon: 'double precision', cell: 'bigint', geo_precision: 'integer',
  fatalities: 'integer', fatalities_low: 'integer', fatalities_high: 'integer', background: 'integer',
};
const EVENT_RECORD = [...EVENT_COLS, 'search_text'].map((k) => `${k} ${EVENT_TYPES[k] ?? 'text'}`).join(', ');
const UPDATE_COLS = EVENT_COLS.filter((k) => k !== 'id' && k !== 'created_at');

/**
 * The repository of a fine-grained save. Checks that every lookup and every events-row write runs
 * under its keys (locks.ts, A and B): a key not taken up front is try-locked, and when it is busy
 * the save restarts (LockMiss). Writes are kept and sent in one statement before COMMIT: nothing
 * this save reads depends on them (its lookups skip the events it touched, as the store's own
 * "no source from this article" filter would), and a save with ~17 events makes ~20 round trips
 * instead of ~100. Re-ingest (detach) is left to the global key.
 */
class LockedRepo implements Repo {
  private readonly rows = new Map<string, CandidateRow>();
  private readonly touched = new Set<string>();
  private article: { a: StoredArticle; identity: string; searchText: string } | null = null;
  private readonly inserts = new Map<string, EventRow>();
  private readonly updates = new Map<string, EventRow>();
  private readonly sources: Array<{ event_id: string; ord: number; s: EventSource }> = [];
  private readonly figs: StoredFigure[] = [];

  constructor(
    private readonly c: pg.PoolClient,
    private readonly held: LockSet,
    private readonly version: string,
  ) {}

  private async ensure(need: LockSet): Promise<void> {
    const miss = missing(this.held, need);
    if (!miss.size) return;
    const keys = [...miss.keys()];
    const r = await this.c.query<{ ok: boolean }>(
      `SELECT bool_and(CASE WHEN t.x THEN pg_try_advisory_xact_lock(t.k) ELSE pg_try_advisory_xact_lock_shared(t.k) END) AS ok
       FROM unnest($1::bigint[], $2::bool[]) AS t(k, x)`,
      [keys, keys.map((k) => miss.get(k) === 'x')],
    );
    if (!r.rows[0].ok) throw new LockMiss(miss);
    for (const [k, m] of miss) this.held.set(k, m === 'x' ? 'x' : (this.held.get(k) ?? 's'));
  }

  private known: { identity: string; row: { id: string; extractor_version: string } | null } | null = null;
  /** Event ids looked up with the lookups: the stored row, or null (free). */
  private readonly idChecked = new Map<string, CandidateRow | null>();
  /** Answers for candidates(q): the lookups of the whole article, read in one query. */
  private readonly prefetched = new Map<string, EventCore[]>();

  knownArticle(identity: string, row: { id: string; extractor_version: string } | null): void {
    this.known = { identity, row };
  }

  /**
   * Runs the lookups of all the article's events in one query and keeps the answers for
   * candidates(). Sound: the save holds every key of these lookups, and any row a lookup's WHERE
   * can return (not only the matching ones: the keys cover the SQL ranges) has a home key that
   * conflicts with them, so no other save changes these answers before this one commits; this
   * save's own writes are held back until flush() (and candidates() skips the events it touched).
   */
  private prefetchKeys: string[] = [];

  /**
   * The statement making all the article's lookups, with its values written as literals so that it
   * travels with BEGIN and the locks (one round trip; see saveArticle); null when there is nothing
   * to look up or a lookup is not covered by the keys taken (it is then made live, under ensure()).
   */
  prefetchSql(exclude: string, qs: CandidateQuery[], eventCount: number): string | null {
    const lit = (v: string) => this.c.escapeLiteral(v);
    const todo = new Map<string, CandidateQuery>();
    for (const q of qs) todo.set(queryKey(q, exclude), q);
    if (todo.size > 200) return null;
    for (const q of todo.values()) {
      const need = searchKeys(q);
      if (!need || missing(this.held, need).size) return null;
    }
    const parts: string[] = [];
    const keys = [...todo.keys()];
    // Lookups of one shape (the same WHERE text, values apart) share one branch: their values are
    // rows of a JSON record set, and the branch runs once per row (LATERAL; OFFSET 0 keeps it a
    // per-row index scan). An article's 40-odd index ranges are planned as a handful of branches.
    const shapes = new Map<string, { where: string; types: string[]; rows: Record<string, unknown>[] }>();
    for (const [i, k] of keys.entries()) {
      const q = todo.get(k)!;
      for (const part of candidateWheres(q, exclude, () => new RowDialect())) {
        const rd = part as unknown as { where: string; params: unknown[] };
        const types = rd.params.map(pgType);
        const shape = `${rd.where}\u0000${types.join(',')}`;
        let sh = shapes.get(shape);
        if (!sh) shapes.set(shape, (sh = { where: rd.where, types, rows: [] }));
        const row: Record<string, unknown> = { qi: i };
        rd.params.forEach((v, j) => (row[`p${j + 1}`] = v));
        sh.rows.push(row);
      }
    }
    for (const sh of shapes.values()) {
      const cols = ['qi integer', ...sh.types.map((t, j) => `p${j + 1} ${t}`)].join(', ');
      parts.push(
        `SELECT mq.qi, e.* FROM json_to_recordset(${lit(JSON.stringify(sh.rows))}::json) AS mq(${cols}) CROSS JOIN LATERAL ` +
          `(SELECT id, json, evidence_texts, source_figures, search_hash, ${HOME_COLS} FROM events WHERE ${sh.where} OFFSET 0) e`,
      );
    }
    // And whether the ids the article's new events would get are free (core.ts eventId: a hash of
    // the article id, the event's index and the version; an id computed otherwise is looked up live).
    const ids: string[] = [];
    for (let i = 0; i < eventCount; i++) ids.push(`ev_${createHash('sha256').update(`${exclude}:${i}:${this.version}`).digest('hex').slice(0, 16)}`);
    if (ids.length) parts.push(`SELECT -1 AS qi, id, json, evidence_texts, source_figures, search_hash, ${HOME_COLS} FROM events WHERE id = ANY(ARRAY[${ids.map(lit).join(', ')}]::text[])`);
    if (!parts.length) return null;
    this.prefetchKeys = keys;
    for (const id of ids) this.idChecked.set(id, null);
    for (const k of keys) this.prefetched.set(k, []);
    return parts.join(' UNION ALL ');
  }

  /** The rows of prefetchSql(): kept for candidates() and loadCore(). */
  takePrefetch(rows: (CandidateRow & { qi: number })[]): void {
    const seen = this.prefetchKeys.map(() => new Set<string>());
    for (const r of rows) {
      if (r.qi < 0) {
        this.idChecked.set(r.id, r);
        continue;
      }
      if (seen[r.qi].has(r.id)) continue;
      seen[r.qi].add(r.id);
      this.rows.set(r.id, r);
      this.prefetched.get(this.prefetchKeys[r.qi])!.push(JSON.parse(r.json) as EventCore);
    }
  }

  async findArticle(identity: string) {
    if (this.known?.identity === identity) {
      const existing = this.known.row;
      if (existing && existing.extractor_version !== this.version) throw new LockMiss(null);
      return existing;
    }
    const r = await this.c.query<{ id: string; extractor_version: string }>('SELECT id, extractor_version FROM articles WHERE identity = $1', [identity]);
    const existing = r.rows[0] ?? null;
    // Another version: its old events are detached and recomputed (not known before): global key.
    if (existing && existing.extractor_version !== this.version) throw new LockMiss(null);
    return existing;
  }

  async insertArticle(a: StoredArticle, identity: string, searchText: string) {
    this.article = { a, identity, searchText };
  }

  private global(): never {
    throw new LockMiss(null);
  }
  async deleteArticle(): Promise<void> {
    this.global();
  }
  async detachArticle(): Promise<string[]> {
    this.global();
  }
  async loadSources(): Promise<EventSource[]> {
    this.global();
  }
  async deleteEvent(): Promise<void> {
    this.global();
  }

  async loadCore(id: string) {
    const mine = this.inserts.get(id) ?? this.updates.get(id);
    if (mine) return coreOf(mine);
    const checked = this.idChecked.get(id);
    if (checked !== undefined) return checked ? coreOf(checked) : null;
    const r = await this.c.query<{ json: string }>('SELECT json FROM events WHERE id = $1', [id]);
    return r.rows.length ? coreOf(r.rows[0]) : null;
  }

  private async row(id: string): Promise<CandidateRow | undefined> {
    let r = this.rows.get(id);
    if (!r) {
      r = (await this.c.query<CandidateRow>(`SELECT id, json, evidence_texts, source_figures, search_hash, ${HOME_COLS} FROM events WHERE id = $1`, [id])).rows[0];
      if (r) this.rows.set(id, r);
    }
    return r;
  }

  async evidenceTexts(id: string) {
    const r = await this.row(id);
    return r ? (JSON.parse(r.evidence_texts) as string[]) : [];
  }

  async sourceFigures(id: string) {
    const r = await this.row(id);
    if (r?.source_figures) {
      const v = JSON.parse(r.source_figures) as { n: number; f: SourceFigure[] };
      return { figures: v.f, count: v.n };
    }
    // Rows written before the source_figures column: every source's figures.
    const figures = (await this.c.query<SourceFigure>('SELECT reported_by, outlet, published, fatalities FROM event_sources WHERE event_id = $1 ORDER BY ord', [id])).rows;
    return { figures, count: figures.length };
  }

  async candidates(q: CandidateQuery, exclude: string) {
    const pre = this.prefetched.get(queryKey(q, exclude));
    // Events this save already wrote have a source from this article (not yet sent): skip them.
    if (pre) {
      const out = pre.filter((e) => !this.touched.has(e.id));
      if (verify.prefetch) {
        const a = out.map((e) => e.id).sort().join(' ');
        const b = (await this.live(q, exclude)).map((e) => e.id).sort().join(' ');
        if (a !== b) throw new Error(`prefetched lookup differs from the live one: [${a}] vs [${b}]`);
      }
      return out;
    }
    return this.live(q, exclude);
  }

  private async live(q: CandidateQuery, exclude: string): Promise<EventCore[]> {
    const need = searchKeys(q);
    if (!need) this.global();
    await this.ensure(need);
    // The two or three index ranges in one round trip.
    const d = new PgDialect();
    const parts = candidateWheres(q, exclude, () => d).map(({ where }) => `SELECT id, json, evidence_texts, source_figures, search_hash, ${HOME_COLS} FROM events WHERE ${where}`);
    if (!parts.length) return [];
    const seen = new Map<string, EventCore>();
    // A named statement per query shape (values are parameters, lists are arrays): planned once per
    // connection, not at every lookup.
    const text = parts.join(' UNION ALL ');
    const name = `marsad_cand_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    for (const r of (await this.c.query<CandidateRow>({ name, text, values: d.params })).rows) {
      // Events this save already wrote have a source from this article (not yet sent): skip them.
      if (seen.has(r.id) || this.touched.has(r.id)) continue;
      this.rows.set(r.id, r);
      seen.set(r.id, JSON.parse(r.json) as EventCore);
    }
    return [...seen.values()];
  }

  async insertEvent(row: EventRow) {
    await this.ensure(homeKeys(row));
    this.inserts.set(row.id, row);
    this.touched.add(row.id);
  }

  async updateEvent(row: EventRow) {
    const old = this.inserts.has(row.id) ? undefined : await this.row(row.id);
    if (!old && !this.inserts.has(row.id)) throw new Error(`event ${row.id} vanished during merge`);
    const need = homeKeys(row);
    if (old) homeKeys(old, need);
    await this.ensure(need);
    if (this.inserts.has(row.id)) this.inserts.set(row.id, row);
    // The same searchable text (most merges): the statement keeps the stored vector, so the text
    // need not travel (it is most of an event row's bytes).
    else this.updates.set(row.id, old?.search_hash && old.search_hash === row.search_hash ? { ...row, search_text: '' } : row);
    this.touched.add(row.id);
  }

  async insertSource(eventId: string, ord: number, s: EventSource) {
    this.sources.push({ event_id: eventId, ord, s });
  }

  async insertFigure(f: StoredFigure) {
    this.figs.push(f);
  }

  /** Every write of the save in one statement (data-modifying CTEs all run, in full). */
  async flush(): Promise<void> {
    const a = this.article;
    if (!a && !this.inserts.size && !this.updates.size && !this.sources.length && !this.figs.length) return;
    const ev = (rows: Iterable<EventRow>) => JSON.stringify([...rows]);
    const params: unknown[] = [
      ev(this.inserts.values()),
      ev(this.updates.values()),
      JSON.stringify(this.sources.map(({ event_id, ord, s }) => ({ event_id, article_id: s.article_id, outlet: s.outlet, reported_by: s.reported_by, published: s.published, fatalities: s.fatalities, ord, json: JSON.stringify(s) }))),
      JSON.stringify(this.figs.map((f) => ({ id: f.id, article_id: f.article_id, kind: f.kind, value: f.value, published: f.published, json: JSON.stringify(f) }))),
    ];
    const articleCte = a
      ? `a AS (INSERT INTO articles (id, identity, url, content_hash, title, date, outlet, country, extractor_version, ingested_at, source_path, search, json)
          VALUES ($5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, to_tsvector('simple', $16), $17) RETURNING 1),`
      : '';
    if (a) {
      const s = a.a;
      params.push(s.id, a.identity, s.url ?? null, s.content_hash, s.title ?? null, s.date ?? null, s.outlet ?? null, s.country ?? null,
        s.extractor_version, s.ingested_at, s.source_path ?? null, a.searchText, JSON.stringify(s));
    }
    const r = await this.c.query<{ updated: number }>(
      `WITH ${articleCte}
       ei AS (INSERT INTO events (${EVENT_COLS.join(', ')}, search)
         SELECT ${EVENT_COLS.map((k) => `r.${k}`).join(', ')}, to_tsvector('simple', r.search_text) FROM json_to_recordset($1::json) AS r(${EVENT_RECORD}) RETURNING 1),
       eu AS (UPDATE events e SET
           search = CASE WHEN e.search_hash IS DISTINCT FROM r.search_hash THEN to_tsvector('simple', r.search_text) ELSE e.search END,
           ${UPDATE_COLS.map((k) => `${k} = r.${k}`).join(', ')}
         FROM json_to_recordset($2::json) AS r(${EVENT_RECORD}) WHERE e.id = r.id RETURNING e.id),
       s AS (INSERT INTO event_sources (event_id, article_id, outlet, reported_by, published, fatalities, ord, json)
         SELECT event_id, article_id, outlet, reported_by, published, fatalities, ord, json
         FROM json_to_recordset($3::json) AS r(event_id text, article_id text, outlet text, reported_by text, published text, fatalities integer, ord integer, json text)
         ON CONFLICT (event_id, article_id) DO UPDATE SET outlet = EXCLUDED.outlet, reported_by = EXCLUDED.reported_by,
           published = EXCLUDED.published, fatalities = EXCLUDED.fatalities, ord = EXCLUDED.ord, json = EXCLUDED.json RETURNING 1),
       f AS (INSERT INTO figures (id, article_id, kind, value, published, json)
         SELECT id, article_id, kind, value, published, json
         FROM json_to_recordset($4::json) AS r(id text, article_id text, kind text, value double precision, published text, json text) RETURNING 1)
       SELECT (SELECT count(*) FROM eu)::int AS updated`,
      params,
    );
    if (r.rows[0].updated !== this.updates.size) throw new Error('an event vanished during merge');
  }
}
