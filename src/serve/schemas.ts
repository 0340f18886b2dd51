// Input schemas (zod) for the HTTP API and the CLI: one definition validates a query string,
// a command line and a request body, and the same objects produce the OpenAPI document.
// Output schemas describe the stored types for the OpenAPI document only.

import { z } from 'zod';
import type { EventFilter } from '../store/types.js';

export { EVENT_TYPES } from '../types.js';
import { EVENT_TYPES } from '../types.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s), 'not a calendar date');

// NUL is never text (PostgreSQL refuses it in a query: a 500 instead of a 400).
const noNul = /^[^\u0000]*$/;
const text = (max = 200) => z.string().trim().min(1).max(max).regex(noNul, 'must not contain NUL characters');

/** "a,b" or ["a", "b,c"] (a repeated query parameter) -> ["a", "b", "c"]. */
const stringList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(50));

const bbox = z
  .string()
  .describe('minLon,minLat,maxLon,maxLat (WGS84 degrees)')
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'bbox out of range or min > max (order is minLon,minLat,maxLon,maxLat)' });
      return z.NEVER;
    }
    return parts as [number, number, number, number];
  });

const intParam = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'expected a whole number')])
    .transform((v) => Number(v))
    .pipe(z.number().int().min(min).max(max));

const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Event filters, shared by /api/events, /api/aggregates, /api/export and the CLI. */
export const eventFilterShape = {
  from: isoDate.optional().describe('first event_date, inclusive (YYYY-MM-DD)'),
  to: isoDate.optional().describe('last event_date, inclusive (YYYY-MM-DD)'),
  country: text().optional(),
  admin1: text().optional(),
  admin2: text().optional(),
  bbox: bbox.optional(),
  event_type: stringList(z.enum(EVENT_TYPES)).optional().describe('ACLED event type; repeat the parameter or give a comma list'),
  sub_event_type: stringList(text(100)).optional().describe('ACLED sub-event type; repeat or comma list'),
  actor: text().optional().describe('actor name (English) or Arabic surface form, substring'),
  min_fatalities: intParam(0).optional(),
  source: text().optional().describe('reporting organisation or outlet, substring'),
  q: text(500).optional().describe('free text, Arabic or English'),
  background: boolParam.optional().describe('true: only background (history/context) events; false: only news events'),
  article_id: text(100).optional().describe('only events one of whose sources is this stored article'),
  sort: z.enum(['event_date', '-event_date', 'fatalities', '-fatalities']).optional(),
};

const paging = (defLimit: number, maxLimit: number) => ({
  limit: intParam(1, maxLimit).default(defLimit),
  offset: intParam(0).default(0),
});

export const eventsQuery = z.strictObject({ ...eventFilterShape, ...paging(100, 1000) });

export const aggregatesQuery = z.strictObject({
  ...eventFilterShape,
  by: z.enum(['day', 'admin1', 'actor', 'event_type', 'sub_event_type']),
  stack: z.enum(['event_type']).optional().describe('second key: counts per (by, event_type)'),
});

export const exportQuery = z.strictObject({
  ...eventFilterShape,
  format: z.enum(['acled-csv', 'geojson', 'jsonl']),
  // An export is a dataset of events: background mentions (history, context) stay out unless asked for.
  background: z
    .enum(['true', 'false', '1', '0', 'all'])
    .default('false')
    .transform((v) => (v === 'all' ? undefined : v === 'true' || v === '1'))
    .describe('default false: news events only; true: only background mentions; all: both'),
  bom: boolParam.optional().describe('acled-csv: UTF-8 byte order mark for Excel (default true)'),
  acled_only: boolParam.optional().describe("acled-csv: ACLED's 31 columns only, no Marsad columns"),
  limit: intParam(1).optional(),
  offset: intParam(0).optional(),
});

export const articlesQuery = z.strictObject({
  q: text(500).optional(),
  outlet: text().optional(),
  from: isoDate.optional().describe('first publication date, inclusive'),
  to: isoDate.optional().describe('last publication date, inclusive'),
  ...paging(100, 1000),
});

export const figuresQuery = z.strictObject({
  article_id: text().optional(),
  kind: z.enum(['displaced', 'killed_cumulative', 'population', 'other']).optional(),
  ...paging(100, 1000),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(200).regex(noNul, 'must not contain NUL characters') });

export const articleInput = z
  .object({
    id: z.string().max(200).optional(),
    title: z.string().max(2000).nullish(),
    text: z.string().min(1, 'article text is empty').max(500_000),
    date: isoDate.nullish().describe('publication date; relative dates in the text resolve against it'),
    outlet: z.string().max(200).nullish(),
    url: z.string().max(2000).nullish(),
    country: z.string().max(100).nullish(),
    language: z.string().max(20).nullish(),
  })
  .describe('Article');

export const MAX_BATCH = 100;

const storeFlag = z.boolean().optional().describe('also store the article(s) and their events (write token required)');

const articleList = z.array(articleInput).min(1, 'at least one article').max(MAX_BATCH, `at most ${MAX_BATCH} articles per request`);

export const extractOne = z.strictObject({ article: articleInput, store: storeFlag });
export const extractBatch = z.strictObject({ articles: articleList, store: storeFlag });
export const extractBody = z.union([extractOne, extractBatch]);

export const articlesOne = z.strictObject({ article: articleInput });
export const articlesBatch = z.strictObject({ articles: articleList });
export const articlesBody = z.union([articlesOne, articlesBatch]);

