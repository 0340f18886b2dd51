// One article's evidence spans, stored once. The events of one article point at the same few dozen
// spans again and again (the seed's 16 events hold ~240 span copies of ~60 spans); each source row
// kept them all, and source rows were most of the database. SQLite keeps an article's spans in its
// articles row and each source's evidence as span numbers per field; reading a source puts the
// spans back exactly as extracted.

import type { ConflictEvent, Evidence, ExtractResult } from '../types.js';
import type { EventSource } from './types.js';

/** A stored span: [start, end, text], or [start, end, text, part] when the part is not 'text'. */
type StoredSpan = [number, number, string] | [number, number, string, string];

export interface SpanTable {
  spans: StoredSpan[];
  index: Map<string, number>;
}

const keyOf = (sp: Evidence) => `${sp.part}|${sp.start}|${sp.end}`;
// Only plain spans are shared; anything else (extra fields) stays inline in its source.
const plain = (sp: Evidence) => {
  for (const k in sp) if (k !== 'part' && k !== 'start' && k !== 'end' && k !== 'text') return false;
  return typeof sp.start === 'number' && typeof sp.end === 'number' && typeof sp.text === 'string' && typeof sp.part === 'string';
};

/** The distinct spans of all of an article's events. */
export function spanTable(result: Pick<ExtractResult, 'events'>): SpanTable {
  const t: SpanTable = { spans: [], index: new Map() };
  for (const ev of result.events)
    for (const list of Object.values(ev.evidence ?? {}))
      for (const sp of list ?? []) {
        if (!sp || !plain(sp)) continue;
        const k = keyOf(sp);
        if (t.index.has(k)) continue;
        t.index.set(k, t.spans.length);
        t.spans.push(sp.part === 'text' ? [sp.start, sp.end, sp.text] : [sp.start, sp.end, sp.text, sp.part]);
      }
  return t;
}

/** A source as stored: its event's evidence as span numbers ("evidence_refs"), when every span is in the table. */
export function encodeSource(s: EventSource, t: SpanTable | null): string {
  const evidence = s.event.evidence;
  if (!t || !evidence) return JSON.stringify(s);
  const refs: Record<string, number[]> = {};
  for (const [field, list] of Object.entries(evidence)) {
    const out: number[] = [];
    for (const sp of list ?? []) {
      const i = sp && plain(sp) ? t.index.get(keyOf(sp)) : undefined;
      // A span (text included) not in the table: keep this source whole.
      if (i === undefined || t.spans[i][2] !== sp.text) return JSON.stringify(s);
      out.push(i);
    }
    refs[field] = out;
  }
  return JSON.stringify({ ...s, event: { ...s.event, evidence: undefined }, evidence_refs: refs });
}

/** A stored source back as it was given to encodeSource; `spans`: its article's table (JSON). */
export function decodeSource(json: string, spans: () => StoredSpan[] | null): EventSource {
  const s = JSON.parse(json) as EventSource & { evidence_refs?: Record<string, number[]> };
  const refs = s.evidence_refs;
  if (!refs) return s;
  const table = spans() ?? [];
  const evidence: ConflictEvent['evidence'] = {};
  for (const [field, list] of Object.entries(refs))
    evidence[field as keyof ConflictEvent['evidence']] = list.map((i) => {
      const [start, end, text, part] = table[i] ?? [0, 0, ''];
      return { part: (part ?? 'text') as Evidence['part'], start, end, text };
    });
  delete s.evidence_refs;
  return { ...s, event: { ...s.event, evidence } };
}

export function encodeSpans(t: SpanTable | null): string | null {
  return t && t.spans.length ? JSON.stringify(t.spans) : null;
}

export function parseSpans(json: string | null | undefined): StoredSpan[] | null {
  return json ? (JSON.parse(json) as StoredSpan[]) : null;
}
