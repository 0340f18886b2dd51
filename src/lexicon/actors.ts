// Actor recognition: finds the armed groups, state forces, civilians, protesters ... that a report
// names, and codes each with ACLED's canonical name and interaction code AS CODED IN THE ARTICLE'S
// COUNTRY (Hezbollah is 8 in Syria and 3 in Lebanon; "الجيش" is the army of the article's country).
//
// Data: lexicon/actors.tsv (actors and their Arabic forms), lexicon/actor_countries.tsv
// (nationality adjectives, country cues), lexicon/actor_modifiers.tsv (adjectives that continue a
// mention, nouns after which "روسي" names Russian forces). Matching runs over normalised tokens
// with one trie for all aliases (src/lexicon/phrase-index.ts); each country's index is built once.
//
// Which rows serve an article about country C, best first:
//   0. rows of C (all their forms, incl. the local-only ones and the associated ones);
//   1. generic '*' rows with {country} = C; a row of C with the same resulting name takes over;
//   2. rows of other countries (global forms only), as FOREIGN actors: a name ending "(X)" is
//      renamed "(C)" and keeps its code (a group's local branch: Islamic State, Civilians ...);
//      a name that is C's own state forces becomes the generic row (Israel's army in Israel is 1);
//      any other armed actor gets inter 8 (external forces), as ACLED codes foreign actors.
// With no country given, the country is inferred from cue words (capitals, governorates,
// distinctive actors); with no cue at all, Syria, the project's primary theatre and the one
// whose reports (SOHR, SANA) use the most bare generic words ("النظام", "الفصائل").

import type { Inter } from '../types.js';
import { LexiconError, list, loadTable, type Row } from './table.js';
import { normalizeKey, originalSlice, type NormalizedText } from '../text/normalize.js';
import { PhraseIndex, gapOk, scanTokens, type Tok } from './phrase-index.js';

export interface ActorEntry {
  id: string;
  /** Canonical English name (ACLED spelling), with {country} resolved. */
  name: string;
  inter: Inter;
  side: string;
  /** Country the coding applies to (the article's country for generic and foreign rows). */
  country: string;
  kind: string;
  /** Arabic forms, as written in the lexicon. */
  aliases: string[];
  /** True for an entry reached through an "associated" form ("المسلحين الموالين لها"). */
  associated?: boolean;
}

export interface ActorMention {
  /** Offsets in nt.text (normalised), after any proclitic (و، ب ...); "للجيش" keeps its "لل". */
  start: number;
  end: number;
  /** The original words (via toOriginal). */
  surface: string;
  entry: ActorEntry;
  /** The form means an actor associated with the one named just before it ("والمسلحين الموالين لها"). */
  associated: boolean;
  /** Proclitics on the first word ("و", "وب", "ل" for "لل" ...), '' if none. */
  proclitic: string;
  /** Set when the actor is named by a nationality adjective only ("قصف جوي روسي", "بدعم تركي"). */
  adjectival?: boolean;
  /** Named as someone's backer, not as acting: "الموالية لتركيا", "المقربة من النظام السوري". */
  backer?: boolean;
  /** On the backed actor: who backs it ("ميليشيا الدفاع الوطني الموالية للنظام" -> the regime). */
  patron?: ActorEntry;
}

export interface FindActorsOptions {
  /** English country name of the article (ACLED spelling, or a variant listed in actor_countries.tsv). */
  country?: string | null;
  /** Date of the report (YYYY-MM-DD...): rows with a since/until period apply only within it
   *  (the RSF is Sudan's state forces before 15 April 2023 and a rebel group after). Without a
   *  date, the rows valid today (no "until") are used. */
  date?: string | null;
}

export const DEFAULT_COUNTRY = 'Syria';

export interface ActorRow {
  id: string;
  name: string;
  inter: Inter;
  side: string;
  country: string;
  kind: string;
  aliases: string[];
  local: string[];
  associated: string[];
  /** First and last day (YYYY-MM-DD) the row applies; '' = open. */
  since: string;
  until: string;
}

