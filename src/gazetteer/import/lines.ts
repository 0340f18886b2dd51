// Streaming line reader with a progress bar (TTY) or plain progress lines (logs), plus the
// bookkeeping every importer shares: counts, and bad rows reported with their line number.

import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { GazetteerEntry } from '../index.js';

export interface BadRow {
  line: number;
  reason: string;
}

export interface ImportReport {
  format: string;
  path: string;
  rows: number;
  added: number;
  bad: BadRow[];
  /** Rows dropped on purpose (e.g. outside the admin polygons), with why. */
  skipped: number;
}

export function newReport(format: string, path: string): ImportReport {
  return { format, path, rows: 0, added: 0, bad: [], skipped: 0 };
}

export interface ImportContext {
  /** Show progress on stderr: 'auto' = bar on a TTY, lines otherwise; false = silent. */
  progress?: 'auto' | false;
  /** Record a bad row (the default also prints "file:line: reason" to stderr). */
  bad(rep: ImportReport, line: number, reason: string): void;
  /** Fill admin1/2/3 (and iso) of a record from admin polygons, where the source lacks them. */
  locate?(e: GazetteerEntry): boolean;
  label?: string;
}

export function defaultContext(opts: { quiet?: boolean; progress?: 'auto' | false } = {}): ImportContext {
  return {
    progress: opts.quiet ? false : (opts.progress ?? 'auto'),
    bad(rep, line, reason) {
      rep.bad.push({ line, reason });
      // The first few are printed; the summary line gives the count.
      if (!opts.quiet && rep.bad.length <= 10) process.stderr.write(`${rep.path}:${line}: ${reason} (row skipped)${rep.bad.length === 10 ? ' [further bad rows are counted, not printed]' : ''}\n`);
    },
  };
}

/** Progress on stderr: a redrawn bar on a terminal, a line per 10% otherwise. */
export class Progress {
  private last = -1;
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  constructor(private readonly label: string, private readonly total: number, private readonly on: boolean) {}
  update(done: number, rows: number) {
    if (!this.on || this.total <= 0) return;
    const pct = Math.min(100, Math.floor((done / this.total) * 100));
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && pct !== 100) return;
      this.lastDraw = now;
      const w = 30;
      const fill = Math.round((pct / 100) * w);
      process.stderr.write(`\r${this.label.slice(-40)} [${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${String(pct).padStart(3)}% ${rows} rows`);
    } else if (Math.floor(pct / 10) > Math.floor(this.last / 10)) {
      process.stderr.write(`${this.label}: ${pct}% (${rows} rows)\n`);
    }
    this.last = pct;
  }
  end(rows: number) {
    if (!this.on) return;
    if (this.tty) process.stderr.write(`\r${this.label.slice(-40)} done, ${rows} rows${' '.repeat(30)}\n`);
    else if (this.last < 100) process.stderr.write(`${this.label}: 100% (${rows} rows)\n`);
  }
}

/** Stream a text file line by line (1-based line numbers), with progress. */
export async function readLines(path: string, ctx: ImportContext, onLine: (line: string, n: number) => void): Promise<number> {
  const total = statSync(path).size;
  const prog = new Progress(ctx.label ?? path, total, ctx.progress !== false);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  // Progress by bytes of the lines consumed (the stream itself reads ahead).
  let done = 0;
  for await (const line of rl) {
    n++;
    done += Buffer.byteLength(line) + 1;
    onLine(n === 1 ? line.replace(/^\ufeff/, '') : line, n);
    if ((n & 1023) === 0) prog.update(done, n);
  }
  prog.update(total, n);
  prog.end(n);
  return n;
}

/**
 * CSV (RFC 4180: quotes, doubled quotes, commas and newlines inside quotes), streamed by line.
 * Calls onRow(cells, firstLineNumber). A quote left open at the end is reported as a bad row.
 */
export async function readCsv(
  path: string,
  ctx: ImportContext,
  rep: ImportReport,
  onRow: (cells: string[], line: number) => void,
): Promise<void> {
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let startLine = 0;
  await readLines(path, ctx, (line, n) => {
    if (!inQuotes) {
      cells = [];
      cell = '';
      startLine = n;
      if (line === '') return;
    } else cell += '\n';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (inQuotes) {
        if (ch === '"') {
          if (line[i + 1] === '"') (cell += '"'), i++;
          else inQuotes = false;
        } else cell += ch;
      } else if (ch === '"' && cell === '') inQuotes = true;
      else if (ch === ',') cells.push(cell), (cell = '');
      else cell += ch;
    }
    if (inQuotes && n - startLine > 50) {
      ctx.bad(rep, startLine, 'unterminated quoted field');
      inQuotes = false;
      return;
    }
    if (!inQuotes) {
      cells.push(cell);
      onRow(cells, startLine);
    }
  });
  if (inQuotes) ctx.bad(rep, startLine, 'unterminated quoted field at end of file');
}
