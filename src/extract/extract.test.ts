// The extractor on real Arabic: the seed article coded as its gold says (../shared/eval/dev),
// and report sentences in the style of SOHR / SANA / AFP Arabic for every event type and for
// the other wars Marsad reads. Every evidence span must be the exact original words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Article, ConflictEvent, ExtractResult } from '../types.js';
import { extract } from './index.js';
import { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
import { fullGazetteer, haveSharedData, SHARED } from '../gazetteer/testing.js';

const builtin = loadGazetteer();

function checkEvidence(a: Article, r: ExtractResult): void {
  const src = { title: a.title ?? '', text: a.text };
  const all = [...r.events.flatMap((e) => Object.values(e.evidence).flat()), ...r.figures.flatMap((f) => f.evidence), ...r.mentions];
  assert.ok(all.length > 0);
  for (const ev of all) {
    assert.equal(ev.text, src[ev.part].slice(ev.start, ev.end), `evidence ${JSON.stringify(ev)}`);
    assert.ok(ev.end > ev.start);
  }
  // Every field that has a value points at words.
  for (const e of r.events) {
    for (const k of ['event_type', 'sub_event_type', 'event_date', 'status'] as const) assert.ok(e.evidence[k]?.length, `${k} of ${e.notes}`);
    for (const k of ['actor1', 'actor2', 'location', 'reported_by'] as const) if (e[k]) assert.ok(e.evidence[k]?.length, `${k} of ${e.notes}`);
    if (e.fatalities > 0) assert.ok(e.evidence.fatalities?.length, `fatalities of ${e.notes}`);
    if (e.background) assert.ok(e.evidence.background?.length, `background of ${e.notes}`);
  }
}

const news = (r: ExtractResult) => r.events.filter((e) => !e.background);
const run = (text: string, country = 'Syria', date = '2020-01-26', gazetteer: Gazetteer = builtin) => {
  const a: Article = { text, date, country };
  const r = extract(a, { gazetteer });
  checkEvidence(a, r);
  return r;
};
const inters = (e: ConflictEvent) => [e.actor1?.inter, e.actor2?.inter].filter((x) => x !== undefined).sort();

// ---------------------------------------------------------------------------------------
// The seed article.

const seedPath = join(SHARED, 'eval', 'dev', 'articles.jsonl');
const haveSeed = existsSync(seedPath);

test('seed article: the events of its gold, and nothing from its background', { skip: !haveSeed && 'no ../shared/eval/dev' }, async () => {
  const seed: Article = JSON.parse(readFileSync(seedPath, 'utf8').split('\n')[0]);
  const gaz = haveSharedData() ? await fullGazetteer() : builtin;
  const r = extract(seed, { gazetteer: gaz });
  checkEvidence(seed, r);
  const ev = news(r);
  const locText = (e: ConflictEvent) => (e.evidence.location ?? []).map((x) => x.text).join(' ');
  const at = (sub: string, word: string) => ev.filter((e) => e.sub_event_type === sub && locText(e).includes(word));

  assert.equal(ev.length, 12, ev.map((e) => e.notes).join('\n'));
  // Clashes on the Khalsa and Hamira axes, opposition against the regime.
  for (const v of ['خلصة', 'الحميرة']) {
    const [c] = at('Armed clash', v).filter((e) => e.location?.admin1 === 'Aleppo');
    assert.ok(c, v);
    assert.deepEqual(inters(c), [1, 2]);
    assert.equal(c.reported_by, 'المرصد السوري لحقوق الإنسان');
  }
  // Russian air strikes and mutual shelling on that front (one event each).
  const air = ev.filter((e) => e.sub_event_type === 'Air/drone strike' && e.location?.admin1 === 'Aleppo' && e.actor2?.inter === 2);
  assert.ok(air.some((e) => e.actor1?.name === 'Military Forces of Russia' && e.actor2?.name === 'Opposition Rebels (Syria)'));
  const shelling = ev.filter((e) => e.sub_event_type === 'Shelling/artillery/missile attack');
  assert.equal(shelling.length, 1);
  assert.deepEqual(inters(shelling[0]), [1, 2]);
  assert.equal(shelling[0].location?.admin1, 'Aleppo');
  // The opposition advance on three axes; the 4 + 8 killed go to the first one.
  const adv = ['مشيميس', 'سمكة', 'البرسة'].map((v) => ev.find((e) => e.sub_event_type === 'Armed clash' && e.location?.name_ar === v)!);
  adv.forEach((e, i) => {
    assert.ok(e, `axis ${i}`);
    assert.equal(e.actor1?.name, 'Opposition Rebels (Syria)');
    assert.equal(e.actor2?.name, 'Military Forces of Syria');
    assert.equal(e.location?.admin1, 'Idlib');
  });
  assert.deepEqual(adv.map((e) => e.fatalities), [12, 0, 0]);
  assert.deepEqual(adv[0].fatalities_by_side, { 'Opposition Rebels (Syria)': 4, 'Military Forces of Syria': 8 });
  // The regime takes 7 towns around Maarat al-Numan: one event around the town.
  const gov = ev.filter((e) => e.sub_event_type === 'Government regains territory');
  assert.equal(gov.length, 1);
  assert.equal(gov[0].location?.geo_precision, 2);
  assert.match(gov[0].location?.name ?? '', /Ma.?arr?at/);
  assert.equal(gov[0].actor1?.inter, 1);
  // Fighting west of Aleppo against HTS: "عشرات القتلى" = 10, given to that event only.
  const west = ev.filter((e) => e.sub_event_type === 'Armed clash' && e.actor2?.name === 'Hayat Tahrir al-Sham');
  assert.equal(west.length, 1);
  assert.equal(west[0].fatalities, 10);
  assert.equal(west[0].location?.admin1, 'Aleppo');
  assert.equal(west[0].reported_by, null);
  // The failed entry into Maarat al-Numan, from the headline.
  const failed = ev.filter((e) => e.status === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].sub_event_type, 'Armed clash');
  assert.ok(failed[0].evidence.event_type.some((x) => x.part === 'title' && x.text === 'دخول'));
  assert.ok(failed[0].evidence.status.some((x) => x.part === 'title' && x.text === 'تفشل'));
  // Russian (and Syrian) air strikes on both fronts.
  const fronts = ev.filter((e) => e.sub_event_type === 'Air/drone strike' && e.reported_by === null);
  assert.deepEqual(fronts.map((e) => e.location?.admin1).sort(), ['Aleppo', 'Idlib']);
  assert.ok(fronts.every((e) => e.actor1?.name === 'Military Forces of Russia' && e.actor2?.inter === 2));
  assert.ok(fronts.some((e) => e.assoc_actor_1?.some((a) => a.name === 'Military Forces of Syria')));
  assert.equal(ev.reduce((s, e) => s + e.fatalities, 0), 22);
  assert.ok(ev.every((e) => e.event_date === '2020-01-26' && e.time_precision === 1));

  // Figures, not events.
  const displaced = r.figures.find((f) => f.kind === 'displaced');
  assert.equal(displaced?.value, 350000);
  assert.equal(displaced?.since, '2019-12');
  assert.equal(displaced?.source, 'الأمم المتحدة');
  assert.equal(r.figures.find((f) => f.kind === 'population')?.value, 3000000);

  // Background, threats and claims give no news event: nothing in those sentences.
  const sentenceOf = (start: string) => {
    const s = seed.text.indexOf(start);
    assert.ok(s >= 0, start);
    return [s, seed.text.indexOf('.,', s)];
  };
  const quiet = ['وكانت قوات النظام قد حققت', 'وكتبت صحيفة الوطن', 'وتُكرر دمشق نيتها', 'ونقلت وكالة الأنباء السورية', 'ومنذ سيطرة الفصائل', 'وسيطرت قوات النظام خلال هجوم'].map(sentenceOf);
  for (const e of ev)
    for (const x of e.evidence.event_type)
      for (const [a, b] of quiet) assert.ok(x.part === 'title' || x.start < a || (b >= 0 && x.start > b), `news from background: ${e.notes}`);
  assert.ok(r.events.some((e) => e.background && e.event_date?.startsWith('2015')), 'the 2015 takeover is kept as background');
  for (const e of r.events) assert.match(e.notes, /^(On|In) .+\.$/);
});

