// Test helper: the same suite runs against every engine. SQLite always (a temp file); PostgreSQL when
// DATABASE_URL is a postgres:// URL, each store in its own random schema dropped at cleanup, so
// concurrent test runs never see each other's rows.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Store, StoredEvent } from './types.js';
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

/** Every stored event, page by page (events() pages hold at most 1000). */
export async function allEvents(store: Store): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await store.events({ limit: 1000, offset: out.length, sort: 'event_date' });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

/**
 * An event as a comparable line: what happened, when, where, and which articles report it. The
 * merged fatality figure is left out: when one report's events name two neighbouring villages,
 * which of the two merged events a later copy joins can depend on arrival order (greedy merging),
 * so it is compared as the multiset of per-source figures instead (none lost, none doubled).
 */
export const eventSignature = (e: StoredEvent): string =>
  [e.event_date, e.event_type, e.sub_event_type, e.location?.name ?? '', e.sources.map((s) => s.url).sort().join(' ')].join(' | ');

export const perSourceFigures = (evs: StoredEvent[]): string[] =>
  evs.flatMap((e) => e.sources.map((s) => `${s.url} ${s.event.sub_event_type} ${s.fatalities}`)).sort();
