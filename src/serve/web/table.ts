// The event table: one page of /api/events, sortable by date or fatalities, paginated.
import { h, bdi, fill } from './dom.js';
import type { EventSort, Page, StoredEvent } from './api.js';
import { dateText, digitsOf, num, t, tType } from './i18n.js';
import { OTHER_COLOR, TYPE_COLOR } from './colors.js';

export const PAGE_SIZE = 25;

export function renderTable(
  container: HTMLElement,
  page: Page<StoredEvent>,
  sort: EventSort,
  offset: number,
  on: { sort(s: EventSort): void; page(offset: number): void; pick(id: string): void },
  selected: string | null,
): void {
  const sortable = (label: string, key: 'event_date' | 'fatalities') => {
    const active = sort === key || sort === '-' + key;
    const desc = sort === '-' + key;
    const next: EventSort = active && desc ? key : (('-' + key) as EventSort);
    return h(
      'th',
      { class: 'sortable' + (active ? ' active' : ''), 'aria-sort': active ? (desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', 'data-sort': key, onclick: () => on.sort(next) }, label, active ? (desc ? ' ▼' : ' ▲') : ' ↕'),
    );
  };
  const head = h(
    'tr',
    {},
    sortable(t('date'), 'event_date'),
    h('th', {}, t('type')),
    h('th', {}, t('sub_type')),
    h('th', {}, t('location')),
    h('th', {}, t('admin1')),
    h('th', {}, t('actor1')),
    h('th', {}, t('actor2')),
    sortable(t('fatalities'), 'fatalities'),
    h('th', {}, t('sources')),
  );
  const body = h('tbody', {});
  for (const e of page.items) {
    body.append(
      h(
        'tr',
        { 'data-id': e.id, class: e.id === selected ? 'selected' : '', tabindex: 0, onclick: () => on.pick(e.id), onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Enter' && on.pick(e.id) },
        h('td', { class: 'nowrap' }, dateText(e.event_date ?? '—')),
        h('td', {}, h('span', { class: 'type-dot', style: `background:${TYPE_COLOR[e.event_type] ?? OTHER_COLOR}` }), tType(e.event_type)),
        h('td', {}, tType(e.sub_event_type)),
        h('td', {}, bdi(e.location?.name ?? '—'), e.location?.name_ar ? h('span', { class: 'muted' }, ' ', bdi(e.location.name_ar)) : ''),
        h('td', {}, bdi(e.location?.admin1 ?? '')),
        h('td', {}, bdi(e.actor1?.name ?? '')),
        h('td', {}, bdi(e.actor2?.name ?? '')),
        h('td', { class: 'num' }, num(e.fatalities_best ?? e.fatalities)),
        h('td', { class: 'num' }, num(e.sources?.length ?? 0)),
      ),
    );
  }
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const cur = Math.floor(offset / PAGE_SIZE) + 1;
  const pager = h(
    'div',
    { class: 'pager' },
    h('span', { class: 'count' }, `${num(page.total)} ${t('events')}`),
    h('button', { type: 'button', class: 'prev', disabled: offset <= 0, onclick: () => on.page(Math.max(0, offset - PAGE_SIZE)) }, t('prev')),
    h('span', {}, `${t('page')} ${num(cur)} ${t('of')} ${num(pages)}`),
    h('button', { type: 'button', class: 'next', disabled: offset + PAGE_SIZE >= page.total, onclick: () => on.page(offset + PAGE_SIZE) }, t('next')),
  );
  fill(
    container,
    pager,
    page.items.length ? h('table', { class: 'events' }, h('thead', {}, head), body) : h('div', { class: 'empty' }, t('no_events')),
  );
}