// ---------------------------------------------------------------------------------------
// Report sentences, one per event type and war.

test('air strike killing civilians: Russia against civilians, 5 killed, SOHR', () => {
  const r = run('قتل خمسة مدنيين بينهم طفلان جراء غارة جوية روسية استهدفت بلدة كفرنبل بريف إدلب الجنوبي، وفق المرصد السوري.');
  const [e] = news(r);
  assert.equal(news(r).length, 1);
  assert.equal(e.sub_event_type, 'Air/drone strike');
  assert.equal(e.actor1?.name, 'Military Forces of Russia');
  assert.equal(e.actor2?.inter, 7);
  assert.equal(e.fatalities, 5);
  assert.equal(e.civilian_targeting, true);
  assert.equal(e.location?.admin1, 'Idlib');
  assert.equal(e.reported_by, 'المرصد السوري لحقوق الإنسان');
  assert.match(e.notes, /^On 26 January 2020, Military Forces of Russia carried out air\/drone strikes on Civilians \(Syria\)/);
});

test('IED on a military vehicle: the dead soldiers are the target', () => {
  const [e, ...rest] = news(run('انفجرت عبوة ناسفة بسيارة عسكرية على طريق درعا - السويداء، ما أدى إلى مقتل جنديين من قوات النظام.'));
  assert.equal(rest.length, 0);
  assert.equal(e.sub_event_type, 'Remote explosive/landmine/IED');
  assert.equal(e.fatalities, 2);
  assert.equal(e.actor2?.name, 'Military Forces of Syria');
  // Nobody claimed it: ACLED's Unidentified Armed Group (eval/extra README, GUIDELINES actors).
  assert.equal(e.actor1?.name, 'Unidentified Armed Group (Syria)');
});

