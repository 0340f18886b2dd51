// What both engines share: article identity, the save-and-merge algorithm (written once against a
// small async repository interface), the rows derived from a stored event, and the filter -> WHERE
// translation (SQL fragments are fixed text chosen by which filters are set; values are always
// bound parameters).

import { createHash } from 'node:crypto';
import type { Article, ConflictEvent, Evidence, ExtractResult, Figure } from '../types.js';
import type { EventFilter, EventSource, Precomputed, SaveResult, StoredArticle, StoredEvent, StoredFigure } from './types.js';
import { normalizeKey, normalizeKeyCached } from '../text/normalize.js';
import { memoize } from '../text/memo.js';
import { runScanner } from '../text/runs.js';
import { bestMatch, compatibleSubEventTypes, reduceFigures, dateWindow, gridCell, CELL_DEGREES, DATE_SLACK_DAYS, mergeSources, mergeStep, neighbourCells, addDays, type SourceFigure } from '../resolve/merge.js';

/** A stored event without its sources (what the events table's json column holds). */
export type EventCore = Omit<StoredEvent, 'sources'>;

// ---------------------------------------------------------------- identity

/**
 * An article's title, outlet and text, each through normalizeKey: the content hash and the search text
 * both read them, so an ingest normalises the whole text once, not once for each.
 */
export interface ArticleKeys {
  title: string;
  outlet: string;
  text: string;
}

export function articleKeys(a: Pick<Article, 'title' | 'outlet' | 'text'>): ArticleKeys {
  return { title: normalizeKey(a.title ?? ''), outlet: normalizeKey(a.outlet ?? ''), text: normalizeKey(a.text ?? '') };
}

export function contentHash(a: Pick<Article, 'title' | 'text'>, keys?: ArticleKeys): string {
  return createHash('sha256')
    .update(keys ? keys.title : normalizeKey(a.title ?? ''))
    .update('\n')
    .update(keys ? keys.text : normalizeKey(a.text ?? ''))
    .digest('hex');
}

