// marsad extract FILE|-            events of one article (plain text, or a JSON article)
// marsad extract --jsonl IN.jsonl  one output line per input article line (../shared/eval/CONTRACT.md),
//                                  on N threads with --workers N
//   --format json|table|acled-csv   --date YYYY-MM-DD   --gazetteer FILE   --country NAME

import { readFileSync, createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Article, ConflictEvent, ExtractResult } from '../types.js';
import { extract } from '../extract/index.js';
import { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
import { resultLine } from '../scale/extractor.js';

const USAGE = `usage: marsad extract [options] FILE|-
       marsad extract --jsonl IN.jsonl > OUT.jsonl
  FILE is plain Arabic text or a JSON article {id,title,text,date,outlet,url,country}
  --format json|table|acled-csv   output (default table for a terminal, json otherwise)
  --date YYYY-MM-DD               publication date (relative dates resolve against it)
  --country NAME                  country the report is about (default: the article's, else Syria)
  --gazetteer FILE                a gazetteer built by "marsad gazetteer import" (default: built-in)
  --jsonl IN.jsonl                batch: article lines in, one result line per article out
  --workers N                     batch on N extraction threads, output in input order (default 1)`;

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        date: { type: 'string' },
        country: { type: 'string' },
        gazetteer: { type: 'string' },
        jsonl: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`marsad extract: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const date = values.date as string | undefined;
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    console.error(`marsad extract: --date must be YYYY-MM-DD, got "${date}"`);
    return 2;
  }
  const workers = Number(values.workers ?? 1);
  if (!Number.isInteger(workers) || workers < 1) {
    console.error(`marsad extract: --workers must be a whole number >= 1, got "${values.workers}"`);
    return 2;
  }
  const gazetteerPath = values.gazetteer as string | undefined;
  // Loaded here even when threads will load their own: a broken gazetteer stops the command at once
  // instead of failing every line of the archive.
  const gazetteer = loadGazetteer(gazetteerPath);
  const country = values.country as string | undefined;
  if (values.jsonl) return batch(values.jsonl as string, { gazetteer, gazetteerPath, country, date, workers });

  const file = positionals[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const raw = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  const article = parseArticle(raw, file);
  if (date) article.date = date;
  const result = extract(article, { gazetteer, ...(country ? { country } : {}) });
  const format = (values.format as string | undefined) ?? (process.stdout.isTTY ? 'table' : 'json');
  for (const w of result.warnings) console.error(`warning: ${w}`);
  if (format === 'json') console.log(JSON.stringify(result, null, 2));
  else if (format === 'table') console.log(table(result.events, result));
  else if (format === 'acled-csv') process.stdout.write(await acledCsv(result.events, article));
  else {
    console.error(`marsad extract: unknown --format "${format}" (json, table, acled-csv)`);
    return 2;
  }
  return 0;
}

/** A JSON article, or plain text (its first line as title when followed by a blank line). */
export function parseArticle(raw: string, where = 'input'): Article {
  const t = raw.replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(t)) {
    let a: unknown;
    try {
      a = JSON.parse(t);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
    }
    return checkArticle(a, where);
  }
  // A short first line followed by a blank line is the headline (as in scraped article files).
  const m = /^([^\n]{1,300})\r?\n[ \t]*\r?\n/.exec(t);
  if (m && m[1].trim()) return { title: m[1].trim(), text: t.slice(m[0].length) };
  return { text: t };
}

function checkArticle(a: unknown, where: string): Article {
  if (!a || typeof a !== 'object' || typeof (a as Article).text !== 'string') throw new Error(`${where}: an article needs a string "text"`);
  return a as Article;
}

interface BatchOptions {
  gazetteer: Gazetteer;
  gazetteerPath?: string;
  country?: string;
  date?: string;
  /** More than 1: extract on a thread pool (src/scale/pool.ts); the threads write the output lines. */
  workers?: number;
}

interface BatchLine {
  n: number;
  id: string | null;
  article?: Article;
  error?: string;
}

/** One output line per input line, in input order; a bad line gives an "error" line and the batch goes on. */
async function batch(path: string, o: BatchOptions): Promise<number> {
  // Before the reader opens: lines it reads while this thread awaits something else are lost.
  const { createExtractPool, mapBounded } = await import('../scale/pool.js');
  const input = path === '-' ? process.stdin : createReadStream(path, 'utf8');
  const rl = createInterface({ input, crlfDelay: Infinity });
  async function* lines(): AsyncGenerator<BatchLine> {
    let n = 0;
    for await (const line of rl) {
      n++;
      if (!line.trim()) continue;
      let id: string | null = null;
      try {
        const obj = JSON.parse(line) as Record<string, unknown>;
        id = typeof obj.id === 'string' ? obj.id : null;
        const article = checkArticle(obj, `line ${n}`);
        if (o.date && !article.date) article.date = o.date;
        yield { n, id, article };
      } catch (e) {
        yield { n, id, error: (e as Error).message };
      }
    }
  }
  const pool = (o.workers ?? 1) > 1 ? createExtractPool({ workers: o.workers, gazetteerPath: o.gazetteerPath }) : null;
  const opts = o.country ? { country: o.country } : {};
  const outputLine = async (l: BatchLine): Promise<string> => {
    if (l.error !== undefined) throw new Error(l.error);
    const id = l.id ?? `line-${l.n}`;
    return pool ? pool.extractLine(l.article!, id, opts) : resultLine(extract(l.article!, { gazetteer: o.gazetteer, ...opts }), id);
  };
  let n = 0;
  let bad = 0;
  const write = async (text: string) => {
    // The pool can produce lines faster than a pipe takes them: wait rather than buffer the archive.
    if (!process.stdout.write(text + '\n')) await once(process.stdout, 'drain');
  };
  try {
    for await (const r of mapBounded(lines(), pool?.capacity ?? 1, outputLine)) {
      n = r.item.n;
      if (r.value !== undefined) await write(r.value);
      else {
        bad++;
        const msg = r.error!.message;
        console.error(`${path}:${r.item.n}: ${msg}`);
        await write(JSON.stringify({ id: r.item.id ?? `line-${r.item.n}`, events: [], figures: [], error: msg }));
      }
    }
  } finally {
    await pool?.close();
  }
  if (bad) console.error(`marsad extract: ${bad} of ${n} lines failed`);
  return bad > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// Table: aligned columns for a terminal. Width counts code points; Arabic stays intact.

const width = (s: string) => [...s.replace(/[\u064b-\u065f\u0670\u0640]/g, '')].length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function table(events: ConflictEvent[], r?: ExtractResult): string {
  const rows = events.map((e) => [
    e.background ? 'bg' : 'news',
    e.event_date ?? '?',
    e.sub_event_type,
    e.actor1?.name ?? '-',
    e.actor2?.name ?? '-',
    e.location ? `${e.location.name}${e.location.admin1 ? ', ' + e.location.admin1 : ''} (p${e.location.geo_precision})` : '-',
    String(e.fatalities),
    e.status,
    e.reported_by ?? '-',
  ]);
  const head = ['', 'date', 'sub_event_type', 'actor1', 'actor2', 'location', 'fat', 'status', 'reported_by'];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.min(40, Math.max(...all.map((r) => width(r[i])))));
  const lines = all.map((r) => r.map((c, i) => pad(width(c) > 40 ? [...c].slice(0, 39).join('') + '…' : c, w[i])).join('  ').trimEnd());
  lines.splice(1, 0, w.map((n) => '-'.repeat(n)).join('  '));
  if (r && r.figures.length) {
    lines.push('', 'figures:');
    for (const f of r.figures) lines.push(`  ${f.kind} ${f.value.toLocaleString('en')}${f.place ? ' ' + f.place : ''}${f.since ? ' since ' + f.since : ''}${f.source ? ' (' + f.source + ')' : ''}`);
  }
  return lines.join('\n');
}

/** ACLED CSV through the exporter (src/export/acled-csv.ts), each event as a one-source stored event. */
async function acledCsv(events: ConflictEvent[], a: Article): Promise<string> {
  const { acledCsvHeader, acledCsvLine } = await import('../export/acled-csv.js');
  const now = new Date().toISOString();
  let out = acledCsvHeader();
  events.forEach((e, i) => {
    const stored = {
      ...e,
      id: e.id ?? `${a.id ?? 'article'}-e${i + 1}`,
      fatalities_low: e.fatalities,
      fatalities_best: e.fatalities,
      fatalities_high: e.fatalities,
      sources: [{ article_id: a.id ?? 'article', outlet: a.outlet ?? null, url: a.url ?? null, reported_by: e.reported_by, published: a.date ?? null, fatalities: e.fatalities, event: e }],
      created_at: now,
      updated_at: now,
    };
    out += acledCsvLine(stored);
  });
  return out;
}