test('artillery shelling wounds civilians: wounded are not fatalities', () => {
  const [e] = news(run('قصفت قوات النظام بالمدفعية الثقيلة بلدة كنصفرة في جبل الزاوية، ما أسفر عن إصابة ثلاثة مدنيين بجروح.'));
  assert.equal(e.sub_event_type, 'Shelling/artillery/missile attack');
  assert.equal(e.actor1?.name, 'Military Forces of Syria');
  assert.equal(e.fatalities, 0);
  assert.equal(e.wounded, 3);
  assert.equal(e.civilian_targeting, true);
});

test('air defences down a drone: disrupted weapons use, not a drone strike; SANA credited', () => {
  const ev = news(run('أسقطت الدفاعات الجوية السورية طائرة مسيرة في ريف حماة الشمالي، بحسب ما أفادت وكالة سانا.'));
  assert.equal(ev.length, 1);
  assert.equal(ev[0].event_type, 'Strategic developments');
  assert.equal(ev[0].sub_event_type, 'Disrupted weapons use');
  assert.equal(ev[0].actor1?.inter, 1);
  assert.equal(ev[0].location?.geo_precision, 2);
  assert.equal(ev[0].reported_by, 'سانا');
});

test('suicide bomb against the SDF', () => {
  const [e] = news(run('فجر انتحاري نفسه بحزام ناسف عند حاجز لقوات سوريا الديمقراطية في مدينة الشدادي، ما أدى إلى مقتل ثلاثة عناصر.'));
  assert.equal(e.sub_event_type, 'Suicide bomb');
  assert.equal(e.actor2?.side, 'kurdish');
  assert.equal(e.fatalities, 3);
});

test('execution by ISIS: violence against civilians, the count of the killing verb', () => {
  const [e] = news(run('أعدم تنظيم داعش أربعة رعاة أغنام في بادية السخنة بريف حمص الشرقي.'));
  assert.equal(e.event_type, 'Violence against civilians');
  assert.equal(e.sub_event_type, 'Attack');
  assert.equal(e.actor1?.side, 'isis');
  assert.equal(e.actor2?.inter, 7);
  assert.equal(e.fatalities, 4);
  assert.equal(e.location?.admin1, 'Homs');
});

test('abduction by unidentified gunmen on a weekday', () => {
  const [e] = news(run('اختطف مسلحون مجهولون طبيباً في مدينة درعا، السبت.', 'Syria', '2020-01-26'));
  assert.equal(e.sub_event_type, 'Abduction/forced disappearance');
  assert.equal(e.actor2?.inter, 7);
  assert.equal(e.event_date, '2020-01-25');
});

test('protests: peaceful, and dispersed with tear gas', () => {
  const [p] = news(run('خرجت مظاهرة في مدينة إدلب تطالب بإسقاط هيئة تحرير الشام.'));
  assert.equal(p.sub_event_type, 'Peaceful protest');
  assert.equal(p.actor1?.inter, 6);
  assert.equal(p.actor2, null);
  const [q] = news(run('فرقت قوات الأمن مظاهرة في مدينة السويداء بإطلاق الغاز المسيل للدموع.'));
  assert.equal(q.sub_event_type, 'Protest with intervention');
  assert.deepEqual(inters(q), [1, 6]);
});

test('arrests campaign', () => {
  const [e] = news(run('شنت قوات الأمن حملة اعتقالات في مدينة الرقة طالت عشرة شبان.'));
  assert.equal(e.sub_event_type, 'Arrests');
  assert.equal(e.location?.admin1, 'Raqqa');
});

test('a repelled attack is a failed clash by the attacker', () => {
  const [e] = news(run('صدت قوات النظام هجوماً لهيئة تحرير الشام على محور كفرنبودة بريف حماة الشمالي.'));
  assert.equal(e.sub_event_type, 'Armed clash');
  assert.equal(e.status, 'failed');
  assert.equal(e.actor1?.name, 'Hayat Tahrir al-Sham');
  assert.equal(e.actor2?.name, 'Military Forces of Syria');
});

test('a rebel capture: non-state actor overtakes territory, one event not two', () => {
  const ev = news(run('سيطرت هيئة تحرير الشام على قرية الحويز بريف حماة الغربي بعد معارك مع قوات النظام.'));
  assert.equal(ev.length, 1);
  assert.equal(ev[0].sub_event_type, 'Non-state actor overtakes territory');
  assert.deepEqual(inters(ev[0]), [1, 2]);
});

