// Geoparser: normalised Arabic text -> the places it names, each placed on the map.
//
// 1. Tokens (text core tokenizer) with their proclitic forms ("والحميرة" -> الحميرة, "بإدلب" -> ادلب).
// 2. One left-to-right pass: at each token the gazetteer is asked for the LONGEST name starting
//    there (one Map lookup per candidate length, keyed by the joined normalised tokens), and the
//    place words of lexicon/places.tsv build the phrases around names: context words and their
//    lists ("محاور مشيميس وسمكة والبرسة"), relative phrases ("شمال شرقي معرة النعمان",
//    "محيط المدينة", "مئات الأمتار عن"), regions ("ريف إدلب الجنوبي", "محافظة إدلب").
// 3. Resolution: shared names are decided by the other places of the article (distance to the
//    places already placed, the relative phrase a list hangs on, the governorates named),
//    the country, feature class and population; each choice gets a confidence. A bare one-word
//    village name far from everything else in the article is dropped (most are common words);
//    a list item whose only candidates are far from its anchor is kept as an unknown place,
//    placed at the anchor with precision 3, never at a wrong village.

import type { FeatureClass, GeoPrecision, Location } from '../types.js';
import { type NormalizedText, originalSlice } from '../text/normalize.js';
import { tokenize, cliticSplits, type Token } from '../text/tokenize.js';
import { splitSentences } from '../text/sentences.js';
import { type Gazetteer, type GazetteerEntry, distanceKm, compass } from '../gazetteer/index.js';
import { countryTable } from '../gazetteer/admin.js';
import { placeWords, combineDirections, BEARING, type PlaceWord } from './words.js';
import { transliterate } from '../gazetteer/translit.js';

export interface PlaceMention {
  /** Offsets in nt.text (normalised). */
  start: number;
  end: number;
  /** The original words (via toOriginal). */
  surface: string;
  location: Location;
  kind: 'gazetteer' | 'context' | 'relative' | 'region';
  context_word?: string;
  direction?: string;
  anchor_id?: string;
  /** How many gazetteer entries the name could have been. */
  candidates: number;
}

export interface GeoparseOptions {
  /** Country the article is about (English name or ISO code); favours its places. */
  country?: string;
}

// ---------------------------------------------------------------------------------------
// Tokens with proclitic forms.

interface Form {
  form: string;
  /** Characters of proclitic before the form's stem in the token. */
  pre: number;
  /** Place words this form is (context, direction ...). */
  words?: PlaceWord[];
}

/** What a word type is, computed once per distinct word and gazetteer (the hot loop only reads it). */
interface WordInfo {
  forms: Form[];
  /** Bit set of the place-word kinds among the forms (KIND_BIT). */
  mask: number;
  /** Longest gazetteer name (in tokens) starting with one of the forms; 0 = none. */
  first: number;
  /** One of the forms starts a stop phrase ("قوات سوريا الديمقراطية"). */
  stopStart: boolean;
}

const KIND_BIT: Record<string, number> = {
  context: 1, region: 2, anaphor: 4, direction: 8, 'direction-adj': 16, proximity: 32, distance: 64, filler: 128, 'name-prefix': 256, 'area-def': 512,
};
const bits = (...kinds: string[]) => kinds.reduce((m, k) => m | KIND_BIT[k], 0);
const B = {
  context: 1, region: 2, anaphor: 4, direction: 8, direction_adj: 16, proximity: 32, distance: 64, filler: 128, name_prefix: 256, area_def: 512,
} as const;

const infoCache = new WeakMap<Gazetteer, Map<string, WordInfo>>();

function wordInfo(word: string, gaz: Gazetteer, cache: Map<string, WordInfo>): WordInfo {
  let info = cache.get(word);
  if (info) return info;
  const W = placeWords();
  const forms: Form[] = [{ form: word, pre: 0 }];
  for (const s of cliticSplits(word)) {
    if (s.prefix === '') continue;
    // Keep the article on the stem: gazetteer names carry it ("الحميرة").
    let form = s.stem;
    let pre = s.stemStart;
    if (s.definite) form = 'ال' + s.stem;
    else if (s.prefix.endsWith('ال')) (form = 'ال' + s.stem), (pre = s.stemStart - 2);
    if (form.length >= 2 && !forms.some((x) => x.form === form)) forms.push({ form, pre });
  }
  forms.sort((a, b) => a.pre - b.pre);
  let mask = 0;
  let first = 0;
  for (const f of forms) {
    const w = W.byWord.get(f.form);
    if (w) (f.words = w), (mask |= bits(...w.map((x) => x.kind)));
    // The definite form of an area word ("الريف", "الأحياء", "المحاور") opens
    // "الأحياء الشرقية لمدينة حلب" / "الريف الشمالي لحلب".
    if (f.form.startsWith('ال')) {
      const area = W.byWord.get(f.form.slice(2))?.find((x) => x.kind === 'context' || x.kind === 'region');
      if (area) {
        f.words = [...(f.words ?? []), { ...area, word: f.form, kind: 'area-def' }];
        mask |= KIND_BIT['area-def'];
      }
    }
    first = Math.max(first, gaz.firstTokens.get(f.form) ?? 0);
    // "كفر نبل" written apart when the gazetteer has "كفرنبل": a name-prefix word may start a 2-word name.
    if (f.words?.some((w) => w.kind === 'name-prefix')) first = Math.max(first, 2);
  }
  info = { forms, mask, first, stopStart: forms.some((f) => W.stopPhrases.has(f.form)) };
  if (cache.size > 200000) cache.clear();
  cache.set(word, info);
  return info;
}

// ---------------------------------------------------------------------------------------
// Raw mentions (before resolution).

