// One order for everything sorted: code points, the same under every locale.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byCodePoint } from '../src/model/order.ts';

test('code-point order, not UTF-16 units and not a collation', () => {
  assert.deepEqual(['b', 'a-b', 'ab', 'A', '0', 'a'].sort(byCodePoint), ['0', 'A', 'a', 'a-b', 'ab', 'b']);
  // U+20BB7 (a surrogate pair) comes after U+FFFD by code point, before it by UTF-16 unit.
  assert.deepEqual(['\u{20BB7}', '\uFFFD', '中'].sort(byCodePoint), ['中', '\uFFFD', '\u{20BB7}']);
  assert.equal(byCodePoint('abc', 'abc'), 0);
  assert.equal(byCodePoint('ab', 'abc'), -1);
});