test('"تحت سيطرة" is a state, not a takeover; threats and history are not news', () => {
  assert.equal(news(run('وتقع البلدة تحت سيطرة هيئة تحرير الشام منذ العام 2015.')).length, 0);
  assert.equal(news(run('وتعتزم قوات النظام شن هجوم واسع على مدينة إدلب.')).length, 0);
  assert.equal(news(run('وكانت قوات النظام قد سيطرت على مدينة خان شيخون في آب/أغسطس الماضي.')).length, 0);
});

test('Iraq: IED on an army patrol, 1 killed and 2 wounded', () => {
  const ev = news(run('انفجرت عبوة ناسفة على دورية للجيش العراقي في قضاء الطارمية شمال بغداد، ما أسفر عن مقتل جندي وإصابة اثنين آخرين.', 'Iraq'));
  assert.equal(ev.length, 1);
  assert.equal(ev[0].sub_event_type, 'Remote explosive/landmine/IED');
  assert.equal(ev[0].actor2?.name, 'Military Forces of Iraq');
  assert.equal(ev[0].fatalities, 1);
  assert.equal(ev[0].wounded, 2);
  assert.equal(ev[0].location?.admin1, 'Baghdad');
});

test('Yemen: coalition air strikes on Houthi positions', () => {
  const [e] = news(run('شنت طائرات التحالف بقيادة السعودية غارات على مواقع لجماعة الحوثي في صنعاء.', 'Yemen'));
  assert.equal(e.sub_event_type, 'Air/drone strike');
  assert.equal(e.actor1?.inter, 8);
  assert.match(e.actor2?.name ?? '', /Houthi/);
});

test('Libya: clashes between two named sides', () => {
  const [e] = news(run('اندلعت اشتباكات بين قوات حكومة الوفاق وقوات حفتر جنوب العاصمة طرابلس.', 'Libya'));
  assert.equal(e.sub_event_type, 'Armed clash');
  assert.ok(e.actor1 && e.actor2 && e.actor1.name !== e.actor2.name);
  assert.equal(e.location?.admin1, 'Tripoli');
});

test('Sudan: an attack that kills civilians is violence against civilians', () => {
  const [e] = news(run('قتل عشرات المدنيين في هجوم لقوات الدعم السريع على قرية في ولاية الجزيرة.', 'Sudan'));
  assert.equal(e.event_type, 'Violence against civilians');
  assert.match(e.actor1?.name ?? '', /Rapid Support Forces/);
  assert.equal(e.fatalities, 10);
});

test('Gaza and Lebanon: Israeli strikes', () => {
  const [g] = news(run('قتل ثلاثة فلسطينيين في قصف إسرائيلي على مخيم جباليا شمال قطاع غزة.', 'Palestine'));
  assert.equal(g.event_type, 'Explosions/Remote violence');
  assert.equal(g.actor1?.name, 'Military Forces of Israel');
  assert.equal(g.fatalities, 3);
  const [l] = news(run('استهدفت غارة إسرائيلية بلدة عيتا الشعب في جنوب لبنان.', 'Lebanon'));
  assert.equal(l.sub_event_type, 'Air/drone strike');
  assert.equal(l.actor1?.name, 'Military Forces of Israel');
});

test('agreement between two parties', () => {
  const ev = news(run('وقعت الفصائل اتفاقاً مع الجانب الروسي في درعا يقضي بتسليم السلاح الثقيل.'));
  assert.equal(ev.length, 1);
  assert.equal(ev[0].sub_event_type, 'Agreement');
});

test('no date, not Arabic: warnings, and no crash on empty text', () => {
  const r = extract({ text: 'Clashes continued near Idlib on Sunday.' }, { gazetteer: builtin });
  assert.ok(r.warnings.some((w) => /no publication date/.test(w)));
  assert.ok(r.warnings.some((w) => /not Arabic/.test(w)));
  assert.deepEqual(extract({ text: '' }, { gazetteer: builtin }).events, []);
  assert.throws(() => extract({} as Article), /article.text/);
});

test('a headline that summarises the body event merges into it', () => {
  const a: Article = {
    title: 'مقتل 5 مدنيين بغارات روسية على إدلب',
    text: 'قتل خمسة مدنيين بينهم طفلان جراء غارة جوية روسية استهدفت بلدة كفرنبل بريف إدلب الجنوبي، وفق المرصد السوري.',
    date: '2020-01-26',
  };
  const r = extract(a, { gazetteer: builtin });
  checkEvidence(a, r);
  const ev = news(r);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].location?.name, 'Kafranbel');
  assert.deepEqual([...new Set(ev[0].evidence.event_type.map((x) => x.part))].sort(), ['text', 'title']);
});

