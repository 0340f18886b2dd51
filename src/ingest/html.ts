// HTML page -> article: the title, the main text (without navigation, scripts and styles), the
// publication date from the page's metadata (article:published_time, <time datetime>, JSON-LD
// datePublished) and the outlet (og:site_name, else JSON-LD publisher).

import { Parser } from 'htmlparser2';
import type { Article } from '../types.js';
import { toDay } from './fields.js';

/** Elements whose text is never article text. */
const SKIP = new Set(['script', 'style', 'noscript', 'nav', 'header', 'footer', 'aside', 'form', 'svg', 'iframe', 'template', 'button', 'select', 'figure', 'figcaption']);
/** Elements that end a line of text. */
const BLOCK = new Set(['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'main', 'blockquote', 'tr', 'td', 'th', 'pre', 'dd', 'dt', 'hr', 'table', 'ul', 'ol']);

export interface HtmlMeta {
  title: string | null;
  date: string | null;
  outlet: string | null;
  url: string | null;
  language: string | null;
}

function jsonLdFields(raw: string, into: { date?: string; headline?: string; publisher?: string; url?: string }): void {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.datePublished === 'string' && !into.date) into.date = o.datePublished;
    if (typeof o.headline === 'string' && !into.headline) into.headline = o.headline;
    const pub = o.publisher as Record<string, unknown> | undefined;
    if (pub && typeof pub.name === 'string' && !into.publisher) into.publisher = pub.name;
    if (typeof o.url === 'string' && !into.url && /Article|Posting/i.test(String(o['@type'] ?? ''))) into.url = o.url;
    if (o['@graph']) visit(o['@graph']);
  };
  visit(data);
}

/** Parse an HTML document into an article (text may be empty: the caller reports that). */
export function htmlToArticle(html: string): Article & HtmlMeta {
  let skipDepth = 0;
  const stack: string[] = [];
  let inTitle = false;
  let titleText = '';
  let inLd = false;
  let ldText = '';
  const ld: { date?: string; headline?: string; publisher?: string; url?: string } = {};
  const meta: Record<string, string> = {};
  let timeDatetime: string | null = null;
  let canonical: string | null = null;
  let lang: string | null = null;
  let h1 = '';
  let inH1 = false;
  // Text inside <article>/<main> when there is one; the whole body otherwise.
  const body: string[] = [];
  const main: string[] = [];
  let mainDepth = 0;

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        stack.push(name);
        if (name === 'html' && attrs.lang) lang = attrs.lang;
        if (name === 'title') inTitle = true;
        if (name === 'h1') inH1 = true;
        if (name === 'meta') {
          const k = (attrs.property || attrs.name || attrs.itemprop || '').toLowerCase();
          if (k && typeof attrs.content === 'string' && !(k in meta)) meta[k] = attrs.content;
        }
        if (name === 'link' && (attrs.rel || '').toLowerCase() === 'canonical' && attrs.href) canonical = attrs.href;
        if (name === 'time' && attrs.datetime && !timeDatetime) timeDatetime = attrs.datetime;
        if (name === 'script' && (attrs.type || '').toLowerCase() === 'application/ld+json') inLd = true;
        if (SKIP.has(name)) skipDepth++;
        if (name === 'article' || name === 'main') mainDepth++;
        if (BLOCK.has(name)) {
          body.push('\n');
          if (mainDepth) main.push('\n');
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
        if (inLd) ldText += text;
        if (skipDepth > 0) return;
        if (inH1) h1 += text;
        body.push(text);
        if (mainDepth) main.push(text);
      },
      onclosetag(name) {
        // Tolerate unbalanced markup: pop to the matching tag.
        const i = stack.lastIndexOf(name);
        if (i >= 0) stack.length = i;
        if (name === 'title') inTitle = false;
        if (name === 'h1') inH1 = false;
        if (name === 'script' && inLd) {
          jsonLdFields(ldText, ld);
          ldText = '';
          inLd = false;
        }
        if (SKIP.has(name) && skipDepth > 0) skipDepth--;
        if ((name === 'article' || name === 'main') && mainDepth > 0) {
          mainDepth--;
          main.push('\n');
        }
        if (BLOCK.has(name)) {
          body.push('\n');
          if (mainDepth) main.push('\n');
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();

  const clean = (parts: string[]) =>
    parts
      .join('')
      .split('\n')
      .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');
  const mainText = clean(main);
  let text = mainText.length >= 40 ? mainText : clean(body);
  const title = (meta['og:title'] || ld.headline || h1.trim() || titleText.trim() || null)?.replace(/\s+/g, ' ').trim() || null;
  // The headline is usually repeated as the first line of the body: keep it only once.
  if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^\s+/, '');
  const rawDate = meta['article:published_time'] || ld.date || timeDatetime || meta['date'] || meta['pubdate'] || meta['datepublished'] || null;
  return {
    title,
    text,
    date: toDay(rawDate),
    outlet: meta['og:site_name'] || ld.publisher || null,
    url: meta['og:url'] || canonical || ld.url || null,
    language: lang,
  };
}
