// The HTTP API (Fastify). Every input goes through a zod schema (400 with details on failure);
// reads are open unless a read token is configured; writes need the write token; errors are
// JSON and never carry stack traces or file paths. The dashboard (built into dist/web by its
// own engineer) is served at / when present.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Article, ExtractResult } from '../types.js';
import type { SaveResult, Store } from '../store/types.js';
import { CONTENT_TYPES, EXTENSIONS, exportEvents } from '../export/index.js';
import { StreamClosedError } from '../export/write.js';
import { requestToken, tokenMatches } from './auth.js';
import {
  aggregatesQuery,
  articlesBatch,
  articlesOne,
  articlesQuery,
  bodyBranch,
  eventsQuery,
  exportQuery,
  extractBatch,
  extractOne,
  figuresQuery,
  idParams,
  toEventFilter,
} from './schemas.js';
import { openApiDocument } from './openapi.js';
import { guardArticle } from '../ingest/guard.js';

/** An extractor bound to its gazetteer, with the version the store records. */
export interface ServeExtractor {
  extract(article: Article): ExtractResult | Promise<ExtractResult>;
  version: string;
}

export interface BuildServerOptions {
  store: Store;
  /** Write token (MARSAD_TOKEN). Without one, every write is refused (403). */
  token?: string;
  /** Read token (MARSAD_READ_TOKEN). When set, reads need it (or the write token). */
  readToken?: string;
  /** The extractor, or a loader called once on the first extraction. Default: src/scale/extractor.ts loadExtractor(). */
  extract?: ServeExtractor | (() => Promise<ServeExtractor>);
  /** Fastify's logger (default false). */
  logger?: boolean;
  /** Folder of the built dashboard; default dist/web beside the package; null disables static files. */
  webRoot?: string | null;
  /** Request body limit in bytes (default 2 MB). */
  bodyLimit?: number;
  /** Requests per minute per client IP (default MARSAD_RATE_LIMIT or 600; 0 = no limit): 429 beyond. */
  rateLimit?: number;
  /** Time allowed to receive a whole request, in ms (default 30 000): slow-loris clients are cut. */
  requestTimeoutMs?: number;
}

export const API_VERSION = '1.0.0';

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || what,
    message: i.code === 'unrecognized_keys' ? `unknown parameter(s): ${i.keys.join(', ')}` : i.message,
  }));
  throw new HttpError(400, `invalid ${what}`, details);
}