interface CountryRow {
  country: string;
  names: string[];
  cues: string[];
  adjectives: string[];
  nisba: string[];
  forces: string;
}

interface Data {
  rows: ActorRow[];
  /** Rows with a since/until period. */
  dated: ActorRow[];
  countries: CountryRow[];
  /** normalised name variant -> country */
  countryNames: Map<string, string>;
  continuation: Set<string>;
  heads: Set<string>;
  headAdjectives: Set<string>;
  affiliation: Set<string>;
  /** "التابعة" ...: the actor after them (with لـ) owns the one before. */
  membership: Set<string>;
  /** Token sequences after "مسلحون" that name whom the men belong to ("من", "يرتدون زي"). */
  partitive: string[][];
  /** "المسنودة" ...: the actor after them (with بـ) fights alongside the one before. */
  ally: Set<string>;
  /** Plain group nouns ("ميليشيات", "مجموعات"): "ميليشيات موالية للنظام" is a pro-government militia. */
  groups: Set<string>;
  blockers: string[];
  /** normalised definite nationality adjective -> country */
  adjective: Map<string, string>;
  /** normalised indefinite nationality adjective -> country */
  nisba: Map<string, string>;
  cues: PhraseIndex<string>;
}

let DATA: Data | null = null;

const ARMED: ReadonlySet<number> = new Set([1, 2, 3, 4]);

/** Check and convert rows of actors.tsv; a bad row is a LexiconError naming it. */
export function parseActorRows(table: Row[]): ActorRow[] {
  const rows: ActorRow[] = [];
  const seen = new Set<string>();
  for (const r of table) {
    const inter = Number(r.inter);
    if (!r.id || !r.name) throw new LexiconError(`actors.tsv: row without id or name (${JSON.stringify(r)})`);
    if (!Number.isInteger(inter) || inter < 1 || inter > 8)
      throw new LexiconError(`actors.tsv: ${r.id}: inter must be 1-8, got "${r.inter}"`);
    if (seen.has(r.id)) throw new LexiconError(`actors.tsv: duplicate id ${r.id}`);
    for (const k of ['since', 'until'] as const)
      if (r[k] && !/^\d{4}-\d{2}-\d{2}$/.test(r[k])) throw new LexiconError(`actors.tsv: ${r.id}: ${k} must be YYYY-MM-DD, got "${r[k]}"`);
    seen.add(r.id);
    rows.push({
      id: r.id,
      name: r.name,
      inter: inter as Inter,
      side: r.side,
      country: r.country || '*',
      kind: r.kind,
      aliases: list(r.aliases),
      local: list(r.local),
      associated: list(r.associated),
      since: r.since ?? '',
      until: r.until ?? '',
    });
  }
  return rows;
}

