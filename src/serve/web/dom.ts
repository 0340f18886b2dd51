// Tiny DOM builder. Everything that comes from an article goes in as text (textContent /
// text nodes), never as HTML: a report containing "<img onerror=...>" shows as those characters.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's children. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Arabic script in a string decides its direction: used for data blocks of unknown language. */
export const hasArabic = (s: string | null | undefined): boolean => !!s && /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/.test(s);

/** A bidi-isolated inline value (names, places): keeps "Idlib (إدلب)" from scrambling its neighbours. */
export function bdi(text: string | null | undefined, cls?: string): HTMLElement {
  const el = h('bdi', { class: cls, dir: 'auto' }, text ?? '');
  if (hasArabic(text)) el.setAttribute('lang', 'ar');
  return el;
}
