// openStore: one entry point for both engines. `db` is a SQLite file path or a postgres:// URL;
// without one, DATABASE_URL when it is a PostgreSQL URL, else ./marsad.db. The schema is migrated.

import type { Store } from './types.js';

export function isPostgresUrl(s: string | undefined | null): s is string {
  return !!s && /^postgres(ql)?:\/\//i.test(s);
}

/** Which database `openStore(db)` would open (for messages). */
export function resolveDb(db?: string): string {
  if (db) return db;
  if (isPostgresUrl(process.env.DATABASE_URL)) return process.env.DATABASE_URL;
  return './marsad.db';
}

/**
 * Open (and migrate) a store. `schema`: PostgreSQL schema to use (created if missing).
 * `batchArticles` / `batchMs`: SQLite group commit (see SqliteStore); batchArticles 1 = commit each article.
 */
export async function openStore(db?: string, opts: { schema?: string; batchArticles?: number; batchMs?: number } = {}): Promise<Store> {
  const target = resolveDb(db);
  let store: Store;
  if (isPostgresUrl(target)) {
    const { PostgresStore } = await import('./postgres.js');
    store = new PostgresStore(target, opts.schema);
  } else {
    const { SqliteStore } = await import('./sqlite.js');
    store = new SqliteStore(target, { batchArticles: opts.batchArticles, batchMs: opts.batchMs });
  }
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

export type * from './types.js';
