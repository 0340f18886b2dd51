// Paths -> a stream of articles. Plain text, JSON (one article or an array), JSON Lines (streamed
// line by line, never read whole), HTML pages, RSS/Atom feeds, and directories of these, recursively.
// Every problem becomes an {error, source} item: one bad file or line never stops the batch.

import { createReadStream, openSync, readSync, closeSync, readdirSync, statSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { Article } from '../types.js';
import { decodeBuffer, detectEncoding } from './decode.js';
import { articleFromRecord, dateFromFilename } from './fields.js';
import { htmlToArticle } from './html.js';
import { feedItems } from './feed.js';
import { MAX_ARTICLE_CHARS } from './guard.js';

export type ReadItem =
  | { article: Article; source: string; error?: undefined }
  | { error: string; source: string; article?: undefined };

export type Format = 'text' | 'json' | 'jsonl' | 'html' | 'feed';

const EXT: Record<string, Format> = {
  '.txt': 'text',
  '.text': 'text',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.rss': 'feed',
  '.atom': 'feed',
  '.xml': 'feed',
};

/** The format of a file: by extension, else by its first characters. */
export function formatOf(path: string, head?: string): Format | null {
  const f = EXT[extname(path).toLowerCase()];
  if (f) return f;
  if (head === undefined) return null;
  const h = head.replace(/^\uFEFF/, '').trimStart();
  if (/^<\?xml[\s\S]{0,500}<(rss|feed|rdf:RDF)\b/i.test(h) || /^<(rss|feed)\b/i.test(h)) return 'feed';
  if (/^<(!doctype html|html|head|body)/i.test(h)) return 'html';
  if (h.startsWith('[')) return 'json';
  if (h.startsWith('{')) return /^\{[^\n]*\}\s*\n\s*\{/.test(h) ? 'jsonl' : 'json';
  return 'text';
}

/** Files under the given paths, directories walked recursively in name order (hidden entries skipped). */
export function* walkFiles(paths: string[]): Generator<{ path: string; error?: string; fromDir: boolean }> {
  for (const p of paths) yield* walk(p, false);
}

function* walk(p: string, fromDir: boolean): Generator<{ path: string; error?: string; fromDir: boolean }> {
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    yield { path: p, error: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, fromDir };
    return;
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = readdirSync(p).sort();
    } catch (e) {
      yield { path: p, error: `cannot list directory: ${(e as Error).message}`, fromDir };
      return;
    }
    for (const n of names) if (!n.startsWith('.')) yield* walk(join(p, n), true);
  } else if (st.isFile()) yield { path: p, fromDir };
}

/** Plain text: the first non-empty line is the title when it is short, the rest the text. */
export function textToArticle(text: string, fileName: string): Article {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  const first = (lines[i] ?? '').trim();
  const rest = lines.slice(i + 1).join('\n').trim();
  const isTitle = first.length > 0 && first.length <= 200 && rest.length > 0 && !/[.!؟?]$/.test(first);
  return {
    title: isTitle ? first : null,
    text: isTitle ? rest : lines.slice(i).join('\n').trim(),
    date: dateFromFilename(basename(fileName)),
  };
}

const HEAD_BYTES = 64 * 1024;

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** JSON Lines, streamed: the encoding is detected on the first 64 KB, then lines are decoded as they come. */
async function* readJsonl(path: string, onBytes?: (n: number) => void): AsyncGenerator<ReadItem> {
  const head = readHead(path);
  const { encoding } = detectEncoding(head, true);
  const raw = createReadStream(path);
  const input = raw.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      // Progress in (approximate: decoded UTF-8) bytes, so a bar moves within one big file.
      onBytes?.(Buffer.byteLength(line) + 1);
      const l = n === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (!l.trim()) continue;
      const source = `${path}:${n}`;
      let obj: unknown;
      try {
        obj = JSON.parse(l);
      } catch (e) {
        yield { error: `invalid JSON: ${(e as Error).message}`, source };
        continue;
      }
      try {
        yield { article: articleFromRecord(obj), source };
      } catch (e) {
        yield { error: (e as Error).message, source };
      }
    }
  } finally {
    rl.close();
    raw.destroy();
  }
}

