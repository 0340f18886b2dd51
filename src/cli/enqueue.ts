// marsad enqueue PATH...: put articles on the extraction queue for `marsad worker`s.
import { parseArgs } from 'node:util';
import { extractorVersion } from '../scale/extractor.js';
import { readInputs } from '../scale/inputs.js';
import { QUEUE_NAME, enqueueArticles, openQueue } from '../scale/queue.js';

const HELP = `usage: marsad enqueue PATH... [--queue-name NAME] [--redis redis://...] [--max-waiting N]

Reads articles (files, folders, JSON/JSONL, HTML, RSS, as marsad ingest does) and adds one job per
article to the BullMQ queue "${QUEUE_NAME}" on REDIS_URL. Job ids are a hash of the article's
URL (else title + text) and the extractor version, so enqueueing the same input twice is a no-op.
  --max-waiting N  pause while more than N jobs wait (keeps Redis memory bounded on a huge archive)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'queue-name': { type: 'string' },
      redis: { type: 'string' },
      'max-waiting': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const queue = openQueue({ queueName: values['queue-name'], redisUrl: values.redis });
  try {
    const version = await extractorVersion();
    const tty = process.stderr.isTTY;
    const maxWaiting = values['max-waiting'] ? Number(values['max-waiting']) : undefined;
    if (maxWaiting !== undefined && !(maxWaiting > 0)) throw new Error('--max-waiting must be a positive number');
    const s = await enqueueArticles(queue, await readInputs(positionals), version, {
      maxWaiting,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\renqueued ${p.submitted} (new ${p.added})`);
      },
    });
    if (tty) process.stderr.write('\n');
    console.log(`queue "${queue.name}": ${s.submitted} article(s) submitted, ${s.added} new job(s), ${s.errors.length} unreadable`);
    for (const e of s.errors) console.error(`  ${e.source}: ${e.error}`);
    return s.errors.length && s.submitted === 0 ? 1 : 0;
  } finally {
    await queue.close();
  }
}
