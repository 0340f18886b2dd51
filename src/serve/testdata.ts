// Test data for the API and CLI tests: real Arabic reports (the seed article from /work/shared,
// and reports written in the style of SANA and AFP Arabic about the same days) with extraction
// results coded by hand from their words, every evidence span located in the text itself.
// Used only by *.test.ts files.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Article, ConflictEvent, Evidence, ExtractResult, Figure } from '../types.js';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function seedArticle(): Article {
  const line = readFileSync(SHARED + 'eval/dev/articles.jsonl', 'utf8').split('\n')[0];
  const a = JSON.parse(line) as Article;
  return { ...a, url: 'https://example.org/seed-0001' };
}

/** Evidence for the first occurrence of `words` in the article's text (throws if absent). */
export function span(a: Article, words: string, part: 'text' | 'title' = 'text'): Evidence {
  const src = part === 'text' ? a.text : (a.title ?? '');
  const start = src.indexOf(words);
  if (start < 0) throw new Error(`"${words}" not in the article`);
  return { part, start, end: start + words.length, text: words };
}

const SOHR = 'المرصد السوري لحقوق الإنسان';

function event(e: Partial<ConflictEvent> & Pick<ConflictEvent, 'event_type' | 'sub_event_type' | 'evidence' | 'notes'>): ConflictEvent {
  return {
    event_date: '2020-01-26',
    time_precision: 1,
    actor1: null,
    actor2: null,
    location: null,
    fatalities: 0,
    status: 'occurred',
    civilian_targeting: false,
    reported_by: null,
    background: false,
    ...e,
  };
}

export function seedResult(a: Article): ExtractResult {
  const rebels = { name: 'Opposition Rebels (Syria)', name_ar: 'الفصائل المعارضة', inter: 2 as const };
  const regime = { name: 'Military Forces of Syria', name_ar: 'قوات النظام', inter: 1 as const };
  return {
    events: [
      event({
        event_type: 'Battles',
        sub_event_type: 'Armed clash',
        actor1: rebels,
        actor2: regime,
        interaction: 12,
        location: { name: 'Mushaymish', name_ar: 'مشيميس', country: 'Syria', admin1: 'Idlib', admin2: 'Maarrat An-Numan', lat: 35.69, lon: 36.89, geo_precision: 2 },
        fatalities: 12,
        fatalities_by_side: { 'Opposition Rebels (Syria)': 4, 'Military Forces of Syria': 8 },
        reported_by: SOHR,
        evidence: {
          event_type: [span(a, 'تمكنت من التقدم')],
          location: [span(a, 'مشيميس')],
          actor1: [span(a, 'الفصائل المعارضة')],
          fatalities: [span(a, 'مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام')],
          reported_by: [span(a, 'المرصد السوري')],
        },
        notes: 'On 26 January 2020, opposition factions advanced on the Mushaymish axis north-east of Maarat al-Numan (Idlib) in clashes with regime forces; 4 opposition fighters and 8 regime soldiers were killed.',
      }),
      event({
        event_type: 'Explosions/Remote violence',
        sub_event_type: 'Air/drone strike',
        actor1: { name: 'Military Forces of Russia', name_ar: 'الطائرات الروسية', inter: 8 },
        actor2: rebels,
        interaction: 28,
        location: { name: 'Khalsa', name_ar: 'خلصة', country: 'Syria', admin1: 'Aleppo', lat: 36.03, lon: 37.03, geo_precision: 2 },
        reported_by: SOHR,
        evidence: {
          event_type: [span(a, 'قصف جوي من الطائرات الروسية')],
          location: [span(a, 'خلصة')],
          reported_by: [span(a, SOHR)],
        },
        notes: 'On 26 January 2020, Russian warplanes struck the Khalsa and al-Hamira fronts south of Aleppo during clashes between regime forces and opposition factions. Casualties unknown.',
      }),
    ],
    figures: [
      {
        kind: 'population',
        value: 3_000_000,
        value_kind: 'exact',
        place: 'Idlib',
        source: null,
        evidence: [span(a, 'ثلاثة ملايين شخص')],
      },
    ],
    mentions: [],
    warnings: [],
  };
}