function loadData(): Data {
  if (DATA) return DATA;
  const rows = parseActorRows(loadTable('actors.tsv'));
  const countries: CountryRow[] = loadTable('actor_countries.tsv').map((r) => ({
    country: r.country,
    names: list(r.names),
    cues: list(r.cues),
    adjectives: list(r.adjectives),
    nisba: list(r.nisba),
    forces: r.forces,
  }));
  const countryNames = new Map<string, string>();
  const adjective = new Map<string, string>();
  const nisba = new Map<string, string>();
  const cues = new PhraseIndex<string>();
  for (const c of countries) {
    countryNames.set(normalizeKey(c.country), c.country);
    for (const n of c.names) countryNames.set(normalizeKey(n), c.country);
    for (const a of c.adjectives) adjective.set(normalizeKey(a), c.country);
    for (const a of c.nisba) nisba.set(normalizeKey(a), c.country);
    for (const cue of c.cues) cues.add(cue, c.country);
  }
  for (const r of rows) if (r.country !== '*' && !countryNames.has(normalizeKey(r.country))) countryNames.set(normalizeKey(r.country), r.country);
  const continuation = new Set<string>();
  const heads = new Set<string>();
  const headAdjectives = new Set<string>();
  const blockers: string[] = [];
  const affiliation = new Set<string>();
  const membership = new Set<string>();
  const ally = new Set<string>();
  const partitive: string[][] = [];
  const groups = new Set<string>();
  for (const r of loadTable('actor_modifiers.tsv')) {
    const w = normalizeKey(r.word);
    if (r.kind === 'continuation') continuation.add(w);
    else if (r.kind === 'head') heads.add(w);
    else if (r.kind === 'head-adjective') headAdjectives.add(w);
    else if (r.kind === 'blocker') blockers.push(r.word);
    else if (r.kind === 'affiliation') affiliation.add(w);
    else if (r.kind === 'membership') membership.add(w);
    else if (r.kind === 'ally') ally.add(w);
    else if (r.kind === 'group') groups.add(w);
    else if (r.kind === 'partitive') partitive.push(w.split(' ').filter(Boolean));
    else throw new LexiconError(`actor_modifiers.tsv: unknown kind "${r.kind}" for ${r.word}`);
  }
  DATA = { rows, dated: rows.filter((r) => r.since || r.until), countries, countryNames, continuation, heads, headAdjectives, affiliation, membership, partitive, ally, groups, blockers, adjective, nisba, cues };
  return DATA;
}

/** The canonical country name for a variant ("syria", "سوريا", "Gaza" -> "Palestine"), or null. */
export function resolveCountry(name: string | null | undefined): string | null {
  if (!name) return null;
  return loadData().countryNames.get(normalizeKey(name)) ?? null;
}

interface Val {
  entry: ActorEntry;
  associated: boolean;
  /** The form came from a generic '*' row ("الجنود", "الشرطة"): a nationality after it can re-aim it. */
  generic?: boolean;
  /** A blocker phrase ("النظام الصحي"): matched so that nothing shorter inside it is read as an actor. */
  blocked?: boolean;
}

interface CountryIndex {
  country: string;
  index: PhraseIndex<Val>;
  /** Resolved entries by canonical name. */
  byName: Map<string, ActorEntry>;
  /** Entries for rows 0 and 1 (the country's own and the generic ones). */
  own: ActorEntry[];
  /** Countries (nations) each entry may be continued by: "قوات النظام السوري". */
  nations: Map<ActorEntry, Set<string>>;
}

const cache = new Map<string, CountryIndex>();

function entryOf(row: ActorRow, name: string, country: string, inter: Inter, id = row.id): ActorEntry {
  return {
    id,
    name,
    inter,
    side: row.side,
    country,
    kind: row.kind,
    aliases: [...row.aliases, ...row.local],
  };
}

/** The other case forms of a phrase's sound masculine plurals: -ين <-> -ون (at most two words varied). */
function caseVariants(phrase: string): string[] {
  const words = normalizeKey(phrase).split(' ');
  const slots = words.map((w, k) => (w.length >= 5 && (w.endsWith('ين') || w.endsWith('ون')) ? k : -1)).filter((k) => k >= 0).slice(0, 2);
  const out: string[] = [];
  for (let mask = 1; mask < 1 << slots.length; mask++) {
    const v = words.slice();
    slots.forEach((k, b) => {
      if (mask & (1 << b)) v[k] = v[k].slice(0, -2) + (v[k].endsWith('ين') ? 'ون' : 'ين');
    });
    out.push(v.join(' '));
  }
  return out;
}

/** Whether a row applies on `day` (YYYY-MM-DD); with no day, the rows valid today (no "until"). */
function applies(row: ActorRow, day: string | null): boolean {
  if (!day) return row.until === '';
  return (row.since === '' || row.since <= day) && (row.until === '' || day <= row.until);
}

/** The report date as YYYY-MM-DD, or null when absent or unreadable. */
function dayOf(date: string | null | undefined): string | null {
  const m = typeof date === 'string' ? /^\d{4}-\d{2}-\d{2}/.exec(date.trim()) : null;
  return m ? m[0] : null;
}

