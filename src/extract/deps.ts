// The stages the extractor builds on, behind one small interface. The text core (tokens,
// sentences, numbers), the gazetteer and the geoparser are imported directly; the actor,
// source and date readers are loaded when their modules are present in the tree (they were
// written concurrently), otherwise the small fallbacks in ./fallback.ts stand in for them.

import type { NormalizedText } from '../text/normalize.js';
import type { Location, TimePrecision } from '../types.js';
import * as fallback from './fallback.js';

export { splitSentences, splitClauses } from '../text/sentences.js';
export { readNumbers, type NumberReading } from '../text/numbers.js';
export { geoparse, type PlaceMention } from '../geoparse/index.js';
export { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
export type { Location };

export interface ActorEntry {
  id: string;
  name: string;
  inter: number;
  side: string;
  country: string;
  kind: string;
  aliases?: string[];
}

export interface ActorMention {
  start: number;
  end: number;
  surface: string;
  entry: ActorEntry;
  /** Associated actor ("المسلحين الموالين لها"): attached to the actor before it. */
  associated?: boolean | ActorEntry | ActorMention[] | unknown;
}

export interface SourceRef {
  id: string;
  name_ar: string;
  name_en?: string;
  kind?: string;
}

export interface Attribution {
  start: number;
  end: number;
  source: SourceRef;
  via?: SourceRef | unknown;
}

export interface DateReading {
  start: number;
  end: number;
  text: string;
  kind: string;
  /** YYYY-MM-DD, or YYYY-MM for a month. */
  date: string | null;
  end_date?: string | null;
  time_precision: TimePrecision;
  since?: boolean;
}

type FindActors = (nt: NormalizedText, opts?: { country?: string }) => ActorMention[];
type FindAttributions = (nt: NormalizedText) => Attribution[];
type ReadDates = (text: string, ref?: string | null) => DateReading[];

async function optional<T>(path: string, name: string): Promise<T | null> {
  try {
    const m = (await import(path)) as Record<string, unknown>;
    return typeof m[name] === 'function' ? (m[name] as T) : null;
  } catch {
    return null;
  }
}

// Paths held in variables so the type checker does not require the modules to exist yet.
const ACTORS = '../lexicon/actors.js';
const SOURCES = '../lexicon/sources.js';
const DATES = '../text/dates.js';

const realActors = await optional<FindActors>(ACTORS, 'findActors');
const realAttributions = await optional<FindAttributions>(SOURCES, 'findAttributions');
const realDates = await optional<ReadDates>(DATES, 'readDates');

/** Which readers are the real modules, and which are fallbacks (reported as warnings). */
export const provenance = {
  actors: realActors ? 'src/lexicon/actors.ts' : 'fallback',
  attributions: realAttributions ? 'src/lexicon/sources.ts' : 'fallback',
  dates: realDates ? 'src/text/dates.ts' : 'fallback',
};

export const findActors: FindActors = realActors ?? fallback.findActors;
export const findAttributions: FindAttributions = realAttributions ?? fallback.findAttributions;
export const readDates: ReadDates = realDates ?? fallback.readDates;