interface Raw {
  start: number;
  end: number;
  kind: PlaceMention['kind'];
  /** Candidate entry indexes (the place itself, or the anchor of a relative/region phrase). */
  cands: number[];
  /** Where the place name itself is (for surface/name_ar of unknowns). */
  nameStart: number;
  nameEnd: number;
  contextWord?: string;
  contextClass?: string;
  direction?: string;
  proximity?: string;
  precision: GeoPrecision;
  /** A one-word name with no context word: needs support from the rest of the article. */
  bare: boolean;
  /** A landmark named after a place ("جبل الزاوية"): kept on that place only with support nearby. */
  landmark?: boolean;
  /** Anaphor class ("المدينة" -> city) to resolve to the last such place. */
  anaphor?: string;
  list?: number;
  sentence: number;
  /** Region phrase (ريف/محافظة/direction + governorate): prefer admin1/city candidates. */
  regionOf?: 'rif' | 'admin1' | 'dir';
  /** Filled by resolution. */
  entry?: GazetteerEntry;
  confidence?: number;
  drop?: boolean;
  /** Candidates the name had before resolution narrowed them. */
  total?: number;
  /** Move the point this way from the entry (a place known only as "south of X"). */
  shift?: { dir: string; km: number };
  /** Where an unknown place is put when it is not at an entry (the centroid of its known siblings). */
  point?: { lat: number; lon: number };
  /** The entry an unknown place hangs on, when not `entry` (the list's relative phrase). */
  anchorEntry?: GazetteerEntry;
}

interface Match {
  i: number;
  /** Index after the last token. */
  j: number;
  start: number;
  end: number;
  cands: number[];
  form: string;
}

const GOV_LEVEL = new Set<FeatureClass>(['admin1', 'country']);

