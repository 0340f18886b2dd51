// The dashboard page: one shared filter drives the map, the timeline, the table and the
// export links; the event panel and the article view hang off it. The filter lives in the URL
// so a view can be bookmarked or shared.
import '@fontsource/noto-naskh-arabic/arabic-400.css';
import '@fontsource/noto-naskh-arabic/arabic-700.css';
import './style.css';
import { h, fill } from './dom.js';
import { FILTER_KEYS, authorized, exportUrl, getToken, getAggregates, getEvents, getGeoJson, type EventSort, type Filter, type StoredEvent } from './api.js';
import { createMap, dayOf, type EventMap, type MapEvent } from './map.js';
import { createTimeline, type Timeline } from './timeline.js';
import { renderTable, PAGE_SIZE } from './table.js';
import { renderFilters, type Suggestions } from './filters.js';
import { renderEvent } from './panel.js';
import { renderArticleView } from './article.js';
import { getDigits, getLang, setDigits, setLang, t, tType, type Digits } from './i18n.js';
import { TERRITORY, TYPE_COLOR } from './colors.js';

/** Upper bound of events fetched for the map (the GPU layer takes them all). */
const MAP_MAX = 200_000;

interface State {
  filter: Filter;
  sort: EventSort;
  offset: number;
  selected: string | null;
  view: 'map' | 'article';
}

const state: State = { filter: readFilter(), sort: '-event_date', offset: 0, selected: null, view: 'map' };
{
  const p = new URLSearchParams(location.search);
  if (p.get('view') === 'article') state.view = 'article';
  if (p.get('event')) state.selected = p.get('event');
}

function readFilter(): Filter {
  const p = new URLSearchParams(location.search);
  const f: Filter = {};
  for (const k of FILTER_KEYS) {
    const v = p.get(k);
    if (!v) continue;
    if (k === 'min_fatalities') f.min_fatalities = Number(v) || undefined;
    else if (k === 'with_background') f.with_background = v === 'true';
    else (f as Record<string, string>)[k] = v;
  }
  return f;
}

