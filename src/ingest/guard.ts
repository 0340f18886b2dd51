// The gate between reading and extracting: an article that is not Arabic text (binary bytes,
// another language, a 10 MB dump) is refused with a reason; damage that can be undone
// (mojibake, stray NULs and control characters) is repaired and reported as a warning.
// Every article passes here exactly once, in ingest(), whatever file format it came from.

import iconv from 'iconv-lite';
import type { Article } from '../types.js';
import { notArabicReason } from '../text/language.js';

/** Longest article text accepted (characters); the API's limit too (src/serve/schemas.ts). */
export const MAX_ARTICLE_CHARS = Number(process.env.MARSAD_MAX_ARTICLE_CHARS ?? 500_000);

export interface GuardResult {
  /** The article to extract (possibly repaired); absent when refused. */
  article?: Article;
  /** Why it was refused. */
  error?: string;
  /** What was repaired. */
  warnings: string[];
}

// C0 controls other than tab, newline, vertical tab, form feed, carriage return; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
// Binary bytes show up as C0 controls (C1 ones also come from Latin-1 mojibake, repaired first).
const BINARY = /[\u0000-\u0008\u000e-\u001f]/g;
const REPLACEMENT = /\uFFFD/g;
const HEAD = 64 * 1024;

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

function isArabicLetter(c: number): boolean {
  return c >= 0x0621 && c <= 0x064a;
}

/** Share of ط/ظ among Arabic letters: UTF-8 Arabic read as Windows-1256 turns every lead byte D8/D9 into ط/ظ. */
function taZahShare(s: string): number {
  let ar = 0;
  let tz = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isArabicLetter(c)) continue;
    ar++;
    if (c === 0x0637 || c === 0x0638) tz++;
  }
  return ar >= 20 ? tz / ar : 0;
}

/** Share of Ø/Ù among non-ASCII characters: UTF-8 Arabic read as Latin-1/Windows-1252. */
function latinMojibakeShare(s: string): number {
  let hi = 0;
  let ou = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    hi++;
    if (c === 0xd8 || c === 0xd9) ou++;
  }
  return hi >= 20 ? ou / hi : 0;
}

/** UTF-8 bytes that were decoded in the wrong 8-bit code page, decoded again properly; null when it does not work out. */
function redecode(s: string, wrong: 'windows-1256' | 'windows-1252'): { text: string; invalid: number } | null {
  const codec = wrong === 'windows-1252' && !/[^\u0000-\u00ff]/.test(s) ? 'latin1' : wrong;
  const bytes = iconv.encode(s, codec);
  const text = bytes.toString('utf8');
  const invalid = count(text, REPLACEMENT) - count(s, REPLACEMENT);
  // A real repair yields Arabic with at most a few undecodable bytes.
  if (invalid > Math.max(16, text.length / 50)) return null;
  return { text, invalid };
}

/** Repairs of one text field; `what` names it in the warnings. */
function repair(s: string, what: string, warnings: string[]): string {
  const head = s.slice(0, HEAD);
  if (taZahShare(head) > 0.3) {
    const r = redecode(s, 'windows-1256');
    if (r && taZahShare(r.text.slice(0, HEAD)) < 0.15) {
      warnings.push(`${what}: mojibake repaired (UTF-8 read as Windows-1256)${r.invalid > 0 ? `, ${r.invalid} invalid byte(s) replaced` : ''}`);
      s = r.text;
    }
  } else if (latinMojibakeShare(head) > 0.3) {
    const r = redecode(s, 'windows-1252');
    if (r) {
      warnings.push(`${what}: mojibake repaired (UTF-8 read as Latin-1/Windows-1252)${r.invalid > 0 ? `, ${r.invalid} invalid byte(s) replaced` : ''}`);
      s = r.text;
    }
  }
  const controls = count(s, CONTROL);
  if (controls > 0) {
    const nul = count(s, /\u0000/g);
    warnings.push(`${what}: ${controls} control character(s)${nul ? ` (${nul} NUL)` : ''} removed`);
    s = s.replace(CONTROL, '');
  }
  const bad = count(s, REPLACEMENT);
  if (bad > 0) warnings.push(`${what}: ${bad} undecodable byte(s) (U+FFFD) in the input`);
  return s;
}

/** Binary content, or text in an encoding that was lost: a reason, else null. */
function binaryReason(s: string): string | null {
  const head = s.slice(0, HEAD);
  if (!head.length) return null;
  const controls = count(head, BINARY);
  const bad = count(head, REPLACEMENT);
  if (controls >= 8 && controls / head.length > 0.01) return `binary content, not text (${((controls / head.length) * 100).toFixed(0)}% control bytes)`;
  if (bad >= 8 && bad / head.length > 0.05)
    return `undecodable text (${((bad / head.length) * 100).toFixed(0)}% invalid bytes): a wrong encoding (e.g. Windows-1256 read as UTF-8) or a binary file`;
  return null;
}

/** Check (and repair) one article before extraction. */
export function guardArticle(article: Article): GuardResult {
  const warnings: string[] = [];
  if (typeof article.text !== 'string') return { error: 'article has no text', warnings };
  if (article.text.length > MAX_ARTICLE_CHARS)
    return { error: `article too long (${article.text.length} characters; the limit is ${MAX_ARTICLE_CHARS}): not a single article`, warnings };
  const binary = binaryReason(article.text) ?? (article.title ? binaryReason(article.title) : null);
  if (binary) return { error: binary, warnings };
  const text = repair(article.text, 'text', warnings);
  const title = article.title ? repair(article.title, 'title', warnings) : article.title;
  if (!text.trim()) return { error: 'empty text', warnings };
  const notArabic = notArabicReason(`${title ?? ''}\n${text}`);
  if (notArabic) return { error: `${notArabic}: not mined for Arabic events`, warnings };
  const changed = text !== article.text || title !== article.title;
  return { article: changed ? { ...article, title, text } : article, warnings };
}
