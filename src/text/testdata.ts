// Test helper: the seed article and dev articles from ../shared (never copied into the repo).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** The founding article (AFP via an Arabic outlet, published 2020-01-26). */
export function seedText(): string {
  const dir = SHARED + 'seed/';
  const f = readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()[0];
  return readFileSync(dir + f, 'utf8');
}

export const SEED_DATE = '2020-01-26';
