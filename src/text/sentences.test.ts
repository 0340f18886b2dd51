import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences, splitClauses } from './sentences.js';
import { normalize } from './normalize.js';
import { seedText } from './testdata.js';

const sents = (text: string, opts?: { semicolon?: boolean }) => splitSentences(text, opts).map((s) => text.slice(s.start, s.end));

test('seed article: ".," separators, glued stop "حلب.ولا", quotes, title line', () => {
  const seed = seedText();
  const ss = sents(seed);
  assert.equal(ss.length, 17);
  assert.equal(ss[0], 'سوريا..');
  assert.equal(ss[1], 'قوات النظام تفشل في دخول معرة النعمان بإدلب');
  assert.ok(ss[2].startsWith('المرصد السوري لحقوق الإنسان إن اشتباكات'));
  assert.ok(ss[2].endsWith('قصف صاروخي متبادل بين الطرفين.'));
  assert.ok(ss[3].startsWith('وعلم "المرصد السوري"'));
  // a closing quote after the stop belongs to the sentence; the comma of ".," to none
  assert.ok(ss.some((s) => s.endsWith('جزءاً من الطريق الدولي".')));
  const i = ss.findIndex((s) => s.endsWith('غرب مدينة حلب.'));
  assert.ok(i > 0);
  assert.ok(ss[i + 1].startsWith('ولا تزال الاشتباكات مستمرة'));
  // Full stop + space inside a paragraph
  assert.ok(ss.includes('وباتت مدينة معرة النعمان شبه خالية من السكان.'));
  for (const s of ss) assert.ok(!s.startsWith(',') && !s.startsWith(' ') && !s.endsWith(' '));
  // same boundaries on the normalised copy (normalisation never touches punctuation)
  assert.equal(splitSentences(normalize(seed).text).length, 17);
});

test('question/exclamation marks, newlines, ؛ only on request', () => {
  const t = 'هل انسحبت القوات؟ نعم! قال المصدر؛ ثم غادر\nوفي دير الزور قتل مدني';
  assert.deepEqual(sents(t), ['هل انسحبت القوات؟', 'نعم!', 'قال المصدر؛ ثم غادر', 'وفي دير الزور قتل مدني']);
  assert.deepEqual(sents(t, { semicolon: true }).slice(2, 4), ['قال المصدر؛', 'ثم غادر']);
});

test('decimals, digit groups, abbreviations and URLs do not end a sentence', () => {
  const t = 'بلغت نسبة الدمار 3.5 بالمئة، ونزح 350.000 شخص بحسب د. محمد الأحمد. وأفادت U.S. Army أن www.sana.sy نشرت الخبر. انتهى';
  assert.deepEqual(sents(t), [
    'بلغت نسبة الدمار 3.5 بالمئة، ونزح 350.000 شخص بحسب د. محمد الأحمد.',
    'وأفادت U.S. Army أن www.sana.sy نشرت الخبر.',
    'انتهى',
  ]);
  assert.deepEqual(sents('قال Gen. Smith إن القوات انسحبت. ثم عادت.'), ['قال Gen. Smith إن القوات انسحبت.', 'ثم عادت.']);
});

test('a stop inside quotes ends the sentence only with the closing quote', () => {
  const t = 'وقال المصدر: "انسحبنا من البلدة. سنعود قريباً" ثم أغلق الهاتف. وقال آخر «لن نتراجع.» وانتهى';
  assert.deepEqual(sents(t), ['وقال المصدر: "انسحبنا من البلدة. سنعود قريباً" ثم أغلق الهاتف.', 'وقال آخر «لن نتراجع.»', 'وانتهى']);
});

test('ellipsis and runs of punctuation', () => {
  assert.deepEqual(sents('سوريا.. قوات النظام تتقدم!! ماذا بعد؟!'), ['سوريا..', 'قوات النظام تتقدم!!', 'ماذا بعد؟!']);
  assert.deepEqual(sents(''), []);
  assert.deepEqual(sents('  \n\n  '), []);
});

test('clauses: ، and openers (تزامناً مع، في حين، حيث، كما) inside seed sentences', () => {
  const seed = seedText();
  const ss = splitSentences(seed);
  const cl = (k: number) => splitClauses(seed, ss[k]).map((c) => seed.slice(c.start, c.end));
  const c2 = cl(2);
  assert.equal(c2.length, 3);
  assert.ok(c2[0].endsWith('جنوب حلب'));
  assert.equal(c2[2], 'تزامناً مع قصف صاروخي متبادل بين الطرفين.');
  const c3 = cl(3);
  assert.ok(c3[2].startsWith('في حين وثق "المرصد السوري" مقتل 4 عناصر'));
  assert.equal(c3[1], 'بعد هجوم نفذته في محاولة منها لتخفيف الضغط على المحاور الشرقية لمدينة معرة النعمان');
  // original-text offsets are kept even though matching ran on a normalised copy
  for (let k = 0; k < ss.length; k++)
    for (const c of splitClauses(seed, ss[k])) assert.ok(c.start >= ss[k].start && c.end <= ss[k].end && c.end > c.start);
});

test('clauses: openers after و, digit groups keep their comma, SANA-style sentence', () => {
  const t = 'استشهد 3 مدنيين وأصيب 1,200 آخرون بجروح جراء اعتداء إرهابي على حي الحمدانية بينما تصدت وحدات الجيش للهجوم، وفيما قصفت الطائرات مواقعهم.';
  const s = splitSentences(t)[0];
  assert.deepEqual(
    splitClauses(t, s).map((c) => t.slice(c.start, c.end)),
    ['استشهد 3 مدنيين وأصيب 1,200 آخرون بجروح جراء اعتداء إرهابي على حي الحمدانية', 'بينما تصدت وحدات الجيش للهجوم', 'وفيما قصفت الطائرات مواقعهم.'],
  );
  // "مما أسفر عن" keeps the result with its cause
  const u = 'قصفت طائرات حربية بلدة كفرنبل مما أسفر عن مقتل 5 مدنيين.';
  assert.equal(splitClauses(u, splitSentences(u)[0]).length, 1);
});
