// The PostgreSQL engine: the same schema and the same save/merge algorithm (core.ts) as SQLite.
// Writers take a transaction-scoped advisory lock, so concurrent ingesters (several processes or a
// worker pool) merge one article at a time and never create two events for one happening.

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
];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Advisory lock key serialising merges (any constant shared by all Marsad writers). */
const MERGE_LOCK = 0x6d617273; // "mars"

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
  'actor1', 'actor2', 'actors_text', 'sources_text', 'json', 'evidence_texts', 'search_hash', 'created_at', 'updated_at',
];

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly schema: string | undefined;

  constructor(url: string, schema?: string) {
    this.schema = schema ? checkSchema(schema) : undefined;
    this.pool = new pg.Pool({
      connectionString: url,
      max: 4,
      // A dedicated schema (tests, several observatories in one database) via the session search_path.
      ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}),
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

  async saveArticle(article: Article, result: ExtractResult, extractorVersion: string, sourcePath?: string): Promise<SaveResult> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1)', [MERGE_LOCK]);
      const r = await saveArticleWith(repoFor(c), article, result, extractorVersion, sourcePath);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
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