export function geoparse(nt: NormalizedText, gaz: Gazetteer, opts: GeoparseOptions = {}): PlaceMention[] {
  const text = nt.text;
  const W = placeWords();
  const toks: Token[] = tokenize(text);
  let cache = infoCache.get(gaz);
  if (!cache) infoCache.set(gaz, (cache = new Map()));
  const infos: (WordInfo | undefined)[] = new Array(toks.length);
  for (let k = 0; k < toks.length; k++) if (toks[k].kind === 'word') infos[k] = wordInfo(toks[k].text, gaz, cache);
  const sentences = splitSentences(text);
  const sentenceOf = (off: number) => {
    let lo = 0;
    let hi = sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sentences[mid].start <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // Two tokens are adjacent when only spaces separate them (no punctuation).
  const word = (i: number) => i < toks.length && toks[i].kind === 'word';

  const placeWord = (i: number, mask: number, conj = true): { w: PlaceWord; f: Form } | undefined => {
    const inf = infos[i];
    if (!inf || (inf.mask & mask) === 0) return undefined;
    for (const f of inf.forms) {
      if ((!conj && f.pre > 0) || !f.words) continue;
      for (const w of f.words) if (KIND_BIT[w.kind] & mask) return { w, f };
    }
    return undefined;
  };

  /** Longest gazetteer name starting at token i (any proclitic form; `onlyPre` restricts). */
  const matchAt = (i: number, needConj = false): Match | undefined => {
    const inf = infos[i];
    if (!inf || inf.first === 0) return undefined;
    let best: Match | undefined;
    for (const f of inf.forms) {
      if (needConj && f.pre === 0) continue;
      const maxL = gaz.firstTokens.get(f.form);
      if (!maxL) continue;
      let n = 1;
      while (n < maxL && word(i + n)) n++;
      for (let L = n; L >= 1; L--) {
        if (best && L <= best.j - best.i) break;
        let key = f.form;
        for (let k = 1; k < L; k++) key += toks[i + k].text;
        const hit = gaz.lookupKey(key);
        // "عين إبل", "تل أبيب": a name-prefix word alone is not the name when a word follows it
        // (the gazetteer's bare "عين" is some hamlet abroad); the pair is tried as an unknown name.
        if (hit && L === 1 && n > 1 && W.byWord.get(f.form)?.some((w) => w.kind === 'name-prefix')) break;
        if (hit) {
          best = { i, j: i + L, start: toks[i].start + f.pre, end: toks[i + L - 1].end, cands: hit, form: L === 1 ? f.form : key };
          break;
        }
      }
    }
    return best;
  };

  const isStop = (form: string) => W.stop.has(form);
  /** End token of a stop phrase starting at i (any proclitic form of its first word), or 0. */
  const stopPhraseAt = (i: number): number => {
    if (W.stopPhrases.size === 0) return 0;
    for (const f of infos[i]!.forms) {
      const l = W.stopPhrases.get(f.form);
      if (!l) continue;
      for (const ph of l) {
        let ok = true;
        for (let k = 1; k < ph.length && ok; k++) ok = word(i + k) && toks[i + k].text === ph[k];
        if (ok) return i + ph.length;
      }
    }
    return 0;
  };
  const isNumberish = (i: number) => i >= 0 && i < toks.length && (toks[i].kind === 'number' || W.stop.has(toks[i].text));

  /** An unknown word (or name-prefix + word) that can be a place name after a context word. */
  const unknownAt = (i: number, needConj: boolean): { j: number; start: number; end: number } | undefined => {
    if (!word(i)) return undefined;
    const forms = infos[i]!.forms;
    const f = needConj ? forms.find((x) => x.pre === 1 && (toks[i].text[0] === 'و' || toks[i].text[0] === 'ف')) : forms[0];
    if (!f) return undefined;
    const stem = f.form;
    const prefixWord = W.byWord.get(stem)?.some((w) => w.kind === 'name-prefix');
    if (stem.length < 3 || isStop(stem) || (W.byWord.has(stem) && !prefixWord) || FUNCTION_WORDS.has(stem)) return undefined;
    if (/[^\u0621-\u064a]/.test(stem)) return undefined;
    const start = toks[i].start + f.pre;
    if (prefixWord && word(i + 1) && !isStop(toks[i + 1].text)) return { j: i + 2, start, end: toks[i + 1].end };
    return { j: i + 1, start, end: toks[i].end };
  };

  /**
   * An indefinite relative adjective (nisba: ـي / ـية, no ال) right after a place noun describes
   * it rather than naming a place: "بلدات رئيسية", "قرى جبلية", "مخيم عشوائي". It is one when no
   * gazetteer has it, or, after a plural noun, when the stop-list has it ("قرى عربية"); "مدينة
   * سلمية" (a town of the gazetteer after a singular noun) stays a name.
   */
  const adjectiveAt = (j: number, conj: boolean, m: Match | undefined, plural: boolean): boolean => {
    if (!word(j)) return false;
    const t = toks[j].text;
    const stem = conj ? (t[0] === 'و' || t[0] === 'ف' ? t.slice(1) : '') : t;
    if (stem.length < 4 || stem.startsWith('ال') || !(stem.endsWith('يه') || stem.endsWith('ي'))) return false;
    if (m && m.j > j + 1) return false; // a longer name ("جبل تركماني ...") is a name
    if (!m) return true;
    return plural && isStop(stem);
  };

  const raws: Raw[] = [];
  let listN = 0;
  /** List id -> the relative/region raw right after it ("محاور خلصة والحميرة جنوب حلب"). */
  const listAnchor = new Map<number, Raw>();
  let pendingList: { id: number; endTok: number } | undefined;

  const push = (r: Omit<Raw, 'sentence'>, startTok: number): Raw => {
    const raw = r as Raw;
    raw.sentence = sentenceOf(r.start);
    raw.total = r.cands.length;
    if (pendingList && (raw.kind === 'relative' || raw.kind === 'region') && startTok === pendingList.endTok) listAnchor.set(pendingList.id, raw);
    raws.push(raw);
    return raw;
  };

  /**
   * After a relative/region trigger ending before token j: optional context word, then a place
   * or an anaphor ("المدينة"). Returns the place match, the anaphor, and the context word.
   */
  const anchorAt = (j: number): { m?: Match; anaphor?: string; ctx?: PlaceWord; end: number; endTok: number; nameStart: number } | undefined => {
    // A name that starts with the context word itself ("مطار دمشق الدولي", "ريف دمشق").
    const whole = matchAt(j);
    if (whole && whole.j > j + 1 && placeWord(j, B.context | B.region)) return { m: whole, end: whole.end, endTok: whole.j, nameStart: whole.start };
    let ctx: PlaceWord | undefined;
    const c = placeWord(j, B.context | B.region);
    if (c && c.w.kind !== 'region' && c.w.value !== 'front') (ctx = c.w), j++;
    else if (c && c.w.kind === 'region' && (c.w.word === 'محافظه' || c.w.word === 'ولايه')) (ctx = c.w), j++;
    const a = placeWord(j, B.anaphor);
    if (a) return { anaphor: a.w.value, ctx, end: toks[j].end, endTok: j + 1, nameStart: toks[j].start + a.f.pre };
    const m = matchAt(j);
    if (m && !(m.j === j + 1 && isStop(m.form))) return { m, ctx, end: m.end, endTok: m.j, nameStart: m.start };
    return undefined;
  };

  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    const inf = infos[i];
    // Actor names that contain a place name ("قوات سوريا الديمقراطية") are skipped whole.
    const sp = inf?.stopStart && stopPhraseAt(i);
    if (sp) {
      i = sp;
      continue;
    }
    // Most words are neither a place word nor the start of a name.
    if (!inf || (inf.mask === 0 && inf.first === 0)) {
      i++;
      continue;
    }
    if (pendingList && i > pendingList.endTok) pendingList = undefined;

    // Proximity: محيط / أطراف / مشارف / قرب / بالقرب من + place.
    const prox = placeWord(i, B.proximity);
    if (prox) {
      let j = i + 1;
      while (placeWord(j, B.filler, false) && j < i + 3) j++;
      const a = anchorAt(j);
      if (a) {
        push({ start: t.start + prox.f.pre, end: a.end, kind: 'relative', cands: a.m?.cands ?? [], nameStart: a.nameStart, nameEnd: a.end, contextWord: prox.w.word, proximity: prox.w.value, precision: 2, bare: false, anaphor: a.anaphor }, i);
        i = a.endTok;
        continue;
      }
    }
    // Distance: "(مئات) الأمتار (فقط) عن" + place.
    const dist = placeWord(i, B.distance);
    if (dist) {
      let j = i + 1;
      while (placeWord(j, B.filler, false) && j < i + 4) j++;
      const a = j > i + 1 ? anchorAt(j) : undefined;
      if (a) {
        const s = isNumberish(i - 1) ? toks[i - 1].start : t.start;
        push({ start: s, end: a.end, kind: 'relative', cands: a.m?.cands ?? [], nameStart: a.nameStart, nameEnd: a.end, contextWord: dist.w.word, proximity: 'near', precision: 2, bare: false, anaphor: a.anaphor }, i);
        i = a.endTok;
        continue;
      }
    }
    // Direction: شمال (شرقي) (مدينة) X.
    const dir = placeWord(i, B.direction);
    if (dir) {
      let j = i + 1;
      let d = dir.w.value;
      const d2 = placeWord(j, B.direction, false);
      if (d2) (d = combineDirections(d, d2.w.value)), j++;
      const a = anchorAt(j);
      if (a) {
        const region = a.ctx?.word === 'محافظه' || a.ctx?.word === 'ولايه' || (!a.ctx && a.m && govLevelName(gaz, a.m.cands));
        push({ start: t.start + dir.f.pre, end: a.end, kind: region ? 'region' : 'relative', cands: a.m?.cands ?? [], nameStart: a.nameStart, nameEnd: a.end, contextWord: a.ctx?.word, direction: d, precision: region ? 3 : 2, bare: false, anaphor: a.anaphor, regionOf: region ? 'dir' : undefined }, i);
        i = a.endTok;
        continue;
      }
    }
    // Regions: ريف X (الجنوبي) (وY الغربي) / محافظة X / ناحية X / منطقة X.
    // "الأحياء الشرقية لمدينة حلب", "الريف الشمالي لحلب": definite area word + direction + place.
    const ad = placeWord(i, B.area_def);
    if (ad) {
      let k = i + 1;
      const adj = placeWord(k, B.direction_adj, false);
      if (adj) {
        let d = adj.w.value;
        k++;
        const adjB = placeWord(k, B.direction_adj, false);
        if (adjB && combineDirections(d, adjB.w.value) !== d) (d = combineDirections(d, adjB.w.value)), k++;
        const a = anchorAt(k);
        if (a && !a.anaphor) {
          const rif = ad.w.word === 'الريف' || ad.w.word === 'الارياف';
          push({ start: t.start + ad.f.pre, end: a.end, kind: rif ? 'region' : 'relative', cands: a.m?.cands ?? [], nameStart: a.nameStart, nameEnd: a.end, contextWord: ad.w.word, direction: d, precision: 2, bare: false, regionOf: rif ? 'rif' : undefined }, i);
          i = a.endTok;
          continue;
        }
      }
    }
    const reg = placeWord(i, B.region);
    // "ريف دمشق" is a governorate's own name (Rural Damascus), not "the countryside of Damascus".
    const wholeAdmin = reg && matchAt(i);
    if (wholeAdmin && wholeAdmin.j > i + 1 && wholeAdmin.cands.some((c) => gaz.entries[c].feature_class === 'admin1')) {
      push({ start: wholeAdmin.start, end: wholeAdmin.end, kind: 'region', cands: wholeAdmin.cands, nameStart: wholeAdmin.start, nameEnd: wholeAdmin.end, contextWord: reg.w.word, precision: 3, bare: false, regionOf: 'admin1' }, i);
      i = wholeAdmin.j;
      continue;
    }
    if (reg) {
      const a = anchorAt(i + 1);
      if (a) {
        const isRif = reg.w.word === 'ريف' || reg.w.word === 'ارياف' || reg.w.word === 'ناحيه' || reg.w.word === 'قضاء';
        const isMuh = reg.w.word.startsWith('محافظ') || reg.w.word === 'ولايه';
        let k = a.endTok;
        const adj = placeWord(k, B.direction_adj, false);
        let d: string | undefined;
        if (adj && isRif) {
          d = adj.w.value;
          k++;
          // "ريف حلب الشمالي الشرقي"
          const adjB = placeWord(k, B.direction_adj, false);
          if (adjB && combineDirections(d, adjB.w.value) !== d) (d = combineDirections(d, adjB.w.value)), k++;
        }
        const end = adj && isRif ? toks[k - 1].end : a.end;
        const prec: GeoPrecision = isRif ? 2 : isMuh ? 3 : a.m && govLevelName(gaz, a.m.cands) ? 3 : 1;
        push({ start: t.start + reg.f.pre, end, kind: isRif || isMuh || prec === 3 ? 'region' : 'gazetteer', cands: a.m?.cands ?? [], nameStart: a.nameStart, nameEnd: a.end, contextWord: reg.w.word, direction: d, precision: prec, bare: false, anaphor: a.anaphor, regionOf: isRif ? 'rif' : isMuh ? 'admin1' : undefined }, i);
        // "ريف إدلب الجنوبي وحلب الغربي": a coordinated place + direction adjective is another ريف.
        while (isRif && d) {
          const m2 = matchAt(k, true);
          const adj2 = m2 && placeWord(m2.j, B.direction_adj, false);
          if (!m2 || !adj2) break;
          push({ start: m2.start, end: toks[m2.j].end, kind: 'region', cands: m2.cands, nameStart: m2.start, nameEnd: m2.end, contextWord: reg.w.word, direction: adj2.w.value, precision: 2, bare: false, regionOf: 'rif' }, k);
          k = m2.j + 1;
        }
        // "محافظتي حماة والرقة", "محافظات إدلب وحلب": one region per coordinated name.
        while (reg.w.plural && !d) {
          const m2 = matchAt(k, true);
          if (!m2) break;
          push({ start: m2.start, end: m2.end, kind: prec === 3 || isMuh ? 'region' : 'gazetteer', cands: m2.cands, nameStart: m2.start, nameEnd: m2.end, contextWord: reg.w.word, precision: prec, bare: false, regionOf: isRif ? 'rif' : isMuh ? 'admin1' : undefined }, k);
          k = m2.j;
        }
        i = k;
        continue;
      }
    }
    // Context word + a list of places (known or not).
    const ctx = placeWord(i, B.context);
    if (ctx && !placeWord(i + 1, B.direction | B.proximity)) {
      const m0 = matchAt(i); // the context word may start a name itself ("تل رفعت", "جبل الزاوية")
      if (!(m0 && m0.j > i + 1)) {
        const id = ++listN;
        let j = i + 1;
        let first = true;
        let any = false;
        for (;;) {
          if (placeWord(j, B.region | B.direction | B.proximity | B.context)) break;
          const m = matchAt(j, !first);
          // "7 بلدات رئيسية", "قرى جبلية ونائية", "حي سكني": an adjective agreeing with the place noun.
          if ((first || ctx.w.plural) && adjectiveAt(j, !first, m, ctx.w.plural)) break;
          const stopHere = m && isStop(m.form) && m.j === j + 1 && !ctx.w.capture;
          // "بادية حماة الشرقية", "سهل حلب الجنوبي": a landform named by a town and a side is a region
          // around that side of it, like "ريف حماة الشرقي".
          const side = m && first && ctx.w.value === 'region' && !stopHere ? placeWord(m.j, B.direction_adj, false) : undefined;
          if (m && side) {
            push({ start: t.start + ctx.f.pre, end: toks[m.j].end, kind: 'region', cands: m.cands, nameStart: m.start, nameEnd: m.end, contextWord: ctx.w.word, direction: side.w.value, precision: 2, bare: false, regionOf: 'rif' }, i);
            j = m.j + 1;
            any = true;
            break;
          }
          if (m && !stopHere) {
            // "مطار حماة", "جبل الزاوية": a landmark named after a place is near it (precision 2), and
            // only when that place fits the article; the name includes the landmark word.
            const lm = ctx.w.value === 'landmark' && first;
            const ns = lm ? t.start + ctx.f.pre : m.start;
            push({ start: ns, end: m.end, kind: 'gazetteer', cands: m.cands, nameStart: ns, nameEnd: m.end, contextWord: ctx.w.word, contextClass: ctx.w.value, precision: lm ? 2 : 1, bare: false, landmark: lm, list: id }, j);
            j = m.j;
          } else {
            const u = ctx.w.capture && (first || ctx.w.plural) ? unknownAt(j, !first) : undefined;
            if (!u) break;
            // "سهل الغاب", "جبل الأربعين": for landforms and facilities the word is part of the name.
            const whole = first && (ctx.w.value === 'landmark' || ctx.w.value === 'region');
            const us = whole ? t.start + ctx.f.pre : u.start;
            push({ start: us, end: u.end, kind: 'context', cands: [], nameStart: us, nameEnd: u.end, contextWord: ctx.w.word, contextClass: ctx.w.value, precision: 3, bare: false, list: id }, j);
            j = u.j;
          }
          any = true;
          first = false;
          // Continue on "و" + item, or "، X" in a plural list when X is a known place.
          if (word(j) && (toks[j].text[0] === 'و' || toks[j].text[0] === 'ف')) continue;
          if (ctx.w.plural && toks[j]?.text === '،' && matchAt(j + 1)) {
            j++;
            first = true;
            continue;
          }
          break;
        }
        if (any) {
          pendingList = { id, endTok: j };
          i = j;
          continue;
        }
        if (ctx.w.capture) {
          i++;
          continue;
        }
      }
    }
    // A bare place name; a relative phrase right after it anchors it ("الرصافة جنوب غربي الرقة").
    const m = matchAt(i);
    if (m) {
      const single = m.j === m.i + 1;
      const lexWord = W.byWord.has(m.form);
      if (!isStop(m.form) && !(single && lexWord)) {
        const id = ++listN;
        push({ start: m.start, end: m.end, kind: 'gazetteer', cands: m.cands, nameStart: m.start, nameEnd: m.end, precision: 1, bare: single, list: id }, i);
        pendingList = { id, endTok: m.j };
      }
      i = m.j;
      continue;
    }
    i++;
  }

  return resolve(raws, listAnchor, nt, gaz, opts);
}

