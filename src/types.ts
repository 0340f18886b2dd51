// Plain data shared by every stage of the pipeline:
// ingest -> text -> lexicon/gazetteer -> extract -> resolve -> store -> serve/export.
// Field names follow ACLED where ACLED has one (event_type, sub_event_type, inter,
// geo_precision, time_precision, fatalities, civilian_targeting ...).

/** A half-open range [start, end) of UTF-16 code units in an ORIGINAL string. */
export interface Span {
  start: number;
  end: number;
}

/** Which part of an article a span points into. */
export type ArticlePart = 'title' | 'text';

/** A pointer back to the exact words of the article a field came from. */
export interface Evidence {
  part: ArticlePart;
  start: number;
  end: number;
  /** The original substring, kept so a reader need not re-slice. */
  text: string;
  /** On a merged (stored) event: the article the span points into. */
  article_id?: string;
}

/** One news report, as ingested. Only `text` is required. */
export interface Article {
  id?: string;
  title?: string | null;
  text: string;
  /** Publication date, YYYY-MM-DD; relative dates resolve against it. */
  date?: string | null;
  outlet?: string | null;
  url?: string | null;
  /** Country the report is about, if the feed says so (English name). */
  country?: string | null;
  language?: string | null;
}

/** ACLED's six event types, in ACLED's order; the one list every stage checks against. */
export const EVENT_TYPES = [
  'Battles',
  'Explosions/Remote violence',
  'Violence against civilians',
  'Protests',
  'Riots',
  'Strategic developments',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** ACLED actor types, used as interaction codes (inter1 / inter2). */
export type Inter = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface Actor {
  /** Canonical English name in ACLED's spelling, e.g. "Military Forces of Syria". */
  name: string;
  /** Arabic surface form as written in the article. */
  name_ar?: string;
  inter: Inter;
  /** Lexicon id of the actor, when it came from the lexicon. */
  id?: string;
  /** Side in the conflict (e.g. "government", "opposition", "sdf", "isis"). */
  side?: string;
}

/** ACLED geo_precision: 1 the place itself, 2 near/around it, 3 only a region. */
export type GeoPrecision = 1 | 2 | 3;

/** ACLED time_precision: 1 day known, 2 week known, 3 month known. */
export type TimePrecision = 1 | 2 | 3;

export type FeatureClass =
  | 'country'
  | 'admin1'
  | 'admin2'
  | 'admin3'
  | 'city'
  | 'town'
  | 'village'
  | 'neighbourhood'
  | 'landmark'
  | 'region'
  | 'other';

/** A place as the geoparser resolved it. */
export interface Location {
  /** English (or transliterated) name. */
  name: string;
  /** Arabic name as written in the article. */
  name_ar?: string;
  gazetteer_id?: string | null;
  feature_class?: FeatureClass;
  country?: string;
  iso?: string;
  admin1?: string;
  admin2?: string;
  admin3?: string;
  lat: number | null;
  lon: number | null;
  geo_precision: GeoPrecision;
  /** For relative expressions ("شمال شرقي معرة النعمان"): compass direction from the anchor. */
  direction?: string;
  /** 0..1: how sure the geoparser is of this placement. */
  confidence?: number;
}

export type EventStatus = 'occurred' | 'attempted' | 'failed';

export interface ConflictEvent {
  /** Stable id (assigned by extract per article; store assigns merged ids). */
  id?: string;
  event_type: EventType;
  sub_event_type: string;
  event_date: string | null;
  time_precision: TimePrecision;
  actor1: Actor | null;
  actor2: Actor | null;
  assoc_actor_1?: Actor[];
  assoc_actor_2?: Actor[];
  /** ACLED interaction code: the two inter codes, smaller first (e.g. 12). */
  interaction?: number;
  location: Location | null;
  fatalities: number;
  /** Per-side split when the report gives one, keyed by actor name. */
  fatalities_by_side?: Record<string, number>;
  wounded?: number;
  status: EventStatus;
  civilian_targeting: boolean;
  /** Who the article credits ("المرصد السوري لحقوق الإنسان", "سانا"), or null for the outlet's own voice. */
  reported_by: string | null;
  /** History, context, threats and intentions: mentioned, but not news. */
  background: boolean;
  /** Field name -> the spans of the article it came from. */
  evidence: Record<string, Evidence[]>;
  /** One English line in ACLED's style, built from the fields. */
  notes: string;
}

export type FigureKind = 'displaced' | 'killed_cumulative' | 'population' | 'other';

/** A humanitarian figure that is not an event (displaced, population, cumulative tolls). */
export interface Figure {
  kind: FigureKind;
  value: number;
  value_kind?: NumberKind;
  place?: string | null;
  /** Start of the period the figure covers, YYYY-MM or YYYY-MM-DD. */
  since?: string | null;
  source?: string | null;
  evidence: Evidence[];
}

/** Anything recognised in the text (place, actor, number, date, trigger), for highlighting. */
export interface Mention {
  kind: 'place' | 'actor' | 'number' | 'date' | 'trigger' | 'source';
  part: ArticlePart;
  start: number;
  end: number;
  text: string;
  /** What it was read as (place id, actor name, value, date, sub-event type ...). */
  value?: string | number;
}

export interface ExtractResult {
  id?: string;
  events: ConflictEvent[];
  figures: Figure[];
  mentions: Mention[];
  warnings: string[];
}

/** How sure a number reading is: ACLED codes vague words with fixed numbers. */
export type NumberKind = 'exact' | 'approximate' | 'at-least' | 'vague';
