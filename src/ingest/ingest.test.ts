// ingest() end to end with the real extractor, on every engine; and the CLI killed mid-batch.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Database from 'better-sqlite3';
import type { Article } from '../types.js';
import type { Store } from '../store/types.js';
import { testEngines } from '../store/testing.js';
import { ingest, defaultExtract, type Extract } from './index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = JSON.parse(readFileSync(join(ROOT, '../shared/eval/dev/articles.jsonl'), 'utf8').split('\n')[0]) as Article;

// The same Russian air strike on Ma'arrat an-Nu'man (2019-12-24) as the Syrian Observatory and AFP told it.
const SOHR: Article = {
  title: 'مقتل 8 مدنيين بغارات روسية على معرة النعمان',
  text: 'وثق المرصد السوري لحقوق الإنسان مقتل 8 مدنيين بينهم 3 أطفال جراء غارات نفذتها طائرات حربية روسية على مدينة معرة النعمان في ريف إدلب الجنوبي صباح اليوم.',
  date: '2019-12-24',
  outlet: 'المرصد السوري لحقوق الإنسان',
  url: 'https://www.syriahr.com/2019/12/24/maarat',
};
const AFP: Article = {
  title: 'قتلى في غارات جوية على معرة النعمان',
  text: 'قتل عشرة مدنيين على الأقل الثلاثاء في غارات جوية روسية استهدفت مدينة معرة النعمان في محافظة إدلب، وفق ما أفاد مراسل فرانس برس.',
  date: '2019-12-24',
  outlet: 'فرانس برس',
  url: 'https://www.afp.com/ar/2019-12-24/maarat',
};

let extract: Extract;
let dir: string;

before(async () => {
  extract = await defaultExtract();
  dir = mkdtempSync(join(tmpdir(), 'marsad-ingest-'));
  const corpus = join(dir, 'corpus');
  mkdirSync(join(corpus, 'feeds'), { recursive: true });
  // JSON Lines: the seed, the SOHR report, a line that is not JSON.
  writeFileSync(join(corpus, 'batch.jsonl'), [JSON.stringify(SEED), JSON.stringify(SOHR), '{"text": '].join('\n') + '\n');
  // The AFP report as a Windows-1256 HTML page.
  writeFileSync(
    join(corpus, 'afp.html'),
    iconv.encode(
      `<html><head><meta charset="windows-1256"><meta property="og:site_name" content="${AFP.outlet}"><meta property="og:url" content="${AFP.url}">
      <meta property="article:published_time" content="${AFP.date}T14:00:00+02:00"><title>${AFP.title}</title></head>
      <body><nav>الرئيسية</nav><article><h1>${AFP.title}</h1><p>${AFP.text}</p></article></body></html>`,
      'windows-1256',
    ),
  );
  // An RSS feed whose item has no text: an error with its file and item.
  writeFileSync(join(corpus, 'feeds', 'empty.rss'), `<rss version="2.0"><channel><title>x</title><item><title>عنوان فقط</title></item></channel></rss>`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const engine of testEngines()) {
  describe(`ingest (${engine.name})`, { skip: engine.skip }, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await engine.open());
    });
    after(async () => cleanup?.());

    it('reads a folder of mixed formats, extracts, stores; errors name the file', async () => {
      const s = await ingest([join(dir, 'corpus')], { store, extract, extractorVersion: 't1' });
      assert.equal(s.read, 3);
      assert.equal(s.stored, 3);
      assert.equal(s.duplicates, 0);
      assert.ok(s.events_new > 0);
      assert.deepEqual(
        s.errors.map((e) => e.source.slice(dir.length)).sort(),
        ['/corpus/batch.jsonl:3', '/corpus/feeds/empty.rss#0'],
      );
      const arts = await store.articles({ limit: 10 });
      assert.equal(arts.total, 3);
      const afp = arts.items.find((a) => a.url === AFP.url)!;
      assert.equal(afp.title, AFP.title);
      assert.equal(afp.outlet, AFP.outlet);
      assert.equal(afp.date, AFP.date);
      const events = await store.events({ limit: 1000 });
      assert.equal(events.total, s.events_new);
      for (const e of events.items) assert.ok(e.sources.length >= 1);
    });

    it('the AFP and SOHR reports of one strike became one event with both sources and the range of tolls', async () => {
      const page = await store.events({ q: 'معرة النعمان', from: '2019-12-24', to: '2019-12-24', sub_event_type: ['Air/drone strike'], limit: 50 });
      const both = page.items.filter((e) => new Set(e.sources.map((s) => s.url)).size === 2);
      assert.ok(both.length >= 1, 'an event with both outlets as sources');
      for (const e of both) {
        const figs = e.sources.map((s) => s.fatalities).filter((f) => f > 0);
        assert.equal(e.fatalities_low, Math.min(...figs));
        assert.equal(e.fatalities_high, Math.max(...figs));
        assert.ok(e.fatalities_best >= e.fatalities_low && e.fatalities_best <= e.fatalities_high);
      }
    });

    it('is idempotent: a second run stores nothing and extracts nothing', async () => {
      const before = await store.events({ limit: 1 });
      let calls = 0;
      const counting: Extract = async (a) => (calls++, extract(a));
      const s = await ingest([join(dir, 'corpus')], { store, extract: counting, extractorVersion: 't1' });
      assert.equal(s.stored, 0);
      assert.equal(s.duplicates, 3);
      assert.equal(calls, 0);
      assert.equal((await store.events({ limit: 1 })).total, before.total);
      assert.equal((await store.articles({})).total, 3);
    });

    it('a new extractor version re-extracts and replaces each article\'s events', async () => {
      const before = await store.events({ limit: 1000 });
      const s = await ingest([join(dir, 'corpus')], { store, extract, extractorVersion: 't2' });
      assert.equal(s.stored, 3);
      assert.equal(s.replaced, 3);
      const after = await store.events({ limit: 1000 });
      // Same extractor output -> same events, none left over from version t1.
      assert.equal(after.total, before.total);
      assert.equal((await store.articles({})).total, 3);
      const ids = new Set((await store.articles({})).items.map((a) => a.id));
      for (const e of after.items) for (const src of e.sources) assert.ok(ids.has(src.article_id));
      assert.ok((await store.articles({})).items.every((a) => a.extractor_version === 't2'));
    });

    it('one failing extraction is an error for that article only', async () => {
      const failing: Extract = async (a) => {
        if (a.url === AFP.url) throw new Error('extractor crashed on purpose');
        return extract(a);
      };
      const s = await ingest([join(dir, 'corpus')], { store, extract: failing, extractorVersion: 't3' });
      assert.equal(s.stored, 2);
      assert.ok(s.errors.some((e) => e.source.endsWith('afp.html') && /crashed on purpose/.test(e.reason)));
    });
  });
}

