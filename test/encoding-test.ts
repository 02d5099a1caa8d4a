// Source files are UTF-8; anything else is refused at its first byte that is not,
// with how to save the file as UTF-8, and never read with replacement characters.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFinding, InputError } from '../src/errors.ts';
import { decodeSource, firstInvalidUtf8 } from '../src/load/encoding.ts';
import { encodeGb18030 } from './helpers/gb18030.ts';

const refusal = (bytes: Uint8Array) => {
  try {
    decodeSource(bytes, 'f.yaml');
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.findings.map(formatFinding);
  }
  return assert.fail('accepted');
};

test('UTF-8 with or without a byte-order mark is read as it is', () => {
  assert.equal(decodeSource(new TextEncoder().encode('unit: 中心\n'), 'f.yaml'), 'unit: 中心\n');
  assert.equal(decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a: 1')]), 'f.yaml'), 'a: 1');
});

test('the first byte that is not UTF-8 is placed by line and column (in characters)', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('a: 中\nb: 文'), 0xb5, 0xa5]);
  assert.deepEqual(firstInvalidUtf8(bytes), { offset: bytes.length - 2, line: 2, col: 5 });
  assert.equal(firstInvalidUtf8(new TextEncoder().encode('全是 UTF-8')), null);
  // Overlong forms and encoded surrogates are not UTF-8 either.
  assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0xaf]))?.col, 2);
  assert.equal(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))?.col, 1);
});

test('GB18030/GBK is recognised and the line shown as GBK reads it; UTF-16 and other bytes are named too', () => {
  // 注 is D7 A2 in GBK, which happens to be UTF-8 too (U+05E2): the first byte that is not is 释's.
  const [gb] = refusal(encodeGb18030('# 注释\nunit: 单位名称\n'));
  assert.match(gb!, /^f\.yaml:1:4 \[编码\] 文件不是 UTF-8 编码，看起来是 GB18030\/GBK.*按 GBK 读这一行是 “# 注释”/);
  assert.match(gb!, /“通过编码保存”→ 选 “UTF-8”/);
  const [utf16] = refusal(new Uint8Array([0xff, 0xfe, 0x61, 0x00]));
  assert.match(utf16!, /^f\.yaml:1:1 \[编码\] 文件是 UTF-16 编码/);
  const [latin] = refusal(new Uint8Array([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  assert.match(latin!, /^f\.yaml:1:4 \[编码\] 文件不是 UTF-8 编码（从这里起的字节无法按 UTF-8 读出）/);
});
