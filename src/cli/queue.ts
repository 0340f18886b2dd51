// marsad queue status | retry-failed: what the extraction queue is doing, and its dead letters.
import { parseArgs } from 'node:util';
import { QUEUE_NAME, openQueue, queueStatus, retryFailed } from '../scale/queue.js';

const HELP = `usage: marsad queue status [--failures N] [--json] [--queue-name NAME] [--redis URL]
       marsad queue retry-failed [--queue-name NAME] [--redis URL]

status        counts of waiting / active / delayed / completed / failed jobs on "${QUEUE_NAME}"
              (REDIS_URL), totals processed, and the last failures (the dead-letter list) with reasons
retry-failed  move every dead letter back to waiting (its attempts start again)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'queue-name': { type: 'string' },
      redis: { type: 'string' },
      failures: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const sub = positionals[0] ?? 'status';
  if (values.help || !['status', 'retry-failed'].includes(sub)) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const queue = openQueue({ queueName: values['queue-name'], redisUrl: values.redis });
  try {
    if (sub === 'retry-failed') {
      const n = await retryFailed(queue);
      console.log(`${n} failed job(s) moved back to waiting on "${queue.name}"`);
      return 0;
    }
    const st = await queueStatus(queue, { failures: values.failures ? Number(values.failures) : 10 });
    if (values.json) {
      console.log(JSON.stringify(st, null, 2));
      return 0;
    }
    const c = st.counts;
    console.log(`queue "${st.name}"`);
    console.log(
      `  waiting ${c.waiting + c.prioritized}  active ${c.active}  delayed ${c.delayed} (retry backoff)  completed ${c.completed}  failed ${c.failed} (dead letters)`,
    );
    console.log(`  processed since metrics began: completed ${st.processed.completed}, failed ${st.processed.failed}`);
    if (st.failures.length) {
      console.log(`  last failures:`);
      for (const f of st.failures) {
        console.log(`    ${f.failedAt ?? '?'}  ${f.article || f.jobId}  (${f.attempts} attempts${f.source ? `, ${f.source}` : ''})`);
        console.log(`      ${f.reason}`);
      }
    }
    return 0;
  } finally {
    await queue.close();
  }
}
