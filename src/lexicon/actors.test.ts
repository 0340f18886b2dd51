import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize } from '../text/normalize.js';
import { findActors, inferCountry, actorByName, actorById, actorEntries, resolveCountry, parseActorRows, type ActorMention } from './actors.js';
import { LexiconError, parseTable } from './table.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const SEED_DIR = SHARED + 'seed/';
const SEED = readFileSync(SEED_DIR + readdirSync(SEED_DIR).filter((f) => f.endsWith('.txt')).sort()[0], 'utf8');

const find = (s: string, country?: string) => findActors(normalize(s), country ? { country } : undefined);
const find2 = (s: string, country: string, date: string | null) => findActors(normalize(s), { country, date });
const brief = (ms: ActorMention[]) => ms.map((m) => `${m.surface}=${m.entry.name}/${m.entry.inter}${m.associated ? '+assoc' : ''}`);

test('seed: both sides of the Khalsa/Hamira clash, with the associated militia', () => {
  const s =
    'إن اشتباكات عنيفة مستمرة بين الفصائل والمجموعات المعارضة من جهة وقوات النظام والمسلحين الموالين لها من جهة أُخرى على محاور خلصة والحميرة جنوب حلب';
  assert.deepEqual(brief(find(s, 'Syria')), [
    'الفصائل=Opposition Rebels (Syria)/2',
    'المجموعات المعارضة=Opposition Rebels (Syria)/2',
    'قوات النظام=Military Forces of Syria/1',
    'المسلحين الموالين لها=Pro-Government Militia (Syria)/3+assoc',
  ]);
  const m = find(s, 'Syria');
  // Offsets point after the proclitic: "وقوات" -> "قوات".
  assert.equal(m[2].proclitic, 'و');
  assert.equal(m[1].proclitic, 'و');
});

test('seed: Russian air strikes by noun phrase and by nationality adjective', () => {
  const a = find('وسط معارك ضارية تشهدها المنطقة وقصف جوي من الطائرات الروسية تشهدها محاور القتال', 'Syria');
  assert.deepEqual(brief(a), ['الطائرات الروسية=Military Forces of Russia/8']);
  const b = find('ولا تزال الاشتباكات مستمرة على الجبهتين يرافقها قصف جوي روسي وسوري', 'Syria');
  assert.deepEqual(brief(b), ['روسي=Military Forces of Russia/8', 'سوري=Military Forces of Syria/1']);
  assert.ok(b.every((m) => m.adjectival));
  const c = find('تصعد قوات النظام بدعم روسي قصفها للمحافظة', 'Syria');
  assert.deepEqual(brief(c), ['قوات النظام=Military Forces of Syria/1', 'روسي=Military Forces of Russia/8']);
});

test('seed: HTS with its former name in parentheses is one mention', () => {
  const m = find('تحت سيطرة هيئة تحرير الشام (جبهة النصرة سابقاً) وتنشط فيها فصائل معارضة أخرى', 'Syria');
  assert.deepEqual(brief(m), [
    'هيئة تحرير الشام (جبهة النصرة سابقاً)=Hayat Tahrir al-Sham/2',
    'فصائل معارضة=Opposition Rebels (Syria)/2',
  ]);
  assert.deepEqual(brief(find('عناصر من جبهة النصرة', 'Syria')), ['جبهة النصرة=Hayat Tahrir al-Sham/2']);
});

test('seed: "الجيش" and "النظام السوري" resolve to the Syrian military; adjectives continue a mention', () => {
  const m = find('وكتبت صحيفة الوطن المقربة من النظام السوري أن الجيش بات "قاب قوسين من معرة النعمان"', 'Syria');
  assert.deepEqual(brief(m), ['النظام السوري=Military Forces of Syria/1', 'الجيش=Military Forces of Syria/1']);
  // The regime is named as the paper's patron, not as acting; the army is acting.
  assert.equal(m[0].backer, true);
  assert.equal(m[1].backer, undefined);
  const c = find('ومنذ سيطرة الفصائل المعارضة والمقاتلة على كامل المحافظة في العام 2015', 'Syria');
  assert.deepEqual(brief(c), ['الفصائل المعارضة والمقاتلة=Opposition Rebels (Syria)/2']);
});

