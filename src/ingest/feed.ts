// RSS 2.0 and Atom feed files -> one article per item/entry. Entity and DOCTYPE processing is
// DISABLED in the XML parser (no XXE, no billion laughs); only the five predefined XML entities and
// numeric character references are decoded, by hand, after parsing.

import { XMLParser } from 'fast-xml-parser';
import type { Article } from '../types.js';
import { htmlToArticle } from './html.js';
import { toDay } from './fields.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: false,
});

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return PREDEFINED[e.toLowerCase()] ?? m;
  });
}

/** Text of a parsed node: a string, {#text}, or an Atom {#text, @type}. */
function textOf(v: unknown): string | null {
  if (v == null) return null;
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'string' || typeof v === 'number') return decodeXmlEntities(String(v));
  if (typeof v === 'object') {
    const t = (v as Record<string, unknown>)['#text'];
    if (t != null) return decodeXmlEntities(String(t));
  }
  return null;
}

/** Descriptions are HTML fragments (escaped or in CDATA): keep the text only. */
function plain(html: string | null): string {
  if (!html) return '';
  if (!/[<&]/.test(html)) return html.trim();
  return htmlToArticle(`<body>${html}</body>`).text;
}

function atomLink(v: unknown): string | null {
  const links = Array.isArray(v) ? v : v ? [v] : [];
  for (const l of links) {
    if (typeof l === 'string') return l;
    const o = l as Record<string, string>;
    if (o['@href'] && (!o['@rel'] || o['@rel'] === 'alternate')) return o['@href'];
  }
  return null;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

export type FeedItem = { article: Article } | { error: string };

/** Parse a feed document; one entry per item (an item without text is an error entry). */
export function feedItems(xml: string): FeedItem[] {
  if (/<!ENTITY/i.test(xml)) throw new Error('feed declares DOCTYPE entities: refused (entity processing is disabled)');
  const doc = parser.parse(xml) as Record<string, any>;
  const out: FeedItem[] = [];
  if (doc.rss || doc['rdf:RDF']) {
    const channel = doc.rss?.channel ?? doc['rdf:RDF']?.channel ?? {};
    const outlet = textOf(channel.title);
    const items = asArray(doc.rss ? channel.item : doc['rdf:RDF'].item);
    for (const it of items) {
      const body = plain(textOf(it['content:encoded'])) || plain(textOf(it.description));
      const title = plain(textOf(it.title)) || null;
      if (!body) {
        out.push({ error: `item ${JSON.stringify(title ?? '')} has no description or content` });
        continue;
      }
      const rawDate = textOf(it.pubDate) ?? textOf(it['dc:date']);
      const guid = textOf(it.guid);
      out.push({
        article: {
          title,
          text: body,
          date: toDay(rawDate),
          outlet,
          url: textOf(it.link) ?? (guid && /^https?:/.test(guid) ? guid : null),
          ...(guid ? { id: guid } : {}),
        },
      });
    }
    return out;
  }
  if (doc.feed) {
    const feed = doc.feed;
    const outlet = textOf(feed.title);
    for (const e of asArray(feed.entry)) {
      const body = plain(textOf(e.content)) || plain(textOf(e.summary));
      const title = plain(textOf(e.title)) || null;
      if (!body) {
        out.push({ error: `entry ${JSON.stringify(title ?? '')} has no content or summary` });
        continue;
      }
      const id = textOf(e.id);
      out.push({
        article: {
          title,
          text: body,
          date: toDay(textOf(e.published) ?? textOf(e.updated)),
          outlet,
          url: atomLink(e.link),
          ...(id ? { id } : {}),
        },
      });
    }
    return out;
  }
  throw new Error('not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)');
}
