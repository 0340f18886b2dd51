// Sentence and clause splitting with offsets.
//
// Sentences: . ! ? ؟ … (and ؛ on request), newlines, the ".," separator that scraped
// articles carry between paragraphs, a full stop glued to the next word ("حلب.ولا").
// Not a break: decimals and digit groups (3.5, 350.000), single-letter abbreviations
// (د. م. U.S.), listed abbreviations (lexicon/abbreviations.tsv), dots inside Latin words
// (URLs), and a terminator inside quotes that is not followed by the closing quote.
// Clauses: ، , ; ؛ inside a sentence, and clause openers (lexicon/clause_openers.tsv).

import type { Span } from '../types.js';
import { loadTable } from '../lexicon/table.js';
import { normalize, normalizeKey } from './normalize.js';
import { tokenize, type Token } from './tokenize.js';

export interface SentenceOptions {
  /** Treat ؛ (Arabic semicolon) as a sentence end; by default it only separates clauses. */
  semicolon?: boolean;
}

const SP = 1;
const TERM = 2; // . ! ? ؟ …
const CLOSE = 3; // closing quotes/brackets absorbed after a terminator
const NL = 4;
const DIGIT = 5;
const ALPHA_AR = 6;
const ALPHA_LAT = 7;

const K = new Uint8Array(0x10000);
(() => {
  for (const c of [0x09, 0x0b, 0x0c, 0x20, 0xa0, 0x202f, 0x205f, 0x3000]) K[c] = SP;
  for (let c = 0x2000; c <= 0x200a; c++) K[c] = SP;
  for (const c of [0x0a, 0x0d, 0x85, 0x2028, 0x2029]) K[c] = NL;
  for (const c of [0x2e, 0x21, 0x3f, 0x061f, 0x2026, 0x06d4]) K[c] = TERM;
  for (const c of [0x22, 0x27, 0x201d, 0x2019, 0xbb, 0x29, 0x5d]) K[c] = CLOSE;
  for (let c = 0x30; c <= 0x39; c++) K[c] = DIGIT;
  for (let c = 0x0660; c <= 0x0669; c++) K[c] = DIGIT;
  for (let c = 0x06f0; c <= 0x06f9; c++) K[c] = DIGIT;
  for (let c = 0x0620; c <= 0x065f; c++) K[c] = ALPHA_AR;
  for (let c = 0x066e; c <= 0x06d3; c++) K[c] = ALPHA_AR;
  for (let c = 0x41; c <= 0x5a; c++) K[c] = ALPHA_LAT;
  for (let c = 0x61; c <= 0x7a; c++) K[c] = ALPHA_LAT;
})();

const SEMI = 0x061b;
const COMMA = 0x2c;
const AR_COMMA = 0x060c;
const DOT = 0x2e;
const DQUOTE = 0x22;

let abbreviations: Set<string> | null = null;
/** Abbreviations written with a final dot, folded (no marks, lower case). */
function abbrevs(): Set<string> {
  if (!abbreviations) {
    abbreviations = new Set(loadTable('abbreviations.tsv').map((r) => normalizeKey(r.abbreviation)));
  }
  return abbreviations;
}

/** Is the '.' at `i` the end of an abbreviation (and so not a sentence end)? */
function isAbbreviation(text: string, i: number): boolean {
  let s = i;
  while (s > 0) {
    const k = K[text.charCodeAt(s - 1)];
    if (k === ALPHA_AR || k === ALPHA_LAT || text.charCodeAt(s - 1) === 0x0640) s--;
    else break;
  }
  const len = i - s;
  if (len === 0) return false;
  // "U.S." / "د." : a lone letter before the dot, itself at a word start.
  if (len === 1 && (s === 0 || K[text.charCodeAt(s - 1)] === SP || text.charCodeAt(s - 1) === DOT)) {
    // ...unless the dot is clearly a paragraph end (".," or end of line/text).
    const nx = text.charCodeAt(i + 1);
    return !(i + 1 >= text.length || nx === COMMA || K[nx] === NL);
  }
  if (len > 6) return false;
  return abbrevs().has(normalizeKey(text.slice(s, i)));
}