test('seed: the whole article, without a country given, is read as Syria', () => {
  const nt = normalize(SEED);
  assert.equal(inferCountry(nt), 'Syria');
  const ms = findActors(nt);
  const names = new Set(ms.map((m) => m.entry.name));
  for (const n of ['Military Forces of Syria', 'Opposition Rebels (Syria)', 'Military Forces of Russia', 'Hayat Tahrir al-Sham'])
    assert.ok(names.has(n), n);
  // Every surface is the original text at the mapped offsets.
  for (const m of ms) assert.ok(SEED.includes(m.surface), m.surface);
  // Sources and outlets are not actors.
  assert.ok(!ms.some((m) => /المرصد|سانا|الوطن|الأمم المتحدة/.test(m.surface)));
});

test('Syria: other actors of the war, with their codes in Syria', () => {
  const cases: [string, string, number][] = [
    ['شنت الطائرات الحربية التركية غارات على مواقع لقوات سوريا الديمقراطية (قسد) في ريف الحسكة', 'Military Forces of Turkey', 8],
    ['شنت الطائرات الحربية التركية غارات على مواقع لقوات سوريا الديمقراطية (قسد) في ريف الحسكة', 'QSD: Syrian Democratic Forces', 2],
    ['اشتباكات بين فصائل الجيش الوطني السوري الموالية لأنقرة ووحدات حماية الشعب الكردية قرب منبج', 'Syrian National Army', 2],
    ['اشتباكات بين فصائل الجيش الوطني السوري الموالية لأنقرة ووحدات حماية الشعب الكردية قرب منبج', "YPG: People's Protection Units", 2],
    ['هاجمت خلايا تنظيم "داعش" نقطة لقوات النظام في بادية الميادين', 'Islamic State (Syria)', 2],
    ['قتل عنصران من ميليشيا لواء فاطميون الأفغاني بقصف إسرائيلي', 'Liwa Fatemiyoun', 8],
    ['قتل عنصران من ميليشيا لواء فاطميون الأفغاني بقصف إسرائيلي', 'Military Forces of Israel', 8],
    ['استهدف حزب الله اللبناني بالصواريخ مواقع في القصير', 'Hezbollah', 8],
    ['نفذت قوات التحالف الدولي بقيادة الولايات المتحدة عملية إنزال جوي في ريف دير الزور', 'Coalition Forces', 8],
    ['كمين لقوات الدفاع الوطني في ريف حماة الشرقي', 'NDF: National Defense Forces', 3],
    ['أطلق مسلحون مجهولون النار على مواطن في مدينة درعا', 'Unidentified Armed Group (Syria)', 3],
    ['أطلق مسلحون مجهولون النار على مواطن في مدينة درعا', 'Civilians (Syria)', 7],
    ['خرج متظاهرون في مدينة السويداء مطالبين بإسقاط النظام', 'Protesters (Syria)', 6],
    ['سيطرت حركة أحرار الشام على حاجز للجبهة الوطنية للتحرير', 'Ahrar al-Sham', 2],
    ['سيطرت حركة أحرار الشام على حاجز للجبهة الوطنية للتحرير', 'National Front for Liberation', 2],
    ['قصفت قوات النمر بقيادة العميد سهيل الحسن مواقع الفصائل', 'Military Forces of Syria', 1],
    ['استهدفت القوات الإيرانية والميليشيات الموالية لإيران في البوكمال', 'Pro-Iran Militia (Syria)', 8],
  ];
  for (const [s, name, inter] of cases) {
    const m = find(s, 'Syria').find((x) => x.entry.name === name);
    assert.ok(m, `${name} in: ${s} -> ${brief(find(s, 'Syria')).join(', ')}`);
    assert.equal(m.entry.inter, inter, name);
  }
});

