import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, cliticSplits } from './tokenize.js';
import { normalize } from './normalize.js';
import { seedText } from './testdata.js';

const show = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.text}`);

test('offsets slice back to the token text, on the whole seed article (normalised and original)', () => {
  const seed = seedText();
  for (const text of [seed, normalize(seed).text]) {
    const toks = tokenize(text);
    assert.ok(toks.length > 400);
    let prev = 0;
    for (const t of toks) {
      assert.equal(text.slice(t.start, t.end), t.text);
      assert.ok(t.start >= prev, 'tokens in order, not overlapping');
      assert.ok(!/\s/.test(t.text), 'no whitespace inside tokens');
      prev = t.end;
    }
  }
});

test('seed: الـ24 splits into the article and the number, in original and normalised text', () => {
  const s = 'سيطرت خلال الساعات الـ24 الماضية على 7 بلدات رئيسية';
  assert.deepEqual(show(s), ['word:سيطرت', 'word:خلال', 'word:الساعات', 'word:الـ', 'number:24', 'word:الماضية', 'word:على', 'number:7', 'word:بلدات', 'word:رئيسية']);
  const n = normalize(s).text;
  assert.deepEqual(show(n).slice(3, 5), ['word:ال', 'number:24']);
});

test('seed: "و8 عناصر" gives the conjunction and the number', () => {
  assert.deepEqual(show('مقتل 4 عناصر من المجموعات المعارضة و8 عناصر من قوات النظام').slice(0, 9), [
    'word:مقتل', 'number:4', 'word:عناصر', 'word:من', 'word:المجموعات', 'word:المعارضة', 'word:و', 'number:8', 'word:عناصر',
  ]);
});

test('digit groups with ASCII and Arabic separators stay one number; Arabic-Indic digits too', () => {
  assert.deepEqual(show('نزوح 350,000 شخص و350.000 آخرين و٣٥٠٬٠٠٠ و٣٫٥ مليون'), [
    'word:نزوح', 'number:350,000', 'word:شخص', 'word:و', 'number:350.000', 'word:آخرين', 'word:و', 'number:٣٥٠٬٠٠٠', 'word:و', 'number:٣٫٥', 'word:مليون',
  ]);
  // a trailing comma or stop is punctuation, not part of the number
  assert.deepEqual(show('في العام 2015، تصعد'), ['word:في', 'word:العام', 'number:2015', 'punct:،', 'word:تصعد']);
});

test('Arabic punctuation and the ".," separator are punct tokens; glued full stop splits words', () => {
  const s = 'بين الطرفين., وعلم "المرصد السوري" أن؟ غرب مدينة حلب.ولا تزال؛ سوريا.. قوات';
  assert.deepEqual(show(s), [
    'word:بين', 'word:الطرفين', 'punct:.,', 'word:وعلم', 'punct:"', 'word:المرصد', 'word:السوري', 'punct:"', 'word:أن', 'punct:؟',
    'word:غرب', 'word:مدينة', 'word:حلب', 'punct:.', 'word:ولا', 'word:تزال', 'punct:؛', 'word:سوريا', 'punct:..', 'word:قوات',
  ]);
});

test('tashkeel and tatweel stay inside the word; Latin and symbols get their own kinds', () => {
  assert.deepEqual(show('تزامناً مع قـــصف (سانا) SANA F-16 ✈'), [
    'word:تزامناً', 'word:مع', 'word:قـــصف', 'punct:(', 'word:سانا', 'punct:)', 'latin:SANA', 'latin:F', 'punct:-', 'number:16', 'other:✈',
  ]);
});

test('cliticSplits: known names are not split (بصرى، كفرنبل، البوكمال، الحميرة)', () => {
  const known = new Set(['بصري', 'كفرنبل', 'البوكمال', 'الحميره', 'حلب', 'محافظه']);
  const isKnown = (s: string) => known.has(s);
  assert.deepEqual(cliticSplits('بصري', isKnown), [{ prefix: '', stem: 'بصري', stemStart: 0 }]);
  assert.deepEqual(cliticSplits('كفرنبل', isKnown), [{ prefix: '', stem: 'كفرنبل', stemStart: 0 }]);
  assert.deepEqual(cliticSplits('البوكمال', isKnown), [{ prefix: '', stem: 'البوكمال', stemStart: 0 }]);
  // seed: "خلصة والحميرة" -> و + الحميرة, never وال + حميرة
  const h = cliticSplits('والحميره', isKnown);
  assert.deepEqual(h[0], { prefix: 'و', stem: 'الحميره', stemStart: 1 });
  assert.ok(h.some((c) => c.prefix === ''));
  assert.ok(!h.some((c) => c.stem === 'حميره'));
  const b = cliticSplits('بالبوكمال', isKnown);
  assert.equal(b[0].stem, 'البوكمال');
  assert.ok(!b.some((c) => c.stem === 'بوكمال'));
  // seed: "بحلب"-style preposition, and لل with the elided article
  assert.equal(cliticSplits('وبحلب', isKnown)[0].stem, 'حلب');
  const l = cliticSplits('للمحافظه', isKnown)[0];
  assert.deepEqual(l, { prefix: 'لل', stem: 'محافظه', stemStart: 2, definite: true });
});

test('cliticSplits without a lexicon: all combinations, unsplit always present, stems >= 2 letters', () => {
  const pairs = (w: string) => cliticSplits(w).map((c) => `${c.prefix}+${c.stem}`);
  assert.deepEqual(pairs('والمجموعات'), ['وال+مجموعات', '+والمجموعات', 'و+المجموعات']);
  const wb = pairs('وبالمجموعات');
  for (const p of ['وبال+مجموعات', '+وبالمجموعات', 'و+بالمجموعات', 'وب+المجموعات']) assert.ok(wb.includes(p), p);
  assert.ok(pairs('فالقوات').includes('فال+قوات'));
  assert.ok(pairs('كالعاده').includes('كال+عاده'));
  assert.ok(pairs('وللمحافظه').includes('ولل+محافظه'));
  assert.deepEqual(pairs('وقوات'), ['+وقوات', 'و+قوات']);
  assert.deepEqual(pairs('بل'), ['+بل']); // stem would be one letter
  assert.deepEqual(pairs('ال'), ['+ال']);
  // stemStart is the stem's offset inside the word
  for (const c of cliticSplits('وبالمجموعات')) assert.equal('وبالمجموعات'.slice(c.stemStart), c.stem);
  // original (un-normalised) text with tatweel after the article: "الـ" + stem
  assert.ok(pairs('بالـمدينة').includes('بالـ+مدينة'));
});