/** A SANA-style report of the army repelling an attack near Samka the same day. */
export const sanaArticle: Article = {
  title: 'وحدات الجيش تتصدى لهجوم إرهابي على محور سمكة بريف إدلب الجنوبي الشرقي',
  text:
    'إدلب-سانا\n' +
    'تصدت وحدات من الجيش العربي السوري لهجوم شنته مجموعات إرهابية على نقاط عسكرية في محور سمكة بريف إدلب الجنوبي الشرقي وأوقعت في صفوفها قتلى ومصابين، ' +
    'وأفاد مراسل سانا بأن وحدات الجيش دمرت عربة مزودة برشاش ثقيل، فيما فرّ من تبقى من الإرهابيين باتجاه عمق ريف إدلب.\n' +
    'وتشير تقديرات منظمات إنسانية إلى نزوح أكثر من 358 ألف شخص من ريف إدلب الجنوبي منذ مطلع كانون الأول الماضي.',
  date: '2020-01-26',
  outlet: 'سانا',
  url: 'https://sana.sy/?p=1088231',
  country: 'Syria',
  language: 'ar',
};

export function sanaResult(a: Article): ExtractResult {
  const figure: Figure = {
    kind: 'displaced',
    value: 358_000,
    value_kind: 'at-least',
    place: 'Idlib',
    since: '2019-12',
    source: 'منظمات إنسانية',
    evidence: [span(a, 'نزوح أكثر من 358 ألف شخص')],
  };
  return {
    events: [
      event({
        event_type: 'Battles',
        sub_event_type: 'Armed clash',
        actor1: { name: 'Military Forces of Syria', name_ar: 'الجيش العربي السوري', inter: 1 },
        actor2: { name: 'Opposition Rebels (Syria)', name_ar: 'مجموعات إرهابية', inter: 2 },
        interaction: 12,
        location: { name: 'Samka', name_ar: 'سمكة', country: 'Syria', admin1: 'Idlib', lat: 35.6969, lon: 36.9088, geo_precision: 1 },
        reported_by: null,
        evidence: {
          event_type: [span(a, 'تصدت وحدات من الجيش العربي السوري لهجوم')],
          location: [span(a, 'محور سمكة')],
          actor2: [span(a, 'مجموعات إرهابية')],
        },
        notes: 'On 26 January 2020, regime forces repelled an attack by opposition fighters (described as terrorists) on the Samka axis in south-eastern rural Idlib. Casualties reported on the attackers, number unknown.',
      }),
    ],
    figures: [figure],
    mentions: [],
    warnings: [],
  };
}

/** An AFP-style report from Baghdad: protesters shot by security forces. */
export const afpArticle: Article = {
  title: 'مقتل متظاهرَين برصاص قوات الأمن في بغداد',
  text:
    'بغداد (أ ف ب) - قُتل متظاهران برصاص قوات الأمن العراقية فجر الأحد قرب ساحة الخلاني وسط بغداد، وفق ما أفادت مصادر طبية، ' +
    'بعدما حاولت القوات إخلاء الساحة من المعتصمين المطالبين بـ"إسقاط النظام"، فيما أُصيب أكثر من عشرين آخرين بجروح.',
  date: '2020-01-26',
  outlet: 'فرانس برس',
  url: 'https://example.org/afp/baghdad-2020-01-26',
  country: 'Iraq',
  language: 'ar',
};

export function afpResult(a: Article): ExtractResult {
  return {
    events: [
      event({
        event_type: 'Protests',
        sub_event_type: 'Excessive force against protesters',
        actor1: { name: 'Police Forces of Iraq', name_ar: 'قوات الأمن العراقية', inter: 1 },
        actor2: { name: 'Protesters (Iraq)', name_ar: 'المعتصمين', inter: 6 },
        interaction: 16,
        location: { name: 'Baghdad - Khallani Square', name_ar: 'ساحة الخلاني', country: 'Iraq', admin1: 'Baghdad', admin2: 'Resafa', lat: 33.3327, lon: 44.4172, geo_precision: 1 },
        fatalities: 2,
        wounded: 20,
        civilian_targeting: true,
        reported_by: 'مصادر طبية',
        evidence: {
          fatalities: [span(a, 'قُتل متظاهران برصاص قوات الأمن العراقية')],
          location: [span(a, 'ساحة الخلاني وسط بغداد')],
          reported_by: [span(a, 'مصادر طبية')],
        },
        notes: 'On 26 January 2020, Iraqi security forces shot dead 2 protesters and wounded more than 20 near Khallani Square in central Baghdad while clearing a sit-in. 2 fatalities.',
      }),
    ],
    figures: [],
    mentions: [],
    warnings: [],
  };
}

/** The three articles with their results. */
export function corpus(): { article: Article; result: ExtractResult }[] {
  const seed = seedArticle();
  return [
    { article: seed, result: seedResult(seed) },
    { article: sanaArticle, result: sanaResult(sanaArticle) },
    { article: afpArticle, result: afpResult(afpArticle) },
  ];
}
