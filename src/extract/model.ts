// Plain data passed between the extractor's stages.

import type { ArticlePart, EventStatus, Location } from '../types.js';
import type { NormalizedText } from '../text/normalize.js';
import type { ActorEntry, ActorMention, Attribution, DateReading, NumberReading, PlaceMention } from './deps.js';
import type { Hit, Word } from './matcher.js';
import type { MarkerKind, TriggerEntry } from './lexicon.js';

export interface Sentence {
  index: number;
  start: number;
  end: number;
  /** Clause spans (normalised offsets), in order. */
  clauses: { start: number; end: number }[];
  /** Paragraph index (paragraphs break at newlines and at the scraped ".," separator). */
  paragraph: number;
}

/** One part of the article (title or text) with everything recognised in it. */
export interface Part {
  part: ArticlePart;
  nt: NormalizedText;
  words: Word[];
  sentences: Sentence[];
  triggers: Hit<TriggerEntry>[];
  markers: Hit<MarkerKind>[];
  /** The markers by kind (a marker with several kinds is in each list). */
  byKind: Map<MarkerKind, Hit<MarkerKind>[]>;
  /** Words in the longest marker hit: how far back a marker ending near a trigger can start. */
  longestMarker: number;
  /** The first place usable as an event location, once looked up (null: none). */
  firstUsablePlace?: PlaceMention | null;
  actors: ActorMention[];
  places: PlaceMention[];
  numbers: NumberReading[];
  dates: DateReading[];
  attributions: Attribution[];
}

/** A normalised-text span that becomes evidence. */
export interface NSpan {
  start: number;
  end: number;
}

export interface ActorRef {
  entry: ActorEntry;
  /** The mention it came from; absent when inferred (opponent, "الطرفين" resolved ...). */
  mention?: ActorMention;
  /** Spans that justify an inferred actor ("الطرفين"). */
  via?: NSpan[];
}

/** A place group the frame is tied to: one event per place, or one at the front. */
export interface PlaceRef {
  location: Location;
  spans: NSpan[];
  /** For a front referred back to ("الجبهتين"): the frame that named it, whose sides fight there. */
  front?: Frame;
}

/** A trigger with its arguments: becomes one event per place. */
export interface Frame {
  id: number;
  part: Part;
  sentence: Sentence;
  clause: number;
  trigger: Hit<TriggerEntry>;
  entry: TriggerEntry;
  event_type: TriggerEntry['event_type'];
  sub_event_type: string;
  actor1: ActorRef | null;
  actor2: ActorRef | null;
  assoc1: ActorRef[];
  assoc2: ActorRef[];
  places: PlaceRef[];
  /** Set when the frame only refers back to the places of an earlier frame (same front). */
  refersTo: Frame | null;
  /** The place group is the frame's own (named in its clause), not a front referred back to. */
  ownPlace: boolean;
  /** No event of its own: a definite mention of an act told before ("جراء القصف", "صدت الهجوم"),
   * or a vague strategic word with no conflict actor. */
  anaphor: boolean;
  /** A claim of responsibility ("تبنى X الهجوم"): not an act, it names the author of the act before it. */
  claimSpan?: NSpan;
  /** The claim is an accusation ("اتهم X Y بتنفيذ ..."): the accused, not the speaker, is the author. */
  accusation?: boolean;
  date: string | null;
  time_precision: 1 | 2 | 3;
  dateSpans: NSpan[];
  status: EventStatus;
  statusSpans: NSpan[];
  background: boolean;
  backgroundSpans: NSpan[];
  /** Only a pluperfect ("كانت ... قد") made it background: a recent date can undo that. */
  pluperfectOnly: boolean;
  civilian: boolean;
  civilianSpans: NSpan[];
  fatalities: number;
  fatalities_by_side: Record<string, number>;
  fatalitySpans: NSpan[];
  wounded: number;
  woundedSpans: NSpan[];
  /** Sides the casualties belong to ("مقتل جنديين من قوات النظام"). */
  victims: ActorEntry[];
  reported_by: string | null;
  reported_by_en: string | null;
  sourceSpans: NSpan[];
}
