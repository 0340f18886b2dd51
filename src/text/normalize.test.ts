import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize, toOriginal, originalSlice, normalizeKey, LIGHT } from './normalize.js';

// From the seed article (AFP via an Arabic outlet, 2020-01-26).
const SEED = 'من جهة أُخرى على محاور خلصة والحميرة جنوب حلب، تزامناً مع قصف صاروخي';

test('removes tashkeel and tatweel, unifies alef forms', () => {
  assert.equal(normalizeKey('أُخرى'), 'اخري');
  assert.equal(normalizeKey('تزامناً'), 'تزامنا');
  assert.equal(normalizeKey('إدلب'), 'ادلب');
  assert.equal(normalizeKey('آلاف'), 'الاف');
  assert.equal(normalizeKey('ٱلله'), 'الله');
  assert.equal(normalizeKey('قـــوات'), 'قوات');
});

test('folds ta marbuta, alef maqsura and hamza seats only when asked', () => {
  assert.equal(normalizeKey('معرة'), 'معره');
  assert.equal(normalizeKey('بصرى'), 'بصري');
  assert.equal(normalizeKey('معرة', LIGHT), 'معرة');
  assert.equal(normalizeKey('مؤيد'), 'مويد');
  assert.equal(normalizeKey('رئيسية'), 'رييسيه');
});

test('Arabic-Indic and Persian digits become ASCII', () => {
  assert.equal(normalizeKey('الـ٢٤ ساعة'), 'ال24 ساعه');
  assert.equal(normalizeKey('۳۵۰ ألف'), '350 الف');
});

test('offset map points back at the original words', () => {
  const nt = normalize(SEED);
  const i = nt.text.indexOf('اخري');
  assert.ok(i >= 0);
  const span = toOriginal(nt, i, i + 'اخري'.length);
  assert.equal(SEED.slice(span.start, span.end), 'أُخرى');
  const j = nt.text.indexOf('تزامنا');
  // the tanween dropped after the last letter belongs to the word's original span
  assert.equal(originalSlice(nt, j, j + 6), 'تزامناً');
  assert.equal(originalSlice(nt, j, j + 5), 'تزامن');
  for (let k = 0; k < nt.text.length; k++) {
    assert.ok(nt.starts[k] >= 0 && nt.ends[k] <= SEED.length && nt.starts[k] < nt.ends[k]);
  }
});

test('presentation-form ligatures unfold and still map back', () => {
  const s = 'ﻻ قوات';
  const nt = normalize(s);
  assert.equal(nt.text, 'لا قوات');
  assert.deepEqual(toOriginal(nt, 0, 2), { start: 0, end: 1 });
});