test('several acts in one SOHR sentence, and "جراء القصف" referring back to one of them', () => {
  const r = run(
    'قصفت طائرات حربية روسية مناطق في بلدتي كفرزيتا واللطامنة بريف حماة الشمالي، فيما استهدفت قوات النظام بالقذائف الصاروخية أماكن في بلدة مورك، وسط اشتباكات متقطعة بين الطرفين. ووثق المرصد السوري مقتل عنصرين من الفصائل جراء القصف.',
    'Syria',
    '2019-05-20',
  );
  const ev = news(r);
  const air = ev.filter((e) => e.sub_event_type === 'Air/drone strike');
  assert.equal(air.length, 2, ev.map((e) => e.notes).join('\n'));
  assert.ok(air.every((e) => e.actor1?.name === 'Military Forces of Russia' && e.location?.admin1 === 'Hama'));
  const shell = ev.filter((e) => e.sub_event_type === 'Shelling/artillery/missile attack');
  assert.equal(shell.length, 1);
  assert.equal(shell[0].actor1?.name, 'Military Forces of Syria');
  // The two dead fighters are the shelling's (the act "القصف" refers to), not a new event's.
  assert.equal(shell[0].fatalities, 2);
  assert.equal(ev.reduce((s, e) => s + e.fatalities, 0), 2);
});

test('Yemen: an attack and its repulsion are one failed battle with both counts', () => {
  const ev = news(
    run('شن الحوثيون هجوماً على مواقع القوات الحكومية في محافظة مأرب، وقالت مصادر عسكرية إن القوات الحكومية صدت الهجوم وقتلت 15 من المهاجمين، فيما قتل 4 من الجنود.', 'Yemen', '2021-02-10'),
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].status, 'failed');
  assert.match(ev[0].actor1?.name ?? '', /Houthi/);
  assert.equal(ev[0].fatalities, 19);
});

test('a denial is not an event; a cumulative toll is a figure with its period', () => {
  assert.equal(news(run('نفت وزارة الدفاع الروسية قيام طائراتها بقصف مستشفى في ريف إدلب.')).length, 0);
  const r = run('وارتفع عدد القتلى منذ بدء الهجوم في نيسان/أبريل الماضي إلى أكثر من 1500 مدني، بحسب المرصد السوري.');
  assert.equal(news(r).length, 0);
  const f = r.figures.find((x) => x.kind === 'killed_cumulative');
  assert.equal(f?.value, 1500);
  assert.equal(f?.value_kind, 'at-least');
  assert.equal(f?.since, '2019-04');
  assert.equal(f?.source, 'المرصد السوري لحقوق الإنسان');
});

test('guided missiles fired by the factions: the dead regime soldiers are the target side, not the attacker', () => {
  const [e] = news(run('أفاد المرصد السوري لحقوق الإنسان بمقتل 7 عناصر من قوات النظام والمسلحين الموالين لها، وإصابة آخرين، جراء استهداف الفصائل لمواقعهم بصواريخ موجهة على محور جبل الأكراد في ريف اللاذقية الشمالي.'));
  assert.equal(e.sub_event_type, 'Shelling/artillery/missile attack');
  assert.equal(e.actor1?.name, 'Opposition Rebels (Syria)');
  assert.equal(e.actor2?.name, 'Military Forces of Syria');
  assert.equal(e.fatalities, 7);
  assert.equal(e.location?.admin1, 'Lattakia');
});

test('Libya: a drone "belonging to" Haftar\'s forces strikes GNA positions', () => {
  const [e] = news(run('قصفت طائرة مسيرة تابعة لقوات حفتر مواقع لقوات الوفاق في محور عين زارة جنوب طرابلس.', 'Libya'));
  assert.equal(e.sub_event_type, 'Air/drone strike');
  assert.match(e.actor1?.name ?? '', /LNA/);
  assert.equal(e.actor2?.name, 'Military Forces of Libya');
});

test('SANA: civilians killed by "terrorist" shelling are the victims, not the attackers', () => {
  const ev = news(run('استشهد مدنيان وأصيب ثلاثة آخرون جراء اعتداء المجموعات الإرهابية بالقذائف الصاروخية على بلدة جورين بريف حماة الشمالي الغربي. وأفاد مراسل سانا بأن وحدات الجيش ردت على مصادر إطلاق القذائف وكبدت الإرهابيين خسائر فادحة بالأفراد والعتاد.', 'Syria', '2021-08-30'));
  assert.equal(ev.length, 1);
  assert.equal(ev[0].sub_event_type, 'Shelling/artillery/missile attack');
  assert.equal(ev[0].actor1?.inter, 2);
  assert.equal(ev[0].actor2?.inter, 7);
  assert.equal(ev[0].fatalities, 2);
  assert.equal(ev[0].wounded, 3);
  assert.equal(ev[0].civilian_targeting, true);
});

