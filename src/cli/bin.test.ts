// The README's first command runs the built bin (`npx marsad ...` executes dist/cli/main.js directly),
// so the build must leave it executable and it must extract the bundled example article.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = root + 'dist/cli/main.js';

test('the built marsad bin is executable and extracts the bundled example', { skip: existsSync(bin) ? false : 'dist not built (npm run build)' }, () => {
  accessSync(bin, constants.X_OK);
  const r = spawnSync(bin, ['extract', 'examples/seed-idlib-2020-01-26.txt', '--date', '2020-01-26', '--format', 'json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const events = (out.events ?? out).filter((e: { background?: boolean }) => !e.background);
  // The report's headline event: regime forces fail to enter Maarat al-Numan.
  assert.ok(events.some((e: { status: string; location?: { name_ar?: string } }) => e.status === 'failed' && /معرة النعمان/.test(e.location?.name_ar ?? '')));
});
