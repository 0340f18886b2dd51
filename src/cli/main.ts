#!/usr/bin/env node
// The marsad command: one sub-command per module in this folder, loaded on demand
// so that `marsad extract` does not pay for the API server or the database drivers.

const COMMANDS: Record<string, string> = {
  extract: 'Extract events from an article (text or JSON) or a JSON Lines file',
  ingest: 'Read articles (files, folders, JSONL, HTML, RSS) into the database',
  events: 'List stored events with filters',
  export: 'Export stored events as ACLED CSV, GeoJSON or JSON Lines',
  serve: 'Start the HTTP API and the dashboard',
  gazetteer: 'Import and inspect gazetteer data',
  worker: 'Consume extraction jobs from the queue (Redis + PostgreSQL)',
  enqueue: 'Put articles on the extraction queue',
  queue: 'Show the queue status',
};

function usage(): string {
  const lines = ['usage: marsad <command> [options]', '', 'commands:'];
  for (const [name, what] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${what}`);
  lines.push('', 'marsad <command> --help for its options');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (!(name in COMMANDS)) {
    console.error(`marsad: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = (await import(`./${name}.js`)) as { run(argv: string[]): Promise<number> };
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`marsad: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.MARSAD_DEBUG && err instanceof Error) console.error(err.stack);
    process.exitCode = 1;
  },
);