describe('marsad ingest (command)', () => {
  const N = 80;
  let work: string;
  let jsonl: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'marsad-kill-'));
    jsonl = join(work, 'many.jsonl');
    // Distinct articles (own URL and date) with the seed's real text, so every one is extracted and stored.
    const lines: string[] = [];
    for (let i = 0; i < N; i++) {
      const day = new Date(Date.UTC(2020, 0, 1 + (i % 20))).toISOString().slice(0, 10);
      lines.push(JSON.stringify({ ...SEED, id: `seed-copy-${i}`, url: `https://example.org/seed/${i}`, date: day }));
    }
    writeFileSync(jsonl, lines.join('\n') + '\n');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  function cli(args: string[]) {
    return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'ingest', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A pinned version: lexicon files edited meanwhile (by colleagues, in this shared tree) must not
      // turn the re-run into a re-extraction.
      env: { ...process.env, DATABASE_URL: '', MARSAD_EXTRACTOR_VERSION: 'kill-test' },
    });
  }
  function finished(p: ReturnType<typeof cli>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.stderr!.on('data', (d) => (out += d));
    return new Promise((res) => p.on('close', (code, signal) => res({ code, signal, out })));
  }
  function count(db: string, table: string): number {
    if (!existsSync(db)) return 0;
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      d.close();
    }
  }
  function snapshot(db: string) {
    const d = new Database(db, { readonly: true });
    try {
      return {
        integrity: d.pragma('integrity_check', { simple: true }),
        articles: d.prepare('SELECT count(*) AS n, count(DISTINCT identity) AS u FROM articles').get(),
        events: d.prepare('SELECT id, fatalities, fatalities_low, fatalities_high FROM events ORDER BY id').all(),
        sources: d.prepare('SELECT event_id, article_id FROM event_sources ORDER BY event_id, article_id').all(),
      };
    } finally {
      d.close();
    }
  }

  // Three ways to extract, one result: the killed run on the default pool (a thread per core), the
  // re-run on one thread beside the writer (--workers 1), the clean run in the writer's thread (--workers 0).
  it('kill -9 mid-batch loses nothing committed; the re-run completes without duplicates (same as a clean run)', async () => {
    const db = join(work, 'killed.db');
    const p = cli([jsonl, '--db', db]);
    const done = finished(p);
    // Kill once some articles are committed but not all.
    const t0 = Date.now();
    while (count(db, 'articles') < 5 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
    p.kill('SIGKILL');
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL');
    const partial = count(db, 'articles');
    assert.ok(partial >= 5 && partial < N, `killed after ${partial} of ${N}`);
    const rerun = await finished(cli([jsonl, '--db', db, '--workers', '1']));
    assert.equal(rerun.code, 0, rerun.out);
    assert.match(rerun.out, new RegExp(`already stored:\\s+${partial}\\b`));
    const clean = join(work, 'clean.db');
    const once = await finished(cli([jsonl, '--db', clean, '--workers', '0']));
    assert.equal(once.code, 0, once.out);
    const a = snapshot(db);
    const b = snapshot(clean);
    assert.equal(a.integrity, 'ok');
    assert.deepEqual(a.articles, { n: N, u: N });
    assert.deepEqual(a.events, b.events);
    assert.deepEqual(a.sources, b.sources);
  });

  it('--workers takes a whole number >= 0; anything else exits 2 with a message and writes nothing', async () => {
    const db = join(work, 'workers.db');
    for (const bad of ['two', '1.5', '--workers=-1']) {
      const r = await finished(cli(bad.startsWith('--') ? [jsonl, '--db', db, bad] : [jsonl, '--db', db, '--workers', bad]));
      assert.equal(r.code, 2, r.out);
      assert.match(r.out, /--workers must be a whole number >= 0/);
    }
    assert.equal(existsSync(db), false);
  });

  it('Ctrl-C finishes the current article, prints the summary and exits 130; bad input exits 1', async () => {
    const db = join(work, 'sigint.db');
    const p = cli([jsonl, '--db', db]);
    const done = finished(p);
    const t0 = Date.now();
    while (count(db, 'articles') < 2 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
    p.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 130, r.out);
    assert.match(r.out, /ingest interrupted/);
    const stored = Number(/stored:\s+(\d+)/.exec(r.out)?.[1]);
    assert.equal(count(db, 'articles'), stored);
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ title: 'بلا نص' })}\n`);
    const r2 = await finished(cli([bad, '--db', db]));
    assert.equal(r2.code, 1);
    assert.match(r2.out, /bad\.jsonl:1: no "text"/);
  });
});
