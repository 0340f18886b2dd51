import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNumbers, parseDigits, type NumberReading } from './numbers.js';
import { normalize, originalSlice } from './normalize.js';
import { seedText } from './testdata.js';

/** Read numbers from the normalised copy of an original sentence; check every span. */
function read(original: string): NumberReading[] {
  const t = normalize(original).text;
  const rs = readNumbers(t);
  for (const r of rs) assert.equal(t.slice(r.start, r.end), r.text);
  return rs;
}
const brief = (s: string) => read(s).map((r) => [r.value, r.kind]);

test('seed article: every number comes out right, spans map back to the original words', () => {
  const seed = seedText();
  const nt = normalize(seed);
  const rs = readNumbers(nt.text);
  const got = rs.map((r) => ({ v: r.value, k: r.kind, o: originalSlice(nt, r.start, r.end), ord: r.ordinal === true }));
  assert.deepEqual(got, [
    { v: 4, k: 'exact', o: '4', ord: false }, // مقتل 4 عناصر من المجموعات المعارضة
    { v: 8, k: 'exact', o: '8', ord: false }, // و8 عناصر من قوات النظام
    { v: 100, k: 'vague', o: 'مئات', ord: false }, // مئات الأمتار
    { v: 2, k: 'exact', o: 'ثاني', ord: true }, // ثاني أكبر مدن محافظة إدلب
    { v: 3000000, k: 'exact', o: 'ثلاثة ملايين', ord: false },
    { v: 0.5, k: 'approximate', o: 'نصفهم تقريباً', ord: false },
    { v: 24, k: 'exact', o: 'الـ24', ord: true }, // خلال الساعات الـ24 الماضية
    { v: 7, k: 'exact', o: '7', ord: false }, // 7 بلدات
    { v: 100, k: 'vague', o: 'مئات', ord: false },
    { v: 10, k: 'vague', o: 'عدة', ord: false }, // اتفاقيات هدنة عدة
    { v: 10, k: 'vague', o: 'عشرات', ord: false }, // عشرات القتلى
    { v: 350000, k: 'approximate', o: 'نحو 350 ألف', ord: false }, // بنحو 350 ألف شخص
    { v: 2015, k: 'exact', o: '2015', ord: false }, // في العام 2015
    { v: 4, k: 'exact', o: 'أربعة', ord: false }, // أربعة أشهر
  ]);
  // "كانون الأول" is a month, not the ordinal "first"; "الأحد" is Sunday, not "one"
  assert.ok(!rs.some((r) => r.value === 1));
  assert.equal(rs[11].approximate_word, 'نحو');
  assert.equal(rs[5].fraction, true);
});

test('digits with ASCII and Arabic separators, decimals', () => {
  assert.equal(parseDigits('350,000'), 350000);
  assert.equal(parseDigits('350.000'), 350000);
  assert.equal(parseDigits('1,250,000'), 1250000);
  assert.equal(parseDigits('3.5'), 3.5);
  assert.equal(parseDigits('12.75'), 12.75);
  assert.deepEqual(brief('نزح ٣٥٠٬٠٠٠ شخص وقتل ١٢ مدنياً'), [[350000, 'exact'], [12, 'exact']]);
  assert.deepEqual(brief('يحتاج 3.5 مليون شخص إلى المساعدة، بينهم 1.5 مليون طفل'), [[3500000, 'exact'], [1500000, 'exact']]);
  assert.deepEqual(brief('وثق المرصد مقتل 1,200 مدني'), [[1200, 'exact']]);
});