/** URL (without fragment, trimmed) when there is one, else the content hash. */
export function articleIdentity(a: Article, hash?: string): string {
  const url = typeof a.url === 'string' ? a.url.trim().replace(/#.*$/, '') : '';
  return url ? `url:${url}` : `hash:${hash ?? contentHash(a)}`;
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
  /** Hash of search_text: the full-text index is rewritten only when it changes. */
  search_hash: string;
  /**
   * The core JSON without evidence (what candidate matching reads). The merged event's evidence is the
   * union of its sources' evidence, rebuilt on read from event_sources instead of being stored twice.
   */
  json: string;
  /** JSON array of the distinct evidence texts of all sources: the searchable words, kept small. */
  evidence_texts: string;
  /** JSON {n: source count, f: reduceFigures() of the sources' figures, in order}: a merge reads it with the candidate. */
  source_figures: string;
  created_at: string;
  updated_at: string;
}

/**
 * The fields of a stored event that sameEvent/bestMatch read (src/resolve/merge.ts), copied: a store can
 * keep these for its candidates and read a whole event only for the one that matches.
 */
export type MatchProbe = Pick<EventCore, 'id' | 'created_at' | 'background' | 'event_type' | 'sub_event_type' | 'event_date' | 'time_precision' | 'location' | 'actor1' | 'actor2'>;

export function matchProbe(ev: EventCore): MatchProbe {
  const l = ev.location;
  return {
    id: ev.id,
    created_at: ev.created_at,
    background: ev.background,
    event_type: ev.event_type,
    sub_event_type: ev.sub_event_type,
    event_date: ev.event_date,
    time_precision: ev.time_precision,
    location: l && { name: l.name, name_ar: l.name_ar, gazetteer_id: l.gazetteer_id, admin1: l.admin1, lat: l.lat, lon: l.lon, geo_precision: l.geo_precision },
    actor1: ev.actor1 && { name: ev.actor1.name, inter: ev.actor1.inter },
    actor2: ev.actor2 && { name: ev.actor2.name, inter: ev.actor2.inter },
  };
}

/** The probe eventRow() attached to a row (not a column: not enumerable, so never serialised). */
export function rowProbe(row: EventRow): MatchProbe | undefined {
  return (row as EventRow & { probe?: MatchProbe }).probe;
}

// Merged events are rewritten with the same names and evidence texts again and again: each is
// normalised once (normalizeKeyCached), and its search piece made once.
const key = (s: string | null | undefined) => (s ? normalizeKeyCached(s) : '');

// Words only: PostgreSQL's parser would read "Shelling/artillery/missile" as one file-path token.
const searchPiece = memoize((s) => withBareForms(normalizeKeyCached(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()));

/** The distinct evidence texts of some sources (for the full-text index). */
export function evidenceTexts(sources: EventSource[], into: Set<string> = new Set()): Set<string> {
  for (const s of sources) for (const spans of Object.values(s.event.evidence ?? {})) for (const sp of spans) if (sp?.text) into.add(sp.text);
  return into;
}

/** The merged event's evidence: every source's spans, each tagged with its article, in source order. */
export function unionEvidence(sources: EventSource[]): Record<string, Evidence[]> {
  const out: Record<string, Evidence[]> = {};
  for (const s of sources)
    for (const [field, spans] of Object.entries(s.event.evidence ?? {})) for (const sp of spans) (out[field] ??= []).push({ ...sp, article_id: s.article_id });
  return out;
}

/** What search_hash holds: the full-text row is rewritten only when this changes. */
export function searchHash(searchText: string): string {
  return createHash('sha1').update(searchText).digest('hex').slice(0, 16);
}

/**
 * The event's full-text row: its types, notes, place names, actors, outlets and every source's evidence,
 * each piece normalised and cut into words, then its period tokens (periodTokens). Built from what the
 * events row keeps (json, actors_text, sources_text, evidence_texts), so a migration can rebuild it.
 */
export function eventSearchText(ev: Pick<EventCore, 'event_type' | 'sub_event_type' | 'notes' | 'location' | 'event_date'>, actorsText: string, sourcesText: string, texts: Iterable<string>): string {
  const loc = ev.location;
  // Each piece is normalised, cut into words and given its bare forms once (memoised): a merged event
  // is rewritten with the same evidence texts again and again.
  const words = [ev.event_type, ev.sub_event_type, ev.notes, loc?.name, loc?.name_ar, loc?.admin1, loc?.admin2, loc?.admin3, loc?.country, actorsText, sourcesText, ...texts]
    .filter(Boolean)
    .map((s) => searchPiece(String(s)))
    .filter(Boolean)
    .join(' ');
  const period = periodTokens(ev.event_date);
  return period ? `${words} ${period}` : words;
}

// ---------------------------------------------------------------- period tokens
// A text search over 1M events matches tens of thousands of rows across all years; looking each up to
// test its date costs more than the match. The event's year and month ride in its full-text row as
// words no text contains ("yr2020", "ym202001"), so a search bounded by dates asks the full-text index
// for those periods too and gets back only rows that can pass the date test (which is still applied).

const YEAR_MONTH = /^(\d{4})-(\d{2})/;

/** "yr2020 ym202001" for an event dated 2020-01-26; '' without a date. */
export function periodTokens(eventDate: string | null | undefined): string {
  const m = eventDate ? YEAR_MONTH.exec(eventDate) : null;
  return m ? `yr${m[1]} ym${m[1]}${m[2]}` : '';
}

/** Longest range asked by months, then by years; a longer one adds no period clause. */
const MAX_MONTHS = 13;
const MAX_YEARS = 4;

/**
 * The period tokens one of which every event dated from..to holds (ORed), or null when the range is
 * open or too long for them to narrow the match.
 */
export function periodTerms(from: string | undefined, to: string | undefined): string[] | null {
  const a = from ? YEAR_MONTH.exec(from) : null;
  const b = to ? YEAR_MONTH.exec(to) : null;
  if (!a || !b) return null;
  const [y0, m0, y1, m1] = [a[1], a[2], b[1], b[2]].map(Number);
  const months = (y1 - y0) * 12 + (m1 - m0) + 1;
  if (months < 1) return null;
  const out: string[] = [];
  if (months <= MAX_MONTHS) {
    for (let i = 0; i < months; i++) {
      const y = y0 + Math.floor((m0 - 1 + i) / 12);
      const m = ((m0 - 1 + i) % 12) + 1;
      out.push(`ym${y}${String(m).padStart(2, '0')}`);
    }
    return out;
  }
  if (y1 - y0 + 1 > MAX_YEARS) return null;
  for (let y = y0; y <= y1; y++) out.push(`yr${y}`);
  return out;
}

/** `sources`: the figures of every source, or a reduceFigures() subset of them; `count`: how many sources. */
export function eventRow(ev: EventCore, sources: SourceFigure[], texts: Set<string>, count = sources.length): EventRow {
  const loc = ev.location;
  const w = dateWindow(ev.event_date, ev.time_precision);
  const hasXY = loc && typeof loc.lat === 'number' && typeof loc.lon === 'number';
  const actors = [ev.actor1, ev.actor2, ...(ev.assoc_actor_1 ?? []), ...(ev.assoc_actor_2 ?? [])].filter((a) => !!a);
  const actorsText = '|' + [...new Set(actors.flatMap((a) => [key(a!.name), key(a!.name_ar)]).filter(Boolean))].join('|') + '|';
  const sourcesText = '|' + [...new Set(sources.flatMap((s) => [key(s.outlet), key(s.reported_by)]).filter(Boolean))].join('|') + '|';
  const searchText = eventSearchText(ev, actorsText, sourcesText, texts);
  const row: EventRow = {
    search_hash: searchHash(searchText),
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
    search_text: searchText,
    json: JSON.stringify({ ...ev, evidence: undefined }),
    evidence_texts: JSON.stringify([...texts]),
    source_figures: JSON.stringify({
      n: count,
      f: reduceFigures(sources).map((f) => ({ reported_by: f.reported_by, outlet: f.outlet, published: f.published, fatalities: f.fatalities })),
    }),
    created_at: ev.created_at,
    updated_at: ev.updated_at,
  };
  Object.defineProperty(row, 'probe', { value: matchProbe(ev), enumerable: false });
  return row;
}

/**
 * The article's full-text row: normalised title, outlet and text, words only, with their bare forms.
 * normalizeKey collapses and trims spaces, so the keys joined by one space equal normalizeKey of the
 * three joined (core.test.ts checks it on edge cases).
 */
export function articleSearchText(a: Article, keys: ArticleKeys = articleKeys(a)): string {
  return wordsWithBareForms([keys.title, keys.outlet, keys.text].filter(Boolean).join(' '));
}

const wordRuns = runScanner(/^[\p{L}\p{N}]$/u);

/** withBareForms(text.replace(/[^\p{L}\p{N}]+/gu, ' ')) in one pass (src/text/runs.ts). */
export function wordsWithBareForms(text: string): string {
  const out: string[] = [];
  let extra: Set<string> | null = null;
  let last = 0;
  wordRuns(text, (start, end) => {
    if (start > last) out.push(' '); // the characters between two words, or before the first, are one space
    const w = text.slice(start, end);
    out.push(w);
    const b = bareForm(w);
    if (b !== w) (extra ??= new Set()).add(b);
    last = end;
  });
  if (last < text.length) out.push(' ');
  const words = out.join('');
  return extra ? `${words} ${[...extra].join(' ')}` : words;
}

// Arabic glues proclitics to the word: و/ف (and), ب/ل/ك (in, to, like), ال (the): "بمعرة", "والنيرب".
const PROCLITICS = /^(?:[وف])?(?:بال|كال|لل|ال|[بلك])?/;
const DETERMINER = /^(?:[وف])?(?:بال|كال|لل|ال)/;
const ARABIC_WORD = /^[\u0621-\u064a]+$/;

/** A normalised Arabic word without its proclitics, when at least 3 letters remain. */
export function bareForm(word: string, re: RegExp = PROCLITICS): string {
  if (!ARABIC_WORD.test(word)) return word;
  const m = re.exec(word)?.[0] ?? '';
  return m && word.length - m.length >= 3 ? word.slice(m.length) : word;
}

/** Index text: every word, plus each Arabic word without its proclitics (so "بمعرة" is found by "معرة"). */
export function withBareForms(text: string): string {
  const extra = new Set<string>();
  for (const w of text.split(' ')) {
    const b = bareForm(w);
    if (b !== w) extra.add(b);
  }
  return extra.size ? `${text} ${[...extra].join(' ')}` : text;
}

/**
 * Free text -> search terms, normalised like the index (letters and digits only, so safe inside a
 * full-text query). Each term is a list of alternatives: a word typed with the article ("النعمان")
 * also matches its bare form; clitics typed by the user beyond the article are kept as typed.
 */
export function searchTokens(q: string): string[][] {
  return normalizeKey(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16)
    .map((t) => {
      // Every indexed word with the article is indexed with its bare form too (withBareForms strips the
      // same prefix), so the bare form alone finds both: one doclist to read instead of two.
      const b = bareForm(t, DETERMINER);
      return b !== t && bareForm(t) === b ? [b] : b !== t ? [t, b] : [t];
    });
}

/** SQLite FTS5 query: prefix terms, alternatives ORed, terms ANDed. */
// Whole words, except the last one, which is a prefix (as typed: "artill" finds "artillery"); exact
// terms are several times cheaper than prefix scans on a large index.
export function fts5Query(terms: string[][], period?: string[] | null): string {
  const term = (t: string, last: boolean) => (last ? `"${t}"*` : `"${t}"`);
  const words = terms
    .map((alts, i) => {
      const last = i === terms.length - 1;
      return alts.length > 1 ? `(${alts.map((t) => term(t, last)).join(' OR ')})` : term(alts[0], last);
    })
    .join(' AND ');
  // Period tokens are whole words (periodTerms).
  return period?.length ? `${words} AND (${period.map((t) => term(t, false)).join(' OR ')})` : words;
}

/** PostgreSQL tsquery: the same. */
export function tsQuery(terms: string[][]): string {
  const term = (t: string, last: boolean) => (last ? `${t}:*` : t);
  return terms
    .map((alts, i) => {
      const last = i === terms.length - 1;
      return alts.length > 1 ? `(${alts.map((t) => term(t, last)).join(' | ')})` : term(alts[0], last);
    })
    .join(' & ');
}

// ---------------------------------------------------------------- repository

export interface CandidateQuery {
  /** The incoming event's window widened by the reporting slack (inclusive YYYY-MM-DD). */
  lo: string;
  hi: string;
  background: number;
  cells: number[] | null;
  admin1: string | null;
  /** The incoming event is region-level (precision 3): admin1 candidates must have this exact type. */
  regionSubEventType: string | null;
  gazetteer_id: string | null;
  /** Sub-event types compatible with the incoming one (typesCompatible): others cannot match. */
  sub_event_types?: string[];
  /**
   * The incoming event is at geo_precision 1 with this gazetteer id: a stored precision-1 event with
   * ANOTHER gazetteer id is another place (placesCompatible) and is not read.
   */
  exact_place?: string | null;
}

/**
 * WHERE clauses (one query each) that find every stored event whose window overlaps [lo, hi] near the
 * place, each an index range: (cell, time_precision, event_date) with day/week-level events within
 * +/- 3 days and month-level ones within +/- 31; (admin1, geo_precision, event_date) for region-level
 * events; gazetteer id when there are no coordinates. Residual filters drop non-overlapping windows and
 * events that already have a source from the incoming article.
 */
export function candidateWheres(q: CandidateQuery, exclude: string, dialect: () => Dialect & { params: unknown[] }): { where: string; params: unknown[] }[] {
  const out: { where: string; params: unknown[] }[] = [];
  // Cheap column tests first: only rows that can pass sameEvent are read and parsed.
  // (SQLite's cell index holds the type, place and background columns: those tests come first and run
  // on the index entry; the row is read only for the rest.)
  const residual = (d: Dialect) =>
    (q.sub_event_types?.length ? `AND ${d.inList('sub_event_type', q.sub_event_types)} ` : '') +
    (q.exact_place ? `AND (gazetteer_id = ${d.param(q.exact_place)} OR gazetteer_id IS NULL OR geo_precision <> 1) ` : '') +
    `AND background = ${d.param(q.background)} AND date_hi >= ${d.param(q.lo)} AND date_lo <= ${d.param(q.hi)}` +
    ` AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = events.id AND s.article_id = ${d.param(exclude)})`;
  const near = (days: number) => ({ from: addDays(q.lo, -days), to: addDays(q.hi, days) });
  if (q.cells) {
    for (const [prec, days] of [['1, 2', 3], ['3', 31]] as const) {
      const d = dialect();
      const r = near(days);
      out.push({
        where: `${d.inList('cell', q.cells)} AND time_precision IN (${prec}) AND event_date BETWEEN ${d.param(r.from)} AND ${d.param(r.to)} ${residual(d)}`,
        params: d.params,
      });
    }
  } else if (q.gazetteer_id) {
    const d = dialect();
    const r = near(31);
    out.push({ where: `gazetteer_id = ${d.param(q.gazetteer_id)} AND event_date BETWEEN ${d.param(r.from)} AND ${d.param(r.to)} ${residual(d)}`, params: d.params });
  }
  if (q.admin1) {
    const d = dialect();
    const r = near(31);
    const which = q.regionSubEventType ? `geo_precision IN (1, 2, 3) AND sub_event_type = ${d.param(q.regionSubEventType)}` : 'geo_precision = 3';
    out.push({
      where: `admin1 = ${d.param(q.admin1)} AND ${which} AND event_date BETWEEN ${d.param(r.from)} AND ${d.param(r.to)} ${residual(d)}`,
      params: d.params,
    });
  }
  return out;
}

/** The storage operations the save algorithm needs; each engine implements them in its SQL. */
export interface Repo {
  findArticle(identity: string): Promise<{ id: string; extractor_version: string } | null>;
  insertArticle(a: StoredArticle, identity: string, searchText: string): Promise<void>;
  deleteArticle(id: string): Promise<void>;
  /** Remove the article's rows from event_sources and figures; return the events it contributed to. */
  detachArticle(id: string): Promise<string[]>;
  loadCore(id: string): Promise<EventCore | null>;
  /** The event's sources in the order they were added. */
  loadSources(id: string): Promise<EventSource[]>;
  /** The distinct evidence texts stored with the event. */
  evidenceTexts(id: string): Promise<string[]>;
  /** The same, only the figure columns (no JSON parsing). */
  sourceFigures(id: string): Promise<{ figures: SourceFigure[]; count: number }>;
  deleteEvent(id: string): Promise<void>;
  /** Events in the index ranges of `q` with no source from `excludeArticle` (evidence not loaded). */
  candidates(q: CandidateQuery, excludeArticle: string): Promise<EventCore[]>;
  /** Optional: bestMatch(candidates(q, excludeArticle), ev) answered by the store itself (SQLite tests light probes). */
  match?(q: CandidateQuery, excludeArticle: string, ev: ConflictEvent): Promise<EventCore | null>;
  insertEvent(row: EventRow): Promise<void>;
  updateEvent(row: EventRow): Promise<void>;
  insertSource(eventId: string, ord: number, s: EventSource): Promise<void>;
  insertFigure(f: StoredFigure): Promise<void>;
}

/** The checks saveArticleWith makes before writing anything (a store can make them before opening a transaction). */
export function checkSave(article: Article, result: ExtractResult): void {
  if (!article || typeof article.text !== 'string') throw new Error('article has no text');
  validateResult(result);
}

function validateResult(r: ExtractResult): void {
  if (!r || !Array.isArray(r.events)) throw new Error('extract result has no events array');
  for (const e of r.events) {
    if (!e || typeof e.event_type !== 'string' || typeof e.sub_event_type !== 'string')
      throw new Error('extract result has an event without event_type/sub_event_type');
  }
}

function figureOf(s: EventSource): SourceFigure {
  return { reported_by: s.reported_by, outlet: s.outlet, published: s.published, fatalities: s.fatalities };
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
  opts: { merge?: boolean; precomputed?: Precomputed } = {},
): Promise<SaveResult> {
  checkSave(article, result);
  const hash = opts.precomputed?.content_hash ?? contentHash(article);
  const identity = articleIdentity(article, hash);
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
      const ev = await repo.loadCore(eid);
      if (!ev) continue;
      const rest = await repo.loadSources(eid);
      if (rest.length === 0) await repo.deleteEvent(eid);
      else {
        const merged = mergeSources(rest);
        await repo.updateEvent(eventRow({ ...merged, id: eid, created_at: ev.created_at, updated_at: now }, rest.map(figureOf), evidenceTexts(rest)));
      }
    }
    await repo.deleteArticle(aid);
  }
  const stored: StoredArticle = {
    ...article,
    id: aid,
    external_id: article.id ?? null,
    content_hash: hash,
    extractor_version: extractorVersion,
    ingested_at: now,
    source_path: sourcePath ?? null,
  };
  await repo.insertArticle(stored, identity, opts.precomputed?.search_text ?? articleSearchText(article));

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
    // merge: false (bulk loading of a corpus known to hold no duplicates): every event is stored as new.
    const match = opts.merge === false ? null : await findMatch(repo, ev, aid);
    if (match) {
      // Candidates are read whole (only the evidence lives apart, in the sources).
      const full: EventCore = { ...match, evidence: match.evidence ?? {} };
      // The stored figures may be reduced (reduceFigures): same low/best/high, every source name.
      const prev = await repo.sourceFigures(match.id);
      const figs = [...prev.figures, figureOf(src)];
      const merged = mergeStep(full, src, figs);
      const texts = evidenceTexts([src], new Set(await repo.evidenceTexts(match.id)));
      await repo.updateEvent(eventRow({ ...merged, id: match.id, created_at: match.created_at, updated_at: now }, figs, texts, prev.count + 1));
      await repo.insertSource(match.id, prev.count, src);
      out.events_merged++;
    } else {
      // Deterministic ids (a re-run gives the same ids); a collision is possible only when an article
      // returns to an older extractor version while an event it created lives on through other sources.
      let eid = eventId(aid, i, extractorVersion);
      for (let k = 1; await repo.loadCore(eid); k++) eid = eventId(aid, i, `${extractorVersion}#${k}`);
      const figs = [figureOf(src)];
      await repo.insertEvent(eventRow({ ...mergeStep(null, src, figs), id: eid, created_at: now, updated_at: now }, figs, evidenceTexts([src])));
      await repo.insertSource(eid, 0, src);
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

/** The candidate lookup of an incoming event; null: an undated or unplaced event matches nothing. */
export function candidateQuery(ev: ConflictEvent): CandidateQuery | null {
  const w = dateWindow(ev.event_date, ev.time_precision);
  const loc = ev.location;
  if (!w || !loc) return null;
  const hasXY = typeof loc.lat === 'number' && typeof loc.lon === 'number';
  return {
    lo: addDays(w.lo, -DATE_SLACK_DAYS),
    hi: addDays(w.hi, DATE_SLACK_DAYS),
    background: ev.background ? 1 : 0,
    cells: hasXY ? neighbourCells(loc.lat!, loc.lon!) : null,
    admin1: loc.admin1 ?? null,
    regionSubEventType: loc.geo_precision === 3 ? ev.sub_event_type : null,
    gazetteer_id: loc.gazetteer_id ?? null,
    sub_event_types: compatibleSubEventTypes(ev.sub_event_type),
    exact_place: loc.geo_precision === 1 && loc.gazetteer_id ? loc.gazetteer_id : null,
  };
}

async function findMatch(repo: Repo, ev: ConflictEvent, articleId: string): Promise<EventCore | null> {
  const q = candidateQuery(ev);
  if (!q) return null;
  // One article's events are distinct by its own coding: never merge two of them (excluded by article).
  if (repo.match) return repo.match(q, articleId, ev);
  return bestMatch(await repo.candidates(q, articleId), ev);
}

// ---------------------------------------------------------------- filters

export interface Dialect {
  /** Next placeholder ('?' or '$n') for a bound value. */
  param(v: unknown): string;
  /**
   * Text-search condition on the events table aliased `e`, given safe tokens; `period`: the date range's
   * period tokens (periodTerms), for an engine whose every full-text row holds them.
   */
  textSearch(terms: string[][], period?: string[] | null): string;
  /** The column, marked so the planner does not use its index (SQLite: unary +; PostgreSQL plans by statistics). */
  noIndex(column: string): string;
  /** `column IN (values)` with bound values. */
  inList(column: string, values: unknown[]): string;
  /** Substring test: instr() in SQLite, strpos() in PostgreSQL. */
  contains(column: string, param: string): string;
  /** Set by eventWhere: the filter is led by a box's grid cells or a full-text match (see eventOrder). */
  selective?: boolean;
}

/** WHERE clause (without the keyword) for an event filter; '1=1' when empty. */
export function eventWhere(f: EventFilter, d: Dialect): string {
  const w: string[] = [];
  let spatial = false;
  if (f.from) w.push(`e.event_date >= ${d.param(f.from)}`);
  if (f.to) w.push(`e.event_date <= ${d.param(f.to)}`);
  if (f.country) w.push(`e.country = ${d.param(f.country)}`);
  if (f.admin1) w.push(`e.admin1 = ${d.param(f.admin1)}`);
  if (f.admin2) w.push(`e.admin2 = ${d.param(f.admin2)}`);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox.map(Number);
    // A box of up to a few hundred grid cells is read through the (cell, time_precision, event_date)
    // index (a handful of short ranges) instead of a lat/lon range over a whole band of the map.
    const cells = bboxCells(minLon, minLat, maxLon, maxLat, 400);
    if (cells) w.push(`${d.inList('e.cell', cells)} AND e.time_precision IN (1, 2, 3)`);
    spatial = !!cells;
    d.selective ||= spatial;
    w.push(`e.lat BETWEEN ${d.param(minLat)} AND ${d.param(maxLat)} AND e.lon BETWEEN ${d.param(minLon)} AND ${d.param(maxLon)}`);
  }
  // With a box, the cell index leads; SQLite would otherwise prefer (event_type, event_date).
  const typeCol = spatial ? d.noIndex('e.event_type') : 'e.event_type';
  if (f.event_type?.length) w.push(`${typeCol} IN (${f.event_type.map((t) => d.param(t)).join(', ')})`);
  if (f.sub_event_type?.length) w.push(`e.sub_event_type IN (${f.sub_event_type.map((t) => d.param(t)).join(', ')})`);
  if (f.actor && key(f.actor)) w.push(d.contains('e.actors_text', d.param(key(f.actor))));
  if (f.source && key(f.source)) w.push(d.contains('e.sources_text', d.param(key(f.source))));
  if (typeof f.min_fatalities === 'number' && f.min_fatalities > 0) w.push(`e.fatalities >= ${d.param(f.min_fatalities)}`);
  if (typeof f.background === 'boolean') w.push(`e.background = ${d.param(f.background ? 1 : 0)}`);
  if (f.article_id) w.push(`e.id IN (SELECT s.event_id FROM event_sources s WHERE s.article_id = ${d.param(f.article_id)})`);
  if (f.q) {
    const toks = searchTokens(f.q);
    if (toks.length) (w.push(d.textSearch(toks, periodTerms(f.from, f.to))), (d.selective = true));
  }
  return w.length ? w.join(' AND ') : '1=1';
}

/** The grid cells covering a box, or null when there are more than `max` (then lat/lon alone). */
export function bboxCells(minLon: number, minLat: number, maxLon: number, maxLat: number, max: number): number[] | null {
  if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite) || maxLat < minLat || maxLon < minLon) return null;
  const r0 = Math.floor((minLat + 90) / CELL_DEGREES);
  const r1 = Math.floor((maxLat + 90) / CELL_DEGREES);
  const c0 = Math.floor((minLon + 180) / CELL_DEGREES);
  const c1 = Math.floor((maxLon + 180) / CELL_DEGREES);
  if ((r1 - r0 + 1) * (c1 - c0 + 1) > max) return null;
  const out: number[] = [];
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push(r * 10_000 + c);
  return out;
}

