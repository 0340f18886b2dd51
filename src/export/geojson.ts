// GeoJSON (RFC 7946) export, streamed: a FeatureCollection of Points [longitude, latitude] whose
// properties are the event's scalar fields (ACLED names) plus the number of sources. Events
// without coordinates cannot be placed on a map: they are skipped and counted for the caller.

import type { Writable } from 'node:stream';
import type { StoredEvent } from '../store/types.js';
import { acledRow } from './acled.js';
import { write } from './write.js';

export interface GeoJsonFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string | number | boolean | null>;
}

/** The feature for one event, or null when it has no usable coordinates. */
export function eventFeature(e: StoredEvent): GeoJsonFeature | null {
  const lat = e.location?.lat;
  const lon = e.location?.lon;
  if (lat == null || lon == null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  const row = acledRow(e);
  const properties: GeoJsonFeature['properties'] = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'latitude' || k === 'longitude' || k === 'evidence') continue;
    properties[k] = v === '' ? null : v;
  }
  properties.civilian_targeting = e.civilian_targeting;
  properties.location_ar = e.location?.name_ar ?? null;
  properties.status = e.status;
  properties.background = e.background;
  properties.wounded = e.wounded ?? null;
  properties.sources = e.sources?.length ?? 0;
  return { type: 'Feature', id: e.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

/** Write the FeatureCollection to `out`; does not end `out`. */
export async function writeGeoJson(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>, out: Writable): Promise<{ events: number; skipped: number }> {
  await write(out, '{"type":"FeatureCollection","features":[\n');
  let n = 0;
  let skipped = 0;
  for await (const e of events) {
    const f = eventFeature(e);
    if (!f) {
      skipped++;
      continue;
    }
    await write(out, (n ? ',\n' : '') + JSON.stringify(f));
    n++;
  }
  await write(out, '\n]}\n');
  return { events: n, skipped };
}
