// Test support: the shared real data (../shared, beside the repo) and the full gazetteer built
// from it once, cached in the OS temp folder so each test file does not rebuild it.

import { existsSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGazetteer, type BuildResult } from './build.js';
import { writeGazetteerFile } from './store.js';
import { loadGazetteer, type Gazetteer } from './index.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = join(REPO, '..', 'shared');
export const GAZ_DATA = join(SHARED, 'data', 'gazetteer');

export const FULL_SOURCES = {
  adminGeojson: [1, 2, 3].map((n) => join(GAZ_DATA, 'ocha-cod-ab-syria-2016', `syr_admin${n}_2016.geojson`)),
  opensyria: [join(GAZ_DATA, 'opensyria-admin')],
  ocha: [join(GAZ_DATA, 'ocha-communities-syria-2015', 'syr_communities_adm4_2015.csv')],
  geonames: [join(GAZ_DATA, 'geonames-cities500-region', 'cities500_SY_IQ_LB_JO_PS_YE_LY_SD.tsv')],
  osm: [join(GAZ_DATA, 'osm-places-syria-2014', 'osm_places_syria_2014.csv')],
};

export function haveSharedData(): boolean {
  return existsSync(FULL_SOURCES.ocha[0]);
}

/** Stamp of the code and data that make the full gazetteer, so a stale cache is rebuilt. */
function stamp(): string {
  let h = 0;
  const files = [...Object.values(FULL_SOURCES).flat(), ...readdirSync(join(REPO, 'src/gazetteer'), { recursive: true }).map((f) => join(REPO, 'src/gazetteer', String(f))), join(REPO, 'lexicon/admin1.tsv'), join(REPO, 'lexicon/landmarks.tsv'), join(REPO, 'lexicon/cities-extra.tsv')];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const s = statSync(f);
    if (s.isDirectory()) continue;
    h = (h * 31 + Math.floor(s.mtimeMs) + s.size) % 2147483647;
  }
  return h.toString(36);
}

const cachePath = () => join(tmpdir(), `marsad-test-full-gazetteer-${stamp()}.json`);

let building: Promise<BuildResult> | undefined;

/**
 * One build of the full gazetteer per test process (with its import reports), also written to the
 * cache file when that is missing: a test file that checks the importers and then loads the file
 * builds once, not twice.
 */
export function fullBuild(): Promise<BuildResult> {
  building ??= buildGazetteer({ ...FULL_SOURCES, quiet: true }).then((r) => {
    const p = cachePath();
    if (!existsSync(p)) writeGazetteerFile(p, r.entries, r.sources);
    return r;
  });
  return building;
}

/** Path of the full Syrian gazetteer built from ../shared (built on first use). */
export async function fullGazetteerPath(): Promise<string> {
  const p = cachePath();
  if (!existsSync(p)) await fullBuild();
  return p;
}

export async function fullGazetteer(): Promise<Gazetteer> {
  return loadGazetteer(await fullGazetteerPath());
}
