import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize, originalSlice } from '../text/normalize.js';
import { PhraseIndex, scanTokens } from './phrase-index.js';

const hits = (ix: PhraseIndex<string>, s: string) => {
  const nt = normalize(s);
  return ix.matchAll(nt.text).map((h) => `${originalSlice(nt, h.start, h.end)}:${h.value}:${h.proclitic}`);
};

test('proclitics on the first word, longest phrase first, only spaces/quotes between words', () => {
  const ix = new PhraseIndex<string>();
  ix.add('قوات النظام', 'regime');
  ix.add('قوات النظام السوري', 'regime-long');
  ix.add('الفصائل', 'rebels');
  ix.add('تنظيم داعش', 'is');
  // Forms as the seed article writes them: "وقوات النظام", "والفصائل", "للفصائل", "بالفصائل".
  assert.deepEqual(hits(ix, 'بين الفصائل وقوات النظام السوري'), ['الفصائل:rebels:', 'قوات النظام السوري:regime-long:و']);
  assert.deepEqual(hits(ix, 'دعما للفصائل وبالفصائل'), ['للفصائل:rebels:ل', 'الفصائل:rebels:وب']);
  assert.deepEqual(hits(ix, 'عناصر تنظيم "داعش" في البادية'), ['تنظيم "داعش:is:']);
  // Punctuation between the words breaks a phrase.
  assert.deepEqual(hits(ix, 'قوات، النظام'), []);
  // A clitic is not read inside later words, nor on a word that is not in the index.
  assert.deepEqual(hits(ix, 'قوات والنظام'), []);
});

test('collisions: the lower rank wins whatever the order of adding', () => {
  const ix = new PhraseIndex<string>();
  assert.equal(ix.add('الجيش', 'generic', 1), true);
  assert.equal(ix.add('الجيش', 'local', 0), true);
  assert.equal(ix.add('الجيش', 'other', 2), false);
  assert.deepEqual(hits(ix, 'تقدم الجيش'), ['الجيش:local:']);
  assert.equal(ix.size, 1);
});

test('tokens: Arabic letters, digits and Latin letters; offsets into the text', () => {
  const t = normalize('الفرقة 25 (مهام خاصة)، CNN').text;
  assert.deepEqual(
    scanTokens(t).map((k) => t.slice(k.start, k.end)),
    ['الفرقه', '25', 'مهام', 'خاصه', 'cnn'],
  );
});
