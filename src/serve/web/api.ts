// The dashboard's only link to the server: the /api routes of `marsad serve` (issue 5).
import type { ExtractResult } from '../../types.js';
import type { AggregateRow, Page, StoredArticle, StoredEvent } from '../../store/types.js';

export type { ExtractResult, AggregateRow, Page, StoredArticle, StoredEvent };

/** The filter the whole page shares: map, timeline, table and export all read it. */
export interface Filter {
  from?: string;
  to?: string;
  country?: string;
  admin1?: string;
  event_type?: string;
  sub_event_type?: string;
  actor?: string;
  source?: string;
  min_fatalities?: number;
  q?: string;
  /** Also show background events (history, context, threats): off by default, they are not news. */
  with_background?: boolean;
}

export const FILTER_KEYS: (keyof Filter)[] = ['from', 'to', 'country', 'admin1', 'event_type', 'sub_event_type', 'actor', 'source', 'min_fatalities', 'q', 'with_background'];

export function query(f: Filter, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (k === 'with_background') continue;
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  if (!f.with_background) p.set('background', 'false');
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

/** Responses index.html started before the bundle loaded (first paint), each used once. */
const prefetched = ((window as unknown as { __prefetch?: Record<string, Promise<Response>> }).__prefetch ??= {});

/** Token for a server whose reads are closed (MARSAD_READ_TOKEN), set in the settings. */
export const getToken = (): string | null => localStorage.getItem('marsad.token');
export function setToken(t: string | null): void {
  if (t) localStorage.setItem('marsad.token', t);
  else localStorage.removeItem('marsad.token');
}
export function authorized(init: RequestInit = {}): RequestInit {
  const t = getToken();
  if (!t) return init;
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${t}` } };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const early = !init?.method && !getToken() && prefetched[url];
  delete prefetched[url];
  const r = early ? await early.catch(() => fetch(url, init)) : await fetch(url, authorized(init));
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try {
      const body = await r.json();
      msg = body.message ?? body.error ?? msg;
    } catch {
      /* not JSON */
    }
    throw new ApiError(r.status, msg);
  }
  return r.json() as Promise<T>;
}

export type EventSort = 'event_date' | '-event_date' | 'fatalities' | '-fatalities';

export const getEvents = (f: Filter, sort: EventSort, limit: number, offset: number, signal?: AbortSignal) =>
  json<Page<StoredEvent>>('api/events' + query(f, { sort, limit, offset }), { signal });

export const getEvent = (id: string) => json<StoredEvent>('api/events/' + encodeURIComponent(id));

export type ArticleWithEvents = StoredArticle & { events?: string[]; figures?: unknown[] };
export const getArticle = (id: string) => json<ArticleWithEvents>('api/articles/' + encodeURIComponent(id));

export const getAggregates = (by: string, f: Filter, stack?: string, signal?: AbortSignal) =>
  json<{ by: string; rows: AggregateRow[] }>('api/aggregates' + query(f, { by, stack }), { signal });

export const extract = (article: { title?: string; text: string; date?: string }, signal?: AbortSignal) =>
  json<ExtractResult>('api/extract', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ article }),
    signal,
  });

export interface PointFeature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: Record<string, string | number | boolean | null> | null;
}
/** The GeoJSON export of the filter (the map's data source). */
export const getGeoJson = (f: Filter, limit: number, signal?: AbortSignal) =>
  json<{ type: 'FeatureCollection'; features: PointFeature[] }>('api/export' + query(f, { format: 'geojson', limit }), { signal });

export const exportUrl = (format: 'acled-csv' | 'geojson', f: Filter) => 'api/export' + query(f, { format });