test('number words: units, teens, tens, hundreds, thousands, millions and compounds', () => {
  assert.deepEqual(brief('قتل خمسة وعشرون شخصاً'), [[25, 'exact']]);
  assert.deepEqual(brief('اعتقلت القوات ثلاثين شاباً'), [[30, 'exact']]);
  assert.deepEqual(brief('مقتل ثلاثة عشر عنصراً'), [[13, 'exact']]);
  assert.deepEqual(brief('شنت الطائرات إحدى عشرة غارة'), [[11, 'exact']]);
  assert.deepEqual(brief('قُتل اثنا عشر مدنياً'), [[12, 'exact']]);
  assert.deepEqual(brief('نزوح مئة وخمسين عائلة'), [[150, 'exact']]);
  assert.deepEqual(brief('مائتي شخص ومئتين آخرين'), [[200, 'exact'], [200, 'exact']]);
  assert.deepEqual(brief('أكثر من ثلاثمائة وخمسين ألفاً'), [[350000, 'at-least']]);
  assert.deepEqual(brief('ثلاث مئة مقاتل'), [[300, 'exact']]);
  assert.deepEqual(brief('خمسة آلاف نازح'), [[5000, 'exact']]);
  assert.deepEqual(brief('ألف شخص وألفين آخرين'), [[1000, 'exact'], [2000, 'exact']]);
  assert.deepEqual(brief('مليون وخمسمئة ألف لاجئ'), [[1500000, 'exact']]);
  assert.deepEqual(brief('نصف مليون نازح'), [[500000, 'exact']]);
  assert.deepEqual(brief('إصابة سبعة مدنيين بينهم أربع نساء'), [[7, 'exact'], [4, 'exact']]);
  // feminine/masculine and case variants
  assert.deepEqual(brief('اثنتين من النساء واثنين من الرجال وواحدة'), [[2, 'exact'], [2, 'exact'], [1, 'exact']]);
  // a preposition in front of a longer number word: "بثلاثة"
  assert.deepEqual(brief('استهدفت بثلاثة صواريخ'), [[3, 'exact']]);
});

test('dual count nouns are 2, ambiguous plurals are not', () => {
  const rs = read('قتيلان وجريحين في قصف، ومقتل عنصرين من الفصائل وطفلين، وسقوط قذيفتين');
  assert.deepEqual(rs.map((r) => [r.value, r.text, r.dual]), [
    [2, 'قتيلان', true], [2, 'جريحين', true], [2, 'عنصرين', true], [2, 'طفلين', true], [2, 'قذيفتين', true],
  ]);
  // "مقتل مدنيين" = civilians (plural), not two; the nominative dual "مدنيان"/"مواطنان" is two
  assert.deepEqual(brief('مقتل مدنيين ومسلحين'), []);
  assert.deepEqual(brief('استشهد مواطنان وأصيب خمسة آخرون بجروح'), [[2, 'exact'], [5, 'exact']]);
});

test('approximate and at-least markers, with clitics in front', () => {
  const rs = read('قتل نحو 20 شخصاً وقرابة 30 وحوالي 40 وزهاء 50 وما يقارب 60');
  assert.deepEqual(rs.map((r) => [r.value, r.kind, r.approximate_word]), [
    [20, 'approximate', 'نحو'], [30, 'approximate', 'قرابه'], [40, 'approximate', 'حوالي'], [50, 'approximate', 'زهاء'], [60, 'approximate', 'ما يقارب'],
  ]);
  const al = read('أكثر من 100 غارة، وما لا يقل عن 15 قتيلاً، وأزيد من 200 نازح، بأكثر من عشرين');
  assert.deepEqual(al.map((r) => [r.value, r.kind, r.text]), [
    [100, 'at-least', 'اكثر من 100'], [15, 'at-least', 'ما لا يقل عن 15'], [200, 'at-least', 'ازيد من 200'], [20, 'at-least', 'اكثر من عشرين'],
  ]);
  // "أكثر أمناً" (seed) is not a marker and no number follows it
  assert.deepEqual(brief('باتجاه مناطق شمالاً أكثر أمناً'), []);
});