test('Yemen, Sudan, Gaza, Lebanon, Iraq, Libya: names and codes as coded in that country', () => {
  const check = (s: string, country: string | undefined, want: [string, number][]) => {
    const got = find(s, country).map((m) => [m.entry.name, m.entry.inter] as [string, number]);
    for (const w of want) assert.ok(got.some((g) => g[0] === w[0] && g[1] === w[1]), `${w[0]}/${w[1]} in ${s}: ${JSON.stringify(got)}`);
  };
  check('قصفت طائرات التحالف العربي بقيادة السعودية مواقع لجماعة الحوثي في صعدة', 'Yemen', [
    ['Military Forces of Saudi Arabia', 8],
    ['Military Forces of Yemen (Houthi)', 1],
  ]);
  check('اشتباكات بين الجيش السوداني وقوات الدعم السريع في الخرطوم', 'Sudan', [
    ['Military Forces of Sudan', 1],
    ['RSF: Rapid Support Forces', 2],
  ]);
  check('قتل ثلاثة فلسطينيين برصاص الجيش الإسرائيلي في جنين', 'Palestine', [
    ['Civilians (Palestine)', 7],
    ['Military Forces of Israel', 8],
  ]);
  check('قصفت المدفعية الإسرائيلية أطراف بلدة كفركلا فيما استهدف حزب الله موقعاً إسرائيلياً', 'Lebanon', [
    ['Military Forces of Israel', 8],
    ['Hezbollah', 3],
  ]);
  check('شن الحشد الشعبي بإسناد من طيران الجيش العراقي عملية ضد خلايا داعش في صحراء الأنبار', 'Iraq', [
    ['PMF: Popular Mobilization Forces', 3],
    ['Military Forces of Iraq', 1],
    ['Islamic State (Iraq)', 2],
  ]);
  check('اندلعت اشتباكات بين قوات حفتر وقوات حكومة الوفاق جنوب طرابلس', 'Libya', [
    ['LNA: Libyan National Army', 1],
    ['Military Forces of Libya', 1],
  ]);
});

test('generic words take the article country; the army in a Gaza report is Israel\'s', () => {
  assert.equal(find('اقتحم الجيش مخيم جنين', 'Palestine')[0].entry.name, 'Military Forces of Israel');
  assert.equal(find('انتشر الجيش في شوارع المدينة', 'Lebanon')[0].entry.name, 'Military Forces of Lebanon');
  assert.equal(find('قتل مدنيان بقصف', 'Sudan')[0].entry.name, 'Civilians (Sudan)');
  const chad = find('هاجم مسلحون مجهولون قرية وقتلوا مدنيين', 'Chad');
  assert.deepEqual(brief(chad), ['مسلحون مجهولون=Unidentified Armed Group (Chad)/3', 'مدنيين=Civilians (Chad)/7']);
  // A country's own army in that country is state forces, not foreign.
  assert.equal(find('أعلن الجيش الإسرائيلي اعتراض صاروخ', 'Israel')[0].entry.inter, 1);
  // A foreign actor outside its home country is external (8).
  assert.equal(find('وصل مقاتلون من الحشد الشعبي إلى البوكمال', 'Syria').find((m) => m.entry.name.startsWith('PMF'))?.entry.inter, 8);
});

test('country inference from the text; Hezbollah code changes with the country', () => {
  assert.equal(inferCountry(normalize('قصف حوثي على مأرب وغارات على صنعاء')), 'Yemen');
  assert.equal(inferCountry(normalize('اشتباكات في الفاشر بين الجيش والدعم السريع')), 'Sudan');
  assert.equal(inferCountry(normalize('كلام عام بلا مكان')), null);
  const lb = find('استهدف حزب الله موقعاً للجيش الإسرائيلي في مزارع شبعا انطلاقاً من جنوب لبنان');
  assert.equal(lb.find((m) => m.entry.name === 'Hezbollah')?.entry.inter, 3);
  assert.equal(find('حزب الله', 'Syria')[0].entry.inter, 8);
  assert.equal(resolveCountry('syria'), 'Syria');
  assert.equal(resolveCountry('غزة'), 'Palestine');
});

test('common words are not actors', () => {
  assert.deepEqual(brief(find('أكدت الدولة السورية التزامها بالاتفاق', 'Syria')), []);
  assert.deepEqual(brief(find('عقد مجلس الأمن الدولي جلسة طارئة حول الوضع الإنساني', 'Syria')), []);
  assert.deepEqual(brief(find('وقع هجوم مسلح على منشآت مدنية', 'Syria')), []);
  assert.deepEqual(brief(find('وأعلنت منظمة الدفاع المدني انتشال الضحايا', 'Syria')), []);
  // "الدولة الإسلامية" is ISIS, "الدولة" alone is not.
  assert.equal(find('هاجم مسلحو تنظيم الدولة الإسلامية حاجزاً', 'Syria')[0].entry.name, 'Islamic State (Syria)');
});

