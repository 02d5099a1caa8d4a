import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../src/errors.ts';
import { parseYaml } from '../src/load/yaml-file.ts';

function findings(text: string): string[] {
  try {
    parseYaml('t.yaml', text);
    return [];
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.findings.map((f) => `${f.at?.line}:${f.at?.col} ${f.ruleId}`);
  }
}

test('positions of values and the raw text of numbers are kept', () => {
  const src = parseYaml('t.yaml', 'a:\n  code: 0201\n  amount: 12.50\n');
  assert.deepEqual(src.data, { a: { code: 201, amount: 12.5 } });
  assert.equal(src.raw.get('/a/code'), '0201');
  assert.equal(src.raw.get('/a/amount'), '12.50');
  assert.deepEqual(src.positions.get('/a/amount'), { file: 't.yaml', line: 3, col: 11 });
});

test('anchors, aliases and alias bombs are refused', () => {
  assert.deepEqual(findings('a: &x [1, 2]\nb: *x\n'), ['1:7 yaml-anchor', '2:4 yaml-alias']);
  const bomb = [
    'a: &a ["x","x"]',
    ...Array.from(
      { length: 9 },
      (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    ),
  ].join('\n');
  assert.ok(findings(bomb).every((f) => /yaml-(anchor|alias)/.test(f)));
});

test('duplicate keys, custom tags and several documents are refused', () => {
  assert.deepEqual(findings('a: 1\na: 2\n'), ['2:1 yaml-duplicate-key']);
  assert.deepEqual(findings('a: !!js/function "x"\n'), ['1:4 yaml-tag-resolve-failed']);
  assert.deepEqual(findings('a: 1\n---\nb: 2\n'), ['2:1 yaml-multiple-documents']);
});

test('a file over the size limit is refused', () => {
  assert.deepEqual(findings(`a: "${'x'.repeat(2 * 1024 * 1024)}"\n`), ['1:1 file-too-large']);
});
