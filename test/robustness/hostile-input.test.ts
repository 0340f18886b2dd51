// Bad and hostile input through the real ingest() (readers -> guard -> extractor -> store), on
// SQLite and (when DATABASE_URL is set) PostgreSQL: every bad file or line gets a clear error
// or warning in the summary, and every good article of the same batch is still stored.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import type { Article } from '../../src/types.js';
import { testEngines } from '../../src/store/testing.js';
import { ingest, defaultExtract, type Extract, type IngestSummary } from '../../src/ingest/index.js';
import type { Store, StoredArticle } from '../../src/store/types.js';
import { readInputs } from '../../src/scale/inputs.js';
import { guardArticle } from '../../src/ingest/guard.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = readFileSync(join(ROOT, 'examples/seed-idlib-2020-01-26.txt'), 'utf8');

// Report sentences in the style of SOHR / SANA / AFP Arabic; one per good input so none is a duplicate.
const REPORTS = [
  'قتل 5 عناصر من قوات النظام جراء استهداف فصائل المعارضة لمواقعهم بالقذائف الصاروخية على محور كبانة في ريف اللاذقية الشمالي، وفق ما أفاد المرصد السوري لحقوق الإنسان.',
  'أفادت وكالة سانا بمقتل مدنيين اثنين وإصابة 7 آخرين جراء سقوط قذائف صاروخية أطلقها الإرهابيون على أحياء في مدينة حلب.',
  'قتل ثلاثة من عناصر الحشد الشعبي وأصيب اثنان آخران بانفجار عبوة ناسفة استهدفت عجلتهم في قضاء الطارمية شمالي بغداد، بحسب مصدر أمني.',
  'شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل 4 مدنيين بينهم طفلان، بحسب المرصد السوري لحقوق الإنسان.',
  'اندلعت اشتباكات عنيفة بين قوات النظام وفصائل المعارضة على محور الحميرة جنوب حلب، وسط قصف صاروخي متبادل بين الطرفين، وفق المرصد السوري.',
  'قتل مدني برصاص مسلحين مجهولين في بلدة طفس بريف درعا الغربي، وفق ما أفاد تجمع أحرار حوران.',
  'قصفت قوات النظام بالمدفعية الثقيلة قرية البارة في جبل الزاوية بريف إدلب الجنوبي، ما أسفر عن مقتل امرأة وإصابة 3 مدنيين آخرين.',
  'استهدفت طائرة مسيرة تركية سيارة على طريق القامشلي - عامودا في ريف الحسكة، ما أدى إلى مقتل عنصرين من قوات سوريا الديمقراطية.',
];
const date = '2020-01-26';

const FOREIGN = {
  english: 'At least 12 government soldiers were killed in shelling by opposition factions on their positions in southern Idlib, the Syrian Observatory for Human Rights said on Sunday.',
  persian: 'به گزارش خبرگزاری‌ها، در حمله پهپادی به شهر حلب دست‌کم ۱۲ نفر کشته شدند و این حمله از سوی نیروهای ترکیه انجام شده است.',
  sorani: 'بەپێی ڕاپۆرتی چاودێرانی مافی مرۆڤ، لە هێرشێکی فڕۆکەی بێفڕۆکەوان لە نزیک شاری قامیشلۆ دوو کەس کوژران و سێ کەسی تر برینداربوون.',
  kurmanji: 'Li gorî Çavdêriya Sûrî ya Mafên Mirovan, di êrîşa balafirên bêmirov de li nêzî Qamişloyê du kes hatin kuştin û sê kes jî birîndar bûn.',
  turkish: 'Suriye İnsan Hakları Gözlemevi’ne göre, İdlib’in güneyinde düzenlenen hava saldırısında en az 12 kişi hayatını kaybetti ve çok sayıda kişi yaralandı.',
};
const SECRET = 'TOP-SECRET-9f2c41-should-never-be-read';

/** Deterministic "random" bytes (a binary file). */
function noise(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  return b;
}

let dir: string;
let corpus: string;
let extract: Extract;
/** Source (file or file:line) -> the outcome the test expects: stored, or an error matching. */
const expected = new Map<string, { stored: true; text?: string; warn?: RegExp } | { error: RegExp }>();
let inputsTried = 0;

function file(name: string, content: string | Buffer, outcome: { stored: true; text?: string; warn?: RegExp } | { error: RegExp }, source = name) {
  writeFileSync(join(corpus, name), content);
  expected.set(join(corpus, source), outcome);
  inputsTried++;
}

