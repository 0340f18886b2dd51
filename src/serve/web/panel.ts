// The event panel: everything about one merged event, then each source article with the
// evidence spans of ITS account of the event highlighted in the original Arabic text.
import { h, bdi, fill } from './dom.js';
import { getArticle, getEvent, type StoredEvent } from './api.js';
import type { Actor, ConflictEvent, Evidence } from '../../types.js';
import { dateText, digitsOf, num, t, tType } from './i18n.js';
import { OTHER_COLOR, TYPE_COLOR } from './colors.js';
import { markedText } from './text.js';
import type { Mark } from './highlight.js';

function actorLine(a: Actor | null | undefined, assoc?: Actor[]): HTMLElement | string {
  if (!a) return '—';
  const el = h('span', {}, bdi(a.name));
  if (a.name_ar && a.name_ar !== a.name) el.append(' ', bdi('(' + a.name_ar + ')', 'ar-inline'));
  for (const x of assoc ?? []) el.append(' + ', bdi(x.name));
  return el;
}

function row(label: string, ...value: (Node | string)[]): HTMLElement {
  return h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, ...value));
}

/** Evidence of one account, as marks for one part (title or text) of its article. */
export function evidenceMarks(ev: ConflictEvent, part: 'title' | 'text'): Mark[] {
  const out: Mark[] = [];
  for (const [field, spans] of Object.entries(ev.evidence ?? {})) {
    for (const sp of (spans ?? []) as Evidence[]) if (sp && sp.part === part) out.push({ start: sp.start, end: sp.end, kind: 'ev', title: field + ': ' + sp.text });
  }
  return out;
}

export async function renderEvent(container: HTMLElement, id: string, onClose: () => void): Promise<void> {
  fill(container, h('div', { class: 'muted' }, t('loading')));
  let e: StoredEvent;
  try {
    e = await getEvent(id);
  } catch (err) {
    fill(container, h('div', { class: 'error' }, t('error') + ': ' + String((err as Error).message)));
    return;
  }
  const loc = e.location;
  const head = h(
    'div',
    { class: 'panel-head' },
    h('span', { class: 'type-dot', style: `background:${TYPE_COLOR[e.event_type] ?? OTHER_COLOR}` }),
    h('h2', {}, tType(e.event_type), h('small', {}, ' · ', tType(e.sub_event_type))),
    h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: onClose }, '×'),
  );
  const facts = h(
    'div',
    { class: 'facts' },
    row(t('date'), dateText(e.event_date ?? '—'), h('span', { class: 'muted' }, ` (${t('date_precision')}: ${t(('time_' + e.time_precision) as 'time_1')})`)),
    row(
      t('location'),
      loc ? bdi(loc.name) : '—',
      loc?.name_ar ? h('span', {}, ' ', bdi('(' + loc.name_ar + ')', 'ar-inline')) : '',
      loc ? h('span', { class: 'muted' }, ' · ', [loc.admin2, loc.admin1, loc.country].filter(Boolean).join(', ')) : '',
    ),
    loc ? row(t('place_precision'), `${t(('geo_' + loc.geo_precision) as 'geo_1')}`, loc.lat != null ? h('span', { class: 'muted' }, ` · \u2066${digitsOf(loc.lat.toFixed(4))}, ${digitsOf((loc.lon ?? 0).toFixed(4))}\u2069`) : '') : '',
    row(t('actor1'), actorLine(e.actor1, e.assoc_actor_1)),
    row(t('actor2'), actorLine(e.actor2, e.assoc_actor_2)),
    row(
      t('fatalities'),
      h('b', {}, num(e.fatalities_best ?? e.fatalities)),
      h('span', { class: 'muted' }, ` (${t('low')} ${num(e.fatalities_low)} · ${t('best')} ${num(e.fatalities_best)} · ${t('high')} ${num(e.fatalities_high)})`),
    ),
    e.fatalities_by_side && Object.keys(e.fatalities_by_side).length
      ? row(t('by_side'), ...Object.entries(e.fatalities_by_side).flatMap(([k, v], i) => [i ? ' · ' : '', h('bdi', { dir: 'auto' }, k + ': ', num(v))]))
      : '',
    e.wounded ? row(t('wounded'), num(e.wounded)) : '',
    e.civilian_targeting ? row(t('civilians'), t('yes')) : '',
    e.notes ? row(t('notes'), h('span', { dir: 'ltr' }, e.notes)) : '',
  );
  const srcTable = h(
    'table',
    { class: 'sources' },
    h('thead', {}, h('tr', {}, h('th', {}, t('outlet')), h('th', {}, t('reported_by')), h('th', {}, t('published')), h('th', {}, t('fatalities')))),
    h(
      'tbody',
      {},
      (e.sources ?? []).map((s) =>
        h('tr', {}, h('td', {}, bdi(s.outlet ?? '—')), h('td', {}, bdi(s.reported_by ?? t('own_voice'))), h('td', {}, dateText(s.published ?? '—')), h('td', { class: 'num' }, num(s.fatalities))),
      ),
    ),
  );
  const articles = h('div', { class: 'articles' });
  fill(container, head, facts, h('h3', {}, t('fatalities_sources')), srcTable, h('h3', {}, t('evidence')), articles);

  // One block per source article, its own account's spans highlighted.
  for (const s of e.sources ?? []) {
    const box = h('section', { class: 'article-box', 'data-article': s.article_id }, h('div', { class: 'muted' }, t('loading')));
    articles.append(box);
    getArticle(s.article_id)
      .then((a) => {
        const meta = h('div', { class: 'article-meta' }, bdi(a.outlet ?? ''), a.date ? ' · ' + dateText(a.date) : '');
        if (a.url && /^https?:\/\//i.test(a.url)) meta.append(' · ', h('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, t('source')));
        const ev = s.event ?? e;
        fill(
          box,
          meta,
          a.title ? markedText(a.title, evidenceMarks(ev, 'title'), 'arabic-title') : '',
          markedText(a.text, evidenceMarks(ev, 'text')),
        );
        // Bring the first highlighted words of the first article into view.
        if (box === articles.firstElementChild) box.querySelector('mark')?.scrollIntoView({ block: 'nearest' });
      })
      .catch((err) => fill(box, h('div', { class: 'error' }, t('error') + ': ' + String(err.message))));
  }
}