test('Gaza: a headline and body strike are one event; the night of Saturday; displacement is a figure', () => {
  const a: Article = {
    country: 'Palestine',
    date: '2023-11-05',
    title: 'غزة: عشرات القتلى في غارات إسرائيلية على مخيم المغازي',
    text: 'قتل 47 فلسطينياً على الأقل وأصيب العشرات في غارة إسرائيلية استهدفت منزلاً في مخيم المغازي وسط قطاع غزة ليل السبت، وفق ما أعلنت وزارة الصحة في القطاع. وتقول الأمم المتحدة إن نحو 1.5 مليون شخص نزحوا داخل القطاع. وكانت الحرب قد اندلعت إثر هجوم غير مسبوق شنته حماس على جنوب إسرائيل في السابع من تشرين الأول/أكتوبر.',
  };
  const r = extract(a, { gazetteer: builtin });
  checkEvidence(a, r);
  const air = news(r).filter((e) => e.sub_event_type === 'Air/drone strike');
  assert.equal(air.length, 1);
  assert.equal(air[0].fatalities, 47);
  assert.equal(air[0].event_date, '2023-11-04');
  assert.equal(air[0].actor1?.name, 'Military Forces of Israel');
  assert.ok(!news(r).some((e) => e.event_date === '2023-10-07'), 'the 7 October attack is background');
  const f = r.figures.find((x) => x.kind === 'displaced');
  assert.equal(f?.value, 1500000);
  assert.equal(f?.source, 'الأمم المتحدة');
});

test('all 6 event types and 25 sub-event types are reachable from report sentences', () => {
  const cases: [string, string, string][] = [
    ['Syria', 'ألقى مجهول قنبلة يدوية على محل تجاري في مدينة الباب بريف حلب الشرقي، ما أدى إلى إصابة شخصين.', 'Grenade'],
    ['Syria', 'قصفت قوات النظام بلدة كفرزيتا بقذائف تحوي غاز الكلور، ما أدى إلى إصابة 15 مدنياً بحالات اختناق.', 'Chemical weapon'],
    ['Sudan', 'وثقت منظمات حقوقية حالات اغتصاب ارتكبها عناصر من قوات الدعم السريع في مدينة الجنينة.', 'Sexual violence'],
    ['Iraq', 'أحرق محتجون غاضبون مقر حزب الدعوة في مدينة الناصرية ورشقوا قوات الأمن بالحجارة.', 'Violent demonstration'],
    ['Lebanon', 'اعتدى حشد غاضب على سوريين في بلدة بشري بعد مقتل شاب من البلدة.', 'Mob violence'],
    ['Syria', 'أعلنت فصائل في ريف حلب الشمالي اندماجها في تشكيل عسكري جديد تحت اسم الجبهة السورية للتحرير.', 'Change to group/activity'],
    ['Syria', 'أنشأت القوات التركية نقطة عسكرية جديدة في بلدة معرة النعسان بريف إدلب الشرقي.', 'Headquarters or base established'],
    ['Syria', 'أقدم عناصر من الجيش الوطني على نهب منازل المدنيين في مدينة رأس العين بعد السيطرة عليها.', 'Looting/property destruction'],
    ['Syria', 'انسحبت قوات سوريا الديمقراطية من مدينة منبج وتسلمت قوات النظام مواقعها بموجب اتفاق مع الجانب الروسي.', 'Non-violent transfer of territory'],
    ['Syria', 'وصلت تعزيزات عسكرية ضخمة لقوات النظام إلى محاور ريف إدلب الجنوبي.', 'Other'],
    ['Palestine', 'أطلقت القوات الإسرائيلية الرصاص الحي على المتظاهرين قرب السياج الفاصل شرق مدينة غزة، ما أدى إلى مقتل متظاهر.', 'Excessive force against protesters'],
  ];
  const seen = new Set<string>();
  for (const [country, text, sub] of cases) {
    const ev = news(run(text, country));
    assert.deepEqual(ev.map((e) => e.sub_event_type), [sub], text);
    seen.add(sub);
  }
  // Together with the tests above, every ACLED sub-event type is produced at least once by a
  // sentence; and the trigger lexicon names each of them.
  const lexicon = readFileSync(new URL('../../lexicon/triggers.tsv', import.meta.url), 'utf8');
  const ALL = [
    'Armed clash', 'Government regains territory', 'Non-state actor overtakes territory', 'Air/drone strike',
    'Shelling/artillery/missile attack', 'Remote explosive/landmine/IED', 'Suicide bomb', 'Grenade', 'Chemical weapon',
    'Attack', 'Abduction/forced disappearance', 'Sexual violence', 'Peaceful protest', 'Protest with intervention',
    'Excessive force against protesters', 'Violent demonstration', 'Mob violence', 'Agreement', 'Arrests',
    'Change to group/activity', 'Disrupted weapons use', 'Headquarters or base established', 'Looting/property destruction',
    'Non-violent transfer of territory', 'Other',
  ];
  assert.equal(ALL.length, 25);
  const takeovers = ['Government regains territory', 'Non-state actor overtakes territory'];
  for (const s of ALL) if (!takeovers.includes(s)) assert.ok(lexicon.includes(`\t${s}\t`), s);
});

