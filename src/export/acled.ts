// A stored (merged) event as one ACLED row: ACLED's columns, in ACLED's order, with ACLED's
// conventions (interaction codes, disorder type, iso numeric, region, source_scale), followed by
// Marsad's extension columns (per-source figures, evidence). Pure: no I/O beyond loading the
// two lexicon tables once.

import { createHash } from 'node:crypto';
import type { Actor, EventType } from '../types.js';
import type { StoredEvent } from '../store/types.js';
import { list, loadTable } from '../lexicon/table.js';
import { normalizeKey } from '../text/normalize.js';

/** ACLED's columns, exactly and in order (ACLED export format). */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;

/**
 * Marsad's extension, as extra columns AFTER ACLED's (a reader selecting ACLED columns by name
 * never sees them; `--acled-only` drops them).
 */
export const MARSAD_COLUMNS = [
  'fatalities_low',
  'fatalities_high',
  'fatalities_by_source',
  'reported_by',
  'evidence',
  'article_urls',
  'marsad_id',
] as const;

export type AcledColumn = (typeof ACLED_COLUMNS)[number];
export type MarsadColumn = (typeof MARSAD_COLUMNS)[number];
export type AcledRow = Record<AcledColumn | MarsadColumn, string | number | null>;

interface CountryInfo {
  country: string;
  iso3: string;
  iso: number;
  region: string;
}

interface ScaleEntry {
  scale: string;
  names: string[]; // normalised
}

let countries: Map<string, CountryInfo> | null = null;
let scales: ScaleEntry[] | null = null;

function countryTable(): Map<string, CountryInfo> {
  if (countries) return countries;
  const m = new Map<string, CountryInfo>();
  for (const r of loadTable('acled-countries.tsv')) {
    const info: CountryInfo = { country: r.country, iso3: r.iso3, iso: Number(r.iso), region: r.region };
    for (const name of [r.country, r.iso3, ...list(r.names)]) m.set(normalizeKey(name).toLowerCase(), info);
  }
  return (countries = m);
}

function scaleTable(): ScaleEntry[] {
  if (scales) return scales;
  return (scales = loadTable('acled-source-scale.tsv').map((r) => ({
    scale: r.scale,
    names: [r.source, ...list(r.names)].map((n) => normalizeKey(n).toLowerCase()),
  })));
}

/** Look-ups by raw string, memoised: an export meets the same few country and outlet names a million times. */
function memo<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size > 10_000) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}

const countryByName = memo((name: string) => countryTable().get(normalizeKey(name).toLowerCase()) ?? null);

/** ISO codes and ACLED region for a country name (English or Arabic), if known. */
export function countryInfo(name: string | null | undefined): CountryInfo | null {
  return name ? countryByName(name) : null;
}

/** Whole-word containment on normalised strings (so "العربية" does not match inside SANA's full name
 *  when a longer name matches; the longest matching name wins). */
function containsWords(hay: string, needle: string): boolean {
  const i = ` ${hay} `.indexOf(` ${needle} `);
  return i >= 0;
}

const scaleByName = memo((name: string): string | null => {
  const key = normalizeKey(name).toLowerCase();
  let best: { scale: string; len: number } | null = null;
  for (const e of scaleTable())
    for (const n of e.names)
      if (n && containsWords(key, n) && (!best || n.length > best.len)) best = { scale: e.scale, len: n.length };
  return best?.scale ?? null;
});

/** ACLED source_scale of one source name (outlet or reported_by), or null when unknown. */
export function sourceScale(name: string | null | undefined): string | null {
  return name ? scaleByName(name) : null;
}

const DISORDER: Record<EventType, string> = {
  Battles: 'Political violence',
  'Explosions/Remote violence': 'Political violence',
  'Violence against civilians': 'Political violence',
  Protests: 'Demonstrations',
  Riots: 'Demonstrations',
  'Strategic developments': 'Strategic developments',
};

/** ACLED disorder_type: from the event type, except demonstrations met with force, which ACLED counts as both. */
export function disorderType(eventType: string, subEventType: string): string {
  if (subEventType === 'Excessive force against protesters' || subEventType === 'Protest with intervention')
    return 'Political violence; Demonstrations';
  return DISORDER[eventType as EventType] ?? '';
}

/** ACLED interaction: the two inter codes, smaller first ("12"); one actor alone gives e.g. "10". */
export function interaction(inter1: number | null | undefined, inter2: number | null | undefined): number | null {
  const a = inter1 ?? 0;
  const b = inter2 ?? 0;
  if (!a && !b) return null;
  if (!a || !b) return (a || b) * 10;
  return Math.min(a, b) * 10 + Math.max(a, b);
}

/**
 * The number part of event_id_cnty: the store's id if numeric, else 52 bits of its hash in decimal
 * (up to 16 digits). Stable across exports; 52 bits keep the chance of any collision among a million
 * events near 1 in 10 000, where 9 digits would collide hundreds of times.
 */
