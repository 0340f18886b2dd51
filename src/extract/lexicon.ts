// The extractor's data: trigger words per ACLED sub-event type (lexicon/triggers.tsv) and the
// markers that change how a trigger is read (lexicon/markers.tsv). Loaded once, on first use.

import { loadTable, list } from '../lexicon/table.js';
import { EVENT_TYPES as ACLED_EVENT_TYPES, type EventType } from '../types.js';
import { Matcher } from './matcher.js';

export type TriggerFlag =
  | 'mutual'
  | 'takeover'
  | 'attempted'
  | 'failed'
  | 'repel'
  | 'remote'
  | 'aircraft'
  | 'civilian'
  | 'weak'
  | 'override'
  | 'protest-mod'
  | 'verb'
  | 'kill'
  | 'attack';

export interface TriggerEntry {
  pattern: string;
  event_type: EventType;
  sub_event_type: string;
  flags: Set<TriggerFlag>;
}

export type MarkerKind =
  | 'background'
  | 'past-perfect'
  | 'habitual'
  | 'intention'
  | 'claim'
  | 'negation'
  | 'denial'
  | 'purpose'
  | 'state'
  | 'failed'
  | 'attempted'
  | 'continuing'
  | 'killed'
  | 'wounded'
  | 'civilian'
  | 'combatant'
  | 'displaced'
  | 'population'
  | 'cumulative'
  | 'front'
  | 'both-sides'
  | 'around'
  | 'between'
  | 'side-close'
  | 'by'
  | 'against'
  | 'against-prep'
  | 'target'
  | 'subset'
  | 'not-act'
  | 'responsibility'
  | 'accusation'
  | 'response';

export interface Lexicons {
  triggers: Matcher<TriggerEntry>;
  markers: Matcher<MarkerKind>;
}

const EVENT_TYPES = new Set<string>(ACLED_EVENT_TYPES);

let cached: Lexicons | null = null;

export function lexicons(): Lexicons {
  if (cached) return cached;
  const triggers = new Matcher<TriggerEntry>();
  for (const r of loadTable('triggers.tsv')) {
    if (!EVENT_TYPES.has(r.event_type)) throw new Error(`triggers.tsv: unknown event_type "${r.event_type}"`);
    const flags = new Set(list(r.flags.replace(/,/g, '|')) as TriggerFlag[]);
    triggers.add(r.pattern, { pattern: r.pattern, event_type: r.event_type as EventType, sub_event_type: r.sub_event_type, flags });
  }
  const markers = new Matcher<MarkerKind>();
  for (const r of loadTable('markers.tsv')) markers.add(r.pattern, r.kind as MarkerKind);
  cached = { triggers, markers };
  return cached;
}