test('lexicon shape: every entry has a valid inter code and Syria is covered', () => {
  const sy = actorEntries('Syria');
  assert.ok(sy.length >= 30, `only ${sy.length} entries for Syria`);
  for (const e of sy) assert.ok(e.inter >= 1 && e.inter <= 8 && e.name && !e.name.includes('{country}'));
  assert.equal(actorByName('Hezbollah', 'Lebanon')?.inter, 3);
  assert.equal(actorByName('Military Forces of Turkey', 'Iraq')?.inter, 8);
});

test('spans: "لل" stays whole, "بقيادة" + the same actor is one mention, a nationality after a target noun is not an actor', () => {
  const a = find('شن الطيران الحربي التابع للجيش غارات على تجمعات للدعم السريع في نيالا', 'Sudan');
  assert.deepEqual(brief(a), ['الطيران الحربي التابع للجيش=Military Forces of Sudan/1', 'للدعم السريع=RSF: Rapid Support Forces/2']);
  assert.equal(a[1].proclitic, 'ل');
  assert.deepEqual(brief(find('قصفت طائرات التحالف العربي بقيادة السعودية مواقع لجماعة الحوثي في صعدة', 'Yemen')), [
    'طائرات التحالف العربي بقيادة السعودية=Military Forces of Saudi Arabia/8',
    'جماعة الحوثي=Military Forces of Yemen (Houthi)/1',
  ]);
  // "آلية عسكرية إسرائيلية" is the target; "طائرات حربية إسرائيلية" is the attacker.
  assert.deepEqual(brief(find('أعلنت كتائب القسام استهداف آلية عسكرية إسرائيلية شرق خان يونس', 'Palestine')), ['كتائب القسام=Hamas Movement/3']);
  assert.deepEqual(brief(find('شنت طائرات حربية إسرائيلية غارات على ريف دمشق', 'Syria')), ['إسرائيلية=Military Forces of Israel/8']);
});

test('plural nationality nouns after military nouns; ISO codes; lookup by lexicon id', () => {
  assert.deepEqual(brief(find('قتل ثلاثة جنود أتراك بانفجار عبوة ناسفة قرب الباب', 'Syria')), ['أتراك=Military Forces of Turkey/8']);
  assert.deepEqual(brief(find('أصيب عسكريون روس بهجوم بطائرات مسيرة', 'SY')), ['روس=Military Forces of Russia/8']);
  // A nationality after a non-military noun names people, not forces.
  assert.deepEqual(brief(find('عاد لاجئون سوريون من لبنان', 'Lebanon')), ['لاجئون=Civilians (Lebanon)/7']);
  assert.equal(actorById('sy-reb', 'Syria')?.name, 'Opposition Rebels (Syria)');
  assert.equal(actorById('gen-civ', 'Yemen')?.name, 'Civilians (Yemen)');
  assert.equal(actorById('sy-hezbollah', 'Lebanon')?.inter, 3);
  assert.equal(actorById('sy-is', 'Libya')?.name, 'Islamic State (Libya)');
  assert.equal(actorById('nope', 'Syria'), null);
});

test('blocker phrases and generic words re-aimed by a nationality', () => {
  assert.deepEqual(brief(find('انهار النظام الصحي في إدلب بعد قصف قوات النظام للمستشفيات', 'Syria')), ['قوات النظام=Military Forces of Syria/1']);
  assert.deepEqual(brief(find('ناقش مجلس الأمن الدولي حماية المدنيين في غزة', 'Palestine')), []);
  assert.deepEqual(brief(find('قتل اثنان من الجنود الأتراك بهجوم صاروخي', 'Syria')), ['الجنود الأتراك=Military Forces of Turkey/8']);
  assert.deepEqual(brief(find('اعتقلت الشرطة الإسرائيلية شابين من حي سلوان', 'Palestine')), [
    'الشرطة الإسرائيلية=Military Forces of Israel/8',
    'شابين=Civilians (Palestine)/7',
  ]);
  // A generic word for forces "belonging to" a named actor is that actor.
  assert.deepEqual(brief(find('شنت الطائرات الحربية التابعة للتحالف الدولي غارات على مواقع داعش', 'Syria')), [
    'الطائرات الحربية التابعة للتحالف الدولي=Coalition Forces/8',
    'داعش=Islamic State (Syria)/2',
  ]);
  // Civilians keep the article's country whatever their nationality (ACLED codes civilians by location).
  assert.equal(find('وصل المدنيين السوريين إلى بلدة عرسال', 'Lebanon')[0].entry.name, 'Civilians (Lebanon)');
});