function buildIndex(country: string, day: string | null = null): CountryIndex {
  const d = { ...loadData() };
  d.rows = d.rows.filter((r) => applies(r, day));
  const index = new PhraseIndex<Val>();
  const byName = new Map<string, ActorEntry>();
  const own: ActorEntry[] = [];
  // Each form also in its other case of the sound plural (المسلحين/المسلحون), a half rank lower
  // so a form written in the lexicon always wins over a generated one.
  const add = (a: string, v: Val, rank: number) => {
    index.add(a, v, rank);
    for (const x of caseVariants(a)) index.add(x, v, rank + 0.5);
  };
  const addRow = (row: ActorRow, entry: ActorEntry, rank: number, all: boolean) => {
    const v: Val = { entry, associated: false };
    if (row.country === '*') v.generic = true;
    for (const a of row.aliases) add(a, v, rank);
    if (!all) return;
    for (const a of row.local) add(a, v, rank);
    if (row.associated.length) {
      const av: Val = { entry: { ...entry, associated: true }, associated: true };
      for (const a of row.associated) add(a, av, rank);
    }
  };
  // Blockers: phrases that contain an actor form but name something else ("النظام الصحي").
  const none: ActorEntry = { id: 'blocked', name: '', inter: 7, side: '', country, kind: 'blocked', aliases: [] };
  for (const b of d.blockers) index.add(b, { entry: none, associated: false, blocked: true }, -1);
  // 0. the country's own rows
  for (const row of d.rows) {
    if (row.country !== country) continue;
    let e = byName.get(row.name);
    if (!e) {
      e = entryOf(row, row.name, country, row.inter);
      byName.set(e.name, e);
      own.push(e);
    }
    addRow(row, e, 0, true);
  }
  // 1. generic rows resolved to the country
  for (const row of d.rows) {
    if (row.country !== '*') continue;
    const name = row.name.replaceAll('{country}', country);
    let e = byName.get(name);
    if (!e) {
      e = entryOf(row, name, country, row.inter, `${row.id}:${country}`);
      byName.set(name, e);
      own.push(e);
    }
    addRow(row, e, 1, true);
  }
  // 2. other countries' rows, as foreign actors (or local branches)
  const suffix = / \(([^()]+)\)$/;
  for (const row of d.rows) {
    if (row.country === '*' || row.country === country) continue;
    let name = row.name;
    let e = byName.get(name);
    if (!e) {
      const m = suffix.exec(name);
      if (m && m[1] === row.country) name = name.replace(suffix, ` (${country})`);
      e = byName.get(name);
      if (!e) {
        const inter: Inter = m && m[1] === row.country ? row.inter : ARMED.has(row.inter) ? 8 : row.inter;
        e = entryOf(row, name, country, inter, `${row.id}@${country}`);
        byName.set(name, e);
      }
    }
    addRow(row, e, 2, false);
  }
  // Nations that may continue a mention: countries named in the entry's name, else its own country.
  const nations = new Map<ActorEntry, Set<string>>();
  const allNames = d.countries.map((c) => c.country);
  for (const e of byName.values()) {
    const s = new Set(allNames.filter((c) => e.name.includes(c)));
    if (s.size === 0 && e.kind !== 'external') s.add(e.country);
    nations.set(e, s);
  }
  return { country, index, byName, own, nations };
}

function indexFor(country: string, date?: string | null): CountryIndex {
  const day = dayOf(date);
  // One index per country and per set of dated rows in force (few: dates only split a handful of rows).
  const d = loadData();
  const key = `${country}|${day ? d.dated.filter((r) => applies(r, day)).map((r) => r.id).join(',') : ''}`;
  let ci = cache.get(key);
  if (!ci) {
    // Feeds may send any country string; keep the cache bounded.
    if (cache.size >= 64) cache.clear();
    cache.set(key, (ci = buildIndex(country, day)));
  }
  return ci;
}

