// marsad serve [--db FILE|URL] [--port N] [--host H]: the HTTP API (and the dashboard when built).
// Tokens come from the environment, never from the command line (where `ps` would show them):
// MARSAD_TOKEN (writes), MARSAD_READ_TOKEN (when set, reads need it too).

import { parseArgs } from 'node:util';

const HELP = `usage: marsad serve [--db FILE|URL] [--port N] [--host H]

  --db FILE|URL   SQLite file or postgres:// URL (default ./marsad.db, or DATABASE_URL)
  --port N        default 8080 (or $PORT)
  --host H        default 127.0.0.1 (use 0.0.0.0 to listen on every interface)
  --workers N     extraction threads for POST /api/extract and /api/articles (default 1, so
                  extraction never blocks reads; 0 = extract in the server thread)
  --log           log every request (JSON lines on stdout)

environment:
  MARSAD_TOKEN        write token: POST /api/articles and POST /api/extract with store=true
                      (without it, writes are refused)
  MARSAD_READ_TOKEN   if set, every read needs it (or the write token)
  MARSAD_GAZETTEER    gazetteer file for extraction (default: built-in)

API under /api/ (see /api/openapi.json and docs/api.md); dashboard at /.`;

export async function run(argv: string[]): Promise<number> {
  let values: { db?: string; port?: string; host?: string; workers?: string; log?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        workers: { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`marsad serve: ${e instanceof Error ? e.message : String(e)}\n(marsad serve --help)`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const portText = values.port ?? process.env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    console.error(`marsad serve: --port must be a number 0-65535, got "${portText}"`);
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  const workers = Number(values.workers ?? '1');
  if (!/^\d+$/.test(values.workers ?? '1') || workers > 64) {
    console.error(`marsad serve: --workers must be a number 0-64, got "${values.workers}"`);
    return 2;
  }
  const token = process.env.MARSAD_TOKEN || undefined;
  const readToken = process.env.MARSAD_READ_TOKEN || undefined;

  const { openStore, resolveDb } = await import('../store/index.js');
  const { buildServer } = await import('../serve/index.js');
  const db = resolveDb(values.db);
  const store = await openStore(db);
  // Extraction is synchronous and CPU-bound: in worker threads it cannot stall the reads.
  // Loaded on the first extraction request, so a read-only server never pays for the gazetteer.
  let pool: { close(): Promise<void> } | null = null;
  const extract =
    workers > 0
      ? async () => {
          const { createExtractPool } = await import('../scale/pool.js');
          const { extractorVersion } = await import('../scale/extractor.js');
          const p = createExtractPool({ workers });
          pool = p;
          return { extract: (a: Parameters<typeof p.extract>[0]) => p.extract(a), version: await extractorVersion() };
        }
      : undefined;
  const app = await buildServer({ store, token, readToken, logger: !!values.log, extract });

  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`marsad serve: ${signal}, closing`);
    await app.close();
    await (pool as { close(): Promise<void> } | null)?.close();
    await store.close();
  };
  const stopped = new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(sig).then(resolve));
  });

  try {
    const address = await app.listen({ port, host });
    const shown = /^postgres/i.test(db) ? db.replace(/\/\/[^@/]*@/, '//***@') : db;
    console.error(`marsad serve: listening on ${address} (database ${shown}; writes ${token ? 'need MARSAD_TOKEN' : 'disabled: MARSAD_TOKEN not set'}; reads ${readToken ? 'need MARSAD_READ_TOKEN' : 'open'})`);
  } catch (e) {
    console.error(`marsad serve: cannot listen on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`);
    await store.close();
    return 1;
  }
  await stopped;
  return 0;
}
