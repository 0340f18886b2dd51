// Render an article's original text with spans highlighted as <mark> elements, built from
// text nodes only (the text is never parsed as HTML).
import { h } from './dom.js';
import { pieces, type Mark } from './highlight.js';

export function markedText(text: string, marks: Mark[], cls = 'arabic-text'): HTMLElement {
  const block = h('div', { class: cls, dir: 'rtl', lang: 'ar' });
  // Paragraphs stay paragraphs: CSS keeps the newlines (white-space: pre-wrap).
  for (const p of pieces(text, marks)) {
    if (!p.marks.length) {
      block.append(document.createTextNode(p.text));
      continue;
    }
    // Nest one <mark> per covering span, outermost first, so overlaps stay visible.
    let inner: Node = document.createTextNode(p.text);
    for (const m of [...p.marks].reverse()) {
      const el = h('mark', { class: 'm-' + m.kind.replace(/[^a-z0-9_-]/gi, '_'), 'data-kind': m.kind, 'data-start': m.start, 'data-end': m.end, title: m.title ?? m.kind });
      el.append(inner);
      inner = el;
    }
    block.append(inner);
  }
  return block;
}