/**
 * ORDER BY for a sort. `selective`: the WHERE is led by grid cells or a full-text match, which leave a
 * few thousand rows to sort; the sort key is then written as an expression (unary +) so SQLite does not
 * walk the whole date or fatalities index in order instead, probing every row (100+ ms over 1M events).
 */
export function eventOrder(sort: EventFilter['sort'], selective = false): string {
  const x = selective ? '+' : '';
  switch (sort) {
    case 'event_date':
      return `${x}e.event_date ASC NULLS LAST, e.seq ASC`;
    case 'fatalities':
      return `${x}e.fatalities ASC, e.seq ASC`;
    case '-fatalities':
      return `${x}e.fatalities DESC, e.seq DESC`;
    default:
      return `${x}e.event_date DESC NULLS LAST, e.seq DESC`;
  }
}

/** events() counts matches up to this many (Page.total_is_lower_bound beyond). */
export const TOTAL_CAP = 10_000;

/** The capped count query for a WHERE clause on `events e` (one extra row tells "more than the cap"). */
export function cappedCountSql(where: string): string {
  return `SELECT count(*) AS n FROM (SELECT 1 FROM events e WHERE ${where} LIMIT ${TOTAL_CAP + 1}) t`;
}

/** Page total fields from a capped count. */
export function cappedTotal(n: number): { total: number; total_is_lower_bound?: true } {
  return n > TOTAL_CAP ? { total: TOTAL_CAP, total_is_lower_bound: true } : { total: n };
}

export function pageBounds(f: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = Math.max(0, Math.min(1000, Math.floor(Number(f.limit ?? 50)) || 0));
  const offset = Math.max(0, Math.floor(Number(f.offset ?? 0)) || 0);
  return { limit: f.limit === undefined ? 50 : limit, offset };
}
