// The extractor version stored with every article: re-ingesting after it changes re-extracts.
// $MARSAD_EXTRACTOR_VERSION when set; src/extract/version.ts's EXTRACTOR_VERSION when the extractor exports one; otherwise the package
// version plus a hash of the lexicon data files, so editing a lexicon triggers re-extraction.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { LEXICON_DIR } from '../lexicon/table.js';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** package version + sha256 of lexicon/*.tsv (names and contents, in name order). */
export function computedVersion(lexiconDir = LEXICON_DIR): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: string };
  const h = createHash('sha256');
  let files: string[] = [];
  try {
    files = readdirSync(lexiconDir).filter((f) => f.endsWith('.tsv')).sort();
  } catch {
    /* no lexicon folder: the package version alone */
  }
  for (const f of files) h.update(f).update('\0').update(readFileSync(lexiconDir + f)).update('\0');
  return `${pkg.version ?? '0.0.0'}+${h.digest('hex').slice(0, 12)}`;
}

let cached: string | null = null;

export async function extractorVersion(): Promise<string> {
  // An explicit version (tests, or pinning a deployment) wins; the scale layer reads the same variable.
  if (process.env.MARSAD_EXTRACTOR_VERSION) return process.env.MARSAD_EXTRACTOR_VERSION;
  if (cached) return cached;
  // A variable specifier: the module may not exist (yet); then the computed version is used.
  const spec = '../extract/version.js';
  try {
    const mod = (await import(spec)) as { EXTRACTOR_VERSION?: unknown };
    if (typeof mod.EXTRACTOR_VERSION === 'string' && mod.EXTRACTOR_VERSION) return (cached = mod.EXTRACTOR_VERSION);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  return (cached = computedVersion());
}
