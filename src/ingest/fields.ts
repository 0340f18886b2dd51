// Loose input records -> Article: feeds and scrapers name the same field differently
// (text/body/content, date/published/pubDate, outlet/source/site_name, url/link ...).

import type { Article } from '../types.js';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const pad = (n: number) => String(n).padStart(2, '0');

function valid(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * A publication date as YYYY-MM-DD, read as written (the day in the outlet's own time zone, not
 * shifted to UTC): ISO 8601 ("2019-12-24T22:10:00+03:00"), "2019/12/24", RFC 822 ("Tue, 24 Dec 2019 ...").
 */
export function toDay(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw).trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(s);
  if (m) return valid(+m[1], +m[2], +m[3]);
  m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})/.exec(s);
  if (m && MONTHS[m[2].toLowerCase()]) return valid(+m[3], MONTHS[m[2].toLowerCase()], +m[1]);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return valid(+m[3], +m[2], +m[1]); // day-first, as Arabic outlets write it
  return null;
}

/** A YYYY-MM-DD (or YYYY_MM_DD / YYYYMMDD) in a file name. */
export function dateFromFilename(name: string): string | null {
  const m = /(?:^|[^\d])(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?:[^\d]|$)/.exec(name);
  return m ? valid(+m[1], +m[2], +m[3]) : null;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') return str((v as { name: string }).name);
  return null;
}

export class RecordError extends Error {}

/** An input object -> Article; throws RecordError with a clear reason when it has no text. */
export function articleFromRecord(o: unknown): Article {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new RecordError('not a JSON object');
  const r = o as Record<string, unknown>;
  const text = str(r.text) ?? str(r.body) ?? str(r.content) ?? str(r.article) ?? str(r.description);
  if (!text) throw new RecordError('no "text" (or body/content) field with text');
  const rawDate = r.date ?? r.published ?? r.pubDate ?? r.published_at ?? r.datePublished ?? r.date_published;
  const date = rawDate == null || rawDate === '' ? null : toDay(rawDate);
  if (rawDate != null && rawDate !== '' && !date) throw new RecordError(`unreadable date ${JSON.stringify(rawDate)}`);
  const a: Article = {
    text,
    title: str(r.title) ?? str(r.headline),
    date,
    outlet: str(r.outlet) ?? str(r.source) ?? str(r.site_name) ?? str(r.publisher),
    url: str(r.url) ?? str(r.link),
    country: str(r.country),
    language: str(r.language) ?? str(r.lang),
  };
  const id = r.id ?? r.guid;
  if (typeof id === 'string' || typeof id === 'number') a.id = String(id);
  return a;
}