/** The branch of {article} | {articles} a body means, so errors name the right fields. */
export function bodyBranch<A extends z.ZodType, B extends z.ZodType>(body: unknown, one: A, batch: B): A | B {
  return body && typeof body === 'object' && 'articles' in body && !('article' in body) ? batch : one;
}

/** Schema output -> the store's EventFilter (dropping non-filter keys). */
export function toEventFilter(q: Partial<z.output<typeof eventsQuery>>): EventFilter {
  const f: EventFilter = {};
  for (const k of Object.keys(eventFilterShape) as (keyof typeof eventFilterShape)[]) {
    const v = q[k];
    if (v !== undefined) (f as Record<string, unknown>)[k] = v;
  }
  if (q.limit !== undefined) f.limit = q.limit;
  if (q.offset !== undefined) f.offset = q.offset;
  return f;
}

// ---- output shapes (documentation only) ----

const evidence = z
  .object({ part: z.enum(['title', 'text']), start: z.number().int(), end: z.number().int(), text: z.string(), article_id: z.string().optional().describe('in merged events: the article the span points into') })
  .describe('Evidence');
const actor = z.object({ name: z.string(), name_ar: z.string().optional(), inter: z.number().int().min(1).max(8), id: z.string().optional(), side: z.string().optional() }).describe('Actor');
const location = z
  .object({
    name: z.string(),
    name_ar: z.string().optional(),
    gazetteer_id: z.string().nullish(),
    feature_class: z.string().optional(),
    country: z.string().optional(),
    iso: z.string().optional(),
    admin1: z.string().optional(),
    admin2: z.string().optional(),
    admin3: z.string().optional(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    geo_precision: z.number().int().min(1).max(3),
    direction: z.string().optional(),
    confidence: z.number().optional(),
  })
  .describe('Location');
export const conflictEvent = z
  .object({
    id: z.string().optional(),
    event_type: z.enum(EVENT_TYPES),
    sub_event_type: z.string(),
    event_date: z.string().nullable(),
    time_precision: z.number().int().min(1).max(3),
    actor1: actor.nullable(),
    actor2: actor.nullable(),
    assoc_actor_1: z.array(actor).optional(),
    assoc_actor_2: z.array(actor).optional(),
    interaction: z.number().int().optional(),
    location: location.nullable(),
    fatalities: z.number().int(),
    fatalities_by_side: z.record(z.string(), z.number()).optional(),
    wounded: z.number().int().optional(),
    status: z.enum(['occurred', 'attempted', 'failed']),
    civilian_targeting: z.boolean(),
    reported_by: z.string().nullable(),
    background: z.boolean(),
    evidence: z.record(z.string(), z.array(evidence)),
    notes: z.string(),
  })
  .describe('ConflictEvent');
const eventSource = z
  .object({
    article_id: z.string(),
    outlet: z.string().nullable(),
    url: z.string().nullable(),
    reported_by: z.string().nullable(),
    published: z.string().nullable(),
    fatalities: z.number().int(),
    event: conflictEvent,
  })
  .describe('EventSource');
export const storedEvent = conflictEvent
  .extend({
    id: z.string(),
    fatalities_low: z.number().int(),
    fatalities_best: z.number().int(),
    fatalities_high: z.number().int(),
    sources: z.array(eventSource),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('StoredEvent');
const figure = z.object({
  kind: z.enum(['displaced', 'killed_cumulative', 'population', 'other']),
  value: z.number(),
  value_kind: z.enum(['exact', 'approximate', 'at-least', 'vague']).optional(),
  place: z.string().nullish(),
  since: z.string().nullish(),
  source: z.string().nullish(),
  evidence: z.array(evidence),
});
export const storedFigure = figure.extend({ id: z.string(), article_id: z.string(), published: z.string().nullable() }).describe('StoredFigure');
export const storedArticle = articleInput
  .extend({
    id: z.string(),
    content_hash: z.string(),
    extractor_version: z.string(),
    ingested_at: z.string(),
    source_path: z.string().nullish(),
    external_id: z.string().nullish().describe('the id the article came with (feed/JSON id)'),
  })
  .describe('StoredArticle');
export const articleDetail = storedArticle.extend({ events: z.array(z.string()), figures: z.array(storedFigure) }).describe('ArticleDetail');
export const aggregateRow = z.object({ key: z.string(), group: z.string().optional(), events: z.number().int(), fatalities: z.number().int() }).describe('AggregateRow');
const mention = z.object({
  kind: z.enum(['place', 'actor', 'number', 'date', 'trigger', 'source']),
  part: z.enum(['title', 'text']),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  value: z.union([z.string(), z.number()]).optional(),
});
const saveResult = z.object({
  article_id: z.string(),
  duplicate: z.boolean(),
  replaced: z.boolean(),
  events_new: z.number().int(),
  events_merged: z.number().int(),
  figures: z.number().int(),
});
export const extractResult = z
  .object({
    id: z.string().optional(),
    events: z.array(conflictEvent),
    figures: z.array(figure),
    mentions: z.array(mention),
    warnings: z.array(z.string()),
    saved: saveResult.optional().describe('present when store=true'),
    error: z.string().optional().describe('batch only: this article failed; the others are unaffected'),
  })
  .describe('ExtractResult');
export const saveOutcome = z.object({ saved: saveResult.optional(), error: z.string().optional(), index: z.number().int() });
export const errorBody = z
  .object({ error: z.string(), details: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
  .describe('Error');
export const page = <T extends z.ZodType>(item: T) => z.object({ total: z.number().int(), items: z.array(item) });