test('bad input: empty text gives nothing, a non-text is a clear error, a bad lexicon row names itself', () => {
  assert.deepEqual(find(''), []);
  assert.deepEqual(find('... 123 !!! abc'), []);
  assert.throws(() => findActors(null as never), /expected a NormalizedText/);
  const bad = parseTable('id\tname\tinter\tside\tcountry\tkind\taliases\tlocal\tassociated\nx-1\tSomeone\t9\tside\tSyria\trebel\tشخص\t\t\n');
  assert.throws(() => parseActorRows(bad), (e: unknown) => e instanceof LexiconError && /x-1: inter must be 1-8/.test(String(e)));
});

test('backers: "الموالية لـ" / "المدعومة من" mark the second actor as backer and the first as its client', () => {
  const m = find('اشتبكت قوات الأسايش مع عناصر من ميليشيا الدفاع الوطني الموالية للنظام في القامشلي', 'Syria');
  assert.deepEqual(brief(m), [
    'قوات الأسايش=Asayish: Kurdish Internal Security Forces/2',
    'ميليشيا الدفاع الوطني=NDF: National Defense Forces/3',
    'للنظام=Military Forces of Syria/1',
  ]);
  assert.equal(m[2].backer, true);
  assert.equal(m[1].patron?.name, 'Military Forces of Syria');
  assert.equal(m[0].backer, undefined);
  const y = find('هاجمت قوات الانتقالي الجنوبي المدعومة من الإمارات مواقع القوات الحكومية في شبوة', 'Yemen');
  assert.equal(y.find((x) => x.entry.name.startsWith('Military Forces of the United Arab'))?.backer, true);
  assert.equal(y.find((x) => x.entry.name.startsWith('STC'))?.patron?.name, 'Military Forces of the United Arab Emirates');
  assert.equal(y.find((x) => x.entry.name === 'Military Forces of Yemen')?.backer, undefined);
});

test('"X التابعة لـ Y": a unit named with its owner is the owner, quotes and tatweel included', () => {
  // SNA corps, HTS's General Security, a Saraya al-Quds battalion (AFP / Enab Baladi / WAFA style).
  assert.deepEqual(brief(find('سيطرت هيئة تحرير الشام على مدينة عفرين بعد انسحاب مقاتلي "الفيلق الثالث" التابع لـ"الجيش الوطني السوري" منها', 'Syria')), [
    'هيئة تحرير الشام=Hayat Tahrir al-Sham/2',
    'الفيلق الثالث" التابع لـ"الجيش الوطني السوري=Syrian National Army/2',
  ]);
  assert.deepEqual(brief(find('فرّقت قوات "الأمن العام" التابعة لـ"هيئة تحرير الشام" بالقوة مظاهرة في مدينة إدلب', 'Syria')), [
    'قوات "الأمن العام" التابعة لـ"هيئة تحرير الشام=Hayat Tahrir al-Sham/2',
  ]);
  const pij = find('وأعلنت "كتيبة جنين" التابعة لـ"سرايا القدس" أن مقاتليها يخوضون اشتباكات ضارية مع القوات المقتحمة', 'Palestine');
  assert.deepEqual(brief(pij), ['كتيبة جنين" التابعة لـ"سرايا القدس=PIJ: Palestinian Islamic Jihad/3', 'القوات المقتحمة=Military Forces of Israel/8']);
  // The owner is the actor, never a backer; after a plain noun it is an ordinary mention.
  assert.ok(pij.every((m) => !m.backer));
  const lna = find('وشنّ طيران تابع لقوات حفتر صباح اليوم غارات على مواقع لقوات الوفاق', 'Libya');
  assert.deepEqual(brief(lna), ['قوات حفتر=LNA: Libyan National Army/1', 'قوات الوفاق=Military Forces of Libya/1']);
  assert.equal(lna[0].backer, undefined);
  // Security services owned by the country's own forces stay the police (ACLED: Police Forces of X).
  assert.deepEqual(brief(find('شنت الأجهزة الأمنية التابعة للنظام حملة دهم واعتقالات في مدينة نوى', 'Syria')), [
    'الأجهزة الأمنية التابعة للنظام=Police Forces of Syria/1',
  ]);
  assert.deepEqual(brief(find('إثر إطلاق عناصر من قوات الأمن التابعة للنظام السوري النار على محتجين', 'Syria')), [
    'قوات الأمن التابعة للنظام السوري=Police Forces of Syria/1',
    'محتجين=Protesters (Syria)/6',
  ]);
  // ... but a security force owned by another armed actor is that actor.
  assert.deepEqual(brief(find('اعتقلت قوات "الحزام الأمني" التابعة للانتقالي عدداً من الضباط', 'Yemen')), [
    'قوات "الحزام الأمني" التابعة للانتقالي=STC: Southern Transitional Council/3',
  ]);
});

