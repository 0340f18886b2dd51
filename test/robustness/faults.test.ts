// Faults injected into the real `marsad` command on a SQLite database: kill -9 during an ingest
// (which merges as it goes: every event here is told by two outlets), kill -9 during an export,
// a read-only database, a full disk (a 1 MB tmpfs, when mounting is permitted). After each: the
// database passes PRAGMA integrity_check, nothing committed is lost, and a re-run finishes the
// job with the same rows as a clean run, nothing doubled.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, copyFileSync, readFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Real Idlib places; each event (place, day) is reported by SOHR and by AFP in their own words.
const PLACES = ['معرة النعمان', 'سراقب', 'كفرنبل', 'خان شيخون', 'أريحا', 'جسر الشغور', 'سرمين', 'بنش', 'تفتناز', 'حيش', 'معرة مصرين', 'الأتارب', 'دارة عزة', 'اللطامنة', 'كفرزيتا', 'مورك', 'قلعة المضيق', 'كفرومة', 'معرشورين', 'التمانعة'];
const NUMBER_WORDS = ['ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة'];

function corpus(): string[] {
  const lines: string[] = [];
  for (let d = 0; d < 6; d++) {
    for (let p = 0; p < PLACES.length; p++) {
      const day = `2020-01-${String(10 + d).padStart(2, '0')}`;
      const place = PLACES[p];
      const n = 2 + ((p + d) % 5);
      lines.push(
        JSON.stringify({
          title: `مقتل ${n} مدنيين بغارات روسية على ${place}`,
          text: `وثق المرصد السوري لحقوق الإنسان مقتل ${n} مدنيين بينهم طفل جراء غارات نفذتها طائرات حربية روسية على ${place} في ريف إدلب صباح اليوم.`,
          date: day,
          outlet: 'المرصد السوري لحقوق الإنسان',
          url: `https://www.syriahr.com/${day}/${p}`,
        }),
        JSON.stringify({
          title: `قتلى في غارات جوية على ${place}`,
          text: `قتل ${NUMBER_WORDS[(p + d) % 5]} مدنيين على الأقل اليوم في غارات جوية روسية استهدفت ${place} في محافظة إدلب، وفق ما أفاد مراسل فرانس برس.`,
          date: day,
          outlet: 'فرانس برس',
          url: `https://www.afp.com/ar/${day}/${p}`,
        }),
      );
    }
  }
  return lines;
}

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
  });
}
type Done = { code: number | null; signal: NodeJS.Signals | null; out: string };
function finished(p: ReturnType<typeof cli>): Promise<Done> {
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return new Promise((res) => p.on('close', (code, signal) => res({ code, signal, out })));
}
function count(db: string): number {
  if (!existsSync(db)) return 0;
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0; // not created / migrated yet
  }
}
/** Everything that must be equal between two databases holding the same work. */
function snapshot(db: string) {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: d.pragma('integrity_check', { simple: true }),
      articles: d.prepare('SELECT count(*) AS n, count(DISTINCT identity) AS distinct_identity FROM articles').get(),
      events: d.prepare('SELECT count(*) AS n, sum(fatalities) AS f, sum(fatalities_low) AS lo, sum(fatalities_high) AS hi FROM events').get(),
      event_sources: d.prepare('SELECT count(*) AS n, count(DISTINCT article_id || event_id) AS u FROM event_sources').get(),
      figures: d.prepare('SELECT count(*) AS n FROM figures').get(),
      articleIds: (d.prepare('SELECT id FROM articles ORDER BY id').all() as { id: string }[]).map((r) => r.id).join(','),
    };
  } finally {
    d.close();
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Mount a tmpfs (root only); null when not permitted (CI without privileges). */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}
function umount(dir: string) {
  spawnSync('umount', ['-l', dir]);
}

const FAULTS: string[] = [];

