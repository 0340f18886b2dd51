// End-to-end: the built dashboard in Debian's headless Chromium (driven by playwright-core)
// against the REAL server (buildServer) on a temp SQLite store, with the dev articles ingested
// through POST /api/extract store=true, i.e. the real extractor. Screenshots go to
// test-output/screenshots/ (set MARSAD_UPDATE_SCREENSHOTS=1 to also refresh docs/screenshots/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Store, StoredEvent, StoredArticle } from '../../store/types.js';
import type { ExtractResult } from '../../types.js';

const WEB_SRC = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(WEB_SRC, '../../..');
const WEB_ROOT = join(REPO, 'dist/web');
const SHOTS = join(REPO, 'test-output/screenshots');
const DEV_ARTICLES = resolve(REPO, '../shared/eval/dev/articles.jsonl');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'e2e-write-token';

const skip = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM} (apt-get install chromium): dashboard browser tests skipped`
  : !existsSync(DEV_ARTICLES)
    ? `dev articles not found at ${DEV_ARTICLES}: dashboard browser tests skipped`
    : false;
if (skip) console.log('# SKIP ' + skip);

let dir = '';
let store: Store;
let app: FastifyInstance;
let base = '';
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** The newest modification time under a folder (to rebuild a stale dist/web). */
function newest(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).filter((n) => !n.endsWith('.test.ts')).map((n) => newest(join(p, n))));
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(base + path, init);
  assert.ok(r.ok, `${path}: HTTP ${r.status} ${await r.clone().text()}`);
  return (await r.json()) as T;
}

async function extractAndStore(articles: object[]): Promise<void> {
  const r = await api<{ results: { error?: string }[] }>('/api/extract', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ articles, store: true }),
  });
  for (const x of r.results) assert.equal(x.error, undefined, `extraction failed: ${x.error}`);
}

async function shot(name: string): Promise<string> {
  const path = join(SHOTS, name + '.png');
  await page.screenshot({ path });
  return path;
}

/** Wait until the page has loaded its data and the map is idle. */
async function settled(): Promise<void> {
  await page.waitForFunction(() => (window as any).__marsad, null, { timeout: 30_000 });
  await page.evaluate(() => (window as any).__marsad.ready());
}

async function tableCount(): Promise<number> {
  return page.locator('table.events tbody tr').count();
}

before(async () => {
  if (skip) return;
  // CI builds before testing; standalone, (re)build when dist/web is missing or older than the sources.
  if (!existsSync(join(WEB_ROOT, 'index.html')) || newest(WEB_SRC) > statSync(join(WEB_ROOT, 'index.html')).mtimeMs) {
    const b = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: REPO, stdio: 'inherit' });
    assert.equal(b.status, 0, 'web build failed');
  }
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'marsad-e2e-'));
  const { openStore } = await import('../../store/index.js');
  const { buildServer } = await import('../index.js');
  store = await openStore(join(dir, 'e2e.db'));
  app = await buildServer({ store, token: TOKEN, webRoot: WEB_ROOT });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  assert.ok(addr && typeof addr === 'object');
  base = `http://127.0.0.1:${addr.port}`;

  const dev = readFileSync(DEV_ARTICLES, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  await extractAndStore(dev);

  const { chromium } = await import('playwright-core');
  // A fresh profile in the temp folder (Playwright wants it as the persistent context's dir).
  browser = await chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    // SwiftShader gives WebGL without a GPU, so MapLibre really renders; the rest keeps
    // Chromium off the network (this machine has none) and out of the user's profile.
    args: ['--no-sandbox', '--disable-gpu', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    pageErrors.push('dialog opened: ' + d.message());
    void d.dismiss();
  });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the map shows the seed events at their places, first paint measured', { skip, timeout: 120_000 }, async (t) => {
  const t0 = Date.now();
  await page.goto(base + '/');
  await settled();
  const drawn = await page.evaluate(() => performance.getEntriesByName('marsad:events-drawn')[0]?.startTime ?? null);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  t.diagnostic(`first contentful paint ${fcp?.toFixed(0)} ms; events drawn on the map ${drawn?.toFixed(0)} ms; settled ${Date.now() - t0} ms (software WebGL)`);

  const events = await api<{ total: number; items: StoredEvent[] }>('/api/events?limit=1000&background=false');
  const placed = events.items.filter((e) => e.location?.lat != null && e.location?.lon != null);
  assert.ok(placed.length > 0, 'the seed gives events with coordinates');
  const shown: { id: string; lat: number; lon: number }[] = await page.evaluate(() => (window as any).__marsad.shown());
  const territory = placed.filter((e) => /territory/.test(e.sub_event_type));
  // Every placed news event is on the map at its stored coordinates (territory changes are their own layer).
  for (const e of placed.filter((e) => !territory.includes(e))) {
    const s = shown.find((x) => x.id === e.id);
    assert.ok(s, `event ${e.id} (${e.location?.name}) is on the map`);
    assert.equal(s.lat, e.location!.lat);
    assert.equal(s.lon, e.location!.lon);
  }
  // The seed is about Maarat al-Numan (35.65 N, 36.67 E): events there, rendered by the GPU layers.
  const near = (x: { lat: number; lon: number }) => Math.abs(x.lat - 35.65) < 0.05 && Math.abs(x.lon - 36.67) < 0.05;
  assert.ok(placed.some((e) => near({ lat: e.location!.lat!, lon: e.location!.lon! })), 'an event at Maarat al-Numan');
  const rendered: { lat: number; lon: number; layer: string }[] = await page.evaluate(() => {
    const m = (window as any).__marsad.map;
    return m.queryRenderedFeatures({ layers: ['points', 'territory', 'clusters'] }).map((f: any) => ({ layer: f.layer.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
  });
  assert.ok(rendered.some((f) => near(f)), 'events are drawn at Maarat al-Numan (as points or a counted cluster)');
  if (territory.length) assert.ok(rendered.some((f) => f.layer === 'territory'), 'territory changes drawn as their own layer');
  await shot('dashboard-map');
  // Zoomed in on the town (zoom 12, past the clusters), each event there is its own point.
  const atMaarat = placed.filter((e) => near({ lat: e.location!.lat!, lon: e.location!.lon! }) && !territory.includes(e));
  const view = await page.evaluate(() => {
    const m = (window as any).__marsad.map;
    return { center: m.getCenter().toArray(), zoom: m.getZoom() };
  });
  const center = [atMaarat.reduce((a, e) => a + e.location!.lon!, 0) / atMaarat.length, atMaarat.reduce((a, e) => a + e.location!.lat!, 0) / atMaarat.length];
  await page.evaluate((c) => {
    const m = (window as any).__marsad.map;
    const idle = new Promise((r) => m.once('idle', r));
    m.jumpTo({ center: c, zoom: 12 });
    return idle;
  }, center);
  const close: { id: string; layer: string }[] = await page.evaluate(() =>
    (window as any).__marsad.map.queryRenderedFeatures({ layers: ['points', 'clusters'] }).map((f: any) => ({ id: f.properties.id, layer: f.layer.id })),
  );
  for (const e of atMaarat) assert.ok(close.some((f) => f.layer === 'points' && f.id === e.id), `event ${e.id} drawn as its own point at zoom 12`);
  await page.evaluate((v) => (window as any).__marsad.map.jumpTo(v), view);
  // The table lists the same events.
  assert.equal(await page.locator('.pager .count').textContent(), `${events.total} events`);
  assert.deepEqual(pageErrors, []);
});

test('filtering by type and by date changes the map and the table', { skip, timeout: 120_000 }, async () => {
  const all = await tableCount();
  const battles = await api<{ total: number }>('/api/events?event_type=Battles&background=false');
  assert.ok(battles.total > 0 && battles.total < all, `Battles (${battles.total}) is a strict part of the ${all} events`);
  await page.selectOption('select[name=event_type]', 'Battles');
  await page.click('form.filters button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, battles.total);
  await settled();
  const types = await page.locator('table.events tbody tr td:nth-child(2)').allTextContents();
  assert.ok(types.every((s) => s.trim() === 'Battles'), types.join(' | '));
  const shownTypes: string[] = await page.evaluate(() => (window as any).__marsad.shown().map((e: any) => e.event_type));
  assert.ok(shownTypes.length > 0 && shownTypes.every((s) => s === 'Battles'));
  assert.match(page.url(), /event_type=Battles/);

  // A date range after the seed's day empties the view; the seed's own day brings it back.
  await page.fill('input[name=from]', '2020-01-27');
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('.table .empty');
  assert.equal(await tableCount(), 0);
  await settled();
  assert.equal(await page.evaluate(() => (window as any).__marsad.shown().length), 0);
  await page.fill('input[name=from]', '2020-01-26');
  await page.fill('input[name=to]', '2020-01-26');
  await page.click('form.filters button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, battles.total);

  // Brushing the timeline sets the date range too.
  await page.click('form.filters button[type=reset]');
  await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, all);
  await settled();
  const box = (await page.locator('.tl-svg').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => !!(window as any).__marsad.state.filter.from);
  const f = await page.evaluate(() => (window as any).__marsad.state.filter);
  assert.ok(f.from <= '2020-01-26' && f.to >= '2020-01-26', `brush over the middle covers the seed day: ${f.from}..${f.to}`);
  assert.equal(await page.inputValue('input[name=from]'), f.from);
  await page.click('form.filters button[type=reset]');
  await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, all);
});

test('the replay slider plays the period back on the map', { skip, timeout: 120_000 }, async () => {
  const total: number = await page.evaluate(() => (window as any).__marsad.shown().length);
  assert.ok(total > 0);
  const slider = page.locator('.tl-slider');
  const min = Number(await slider.getAttribute('min'));
  const max = Number(await slider.getAttribute('max'));
  // The first day of the axis lies before every event (the axis is padded by 3 days).
  await slider.fill(String(min));
  assert.equal(await page.evaluate(() => (window as any).__marsad.shown().length), 0);
  assert.match((await page.locator('.tl-day').textContent()) ?? '', /\d{4}-\d{2}-\d{2}/);
  await slider.fill(String(max));
  assert.equal(await page.evaluate(() => (window as any).__marsad.shown().length), total);
  await slider.fill(String(min));
  await page.click('.tl-play');
  await page.waitForFunction((n) => (window as any).__marsad.shown().length === n, total, { timeout: 10_000 });
  await page.click('.tl-all');
  assert.equal(await page.evaluate(() => (window as any).__marsad.shown().length), total);
});

test('an event opens with its evidence highlighted in the original Arabic text', { skip, timeout: 120_000 }, async () => {
  const events = await api<{ items: StoredEvent[] }>('/api/events?limit=1000&background=false&sort=-fatalities');
  const e = events.items.find((x) => x.sources.some((s) => Object.values(s.event.evidence ?? {}).some((l) => l.some((v) => v.part === 'text'))));
  assert.ok(e, 'an event with text evidence');
  await page.click(`table.events tbody tr[data-id="${e.id}"]`);
  await page.waitForSelector('.panel .article-box mark');
  const src = e.sources.find((s) => Object.values(s.event.evidence ?? {}).some((l) => l.some((v) => v.part === 'text')))!;
  const article = await api<StoredArticle>('/api/articles/' + encodeURIComponent(src.article_id));
  const block = page.locator(`.panel .article-box[data-article="${src.article_id}"] .arabic-text`);
  assert.equal(await block.getAttribute('dir'), 'rtl');
  assert.equal(await block.textContent(), article.text, 'the original text, unchanged');
  // Each evidence span is marked, and the marked characters are exactly the original substring.
  const marks: { start: number; end: number; text: string }[] = await block.locator('mark').evaluateAll((ms) =>
    ms.map((m) => ({ start: Number(m.getAttribute('data-start')), end: Number(m.getAttribute('data-end')), text: m.textContent ?? '' })),
  );
  const spans = Object.values(src.event.evidence).flat().filter((v) => v.part === 'text');
  for (const sp of spans) {
    const joined = marks.filter((m) => m.start === sp.start && m.end === sp.end).map((m) => m.text);
    assert.ok(joined.length > 0, `span ${sp.start}-${sp.end} "${sp.text}" is marked`);
    // Nested spans split a mark into pieces; the outermost pieces together are the span.
    assert.ok(joined.some((t) => t === sp.text) || joined.join('').includes(sp.text) || sp.text.includes(joined[0]), `mark text for ${sp.start}-${sp.end}`);
    assert.equal(article.text.slice(sp.start, sp.end), sp.text);
  }
  assert.ok(marks.some((m) => m.text === article.text.slice(m.start, m.end)), 'a <mark> whose text equals the original substring');
  // The panel lists the sources with their figures.
  assert.equal(await page.locator('.panel table.sources tbody tr').count(), e.sources.length);
  assert.match(page.url(), new RegExp('event=' + e.id));
  // Opening from the table brings the event into view on the map, ringed.
  await page.waitForFunction(() => {
    const m = (window as any).__marsad.map;
    return m.getZoom() >= 11 && !m.isMoving() && m.loaded();
  });
  const ringed = await page.evaluate(() => (window as any).__marsad.map.queryRenderedFeatures({ layers: ['selected'] }).map((f: any) => f.properties.id));
  assert.deepEqual(ringed, [e.id]);
  await page.evaluate(() => document.querySelector('main.view-map')!.scrollTo(0, 0));
  // For the screenshot, the whole area again (the panel stays open).
  await page.evaluate(() => {
    const m = (window as any).__marsad.map;
    const idle = new Promise((r) => m.once('idle', r));
    m.jumpTo({ center: [36.95, 35.9], zoom: 8.3 });
    return idle;
  });
  await shot('dashboard-event');
});

test('Arabic interface: right-to-left layout, Arabic-Indic digits on request', { skip, timeout: 120_000 }, async () => {
  await page.click('#lang-switch');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await page.click('button[data-digits=arab]');
  const date = await page.locator('table.events tbody tr td').first().textContent();
  assert.match((date ?? '').replace(/[\u200E\u2066\u2069]/g, ''), /^[٠-٩]{4}-[٠-٩]{2}-[٠-٩]{2}$/);
  // On screen the year stays left of the day (bidi would otherwise reverse Arabic-Indic dates).
  const order = await page.locator('table.events tbody tr td').first().evaluate((td) => {
    const tn = td.firstChild!;
    const s = tn.textContent!;
    const r = document.createRange();
    const y = s.search(/[٠-٩]{4}/);
    r.setStart(tn, y);
    r.setEnd(tn, y + 4);
    const yearX = r.getBoundingClientRect().x;
    r.setStart(tn, s.length - 3);
    r.setEnd(tn, s.length - 1);
    return { yearX, dayX: r.getBoundingClientRect().x };
  });
  assert.ok(order.yearX < order.dayX, `year before day on screen: ${JSON.stringify(order)}`);
  assert.equal(await page.locator('.tab.active').textContent(), 'الخريطة');
  // The bundled Arabic font is used for the article text.
  const font = await page.locator('.arabic-text').first().evaluate((el) => getComputedStyle(el).fontFamily);
  assert.match(font, /Noto Naskh Arabic/);
  await settled();
  await shot('dashboard-ar');
  await page.click('button[data-digits=latn]');
  await page.click('#lang-switch');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
});

test('a pasted article is extracted live: mentions highlighted, its events listed', { skip, timeout: 120_000 }, async () => {
  // A report in the style of the Syrian Observatory, not from the dev set.
  const title = 'مقتل 5 مدنيين بقصف جوي على سراقب';
  const text =
    'قال المرصد السوري لحقوق الإنسان إن 5 مدنيين بينهم طفلان قتلوا يوم الثلاثاء جراء غارات جوية نفذتها طائرات حربية روسية على مدينة سراقب في ريف إدلب الشرقي، فيما دارت اشتباكات عنيفة بين الفصائل المعارضة وقوات النظام على محور خان السبل.';
  await page.click('button[data-view=article]');
  await page.fill('.a-title', title);
  await page.fill('input[name=date]', '2020-02-04');
  await page.fill('.a-text', text);
  const expected = await api<ExtractResult>('/api/extract', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ article: { title, text, date: '2020-02-04' } }),
  });
  assert.ok(expected.events.length > 0, 'the extractor finds events in this report');
  await page.waitForFunction((n) => document.querySelectorAll('.a-event').length === n, expected.events.length, { timeout: 20_000 });
  const out = page.locator('.a-out .arabic-text');
  assert.equal(await out.textContent(), text);
  for (const kind of new Set(expected.mentions.filter((m) => m.part === 'text').map((m) => m.kind))) {
    const m = expected.mentions.find((x) => x.kind === kind && x.part === 'text')!;
    const texts = await out.locator(`mark.m-${kind}[data-start="${m.start}"]`).allTextContents();
    assert.ok(texts.length > 0, `${kind} mention "${m.text}" highlighted`);
    assert.ok(texts.some((x) => m.text.startsWith(x) || x === m.text));
  }
  const types = await page.locator('.a-event-type').allTextContents();
  assert.deepEqual(types, expected.events.map((e) => `${e.event_type} · ${e.sub_event_type}`));
  await shot('dashboard-article');
  // Switching the interface language keeps the pasted report and its result.
  await page.click('#lang-switch');
  assert.equal(await page.inputValue('.a-text'), text);
  await page.waitForFunction((n) => document.querySelectorAll('.a-event').length === n, expected.events.length);
  assert.equal(await page.locator('.tab.active').textContent(), 'قراءة خبر');
  await page.click('#lang-switch');
});

