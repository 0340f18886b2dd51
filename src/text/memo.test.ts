import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoize } from './memo.js';
import { normalizeKey } from './normalize.js';

test('memoize: the same answers as the function, each computed once while in use, bounded', () => {
  const calls: string[] = [];
  const f = memoize((s) => (calls.push(s), normalizeKey(s)), 2);
  const names = ['معرة النعمان', 'مَعَرّة النعمان', 'إدلب', 'حماة'];
  for (const n of names) assert.equal(f(n), normalizeKey(n));
  assert.equal(f('معرة النعمان'), normalizeKey('معرة النعمان'));
  // 'معرة النعمان' was rotated into the old generation, not dropped: no second call.
  assert.equal(calls.filter((c) => c === 'معرة النعمان').length, 1);
  // Past two generations an entry is forgotten and computed again.
  for (const n of ['a', 'b', 'c', 'd', 'e']) f(n);
  f('إدلب');
  assert.equal(calls.filter((c) => c === 'إدلب').length, 2);
});
