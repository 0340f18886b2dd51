// Stand-ins for readers that other stages own (actors: src/lexicon/actors.ts, sources:
// src/lexicon/sources.ts, dates: src/text/dates.ts), used only while those modules are absent.
// They read the same lexicon files and cover the common cases, nothing more.

import { loadTable, list } from '../lexicon/table.js';
import { PhraseIndex, scanTokens } from '../lexicon/phrase-index.js';
import { normalizeKey, originalSlice, type NormalizedText } from '../text/normalize.js';
import type { ActorEntry, ActorMention, Attribution, DateReading, SourceRef } from './deps.js';

interface ActorRow extends ActorEntry {
  local: string[];
  associated: string[];
}

let actorRows: ActorRow[] | null = null;
const actorIndex = new Map<string, PhraseIndex<{ row: ActorRow; associated: boolean }>>();

function rows(): ActorRow[] {
  if (!actorRows)
    actorRows = loadTable('actors.tsv').map((r) => ({
      id: r.id,
      name: r.name,
      inter: Number(r.inter),
      side: r.side,
      country: r.country,
      kind: r.kind,
      aliases: list(r.aliases),
      local: list(r.local),
      associated: list(r.associated),
    }));
  return actorRows;
}

function indexFor(country: string): PhraseIndex<{ row: ActorRow; associated: boolean }> {
  let ix = actorIndex.get(country);
  if (ix) return ix;
  ix = new PhraseIndex();
  for (const r of rows()) {
    const here = r.country === country || r.country === '*';
    const row = r.country === '*' ? { ...r, name: r.name.replace('{country}', country || 'Unknown') } : r;
    const rank = r.country === '*' ? 2 : r.country === country ? 0 : 1;
    for (const a of r.aliases ?? []) ix.add(a, { row, associated: false }, rank);
    if (here) {
      for (const a of r.local) ix.add(a, { row, associated: false }, rank);
      for (const a of r.associated) ix.add(a, { row, associated: true }, rank);
    }
  }
  actorIndex.set(country, ix);
  return ix;
}

export function findActors(nt: NormalizedText, opts: { country?: string } = {}): ActorMention[] {
  const ix = indexFor(opts.country ?? '');
  return ix.matchAll(nt.text, scanTokens(nt.text)).map((h) => ({
    start: h.start,
    end: h.end,
    surface: originalSlice(nt, h.start, h.end),
    entry: h.value.row,
    associated: h.value.associated,
  }));
}

// Sources and the verbs that credit them. Kept to the most common ones; the real source
// lexicon replaces this.
const SOURCES: [string, SourceRef][] = [
  ['المرصد السوري لحقوق الإنسان', { id: 'sohr', name_ar: 'المرصد السوري لحقوق الإنسان', name_en: 'SOHR' }],
  ['المرصد السوري', { id: 'sohr', name_ar: 'المرصد السوري لحقوق الإنسان', name_en: 'SOHR' }],
  ['المرصد', { id: 'sohr', name_ar: 'المرصد السوري لحقوق الإنسان', name_en: 'SOHR' }],
  ['وكالة الأنباء السورية', { id: 'sana', name_ar: 'سانا', name_en: 'SANA' }],
  ['سانا', { id: 'sana', name_ar: 'سانا', name_en: 'SANA' }],
  ['الأمم المتحدة', { id: 'un', name_ar: 'الأمم المتحدة', name_en: 'United Nations' }],
  ['مصدر عسكري', { id: 'military-source', name_ar: 'مصدر عسكري', name_en: 'a military source' }],
  ['مصادر محلية', { id: 'local-sources', name_ar: 'مصادر محلية', name_en: 'local sources' }],
  ['مصادر أمنية', { id: 'security-sources', name_ar: 'مصادر أمنية', name_en: 'security sources' }],
  ['ناشطون', { id: 'activists', name_ar: 'ناشطون', name_en: 'activists' }],
  ['مصادر طبية', { id: 'medical-sources', name_ar: 'مصادر طبية', name_en: 'medical sources' }],
];
const VERBS = ['أفاد', 'أفادت', 'قال', 'قالت', 'ذكر', 'ذكرت', 'أعلن', 'أعلنت', 'وثق', 'علم', 'أكد', 'أكدت', 'نقلت', 'أشار', 'أشارت', 'وفق', 'وفقا ل', 'بحسب', 'حسب', 'نقلا عن', 'بثت', 'أوردت'];

let sourceIndex: PhraseIndex<SourceRef> | null = null;
let verbIndex: PhraseIndex<true> | null = null;

