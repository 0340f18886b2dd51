// What both engines share: article identity, the save-and-merge algorithm (written once against a
// small async repository interface), the rows derived from a stored event, and the filter -> WHERE
// translation (SQL fragments are fixed text chosen by which filters are set; values are always
// bound parameters).

import { createHash } from 'node:crypto';
import type { Article, ConflictEvent, ExtractResult, Figure } from '../types.js';
import type { EventFilter, EventSource, SaveResult, StoredArticle, StoredEvent, StoredFigure } from './types.js';
import { normalizeKey } from '../text/normalize.js';
import { bestMatch, dateWindow, gridCell, MAX_WINDOW_DAYS, DATE_SLACK_DAYS, mergeSources, neighbourCells, addDays } from '../resolve/merge.js';

// ---------------------------------------------------------------- identity

export function contentHash(a: Pick<Article, 'title' | 'text'>): string {
  return createHash('sha256')
    .update(normalizeKey(a.title ?? ''))
    .update('\n')
    .update(normalizeKey(a.text ?? ''))
    .digest('hex');
}

/** URL (without fragment, trimmed) when there is one, else the content hash. */
export function articleIdentity(a: Article): string {
  const url = typeof a.url === 'string' ? a.url.trim().replace(/#.*$/, '') : '';
  return url ? `url:${url}` : `hash:${contentHash(a)}`;
}

export function articleId(identity: string): string {
  return 'ar_' + createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

function eventId(articleId: string, index: number, version: string): string {
  return 'ev_' + createHash('sha256').update(`${articleId}:${index}:${version}`).digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- rows

export interface EventRow {
  id: string;
  event_date: string | null;
  date_lo: string | null;
  date_hi: string | null;
  time_precision: number;
  event_type: string;
  sub_event_type: string;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  lat: number | null;
  lon: number | null;
  cell: number | null;
  geo_precision: number | null;
  gazetteer_id: string | null;
  fatalities: number;
  fatalities_low: number;
  fatalities_high: number;
  background: number;
  actor1: string | null;
  actor2: string | null;
  actors_text: string;
  sources_text: string;
  search_text: string;
  json: string;
  created_at: string;
  updated_at: string;
}

const key = (s: string | null | undefined) => (s ? normalizeKey(s) : '');

export function eventRow(ev: StoredEvent): EventRow {
  const loc = ev.location;
  const w = dateWindow(ev.event_date, ev.time_precision);
  const hasXY = loc && typeof loc.lat === 'number' && typeof loc.lon === 'number';
  const actors = [ev.actor1, ev.actor2, ...(ev.assoc_actor_1 ?? []), ...(ev.assoc_actor_2 ?? [])].filter((a) => !!a);
  const srcActors = ev.sources.flatMap((s) => [s.event.actor1, s.event.actor2]).filter((a) => !!a);
  const actorsText = '|' + [...new Set([...actors, ...srcActors].flatMap((a) => [key(a!.name), key(a!.name_ar)]).filter(Boolean))].join('|') + '|';
  const sourcesText = '|' + [...new Set(ev.sources.flatMap((s) => [key(s.outlet), key(s.reported_by), key(s.url)]).filter(Boolean))].join('|') + '|';
  const search = [
    ev.event_type,
    ev.sub_event_type,
    ev.notes,
    loc?.name,
    loc?.name_ar,
    loc?.admin1,
    loc?.admin2,
    loc?.admin3,
    loc?.country,
    actorsText,
    sourcesText,
    ...ev.sources.flatMap((s) => Object.values(s.event.evidence ?? {}).flatMap((spans) => spans.map((sp) => sp.text))),
  ]
    .filter(Boolean)
    .map((s) => normalizeKey(String(s)))
    .join(' ')
    // Words only: PostgreSQL's parser would read "Shelling/artillery/missile" as one file-path token.
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return {
    id: ev.id,
    event_date: ev.event_date,
    date_lo: w?.lo ?? null,
    date_hi: w?.hi ?? null,
    time_precision: ev.time_precision,
    event_type: ev.event_type,
    sub_event_type: ev.sub_event_type,
    country: loc?.country ?? null,
    admin1: loc?.admin1 ?? null,
    admin2: loc?.admin2 ?? null,
    lat: hasXY ? loc!.lat : null,
    lon: hasXY ? loc!.lon : null,
    cell: hasXY ? gridCell(loc!.lat!, loc!.lon!) : null,
    geo_precision: loc?.geo_precision ?? null,
    gazetteer_id: loc?.gazetteer_id ?? null,
    fatalities: ev.fatalities_best,
    fatalities_low: ev.fatalities_low,
    fatalities_high: ev.fatalities_high,
    background: ev.background ? 1 : 0,
    actor1: ev.actor1?.name ?? null,
    actor2: ev.actor2?.name ?? null,
    actors_text: actorsText,
    sources_text: sourcesText,
    search_text: search,
    json: JSON.stringify(ev),
    created_at: ev.created_at,
    updated_at: ev.updated_at,
  };
}

export function articleSearchText(a: Article): string {
  return normalizeKey(`${a.title ?? ''} ${a.outlet ?? ''} ${a.text ?? ''}`).replace(/[^\p{L}\p{N}]+/gu, ' ');
}

/** Free text -> safe search tokens (letters and digits only), normalised like the index. */
export function searchTokens(q: string): string[] {
  return normalizeKey(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
}

// ---------------------------------------------------------------- repository

export interface CandidateQuery {
  /** Inclusive event_date bounds of the index range scan. */
  dateFrom: string;
  dateTo: string;
  /** Residual window filter: stored date_hi >= lo and date_lo <= hi. */
  lo: string;
  hi: string;
  background: number;
  cells: number[] | null;
  admin1: string | null;
  /** Set when the incoming event is region-level: admin1 candidates must have this exact type. */
  admin1SubEventType: string | null;
  gazetteer_id: string | null;
}

/** The storage operations the save algorithm needs; each engine implements them in its SQL. */
export interface Repo {
  findArticle(identity: string): Promise<{ id: string; extractor_version: string } | null>;
  insertArticle(a: StoredArticle, identity: string, searchText: string): Promise<void>;
  deleteArticle(id: string): Promise<void>;
  /** Remove the article's rows from event_sources and figures; return the events it contributed to. */
  detachArticle(id: string): Promise<string[]>;
  loadEvent(id: string): Promise<StoredEvent | null>;
  deleteEvent(id: string): Promise<void>;
  candidates(q: CandidateQuery): Promise<StoredEvent[]>;
  insertEvent(row: EventRow): Promise<void>;
  updateEvent(row: EventRow): Promise<void>;
  insertSource(eventId: string, s: EventSource): Promise<void>;
  insertFigure(f: StoredFigure): Promise<void>;
}

function validateResult(r: ExtractResult): void {
  if (!r || !Array.isArray(r.events)) throw new Error('extract result has no events array');
  for (const e of r.events) {
    if (!e || typeof e.event_type !== 'string' || typeof e.sub_event_type !== 'string')
      throw new Error('extract result has an event without event_type/sub_event_type');
  }
}

function rebuild(id: string, sources: EventSource[], createdAt: string, now: string): StoredEvent {
  const m = mergeSources(sources);
  return { ...m, id, sources, created_at: createdAt, updated_at: now };
}

/**
 * Store one article and merge its events. The caller wraps this in ONE transaction and serialises calls.
 * Identity = URL else content hash: same identity and extractor version -> duplicate, nothing written;
 * another version -> the article's old contributions are removed (events left without a source are
 * deleted, the others recomputed from their remaining sources) and the new extraction is merged.
 */
export async function saveArticleWith(
  repo: Repo,
  article: Article,
  result: ExtractResult,
  extractorVersion: string,
  sourcePath?: string,
): Promise<SaveResult> {
  if (!article || typeof article.text !== 'string') throw new Error('article has no text');
  validateResult(result);
  const identity = articleIdentity(article);
  const id = articleId(identity);
  const now = new Date().toISOString();
  const existing = await repo.findArticle(identity);
  const out: SaveResult = { article_id: existing?.id ?? id, duplicate: false, replaced: false, events_new: 0, events_merged: 0, figures: 0 };
  if (existing && existing.extractor_version === extractorVersion) return { ...out, duplicate: true };
  const aid = existing?.id ?? id;
  if (existing) {
    out.replaced = true;
    const touched = await repo.detachArticle(aid);
    for (const eid of touched) {
      const ev = await repo.loadEvent(eid);
      if (!ev) continue;
      const rest = ev.sources.filter((s) => s.article_id !== aid);
      if (rest.length === 0) await repo.deleteEvent(eid);
      else await repo.updateEvent(eventRow(rebuild(eid, rest, ev.created_at, now)));
    }
    await repo.deleteArticle(aid);
  }
  const stored: StoredArticle = {
    ...article,
    id: aid,
    external_id: article.id ?? null,
    content_hash: contentHash(article),
    extractor_version: extractorVersion,
    ingested_at: now,
    source_path: sourcePath ?? null,
  };
  await repo.insertArticle(stored, identity, articleSearchText(article));

  for (let i = 0; i < result.events.length; i++) {
    const raw = result.events[i];
    // An undated event is dated by its report (GUIDELINES: an unmarked report gives the publication date).
    const ev: ConflictEvent = raw.event_date || !article.date ? raw : { ...raw, event_date: article.date };
    const src: EventSource = {
      article_id: aid,
      outlet: article.outlet ?? null,
      url: article.url ?? null,
      reported_by: ev.reported_by ?? null,
      published: article.date ?? null,
      fatalities: Number.isFinite(ev.fatalities) ? ev.fatalities : 0,
      event: ev,
    };
    const match = await findMatch(repo, ev, aid);
    if (match) {
      const sources = [...match.sources, src];
      await repo.updateEvent(eventRow(rebuild(match.id, sources, match.created_at, now)));
      await repo.insertSource(match.id, src);
      out.events_merged++;
    } else {
      const eid = eventId(aid, i, extractorVersion);
      await repo.insertEvent(eventRow(rebuild(eid, [src], now, now)));
      await repo.insertSource(eid, src);
      out.events_new++;
    }
  }
  const figures: Figure[] = Array.isArray(result.figures) ? result.figures : [];
  for (let i = 0; i < figures.length; i++) {
    await repo.insertFigure({ ...figures[i], id: `${aid}:f${i}`, article_id: aid, published: article.date ?? null });
    out.figures++;
  }
  return out;
}

async function findMatch(repo: Repo, ev: ConflictEvent, articleId: string): Promise<StoredEvent | null> {
  const w = dateWindow(ev.event_date, ev.time_precision);
  const loc = ev.location;
  if (!w || !loc) return null;
  const hasXY = typeof loc.lat === 'number' && typeof loc.lon === 'number';
  const cands = await repo.candidates({
    dateFrom: addDays(w.lo, -(MAX_WINDOW_DAYS)),
    dateTo: addDays(w.hi, MAX_WINDOW_DAYS),
    lo: addDays(w.lo, -DATE_SLACK_DAYS),
    hi: addDays(w.hi, DATE_SLACK_DAYS),
    background: ev.background ? 1 : 0,
    cells: hasXY ? neighbourCells(loc.lat!, loc.lon!) : null,
    admin1: loc.admin1 ?? null,
    admin1SubEventType: loc.geo_precision === 3 ? ev.sub_event_type : null,
    gazetteer_id: loc.gazetteer_id ?? null,
  });
  // One article's events are distinct by its own coding: never merge two of them.
  return bestMatch(
    cands.filter((c) => !c.sources.some((s) => s.article_id === articleId)),
    ev,
  );
}

// ---------------------------------------------------------------- filters

export interface Dialect {
  /** Next placeholder ('?' or '$n') for a bound value. */
  param(v: unknown): string;
  /** Text-search condition on the events table aliased `e`, given safe tokens. */
  textSearch(tokens: string[]): string;
  /** Substring test: instr() in SQLite, strpos() in PostgreSQL. */
  contains(column: string, param: string): string;
}

/** WHERE clause (without the keyword) for an event filter; '1=1' when empty. */
export function eventWhere(f: EventFilter, d: Dialect): string {
  const w: string[] = [];
  if (f.from) w.push(`e.event_date >= ${d.param(f.from)}`);
  if (f.to) w.push(`e.event_date <= ${d.param(f.to)}`);
  if (f.country) w.push(`e.country = ${d.param(f.country)}`);
  if (f.admin1) w.push(`e.admin1 = ${d.param(f.admin1)}`);
  if (f.admin2) w.push(`e.admin2 = ${d.param(f.admin2)}`);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox.map(Number);
    w.push(`e.lat BETWEEN ${d.param(minLat)} AND ${d.param(maxLat)} AND e.lon BETWEEN ${d.param(minLon)} AND ${d.param(maxLon)}`);
  }
  if (f.event_type?.length) w.push(`e.event_type IN (${f.event_type.map((t) => d.param(t)).join(', ')})`);
  if (f.sub_event_type?.length) w.push(`e.sub_event_type IN (${f.sub_event_type.map((t) => d.param(t)).join(', ')})`);
  if (f.actor && key(f.actor)) w.push(d.contains('e.actors_text', d.param(key(f.actor))));
  if (f.source && key(f.source)) w.push(d.contains('e.sources_text', d.param(key(f.source))));
  if (typeof f.min_fatalities === 'number' && f.min_fatalities > 0) w.push(`e.fatalities >= ${d.param(f.min_fatalities)}`);
  if (typeof f.background === 'boolean') w.push(`e.background = ${d.param(f.background ? 1 : 0)}`);
  if (f.q) {
    const toks = searchTokens(f.q);
    if (toks.length) w.push(d.textSearch(toks));
  }
  return w.length ? w.join(' AND ') : '1=1';
}

export function eventOrder(sort: EventFilter['sort']): string {
  switch (sort) {
    case 'event_date':
      return 'e.event_date ASC NULLS LAST, e.seq ASC';
    case 'fatalities':
      return 'e.fatalities ASC, e.seq ASC';
    case '-fatalities':
      return 'e.fatalities DESC, e.seq DESC';
    default:
      return 'e.event_date DESC NULLS LAST, e.seq DESC';
  }
}

export function pageBounds(f: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = Math.max(0, Math.min(1000, Math.floor(Number(f.limit ?? 50)) || 0));
  const offset = Math.max(0, Math.floor(Number(f.offset ?? 0)) || 0);
  return { limit: f.limit === undefined ? 50 : limit, offset };
}
