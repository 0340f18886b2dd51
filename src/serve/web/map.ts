// The map: MapLibre with a style built here, no remote tiles or glyphs. Base layers are the
// world-atlas country outlines and Syrian governorates bundled at build time; a user with a
// raster tile server may set its URL (?tiles= or the settings field, kept in localStorage).
// Events go through GeoJSON sources and circle layers (drawn on the GPU): 100k points are
// one buffer, not 100k DOM nodes. Only cluster count badges are DOM, and at most MAX_BADGES.
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre's worker ships as its own file: Vite copies it into the build, and we point at it.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
maplibregl.setWorkerUrl(workerUrl);
import { OTHER_COLOR, TERRITORY, TYPE_COLOR } from './colors.js';
import { dateText, num, t, tType } from './i18n.js';

export interface MapEvent {
  id: string;
  lon: number;
  lat: number;
  event_type: string;
  sub_event_type: string;
  event_date: string | null;
  /** Days since 1970-01-01, for replay filtering. */
  day: number;
  fatalities: number;
  /** Who acted (for territory changes: who took the ground). */
  actor1?: string;
}

const MAX_BADGES = 300;

export function dayOf(date: string | null | undefined): number {
  if (!date) return NaN;
  return Math.floor(Date.parse(date.slice(0, 10) + 'T00:00:00Z') / 86400000);
}
export function dateOf(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

const SEA = '#dfe9f1';
const LAND = '#f6f4ef';

/** The style the map starts with: a plain background (or the user's tiles), nothing to fetch. */
function style(tiles: string | null): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  const layers: StyleSpecification['layers'] = [{ id: 'bg', type: 'background', paint: { 'background-color': tiles ? SEA : LAND } }];
  if (tiles) {
    sources.user = { type: 'raster', tiles: [tiles], tileSize: 256 };
    layers.push({ id: 'user-tiles', type: 'raster', source: 'user' });
  }
  return { version: 8, sources, layers };
}

/**
 * Country outlines and governorates, added under the event layers once the events are drawn:
 * MapLibre runs one worker on a 2-core machine, and tiling 0.9 MB of outlines first would hold
 * the points back. Built by vite.config.ts into the page's own folder: no internet needed.
 */
function addBaseLayers(map: MlMap, tiles: string | null): void {
  if (map.getSource('countries')) return;
  map.addSource('countries', { type: 'geojson', data: new URL('countries.json', document.baseURI).href });
  map.addSource('admin1', { type: 'geojson', data: new URL('admin1.json', document.baseURI).href });
  const below = map.getLayer('clusters') ? 'clusters' : undefined;
  if (!tiles) {
    map.setPaintProperty('bg', 'background-color', SEA);
    map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': LAND } }, below);
  }
  map.addLayer({ id: 'admin1-line', type: 'line', source: 'admin1', paint: { 'line-color': '#a6a29a', 'line-width': 0.7, 'line-dasharray': [2, 2] } }, below);
  map.addLayer({ id: 'country-line', type: 'line', source: 'countries', paint: { 'line-color': '#77736b', 'line-width': 1.1 } }, below);
}

const typeColor: any = ['match', ['get', 'event_type'], ...Object.entries(TYPE_COLOR).flat(), OTHER_COLOR];

// Clusters count their events per type (t0..t5) and take the colour of the most frequent one.
const TYPES = Object.keys(TYPE_COLOR);
const typeCounts: Record<string, any> = Object.fromEntries(TYPES.map((ty, i) => ['t' + i, ['+', ['case', ['==', ['get', 'event_type'], ty], 1, 0]]]));
const clusterColor: any = [
  'case',
  ...TYPES.slice(0, -1).flatMap((ty, i) => [['all', ...TYPES.map((_, j) => (j === i ? true : ['>=', ['get', 't' + i], ['get', 't' + j]]))], TYPE_COLOR[ty]]),
  TYPE_COLOR[TYPES[TYPES.length - 1]],
];
const radius: any = ['interpolate', ['linear'], ['get', 'fatalities'], 0, 5, 1, 6.5, 10, 10, 100, 17, 1000, 26];

export interface EventMap {
  map: MlMap;
  /** Replace the events shown (after a filter change). */
  setEvents(events: MapEvent[], fit: boolean): void;
  /** Show only events with day in [from, to] (replay); null shows all loaded. */
  setDayWindow(from: number | null, to: number | null): void;
  /** Ring the event open in the panel (null: none). */
  select(id: string | null): void;
  /** Bring an event into view, zoomed past the clusters. */
  focus(id: string): void;
  /** The GeoJSON features currently fed to the map (test hook and replay). */
  shown(): MapEvent[];
  ready: Promise<void>;
}

