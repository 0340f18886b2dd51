// Identity and search text of an article, computed from its normalised parts (articleKeys) instead of
// normalising the whole text once for the hash and again for the search text: the same output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeKey } from '../text/normalize.js';
import { withBareForms, wordsWithBareForms, articleKeys, articleSearchText, contentHash } from './core.js';
import type { Article } from '../types.js';

/** The definition the parts must equal: title, outlet and text joined, then normalised as one string. */
const wholeSearchText = (a: Article) =>
  withBareForms(normalizeKey(`${a.title ?? ''} ${a.outlet ?? ''} ${a.text ?? ''}`).replace(/[^\p{L}\p{N}]+/gu, ' '));

// Real lines (SOHR, SANA) with what archives do to them: tatweel and tanween at the ends, no-break and
// other odd spaces, a BOM, tabs and line breaks, a title of spaces, punctuation first.
const CASES: Article[] = [
  { title: 'مقتل 8 مدنيين بغارات روسية على معرة النعمان', outlet: 'المرصد السوري لحقوق الإنسان', text: 'وثق المرصد السوري لحقوق الإنسان مقتل 8 مدنيين بينهم 3 أطفال جراء غارات نفذتها طائرات حربية روسية على مدينة معرة النعمان.' },
  { title: 'اشتبــاكات عنيفة ـ', text: '\u00a0\u00a0استشهد جندي تقريباً في ريف حماة الشمالي\u200f\n\tوأصيب آخرون ', outlet: undefined },
  { title: '   ', outlet: 'سانا', text: '\ufeff«دمشق - سانا» ارتقى ثلاثة شهداء جراء اعتداء إرهابي بقذائف صاروخية على حي الميدان.' },
  { text: 'قصف مدفعي على بلدة كفرنبل جنوب إدلب\u2028\u2029' },
  { title: 'Syria: clashes in Idlib', outlet: 'AFP\u00a0', text: ' 12 killed near Saraqib ' },
];

test('articleSearchText from the normalised parts equals normalising title, outlet and text as one string', () => {
  for (const a of CASES) assert.equal(articleSearchText(a), wholeSearchText(a), JSON.stringify(a));
  // and the bare forms are there: "بغارات" is also found as "غارات"
  assert.match(articleSearchText(CASES[0]), /(^| )غارات( |$)/);
});

test('contentHash with precomputed keys equals contentHash without; the outlet is not part of it', () => {
  for (const a of CASES) assert.equal(contentHash(a, articleKeys(a)), contentHash(a));
  assert.equal(contentHash({ ...CASES[0], outlet: 'فرانس برس' }), contentHash(CASES[0]));
  assert.notEqual(contentHash({ ...CASES[0], text: CASES[0].text + ' ' }), contentHash({ ...CASES[0], text: CASES[0].text.replace('8', '9') }));
});

test('wordsWithBareForms: one pass equals the words-only replace followed by withBareForms', () => {
  const texts = [
    ...CASES.map((a) => `${a.title ?? ''} ${a.outlet ?? ''} ${a.text}`),
    '«قصف» على بلدة كفرنبل، ومقتل 3 — وإصابة 𝐀𝐁 آخرين…',
    ' والنيرب بمعرة  ', '...', '', 'حلب', '12', '😀 حلب \ud835 x',
  ];
  for (const t of texts) assert.equal(wordsWithBareForms(t), withBareForms(t.replace(/[^\p{L}\p{N}]+/gu, ' ')), t);
});