test('without a country, the country is read from the text', () => {
  const r = extract({ text: 'انفجرت عبوة ناسفة على دورية للجيش العراقي في قضاء الطارمية شمال بغداد، ما أسفر عن مقتل جندي.', date: '2020-01-26' }, { gazetteer: builtin });
  assert.equal(news(r)[0].actor2?.name, 'Military Forces of Iraq');
  assert.equal(news(r)[0].location?.country, 'Iraq');
});

test('a rising toll of one strike is its count; a toll since a date is a figure', () => {
  const [e] = news(run('ارتفعت حصيلة قتلى الغارة الجوية الروسية على بلدة كفرنبل بريف إدلب الجنوبي إلى 12 مدنياً، بحسب المرصد السوري.'));
  assert.equal(e.sub_event_type, 'Air/drone strike');
  assert.equal(e.fatalities, 12);
  const r = run('وقتل أكثر من 300 مدني منذ مطلع كانون الأول/ديسمبر في ريف إدلب، بحسب المرصد السوري.');
  assert.equal(news(r).reduce((s, x) => s + x.fatalities, 0), 0);
  assert.equal(r.figures.find((f) => f.kind === 'killed_cumulative')?.value, 300);
});

test('any text: no exception, and every evidence span is the original words (property)', async () => {
  const fc = await import('fast-check');
  const words = ['قصف', 'غارة', 'اشتباكات', 'بين', 'قوات', 'النظام', 'الفصائل', 'من جهة', 'على', 'محاور', 'خلصة', 'والحميرة', 'مقتل', '4', 'عناصر', 'و8', 'عشرات', 'القتلى', 'الطرفين', 'الجبهتين', 'منذ', 'العام', '2015', 'الأحد', 'أمس', 'وفق', 'المرصد', 'السوري', 'إدلب', 'حلب', 'سيطرت', 'تحت سيطرة', 'لم', 'نفت', 'ستشمل', 'كانت', 'قد', '،', '.', '.,', '"', '\n', 'ـ', 'ً', '٣٥٠', 'ألف', 'نازح', 'تؤوي', 'ﻻ', 'abc', '🙂', ' '];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...words), { maxLength: 60 }), fc.array(fc.constantFrom(...words), { maxLength: 8 }), (body, title) => {
      const a: Article = { text: body.join(' '), title: title.join(' '), date: '2020-01-26' };
      const r = extract(a, { gazetteer: builtin });
      const src = { title: a.title ?? '', text: a.text };
      for (const e of r.events) {
        for (const ev of Object.values(e.evidence).flat()) assert.equal(ev.text, src[ev.part].slice(ev.start, ev.end));
        assert.ok(Number.isInteger(e.fatalities) && e.fatalities >= 0);
        assert.equal(typeof e.notes, 'string');
      }
      for (const m of r.mentions) assert.equal(m.text, src[m.part].slice(m.start, m.end));
    }),
    { numRuns: 150, seed: 20200126 },
  );
});

test('a vague strategic word with no conflict actor is not an event', () => {
  assert.equal(news(run('وقعت الحكومة اتفاقاً تجارياً جديداً لتصدير زيت الزيتون.')).length, 0);
});

test('an AFP/SOHR report in paragraphs: headline merged without its coarse place, back-reference, per-side toll, period figure', () => {
  const a: Article = {
    date: '2019-12-24',
    title: 'مقتل 8 مدنيين بغارات روسية على ريف إدلب',
    text: `قتل ثمانية مدنيين بينهم خمسة أطفال الثلاثاء جراء غارات روسية استهدفت قرية جوباس قرب مدينة سراقب في ريف إدلب الشرقي، وفق ما أفاد المرصد السوري لحقوق الإنسان.
وقال مدير المرصد رامي عبد الرحمن لوكالة فرانس برس إن الغارات استهدفت محيط مدرسة كان يلجأ إليها نازحون.
وفي ريف إدلب الجنوبي، تدور اشتباكات عنيفة بين قوات النظام من جهة والفصائل الجهادية من جهة ثانية في محيط بلدة جرجناز، أسفرت منذ صباح اليوم عن مقتل 17 عنصراً من قوات النظام و12 من الفصائل.
ومنذ منتصف الشهر الحالي، نزح أكثر من 80 ألف شخص من ريف إدلب الجنوبي، وفق الأمم المتحدة.`,
  };
  const r = extract(a, { gazetteer: builtin });
  checkEvidence(a, r);
  const ev = news(r);
  assert.deepEqual(ev.map((e) => e.sub_event_type), ['Air/drone strike', 'Armed clash']);
  const [air, clash] = ev;
  assert.equal(air.fatalities, 8);
  assert.equal(air.location?.name_ar, 'جوباس');
  assert.equal(air.reported_by, 'المرصد السوري لحقوق الإنسان');
  assert.equal(clash.fatalities, 29);
  assert.equal(clash.fatalities_by_side?.['Military Forces of Syria'], 17);
  assert.equal(clash.actor1?.name, 'Military Forces of Syria');
  const f = r.figures.find((x) => x.kind === 'displaced');
  assert.equal(f?.value, 80000);
  assert.equal(f?.since, '2019-12');
});