/** The user's raster tile URL template ({z}/{x}/{y}), from ?tiles= or the settings field. */
export function tileUrl(): string | null {
  return new URLSearchParams(location.search).get('tiles') || localStorage.getItem('marsad.tiles') || null;
}
export function setTileUrl(url: string | null): void {
  if (url) localStorage.setItem('marsad.tiles', url);
  else localStorage.removeItem('marsad.tiles');
}

export function createMap(container: HTMLElement, onPick: (id: string) => void): EventMap {
  const tiles = tileUrl();
  const map = new maplibregl.Map({
    container,
    style: style(tiles),
    center: [38.5, 35],
    zoom: 5.3,
    attributionControl: { compact: true, customAttribution: 'Natural Earth (world-atlas) · OCHA/UNCS COD-AB' },
    canvasContextAttributes: { preserveDrawingBuffer: true }, // screenshots in tests
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({}), 'bottom-left');

  let all: MapEvent[] = [];
  let selected: string | null = null;
  let shown: MapEvent[] = [];
  let window: [number, number] | null = null;
  const badges = new Map<number, maplibregl.Marker>();

  // Event layers go in as soon as the style is parsed, not after the base layers have loaded
  // ('load'): the points must not wait for the country outlines to be tiled.
  const styled = new Promise<void>((resolve) => (map.isStyleLoaded() ? resolve() : map.once('style.load', () => resolve())));
  const ready = new Promise<void>((resolve) => map.once('load', () => resolve()));

  // Events placed at the same coordinates (several events in one town) are drawn on a small
  // spiral around it (~600 m a step, visible once zoomed past the clusters) so each stays
  // clickable; the data, the tooltip and the panel keep the true point.
  const toFc = (evs: MapEvent[]) => {
    const seen = new Map<string, number>();
    return {
      type: 'FeatureCollection' as const,
      features: evs.map((e) => {
        const key = e.lon.toFixed(5) + ',' + e.lat.toFixed(5);
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        const a = n * 2.4;
        const r = n ? 0.006 * Math.sqrt(n) : 0;
        return {
          type: 'Feature' as const,
          properties: { id: e.id, event_type: e.event_type, sub_event_type: e.sub_event_type, fatalities: e.fatalities, day: e.day, actor1: e.actor1 ?? '' },
          geometry: { type: 'Point' as const, coordinates: [e.lon + r * Math.cos(a), e.lat + r * Math.sin(a)] },
        };
      }),
    };
  };

  // Without events (an empty filter, an API error) the outlines still come, a little later.
  styled.then(() => setTimeout(() => addBaseLayers(map, tiles), 1500));
  styled.then(() => {
    performance.mark('marsad:style-parsed');
    map.addSource('events', {
      type: 'geojson',
      data: toFc([]),
      cluster: true,
      // Events closer than ~24 px merge into a counted disc (in the colour of their most frequent
      // type) up to zoom 10; beyond it each event is its own point.
      clusterMaxZoom: 10,
      clusterRadius: 24,
      clusterProperties: { fatalities: ['+', ['get', 'fatalities']], ...typeCounts },
      promoteId: 'id',
    });
    map.addSource('territory', { type: 'geojson', data: toFc([]) });
    map.addLayer({
      id: 'clusters',
      type: 'circle',
      source: 'events',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': clusterColor,
        'circle-opacity': 0.85,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 11, 50, 18, 1000, 28, 50000, 40],
        'circle-stroke-color': '#3b3f46',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'points',
      type: 'circle',
      source: 'events',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': typeColor,
        'circle-radius': radius,
        'circle-opacity': 0.85,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    });
    // Territory changes: hollow rings, thick, in the taker's colour, never clustered away.
    map.addLayer({
      id: 'territory',
      type: 'circle',
      source: 'territory',
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': ['+', radius, 5],
        'circle-stroke-width': 3.5,
        'circle-stroke-color': ['match', ['get', 'sub_event_type'], ...Object.entries(TERRITORY).flat(), OTHER_COLOR] as any,
      },
    });
    // One reused popup for hover: type, date and fatalities of the point under the pointer.
    const tip = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'map-tip' });
    map.addLayer({
      id: 'selected',
      type: 'circle',
      source: 'events',
      filter: ['==', ['get', 'id'], selected ?? ''],
      paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': ['+', radius, 4], 'circle-stroke-width': 2.5, 'circle-stroke-color': '#111' },
    });
    for (const layer of ['points', 'territory']) {
      map.on('click', layer, (e) => {
        const id = e.features?.[0]?.properties?.id;
        if (id) onPick(String(id));
      });
      map.on('mousemove', layer, (e) => {
        map.getCanvas().style.cursor = 'pointer';
        const p = e.features?.[0]?.properties;
        if (!p) return;
        const el = document.createElement('div');
        const b = document.createElement('b');
        b.textContent = tType(p.sub_event_type || p.event_type);
        el.append(b, document.createElement('br'), dateText(Number.isFinite(p.day) ? dateOf(p.day) : ''), ' · ', `${t('fatalities')}: ${num(p.fatalities)}`);
        if (p.actor1) {
          const who = document.createElement('bdi');
          who.textContent = p.actor1;
          el.append(document.createElement('br'), `${t('actor1')}: `, who);
        }
        tip.setLngLat(e.lngLat).setDOMContent(el).addTo(map);
      });
      map.on('mouseleave', layer, () => {
        map.getCanvas().style.cursor = '';
        tip.remove();
      });
    }
    map.on('click', 'clusters', async (e) => {
      const f = e.features?.[0];
      if (!f) return;
      const zoom = await (map.getSource('events') as GeoJSONSource).getClusterExpansionZoom(f.properties!.cluster_id);
      map.easeTo({ center: (f.geometry as any).coordinates, zoom });
    });
    map.on('mouseenter', 'clusters', () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', 'clusters', () => (map.getCanvas().style.cursor = ''));
    map.on('idle', updateBadges);
  });

  /** Count badges on the visible clusters (DOM, since the style has no glyphs to draw text). */
  function updateBadges(): void {
    if (!map.getSource('events')) return;
    const feats = map.querySourceFeatures('events', { filter: ['has', 'point_count'] });
    const seen = new Set<number>();
    for (const f of feats) {
      const cid = f.properties!.cluster_id as number;
      if (seen.has(cid) || seen.size >= MAX_BADGES) continue;
      seen.add(cid);
      let m = badges.get(cid);
      const label = num(f.properties!.point_count as number);
      if (!m) {
        const el = document.createElement('div');
        el.className = 'cluster-badge';
        m = new maplibregl.Marker({ element: el }).setLngLat((f.geometry as any).coordinates).addTo(map);
        badges.set(cid, m);
      }
      m.getElement().textContent = label;
    }
    for (const [cid, m] of badges) if (!seen.has(cid)) {
      m.remove();
      badges.delete(cid);
    }
  }

  /** Performance mark for the first frame that has the events in it (first paint with data). */
  function markDrawn(): void {
    if (performance.getEntriesByName('marsad:events-drawn').length) return;
    const on = (e: any) => {
      if (e.sourceId !== 'events' || !map.isSourceLoaded('events')) return;
      map.off('sourcedata', on);
      map.once('render', () => {
        performance.mark('marsad:events-drawn');
        addBaseLayers(map, tiles);
      });
      map.triggerRepaint();
    };
    map.on('sourcedata', on);
  }

  function push(): void {
    shown = window ? all.filter((e) => e.day >= window![0] && e.day <= window![1]) : all;
    const isTerr = (e: MapEvent) => e.sub_event_type in TERRITORY;
    (map.getSource('events') as GeoJSONSource | undefined)?.setData(toFc(shown.filter((e) => !isTerr(e))));
    // Territory taken stays on the map once taken: replay shows the front moving over time.
    const terr = all.filter((e) => isTerr(e) && (!window || e.day <= window[1]));
    (map.getSource('territory') as GeoJSONSource | undefined)?.setData(toFc(terr));
  }

  return {
    map,
    ready,
    shown: () => shown,
    setEvents(events, fit) {
      performance.mark('marsad:events-received');
      all = events;
      styled.then(() => {
        push();
        markDrawn();
        if (fit && events.length) {
          const b = new maplibregl.LngLatBounds();
          for (const e of events) b.extend([e.lon, e.lat]);
          map.fitBounds(b, { padding: 60, maxZoom: 8, duration: 0 });
        }
      });
    },
    focus(id) {
      const e = all.find((x) => x.id === id);
      if (e) styled.then(() => map.easeTo({ center: [e.lon, e.lat], zoom: Math.max(map.getZoom(), 11), duration: 500 }));
    },
    select(id) {
      selected = id;
      styled.then(() => map.getLayer('selected') && map.setFilter('selected', ['==', ['get', 'id'], id ?? '']));
    },
    setDayWindow(from, to) {
      window = from === null || to === null ? null : [from, to];
      styled.then(push);
    },
  };
}