test('backers ("المدعوم من", "الموالي لـ") stay flagged, and the client is found past an adjective', () => {
  const y = find('سيطرت قوات المجلس الانتقالي الجنوبي الانفصالي المدعوم من الإمارات على قصر المعاشيق بعد اشتباكات مع قوات الحماية الرئاسية', 'Yemen');
  assert.deepEqual(brief(y), [
    'قوات المجلس الانتقالي الجنوبي الانفصالي=STC: Southern Transitional Council/3',
    'الإمارات=Military Forces of the United Arab Emirates/8',
    'قوات الحماية الرئاسية=Military Forces of Yemen/1',
  ]);
  assert.equal(y[1].backer, true);
  assert.equal(y[0].patron?.name, 'Military Forces of the United Arab Emirates');
  assert.equal(y[2].backer, undefined);
  const s = find('اشتباكات بين مقاتلي "قسد" وفصائل "الجيش الوطني السوري" الموالي لأنقرة على أطراف البلدة', 'Syria');
  assert.equal(s.find((m) => m.entry.name === 'Military Forces of Turkey')?.backer, true);
  assert.equal(s.find((m) => m.entry.name === 'Syrian National Army')?.patron?.name, 'Military Forces of Turkey');
  // A unit, its owner and the owner's backer: one SNA mention, Turkey a backer.
  const c = find('بعد انسحاب مقاتلي "الفيلق الثالث" التابع لـ"الجيش الوطني السوري" المدعوم من تركيا', 'Syria');
  assert.deepEqual(brief(c), ['الفيلق الثالث" التابع لـ"الجيش الوطني السوري=Syrian National Army/2', 'تركيا=Military Forces of Turkey/8']);
  assert.equal(c[1].backer, true);
  // Indefinite pro-Iran groups are the militia itself, not a backer Iran.
  assert.deepEqual(brief(find('طالت الضربات مستودعات أسلحة ومواقع لمجموعات موالية لإيران في منطقة الكسوة', 'Syria')), [
    'مجموعات موالية لإيران=Pro-Iran Militia (Syria)/8',
  ]);
});

test('allies with "المسنودة بـ" are associated, not a side of their own', () => {
  const m = find('وإن القوات الحكومية المسنودة برجال القبائل تمكنت من صد الهجوم', 'Yemen');
  assert.deepEqual(brief(m), ['القوات الحكومية=Military Forces of Yemen/1', 'رجال القبائل=Unidentified Clan Militia (Yemen)/4+assoc']);
});