/** Words that never name a place on their own (prepositions, pronouns, particles). */
const FUNCTION_WORDS = new Set(
  'في على من الى الي عن مع بين حتى منذ بعد قبل خلال عند لدى التي الذي الذين اللذين هذا هذه ذلك تلك هناك هنا كل بعض جميع غير سوى او ام ثم لكن لم لن قد كان كانت باتت بات وقد فقد انه انها ان اي ايضا عدة عده نحو حوالي قرابة قرابه اكثر اقل ما لا'
    .split(' '),
);

/** Do the candidates include a governorate or country entry (so the bare name is a region)? */
function govLevelName(gaz: Gazetteer, cands: number[]): boolean {
  return cands.some((c) => GOV_LEVEL.has(gaz.entries[c].feature_class));
}

// ---------------------------------------------------------------------------------------
// Resolution.

const FC_SCORE: Partial<Record<FeatureClass, number>> = {
  country: 1.2, admin1: 1.0, city: 2.0, town: 1.5, village: 1.0, neighbourhood: 0.6, landmark: 0.6, admin2: 0.4, admin3: 0.3, region: 0.2, other: 0,
};

const POPULATED = new Set<FeatureClass>(['city', 'town', 'village', 'neighbourhood']);

function countryIso(c?: string): string | undefined {
  if (!c) return undefined;
  const k = c.trim().toLowerCase();
  return countryTable().find((r) => r.iso.toLowerCase() === k || r.name_en.toLowerCase() === k || r.name_ar === c.trim())?.iso;
}

