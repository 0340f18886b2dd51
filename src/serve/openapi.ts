// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
// (zod v4's toJSONSchema: JSON Schema 2020-12, which OpenAPI 3.1 uses as is).

import { z } from 'zod';
import {
  aggregateRow,
  aggregatesQuery,
  articleDetail,
  articleInput,
  articlesBody,
  articlesQuery,
  errorBody,
  eventsQuery,
  exportQuery,
  extractBody,
  extractResult,
  figuresQuery,
  page,
  saveOutcome,
  storedArticle,
  storedEvent,
  storedFigure,
} from './schemas.js';

type Json = Record<string, unknown>;

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): Json {
  const j = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete j.$schema;
  return j;
}

/** Query parameters from a zod object: one entry per key; arrays are repeatable (explode). */
function queryParams(obj: z.ZodObject): Json[] {
  const out: Json[] = [];
  for (const [name, field] of Object.entries(obj.shape)) {
    const s = field as z.ZodType;
    const js = schema(s, 'input');
    const description = (js.description as string | undefined) ?? s.description;
    delete js.description;
    out.push({
      name,
      in: 'query',
      required: !s.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: js,
      ...(JSON.stringify(js).includes('"array"') ? { style: 'form', explode: true } : {}),
    });
  }
  return out;
}

const idParam = (what: string): Json => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: `${what} id` });

const json = (s: Json, description: string): Json => ({ description, content: { 'application/json': { schema: s } } });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string): Json => json(ref('Error'), description);
const bearer = [{ bearer: [] }];
const readSecurity = [{}, ...bearer]; // open unless the server sets a read token

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const errors = { '400': err('invalid parameters (details lists each problem)'), '401': err('missing or wrong token') };
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Marsad API',
      version: '1.0.0',
      description:
        'ACLED-style events read from Arabic conflict news, with the evidence spans behind every field. Reads are open unless the server sets MARSAD_READ_TOKEN; writes need MARSAD_TOKEN as `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: schema(errorBody),
        StoredEvent: schema(storedEvent),
        StoredArticle: schema(storedArticle),
        ArticleDetail: schema(articleDetail),
        StoredFigure: schema(storedFigure),
        AggregateRow: schema(aggregateRow),
        Article: schema(articleInput, 'input'),
        ExtractResult: schema(extractResult),
      },
    },
    paths: {
      '/api/health': { get: { summary: 'Liveness', responses: { '200': json({ type: 'object', properties: { status: { const: 'ok' }, version: { type: 'string' } } }, 'ok') } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1 document') } } },
      '/api/events': {
        get: {
          summary: 'Events matching the filters, sorted and paginated',
          security: readSecurity,
          parameters: queryParams(eventsQuery),
          responses: { '200': json(schema(page(storedEvent)), '{total, items}'), ...errors },
        },
      },
      '/api/events/{id}': {
        get: {
          summary: 'One event with its sources and evidence spans',
          security: readSecurity,
          parameters: [idParam('event')],
          responses: { '200': json(ref('StoredEvent'), 'the event'), '404': err('no such event'), '401': errors['401'] },
        },
      },
      '/api/articles': {
        get: {
          summary: 'Stored articles',
          security: readSecurity,
          parameters: queryParams(articlesQuery),
          responses: { '200': json(schema(page(storedArticle)), '{total, items}'), ...errors },
        },
        post: {
          summary: 'Extract and store an article or a batch (at most 100)',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: schema(articlesBody, 'input') } } },
          responses: {
            '201': json({ oneOf: [schema(saveOutcome), { type: 'object', properties: { results: { type: 'array', items: schema(saveOutcome) } } }] }, 'stored (per-article errors in `error`)'),
            '422': json({ type: 'object' }, 'no article could be stored (see each `error`)'),
            '403': err('writes disabled: no write token configured'),
            '503': err('extractor not available'),
            ...errors,
          },
        },
      },
      '/api/articles/{id}': {
        get: {
          summary: 'One article with the ids of its events and its humanitarian figures',
          security: readSecurity,
          parameters: [idParam('article')],
          responses: { '200': json(ref('ArticleDetail'), 'the article'), '404': err('no such article'), '401': errors['401'] },
        },
      },
      '/api/figures': {
        get: {
          summary: 'Humanitarian figures (displaced, cumulative tolls ...)',
          security: readSecurity,
          parameters: queryParams(figuresQuery),
          responses: { '200': json(schema(page(storedFigure)), '{total, items}'), ...errors },
        },
      },
      '/api/aggregates': {
        get: {
          summary: 'Event counts and fatalities by day, admin1, actor or type (optionally stacked by event_type)',
          security: readSecurity,
          parameters: queryParams(aggregatesQuery),
          responses: {
            '200': json({ type: 'object', properties: { by: { type: 'string' }, stack: { type: 'string' }, rows: { type: 'array', items: ref('AggregateRow') } } }, '{by, rows}'),
            ...errors,
          },
        },
      },
      '/api/extract': {
        post: {
          summary: 'Extract events from an article (or up to 100); store=true also stores them (write token)',
          security: readSecurity,
          parameters: [{ name: 'store', in: 'query', required: false, schema: { enum: ['true', 'false'] }, description: 'same as body.store' }],
          requestBody: { required: true, content: { 'application/json': { schema: schema(extractBody, 'input') } } },
          responses: {
            '200': json({ oneOf: [ref('ExtractResult'), { type: 'object', properties: { results: { type: 'array', items: ref('ExtractResult') } } }] }, 'ExtractResult, or {results} for a batch'),
            '403': err('store=true but writes are disabled'),
            '503': err('extractor not available'),
            ...errors,
          },
        },
      },
      '/api/export': {
        get: {
          summary: 'Download the matching events as ACLED CSV, GeoJSON or JSON Lines (streamed)',
          security: readSecurity,
          parameters: queryParams(exportQuery),
          responses: {
            '200': {
              description: 'the file (Content-Disposition: attachment)',
              content: { 'text/csv': { schema: { type: 'string' } }, 'application/geo+json': { schema: { type: 'object' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
    },
  };
  return cached;
}