test('unknown perpetrators and tribal fighters', () => {
  assert.deepEqual(brief(find('قُتلت سيدة وطفلها برصاص قناص مجهول في أحد أحياء البلدة', 'Syria')), [
    'سيدة=Civilians (Syria)/7',
    'قناص مجهول=Unidentified Armed Group (Syria)/3',
  ]);
  assert.deepEqual(brief(find('اغتال مجهولون يستقلون دراجة نارية، مساء الاثنين، شاباً في مدينة جاسم', 'Syria')), [
    'مجهولون=Unidentified Armed Group (Syria)/3',
    'شاباً=Civilians (Syria)/7',
  ]);
  assert.deepEqual(brief(find('اقتحم أشخاص مجهولون منزلاً في بلدة المسيفرة', 'Syria')), ['أشخاص مجهولون=Unidentified Armed Group (Syria)/3']);
  // Unidentified men "of" a named group are that group: one mention, not two.
  assert.deepEqual(brief(find('هاجم مسلحون من أبناء العشائر نقطة لـ"قسد" في بلدة البصيرة مساء أمس', 'Syria')), [
    'مسلحون من أبناء العشائر=Unidentified Clan Militia (Syria)/4',
    'قسد=QSD: Syrian Democratic Forces/2',
  ]);
  assert.deepEqual(brief(find('سيطرت قسد على بلدة ذيبان آخر معاقل مقاتلي العشائر العربية', 'Syria')), [
    'قسد=QSD: Syrian Democratic Forces/2',
    'مقاتلي العشائر العربية=Unidentified Clan Militia (Syria)/4',
  ]);
  assert.deepEqual(brief(find('وقال سكان إن مسلحين يرتدون زي الدعم السريع نهبوا محال تجارية في سوق ليبيا', 'Sudan')), [
    'مسلحين يرتدون زي الدعم السريع=RSF: Rapid Support Forces/2',
  ]);
  assert.deepEqual(brief(find('هاجم مسلحون من تنظيم داعش حاجزاً', 'Syria')), ['مسلحون من تنظيم داعش=Islamic State (Syria)/2']);
  // "من" before a non-actor leaves the men unidentified.
  assert.deepEqual(brief(find('خطف مسلحون مجهولون من منزله طبيباً', 'Syria')), ['مسلحون مجهولون=Unidentified Armed Group (Syria)/3']);
});

test('Tripoli armed groups, Yemen presidential guard, Iraqi security forces: names and codes', () => {
  const l = find('اشتباكات طرابلس بين "جهاز الردع لمكافحة الجريمة المنظمة والإرهاب" و"اللواء 444 قتال" إثر احتجاز قوة الردع آمر اللواء 444', 'Libya');
  assert.deepEqual(brief(l), [
    'جهاز الردع لمكافحة الجريمة المنظمة والإرهاب=Special Deterrence Forces/3',
    'اللواء 444 قتال=444th Combat Brigade/3',
    'قوة الردع=Special Deterrence Forces/3',
    'اللواء 444=444th Combat Brigade/3',
  ]);
  // Two Tripoli militias are two sides, not one bloc.
  assert.notEqual(l[0].entry.side, l[1].entry.side);
  assert.deepEqual(brief(find('قتل 25 متظاهراً برصاص قوات الأمن العراقية في الناصرية', 'Iraq')), [
    'متظاهراً=Protesters (Iraq)/6',
    'قوات الأمن العراقية=Police Forces of Iraq/1',
  ]);
  // In a Sudanese report Haftar's "General Command" is not read into the army's HQ.
  assert.ok(!find('تواصلت الاشتباكات في محيط القيادة العامة للقوات المسلحة وسط الخرطوم', 'Sudan').some((m) => m.entry.name.startsWith('LNA')));
  assert.equal(find('أعلنت كتائب القسام استهداف دبابة إسرائيلية', 'Palestine')[0].entry.inter, 3);
  assert.equal(find('هاجم مسلحون حوثيون مواقع القوات الحكومية', 'Yemen')[0].entry.inter, 1);
  assert.equal(find('اشتباكات بين الجيش وقوات الدعم السريع', 'Sudan')[1].entry.inter, 2);
});

test('"ميليشيات موالية للنظام": a group backed by the country\'s own forces is a pro-government militia, one mention', () => {
  assert.deepEqual(brief(find('هاجمت ميليشيات موالية للنظام منازل المدنيين في بلدة الصنمين', 'Syria')), [
    'ميليشيات موالية للنظام=Pro-Government Militia (Syria)/3',
    'المدنيين=Civilians (Syria)/7',
  ]);
  const b = find('اندلعت اشتباكات بين مسلحين موالين للنظام وعناصر من الفصائل في ريف درعا', 'Syria');
  assert.deepEqual(brief(b), ['مسلحين موالين للنظام=Pro-Government Militia (Syria)/3', 'الفصائل=Opposition Rebels (Syria)/2']);
  assert.equal(b[0].patron?.name, 'Military Forces of Syria');
  assert.deepEqual(brief(find('قتل عنصر من المجموعات الموالية لقوات النظام بانفجار لغم', 'Syria')), [
    'المجموعات الموالية لقوات النظام=Pro-Government Militia (Syria)/3',
  ]);
  assert.deepEqual(brief(find('هاجمت مجموعات موالية للجيش السوداني مواقع للدعم السريع', 'Sudan')), [
    'مجموعات موالية للجيش السوداني=Pro-Government Militia (Sudan)/3',
    'للدعم السريع=RSF: Rapid Support Forces/2',
  ]);
  // A paper close to the regime is not a militia: the regime stays a backer there.
  const p = find('وكتبت صحيفة الوطن المقربة من النظام السوري أن الجيش بات قريباً', 'Syria');
  assert.equal(p[0].backer, true);
});

