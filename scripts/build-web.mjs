#!/usr/bin/env node
// Builds the dashboard (src/serve/web, Vite) into dist/web at build time, so nothing is fetched at run time.
// The web sources have their own tsconfig (DOM, bundler resolution): they are typechecked here,
// since the server's `tsc -p tsconfig.json` leaves them out.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
if (!existsSync('src/serve/web/index.html')) process.exit(0);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '-p', 'src/serve/web/tsconfig.json'], { stdio: 'inherit' });
if (check.status !== 0) {
  console.error('build-web: the dashboard does not typecheck (tsc -p src/serve/web/tsconfig.json)');
  process.exit(check.status ?? 1);
}
const { build } = await import('vite');
await build({ configFile: 'src/serve/web/vite.config.ts', logLevel: 'warn' });
