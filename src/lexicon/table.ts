// Reads the lexicon data files in /lexicon: tab-separated tables an analyst can edit
// without reading TypeScript. Lines starting with '#' are comments (sources, notes);
// blank lines are ignored; the first other line is the header naming the columns.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder holding the lexicon data files, from src/ (tsx) and dist/ alike. */
export const LEXICON_DIR = fileURLToPath(new URL('../../lexicon/', import.meta.url));

export type Row = Record<string, string>;

export class LexiconError extends Error {}

/** Parse a table; `where` names the file in error messages. */
export function parseTable(text: string, where = 'table'): Row[] {
  const rows: Row[] = [];
  let header: string[] | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const cells = line.split('\t').map((c) => c.trim());
    if (!header) {
      header = cells;
      continue;
    }
    if (cells.length > header.length)
      throw new LexiconError(`${where}:${i + 1}: ${cells.length} columns, header has ${header.length}`);
    const row: Row = {};
    header.forEach((h, j) => (row[h] = cells[j] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** Load lexicon/<name> (e.g. "actors.tsv"). */
export function loadTable(name: string, dir = LEXICON_DIR): Row[] {
  const path = dir + name;
  return parseTable(readFileSync(path, 'utf8'), name);
}

/** Split a multi-value cell ("a | b | c"). */
export function list(cell: string | undefined): string[] {
  return (cell ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
}
