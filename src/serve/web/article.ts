// The article view: paste or open an Arabic report, POST it to /api/extract, and show every
// recognised place, actor, number, date and trigger highlighted in the text, events beside.
import { h, bdi, fill } from './dom.js';
import { extract, type ExtractResult } from './api.js';
import { dateText, digitsOf, num, t, tType } from './i18n.js';
import { MENTION_COLOR, OTHER_COLOR, TYPE_COLOR } from './colors.js';
import { markedText } from './text.js';
import type { Mark } from './highlight.js';
import type { ConflictEvent } from '../../types.js';
import { evidenceMarks } from './panel.js';

const KINDS = ['place', 'actor', 'number', 'date', 'trigger', 'source'] as const;

/** What the user typed survives a re-render (switching the interface language). */
const draft = { title: '', date: '', text: '' };

export function renderArticleView(container: HTMLElement): void {
  const title = h('input', { type: 'text', name: 'title', dir: 'rtl', lang: 'ar', class: 'a-title', placeholder: t('article_title') });
  const date = h('input', { type: 'date', name: 'date', dir: 'ltr' });
  const text = h('textarea', { name: 'text', dir: 'rtl', lang: 'ar', rows: 7, placeholder: t('paste_hint'), class: 'a-text' });
  title.value = draft.title;
  date.value = draft.date;
  text.value = draft.text;
  const file = h('input', { type: 'file', accept: '.txt,.text,.md,.json,.jsonl,.html,.htm,text/plain', class: 'a-file' });
  const live = h('input', { type: 'checkbox', checked: true, class: 'a-live' });
  const go = h('button', { type: 'button', class: 'primary a-go' }, t('extract'));
  const status = h('span', { class: 'muted a-status', role: 'status' });
  const out = h('div', { class: 'a-out' });
  const events = h('div', { class: 'a-events' });

  let ctrl: AbortController | null = null;
  /** The last result, so an event card can switch the text back to the mentions view. */
  let lastResult: ExtractResult | null = null;
  let timer: number | null = null;

  async function run(): Promise<void> {
    const body = text.value;
    Object.assign(draft, { title: title.value, date: date.value, text: body });
    if (!body.trim()) {
      out.replaceChildren();
      events.replaceChildren();
      status.textContent = '';
      return;
    }
    ctrl?.abort();
    ctrl = new AbortController();
    status.textContent = t('loading');
    const article = { title: title.value || undefined, text: body, date: date.value || undefined };
    try {
      const r = await extract(article, ctrl.signal);
      lastResult = r;
      show(r, article.title ?? '', body);
      status.textContent = `${num(r.events.length)} ${t('events')}`;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      status.textContent = t('error') + ': ' + String((err as Error).message);
    }
  }

  function show(r: ExtractResult, titleText: string, body: string): void {
    const marks = (part: 'title' | 'text'): Mark[] =>
      (r.mentions ?? []).filter((m) => m.part === part).map((m) => ({ start: m.start, end: m.end, kind: m.kind, title: `${m.kind}${m.value !== undefined ? ': ' + m.value : ''}` }));
    const legend = h('div', { class: 'legend' }, t('legend') + ': ', KINDS.map((k) => h('span', { class: 'key m-' + k, style: `background:${MENTION_COLOR[k]}` }, t(('k_' + k) as 'k_place'))));
    fill(out, legend, titleText ? markedText(titleText, marks('title'), 'arabic-title') : '', markedText(body, marks('text')));
    fill(
      events,
      h('h3', {}, t('found_events')),
      r.events.length ? r.events.map((e, i) => eventCard(e, i, out, body)) : h('div', { class: 'muted' }, t('no_found')),
      r.warnings?.length ? h('div', { class: 'warnings' }, h('h4', {}, t('warnings')), h('ul', {}, r.warnings.map((w) => h('li', { dir: 'auto' }, w)))) : '',
    );
  }

  /** A found event; hovering shows its own evidence in the text. */
  function eventCard(e: ConflictEvent, i: number, textBox: HTMLElement, body: string): HTMLElement {
    const card = h(
      'div',
      { class: 'a-event', 'data-index': i, style: `border-inline-start-color:${TYPE_COLOR[e.event_type] ?? OTHER_COLOR}` },
      h('div', { class: 'a-event-type' }, tType(e.event_type), ' · ', tType(e.sub_event_type)),
      h('div', {}, dateText(e.event_date ?? '—'), ' · ', bdi(e.location?.name ?? '—'), e.location?.name_ar ? h('span', { class: 'muted' }, ' ', bdi(e.location.name_ar)) : ''),
      h('div', {}, bdi(e.actor1?.name ?? '—'), ' ⟷ ', bdi(e.actor2?.name ?? '—')),
      h('div', {}, `${t('fatalities')}: ${num(e.fatalities)}`, e.reported_by ? h('span', { class: 'muted' }, ' · ', bdi(e.reported_by)) : ''),
      e.background ? h('div', { class: 'muted' }, t('background')) : '',
    );
    card.addEventListener('click', () => {
      // Show this event's evidence instead of the mentions; click again to go back.
      const on = card.classList.toggle('active');
      events.querySelectorAll('.a-event.active').forEach((c) => c !== card && c.classList.remove('active'));
      const box = textBox.querySelector('.arabic-text');
      if (!box) return;
      const ev = evidenceMarks(e, 'text');
      box.replaceWith(on ? markedText(body, ev) : markedText(body, (lastResult?.mentions ?? []).filter((m) => m.part === 'text').map((m) => ({ start: m.start, end: m.end, kind: m.kind }))));
    });
    return card;
  }

  const schedule = () => {
    Object.assign(draft, { title: title.value, date: date.value, text: text.value });
    if (!live.checked) return;
    if (timer) clearTimeout(timer);
    timer = window.setTimeout(run, 600);
  };
  text.addEventListener('input', schedule);
  title.addEventListener('input', schedule);
  date.addEventListener('change', schedule);
  go.addEventListener('click', run);
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    const raw = await f.text();
    // A JSON article ({title, text, date}) fills the fields; anything else is the text itself.
    try {
      const j = JSON.parse(raw.split('\n')[0]);
      if (j && typeof j.text === 'string') {
        title.value = j.title ?? '';
        date.value = typeof j.date === 'string' ? j.date.slice(0, 10) : '';
        text.value = j.text;
        return run();
      }
    } catch {
      /* plain text */
    }
    text.value = raw.replace(/^\uFEFF/, '');
    run();
  });

  fill(
    container,
    h(
      'div',
      { class: 'a-input' },
      h('label', {}, h('span', {}, t('article_title')), title),
      h('label', {}, h('span', {}, t('article_date')), date),
      h('label', {}, h('span', {}, t('article_text')), text),
      h('div', { class: 'buttons' }, go, h('label', { class: 'inline' }, live, ' ', t('live')), h('label', { class: 'inline file' }, t('upload'), ' ', file), status),
    ),
    h('div', { class: 'a-result' }, out, events),
  );
  if (draft.text.trim()) void run();
}
