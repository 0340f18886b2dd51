// Which language (and script) a text is in: Arabic, or one of the languages analysts' scrapes
// also bring (Persian and Sorani Kurdish in Arabic script; Kurmanji Kurdish, Turkish and English
// in Latin script). The extractor reads Arabic only: anything else must be refused with a clear
// reason, not mined for "events". The distinctive letters and function words are data
// (lexicon/languages.tsv); this file only counts them.

import { loadTable, list } from '../lexicon/table.js';
import { runScanner } from './runs.js';

export type Language = 'ar' | 'fa' | 'ckb' | 'kmr' | 'tr' | 'en' | 'unknown';
export type Script = 'arabic' | 'latin' | 'other' | 'none';

export interface LanguageGuess {
  language: Language;
  /** English name, e.g. "Persian", "Kurdish (Sorani)"; "unknown" when no language fits. */
  name: string;
  /** The script most letters are in ('none': no letters at all). */
  script: Script;
  /** Shares of all letters in Arabic script and in Latin script (0..1). */
  arabic: number;
  latin: number;
  /** Both scripts hold at least a fifth of the letters. */
  mixed: boolean;
  /** Letters counted (on a sample of at most ~200 000 characters). */
  letters: number;
}

interface Profile {
  language: Exclude<Language, 'unknown'>;
  name: string;
  script: 'arabic' | 'latin';
  letters: Set<string>;
  words: Set<string>;
}

// Persian ی/ک typed as Arabic ي/ك (Windows-1256) must still match the word lists.
const foldWord = (w: string) => (/[\u06cc\u06a9]/.test(w) ? w.replace(/\u06cc/g, '\u064a').replace(/\u06a9/g, '\u0643') : w).toLowerCase();

let profiles: Profile[] | null = null;
function loadProfiles(): Profile[] {
  return (profiles ??= loadTable('languages.tsv').map((r) => ({
    language: r.language as Profile['language'],
    name: r.name,
    script: r.script as Profile['script'],
    letters: new Set(list(r.letters)),
    words: new Set(list(r.words).map(foldWord)),
  })));
}

/** Sorani letters per Arabic-script letter above which the text is Sorani (Persian and Arabic never use them). */
const SORANI_SHARE = 0.02;
const MIXED_SHARE = 0.2;
const SAMPLE = 200_000;

const isArabicScript = (c: number) =>
  (c >= 0x0620 && c <= 0x064a) || (c >= 0x066e && c <= 0x06d5) || (c >= 0x06fa && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
const LETTER = /\p{L}/u;

/** A bounded sample of a long text (start, middle, end), so a 100 MB "article" costs no more than 200 KB. */
function sample(text: string): string {
  if (text.length <= SAMPLE) return text;
  const part = SAMPLE / 4;
  const mid = Math.floor(text.length / 2);
  return `${text.slice(0, part * 2)} ${text.slice(mid, mid + part)} ${text.slice(text.length - part)}`;
}

// Per-code-unit tallies, reused between calls (a Map of characters cost more than the rest together).
const tally = new Int32Array(0x10000);
// Whether a BMP code unit outside the two scripts is a letter: 0 not known yet, 1 letter, 2 not.
const isLetterCache = new Uint8Array(0x10000);
/** Every word (a run of letters and marks, as /[\p{L}\p{M}]+/gu finds them) to `each`; returns how many. */
const wordRuns = runScanner(/^[\p{L}\p{M}]$/u);
export function eachWord(s: string, each: (w: string) => void): number {
  return wordRuns(s, (start, end) => each(s.slice(start, end)));
}

export function detectLanguage(text: string): LanguageGuess {
  const s = sample(text ?? '');
  let arabic = 0;
  let latin = 0;
  let letters = 0;
  const touched: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x41) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // Outside the BMP: no script or profile letter of ours lives there; a letter still counts.
      const cp = s.codePointAt(i)!;
      i++;
      if (LETTER.test(String.fromCodePoint(cp))) letters++;
      continue;
    }
    if (isArabicScript(c)) arabic++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) latin++;
    else {
      let k = isLetterCache[c];
      if (k === 0) isLetterCache[c] = k = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
      if (k === 2) continue;
    }
    letters++;
    if (c > 0x7f && tally[c]++ === 0) touched.push(c);
  }
  const counts = new Map<string, number>();
  for (const c of touched) {
    counts.set(String.fromCharCode(c), tally[c]);
    tally[c] = 0;
  }
  const base = { arabic: letters ? arabic / letters : 0, latin: letters ? latin / letters : 0, letters };
  const mixed = base.arabic >= MIXED_SHARE && base.latin >= MIXED_SHARE;
  if (letters === 0) return { language: 'unknown', name: 'unknown', script: 'none', mixed: false, ...base };
  const script: Script = arabic >= latin && arabic * 2 >= letters ? 'arabic' : latin > arabic && latin * 2 >= letters ? 'latin' : 'other';
  if (script === 'other') return { language: 'unknown', name: 'unknown', script, mixed, ...base };

  const candidates = loadProfiles().filter((p) => p.script === script);
  const scriptLetters = script === 'arabic' ? arabic : latin;
  const letterShare = (p: Profile) => {
    let n = 0;
    for (const l of p.letters) n += counts.get(l) ?? 0;
    return n / scriptLetters;
  };
  const sorani = candidates.find((p) => p.language === 'ckb');
  if (sorani && letterShare(sorani) >= SORANI_SHARE) return { language: 'ckb', name: sorani.name, script, mixed, ...base };

  // Score = distinctive letters per letter (x10: they are rarer than function words) + function words per word.
  const wordHits = new Map<Profile, number>();
  const words = eachWord(s, (word) => {
    const w = foldWord(word);
    for (const p of candidates) if (p.words.has(w)) wordHits.set(p, (wordHits.get(p) ?? 0) + 1);
  });
  let best: Profile | null = null;
  let bestScore = 0;
  for (const p of candidates) {
    const score = letterShare(p) * 10 + (wordHits.get(p) ?? 0) / Math.max(1, words);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  // Arabic script with no marks at all (a list of names, a headline) is read as Arabic; Latin
  // text with none of the known marks is an unknown Latin-script language.
  if (!best || bestScore < 0.02) {
    if (script === 'arabic') best = candidates.find((p) => p.language === 'ar') ?? null;
    else return { language: 'unknown', name: 'unknown', script, mixed, ...base };
  }
  return { language: best!.language, name: best!.name, script, mixed, ...base };
}

/** Why a text must not go to the Arabic extractor ("not Arabic (Persian)"), or null when it is Arabic. */
export function notArabicReason(text: string): string | null {
  const g = detectLanguage(text);
  if (g.language === 'ar') return null;
  if (g.script === 'none') return 'no letters: not a text';
  const pct = Math.round(g.arabic * 100);
  if (g.language === 'unknown') return `not Arabic (${g.script === 'latin' ? 'Latin' : 'unknown'} script, ${pct}% Arabic letters)`;
  return `not Arabic (${g.name}${g.mixed ? `, mixed script, ${pct}% Arabic letters` : ''})`;
}