/** Error text safe to show a client: first line only, absolute paths removed. */
function safeMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0].replace(/(?:[A-Za-z]:)?(?:\/[^\s/:'"]+){2,}/g, '<path>').slice(0, 300);
}

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const { store } = opts;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 2 * 1024 * 1024,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    // Node checks that timeout only every connectionsCheckingInterval (30 s by default); it does
    // not cover a stalled body once the headers are in: a socket idle that long is closed too.
    http: { connectionsCheckingInterval: Math.max(100, Math.min(30_000, (opts.requestTimeoutMs ?? 30_000) / 4)) },
    connectionTimeout: opts.requestTimeoutMs ?? 30_000,
  });
  const rateLimit = opts.rateLimit ?? Number(process.env.MARSAD_RATE_LIMIT ?? 600);
  if (rateLimit > 0) {
    const { default: fastifyRateLimit } = await import('@fastify/rate-limit');
    await app.register(fastifyRateLimit, { max: rateLimit, timeWindow: 60_000 });
  }

  // ---------------------------------------------------------------- extractor (loaded once)
  let extractor: Promise<ServeExtractor> | null = null;
  function getExtractor(): Promise<ServeExtractor> {
    if (!extractor) {
      const e = opts.extract;
      extractor =
        typeof e === 'function'
          ? e()
          : e
            ? Promise.resolve(e)
            : import('../scale/extractor.js').then((m) => m.loadExtractor());
      extractor.catch(() => (extractor = null)); // a failed load is retried on the next request
    }
    return extractor;
  }

  // ---------------------------------------------------------------- auth
  function requireRead(req: FastifyRequest): void {
    if (!opts.readToken) return;
    const t = requestToken(req.headers);
    if (tokenMatches(t, opts.readToken) || tokenMatches(t, opts.token)) return;
    throw new HttpError(401, t ? 'invalid token' : 'this server requires a read token (Authorization: Bearer <token>)');
  }
  function requireWrite(req: FastifyRequest): void {
    if (!opts.token) throw new HttpError(403, 'writes are disabled on this server (no write token configured: set MARSAD_TOKEN)');
    const t = requestToken(req.headers);
    if (!tokenMatches(t, opts.token)) throw new HttpError(401, t ? 'invalid token' : 'a write token is required (Authorization: Bearer <token>)');
  }

  // ---------------------------------------------------------------- errors
  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send(err.details ? { error: err.message, details: err.details } : { error: err.message });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) {
      req.log.error(err);
      return reply.status(500).send({ error: 'internal error' });
    }
    // Fastify's own client errors: bad JSON, body too large, wrong content type.
    const messages: Record<string, string> = {
      FST_ERR_CTP_BODY_TOO_LARGE: 'request body too large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type (send application/json)',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'empty JSON body',
      FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
    };
    const msg = (e.code && messages[e.code]) || (e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ? 'invalid content length' : safeMessage(err));
    return reply.status(status).send({ error: msg });
  });
  const webRoot = opts.webRoot === null ? null : resolve(opts.webRoot ?? DEFAULT_WEB_ROOT);
  const hasWeb = !!webRoot && existsSync(resolve(webRoot, 'index.html'));
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    // The dashboard routes on the client: a browser asking for /events/123 gets index.html.
    if (hasWeb && req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path) && /html/.test(String(req.headers.accept ?? '')))
      return (reply as FastifyReply & { sendFile(f: string): FastifyReply }).sendFile('index.html');
    return reply.status(404).send({ error: `no route ${req.method} ${path}` });
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  // ---------------------------------------------------------------- reads
  app.get('/api/health', async () => ({ status: 'ok', version: API_VERSION }));

  app.get('/api/openapi.json', async () => openApiDocument());

  app.get('/api/events', async (req) => {
    requireRead(req);
    const q = parse(eventsQuery, req.query, 'query');
    const page = await store.events(toEventFilter(q));
    // The store stops counting at TOTAL_CAP; say so rather than pass a lower bound off as the count.
    return page.total_is_lower_bound ? { total: page.total, total_is_lower_bound: true, items: page.items } : { total: page.total, items: page.items };
  });

  app.get('/api/events/:id', async (req) => {
    requireRead(req);
    const { id } = parse(idParams, req.params, 'path');
    const ev = await store.event(id);
    if (!ev) throw new HttpError(404, `no event ${id}`);
    return ev;
  });

  app.get('/api/articles', async (req) => {
    requireRead(req);
    const q = parse(articlesQuery, req.query, 'query');
    return store.articles(q);
  });

  app.get('/api/articles/:id', async (req) => {
    requireRead(req);
    const { id } = parse(idParams, req.params, 'path');
    const article = await store.article(id);
    if (!article) throw new HttpError(404, `no article ${id}`);
    const [events, figures] = await Promise.all([articleEventIds(store, id), store.figures({ article_id: id, limit: 1000 })]);
    return { ...article, events, figures: figures.items };
  });

  app.get('/api/figures', async (req) => {
    requireRead(req);
    const q = parse(figuresQuery, req.query, 'query');
    return store.figures(q);
  });

  app.get('/api/aggregates', async (req) => {
    requireRead(req);
    const q = parse(aggregatesQuery, req.query, 'query');
    const rows = await store.aggregates(q.by, toEventFilter(q), q.stack);
    return q.stack ? { by: q.by, stack: q.stack, rows } : { by: q.by, rows };
  });

  app.get('/api/export', async (req, reply) => {
    requireRead(req);
    const q = parse(exportQuery, req.query, 'query');
    const stamp = new Date().toISOString().slice(0, 10);
    const body = new PassThrough();
    reply
      .header('content-type', CONTENT_TYPES[q.format])
      .header('content-disposition', `attachment; filename="marsad-${stamp}.${EXTENSIONS[q.format]}"`)
      .header('cache-control', 'no-store');
    // Headers are sent with the first bytes; an error after that can only cut the stream short.
    exportEvents(store, body, { format: q.format, filter: toEventFilter(q), bom: q.bom ?? true, acledOnly: q.acled_only }).then(
      () => body.end(),
      (err: unknown) => {
        if (err instanceof StreamClosedError) return; // the client went away: stop quietly
        req.log.error(err);
        body.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return reply.send(body);
  });

  // ---------------------------------------------------------------- writes
  async function save(article: Article, result: ExtractResult, version: string): Promise<SaveResult> {
    return store.saveArticle(article, result, version);
  }
  /** A store that groups commits (SQLite) is flushed before we answer: a 2xx means on disk. */
  async function committed(): Promise<void> {
    await (store as Store & { flush?(): Promise<void> }).flush?.();
  }

  app.post('/api/extract', async (req) => {
    const body = parse(bodyBranch(req.body, extractOne, extractBatch), req.body, 'body');
    const storeFlag = body.store ?? parse(z.object({ store: z.enum(['true', 'false']).optional() }).loose(), req.query, 'query').store === 'true';
    if (storeFlag) requireWrite(req);
    else requireRead(req);
    const ex = await getExtractor().catch((err: unknown) => {
      req.log.error(err);
      throw new HttpError(503, 'the extractor is not available on this server');
    });
    const one = async (input: Article): Promise<ExtractResult & { saved?: SaveResult }> => {
      // The same gate as ingest: not Arabic, binary or undecodable text is refused; repairs are warnings.
      const g = guardArticle(input);
      if (!g.article) throw new HttpError(422, g.error!);
      const a = g.article;
      const r = await ex.extract(a);
      const result = g.warnings.length ? { ...r, warnings: [...g.warnings, ...r.warnings] } : r;
      if (!storeFlag) return result;
      return { ...result, saved: await save(a, result, ex.version) };
    };
    if ('article' in body) {
      const r = await one(body.article as Article);
      if (storeFlag) await committed();
      return r;
    }
    // A batch: one bad article is reported in its slot and does not stop the others.
    const results: (ExtractResult & { saved?: SaveResult; error?: string })[] = [];
    for (const a of body.articles) {
      try {
        results.push(await one(a as Article));
      } catch (err) {
        req.log.warn(err);
        results.push({ events: [], figures: [], mentions: [], warnings: [], error: safeMessage(err) });
      }
    }
    if (storeFlag) await committed();
    return { results };
  });

  app.post('/api/articles', async (req, reply) => {
    requireWrite(req);
    const body = parse(bodyBranch(req.body, articlesOne, articlesBatch), req.body, 'body');
    const ex = await getExtractor().catch((err: unknown) => {
      req.log.error(err);
      throw new HttpError(503, 'the extractor is not available on this server');
    });
    const list = ('article' in body ? [body.article] : body.articles) as Article[];
    const results: { index: number; saved?: SaveResult; error?: string }[] = [];
    for (let i = 0; i < list.length; i++) {
      try {
        const g = guardArticle(list[i]);
        if (!g.article) throw new Error(g.error);
        const r = await ex.extract(g.article);
        results.push({ index: i, saved: await save(g.article, r, ex.version) });
      } catch (err) {
        req.log.warn(err);
        results.push({ index: i, error: safeMessage(err) });
      }
    }
    await committed();
    reply.status(results.some((r) => r.saved) ? 201 : 422);
    return 'article' in body ? results[0] : { results };
  });

  // ---------------------------------------------------------------- dashboard
  if (hasWeb && webRoot) {
    const fastifyStatic = (await import('@fastify/static')).default;
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: ['index.html'], wildcard: true });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('Marsad API: see /api/openapi.json (the dashboard is not built: npm run build)\n'),
    );
  }

  return app;
}

/** Ids of every event the article is a source of (an article gives tens of events, not thousands: a few pages at most). */
async function articleEventIds(store: Store, articleId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.events({ article_id: articleId, sort: 'event_date', limit: 1000, offset });
    ids.push(...page.items.map((e) => e.id));
    if (page.items.length < 1000) return ids;
  }
}

export type { FastifyInstance, FastifyReply };
