// Vite build of the dashboard: src/serve/web -> dist/web, served by `marsad serve` at /.
// Base layers are turned into plain GeoJSON here, at build time, so the page fetches nothing
// from the internet: country outlines from world-atlas (npm), Syrian governorates from the
// OCHA COD-AB file in the shared gazetteer when it is present beside the repo.
import { defineConfig } from 'vite';
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const require = createRequire(import.meta.url);

/** Round coordinates (~100 m) and drop repeated points: a smaller bundle, same picture. */
function shrink(geom: any): any {
  const r = (c: number[]) => [Math.round(c[0] * 1000) / 1000, Math.round(c[1] * 1000) / 1000];
  const ring = (cs: number[][]) => {
    const out: number[][] = [];
    for (const c of cs) {
      const p = r(c);
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  if (geom.type === 'Polygon') return { type: 'Polygon', coordinates: geom.coordinates.map(ring) };
  if (geom.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: geom.coordinates.map((p: any) => p.map(ring)) };
  return geom;
}

/** Write the base layers as static JSON files that MapLibre loads (and parses in its worker). */
function baseLayers(dir: string): void {
  mkdirSync(dir, { recursive: true });
  // Natural Earth 1:50m where the observatory looks (Middle East, North and East Africa),
  // 1:110m elsewhere: the file (and the worker's tiling) stays small.
  const load = (scale: string) => {
    const topo = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${scale}.json`), 'utf8'));
    return (feature(topo, topo.objects.countries) as any).features as any[];
  };
  const REGION = [-20, -5, 75, 45]; // minLon, minLat, maxLon, maxLat
  const inRegion = (f: any) => {
    let hit = false;
    const walk = (c: any): void => {
      if (hit) return;
      if (typeof c[0] === 'number') {
        if (c[0] >= REGION[0] && c[0] <= REGION[2] && c[1] >= REGION[1] && c[1] <= REGION[3]) hit = true;
      } else for (const x of c) walk(x);
    };
    if (f.geometry) walk(f.geometry.coordinates);
    return hit;
  };
  const fine = load('50m').filter(inRegion);
  const fineIds = new Set(fine.map((f) => f.id));
  const coarse = load('110m').filter((f) => !fineIds.has(f.id));
  const countries = {
    type: 'FeatureCollection',
    features: [...fine, ...coarse].filter((f) => f.geometry).map((f) => ({ type: 'Feature', properties: { name: f.properties?.name }, geometry: shrink(f.geometry) })),
  };
  writeFileSync(resolve(dir, 'countries.json'), JSON.stringify(countries));
  const shared = process.env.MARSAD_SHARED ?? resolve(repo, '../shared');
  const adm1Path = resolve(shared, 'data/gazetteer/ocha-cod-ab-syria-2016/syr_admin1_2016.geojson');
  let admin1: any = { type: 'FeatureCollection', features: [] };
  if (existsSync(adm1Path)) {
    const g = JSON.parse(readFileSync(adm1Path, 'utf8'));
    admin1.features = g.features.map((f: any) => ({
      type: 'Feature',
      properties: { name: f.properties.NAME_EN, name_ar: f.properties.NAME_AR },
      geometry: shrink(f.geometry),
    }));
  }
  writeFileSync(resolve(dir, 'admin1.json'), JSON.stringify(admin1));
}

const publicDir = resolve(repo, 'node_modules/.cache/marsad-web');
baseLayers(publicDir);

export default defineConfig({
  root: here,
  base: './',
  publicDir,
  build: {
    outDir: resolve(repo, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    target: 'es2022',
  },
  server: { proxy: { '/api': process.env.MARSAD_API ?? 'http://127.0.0.1:8080' } },
});