function writeUrl(): void {
  const p = new URLSearchParams(location.search);
  for (const k of [...FILTER_KEYS, 'view', 'event']) p.delete(k);
  for (const k of FILTER_KEYS) if (state.filter[k] !== undefined && state.filter[k] !== '') p.set(k, String(state.filter[k]));
  if (state.view === 'article') p.set('view', 'article');
  if (state.selected) p.set('event', state.selected);
  const s = p.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

// ---- layout -------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const header = h('header', { class: 'top' });
const filtersBox = h('aside', { class: 'sidebar' });
const mapBox = h('div', { class: 'map', dir: 'ltr' });
const mapLegend = h('div', { class: 'map-legend' });
const timelineBox = h('div', { class: 'timeline' });
const tableBox = h('div', { class: 'table' });
const panel = h('aside', { class: 'panel', hidden: true });
const mapView = h('main', { class: 'view-map' }, h('div', { class: 'map-wrap' }, mapBox, mapLegend), timelineBox, tableBox);
const articleView = h('main', { class: 'view-article', hidden: true });
const body = h('div', { class: 'body' }, filtersBox, mapView, articleView, panel);
fill(app, header, body);

function applyLangToDocument(): void {
  const lang = getLang();
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('title');
}

function renderHeader(): void {
  const tab = (v: State['view'], label: string) =>
    h('button', { type: 'button', class: 'tab' + (state.view === v ? ' active' : ''), 'data-view': v, onclick: () => setView(v) }, label);
  const digitBtn = (d: Digits) =>
    h('button', { type: 'button', class: 'digits' + (getDigits() === d ? ' active' : ''), 'data-digits': d, title: t('digits'), onclick: () => { setDigits(d); rerenderAll(); } }, t(d === 'latn' ? 'd_latn' : 'd_arab'));
  fill(
    header,
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◉'), ' ', t('brand')),
    h('nav', { class: 'tabs' }, tab('map', t('tab_map')), tab('article', t('tab_article'))),
    h(
      'div',
      { class: 'tools' },
      h('span', { class: 'export' }, t('export') + ': ', exportLink('acled-csv', 'export-csv', 'marsad-events.csv', t('export_csv')), ' ', exportLink('geojson', 'export-geojson', 'marsad-events.geojson', t('export_geojson'))),
      h('span', { class: 'digit-switch', role: 'group' }, digitBtn('latn'), digitBtn('arab')),
      h('button', { type: 'button', class: 'lang', id: 'lang-switch', lang: getLang() === 'ar' ? 'en' : 'ar', onclick: () => { setLang(getLang() === 'ar' ? 'en' : 'ar'); rerenderAll(); } }, t('language')),
    ),
  );
}

/** A download link for the current filter; with a read token it downloads through fetch (links cannot send headers). */
function exportLink(format: 'acled-csv' | 'geojson', id: string, file: string, label: string): HTMLElement {
  const href = exportUrl(format, state.filter);
  return h('a', {
    class: 'btn',
    id,
    href,
    download: file,
    onclick: (ev: Event) => {
      if (!getToken()) return;
      ev.preventDefault();
      fetch(href, authorized())
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
        .then((b) => {
          const a = h('a', { href: URL.createObjectURL(b), download: file });
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        })
        .catch(showError);
    },
  }, label);
}

function renderMapLegend(): void {
  fill(
    mapLegend,
    Object.entries(TYPE_COLOR).map(([ty, c]) => h('div', {}, h('i', { class: 'dot', style: `background:${c}` }), tType(ty))),
    Object.entries(TERRITORY).map(([ty, c]) => h('div', {}, h('i', { class: 'ring', style: `border-color:${c}` }), tType(ty))),
  );
}
function setView(v: State['view']): void {
  state.view = v;
  mapView.hidden = v !== 'map';
  filtersBox.hidden = v !== 'map';
  articleView.hidden = v !== 'article';
  // The event panel belongs to the map view; it comes back with it.
  panel.hidden = v !== 'map' || !state.selected;
  if (v === 'article' && !articleView.childElementCount) renderArticleView(articleView);
  if (v === 'map') emap.map.resize();
  renderHeader();
  writeUrl();
}

// ---- data ---------------------------------------------------------------------------------
const emap: EventMap = createMap(mapBox, (id) => openEvent(id, true));
const timeline: Timeline = createTimeline(
  timelineBox,
  (range) => setFilter({ ...state.filter, from: range?.[0], to: range?.[1] }),
  (win) => emap.setDayWindow(win ? win[0] : null, win ? win[1] : null),
);
let sugg: Suggestions = { country: [], admin1: [], actor: [], source: [] };
let mapCtrl: AbortController | null = null;
let tableCtrl: AbortController | null = null;
let tlCtrl: AbortController | null = null;
let firstFit = true;
let lastRows: Awaited<ReturnType<typeof getAggregates>>['rows'] = [];
let lastPage: { total: number; items: StoredEvent[] } = { total: 0, items: [] };

/**
 * Every event of the filter, for the map, in ONE streamed request: the GeoJSON export carries
 * id, coordinates and the ACLED scalar fields, which is all the map and the suggestions need.
 */
async function loadMap(): Promise<void> {
  mapCtrl?.abort();
  const ctrl = (mapCtrl = new AbortController());
  const out: MapEvent[] = [];
  const seen = { country: new Set<string>(), admin1: new Set<string>(), actor: new Set<string>(), source: new Set<string>() };
  try {
    const fc = await getGeoJson(state.filter, MAP_MAX, ctrl.signal);
    for (const f of fc.features ?? []) {
      const p = f.properties ?? {};
      const [lon, lat] = f.geometry?.coordinates ?? [NaN, NaN];
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
      const date = typeof p.event_date === 'string' ? p.event_date : null;
      out.push({ id: String(f.id ?? p.event_id_cnty), lon, lat, event_type: String(p.event_type ?? ''), sub_event_type: String(p.sub_event_type ?? ''), event_date: date, day: dayOf(date), fatalities: Number(p.fatalities) || 0, actor1: p.actor1 ? String(p.actor1) : undefined });
      if (p.country) seen.country.add(String(p.country));
      if (p.admin1) seen.admin1.add(String(p.admin1));
      for (const k of ['actor1', 'actor2']) if (p[k]) seen.actor.add(String(p[k]));
      // ACLED's source column lists the sources joined by "; ".
      for (const s of String(p.source ?? '').split(';')) if (s.trim()) seen.source.add(s.trim());
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    showError(err);
  }
  emap.setEvents(out, firstFit);
  firstFit = false;
  // Suggestions only grow: a narrowed filter should not hide the way back.
  const merge = (a: string[], b: Set<string>) => [...new Set([...a, ...b])].sort();
  sugg = { country: merge(sugg.country, seen.country), admin1: merge(sugg.admin1, seen.admin1), actor: merge(sugg.actor, seen.actor), source: merge(sugg.source, seen.source) };
  renderFilters(filtersBox, state.filter, sugg, setFilter);
}

async function loadTimeline(): Promise<void> {
  tlCtrl?.abort();
  const ctrl = (tlCtrl = new AbortController());
  // The timeline shows the whole period for the other filters; the date filter is its brush.
  const { from: _f, to: _t, ...rest } = state.filter;
  try {
    const r = await getAggregates('day', rest, 'event_type', ctrl.signal);
    lastRows = r.rows;
    timeline.render(lastRows, state.filter.from && state.filter.to ? [state.filter.from, state.filter.to] : null);
  } catch (err) {
    if ((err as Error).name !== 'AbortError') showError(err);
  }
}

async function loadTable(): Promise<void> {
  tableCtrl?.abort();
  const ctrl = (tableCtrl = new AbortController());
  tableBox.classList.add('loading');
  try {
    lastPage = await getEvents(state.filter, state.sort, PAGE_SIZE, state.offset, ctrl.signal);
    drawTable();
  } catch (err) {
    if ((err as Error).name !== 'AbortError') showError(err);
  } finally {
    tableBox.classList.remove('loading');
  }
}

function drawTable(): void {
  renderTable(tableBox, lastPage, state.sort, state.offset, {
    sort: (s) => { state.sort = s; state.offset = 0; loadTable(); },
    page: (o) => { state.offset = o; loadTable(); },
    pick: (id) => openEvent(id),
  }, state.selected);
}

function showError(err: unknown): void {
  const box = h('div', { class: 'toast error', role: 'alert' }, t('error') + ': ' + String((err as Error)?.message ?? err));
  document.body.append(box);
  setTimeout(() => box.remove(), 6000);
}

function setFilter(f: Filter): void {
  state.filter = f;
  state.offset = 0;
  writeUrl();
  renderHeader();
  renderFilters(filtersBox, state.filter, sugg, setFilter);
  return void Promise.all([loadMap(), loadTimeline(), loadTable()]);
}

function openEvent(id: string, fromMap = false): void {
  state.selected = id;
  writeUrl();
  panel.hidden = false;
  emap.select(id);
  if (!fromMap) {
    emap.map.resize(); // the panel just took its width: centre on the new size
    emap.focus(id);
  }
  renderEvent(panel, id, closeEvent);
  tableBox.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
  tableBox.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('selected');
}
function closeEvent(): void {
  state.selected = null;
  panel.hidden = true;
  emap.select(null);
  writeUrl();
  tableBox.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
}

function rerenderAll(): void {
  applyLangToDocument();
  renderHeader();
  renderMapLegend();
  renderFilters(filtersBox, state.filter, sugg, setFilter);
  timeline.render(lastRows, state.filter.from && state.filter.to ? [state.filter.from, state.filter.to] : null);
  drawTable();
  if (state.selected) renderEvent(panel, state.selected, closeEvent);
  if (articleView.childElementCount) {
    articleView.replaceChildren();
    if (state.view === 'article') renderArticleView(articleView);
  }
}

// ---- start --------------------------------------------------------------------------------
applyLangToDocument();
renderHeader();
renderMapLegend();
renderFilters(filtersBox, state.filter, sugg, setFilter);
setView(state.view);
const loaded = Promise.all([loadMap(), loadTimeline(), loadTable()]);
if (state.selected) openEvent(state.selected);

// Test and debugging hook: the map and what it shows (used by the e2e tests).
declare global {
  interface Window {
    __marsad: unknown;
  }
}
window.__marsad = {
  map: emap.map,
  shown: () => emap.shown(),
  ready: () => Promise.all([emap.ready, loaded]).then(() => new Promise<void>((r) => (emap.map.loaded() ? r() : emap.map.once('idle', () => r())))),
  state,
  /** Feed n synthetic events to the map layer (performance check with 100k points). */
  synthetic(n: number) {
    const types = Object.keys(TYPE_COLOR);
    const evs: MapEvent[] = [];
    for (let i = 0; i < n; i++) {
      evs.push({ id: 'syn' + i, lon: 35.7 + Math.random() * 6.5, lat: 32.4 + Math.random() * 4.8, event_type: types[i % types.length], sub_event_type: 'Armed clash', event_date: '2020-01-01', day: 18262 + (i % 365), fatalities: i % 17 === 0 ? i % 50 : 0 });
    }
    emap.setEvents(evs, false);
  },
};
