import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDates, hijriToGregorian, type DateReading } from './dates.js';
import { normalize, originalSlice } from './normalize.js';
import { seedText, SEED_DATE } from './testdata.js';

function read(original: string, ref: string | null = '2020-01-26'): DateReading[] {
  const t = normalize(original).text;
  const rs = readDates(t, ref);
  for (const r of rs) assert.equal(t.slice(r.start, r.end), r.text);
  return rs;
}
const brief = (s: string, ref: string | null = '2020-01-26') =>
  read(s, ref).map((r) => [r.kind, r.date, r.time_precision]);

test('seed article: every date comes out right against its publication date (Sunday 2020-01-26)', () => {
  const seed = seedText();
  const nt = normalize(seed);
  const rs = readDates(nt.text, SEED_DATE);
  const got = rs.map((r) => ({ o: originalSlice(nt, r.start, r.end), kind: r.kind, date: r.date, end: r.end_date ?? null, p: r.time_precision, since: r.since === true }));
  assert.deepEqual(got, [
    { o: 'الأحد', kind: 'weekday', date: '2020-01-26', end: null, p: 1, since: false }, // وفق ما أفاد المرصد ...، الأحد
    { o: 'منذ كانون الأول/ديسمبر', kind: 'since', date: '2019-12-01', end: '2020-01-26', p: 3, since: true },
    { o: 'الساعات الـ24 الماضية', kind: 'relative', date: '2020-01-26', end: null, p: 1, since: false },
    { o: 'الأحد', kind: 'weekday', date: '2020-01-26', end: null, p: 1, since: false }, // في عددها، الأحد
    { o: 'منذ كانون الأول/ديسمبر', kind: 'since', date: '2019-12-01', end: '2020-01-26', p: 3, since: true },
    { o: 'العام 2015', kind: 'year', date: '2015-01-01', end: '2015-12-31', p: 3, since: false },
    { o: 'نهاية آب/أغسطس', kind: 'month', date: '2019-08-21', end: '2019-08-31', p: 3, since: false },
  ]);
});

test('Gregorian dates in the common forms and both month systems', () => {
  assert.deepEqual(brief('قتل في 26 كانون الثاني/يناير 2020 مدنيان'), [['date', '2020-01-26', 1]]);
  assert.deepEqual(brief('تاريخ 26/1/2020 و2020-01-26 و26-01-2020'), [['date', '2020-01-26', 1], ['date', '2020-01-26', 1], ['date', '2020-01-26', 1]]);
  assert.deepEqual(brief('قصفت الطائرات البلدة في 26 يناير'), [['date', '2020-01-26', 1]]);
  assert.deepEqual(brief('في 3 من شباط 2019'), [['date', '2019-02-03', 1]]);
  // a day-month without year is the latest such day not after the reference
  assert.deepEqual(brief('في 15 آذار'), [['date', '2019-03-15', 1]]);
  assert.deepEqual(brief('في 15 آذار', '2020-04-01'), [['date', '2020-03-15', 1]]);
  assert.deepEqual(brief('منذ آذار/مارس 2011'), [['since', '2011-03-01', 3]]);
  assert.deepEqual(brief('في أيلول/سبتمبر 2015 تدخلت روسيا'), [['month', '2015-09-01', 3]]);
  assert.deepEqual(brief('في ديسمبر (كانون الأول) الماضي'), [['month', '2019-12-01', 3]]);
  assert.deepEqual(brief('مطلع تشرين الأول'), [['month', '2019-10-01', 3]]);
  assert.equal(read('منتصف أكتوبر')[0].end_date, '2019-10-20');
  // weekday glued to a full date: the date wins and the span covers both
  const w = read('الأحد 26 كانون الثاني/يناير 2020');
  assert.deepEqual([w[0].kind, w[0].date, w[0].text], ['date', '2020-01-26', 'الاحد 26 كانون الثاني/يناير 2020']);
  // an invalid day is not a date; the month alone is still read
  assert.deepEqual(brief('في 31 شباط 2020'), [['month', '2020-02-01', 3]]);
});