test('vague quantities take the CONTRACT.md codes', () => {
  assert.deepEqual(brief('سقوط عشرات القتلى ومئات الجرحى وآلاف النازحين'), [[10, 'vague'], [100, 'vague'], [1000, 'vague']]);
  assert.deepEqual(brief('مقتل عدة عناصر وبضعة مدنيين'), [[10, 'vague'], [10, 'vague']]);
  assert.deepEqual(brief('إصابة عدد من المدنيين والعديد من العناصر'), [[10, 'vague'], [10, 'vague']]);
  assert.deepEqual(brief('عشرات الآلاف من المدنيين'), [[10000, 'vague']]);
  // "عدد القتلى" is a noun phrase, not a count
  assert.deepEqual(brief('ارتفع عدد القتلى إلى 15'), [[15, 'exact']]);
});

test('ordinals: الأول، الثانية، ثاني، الـ24; month names are not ordinals', () => {
  const rs = read('للمرة الثانية خلال الأسبوع الأول، في اليوم الـ24 من الهجوم');
  assert.deepEqual(rs.map((r) => [r.value, r.ordinal, r.text]), [[2, true, 'الثانيه'], [1, true, 'الاول'], [24, true, 'ال24']]);
  assert.deepEqual(brief('في 26 كانون الثاني/يناير وتشرين الأول'), [[26, 'exact']]);
});

test('short words that merely contain a number word are not numbers', () => {
  // لست (I am not), الاثنين (Monday), الخميس (Thursday), بالمئة (percent sign word)
  assert.deepEqual(brief('لست أدري، يوم الاثنين والخميس، بنسبة 5 بالمئة'), [[5, 'exact']]);
});

test('numbers that are parts of dates are marked date_part (the day, the year, numeric dates)', () => {
  const rs = read('في 26 كانون الثاني/يناير 2020 قتل 5 مدنيين، وفي العام 2015 و26/1/2020، ونزح 2015 شخصاً منذ الأول من كانون الأول');
  assert.deepEqual(rs.map((r) => [r.value, r.date_part === true]), [
    [26, true], [2020, true], [5, false], [2015, true], [26, true], [1, true], [2020, true], [2015, false], [1, true],
  ]);
});

test('SOHR/SANA-style sentences', () => {
  assert.deepEqual(
    read('وثق المرصد السوري مقتل 3 مدنيين بينهم طفلان وامرأة جراء قصف صاروخي نفذته قوات النظام').map((r) => [r.value, r.text]),
    [[3, '3'], [2, 'طفلان']],
  );
  assert.deepEqual(brief('ارتفع عدد القتلى إلى 47 بينهم 12 طفلاً و9 نساء'), [[47, 'exact'], [12, 'exact'], [9, 'exact']]);
  assert.deepEqual(brief('قتل ثمانية عناصر من الهيئة واثنان من الجيش التركي وخمسة عشر من قوات النظام'), [[8, 'exact'], [2, 'exact'], [15, 'exact']]);
  assert.deepEqual(brief('فرّ نحو 900 ألف شخص، بينهم أكثر من 400 طفل'), [[900000, 'approximate'], [400, 'at-least']]);
});

test('markers after the number or its noun, and percentages', () => {
  const rs = read('قتل 20 شخصاً على الأقل في غارات، و15 مدنياً أو أكثر');
  assert.deepEqual(rs.map((r) => [r.value, r.kind, r.text, r.approximate_word]), [
    [20, 'at-least', '20', 'علي الاقل'],
    [15, 'at-least', '15', 'او اكثر'],
  ]);
  const d = read('نفذت الطائرات 25 غارة على الأقل');
  assert.deepEqual([d[0].kind, d[0].approximate_word], ['at-least', 'علي الاقل']);
  // "تقريباً" belongs to the number right before it, not to an earlier one
  assert.deepEqual(brief('ثلاثة ملايين شخص نصفهم تقريباً'), [[3000000, 'exact'], [0.5, 'approximate']]);
  const p = read('دمر 50% من المنازل و30 بالمئة من المدارس و20 في المئة من المستشفيات و10 منازل');
  assert.deepEqual(p.map((r) => [r.value, r.percent === true]), [[50, true], [30, true], [20, true], [10, false]]);
});
