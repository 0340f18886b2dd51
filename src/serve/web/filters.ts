// The filter form. Its values become the shared Filter; suggestions (countries, governorates,
// actors, sources) come from the events already loaded for the map, so no extra endpoint.
import { h, fill } from './dom.js';
import { getToken, setToken, type Filter } from './api.js';
import { EVENT_TYPES, SUB_TYPES } from './colors.js';
import { t, tType } from './i18n.js';
import { setTileUrl, tileUrl } from './map.js';

export interface Suggestions {
  country: string[];
  admin1: string[];
  actor: string[];
  source: string[];
}

export function renderFilters(container: HTMLElement, f: Filter, sugg: Suggestions, onApply: (f: Filter) => void): void {
  const input = (name: keyof Filter, type = 'text', list?: string) =>
    h('input', { name, type, value: f[name] === undefined ? '' : String(f[name]), list, dir: type === 'text' || type === 'search' ? 'auto' : 'ltr', min: type === 'number' ? 0 : undefined, autocomplete: 'off' });
  const datalist = (id: string, values: string[]) => h('datalist', { id }, values.slice(0, 500).map((v) => h('option', { value: v })));
  const label = (text: string, field: HTMLElement) => h('label', {}, h('span', {}, text), field);

  const typeSel = h('select', { name: 'event_type' }, h('option', { value: '' }, t('any')), EVENT_TYPES.map((ty) => h('option', { value: ty, selected: f.event_type === ty }, tType(ty))));
  const subSel = h('select', { name: 'sub_event_type' });
  const fillSubs = () => {
    const ty = typeSel.value;
    const subs = ty ? SUB_TYPES[ty] ?? [] : Object.values(SUB_TYPES).flat();
    fill(subSel, h('option', { value: '' }, t('any')), subs.map((s) => h('option', { value: s, selected: f.sub_event_type === s }, tType(s))));
  };
  fillSubs();
  typeSel.addEventListener('change', fillSubs);

  const form = h(
    'form',
    { class: 'filters', autocomplete: 'off' },
    h('div', { class: 'row2' }, label(t('from'), input('from', 'date')), label(t('to'), input('to', 'date'))),
    label(t('country'), input('country', 'text', 'dl-country')),
    label(t('admin1'), input('admin1', 'text', 'dl-admin1')),
    label(t('event_type'), typeSel),
    label(t('sub_event_type'), subSel),
    label(t('actor'), input('actor', 'text', 'dl-actor')),
    label(t('source'), input('source', 'text', 'dl-source')),
    label(t('min_fatalities'), input('min_fatalities', 'number')),
    label(t('q'), input('q', 'search')),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'with_background', value: 'true', checked: !!f.with_background }), ' ', t('with_background')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('apply')), h('button', { type: 'reset' }, t('reset'))),
    datalist('dl-country', sugg.country),
    datalist('dl-admin1', sugg.admin1),
    datalist('dl-actor', sugg.actor),
    datalist('dl-source', sugg.source),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const out: Filter = {};
    for (const [k, v] of data.entries()) {
      const s = String(v).trim();
      if (!s) continue;
      if (k === 'with_background') out.with_background = true;
      else if (k === 'min_fatalities') {
        const n = Number(s);
        if (Number.isFinite(n) && n > 0) out.min_fatalities = n;
      } else (out as Record<string, string>)[k] = s;
    }
    onApply(out);
  });
  form.addEventListener('reset', (ev) => {
    ev.preventDefault();
    onApply({});
  });
  // Optional base map from the user's own tile server; the default needs no network at all.
  const tiles = h('input', { type: 'url', name: 'tiles', dir: 'ltr', value: tileUrl() ?? '', placeholder: 'https://…/{z}/{x}/{y}.png' });
  const token = h('input', { type: 'password', name: 'token', dir: 'ltr', value: getToken() ?? '', autocomplete: 'off' });
  const settings = h(
    'details',
    { class: 'settings' },
    h('summary', {}, t('settings')),
    h('label', {}, h('span', {}, t('tiles')), tiles),
    h('label', {}, h('span', {}, t('token')), token),
    h('button', { type: 'button', onclick: () => { setTileUrl(tiles.value.trim() || null); setToken(token.value.trim() || null); location.reload(); } }, t('apply')),
  );
  fill(container, form, settings);
}