test('Iraq, Yemen, Libya, Syria: casualties inside "لقي ... مصرعهم", civilians after "بينهم", a capture announced as a noun, a drone on an SDF car', () => {
  const [iq] = news(run('لقي ثلاثة من عناصر الحشد الشعبي مصرعهم وأصيب اثنان آخران بهجوم لمسلحي داعش على نقطة تفتيش في قضاء خانقين بمحافظة ديالى.', 'Iraq'));
  assert.equal(iq.sub_event_type, 'Armed clash');
  assert.deepEqual([iq.fatalities, iq.wounded], [3, 2]);
  assert.match(iq.actor1?.name ?? '', /Islamic State/);
  assert.match(iq.actor2?.name ?? '', /Popular Mobilization/);
  const [ye] = news(run('قتل خمسة أشخاص بينهم امرأة وطفل في قصف مدفعي حوثي استهدف حياً سكنياً في مدينة تعز، حسبما أفادت مصادر طبية.', 'Yemen'));
  assert.equal(ye.sub_event_type, 'Shelling/artillery/missile attack');
  assert.equal(ye.fatalities, 5);
  assert.equal(ye.civilian_targeting, true);
  assert.equal(ye.location?.admin1, 'Taizz');
  const [ly] = news(run('أعلنت قوات الوفاق سيطرتها على مدينة ترهونة بعد انسحاب قوات حفتر منها.', 'Libya'));
  assert.equal(ly.sub_event_type, 'Government regains territory');
  assert.match(ly.actor2?.name ?? '', /LNA/);
  const [sy] = news(run('استهدفت طائرة مسيرة تركية سيارة لقوات سوريا الديمقراطية على طريق القامشلي - عامودا، ما أدى لمقتل عنصرين.'));
  assert.equal(sy.sub_event_type, 'Air/drone strike');
  assert.equal(sy.actor1?.name, 'Military Forces of Turkey');
  assert.equal(sy.actor2?.side, 'kurdish');
  assert.equal(sy.fatalities, 2);
});

test('a pluperfect with a recent date is news; without one it is history', () => {
  const [e] = news(run('وكانت طائرات حربية روسية قد شنت أمس غارات على مدينة معرة النعمان، وفق المرصد السوري.'));
  assert.equal(e?.sub_event_type, 'Air/drone strike');
  assert.equal(e.event_date, '2020-01-25');
  assert.equal(news(run('وكانت طائرات حربية روسية قد شنت غارات على مدينة معرة النعمان.')).length, 0);
});

test('malformed article fields: a non-string title or country, an impossible date', () => {
  const r = extract({ text: 'قصفت قوات النظام بلدة كفرنبل.', title: 42 as unknown as string, country: 7 as unknown as string, date: '2020-13-45' }, { gazetteer: builtin });
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0].event_date, null);
  assert.ok(r.warnings.some((w) => /no publication date/.test(w)));
});

test('an act with no place in reach is placed, as a region only, at the place the report opens with', () => {
  const r = run('تشهد مدينة درعا توتراً أمنياً منذ أيام.\nوتحدث ناشطون عن حالة من الترقب بين السكان.\nكما أغلقت المحال التجارية أبوابها.\nوسقطت قذائف هاون ليلاً دون وقوع إصابات.');
  const [e] = news(r);
  assert.equal(e.sub_event_type, 'Shelling/artillery/missile attack');
  assert.equal(e.location?.admin1, 'Dara');
  assert.equal(e.location?.geo_precision, 3);
  assert.equal(e.evidence.location[0].text, 'درعا');
});

test('Lebanon: a response targets the author of the act before it', () => {
  const ev = news(run('أطلق حزب الله صواريخ على مواقع للجيش الإسرائيلي في مزارع شبعا المحتلة، ورد الجيش الإسرائيلي بقصف مدفعي على أطراف بلدة كفرشوبا.', 'Lebanon'));
  assert.equal(ev.length, 2);
  assert.deepEqual([ev[0].actor1?.name, ev[0].actor2?.name], ['Hezbollah', 'Military Forces of Israel']);
  assert.deepEqual([ev[1].actor1?.name, ev[1].actor2?.name], ['Military Forces of Israel', 'Hezbollah']);
});
