// A phrase matcher for lexicon aliases (actors, sources, attribution verbs): every alias is a
// sequence of normalised tokens stored in a token trie, and the whole text is matched in one
// left-to-right pass (longest match first) instead of one regex per alias.
//
// Arabic writes proclitics onto the first word ("وقوات", "بالطائرات", "للفصائل"); rather than
// analysing each text token, the index stores every clitic form of each alias's FIRST token
// (و/ف, then ب/ك/ل, and لل for ل + ال), so matching costs one Map lookup per token.
// Later tokens of an alias must follow with only spaces or quotation marks in between
// ("تنظيم "داعش"" still matches "تنظيم داعش").

import { normalizeKey } from '../text/normalize.js';

export interface Tok {
  text: string;
  start: number;
  end: number;
}

// Word characters: Arabic letters (incl. Persian/Urdu extensions), ASCII letters and digits.
const WORD = new Uint8Array(0x10000);
(() => {
  const set = (a: number, b: number) => {
    for (let c = a; c <= b; c++) WORD[c] = 1;
  };
  set(0x0621, 0x064a);
  set(0x066e, 0x06d3);
  set(0x06fa, 0x06ff);
  set(0x30, 0x39);
  set(0x41, 0x5a);
  set(0x61, 0x7a);
})();

/** Split (normalised) text into word tokens; everything else separates them. */
export function scanTokens(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && WORD[text.charCodeAt(i)] === 0) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && WORD[text.charCodeAt(i)] === 1) i++;
    out.push({ text: text.slice(s, i), start: s, end: i });
  }
  return out;
}

// Characters allowed between two tokens of one alias: spaces, quotation marks and dashes
// ("الحركة الشعبية لتحرير السودان - شمال").
const GAP = new Uint8Array(0x10000);
for (const c of ' \t\u00a0"\'«»“”‘’„-–') GAP[c.charCodeAt(0)] = 1;

/** True when text[a..b) holds only spaces and quotes (and at least one space or quote). */
export function gapOk(text: string, a: number, b: number): boolean {
  if (b - a > 6) return false;
  for (let k = a; k < b; k++) if (GAP[text.charCodeAt(k)] === 0) return false;
  return true;
}

interface Node<T> {
  next: Map<string, Node<T>> | null;
  value: T | undefined;
  rank: number;
}

export interface PhraseHit<T> {
  /** Token index range [first, last) in the token array. */
  first: number;
  last: number;
  /** Offsets in the normalised text; start is after the proclitic(s), except that the ل of
   *  "لل" (ل + ال) stays inside the span ("للفصائل"), since the word cannot be cut there. */
  start: number;
  end: number;
  /** Proclitics found on the first token ("و", "وب", "ل" for لل ...). */
  proclitic: string;
  value: T;
}

const P1 = ['', 'و', 'ف'];

/** A first-token form: the proclitics it carries and how many characters precede the stem. */
interface Cand<T> {
  proclitic: string;
  skip: number;
  node: Node<T>;
}
const P2 = ['', 'ب', 'ك', 'ل'];

export class PhraseIndex<T> {
  private firsts = new Map<string, Node<T>>();
  private root: Map<string, Cand<T>[]> | null = null;
  size = 0;

  /**
   * Add a phrase (normalised here). On a collision the lower rank wins; equal ranks keep the
   * first one added. Returns false when the phrase was empty or lost the collision.
   */
  add(phrase: string, value: T, rank = 0): boolean {
    const words = normalizeKey(phrase)
      .split(' ')
      .map((w) => scanTokens(w).map((t) => t.text).join(''))
      .filter(Boolean);
    if (words.length === 0) return false;
    let node = this.firsts.get(words[0]);
    if (!node) this.firsts.set(words[0], (node = { next: null, value: undefined, rank: Infinity }));
    for (let i = 1; i < words.length; i++) {
      if (!node.next) node.next = new Map();
      let child: Node<T> | undefined = node.next.get(words[i]);
      if (!child) node.next.set(words[i], (child = { next: null, value: undefined, rank: Infinity }));
      node = child;
    }
    if (node.value !== undefined && node.rank <= rank) return false;
    if (node.value === undefined) this.size++;
    node.value = value;
    node.rank = rank;
    this.root = null;
    return true;
  }

  /** Expand first tokens into all their proclitic forms (done once, on first match). */
  private build(): Map<string, Cand<T>[]> {
    const root = new Map<string, Cand<T>[]>();
    const put = (form: string, proclitic: string, node: Node<T>, skip = proclitic.length) => {
      let l = root.get(form);
      if (!l) root.set(form, (l = []));
      // The bare form first, so that on equal length the reading without clitic wins.
      if (proclitic === '') l.unshift({ proclitic, skip, node });
      else l.push({ proclitic, skip, node });
    };
    for (const [w, node] of this.firsts) {
      put(w, '', node);
      // Very short first words ("ال", digits) take no clitics: too many accidental hits.
      if (w.length < 3 || !/^[\u0621-\u064a]/.test(w)) continue;
      const definite = w.startsWith('ال');
      for (const p1 of P1)
        for (const p2 of P2) {
          if (p1 === '' && p2 === '') continue;
          // "للفصائل" = ل + الفصائل: the span keeps "للفصائل" whole (minus و/ف), not the broken "لفصائل".
          if (p2 === 'ل' && definite) put(p1 + 'لل' + w.slice(2), p1 + 'ل', node, p1.length);
          else put(p1 + p2 + w, p1 + p2, node);
        }
    }
    return root;
  }

  /** Longest phrase starting at token i, or null. */
  matchAt(text: string, toks: Tok[], i: number): PhraseHit<T> | null {
    if (!this.root) this.root = this.build();
    const cands = this.root.get(toks[i].text);
    if (!cands) return null;
    let best: PhraseHit<T> | null = null;
    for (const c of cands) {
      let node = c.node;
      let lastTok = -1;
      let value: T | undefined;
      if (node.value !== undefined) {
        lastTok = i + 1;
        value = node.value;
      }
      let j = i + 1;
      while (node.next && j < toks.length && gapOk(text, toks[j - 1].end, toks[j].start)) {
        const child = node.next.get(toks[j].text);
        if (!child) break;
        node = child;
        j++;
        if (node.value !== undefined) {
          lastTok = j;
          value = node.value;
        }
      }
      if (lastTok > 0 && (!best || lastTok > best.last))
        best = {
          first: i,
          last: lastTok,
          start: toks[i].start + c.skip,
          end: toks[lastTok - 1].end,
          proclitic: c.proclitic,
          value: value as T,
        };
    }
    return best;
  }

  /** All non-overlapping matches, left to right, longest first at each position. */
  matchAll(text: string, toks: Tok[] = scanTokens(text)): PhraseHit<T>[] {
    const out: PhraseHit<T>[] = [];
    for (let i = 0; i < toks.length; ) {
      const h = this.matchAt(text, toks, i);
      if (h) {
        out.push(h);
        i = h.last;
      } else i++;
    }
    return out;
  }
}