function* readWhole(path: string, format: Format, text: string): Generator<ReadItem> {
  switch (format) {
    case 'text': {
      const a = textToArticle(text, path);
      if (!a.text) yield { error: 'empty file', source: path };
      else yield { article: a, source: path };
      return;
    }
    case 'json': {
      let data: unknown;
      try {
        data = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (e) {
        yield { error: `invalid JSON: ${(e as Error).message}`, source: path };
        return;
      }
      const list = Array.isArray(data) ? data : [data];
      for (let i = 0; i < list.length; i++) {
        const source = Array.isArray(data) ? `${path}#${i}` : path;
        try {
          yield { article: articleFromRecord(list[i]), source };
        } catch (e) {
          yield { error: (e as Error).message, source };
        }
      }
      return;
    }
    case 'html': {
      const { url, ...a } = htmlToArticle(text);
      if (!a.text) yield { error: 'no text found in the page', source: path };
      else yield { article: { ...a, url, date: a.date ?? dateFromFilename(basename(path)) }, source: path };
      return;
    }
    case 'feed': {
      let items;
      try {
        items = feedItems(text);
      } catch (e) {
        yield { error: (e as Error).message, source: path };
        return;
      }
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if ('error' in it) yield { error: it.error, source: `${path}#${i}` };
        else yield { article: it.article, source: `${path}#${i}` };
      }
      return;
    }
    default:
      yield { error: `unsupported format ${format}`, source: path };
  }
}

export interface ReadOptions {
  /** Called as input is consumed, with a number of bytes (for a progress bar); sums to about the total size. */
  onBytes?: (bytes: number) => void;
}

const MAX_TEXT_FILE_BYTES = 4 * MAX_ARTICLE_CHARS;

/** Every article under `paths`, as a stream of {article, source} / {error, source} items. */
export async function* readArticles(paths: string[], opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  for (const f of walkFiles(paths)) {
    if (f.error) {
      yield { error: f.error, source: f.path };
      continue;
    }
    let size = 0;
    let reported = 0;
    const onBytes = (n: number) => {
      reported += n;
      opts.onBytes?.(n);
    };
    try {
      size = statSync(f.path).size;
      const byExt = formatOf(f.path);
      // In a folder, files of unknown type (images, PDFs ...) are not articles: skip them quietly.
      if (!byExt && f.fromDir && !/^[^.]*$/.test(basename(f.path))) continue;
      if (byExt === 'jsonl') {
        yield* readJsonl(f.path, onBytes);
        continue;
      }
      // One plain-text article cannot take more than 4 bytes a character: a bigger file is refused
      // before it is read (a 100 MB "article" cost ~570 MB of memory to find that out).
      if (size > MAX_TEXT_FILE_BYTES) {
        const format = byExt ?? formatOf(f.path, decodeBuffer(readHead(f.path)).text.slice(0, 2000));
        if (format === 'text') {
          yield { error: `article too long (${size} bytes: more than ${MAX_ARTICLE_CHARS} characters, the limit): not a single article; the file was not read`, source: f.path };
          continue;
        }
        if (format === 'jsonl') {
          yield* readJsonl(f.path, onBytes);
          continue;
        }
      }
      const buf = readFileSync(f.path);
      const { text } = decodeBuffer(buf);
      const format = byExt ?? formatOf(f.path, text.slice(0, 2000))!;
      if (format === 'jsonl') yield* readJsonl(f.path, onBytes);
      else yield* readWhole(f.path, format, text);
    } catch (e) {
      yield { error: `cannot read: ${(e as Error).message}`, source: f.path };
    } finally {
      if (size > reported) opts.onBytes?.(size - reported);
    }
  }
}

/** Total size in bytes of the files under `paths` (for a progress bar). */
export function totalBytes(paths: string[]): number {
  let n = 0;
  for (const f of walkFiles(paths)) {
    if (f.error) continue;
    try {
      n += statSync(f.path).size;
    } catch {
      /* counted as an error when read */
    }
  }
  return n;
}