test('ambiguous month words need a date context: آب = father after normalisation', () => {
  assert.deepEqual(brief('قتل أب لثلاثة أطفال'), []);
  assert.deepEqual(brief('في 5 آب'), [['date', '2019-08-05', 1]]);
  assert.deepEqual(brief('في آب 2019'), [['month', '2019-08-01', 3]]);
  assert.deepEqual(brief('مارس الجيش ضغوطاً'), []);
  assert.deepEqual(brief('وفي آب قصفت الطائرات'), [['month', '2019-08-01', 3]]);
  assert.deepEqual(brief('نيسان الماضي'), [['month', '2019-04-01', 3]]);
  assert.deepEqual(brief('اشترى سيارة نيسان'), []);
});

test('weekdays: the most recent such day on or before the reference', () => {
  // 2020-01-26 is a Sunday
  assert.deepEqual(brief('يوم السبت'), [['weekday', '2020-01-25', 1]]);
  assert.deepEqual(brief('الأحد'), [['weekday', '2020-01-26', 1]]);
  assert.deepEqual(brief('الأحد الماضي'), [['weekday', '2020-01-19', 1]]);
  assert.deepEqual(brief('مساء الخميس'), [['weekday', '2020-01-23', 1]]);
  assert.deepEqual(brief('والاثنين'), [['weekday', '2020-01-20', 1]]);
  assert.deepEqual(brief('الجمعة المقبلة'), [['weekday', '2020-01-31', 1]]);
  assert.deepEqual(brief('يوم السبت', null), [['weekday', null, 1]]);
});

test('relative expressions resolve against the reference, or to null without one', () => {
  assert.deepEqual(brief('قتل مدني فجر اليوم'), [['relative', '2020-01-26', 1]]);
  assert.deepEqual(brief('مساء أمس'), [['relative', '2020-01-25', 1]]);
  assert.deepEqual(brief('أمس الأول'), [['relative', '2020-01-24', 1]]);
  assert.deepEqual(brief('أول أمس'), [['relative', '2020-01-24', 1]]);
  assert.deepEqual(brief('خلال الـ24 ساعة الماضية'), [['relative', '2020-01-26', 1]]);
  assert.deepEqual(brief('الأسبوع الماضي'), [['relative', '2020-01-19', 2]]);
  assert.deepEqual(brief('الشهر الماضي'), [['relative', '2019-12-01', 3]]);
  assert.deepEqual(brief('قبل يومين'), [['relative', '2020-01-24', 1]]);
  assert.deepEqual(brief('وقبل 3 أيام'), [['relative', '2020-01-23', 1]]);
  const s = read('منذ مطلع الشهر')[0];
  assert.deepEqual([s.kind, s.date, s.since, s.time_precision], ['since', '2020-01-01', true, 3]);
  assert.deepEqual(brief('أمس', null), [['relative', null, 1]]);
  assert.deepEqual(brief('منذ مطلع الشهر', null), [['since', null, 3]]);
  // "اليوم الـ24 من الهجوم" counts days, it is not "today"
  assert.deepEqual(brief('في اليوم الـ24 من الهجوم'), []);
});

test('years and ranges', () => {
  assert.deepEqual(brief('في العام 2015'), [['year', '2015-01-01', 3]]);
  assert.deepEqual(brief('عام 2011'), [['year', '2011-01-01', 3]]);
  assert.deepEqual(brief('منذ عام 2011'), [['since', '2011-01-01', 3]]);
  const r = read('بين عامي 2015 و2018')[0];
  assert.deepEqual([r.kind, r.date, r.end_date], ['range', '2015-01-01', '2018-12-31']);
  const d = read('بين 1 و5 كانون الثاني')[0];
  assert.deepEqual([d.kind, d.date, d.end_date, d.time_precision], ['range', '2020-01-01', '2020-01-05', 2]);
  // a bare number is not a year
  assert.deepEqual(brief('قتل 2015 شخصاً'), []);
});