before(async () => {
  extract = await defaultExtract();
  dir = mkdtempSync(join(tmpdir(), 'marsad-hostile-'));
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  const art = (i: number, extra: Partial<Article> = {}) => JSON.stringify({ title: null, text: REPORTS[i], date, ...extra });

  // Good articles, each in a different format, spread between the bad ones.
  file('a-seed-2020-01-26.txt', SEED, { stored: true });
  // Empty and blank files.
  file('b-empty.txt', '', { error: /^empty file$/ });
  file('b-blank.txt', ' \n\n\t \r\n', { error: /^empty file$/ });
  // Other languages: detected and named, not mined.
  file('c-english.txt', FOREIGN.english, { error: /^not Arabic \(English\): not mined/ });
  file('c-persian.txt', FOREIGN.persian, { error: /^not Arabic \(Persian\): not mined/ });
  file('c-sorani.txt', FOREIGN.sorani, { error: /^not Arabic \(Kurdish \(Sorani\)\)/ });
  file('c-kurmanji.txt', FOREIGN.kurmanji, { error: /^not Arabic \(Kurdish \(Kurmanji\)\)/ });
  file('c-turkish.txt', FOREIGN.turkish, { error: /^not Arabic \(Turkish\)/ });
  // Mixed script: an Arabic report with an English line is Arabic; English with an Arabic quote is not.
  file('d-mixed-ar.txt', `${REPORTS[0]}\n(Reuters) Syrian Observatory for Human Rights`, { stored: true });
  file('d-mixed-en.txt', `${FOREIGN.english}\n«${REPORTS[1]}»`, { error: /^not Arabic \(English, mixed script, \d+% Arabic letters\)/ });
  // Encodings: a real Windows-1256 file; mojibake saved as UTF-8 (repaired); invalid UTF-8 bytes.
  file('e-cp1256.txt', iconv.encode(REPORTS[1], 'windows-1256'), { stored: true, text: REPORTS[1] });
  file('e-mojibake-1256.txt', iconv.decode(Buffer.from(REPORTS[2], 'utf8'), 'windows-1256'), { stored: true, text: REPORTS[2], warn: /mojibake repaired \(UTF-8 read as Windows-1256\)/ });
  file('e-mojibake-latin1.txt', Buffer.from(REPORTS[3], 'utf8').toString('latin1'), { stored: true, text: REPORTS[3], warn: /mojibake repaired \(UTF-8 read as Latin-1/ });
  {
    const b = Buffer.from(REPORTS[4], 'utf8');
    const cut = b.indexOf(Buffer.from(' ', 'utf8'), 40);
    file('e-invalid-utf8.txt', Buffer.concat([b.subarray(0, cut), Buffer.from([0xff, 0xfe, 0x80]), b.subarray(cut)]), { stored: true, warn: /invalid byte/ });
  }
  // Windows-1256 bytes read as UTF-8 upstream (the scraper already lost them): U+FFFD everywhere.
  file('e-lost-encoding.json', JSON.stringify({ text: Buffer.from(iconv.encode(REPORTS[5], 'windows-1256')).toString('utf8'), date }), { error: /^undecodable text/ });
  // A NUL byte and other control characters inside a real article: removed, reported, stored.
  file('f-nul.txt', `${REPORTS[6].slice(0, 30)}\u0000${REPORTS[6].slice(30)}\u0007`, { stored: true, warn: /2 control character\(s\) \(1 NUL\) removed/ });
  // Binary files with a text name.
  file('g-binary.txt', noise(20_000), { error: /^binary content, not text/ });
  file('g-png.txt', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), noise(5000, 3)]), { error: /^binary content, not text/ });
  file('g-binary.json', noise(3000, 11), { error: /^invalid JSON/ });
  // A 10 MB single article and a million-token line: refused as not one article, nothing else lost.
  // Refused from its size, before it is read.
  file('h-10mb.txt', `${'قصف '.repeat(2_600_000)}`, { error: /^article too long \(\d+ bytes: more than \d+ characters, the limit\): not a single article; the file was not read/ });
  file('h-million-tokens.txt', `عنوان\n${'قتل 5 '.repeat(1_000_000)}`, { error: /^article too long/ });
  // JSON: deeply nested, truncated; JSON Lines with a huge line, a truncated line and good lines.
  file('i-nested.json', '['.repeat(200_000) + ']'.repeat(200_000), { error: /not a JSON object|invalid JSON|too deep/ }, 'i-nested.json#0');
  file('i-nested-object.json', '{"text":'.repeat(50_000) + '"x"' + '}'.repeat(50_000), { error: /no "text"|invalid JSON|too deep/ });
  file('i-truncated.json', `{"title": "قصف", "text": "${REPORTS[5].slice(0, 40)}`, { error: /^invalid JSON/ });
  writeFileSync(
    join(corpus, 'j-batch.jsonl'),
    [art(5), JSON.stringify({ text: 'قصف '.repeat(2_600_000), date }), '{"text": "قتل 3 مدنيين', '[[[[[[[[[[', JSON.stringify({ text: FOREIGN.persian }), art(7)].join('\n') + '\n',
  );
  expected.set(join(corpus, 'j-batch.jsonl:1'), { stored: true, text: REPORTS[5] });
  expected.set(join(corpus, 'j-batch.jsonl:2'), { error: /^article too long/ });
  expected.set(join(corpus, 'j-batch.jsonl:3'), { error: /^invalid JSON/ });
  expected.set(join(corpus, 'j-batch.jsonl:4'), { error: /^invalid JSON|not a JSON object/ });
  expected.set(join(corpus, 'j-batch.jsonl:5'), { error: /^not Arabic \(Persian\)/ });
  expected.set(join(corpus, 'j-batch.jsonl:6'), { stored: true, text: REPORTS[7] });
  inputsTried += 6;
  // HTML with scripts, iframes, event handlers and broken tags around a real article.
  file(
    'k-hostile.html',
    `<html><head><title>قصف على كفرنبل</title><script>document.write('<p>INJECTED</p>');alert(1)</script>
     <style>p{color:red}</style></head><body onload="alert(2)"><iframe src="javascript:alert(3)">IFRAME-TEXT</iframe>
     <article><h1>غارات على كفرنبل<h1><p>${REPORTS[3].replace('كفرنبل', 'حيش')}<p><b>تابع<i></b> <img src=x onerror=alert(4)>
     <div><<script>>alert(5)<</script>></div><p unclosed="x</article><!-- comment <script>alert(6)</script>`,
    { stored: true },
  );
  // RSS with external entities (XXE) and a DOCTYPE: refused, the file is never read.
  file(
    'l-xxe.rss',
    `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${join(dir, 'secret.txt')}">]>
     <rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><description>&xxe; ${REPORTS[0]}</description></item></channel></rss>`,
    { error: /DOCTYPE entities: refused/ },
  );
  file(
    'l-xxe-param.xml',
    `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://${join(dir, 'secret.txt')}"> %ext;]><rss version="2.0"><channel><item><description>${REPORTS[0]}</description></item></channel></rss>`,
    { error: /DOCTYPE entities: refused/ },
  );
  file(
    'l-billion-laughs.xml',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><description>&lol3;</description></item></channel></rss>`,
    { error: /DOCTYPE entities: refused/ },
  );
  // An undeclared entity in a feed without DOCTYPE stays literal text; the item is stored.
  file(
    'l-undeclared.rss',
    `<rss version="2.0"><channel><title>x</title><item><title>&xxe; قصف</title><description>${REPORTS[4].replace('الحميرة', 'خلصة')}</description></item></channel></rss>`,
    { stored: true },
    'l-undeclared.rss#0',
  );
  // Numbers no event has: 30 digits and 11 digits (beyond PostgreSQL INTEGER) must not become fatalities.
  file('n-30-digits.txt', 'قتل 123456789012345678901234567890 مدنيا في قصف لقوات النظام على مدينة سراقب، وأصيب 99999999999 آخرون.', { stored: true });
  // UTF-16 with a BOM.
  file('m-utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(REPORTS[6].replace('البارة', 'كنصفرة'), 'utf16le')]), { stored: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function allArticles(store: Store): Promise<StoredArticle[]> {
  const page = await store.articles({ limit: 1000 });
  return page.items;
}

for (const engine of testEngines()) {
  describe(`hostile input through ingest() on ${engine.name}`, { skip: engine.skip }, () => {
    let summary: IngestSummary;
    let stored: StoredArticle[];
    let cleanup: () => Promise<void>;
    let store: Store;

    before(async () => {
      const t = await engine.open();
      store = t.store;
      cleanup = t.cleanup;
      summary = await ingest([corpus], { store, extract, extractorVersion: 'robustness-test' });
      stored = await allArticles(store);
    });
    after(async () => cleanup?.());

    it('every input has exactly the expected outcome: an error with a clear reason, or stored', async () => {
      const errors = new Map(summary.errors.map((e) => [e.source, e.reason]));
      assert.equal(errors.size, summary.errors.length, 'one error per source');
      const bySource = new Map(stored.map((a) => [a.source_path, a]));
      for (const [source, want] of expected) {
        if ('error' in want) {
          assert.match(errors.get(source) ?? '(no error)', want.error, source);
          assert.ok(!bySource.has(source), `${source} must not be stored`);
        } else {
          assert.equal(errors.get(source), undefined, `${source}: ${errors.get(source)}`);
          const a = bySource.get(source);
          assert.ok(a, `${source} stored`);
          if (want.text) assert.equal(a.text, want.text, `${source}: text repaired to the original`);
          if (want.warn) assert.ok(summary.warnings!.some((w) => w.source === source && want.warn!.test(w.reason)), `${source}: warning ${want.warn}`);
        }
      }
      // Nothing unaccounted for: every error and every stored article is an expected input.
      for (const s of errors.keys()) assert.ok(expected.has(s), `unexpected error ${s}: ${errors.get(s)}`);
      const good = [...expected.values()].filter((w) => 'stored' in w).length;
      assert.equal(summary.stored, good);
      assert.equal(stored.length, good);
      assert.equal(summary.read, good);
      assert.ok(summary.events_new > good / 2, `events were extracted from the good articles (${summary.events_new})`);
      assert.ok(inputsTried >= 30);
      const big = await store.events({ min_fatalities: 1_000_001, limit: 10 });
      assert.equal(big.total, 0, 'no event with more than a million fatalities');
    });

    it('no stored text carries control characters, U+FFFD from mojibake, scripts or the XXE secret', async () => {
      for (const a of stored) {
        assert.doesNotMatch(a.text, /[\u0000-\u0008\u000e-\u001f]/, a.source_path ?? '');
        assert.doesNotMatch(`${a.title ?? ''} ${a.text}`, /alert\(|INJECTED|IFRAME-TEXT|<script|p\{color/, a.source_path ?? '');
      }
      assert.ok(!JSON.stringify(stored).includes(SECRET));
      assert.ok(!JSON.stringify(summary).includes(SECRET));
      const events = await store.events({ limit: 1000 });
      assert.ok(!JSON.stringify(events).includes(SECRET));
      const html = stored.find((a) => a.source_path?.endsWith('k-hostile.html'))!;
      assert.match(html.text, /حيش/);
    });

    it('a re-run stores nothing twice and reports the same errors', async () => {
      const again = await ingest([corpus], { store, extract, extractorVersion: 'robustness-test' });
      assert.equal(again.stored, 0);
      assert.equal(again.duplicates, summary.stored);
      assert.deepEqual(again.errors.map((e) => e.source).sort(), summary.errors.map((e) => e.source).sort());
      assert.equal((await allArticles(store)).length, stored.length);
    });
  });
}

describe('the queue (marsad enqueue) reads through the same guard', () => {
  it('refuses and repairs exactly what ingest refuses and repairs', async () => {
    const items: { source: string; error?: string | Error; article?: Article }[] = [];
    for await (const it of await readInputs([corpus])) items.push(it);
    for (const [source, want] of expected) {
      const it = items.find((x) => x.source === source);
      assert.ok(it, source);
      if ('error' in want) assert.match(String(it.error), want.error, source);
      else {
        assert.equal(it.error, undefined, `${source}: ${it.error}`);
        if (want.text) assert.equal(it.article!.text, want.text);
      }
    }
  });
});


describe('the guard on real reports', () => {
  it('lets every real Arabic report of the dev sets through unchanged (no false refusal, no "repair")', () => {
    const files = [join(ROOT, '../shared/eval/dev/articles.jsonl'), join(ROOT, 'eval/extra/articles.jsonl')];
    let n = 0;
    for (const f of files) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const a = JSON.parse(line) as Article;
        const g = guardArticle(a);
        assert.equal(g.error, undefined, `${a.id}: ${g.error}`);
        assert.deepEqual(g.warnings, [], `${a.id}`);
        assert.equal(g.article, a, 'the same object: nothing changed');
        n++;
      }
    }
    assert.ok(n >= 20, `${n} reports`);
  });
});
