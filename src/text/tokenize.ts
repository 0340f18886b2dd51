// Tokeniser with character offsets, and proclitic analysis for lexicon matching.
//
// One pass over a 64K-entry class table (no regex) so the whole text core stays fast.
// Works on normalised text (the usual case) and on original text alike: tashkeel and
// tatweel count as word characters, so "الـ24" and its normalised form "ال24" both give
// the word "الـ"/"ال" followed by the number "24".

export type TokenKind = 'word' | 'number' | 'punct' | 'latin' | 'other';

export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
}

const SPACE = 1;
const ARABIC = 2;
const DIGIT = 3;
const LATIN = 4;
const PUNCT = 5; // anything else (0) is "other"

const CLASS = new Uint8Array(0x10000);
(() => {
  const set = (from: number, to: number, k: number) => {
    for (let c = from; c <= to; c++) CLASS[c] = k;
  };
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000])
    CLASS[c] = SPACE;
  set(0x2000, 0x200a, SPACE);
  // Arabic letters, marks and tatweel (marks stay inside the word they sit on).
  set(0x0610, 0x061a, ARABIC);
  set(0x0620, 0x065f, ARABIC);
  set(0x066e, 0x06d3, ARABIC);
  set(0x06d5, 0x06ed, ARABIC);
  set(0x06fa, 0x06ff, ARABIC);
  set(0x0750, 0x077f, ARABIC);
  set(0x08a0, 0x08ff, ARABIC);
  set(0xfb50, 0xfdff, ARABIC);
  set(0xfe70, 0xfefc, ARABIC);
  // Zero-width joiners and marks that scraped text leaves inside words.
  for (const c of [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x061c, 0xfeff, 0x00ad]) CLASS[c] = ARABIC;
  set(0x30, 0x39, DIGIT);
  set(0x0660, 0x0669, DIGIT);
  set(0x06f0, 0x06f9, DIGIT);
  set(0x41, 0x5a, LATIN);
  set(0x61, 0x7a, LATIN);
  set(0xc0, 0x24f, LATIN);
  CLASS[0xd7] = PUNCT;
  CLASS[0xf7] = PUNCT;
  set(0x21, 0x2f, PUNCT);
  set(0x3a, 0x40, PUNCT);
  set(0x5b, 0x60, PUNCT);
  set(0x7b, 0x7e, PUNCT);
  set(0xa1, 0xbf, PUNCT);
  // ، ؛ ؟ ٪ ٫ ٬ ٭ ۔ and general punctuation (dashes, curly quotes, ellipsis, guillemets).
  for (const c of [0x060c, 0x060d, 0x061b, 0x061e, 0x061f, 0x066a, 0x066b, 0x066c, 0x066d, 0x06d4]) CLASS[c] = PUNCT;
  set(0x2010, 0x2027, PUNCT);
  set(0x2030, 0x205e, PUNCT);
  set(0x3001, 0x3003, PUNCT);
  CLASS[0xab] = PUNCT;
  CLASS[0xbb] = PUNCT;
})();

/** Separators allowed inside a number when a digit follows: 350,000 350.000 ٣٥٠٬٠٠٠ ٣٫٥ */
function isNumberSep(c: number): boolean {
  return c === 0x2c || c === 0x2e || c === 0x066b || c === 0x066c;
}

/** Split `text` into tokens; whitespace is dropped, offsets index into `text`. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = CLASS[c];
    if (k === SPACE) {
      i++;
      continue;
    }
    const s = i;
    let kind: TokenKind;
    if (k === ARABIC) {
      i++;
      while (i < n && CLASS[text.charCodeAt(i)] === ARABIC) i++;
      kind = 'word';
    } else if (k === DIGIT) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (CLASS[d] === DIGIT) i++;
        else if (isNumberSep(d) && i + 1 < n && CLASS[text.charCodeAt(i + 1)] === DIGIT) i += 2;
        else break;
      }
      kind = 'number';
    } else if (k === LATIN) {
      i++;
      while (i < n) {
        const d = CLASS[text.charCodeAt(i)];
        if (d === LATIN || d === DIGIT) i++;
        else break;
      }
      kind = 'latin';
    } else if (k === PUNCT) {
      i++;
      if (c === 0x2e) {
        // ".." and "..." are one token; ".," (scraped paragraph separator) is one token.
        while (i < n && text.charCodeAt(i) === 0x2e) i++;
        if (i < n && (text.charCodeAt(i) === 0x2c || text.charCodeAt(i) === 0x060c)) i++;
      }
      kind = 'punct';
    } else {
      i++;
      // Keep surrogate pairs (emoji, rare symbols) together.
      if (c >= 0xd800 && c <= 0xdbff && i < n) i++;
      kind = 'other';
    }
    out.push({ text: text.slice(s, i), start: s, end: i, kind });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Proclitics.

export interface CliticSplit {
  prefix: string;
  stem: string;
  /** Offset of the stem within the word. */
  stemStart: number;
  /** The stem carries the definite article that "لل" elides (للمحافظة = ل + المحافظة):
   *  look it up as "ال" + stem too. */
  definite?: boolean;
}