export function eventNumber(id: string): string {
  if (/^\d+$/.test(id)) return String(Number(id));
  const m = /^[a-z]+_([0-9a-f]{13,})$/i.exec(id); // the store's ids are already hashes: "ev_<hex>"
  const hex = m ? m[1] : createHash('sha1').update(id).digest('hex');
  return String(parseInt(hex.slice(0, 13), 16));
}

function actorName(a: Actor | null | undefined): string {
  return a?.name ?? '';
}

function actorList(as: Actor[] | undefined): string {
  return (as ?? []).map((a) => a.name).filter(Boolean).join('; ');
}

function uniq(xs: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const x of xs) if (x && !out.includes(x)) out.push(x);
  return out;
}

/** Coordinates as ACLED prints them: at most 4 decimals (about 11 m). */
function coord(x: number | null | undefined): number | null {
  return x == null || !Number.isFinite(x) ? null : Number(x.toFixed(4));
}

function unixSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

/** The source kinds: each reporting organisation and each outlet, in the order sources were stored. */
export function sourceNames(e: StoredEvent): string[] {
  const names: (string | null)[] = [];
  for (const s of e.sources ?? []) names.push(s.reported_by, s.outlet);
  if (!e.sources?.length) names.push(e.reported_by);
  return uniq(names);
}

/** ACLED source_scale: known scales of the event's sources joined with "-"; unknown outlets count as National. */
export function eventSourceScale(e: StoredEvent): string {
  const out: string[] = [];
  let unknownOutlet = false;
  for (const s of e.sources ?? []) {
    for (const n of [s.reported_by, s.outlet]) {
      if (!n) continue;
      const sc = sourceScale(n);
      if (sc && !out.includes(sc)) out.push(sc);
      if (!sc && n === s.outlet) unknownOutlet = true;
    }
  }
  if (!e.sources?.length && e.reported_by) {
    const sc = sourceScale(e.reported_by);
    if (sc) out.push(sc);
  }
  if (out.length === 0) return unknownOutlet ? 'National' : 'Other';
  return out.join('-');
}

/** One ACLED row (plus Marsad columns) for a stored event. Empty cells are null. */
export function acledRow(e: StoredEvent): AcledRow {
  const loc = e.location;
  const info = countryInfo(loc?.country) ?? (loc?.iso ? countryInfo(loc.iso) : null);
  const inter1 = e.actor1?.inter ?? null;
  const inter2 = e.actor2?.inter ?? null;
  const bySource: Record<string, number> = {};
  for (const s of e.sources ?? []) {
    // Only sources that gave a number of dead (0 usually means "no figure given").
    if (!(s.fatalities > 0)) continue;
    const key = s.reported_by ?? s.outlet ?? s.url ?? s.article_id;
    // One source crediting the same figure twice (two articles) keeps the highest it gave.
    bySource[key] = Math.max(bySource[key] ?? 0, s.fatalities);
  }
  const fatalities = e.fatalities_best ?? e.fatalities;
  return {
    event_id_cnty: `${info?.iso3 ?? (loc?.iso && loc.iso.length === 3 ? loc.iso.toUpperCase() : 'XXX')}${eventNumber(e.id)}`,
    event_date: e.event_date,
    year: e.event_date ? Number(e.event_date.slice(0, 4)) : null,
    time_precision: e.time_precision,
    disorder_type: disorderType(e.event_type, e.sub_event_type),
    event_type: e.event_type,
    sub_event_type: e.sub_event_type,
    actor1: actorName(e.actor1),
    assoc_actor_1: actorList(e.assoc_actor_1),
    inter1,
    actor2: actorName(e.actor2),
    assoc_actor_2: actorList(e.assoc_actor_2),
    inter2,
    interaction: e.interaction ?? interaction(inter1, inter2),
    civilian_targeting: e.civilian_targeting ? 'Civilian targeting' : '',
    iso: info?.iso ?? null,
    region: info?.region ?? '',
    country: info?.country ?? loc?.country ?? '',
    admin1: loc?.admin1 ?? '',
    admin2: loc?.admin2 ?? '',
    admin3: loc?.admin3 ?? '',
    location: loc?.name ?? '',
    latitude: coord(loc?.lat),
    longitude: coord(loc?.lon),
    geo_precision: loc ? loc.geo_precision : null,
    source: sourceNames(e).join('; '),
    source_scale: eventSourceScale(e),
    notes: e.notes ?? '',
    fatalities,
    tags: '',
    timestamp: unixSeconds(e.updated_at),
    fatalities_low: e.fatalities_low ?? fatalities,
    fatalities_high: e.fatalities_high ?? fatalities,
    fatalities_by_source: Object.keys(bySource).length ? JSON.stringify(bySource) : '',
    reported_by: uniq((e.sources?.length ? e.sources.map((s) => s.reported_by) : [e.reported_by])).join('; '),
    evidence: JSON.stringify(e.evidence ?? {}),
    article_urls: uniq((e.sources ?? []).map((s) => s.url)).join('; '),
    marsad_id: e.id,
  };
}