export function findAttributions(nt: NormalizedText): Attribution[] {
  if (!sourceIndex) {
    sourceIndex = new PhraseIndex();
    for (const [a, s] of SOURCES) sourceIndex.add(a, s);
    verbIndex = new PhraseIndex();
    for (const v of VERBS) verbIndex.add(v, true);
  }
  const toks = scanTokens(nt.text);
  const out: Attribution[] = [];
  const verbs = verbIndex!.matchAll(nt.text, toks);
  for (const h of sourceIndex.matchAll(nt.text, toks)) {
    // A source counts when a crediting verb is within 4 words before it, or it opens a sentence.
    const near = verbs.some((v) => v.last <= h.first && h.first - v.last <= 4);
    const opens = h.first === 0 || /[.\n]\s*,?\s*["«]?$/.test(nt.text.slice(Math.max(0, h.start - 4), h.start));
    if (near || opens) out.push({ start: h.start, end: h.end, source: h.value });
  }
  return out;
}

// Dates: weekdays, today/yesterday, "the past 24 hours", months with an optional day and year.
interface DateWord {
  type: string;
  value: number;
}
let dateIndex: PhraseIndex<DateWord> | null = null;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export function readDates(text: string, ref?: string | null): DateReading[] {
  if (!dateIndex) {
    dateIndex = new PhraseIndex();
    for (const r of loadTable('dates.tsv')) {
      if (r.type === 'month' || r.type === 'weekday') dateIndex.add(r.form, { type: r.type, value: Number(r.value) });
    }
    dateIndex.add('اليوم', { type: 'rel', value: 0 });
    dateIndex.add('أمس', { type: 'rel', value: -1 });
    dateIndex.add('البارحة', { type: 'rel', value: -1 });
    dateIndex.add('الساعات الماضية', { type: 'rel', value: 0 });
  }
  const refDate = ref && /^\d{4}-\d{2}-\d{2}/.test(ref) ? new Date(ref.slice(0, 10) + 'T00:00:00Z') : null;
  const toks = scanTokens(text);
  const out: DateReading[] = [];
  const hits = dateIndex.matchAll(text, toks);
  for (let k = 0; k < hits.length; k++) {
    const h = hits[k];
    const w = h.value;
    const since = /منذ\s*$/.test(text.slice(Math.max(0, h.start - 6), h.start));
    const base = { start: h.start, end: h.end, text: text.slice(h.start, h.end), since };
    if (w.type === 'rel') {
      const d = refDate ? new Date(refDate.getTime() + w.value * 86400000) : null;
      out.push({ ...base, kind: 'relative', date: d ? iso(d) : null, time_precision: 1 });
    } else if (w.type === 'weekday') {
      let d: Date | null = null;
      if (refDate) {
        const back = (refDate.getUTCDay() - w.value + 7) % 7;
        d = new Date(refDate.getTime() - back * 86400000);
      }
      out.push({ ...base, kind: 'weekday', date: d ? iso(d) : null, time_precision: 1 });
    } else if (w.type === 'month') {
      // "كانون الأول/ديسمبر": one month written twice; skip the second name.
      const prev = hits[k - 1];
      if (prev && prev.value.type === 'month' && h.start - prev.end <= 2) continue;
      let start = h.start;
      let end = h.end;
      let day: number | null = null;
      const before = /(\d{1,2})\s*$/.exec(text.slice(Math.max(0, h.start - 4), h.start));
      if (before) (day = Number(before[1])), (start = h.start - before[0].length);
      const next = hits[k + 1];
      if (next && next.value.type === 'month' && next.start - h.end <= 2) end = next.end;
      let year: number | null = null;
      const after = /^\s*(?:عام|العام|سنة)?\s*(\d{4})/.exec(text.slice(end, end + 12));
      if (after) (year = Number(after[1])), (end += after[0].length);
      if (!year && refDate) {
        year = refDate.getUTCFullYear();
        if (w.value > refDate.getUTCMonth() + 1) year--;
      }
      const date = year ? (day ? `${year}-${pad(w.value)}-${pad(day)}` : `${year}-${pad(w.value)}`) : null;
      out.push({ ...base, start, end, text: text.slice(start, end), kind: 'month', date, time_precision: day ? 1 : 3 });
    }
  }
  // Years alone: "في العام 2015"
  for (const m of text.matchAll(/(?:العام|عام|سنة)\s+(\d{4})/g)) {
    const s = m.index ?? 0;
    if (out.some((d) => d.start <= s + m[0].length && d.end >= s)) continue;
    const since = /منذ\s*$/.test(text.slice(Math.max(0, s - 6), s)) || /منذ\s+\S*\s*$/.test(text.slice(Math.max(0, s - 12), s));
    out.push({ start: s, end: s + m[0].length, text: m[0], kind: 'year', date: m[1], time_precision: 3, since });
  }
  return out.sort((a, b) => a.start - b.start);
}

export const _normalizeKey = normalizeKey;