test('dated rows: the RSF before and after April 2023, Idlib\'s General Security before and after Dec 2024', () => {
  const rsf = (date: string | null) => find2('فضت قوات الدعم السريع اعتصام القيادة العامة بالقوة وقتلت عشرات المعتصمين', 'Sudan', date)[0].entry;
  assert.deepEqual([rsf('2019-06-03').name, rsf('2019-06-03').inter], ['Military Forces of Sudan (Rapid Support Forces)', 1]);
  assert.deepEqual([rsf('2023-12-19').name, rsf('2023-12-19').inter], ['RSF: Rapid Support Forces', 2]);
  // No date: the coding valid today; a timestamp is read by its day.
  assert.equal(rsf(null).inter, 2);
  assert.equal(rsf('2023-04-14T22:00:00Z').inter, 1);
  const gs = (date: string | null) => find2('فرّقت قوات الأمن العام بالقوة مظاهرة خرجت في مدينة إدلب', 'Syria', date)[0].entry.name;
  assert.equal(gs('2024-05-14'), 'Hayat Tahrir al-Sham');
  assert.equal(gs('2025-03-10'), 'Police Forces of Syria');
  assert.equal(gs(null), 'Police Forces of Syria');
  assert.equal(actorById('sd-rsf', 'Sudan', '2020-01-01'), null);
  assert.equal(actorById('sd-rsf-state', 'Sudan', '2020-01-01')?.inter, 1);
  const bad = parseTable('id\tname\tinter\tside\tcountry\tkind\taliases\tlocal\tassociated\tsince\tuntil\nx-2\tSomeone\t2\tside\tSyria\trebel\tشخص\t\t\t2023/04/15\t\n');
  assert.throws(() => parseActorRows(bad), (e: unknown) => e instanceof LexiconError && /x-2: since must be YYYY-MM-DD/.test(String(e)));
});

test('Syria\'s "الأمن العام" forms are local: in Lebanon or Libya they are not Syrian forces', () => {
  assert.ok(!find('أوقف عناصر من جهاز الأمن العام مطلوباً في طرابلس', 'Libya').some((m) => /Syria|Tahrir/.test(m.entry.name)));
  assert.equal(find('أوقف الأمن العام اللبناني سوريين عند معبر المصنع', 'Lebanon')[0].entry.name, 'Police Forces of Lebanon');
  assert.deepEqual(brief(find('فرقت قوات الاحتياطي المركزي موكباً للمتظاهرين في الخرطوم', 'Sudan')), [
    'قوات الاحتياطي المركزي=Police Forces of Sudan/1',
    'للمتظاهرين=Protesters (Sudan)/6',
  ]);
});

test('named tribal militias: the fighters of a tribe, not the tribe\'s sheikh', () => {
  assert.deepEqual(brief(find('هاجم مقاتلو قبيلة العكيدات مواقع لقسد في بلدة ذيبان', 'Syria')), [
    'مقاتلو قبيلة العكيدات=Al Ougaidat Tribal Militia (Syria)/4',
    'قسد=QSD: Syrian Democratic Forces/2',
  ]);
  assert.deepEqual(brief(find('وقال مسلحون من أبناء عشيرة البكارة إنهم سيطروا على الحاجز', 'Syria')), [
    'مسلحون من أبناء عشيرة البكارة=Al Baggara Tribal Militia (Syria)/4',
  ]);
  assert.deepEqual(brief(find('وطالب شيخ قبيلة العكيدات إبراهيم الهفل أبناء العشائر بمواصلة القتال', 'Syria')), [
    'أبناء العشائر=Unidentified Clan Militia (Syria)/4',
  ]);
});