interface Point {
  lat: number;
  lon: number;
  sentence: number;
  /** Weight of this point as context (a confident city counts more than a guess). */
  w: number;
}

function resolve(raws: Raw[], listAnchor: Map<number, Raw>, nt: NormalizedText, gaz: Gazetteer, opts: GeoparseOptions): PlaceMention[] {
  const E = gaz.entries;
  const iso = countryIso(opts.country);
  // Governorates the article names (by an admin1 entry among the candidates).
  const admin1Named = new Map<string, number>();
  for (const r of raws)
    for (const c of r.cands) {
      const e = E[c];
      // Governorates of the article's country only (الزاوية is also a Libyan district).
      if (e.feature_class !== 'admin1' || !e.admin1 || (iso && e.iso !== iso) || r.landmark) continue;
      const k = `${e.iso}|${e.admin1}`;
      admin1Named.set(k, (admin1Named.get(k) ?? 0) + 1);
    }
  const points: Point[] = [];
  const pointKeys = new Set<string>();
  /** Each place counts once per sentence as context (articles repeat their main town). */
  const addPoint = (r: Raw) => {
    if (!r.entry) return;
    const k = `${r.entry.id}|${r.sentence}`;
    if (pointKeys.has(k)) return;
    pointKeys.add(k);
    points.push(pointOf(r)!);
  };

  const pointOf = (r: Raw): Point | undefined => (r.entry ? { lat: r.entry.lat, lon: r.entry.lon, sentence: r.sentence, w: r.confidence ?? 0.5 } : undefined);

  const score = (r: Raw, e: GazetteerEntry, anchor?: Raw): number => {
    let s = 0;
    if (iso) s += e.iso === iso ? 2 : -2;
    if (e.admin1 && admin1Named.has(`${e.iso}|${e.admin1}`)) s += 1.5;
    s += FC_SCORE[e.feature_class] ?? 0;
    if (r.regionOf && GOV_LEVEL.has(e.feature_class)) s += r.regionOf === 'admin1' ? 4 : 1;
    if (!r.regionOf && r.precision === 1 && e.feature_class === 'admin1') s -= 1.5; // bare إدلب is the city
    if (r.contextClass && POPULATED.has(e.feature_class) && ['city', 'town', 'village', 'front'].includes(r.contextClass)) s += 0.5;
    if (e.population && !e.feature_class.startsWith('admin')) s += Math.min(1.5, Math.log10(e.population) / 4);
    s += Math.min(0.6, (e.source.split(',').length - 1) * 0.3);
    // Proximity to the other places of the article, closest sentence first.
    let prox = 0;
    for (const p of points) {
      const d = distanceKm(e.lat, e.lon, p.lat, p.lon);
      const near = Math.abs(p.sentence - r.sentence) <= 1 ? 3 : 1.5;
      prox = Math.max(prox, near * p.w * Math.exp(-d / 40));
    }
    s += prox;
    if (anchor?.entry) {
      const d = distanceKm(e.lat, e.lon, anchor.entry.lat, anchor.entry.lon);
      s += 3 * Math.exp(-d / 20);
      if (anchor.direction && d > 2) {
        const b = BEARING[compass(anchor.entry.lat, anchor.entry.lon, e.lat, e.lon)];
        const want = BEARING[anchor.direction];
        const diff = Math.min(Math.abs(b - want), 360 - Math.abs(b - want));
        s += diff <= 45 ? 1 : diff >= 135 ? -1 : 0;
      }
    }
    return s;
  };

  const choose = (r: Raw, anchor?: Raw) => {
    if (r.cands.length === 0) return;
    // A district or sub-district shares its name with its main town: the town is meant unless
    // the text says منطقة/ناحية.
    if (r.contextWord !== 'منطقه' && r.contextWord !== 'ناحيه' && r.contextWord !== 'قضاء') {
      const towns = r.cands.filter((c) => E[c].feature_class !== 'admin2' && E[c].feature_class !== 'admin3');
      if (towns.length) r.cands = towns;
    }
    if (r.cands.length === 1 && !anchor) {
      r.entry = E[r.cands[0]];
      r.confidence = 0.95;
      return;
    }
    let best = -Infinity;
    let second = -Infinity;
    let pick: GazetteerEntry | undefined;
    for (const c of r.cands) {
      const e = E[c];
      const s = score(r, e, anchor);
      if (s > best) (second = best), (best = s), (pick = e);
      else if (s > second) second = s;
    }
    r.entry = pick;
    const distinct = new Set(r.cands.map((c) => `${Math.round(E[c].lat * 20)},${Math.round(E[c].lon * 20)}`)).size;
    r.confidence = distinct <= 1 ? 0.95 : Math.max(0.3, Math.min(0.9, 0.5 + (best - second) / 6));
  };

  // The article's country: its namesakes abroad are only kept when they are cities (a Sudanese
  // "حي دار السلام" is not the village دار السلام near Aleppo). With none left, a name with a
  // context word is an unknown place, a bare one is dropped.
  if (iso)
    for (const r of raws) {
      if (r.cands.length === 0 || r.anaphor) continue;
      // After حي/بلدة/قرية/محور a governorate abroad is not meant ("محوري عين زارة وصلاح الدين" in Tripoli).
      const local = r.contextClass && ['town', 'village', 'neighbourhood', 'front'].includes(r.contextClass);
      const keep = r.cands.filter((c) => E[c].iso === iso || E[c].feature_class === 'city' || (!local && GOV_LEVEL.has(E[c].feature_class)));
      if (keep.length) r.cands = keep;
      else if (r.bare || r.kind !== 'gazetteer') r.drop = true;
      else (r.cands = []), (r.kind = 'context'), (r.precision = 3);
    }

  // Pass 1: names with one place (or copies of one place) and governorate-level names anchor the rest.
  const order = raws.map((r, k) => ({ r, k }));
  const isSure = (r: Raw) => {
    if (r.cands.length === 0) return false;
    // A district/sub-district named like its town does not make the town ambiguous.
    const admin = r.contextWord === 'منطقه' || r.contextWord === 'ناحيه' || r.contextWord === 'قضاء';
    const cs = admin ? r.cands : r.cands.filter((c) => E[c].feature_class !== 'admin2' && E[c].feature_class !== 'admin3');
    if (cs.length === 0) return false;
    const e0 = E[cs[0]];
    return cs.every((c) => distanceKm(E[c].lat, E[c].lon, e0.lat, e0.lon) < 6) || govLevelName(gaz, r.cands);
  };
  for (const { r } of order) {
    // List items hanging on a phrase ("حي جوبر شرق العاصمة دمشق") are checked against it below.
    if (r.anaphor || !isSure(r) || (r.list && listAnchor.has(r.list))) continue;
    choose(r);
    if (r.entry && !r.bare) addPoint(r);
  }
  // Pass 2: relative/region anchors, then everything else in text order.
  for (const { r } of order)
    if (!r.entry && !r.anaphor && (r.kind === 'relative' || r.kind === 'region') && !r.list) {
      choose(r);
      addPoint(r);
    }
  for (const { r } of order) if (r.entry && (r.kind === 'relative' || r.kind === 'region')) addPoint(r);
  // Anaphors: the last place of that class before them. Resolved before the list items (a list may
  // hang on "شمال المدينة") and again after them (the town may be a list item: "جبهة عين عيسى ...").
  const resolveAnaphors = () => {
    for (let k = 0; k < raws.length; k++) {
      const r = raws[k];
      if (!r.anaphor) continue;
      for (let q = k - 1; q >= 0; q--) {
        const e = raws[q].entry;
        if (!e) continue;
        // "على جبهة عين عيسى شمالي الرقة ... على أطراف البلدة": a governorate-level phrase names a
        // region, not the town the anaphor points back at.
        if (r.anaphor !== 'admin1' && raws[q].kind === 'region' && raws[q].precision === 3) continue;
        const ok = r.anaphor === 'admin1' ? e.feature_class === 'admin1' || raws[q].regionOf === 'admin1' : r.anaphor === 'city' ? ['city', 'town'].includes(e.feature_class) : POPULATED.has(e.feature_class);
        if (ok) {
          r.entry = e;
          r.confidence = (raws[q].confidence ?? 0.5) * 0.8;
          break;
        }
      }
    }
  };
  resolveAnaphors();
  for (const { r } of order) {
    if (r.entry || r.anaphor || r.cands.length === 0) continue;
    const anchor = r.list ? listAnchor.get(r.list) : undefined;
    if (anchor && !anchor.entry) choose(anchor);
    const a = anchor?.entry;
    if (a && anchor) {
      // A list item must lie near the phrase it hangs on, on the side it names; a namesake
      // elsewhere is a different place, and with none left the item is an unknown place.
      // Near a town: within 40 km. Of a governorate-sized region ("جنوب حلب", "غريان جنوب طرابلس"):
      // in that governorate or within 100 km. In a country ("جنوبي العراق"): in that country.
      const wide = anchor.precision === 3 || a.feature_class === 'admin1' || (anchor.kind === 'region' && govLevelName(gaz, anchor.cands));
      const fits = (e: GazetteerEntry) => {
        if (a.feature_class === 'country') return e.iso === a.iso;
        const d = distanceKm(e.lat, e.lon, a.lat, a.lon);
        if (wide ? d > 100 && !(e.admin1 && e.admin1 === a.admin1) : d > 40) return false;
        if (!anchor.direction || d <= 8) return true;
        const b = BEARING[compass(a.lat, a.lon, e.lat, e.lon)];
        const want = BEARING[anchor.direction];
        return Math.min(Math.abs(b - want), 360 - Math.abs(b - want)) <= 67.5;
      };
      r.cands = r.cands.filter((c) => fits(E[c]));
      if (r.cands.length === 0) {
        // With a context word it is still a place we do not know; a bare word was not a place.
        if (r.bare) r.drop = true;
        else (r.kind = 'context'), (r.precision = 3);
        continue;
      }
    }
    choose(r, anchor);
    if (r.entry) addPoint(r);
  }
  resolveAnaphors();
  // A bare one-word name of a village (not a city, not a big town) is kept only when another place
  // of the article is close to it: many such names are also common words. A bare name abroad needs
  // to be a city when the article's country is known.
  const big = (e: GazetteerEntry) => e.feature_class === 'city' || e.feature_class === 'town' || (e.population ?? 0) >= 20000 || GOV_LEVEL.has(e.feature_class);
  const solid = (x: Raw) => x.entry && !x.drop && (!x.bare || big(x.entry));
  for (const r of raws) {
    const e = r.entry;
    if (r.landmark && e && e.feature_class !== 'city' && !GOV_LEVEL.has(e.feature_class)) {
      const near = raws.some((x) => x !== r && solid(x) && distanceKm(e.lat, e.lon, x.entry!.lat, x.entry!.lon) < 30);
      if (!near) (r.entry = undefined), (r.kind = 'context'), (r.precision = 3), (r.cands = []);
      continue;
    }
    if (!r.bare || !e) continue;
    if (iso && e.iso !== iso && e.feature_class !== 'city' && e.feature_class !== 'country') r.drop = true;
    else if (!big(e)) {
      // Support must come from the same passage (this sentence or the next/previous one).
      // Support: a place within 25 km, or the governorate itself (a region phrase or its main city).
      const near = raws.some(
        (x) =>
          x !== r &&
          Math.abs(x.sentence - r.sentence) <= 1 &&
          solid(x) &&
          (distanceKm(e.lat, e.lon, x.entry!.lat, x.entry!.lon) < 25 ||
            (x.entry!.admin1 === e.admin1 &&
              x.sentence === r.sentence && (x.kind === 'region' || x.kind === 'relative' || GOV_LEVEL.has(x.entry!.feature_class) || x.entry!.feature_class === 'city'))),
      );
      if (!near) r.drop = true;
      else r.confidence = Math.min(r.confidence ?? 0.5, 0.6);
    }
  }
  // A village-level name whose reading lies in another governorate than the places and regions
  // its sentence names ("طريق سرمدا - باب الهوى شمال إدلب" when the gazetteer's only باب الهوى
  // is in Homs) is a namesake the gazetteer lacks: it becomes an unknown place of that region.
  for (const r of raws) {
    const e = r.entry;
    if (!e || r.drop || r.kind !== 'gazetteer' || big(e) || e.feature_class === 'landmark' || r.anaphor) continue;
    // Only the regions and relative phrases of the sentence say where its places are.
    const others = raws.filter((x) => x !== r && x.sentence === r.sentence && x.entry && !x.drop && (x.kind === 'region' || x.kind === 'relative'));
    if (!others.length || others.some((x) => x.entry!.admin1 === e.admin1)) continue;
    const d = Math.min(...others.map((x) => distanceKm(e.lat, e.lon, x.entry!.lat, x.entry!.lon)));
    if (d <= 50) continue;
    if (r.bare) r.drop = true;
    else (r.entry = undefined), (r.kind = 'context'), (r.precision = 3), (r.cands = []);
  }

  // Unknown places (context word only): placed at the best coarser location.
  const siblingsOf = (r: Raw) => raws.filter((x) => x !== r && x.list && x.list === r.list && x.entry && !x.drop && x.kind === 'gazetteer');
  for (let k = 0; k < raws.length; k++) {
    const r = raws[k];
    if (r.kind !== 'context' || r.entry) continue;
    let base: GazetteerEntry | undefined;
    let conf = 0.3;
    const anchor = r.list ? listAnchor.get(r.list) : undefined;
    const sib = siblingsOf(r);
    // Never at a known sibling's own point: an event there would be taken for the sibling's.
    // Two or more known siblings: their centroid (the list names one front); else the anchor of
    // the list's relative phrase, moved the way it says.
    if (sib.length >= 2) {
      base = sib[0].entry;
      r.point = centroid(sib.map((x) => x.entry!));
      if (anchor?.entry) r.anchorEntry = anchor.entry;
    } else if (anchor?.entry) {
      base = anchor.entry;
      // "خلصة والحميرة جنوب حلب": the place lies that way from the anchor, not in it.
      if (anchor.direction) r.shift = { dir: anchor.direction, km: anchor.precision === 3 ? 15 : 4 };
    } else {
      // The nearest relative/region phrase in the same sentence, else a governorate of the sentence/article.
      const inSentence = raws.filter((x) => x.sentence === r.sentence && x.entry && !x.drop && x !== r);
      const rel = inSentence.find((x) => x.kind === 'relative' || x.kind === 'region');
      // ... else the nearest town or city named in the sentence ("حي الشيخ مقصود بمدينة حلب").
      const town = inSentence
        .filter((x) => x.kind === 'gazetteer' && ['city', 'town', 'admin1'].includes(x.entry!.feature_class))
        .sort((a, b) => Math.abs(a.start - r.start) - Math.abs(b.start - r.start))[0];
      base = rel?.entry ?? town?.entry;
      // ... else the governorate of the last place named before it in this or the two previous
      // sentences (a governorate named later, "وفي السويداء ...", is about another place).
      if (!base) {
        const prev = raws
          .filter((x) => x.start < r.start && r.sentence - x.sentence <= 2 && x.entry && !x.drop && x.kind !== 'context' && x.entry.admin1)
          .pop()?.entry;
        if (prev) {
          base = E.find((e) => e.feature_class === 'admin1' && e.iso === prev.iso && e.admin1 === prev.admin1);
          conf = 0.25;
        }
      }
      if (!base && admin1Named.size) {
        const top = [...admin1Named.entries()].sort((a, b) => b[1] - a[1])[0][0];
        base = E.find((e) => e.feature_class === 'admin1' && `${e.iso}|${e.admin1}` === top);
        conf = 0.2;
      }
    }
    // One known sibling (or none left to go by): if the fallback lands on a sibling, only the
    // sibling's governorate is known.
    const s0 = sib.find((x) => base && !r.point && !r.shift && distanceKm(x.entry!.lat, x.entry!.lon, base.lat, base.lon) < 0.5)?.entry;
    if (s0) base = E.find((e) => e.feature_class === 'admin1' && e.iso === s0.iso && e.admin1 === s0.admin1) ?? ((r.point = move(s0.lat, s0.lon, 'N', 3)), s0);
    if (!base && sib.length) {
      const s1 = sib[0].entry!;
      base = E.find((e) => e.feature_class === 'admin1' && e.iso === s1.iso && e.admin1 === s1.admin1) ?? ((r.point = move(s1.lat, s1.lon, 'N', 3)), s1);
    }
    r.entry = base;
    r.confidence = conf;
    (r as Raw & { unknown?: boolean }).unknown = true;
  }

  const out: PlaceMention[] = [];
  for (const r of raws) {
    if (r.drop) continue;
    if (!r.entry && r.kind !== 'context') continue;
    const e = r.entry;
    const unknown = (r as Raw & { unknown?: boolean }).unknown === true;
    const nameAr = originalSlice(nt, r.nameStart, r.nameEnd);
    // "غرب مدينة حلب": the event is on that side of the town, a little way out from its centre.
    if (e && r.kind === 'relative' && r.direction && !r.shift && POPULATED.has(e.feature_class))
      r.shift = { dir: r.direction, km: e.feature_class === 'city' ? 5 : e.feature_class === 'town' ? 2 : 1 };
    const pt = e ? (r.point ?? (r.shift ? move(e.lat, e.lon, r.shift.dir, r.shift.km) : { lat: e.lat, lon: e.lon })) : undefined;
    const loc: Location = {
      name: unknown ? transliterate(nt.text.slice(r.nameStart, r.nameEnd)) : e!.name_en,
      name_ar: r.kind === 'gazetteer' || r.kind === 'context' ? nameAr : originalSlice(nt, r.start, r.end),
      gazetteer_id: unknown ? null : e!.id,
      feature_class: unknown ? classOf(r.contextClass) : e!.feature_class,
      country: e?.country,
      iso: e?.iso,
      admin1: e?.admin1,
      admin2: unknown || r.precision === 3 ? undefined : e?.admin2,
      admin3: unknown || r.precision === 3 ? undefined : e?.admin3,
      lat: pt ? pt.lat : null,
      lon: pt ? pt.lon : null,
      geo_precision: unknown ? 3 : r.precision,
      confidence: Math.round((r.confidence ?? 0.5) * 100) / 100,
    };
    if (unknown) loc.name_ar = nameAr;
    if (r.direction) loc.direction = r.direction;
    if (e && e.feature_class === 'admin1' && r.precision === 1) loc.geo_precision = 3;
    if (e && e.feature_class === 'country') loc.geo_precision = 3;
    // A named area (جبل الزاوية, الغوطة الشرقية) is "around" its centre.
    if (e && e.feature_class === 'region' && loc.geo_precision === 1) loc.geo_precision = 2;
    const m: PlaceMention = {
      start: r.start,
      end: r.end,
      surface: originalSlice(nt, r.start, r.end),
      location: loc,
      kind: r.kind,
      candidates: r.total ?? r.cands.length,
    };
    if (r.contextWord) m.context_word = r.contextWord;
    if (r.direction) m.direction = r.direction;
    if ((r.kind === 'relative' || r.kind === 'region' || unknown) && e) m.anchor_id = (r.anchorEntry ?? e).id;
    out.push(m);
  }
  return out;
}

function centroid(es: GazetteerEntry[]): { lat: number; lon: number } {
  const lat = es.reduce((a, e) => a + e.lat, 0) / es.length;
  const lon = es.reduce((a, e) => a + e.lon, 0) / es.length;
  return { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
}

/** The point `km` away from (lat, lon) towards a compass direction. */
function move(lat: number, lon: number, dir: string, km: number): { lat: number; lon: number } {
  const b = ((BEARING[dir] ?? 0) * Math.PI) / 180;
  const dLat = (km * Math.cos(b)) / 111.2;
  const dLon = (km * Math.sin(b)) / (111.2 * Math.cos((lat * Math.PI) / 180));
  return { lat: Math.round((lat + dLat) * 1e5) / 1e5, lon: Math.round((lon + dLon) * 1e5) / 1e5 };
}

function classOf(c?: string): FeatureClass {
  if (c === 'city' || c === 'town' || c === 'village' || c === 'neighbourhood' || c === 'landmark') return c;
  return 'other';
}
