// Every input format and encoding, written as small files at test time with real Arabic report text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { readArticles, type ReadItem } from './readers.js';
import { decodeBuffer, detectEncoding } from './decode.js';
import { toDay, dateFromFilename } from './fields.js';
import { htmlToArticle } from './html.js';

const TITLE = 'سوريا.. قوات النظام تفشل في دخول معرة النعمان بإدلب';
const TEXT =
  'قال المرصد السوري لحقوق الإنسان إن اشتباكات عنيفة مستمرة بين الفصائل والمجموعات المعارضة من جهة وقوات النظام والمسلحين الموالين لها من جهة أُخرى على محاور خلصة والحميرة جنوب حلب، في محاولة جديدة من قبل قوات النظام التقدم وسط معارك ضارية.';
const TEXT2 = 'وثق المرصد السوري مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام خلال المعارك التي تشهدها محاور شمال شرقي معرة النعمان.';

async function collect(paths: string[]): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const it of readArticles(paths)) out.push(it);
  return out;
}

describe('ingest readers', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsad-read-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plain text: short first line is the title, date from the file name', async () => {
    const p = join(dir, 'sohr-2020-01-26.txt');
    writeFileSync(p, `\n${TITLE}\n\n${TEXT}\n${TEXT2}\n`);
    const [it] = await collect([p]);
    assert.equal(it.error, undefined);
    assert.equal(it.article!.title, TITLE);
    assert.equal(it.article!.text, `${TEXT}\n${TEXT2}`);
    assert.equal(it.article!.date, '2020-01-26');
    // A file that is one paragraph has no title.
    const q = join(dir, 'one.txt');
    writeFileSync(q, `${TEXT}\n`);
    const [one] = await collect([q]);
    assert.equal(one.article!.title, null);
    assert.equal(one.article!.text, TEXT);
    assert.equal(one.article!.date, null);
  });

  it('Windows-1256 text (no BOM, invalid UTF-8) decodes to the same Arabic', async () => {
    const p = join(dir, 'cp1256.txt');
    writeFileSync(p, iconv.encode(`${TITLE}\r\n${TEXT}\r\n`, 'windows-1256'));
    const [it] = await collect([p]);
    assert.equal(it.article!.title, TITLE);
    assert.equal(it.article!.text, TEXT);
    assert.equal(detectEncoding(iconv.encode(TEXT, 'windows-1256')).encoding, 'windows-1256');
  });

  it('UTF-8 with BOM and UTF-16 LE/BE with BOM', async () => {
    const a = join(dir, 'bom.json');
    writeFileSync(a, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ title: TITLE, text: TEXT, date: '2020-01-26' }))]));
    const b = join(dir, 'utf16.txt');
    writeFileSync(b, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${TITLE}\n${TEXT}`, 'utf16le')]));
    const c = join(dir, 'utf16be.txt');
    writeFileSync(c, iconv.encode(`${TITLE}\n${TEXT}`, 'utf-16be', { addBOM: true }));
    const items = await collect([a, b, c]);
    for (const it of items) {
      assert.equal(it.error, undefined, it.error);
      assert.equal(it.article!.title, TITLE);
      assert.equal(it.article!.text, TEXT);
    }
    assert.equal(items[0].article!.date, '2020-01-26');
    assert.equal(decodeBuffer(Buffer.from([0xef, 0xbb, 0xbf, 0x61])).text, 'a');
  });

  it('JSON: one article, an array (a bad element is an error, the others are read)', async () => {
    const p = join(dir, 'many.json');
    writeFileSync(
      p,
      JSON.stringify([
        { id: 'x1', headline: TITLE, body: TEXT, published: '2020-01-26T18:30:00+03:00', source: { name: 'المرصد السوري لحقوق الإنسان' }, link: 'https://www.syriahr.com/x1' },
        { title: 'بلا نص' },
        { title: TITLE, text: TEXT2, date: 'الأمس' },
      ]),
    );
    const items = await collect([p]);
    assert.equal(items.length, 3);
    assert.deepEqual(
      { ...items[0].article },
      { id: 'x1', title: TITLE, text: TEXT, date: '2020-01-26', outlet: 'المرصد السوري لحقوق الإنسان', url: 'https://www.syriahr.com/x1', country: null, language: null },
    );
    assert.match(items[1].error!, /no "text"/);
    assert.equal(items[1].source, `${p}#1`);
    assert.match(items[2].error!, /unreadable date/);
  });

  it('JSON Lines: streamed, bad lines reported with their line numbers, Windows-1256 too', async () => {
    const p = join(dir, 'feed.jsonl');
    const lines = [JSON.stringify({ id: 'a', text: TEXT, date: '2020-01-26' }), '', '{not json', JSON.stringify({ id: 'b', title: TITLE, text: TEXT2 })];
    writeFileSync(p, lines.join('\n') + '\n');
    const items = await collect([p]);
    assert.equal(items.length, 3);
    assert.equal(items[0].article!.id, 'a');
    assert.equal(items[1].source, `${p}:3`);
    assert.match(items[1].error!, /invalid JSON/);
    assert.equal(items[2].article!.title, TITLE);
    const q = join(dir, 'cp.ndjson');
    writeFileSync(q, iconv.encode(lines[0] + '\r\n' + lines[3] + '\r\n', 'windows-1256'));
    const cp = await collect([q]);
    assert.deepEqual(cp.map((i) => i.article!.text), [TEXT, TEXT2]);
  });

  it('HTML: title, main text without nav/scripts/styles, date and outlet from metadata', async () => {
    const p = join(dir, 'page.html');
    writeFileSync(
      p,
      `<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>${TITLE} | عنب بلدي</title>
      <meta property="og:site_name" content="عنب بلدي"><meta property="og:title" content="${TITLE}">
      <meta property="article:published_time" content="2020-01-26T21:05:00+02:00">
      <style>.x{color:red}</style><script>var tracking = "لا تقرأني";</script></head>
      <body><nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
      <article><h1>${TITLE}</h1><p>${TEXT}</p><p>${TEXT2} &amp; مصادر محلية.</p><aside>اقرأ أيضاً: خبر آخر</aside></article>
      <footer>جميع الحقوق محفوظة</footer></body></html>`,
    );
    const [it] = await collect([p]);
    const a = it.article!;
    assert.equal(a.title, TITLE);
    assert.equal(a.outlet, 'عنب بلدي');
    assert.equal(a.date, '2020-01-26');
    assert.equal(a.text, `${TEXT}\n${TEXT2} & مصادر محلية.`);
    for (const junk of ['الرئيسية', 'لا تقرأني', 'color', 'اقرأ أيضاً', 'جميع الحقوق']) assert.ok(!a.text.includes(junk), junk);
  });

  it('HTML in Windows-1256 with a meta charset; date from JSON-LD or <time datetime>', async () => {
    const p = join(dir, 'old.htm');
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>${TITLE}</title>
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"${TITLE}","datePublished":"2020-01-25","publisher":{"@type":"Organization","name":"زمان الوصل"}}</script>
      </head><body><div class="menu"><p>${TEXT}</p></div></body></html>`;
    writeFileSync(p, iconv.encode(html, 'windows-1256'));
    const [it] = await collect([p]);
    assert.equal(it.article!.title, TITLE);
    assert.equal(it.article!.text, TEXT);
    assert.equal(it.article!.date, '2020-01-25');
    assert.equal(it.article!.outlet, 'زمان الوصل');
    const t = htmlToArticle(`<body><time datetime="2019-12-24T08:00">الثلاثاء</time><p>${TEXT2}</p></body>`);
    assert.equal(t.date, '2019-12-24');
  });

  it('RSS 2.0 and Atom feeds: one article per item; entities decoded, HTML stripped', async () => {
    const rss = join(dir, 'sohr.rss');
    writeFileSync(
      rss,
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>المرصد السوري لحقوق الإنسان</title>
      <item><title>${TITLE}</title><link>https://www.syriahr.com/?p=1</link><pubDate>Sun, 26 Jan 2020 20:10:00 +0000</pubDate>
      <description><![CDATA[<p>${TEXT}</p>]]></description></item>
      <item><title>قصف &amp; اشتباكات</title><link>https://www.syriahr.com/?p=2</link><pubDate>Sat, 25 Jan 2020 09:00:00 +0000</pubDate>
      <description>&lt;p&gt;${TEXT2}&lt;/p&gt;</description></item>
      <item><title>بلا محتوى</title></item>
      </channel></rss>`,
    );
    const atom = join(dir, 'feed.atom');
    writeFileSync(
      atom,
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>سمارت</title>
      <entry><title>${TITLE}</title><link rel="alternate" href="https://smartnews-agency.com/ar/1"/><id>tag:smart,1</id>
      <published>2020-01-26T10:00:00+03:00</published><content type="html">&lt;p&gt;${TEXT}&lt;/p&gt;</content></entry></feed>`,
    );
    const items = await collect([rss, atom]);
    assert.equal(items.length, 4);
    assert.deepEqual(
      { title: items[0].article!.title, text: items[0].article!.text, date: items[0].article!.date, outlet: items[0].article!.outlet, url: items[0].article!.url },
      { title: TITLE, text: TEXT, date: '2020-01-26', outlet: 'المرصد السوري لحقوق الإنسان', url: 'https://www.syriahr.com/?p=1' },
    );
    assert.equal(items[1].article!.title, 'قصف & اشتباكات');
    assert.equal(items[1].article!.text, TEXT2);
    assert.match(items[2].error!, /no description/);
    assert.equal(items[3].article!.outlet, 'سمارت');
    assert.equal(items[3].article!.url, 'https://smartnews-agency.com/ar/1');
    assert.equal(items[3].article!.date, '2020-01-26');
  });

  it('refuses DOCTYPE entities in feeds (no XXE): an error, no file content leaks', async () => {
    const p = join(dir, 'evil.xml');
    writeFileSync(
      p,
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>x</title>
      <item><title>t</title><description>&xxe;</description></item></channel></rss>`,
    );
    const items = await collect([p]);
    assert.equal(items.length, 1);
    assert.match(items[0].error!, /entit/i);
  });

  it('folders recursively, skipping hidden and non-article files; missing paths are errors', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'a.txt'), `${TITLE}\n${TEXT}`);
    writeFileSync(join(root, 'sub', 'b.json'), JSON.stringify({ text: TEXT2 }));
    writeFileSync(join(root, 'sub', 'deeper', 'c.jsonl'), JSON.stringify({ text: TEXT }) + '\n');
    writeFileSync(join(root, '.hidden.txt'), TEXT);
    writeFileSync(join(root, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    const items = await collect([root, join(dir, 'missing.txt')]);
    assert.deepEqual(
      items.map((i) => i.source.slice(root.length)),
      ['/a.txt', '/sub/b.json', '/sub/deeper/c.jsonl:1', join(dir, 'missing.txt').slice(root.length)],
    );
    assert.match(items[3].error!, /ENOENT/);
  });

  it('dates: ISO, RFC 822, day-first, file names; impossible dates rejected', () => {
    assert.equal(toDay('2020-01-26T23:59:00-05:00'), '2020-01-26');
    assert.equal(toDay('Sun, 26 Jan 2020 20:10:00 GMT'), '2020-01-26');
    assert.equal(toDay('26/01/2020'), '2020-01-26');
    assert.equal(toDay('2020-02-30'), null);
    assert.equal(dateFromFilename('report_20200126.txt'), '2020-01-26');
    assert.equal(dateFromFilename('report-123456.txt'), null);
  });
});
