// Timeline: events per day stacked by event type (bars) and fatalities per day (line), drawn
// as SVG from /api/aggregates?by=day&stack=event_type. Dragging across it picks a date range
// (the brush), which the page applies as from/to to the map and the table. Below it, a slider
// and a play button replay the period on the map, a trailing window of days at a time.
import { h, fill } from './dom.js';
import type { AggregateRow } from './api.js';
import { EVENT_TYPES, OTHER_COLOR, TYPE_COLOR } from './colors.js';
import { dateOf, dayOf } from './map.js';
import { dateText, digitsOf, num, t, tType } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface Timeline {
  render(rows: AggregateRow[], brush: [string, string] | null): void;
  /** Range of days currently on the axis. */
  range(): [number, number] | null;
}

export function createTimeline(
  container: HTMLElement,
  onBrush: (range: [string, string] | null) => void,
  onReplay: (window: [number, number] | null) => void,
): Timeline {
  // The SVG's width follows its box at each render, so text and bars are not stretched.
  let W = 1000;
  const H = 120;
  const PAD = { l: 34, r: 34, t: 8, b: 20 };
  const chart = h('div', { class: 'tl-chart', dir: 'ltr' });
  const legend = h('div', { class: 'tl-legend' });
  const slider = h('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, class: 'tl-slider', 'aria-label': 'replay day', dir: 'ltr' });
  const dayLabel = h('output', { class: 'tl-day' });
  const playBtn = h('button', { type: 'button', class: 'tl-play' });
  const allBtn = h('button', { type: 'button', class: 'tl-all' });
  const clearBtn = h('button', { type: 'button', class: 'tl-clear' });
  const hint = h('span', { class: 'tl-hint' });
  fill(container, h('div', { class: 'tl-head' }, legend, hint, clearBtn), chart, h('div', { class: 'tl-replay' }, playBtn, slider, dayLabel, allBtn));

  let lo = 0;
  let hi = 0;
  let has = false;
  let timer: number | null = null;
  const WINDOW = 7; // replay shows the last 7 days up to the slider's day

  const x = (day: number) => PAD.l + ((day - lo) / Math.max(1, hi - lo + 1)) * (W - PAD.l - PAD.r);
  const dayAt = (px: number) => Math.floor(lo + ((px - PAD.l) / (W - PAD.l - PAD.r)) * (hi - lo + 1));

  function labels(): void {
    playBtn.textContent = timer ? '❚❚ ' + t('pause') : '▶ ' + t('play');
    allBtn.textContent = t('replay_all');
    clearBtn.textContent = t('clear_brush');
    hint.textContent = t('timeline_hint');
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
    labels();
  }

  function showDay(): void {
    const d = Number(slider.value);
    dayLabel.textContent = has ? dateText(dateOf(d)) : '';
    onReplay(has ? [d - WINDOW + 1, d] : null);
  }

  slider.addEventListener('input', () => {
    stop();
    showDay();
  });
  playBtn.addEventListener('click', () => {
    if (timer) return stop();
    if (!has) return;
    if (Number(slider.value) >= hi) slider.value = String(lo);
    timer = window.setInterval(() => {
      const d = Number(slider.value) + 1;
      if (d > hi) return stop();
      slider.value = String(d);
      showDay();
    }, 350);
    labels();
    showDay();
  });
  allBtn.addEventListener('click', () => {
    stop();
    slider.value = String(hi);
    dayLabel.textContent = '';
    onReplay(null);
  });
  clearBtn.addEventListener('click', () => onBrush(null));

  // Brush: pointer drag over the chart, in SVG coordinates.
  let drag: { a: number; rect: SVGRectElement; svg: SVGSVGElement } | null = null;
  const toSvgX = (svg: SVGSVGElement, clientX: number) => {
    const b = svg.getBoundingClientRect();
    return ((clientX - b.left) / b.width) * W;
  };

  let last: { rows: AggregateRow[]; brush: [string, string] | null } | null = null;
  // Redraw when the box changes width (the event panel opens, the window resizes).
  let drawnWidth = 0;
  new ResizeObserver(() => {
    const w = Math.round(chart.clientWidth);
    if (last && w > 0 && Math.abs(w - drawnWidth) > 2 && !timer) render(last.rows, last.brush);
  }).observe(chart);

  function render(rows: AggregateRow[], brush: [string, string] | null): void {
    last = { rows, brush };
    stop();
    labels();
    drawnWidth = Math.round(chart.clientWidth);
    W = Math.max(300, drawnWidth || 1000);
    const days = rows.map((r) => dayOf(r.key)).filter(Number.isFinite);
    has = days.length > 0;
    chart.replaceChildren();
    legend.replaceChildren();
    if (!has) {
      chart.append(h('div', { class: 'tl-empty' }, t('no_events')));
      slider.max = slider.min = slider.value = '0';
      dayLabel.textContent = '';
      return;
    }
    // Pad a short period so a single day still reads as a bar in time.
    lo = Math.min(...days) - 3;
    hi = Math.max(...days) + 3;
    const byDay = new Map<number, { total: number; fat: number; types: Map<string, number> }>();
    for (const r of rows) {
      const d = dayOf(r.key);
      if (!Number.isFinite(d)) continue;
      const e = byDay.get(d) ?? { total: 0, fat: 0, types: new Map() };
      e.total += r.events;
      e.fat += r.fatalities;
      const g = r.group ?? 'Other';
      e.types.set(g, (e.types.get(g) ?? 0) + r.events);
      byDay.set(d, e);
    }
    const maxN = Math.max(1, ...[...byDay.values()].map((e) => e.total));
    const maxF = Math.max(1, ...[...byDay.values()].map((e) => e.fat));
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'tl-svg', role: 'img' });
    const bw = Math.max(1, (W - PAD.l - PAD.r) / (hi - lo + 1) - 1);
    const y = (v: number) => H - PAD.b - (v / maxN) * (H - PAD.t - PAD.b);
    const yf = (v: number) => H - PAD.b - (v / maxF) * (H - PAD.t - PAD.b);
    const order = [...EVENT_TYPES, 'Other'];
    const seenTypes = new Set<string>();
    for (const [d, e] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) {
      let acc = 0;
      for (const ty of [...order, ...[...e.types.keys()].filter((k) => !order.includes(k as any))]) {
        const n = e.types.get(ty);
        if (!n) continue;
        seenTypes.add(ty);
        const rect = s('rect', { x: x(d), width: bw, y: y(acc + n), height: y(acc) - y(acc + n), fill: TYPE_COLOR[ty] ?? OTHER_COLOR, class: 'tl-bar' });
        const title = s('title', {});
        title.textContent = `${dateText(dateOf(d))} · ${tType(ty)}: ${num(n)}`;
        rect.append(title);
        svg.append(rect);
        acc += n;
      }
    }
    // Fatalities line over the bars (its own scale, labelled on the right).
    const pts: string[] = [];
    for (let d = lo; d <= hi; d++) pts.push(`${x(d) + bw / 2},${yf(byDay.get(d)?.fat ?? 0)}`);
    if (pts.length) {
      svg.append(s('polyline', { points: pts.join(' '), class: 'tl-fat' }));
      for (const [d, e] of byDay) {
        const c = s('circle', { cx: x(d) + bw / 2, cy: yf(e.fat), r: 2.5, class: 'tl-fat-dot' });
        const title = s('title', {});
        title.textContent = `${dateText(dateOf(d))} · ${t('fatalities')}: ${num(e.fat)}`;
        c.append(title);
        svg.append(c);
      }
    }
    // Axis: first, middle, last dates; counts on both sides.
    const axis = (tx: number, label: string, anchor: string, yy = H - 5) => {
      const el = s('text', { x: tx, y: yy, 'text-anchor': anchor, class: 'tl-axis' });
      el.textContent = label;
      svg.append(el);
    };
    axis(PAD.l, dateText(dateOf(lo)), 'start');
    axis((PAD.l + W - PAD.r) / 2, dateText(dateOf(Math.round((lo + hi) / 2))), 'middle');
    axis(W - PAD.r, dateText(dateOf(hi)), 'end');
    axis(PAD.l - 4, num(maxN), 'end', PAD.t + 8);
    axis(W - PAD.r + 4, num(maxF), 'start', PAD.t + 8);
    if (brush) {
      const a = dayOf(brush[0]);
      const b = dayOf(brush[1]);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        const x0 = x(Math.max(lo, a));
        svg.append(s('rect', { x: x0, y: PAD.t, width: Math.max(2, x(Math.min(hi, b) + 1) - x0), height: H - PAD.t - PAD.b, class: 'tl-brush' }));
      }
    }
    svg.addEventListener('pointerdown', (ev) => {
      const a = toSvgX(svg, ev.clientX);
      const rect = s('rect', { x: a, y: PAD.t, width: 1, height: H - PAD.t - PAD.b, class: 'tl-brush' });
      svg.querySelectorAll('.tl-brush').forEach((r) => r.remove());
      svg.append(rect);
      svg.setPointerCapture(ev.pointerId);
      drag = { a, rect, svg };
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      const b = toSvgX(svg, ev.clientX);
      drag.rect.setAttribute('x', String(Math.min(drag.a, b)));
      drag.rect.setAttribute('width', String(Math.max(1, Math.abs(b - drag.a))));
    });
    svg.addEventListener('pointerup', (ev) => {
      if (!drag) return;
      const b = toSvgX(svg, ev.clientX);
      const d0 = Math.max(lo, dayAt(Math.min(drag.a, b)));
      const d1 = Math.min(hi, dayAt(Math.max(drag.a, b)));
      drag = null;
      onBrush([dateOf(d0), dateOf(Math.max(d0, d1))]);
    });
    chart.append(svg);
    for (const ty of order.filter((o) => seenTypes.has(o))) {
      legend.append(h('span', { class: 'tl-key' }, h('i', { style: `background:${TYPE_COLOR[ty] ?? OTHER_COLOR}` }), tType(ty)));
    }
    legend.append(h('span', { class: 'tl-key' }, h('i', { class: 'tl-key-fat' }), t('fatalities')));
    slider.min = String(lo);
    slider.max = String(hi);
    slider.value = String(hi);
    dayLabel.textContent = '';
  }

  labels();
  return {
    render,
    range: () => (has ? [lo, hi] : null),
  };
}
