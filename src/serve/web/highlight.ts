// Cut a text into plain and highlighted pieces from spans in ORIGINAL offsets (UTF-16 code
// units, half-open), the way the extractor records evidence and mentions. Pure, so it is
// tested under node (highlight.test.ts) and rendered with text nodes by the caller.

export interface Mark {
  start: number;
  end: number;
  /** What the span is (a field name, or a mention kind): becomes the CSS class. */
  kind: string;
  /** Tooltip: what it was read as. */
  title?: string;
}

export interface Piece {
  text: string;
  start: number;
  end: number;
  /** The marks covering this piece, outermost (longest) first; empty for plain text. */
  marks: Mark[];
}

/**
 * Split `text` at every span boundary so overlapping spans still show (a place inside a
 * location phrase, a number inside a fatalities phrase). Spans outside the text are clipped;
 * empty or inverted ones are dropped.
 */
export function pieces(text: string, marks: Mark[]): Piece[] {
  const ok = marks
    .map((m) => ({ ...m, start: Math.max(0, m.start), end: Math.min(text.length, m.end) }))
    .filter((m) => Number.isFinite(m.start) && Number.isFinite(m.end) && m.end > m.start);
  const cuts = new Set<number>([0, text.length]);
  for (const m of ok) {
    cuts.add(m.start);
    cuts.add(m.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Piece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i];
    const e = points[i + 1];
    const cover = ok.filter((m) => m.start <= s && m.end >= e).sort((a, b) => b.end - b.start - (a.end - a.start));
    const prev = out[out.length - 1];
    // Merge neighbours with the same cover so plain runs stay one node.
    if (prev && sameMarks(prev.marks, cover)) {
      prev.text += text.slice(s, e);
      prev.end = e;
    } else out.push({ text: text.slice(s, e), start: s, end: e, marks: cover });
  }
  return out;
}

function sameMarks(a: Mark[], b: Mark[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}
