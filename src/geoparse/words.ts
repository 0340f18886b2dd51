// The geoparser's word lists, from lexicon/places.tsv and lexicon/place-stoplist.tsv,
// normalised once (MATCHING) so they compare with normalised text forms.

import { loadTable } from '../lexicon/table.js';
import { normalizeKey } from '../text/normalize.js';

export type WordKind = 'context' | 'region' | 'anaphor' | 'direction' | 'direction-adj' | 'proximity' | 'distance' | 'filler' | 'name-prefix' | 'area-def';

export interface PlaceWord {
  word: string;
  kind: WordKind;
  value: string;
  plural: boolean;
  capture: boolean;
}

export interface PlaceWords {
  byWord: Map<string, PlaceWord[]>;
  /** One-word stop entries. */
  stop: Set<string>;
  /** Multi-word stop phrases (names of actors that contain a place: "قوات سوريا الديمقراطية"), by first word. */
  stopPhrases: Map<string, string[][]>;
}

let cached: PlaceWords | undefined;

export function placeWords(): PlaceWords {
  if (cached) return cached;
  const byWord = new Map<string, PlaceWord[]>();
  for (const r of loadTable('places.tsv')) {
    const w = normalizeKey(r.word);
    const pw: PlaceWord = { word: w, kind: r.kind as WordKind, value: r.value, plural: r.number === 'pl', capture: r.capture === 'yes' };
    const l = byWord.get(w);
    if (l) l.push(pw);
    else byWord.set(w, [pw]);
  }
  const stop = new Set<string>();
  const stopPhrases = new Map<string, string[][]>();
  for (const r of loadTable('place-stoplist.tsv')) {
    const k = normalizeKey(r.word);
    const toks = k.split(' ');
    if (toks.length === 1) stop.add(k);
    else {
      const l = stopPhrases.get(toks[0]) ?? [];
      l.push(toks);
      stopPhrases.set(toks[0], l);
    }
  }
  cached = { byWord, stop, stopPhrases };
  return cached;
}

/** Compass from one or two direction letters: N + E = NE. */
export function combineDirections(a: string, b?: string): string {
  if (!b || a === b) return a;
  const ns = [a, b].find((d) => d === 'N' || d === 'S');
  const ew = [a, b].find((d) => d === 'E' || d === 'W');
  return ns && ew ? ns + ew : a;
}

/** Bearing in degrees of a compass direction. */
export const BEARING: Record<string, number> = { N: 0, NE: 45, E: 90, SE: 135, S: 180, SW: 225, W: 270, NW: 315 };