/** Which country a report is about, from cue words (capitals, governorates, distinctive actors); null if none. */
export function inferCountry(nt: NormalizedText, toks: Tok[] = scanTokens(nt.text)): string | null {
  const d = loadData();
  const votes = new Map<string, number>();
  for (const h of d.cues.matchAll(nt.text, toks)) votes.set(h.value, (votes.get(h.value) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [c, k] of votes) if (k > n) [best, n] = [c, k];
  return best;
}

function countryOf(nt: NormalizedText, opts: FindActorsOptions | undefined, toks: Tok[]): string {
  if (opts?.country) {
    const c = resolveCountry(opts.country);
    // An unknown country still gets the generic rows ("Military Forces of Chad").
    return c ?? opts.country.trim();
  }
  return inferCountry(nt, toks) ?? DEFAULT_COUNTRY;
}

/** The state-forces entry a nationality stands for in an article about `country`. */
function forcesOf(ci: CountryIndex, nation: string): ActorEntry {
  const d = loadData();
  const row = d.countries.find((c) => c.country === nation);
  const name = row?.forces || `Military Forces of ${nation}`;
  const e = ci.byName.get(name);
  if (e) return e;
  const made: ActorEntry = {
    id: `nation:${nation}@${ci.country}`,
    name,
    inter: nation === ci.country ? 1 : 8,
    side: nation === ci.country ? 'government' : 'foreign',
    country: ci.country,
    kind: nation === ci.country ? 'state' : 'external',
    aliases: [],
  };
  ci.byName.set(name, made);
  return made;
}

const FORMER = new Set(['سابقا', 'حاليا', 'سابقه', 'سابق']);
const LED_BY = new Set(['بقياده', 'بزعامه', 'تقوده', 'يقوده']);
// Kinds that never own, and are never owned by, an armed unit ("المدنيين التابعين لـ" is not a unit).
const UNARMED = new Set(['civilian', 'protester', 'rioter', 'blocked']);

/**
 * All actor mentions in a normalised text, left to right, longest form first.
 * Offsets are in nt.text; `surface` is the original wording.
 */
export function findActors(nt: NormalizedText, opts?: FindActorsOptions): ActorMention[] {
  if (!nt || typeof nt.text !== 'string') throw new TypeError('findActors: expected a NormalizedText (from normalize(text))');
  const d = loadData();
  const text = nt.text;
  const toks = scanTokens(text);
  const ci = indexFor(countryOf(nt, opts, toks), opts?.date);
  const idx = ci.index;
  const out: ActorMention[] = [];
  const mention = (start: number, end: number, entry: ActorEntry, associated: boolean, proclitic: string, adjectival = false) => {
    const m: ActorMention = { start, end, surface: originalSlice(nt, start, end), entry, associated, proclitic };
    if (adjectival) m.adjectival = true;
    out.push(m);
  };
  // (Helpers defined once per call, not per token: closures in the token loop cost more than the matching.)
  const isHead = (k: number): boolean => {
    if (k < 0) return false;
    const w = toks[k].text;
    return d.heads.has(w) || d.heads.has(w.slice(1)) || d.heads.has(w.slice(2));
  };
  // A military noun (or noun + adjective: "قصف جوي") right before token k+1.
  const headed = (k: number): boolean =>
    k >= 0 &&
    gapOk(text, toks[k].end, toks[k + 1].start) &&
    (isHead(k) || (d.headAdjectives.has(toks[k].text) && k > 0 && gapOk(text, toks[k - 1].end, toks[k].start) && isHead(k - 1)));
  // "X الموالية لـY", "X المقربة من Y": the token index of the affiliation word before token i, or -1.
  const affiliationBefore = (i: number, proclitic: string): number => {
    let k = i - 1;
    if (k < 0 || !gapOk(text, toks[k].end, toks[i].start)) return -1;
    if (!proclitic.endsWith('ل')) {
      if (toks[k].text !== 'من' && toks[k].text !== 'ل') return -1;
      k--;
      if (k < 0 || !gapOk(text, toks[k].end, toks[k + 1].start)) return -1;
    }
    return d.affiliation.has(toks[k].text) ? k : -1;
  };
  // "المسنودة برجال القبائل": the token index of the ally word before token i, or -1.
  const allyBefore = (i: number, proclitic: string): number => {
    let k = i - 1;
    if (k < 0 || !gapOk(text, toks[k].end, toks[i].start)) return -1;
    if (!proclitic.endsWith('ب')) {
      if (toks[k].text !== 'ب') return -1;
      k--;
      if (k < 0 || !gapOk(text, toks[k].end, toks[k + 1].start)) return -1;
    }
    return d.ally.has(toks[k].text) ? k : -1;
  };
  // The armed actor starting at token k, with the preposition `prep` written on it ("للنظام") or
  // detached by a tatweel or a quote ("لـ"الجيش الوطني""); prep '' = no proclitic at all.
  const armedAt = (k: number, prep: string) => {
    if (k >= toks.length || k < 1 || !gapOk(text, toks[k - 1].end, toks[k].start)) return null;
    let h;
    if (prep && toks[k].text === prep) {
      if (k + 1 >= toks.length || !gapOk(text, toks[k].end, toks[k + 1].start)) return null;
      h = idx.matchAt(text, toks, k + 1);
      if (h && h.proclitic !== '') return null;
    } else {
      h = idx.matchAt(text, toks, k);
      if (h && (prep ? !h.proclitic.endsWith(prep) || h.proclitic.length > prep.length : h.proclitic !== '')) return null;
    }
    if (!h || h.value.blocked || h.value.associated || UNARMED.has(h.value.entry.kind)) return null;
    return h;
  };
  // Continuations: "قوات النظام السوري", "الفصائل المعارضة والمقاتلة". Returns the new [last, end].
  const extend = (entry: ActorEntry, last: number, end: number): [number, number] => {
    const nations = ci.nations.get(entry);
    while (last < toks.length && gapOk(text, toks[last - 1].end, toks[last].start)) {
      const w = toks[last].text;
      if (idx.matchAt(text, toks, last)) break; // another actor starts here
      if (d.continuation.has(w) || (w.startsWith('و') && d.continuation.has(w.slice(1)))) {
        end = toks[last++].end;
        continue;
      }
      const nat = d.adjective.get(w);
      if (nat && nations?.has(nat)) {
        end = toks[last++].end;
        continue;
      }
      break;
    }
    return [last, end];
  };
  const ownForces = forcesOf(ci, ci.country);
  let lastAdjectivalEnd = -1;
  for (let i = 0; i < toks.length; ) {
    const h = idx.matchAt(text, toks, i);
    if (!h) {
      // A nationality adjective after a military noun: "قصف جوي روسي", "بدعم تركي", "روسي وسوري".
      const w = toks[i].text;
      let nation = d.nisba.get(w);
      let conj = false;
      if (!nation && w.startsWith('و') && lastAdjectivalEnd === i - 1) {
        nation = d.nisba.get(w.slice(1));
        conj = true;
      }
      if (nation && i > 0 && (conj ? gapOk(text, toks[i - 1].end, toks[i].start) : headed(i - 1))) {
        const s = toks[i].start + (conj ? 1 : 0);
        mention(s, toks[i].end, forcesOf(ci, nation), false, conj ? 'و' : '', true);
        lastAdjectivalEnd = i;
      }
      i++;
      continue;
    }
    if (h.value.blocked) {
      i = h.last;
      continue;
    }
    const { associated } = h.value;
    let entry = h.value.entry;
    let last = h.last;
    let end = h.end;
    // A generic word for state forces followed by another nation's adjective is that nation's
    // forces: "الجنود الأتراك", "الشرطة الإسرائيلية" (civilians stay civilians of the country).
    if (h.value.generic && entry.kind === 'state' && last < toks.length && gapOk(text, toks[last - 1].end, toks[last].start)) {
      const nat = d.adjective.get(toks[last].text);
      if (nat && !ci.nations.get(entry)?.has(nat)) {
        entry = forcesOf(ci, nat);
        end = toks[last++].end;
      }
    }
    [last, end] = extend(entry, last, end);
    // Parenthetical restatement of the same actor: "هيئة تحرير الشام (جبهة النصرة سابقاً)", "(قسد)".
    if (last < toks.length) {
      let k = end;
      while (k < text.length && text.charCodeAt(k) === 0x20) k++;
      if (text[k] === '(') {
        const close = text.indexOf(')', k);
        if (close > k && close - k < 80 && toks[last].start < close) {
          const inner = idx.matchAt(text, toks, last);
          if (inner && inner.value.entry.name === entry.name && inner.end <= close) {
            let j = inner.last;
            while (j < toks.length && toks[j].start < close && FORMER.has(toks[j].text)) j++;
            if (j >= toks.length || toks[j].start > close) {
              last = j;
              end = close + 1;
            }
          }
        }
      }
    }
    // "X التابعة لـY": X is a unit of Y, and the mention is Y's ("الفيلق الثالث التابع لـ"الجيش الوطني
    // السوري"", "قوات "الأمن العام" التابعة لـ"هيئة تحرير الشام""). A state-forces word owned by the
    // country's own forces keeps its reading ("الأجهزة الأمنية التابعة للنظام" = the police).
    if (last + 1 < toks.length && d.membership.has(toks[last].text) && !UNARMED.has(entry.kind) && gapOk(text, toks[last - 1].end, toks[last].start)) {
      const owner = armedAt(last + 1, 'ل');
      if (owner) {
        if (!(entry.kind === 'state' && entry.inter === 1 && owner.value.entry === ownForces)) entry = owner.value.entry;
        [last, end] = extend(entry, owner.last, owner.end);
      }
    }
    // "مسلحون من أبناء العشائر", "مسلحين يرتدون زي الدعم السريع": unidentified men of a named actor are that actor.
    if (entry.side === 'unidentified' && last < toks.length) {
      for (const p of d.partitive) {
        let k = last;
        while (k - last < p.length && k < toks.length && toks[k].text === p[k - last] && gapOk(text, toks[k - 1].end, toks[k].start)) k++;
        if (k - last < p.length) continue;
        const who = armedAt(k, '');
        if (who && who.value.entry.side !== 'unidentified') {
          entry = who.value.entry;
          [last, end] = extend(entry, who.last, who.end);
          break;
        }
      }
    }
    // "طائرات التحالف العربي بقيادة السعودية": the leader named after بقيادة is the same actor.
    if (last + 1 < toks.length && LED_BY.has(toks[last].text) && gapOk(text, toks[last - 1].end, toks[last].start)) {
      const lead = idx.matchAt(text, toks, last + 1);
      if (lead && lead.value.entry.name === entry.name && lead.proclitic === '' && gapOk(text, toks[last].end, toks[last + 1].start)) {
        last = lead.last;
        end = lead.end;
      }
    }
    const ally = !associated && allyBefore(i, h.proclitic) >= 0;
    if (ally) entry = { ...entry, associated: true };
    mention(h.start, end, entry, associated || ally, h.proclitic);
    const aff = affiliationBefore(i, h.proclitic);
    // "ميليشيات موالية للنظام", "مسلحين موالين للحكومة": a group backed by the country's own forces
    // is a pro-government militia (ACLED "Pro-Government Militia (X)"), one mention; the patron is
    // not a side of the event.
    if (aff > 0 && entry === ownForces && gapOk(text, toks[aff - 1].end, toks[aff].start)) {
      const prev = out[out.length - 2];
      const g = toks[aff - 1];
      const progov = ci.byName.get(`Pro-Government Militia (${ci.country})`);
      let skip = -1;
      for (const k of [0, 1, 2]) if (k < g.text.length - 2 && d.groups.has(g.text.slice(k)) && /^[وفلب]*$/.test(g.text.slice(0, k))) {
        skip = k;
        break;
      }
      // "المجموعات الموالية لقوات النظام": the associated form swallowed the affiliation word.
      if (progov && prev && prev.associated && prev.end === toks[aff].end && prev.entry.name === progov.name) {
        out.pop();
        prev.entry = progov;
        prev.associated = false;
        prev.end = end;
        prev.surface = originalSlice(nt, prev.start, end);
        prev.patron = entry;
        i = last;
        continue;
      }
      if (progov && prev && prev.end === g.end && prev.entry.side === 'unidentified') {
        out.pop();
        prev.entry = progov;
        prev.end = end;
        prev.surface = originalSlice(nt, prev.start, end);
        prev.patron = entry;
        i = last;
        continue;
      }
      if (progov && skip >= 0 && !(prev && prev.end >= g.start)) {
        const m = out.pop()!;
        out.push({ start: g.start + skip, end, surface: originalSlice(nt, g.start + skip, end), entry: progov, associated: false, proclitic: g.text.slice(0, skip), patron: m.entry });
        i = last;
        continue;
      }
    }
    if (aff >= 0) {
      const m = out[out.length - 1];
      m.backer = true;
      // The client: the mention just before the affiliation word, maybe with an adjective or two
      // between ("قوات المجلس الانتقالي الجنوبي الانفصالي المدعوم من الإمارات").
      const client = out[out.length - 2];
      if (client && aff > 0) {
        let k = aff - 1;
        while (k > 0 && aff - k <= 3 && toks[k].end > client.end && gapOk(text, toks[k - 1].end, toks[k].start)) k--;
        if (toks[k].end === client.end && gapOk(text, toks[aff - 1].end, toks[aff].start)) client.patron = entry;
      }
    }
    // "الطائرات الروسية والسورية": a coordinated nationality adjective names another nation's forces.
    const nations = ci.nations.get(entry);
    if (last < toks.length && gapOk(text, toks[last - 1].end, toks[last].start)) {
      const w = toks[last].text;
      const nat = w.startsWith('و') ? d.adjective.get(w.slice(1)) : undefined;
      if (nat && !nations?.has(nat)) {
        mention(toks[last].start + 1, toks[last].end, forcesOf(ci, nat), false, 'و', true);
        last++;
      }
    }
    i = last;
  }
  return out;
}

/** Entries that serve an article about `country`: its own rows and the generic ones resolved to it. */
export function actorEntries(country: string = DEFAULT_COUNTRY, date?: string | null): ActorEntry[] {
  return [...indexFor(resolveCountry(country) ?? country, date).own];
}

/** The entry with this canonical name (after {country} resolution) in an article about `country`. */
export function actorByName(name: string, country: string = DEFAULT_COUNTRY, date?: string | null): ActorEntry | null {
  return indexFor(resolveCountry(country) ?? country, date).byName.get(name) ?? null;
}

/**
 * The entry of a lexicon row id ("sy-reb", "gen-civ") as coded in an article about `country`:
 * generic rows are resolved to the country, other countries' rows coded as foreign actors.
 */
export function actorById(id: string, country: string = DEFAULT_COUNTRY, date?: string | null): ActorEntry | null {
  const row = loadData().rows.find((r) => r.id === id);
  if (!row) return null;
  const c = resolveCountry(country) ?? country;
  const ci = indexFor(c, date);
  const name = row.name.replaceAll('{country}', c);
  const renamed = name.replace(/ \(([^()]+)\)$/, (all, x: string) => (x === row.country ? ` (${c})` : all));
  return ci.byName.get(name) ?? ci.byName.get(renamed) ?? null;
}

/** Number of distinct forms indexed for `country` (for reports and the bench). */
export function actorIndexSize(country: string = DEFAULT_COUNTRY): number {
  return indexFor(resolveCountry(country) ?? country).index.size;
}
