// Test helper: the same suite runs against every engine. SQLite always (a temp file); PostgreSQL when
// DATABASE_URL is a postgres:// URL, each store in its own random schema dropped at cleanup, so
// concurrent test runs never see each other's rows.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Store } from './types.js';
import { openStore, isPostgresUrl } from './index.js';

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Undefined when the engine is available; else why it is skipped (for node:test's `skip`). */
  skip?: string;
  /** A fresh, empty, migrated store and how to throw it away. */
  open(): Promise<{ store: Store; db: string; cleanup(): Promise<void> }>;
}

export function testEngines(): TestEngine[] {
  const pg = process.env.DATABASE_URL;
  return [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'marsad-store-'));
        const db = join(dir, 'test.db');
        const store = await openStore(db);
        return {
          store,
          db,
          async cleanup() {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'postgres',
      skip: isPostgresUrl(pg) ? undefined : 'DATABASE_URL is not set to a postgres:// URL: PostgreSQL tests skipped',
      async open() {
        const schema = `marsad_test_${randomBytes(6).toString('hex')}`;
        const store = await openStore(pg!, { schema });
        return {
          store,
          db: pg!,
          async cleanup() {
            const { dropSchema } = await import('./postgres.js');
            await store.close();
            await dropSchema(pg!, schema);
          },
        };
      },
    },
  ];
}