/** Split text into sentences: trimmed spans that include their final punctuation. */
export function splitSentences(text: string, options: SentenceOptions = {}): Span[] {
  const out: Span[] = [];
  const n = text.length;
  const semicolon = options.semicolon === true;
  let start = -1; // first non-space char of the current sentence
  let lastNonSpace = -1; // end (exclusive) of the last non-space char
  let quoteOpen = -1; // offset of an open quote (" “ «), or -1
  const flush = (end: number) => {
    if (start >= 0 && end > start) out.push({ start, end });
    start = -1;
    quoteOpen = -1;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = K[c];
    if (k === SP) {
      i++;
      continue;
    }
    if (k === NL) {
      flush(lastNonSpace);
      i++;
      continue;
    }
    if (start < 0) {
      // A sentence never starts with the separator comma of ".," or a stray comma.
      if (c === COMMA || c === AR_COMMA) {
        i++;
        continue;
      }
      start = i;
    }
    // Quotes: ASCII " toggles; “ « open, ” » close. An unclosed quote lapses after 400 chars.
    if (c === DQUOTE) quoteOpen = quoteOpen >= 0 ? -1 : i;
    else if (c === 0x201c || c === 0xab) quoteOpen = i;
    else if (c === 0x201d || c === 0xbb) quoteOpen = -1;
    if (quoteOpen >= 0 && i - quoteOpen > 400) quoteOpen = -1;

    const isTerm = k === TERM || (semicolon && c === SEMI);
    if (!isTerm) {
      i++;
      lastNonSpace = i;
      continue;
    }
    if (c === DOT) {
      const prev = i > 0 ? K[text.charCodeAt(i - 1)] : 0;
      const next = i + 1 < n ? K[text.charCodeAt(i + 1)] : 0;
      // 3.5 / 350.000 / www.example.com / U.S.A
      if ((prev === DIGIT && next === DIGIT) || (prev === ALPHA_LAT && next === ALPHA_LAT) || isAbbreviation(text, i)) {
        i++;
        lastNonSpace = i;
        continue;
      }
    }
    // Absorb a run of terminators ("؟!", "...") and then closing quotes/brackets.
    let j = i + 1;
    while (j < n && (K[text.charCodeAt(j)] === TERM || (semicolon && text.charCodeAt(j) === SEMI))) j++;
    let closed = false;
    while (j < n && K[text.charCodeAt(j)] === CLOSE) {
      // An ASCII " right after the stop closes an open quote (or is a closing quote).
      if (text.charCodeAt(j) === DQUOTE || text.charCodeAt(j) === 0x201d || text.charCodeAt(j) === 0xbb) closed = true;
      j++;
    }
    // Inside quotes a stop ends the sentence only when the quote closes right after it.
    if (quoteOpen >= 0 && !closed) {
      const nx = j < n ? text.charCodeAt(j) : -1;
      if (!(nx === COMMA || nx === -1 || K[nx] === NL)) {
        i = j;
        lastNonSpace = j;
        continue;
      }
    }
    flush(j);
    i = j;
    lastNonSpace = j;
    // The ".," separator: skip its comma.
    if (i < n && (text.charCodeAt(i) === COMMA || text.charCodeAt(i) === AR_COMMA)) i++;
  }
  flush(lastNonSpace);
  return out;
}

// ---------------------------------------------------------------------------------------
// Clauses.

let openers: string[][] | null = null;
/** Clause openers as folded token sequences, longest first. */
function clauseOpeners(): string[][] {
  if (!openers) {
    openers = loadTable('clause_openers.tsv')
      .map((r) => normalizeKey(r.opener).split(' '))
      .sort((a, b) => b.length - a.length);
  }
  return openers;
}

function isClausePunct(t: Token, text: string): boolean {
  if (t.kind !== 'punct') return false;
  const c = t.text.charCodeAt(0);
  if (c === AR_COMMA || c === SEMI || c === 0x3b) return true;
  if (c === COMMA && t.text.length === 1) {
    // not "350, 000" style digit groups
    const p = t.start > 0 ? K[text.charCodeAt(t.start - 1)] : 0;
    const nx = t.end < text.length ? K[text.charCodeAt(t.end)] : 0;
    return !(p === DIGIT && nx === DIGIT);
  }
  return false;
}

/**
 * Finer units inside a sentence: split at ، , ; ؛ and before clause openers
 * ("في حين"، "بينما"، "كما"، "بعد أن"، "تزامناً مع" ..., also with a و/ف in front).
 * Spans are trimmed and exclude the separating punctuation.
 */
export function splitClauses(text: string, sentence: Span): Span[] {
  const slice = text.slice(sentence.start, sentence.end);
  const nt = normalize(slice);
  const toks = tokenize(nt.text);
  const base = sentence.start;
  const orig = (nStart: number) => base + (nStart < nt.starts.length ? nt.starts[nStart] : slice.length);
  const origEnd = (nEnd: number) => base + (nEnd > 0 ? nt.ends[nEnd - 1] : 0);
  const out: Span[] = [];
  let cs = -1; // first token index of the current clause
  const close = (endTok: number) => {
    if (cs >= 0 && endTok > cs) out.push({ start: orig(toks[cs].start), end: origEnd(toks[endTok - 1].end) });
    cs = -1;
  };
  const ops = clauseOpeners();
  for (let t = 0; t < toks.length; t++) {
    const tok = toks[t];
    if (isClausePunct(tok, nt.text)) {
      close(t);
      continue;
    }
    if (tok.kind === 'word' && cs >= 0 && t > cs) {
      // An opener, bare or after و/ف, starts a new clause.
      let w = tok.text;
      if (w.length > 2 && (w.charCodeAt(0) === 0x0648 || w.charCodeAt(0) === 0x0641)) {
        if (matchOpener(ops, toks, t, w.slice(1)) || matchOpener(ops, toks, t, w)) close(t);
      } else if (matchOpener(ops, toks, t, w)) close(t);
    }
    if (cs < 0) cs = t;
  }
  close(toks.length);
  return out;
}

function matchOpener(ops: string[][], toks: Token[], t: number, first: string): boolean {
  outer: for (const op of ops) {
    if (op[0] !== first) continue;
    for (let j = 1; j < op.length; j++) {
      const tk = toks[t + j];
      if (!tk || tk.text !== op[j]) continue outer;
    }
    return true;
  }
  return false;
}