test('Hijri dates are recognised and converted (Umm al-Qura)', () => {
  const h = read('في 15 رمضان 1441 هـ')[0];
  assert.equal(h.kind, 'hijri');
  assert.equal(h.date, '2020-05-08');
  assert.equal(hijriToGregorian(1441, 1, 1), '2019-08-31');
  const m = read('خلال شهر رمضان')[0];
  assert.deepEqual([m.kind, m.date, m.time_precision], ['hijri', '2019-05-06', 3]);
  // صفر is "zero" without a date context
  assert.deepEqual(brief('درجة الحرارة صفر'), []);
});

test('ordinal days and "الماضي" after a month (SOHR/AFP phrasing)', () => {
  const r = read('فرّ نحو 900 ألف شخص منذ الأول من كانون الأول/ديسمبر', '2020-03-10')[0];
  assert.deepEqual([r.kind, r.text, r.date, r.time_precision, r.since], ['since', 'منذ الاول من كانون الاول/ديسمبر', '2019-12-01', 1, true]);
  const n = read('منذ بدء التصعيد في 26 نيسان/أبريل الماضي', '2020-03-10')[0];
  assert.deepEqual([n.kind, n.text, n.date], ['date', '26 نيسان/ابريل الماضي', '2019-04-26']);
  assert.deepEqual(brief('في الخامس من حزيران 2019'), [['date', '2019-06-05', 1]]);
  // an ordinal without "من" is not a day: only the month is read
  assert.deepEqual(brief('الخامس حزيران'), [['month', '2019-06-01', 3]]);
});

test('a malformed reference date is a clear error; a timestamp is accepted', () => {
  assert.throws(() => readDates('أمس', 'yesterday'), /reference date/);
  assert.throws(() => readDates('امس', '26/01/2020'), /reference date/);
  assert.equal(readDates('امس', '2020-01-26T08:00:00Z')[0].date, '2020-01-25');
  assert.equal(readDates('امس', '2020-1-5')[0].date, '2020-01-04');
});

test('SANA-style dates: "يوم ... الجاري", "الشهر الجاري", "فجر اليوم الثلاثاء"', () => {
  assert.deepEqual(brief('يوم 26 كانون الثاني الجاري'), [['date', '2020-01-26', 1]]);
  assert.equal(read('يوم 26 كانون الثاني الجاري')[0].text, 'يوم 26 كانون الثاني الجاري');
  assert.deepEqual(brief('منذ بداية الشهر الجاري'), [['since', '2020-01-01', 3]]);
  // both readings point at the same day
  assert.deepEqual(brief('فجر اليوم الأحد', '2020-01-26'), [['relative', '2020-01-26', 1], ['weekday', '2020-01-26', 1]]);
});

test('day ranges in the forms reports use', () => {
  const a = read('من 1 إلى 5 كانون الثاني')[0];
  assert.deepEqual([a.kind, a.text, a.date, a.end_date], ['range', 'من 1 الي 5 كانون الثاني', '2020-01-01', '2020-01-05']);
  const b = read('بين 10 و20 كانون الأول/ديسمبر 2019')[0];
  assert.deepEqual([b.kind, b.date, b.end_date, b.time_precision], ['range', '2019-12-10', '2019-12-20', 3]);
  const c = read('في 3-4 كانون الثاني')[0];
  assert.deepEqual([c.kind, c.date, c.end_date, c.time_precision], ['range', '2020-01-03', '2020-01-04', 2]);
  assert.deepEqual(brief('خلال اليومين الماضيين'), [['relative', '2020-01-25', 1]]);
  assert.deepEqual(brief('خلال الأيام الماضية'), [['relative', '2020-01-20', 2]]);
});
