#!/usr/bin/env node
// Builds the dashboard (src/serve/web, Vite) into dist/web at build time, so nothing is fetched at run time.
import { existsSync } from 'node:fs';
if (!existsSync('src/serve/web/index.html')) process.exit(0);
const { build } = await import('vite');
await build({ configFile: 'src/serve/web/vite.config.ts', logLevel: 'warn' });