const ALEF = 0x0627;
const LAM = 0x0644;

/** Letters of the prefix, ignoring tatweel/tashkeel that original text may carry. */
function isMark(c: number): boolean {
  return (c >= 0x064b && c <= 0x065f) || c === 0x0670 || c === 0x0640;
}

/** Count of letters (not marks) in s[from..]. */
function letterCount(s: string, from: number): number {
  let n = 0;
  for (let i = from; i < s.length; i++) if (!isMark(s.charCodeAt(i))) n++;
  return n;
}

/** Skip marks starting at i. */
function skipMarks(s: string, i: number): number {
  while (i < s.length && isMark(s.charCodeAt(i))) i++;
  return i;
}

const CONJ = [0x0648 /* و */, 0x0641 /* ف */];
const PREP = [0x0628 /* ب */, 0x0644 /* ل */, 0x0643 /* ك */];

interface Raw {
  end: number;
  article: boolean;
  definite: boolean;
  layers: number;
}

/** All ways to peel (conj)(prep)(article) off the front of `word`. */
function rawSplits(word: string): Raw[] {
  const out: Raw[] = [];
  const tryArticle = (at: number, layers: number, afterLam: boolean) => {
    // after ل the article's alef is elided: لل + stem
    if (afterLam) {
      if (word.charCodeAt(at) === LAM) {
        const e = skipMarks(word, at + 1);
        out.push({ end: e, article: true, definite: true, layers: layers + 1 });
      }
      return;
    }
    if (word.charCodeAt(at) === ALEF && word.charCodeAt(at + 1) === LAM) {
      out.push({ end: skipMarks(word, at + 2), article: true, definite: false, layers: layers + 1 });
    }
  };
  const afterConj = (at: number, layers: number) => {
    tryArticle(at, layers, false);
    const p = word.charCodeAt(at);
    if (PREP.includes(p)) {
      const e = skipMarks(word, at + 1);
      out.push({ end: e, article: false, definite: false, layers: layers + 1 });
      tryArticle(e, layers + 1, p === LAM);
    }
  };
  afterConj(0, 0);
  const c0 = word.charCodeAt(0);
  if (CONJ.includes(c0)) {
    const e = skipMarks(word, 1);
    out.push({ end: e, article: false, definite: false, layers: 1 });
    afterConj(e, 1);
  }
  return out;
}

/**
 * Candidate analyses of `word` into proclitics + stem, most likely first, always
 * including the unsplit word. With `isKnown`, a form that is known (the whole word, or a
 * stem) is never split further: بصرى / كفرنبل / البوكمال stay whole when known, and
 * "والحميرة" gives "و + الحميرة" before the unsplit word, never "وال + حميرة".
 * A stem keeps at least 2 letters.
 */
export function cliticSplits(word: string, isKnown?: (s: string) => boolean): CliticSplit[] {
  const whole: CliticSplit = { prefix: '', stem: word, stemStart: 0 };
  const raws = rawSplits(word).filter((r) => letterCount(word, r.end) >= 2);
  const cands: (CliticSplit & { r: Raw })[] = raws.map((r) => ({
    prefix: word.slice(0, r.end),
    stem: word.slice(r.end),
    stemStart: r.end,
    ...(r.definite ? { definite: true } : {}),
    r,
  }));
  const strip = (c: CliticSplit & { r?: Raw }): CliticSplit => {
    const { r: _r, ...rest } = c;
    return rest;
  };
  if (isKnown) {
    if (isKnown(word)) return [whole];
    const known = (c: CliticSplit) => isKnown(c.stem) || (c.definite === true && isKnown('ال' + c.stem));
    // Shortest prefix first: the longest known form wins and is not split further.
    const byPrefix = [...cands].sort((a, b) => a.stemStart - b.stemStart);
    const firstKnown = byPrefix.find(known);
    if (firstKnown) {
      const rest = byPrefix.filter((c) => c !== firstKnown && c.stemStart < firstKnown.stemStart);
      return [strip(firstKnown), whole, ...rest.map(strip)];
    }
  }
  // No lexicon evidence: article splits are reliable (deepest first), then the word
  // itself, then single-letter proclitics (و/ف/ب/ل/ك are often a word's own first letter).
  const withArticle = cands.filter((c) => c.r.article).sort((a, b) => b.stemStart - a.stemStart);
  const other = cands.filter((c) => !c.r.article).sort((a, b) => a.stemStart - b.stemStart);
  return [...withArticle.map(strip), whole, ...other.map(strip)];
}