describe('faults injected into marsad ingest / export (SQLite)', () => {
  let work: string;
  let jsonl: string;
  let clean: ReturnType<typeof snapshot>;
  let cleanDb: string;
  const mounts: string[] = [];
  const N = corpus().length;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'marsad-faults-'));
    jsonl = join(work, 'reports.jsonl');
    writeFileSync(jsonl, corpus().join('\n') + '\n');
  });
  after(() => {
    for (const m of mounts) umount(m);
    rmSync(work, { recursive: true, force: true });
    console.log(`faults injected: ${FAULTS.length} (${FAULTS.join('; ')})`);
  });

  it(`kill -9 during ingest (with merges): integrity ok, the re-run equals a clean run (${N} articles)`, async () => {
    cleanDb = join(work, 'clean.db');
    const killedDb = join(work, 'killed.db');
    // The clean run and the run to be killed side by side.
    const cleanRun = finished(cli(['ingest', jsonl, '--db', cleanDb, '--workers', '0', '--quiet']));
    const victim = cli(['ingest', jsonl, '--db', killedDb, '--workers', '0', '--quiet']);
    const victimDone = finished(victim);
    const t0 = Date.now();
    let seen = 0;
    while (Date.now() - t0 < 60_000) {
      seen = count(killedDb);
      if (seen >= 20) break;
      await sleep(50);
    }
    victim.kill('SIGKILL');
    const killed = await victimDone;
    assert.equal(killed.signal, 'SIGKILL', killed.out);
    FAULTS.push('kill -9 during ingest');
    const partial = snapshot(killedDb);
    assert.equal(partial.integrity, 'ok');
    const stored = (partial.articles as { n: number }).n;
    assert.ok(stored >= seen && stored < N, `killed after ${stored} of ${N}`);
    const c = await cleanRun;
    assert.equal(c.code, 0, c.out);
    clean = snapshot(cleanDb);
    assert.equal((clean.articles as { n: number }).n, N);
    assert.ok((clean.event_sources as { n: number }).n > (clean.events as { n: number }).n, 'reports were merged into shared events');
    // Re-run: finishes the job, skips what is stored.
    const again = await finished(cli(['ingest', jsonl, '--db', killedDb, '--workers', '0', '--quiet']));
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`already stored: +${stored}\\b`));
    assert.deepEqual(snapshot(killedDb), clean, 'after the re-run: the same rows as a clean run, nothing lost or doubled');
  });

  it('kill -9 during export: the database is unchanged and intact, no partial file under the final name', async () => {
    const db = join(work, 'export.db');
    copyFileSync(cleanDb, db);
    const before = snapshot(db);
    const out = join(work, 'events.csv');
    for (const delay of [150, 400, 800]) {
      const p = cli(['export', '--format', 'acled-csv', '--db', db, '-o', out]);
      const done = finished(p);
      await sleep(delay);
      p.kill('SIGKILL');
      const r = await done;
      FAULTS.push(`kill -9 during export (${delay} ms: ${r.signal ?? `exited ${r.code}`})`);
      assert.deepEqual(snapshot(db), before);
      if (r.signal === 'SIGKILL' && existsSync(out)) {
        // Only a complete file is ever renamed to the final name.
        const rows = readFileSync(out, 'utf8').trim().split('\n').length;
        assert.equal(rows, (before.events as { n: number }).n + 1);
      }
    }
    const full = await finished(cli(['export', '--format', 'jsonl', '--db', db, '-o', join(work, 'events.jsonl')]));
    assert.equal(full.code, 0, full.out);
    assert.equal(readFileSync(join(work, 'events.jsonl'), 'utf8').trim().split('\n').length, (before.events as { n: number }).n);
    // No stray temporary files left by the finished export.
    assert.deepEqual(readdirSync(work).filter((f) => /events\.jsonl.+/.test(f)), []);
  });

  it('read-only database (read-only filesystem): a clear error, no corruption, nothing changed', async (t) => {
    const ro = join(work, 'ro');
    if (!mountTmpfs(ro, '8m')) return t.skip('mounting a tmpfs is not permitted here (not root): read-only database not tested');
    mounts.push(ro);
    const db = join(ro, 'marsad.db');
    copyFileSync(cleanDb, db);
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', ro]).status, 0);
    const extra = join(work, 'extra.jsonl');
    writeFileSync(extra, JSON.stringify({ text: 'قتل مدنيان بقصف مدفعي لقوات النظام على بلدة البارة في جبل الزاوية.', date: '2020-02-01', url: 'https://example.org/ro' }) + '\n');
    const r = await finished(cli(['ingest', extra, '--db', db, '--workers', '0', '--quiet']));
    FAULTS.push('read-only database');
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /cannot open the database .*marsad\.db for writing: .*read-only/);
    assert.doesNotMatch(r.out, /^\s+at .+\(.+:\d+:\d+\)/m, 'a message, not a stack trace');
    console.log(`read-only database: exit ${r.code}: ${r.out.trim().split('\n').slice(-3).join(' | ')}`);
    // (a WAL database cannot even be opened read-only on a read-only filesystem: check it writable again)
    assert.equal(spawnSync('mount', ['-o', 'remount,rw', ro]).status, 0);
    assert.deepEqual(snapshot(db), clean);
  });

  it('disk full (1 MB tmpfs): a clear error, integrity ok, committed articles kept; the re-run elsewhere completes', async (t) => {
    const full = join(work, 'full');
    if (!mountTmpfs(full, '1m')) return t.skip('mounting a tmpfs is not permitted here (not root): disk full not tested');
    mounts.push(full);
    const db = join(full, 'marsad.db');
    const r = await finished(cli(['ingest', jsonl, '--db', db, '--workers', '0', '--quiet']));
    FAULTS.push('disk full');
    assert.notEqual(r.code, 0, 'a full disk is an error');
    assert.match(r.out, /disk is full|SQLITE_FULL|ENOSPC/i, r.out.slice(-2000));
    if (!existsSync(db)) return; // not even the schema fitted: nothing to check
    const partial = snapshot(db);
    assert.equal(partial.integrity, 'ok');
    const kept = (partial.articles as { n: number }).n;
    console.log(`disk full: exit ${r.code}, ${kept} of ${N} articles committed; ${r.out.trim().split('\n').filter((l) => /disk is full|SQLITE_FULL|ENOSPC/i.test(l)).length} lines name the cause: ${r.out.trim().split('\n').find((l) => /disk is full|SQLITE_FULL|ENOSPC/i.test(l))}`);
    assert.ok(kept < N, `${kept} of ${N} fitted in 1 MB`);
    // Move the database to a disk with room (with its WAL) and finish the job.
    const moved = join(work, 'moved');
    mkdirSync(moved);
    for (const f of readdirSync(full)) if (f.startsWith('marsad.db')) copyFileSync(join(full, f), join(moved, f));
    const again = await finished(cli(['ingest', jsonl, '--db', join(moved, 'marsad.db'), '--workers', '0', '--quiet']));
    assert.equal(again.code, 0, again.out);
    assert.deepEqual(snapshot(join(moved, 'marsad.db')), clean, 'nothing lost or doubled after the disk-full run');
  });
});