test('an article file (JSON) can be opened in the article view', { skip, timeout: 120_000 }, async () => {
  const dev = JSON.parse(readFileSync(DEV_ARTICLES, 'utf8').split('\n')[0]);
  await page.setInputFiles('.a-file', { name: 'report.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(dev)) });
  await page.waitForFunction((t) => (document.querySelector('.a-text') as HTMLTextAreaElement).value === t, dev.text);
  assert.equal(await page.inputValue('.a-title'), dev.title);
  await page.waitForFunction(() => document.querySelectorAll('.a-event').length > 0 && document.querySelector('.a-status')!.textContent!.includes('events'), null, { timeout: 20_000 });
  assert.equal(await page.locator('.a-out .arabic-title').textContent(), dev.title);
});

test('article text is never interpreted as HTML (XSS)', { skip, timeout: 120_000 }, async () => {
  const payload = '<img src=x onerror="window.__xss=1">';
  const text = `قتل 3 مدنيين بقصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب الجنوبي ${payload} وفق المرصد السوري لحقوق الإنسان.`;
  // 1. Stored: the event panel shows the stored article.
  await extractAndStore([{ title: 'قصف <b>كفرنبل</b>', text, date: '2020-02-05', outlet: '<script>window.__xss=2</script>' }]);
  const ev = await api<{ items: StoredEvent[] }>('/api/events?q=' + encodeURIComponent('كفرنبل') + '&limit=10');
  assert.ok(ev.items.length > 0, 'the report gives an event');
  await page.goto(base + '/?event=' + encodeURIComponent(ev.items[0].id));
  await page.waitForSelector('.panel .article-box .arabic-text');
  const box = page.locator('.panel .article-box').first();
  assert.equal(await box.locator('img, script, b').count(), 0);
  assert.ok((await box.locator('.arabic-text').textContent())!.includes(payload));
  assert.ok((await box.textContent())!.includes('<script>'));
  // 2. Pasted: the article view.
  await page.click('button[data-view=article]');
  await page.fill('.a-text', text);
  await page.waitForSelector('.a-out .arabic-text');
  assert.equal(await page.locator('.a-out img').count(), 0);
  assert.equal(await page.locator('.a-out .arabic-text').textContent(), text);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
  assert.deepEqual(pageErrors, []);
});

test('export links carry the current filter', { skip, timeout: 120_000 }, async () => {
  await page.goto(base + '/?event_type=Battles&from=2020-01-01');
  await settled();
  const href = (await page.getAttribute('#export-csv', 'href'))!;
  assert.match(href, /format=acled-csv/);
  assert.match(href, /event_type=Battles/);
  const r = await fetch(new URL(href, base + '/'));
  assert.equal(r.status, 200);
  const csv = (await r.text()).replace(/^\uFEFF/, '').trim();
  assert.match(csv.split('\n')[0], /event_id_cnty/);
  // Records = line breaks outside quoted fields (a quoted note may hold a newline).
  let records = 1;
  let quoted = false;
  for (const ch of csv) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records++;
  }
  const battles = await api<{ total: number }>('/api/events?event_type=Battles&from=2020-01-01&background=false');
  assert.equal(records - 1, battles.total);
  const gj = await (await fetch(new URL((await page.getAttribute('#export-geojson', 'href'))!, base + '/'))).json();
  assert.ok(gj.features.every((f: any) => f.properties.event_type === 'Battles'));
});

test('a server with closed reads: the token from the settings is sent', { skip, timeout: 120_000 }, async () => {
  const { buildServer } = await import('../index.js');
  const closed = await buildServer({ store, token: TOKEN, readToken: 'e2e-read-token', webRoot: WEB_ROOT });
  await closed.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (closed.server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/`;
    await page.goto(url);
    await page.waitForSelector('.toast.error');
    assert.equal(await tableCount(), 0);
    await page.click('details.settings summary');
    await page.fill('input[name=token]', 'e2e-read-token');
    await page.click('details.settings button');
    await page.waitForLoadState('load');
    await settled();
    await page.waitForSelector('table.events tbody tr');
    assert.ok((await tableCount()) > 0);
    assert.ok((await page.evaluate(() => (window as any).__marsad.shown().length)) > 0);
    // The export link downloads through fetch with the token.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-geojson')]);
    const file = await download.path();
    const gj = JSON.parse(readFileSync(file!, 'utf8'));
    assert.ok(gj.features.length > 0);
    await page.evaluate(() => localStorage.removeItem('marsad.token'));
  } finally {
    await closed.close();
  }
});

test('100,000 events on the map: one GPU layer, no DOM node per event', { skip, timeout: 120_000 }, async (t) => {
  await page.goto(base + '/');
  await settled();
  // A string, not a function: tsx would wrap named arrows in a helper the page does not have.
  const r: { load: number; fps: number; nodes: number; shown: number } = await page.evaluate(`(async () => {
    const m = window.__marsad;
    const t0 = performance.now();
    m.synthetic(100000);
    await new Promise((res) => m.map.once('idle', res));
    const load = performance.now() - t0;
    // Pan and zoom for a second, counting frames.
    let frames = 0;
    let counting = true;
    m.map.on('render', () => { if (counting) frames++; });
    const t1 = performance.now();
    m.map.easeTo({ zoom: m.map.getZoom() - 1, center: [37.5, 35], duration: 1000 });
    await new Promise((res) => setTimeout(res, 1100));
    counting = false;
    return { load, fps: frames / ((performance.now() - t1) / 1000), nodes: document.querySelectorAll('*').length, shown: m.shown().length };
  })()`);
  t.diagnostic(`100k events: on the map in ${r.load.toFixed(0)} ms, ${r.fps.toFixed(1)} frames/s while easing (software WebGL), ${r.nodes} DOM nodes`);
  assert.equal(r.shown, 100_000);
  assert.ok(r.nodes < 3000, `DOM stays small (${r.nodes} nodes)`);
  await shot('dashboard-100k');
  if (process.env.MARSAD_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(REPO, 'docs/screenshots'), { recursive: true });
    copyFileSync(join(SHOTS, 'dashboard-event.png'), join(REPO, 'docs/screenshots/dashboard.png'));
    copyFileSync(join(SHOTS, 'dashboard-article.png'), join(REPO, 'docs/screenshots/article.png'));
    copyFileSync(join(SHOTS, 'dashboard-ar.png'), join(REPO, 'docs/screenshots/dashboard-ar.png'));
  }
});
