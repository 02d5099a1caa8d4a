// Reads one YAML source file into plain data while remembering, for every value,
// where it stood in the file. Everything downstream (schema errors, consistency
// findings) reports positions through the pointer map built here.
//
// The subset of YAML accepted is deliberately small: no anchors or aliases (no
// alias bombs, no hidden sharing), no custom tags, one document per file, a size
// cap. YAML from one unit must never be able to do anything but describe data.

import { Composer, type CST, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, Scalar, type Node as YamlNode } from 'yaml';
import { codePointName, error, InputError, UNPRINTABLE, warning, type Finding, type SourcePos } from '../errors.ts';
import { decodeSource } from './encoding.ts';
import { readRegularFile, UnreadableFile } from './read-file.ts';

/** Largest source file accepted; a report's biggest file is ~30 KB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Deepest nesting accepted (the indicator tree of table 12 is the deepest, ~8). */
export const MAX_DEPTH = 32;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface YamlSource {
  /** Path as given (relative to the project root where possible). */
  file: string;
  text: string;
  data: Json;
  /** JSON pointer → position of the value (for keys: of the value, not the key). */
  positions: Map<string, SourcePos>;
  /** JSON pointer → position of the key of a mapping entry. */
  keyPositions: Map<string, SourcePos>;
  /** JSON pointer → the scalar exactly as written (for exact amounts and codes). */
  raw: Map<string, string>;
  /** JSON pointer → offset of the first character of a block scalar's content. */
  blockStarts: Map<string, { line: number; indent: number }>;
  /** What is allowed but probably not meant (zero-width characters): printed, not fatal. */
  warnings: Finding[];
}

/** Invisible characters that are allowed but almost never meant (pasted from the web or Word). */
const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200d\u2060\ufeff]/g;
/** Keys that would reach the object model instead of the data. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function childPointer(parent: string, key: string | number): string {
  return `${parent}/${escapePointer(String(key))}`;
}

/** Reads `path`; messages name the file as `display` (a project-relative path). */
export async function readYamlFile(path: string, display: string = path): Promise<YamlSource> {
  const file = display;
  const first = { file, line: 1, col: 1 };
  let buf: Buffer;
  try {
    buf = await readRegularFile(path, MAX_FILE_BYTES);
  } catch (e) {
    if (e instanceof UnreadableFile && e.refusal.kind === 'too-large') {
      throw new InputError([
        error(
          '文件',
          'file-too-large',
          `文件过大（${e.refusal.bytes} 字节，上限 ${MAX_FILE_BYTES} 字节），请检查是否误粘贴了大量内容`,
          first,
          'file too large',
        ),
      ]);
    }
    if (e instanceof UnreadableFile) {
      throw new InputError([
        error('文件', 'file-not-regular', `${file} 不是普通文件（是设备、管道、文件夹或指向它们的链接），请换成 YAML 文件`, first, 'not a regular file'),
      ]);
    }
    throw new InputError([error('文件', 'file-missing', `找不到文件 ${file}，请检查文件名和位置`, first, 'file not found')]);
  }
  return parseYaml(file, decodeSource(buf, file));
}

export function parseYaml(file: string, text: string): YamlSource {
  if (text.length > MAX_FILE_BYTES) {
    throw new InputError([error('文件', 'file-too-large', `文件过大（上限 ${MAX_FILE_BYTES} 字节）`, { file, line: 1, col: 1 }, 'file too large')]);
  }
  const lc = new LineCounter();
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  // The syntax tree is built without recursion; its depth is measured before the
  // documents are composed (which recurses), so `[[[[…` cannot exhaust the stack.
  const tokens = [...new Parser(lc.addNewLine).parse(text)];
  const deepest = deepestNesting(tokens);
  if (deepest.depth > MAX_DEPTH) {
    throw new InputError([
      error('格式', 'yaml-too-deep', `嵌套层级过深（超过 ${MAX_DEPTH} 层），请检查括号 [ ] { } 与缩进`, at(deepest.offset), 'nesting too deep'),
    ]);
  }
  const docs = new Composer({ uniqueKeys: true, merge: false, keepSourceTokens: false }).compose(tokens);
  // Aliases are rejected node by node below, before anything could expand them.
  const findings: Finding[] = [];
  const list = [...docs];
  if (list.length > 1) {
    const second = list[1]!;
    findings.push(
      error('格式', 'yaml-multiple-documents', '一个文件只能有一个 YAML 文档，请删除多余的 “---”', at(second.range[0]), 'only one YAML document per file'),
    );
  }
  const doc = list[0];
  if (!doc) {
    throw new InputError([error('格式', 'yaml-empty', '文件是空的，请填写内容', { file, line: 1, col: 1 }, 'empty file')]);
  }
  // A typing mistake (a tab or full-width space in the indentation, a full-width colon …)
  // throws the parser off for the lines after it: it alone is reported, once.
  const mistakes = new Map<string, Finding>();
  for (const e of doc.errors) {
    const m = typingMistake(text, e.pos[0], at);
    if (m) mistakes.set(`${m.at?.line}:${m.at?.col}`, m);
  }
  if (mistakes.size) throw new InputError([...mistakes.values()]);
  for (const e of doc.errors) {
    findings.push(
      typingMistake(text, e.pos[0], at) ??
        error(
          '格式',
          `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`,
          yamlErrorMessage(e.code, e.message),
          at(e.pos[0]),
          `YAML syntax: ${e.message.split('\n')[0]}`,
        ),
    );
  }
  for (const w of doc.warnings) {
    findings.push(
      error('格式', `yaml-${w.code.toLowerCase().replace(/_/g, '-')}`, yamlErrorMessage(w.code, w.message), at(w.pos[0]), `YAML: ${w.message.split('\n')[0]}`),
    );
  }
  if (findings.length) throw new InputError(findings);

  const src: YamlSource = {
    file,
    text,
    data: null,
    positions: new Map(),
    keyPositions: new Map(),
    raw: new Map(),
    blockStarts: new Map(),
    warnings: [],
  };

  /** Position of `ch` inside the node's source range, else of the node (an escape wrote it). */
  const locate = (ch: string, node: unknown): SourcePos => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    if (!r) return { file, line: 1, col: 1 };
    const i = text.indexOf(ch, r[0]);
    return at(i >= 0 && i < r[1] ? i : r[0]);
  };
  /** Refuses control characters, lone surrogates and bidi overrides; warns of zero-width ones. */
  const checkText = (value: string, node: unknown, what: string) => {
    for (const m of value.matchAll(UNPRINTABLE)) {
      findings.push(
        error(
          '文字',
          'text-control-character',
          `${what}中有不可见的控制字符 ${codePointName(m[0])}（${controlName(m[0])}），它会打乱网页和数据文件的显示：请删除它后重新输入这段文字`,
          locate(m[0], node),
          `control character ${codePointName(m[0])} in text`,
        ),
      );
      return;
    }
    for (const m of value.matchAll(ZERO_WIDTH)) {
      src.warnings.push(
        warning(
          '文字',
          'text-zero-width',
          `${what}中有看不见的零宽字符 ${codePointName(m[0])}（多是从网页或 Word 复制带来的），搜索和比对时会对不上：请删除它`,
          locate(m[0], node),
          `zero-width character ${codePointName(m[0])} in text`,
        ),
      );
      return;
    }
  };

  const convert = (node: unknown, pointer: string, depth: number): Json => {
    if (depth > MAX_DEPTH) {
      findings.push(error('格式', 'yaml-too-deep', `嵌套层级过深（超过 ${MAX_DEPTH} 层）`, posOf(node), 'nesting too deep'));
      return null;
    }
    if (node == null) return null;
    if (isAlias(node)) {
      findings.push(error('格式', 'yaml-alias', '不支持 YAML 别名（*名称），请直接写出内容', posOf(node), 'YAML aliases are not allowed'));
      return null;
    }
    const n = node as YamlNode;
    if (n.anchor) {
      findings.push(error('格式', 'yaml-anchor', `不支持 YAML 锚点（&${n.anchor}），请删除`, posOf(node), 'YAML anchors are not allowed'));
    }
    if (n.tag && !isStandardTag(n.tag)) {
      findings.push(error('格式', 'yaml-tag', `不支持自定义标签 ${n.tag}，请删除`, posOf(node), 'custom YAML tags are not allowed'));
    }
    if (n.range) src.positions.set(pointer, at(n.range[0]));
    if (isMap(n)) {
      const out: { [key: string]: Json } = Object.create(null);
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key;
        let key: string;
        if (isScalar(keyNode) && (typeof keyNode.value === 'string' || typeof keyNode.value === 'number')) {
          key = keyNode.source !== undefined && typeof keyNode.value === 'number' ? String(keyNode.source) : String(keyNode.value);
        } else {
          findings.push(error('格式', 'yaml-key', '键必须是简单的文字', posOf(keyNode), 'keys must be plain strings'));
          continue;
        }
        if (FORBIDDEN_KEYS.has(key)) {
          findings.push(
            error('格式', 'yaml-key-reserved', `键 “${key}” 不能使用（程序内部的保留名称）：请换一个名称`, posOf(keyNode), `the key "${key}" is reserved`),
          );
          continue;
        }
        if (/^[\s\u3000]/u.test(key)) {
          findings.push(
            error(
              '格式',
              'yaml-fullwidth-space',
              '键前面有全角空格 “　”：YAML 的缩进只能用半角空格，请把全角空格换成半角空格',
              posOf(keyNode),
              'full-width space in the indentation',
            ),
          );
          continue;
        }
        checkText(key, keyNode, '键');
        const grouped = n.flow ? groupedAmount(n.items, n.items.indexOf(item)) : null;
        if (grouped) {
          findings.push(
            error(
              '格式',
              'amount-unquoted-comma',
              `金额 “${grouped.written}” 中的逗号在 { } 里被当成了分隔符：请写成 ${grouped.written.replace(/,/g, '')}（不加千位逗号），或加引号写成 "${grouped.written}"`,
              at(grouped.start),
              `the comma in ${grouped.written} separates entries inside { }: write ${grouped.written.replace(/,/g, '')} or "${grouped.written}"`,
            ),
          );
          continue;
        }
        if (n.flow && isFollowingGroup(n.items, n.items.indexOf(item))) continue;
        const p = childPointer(pointer, key);
        if (isScalar(keyNode) && keyNode.range) src.keyPositions.set(p, at(keyNode.range[0]));
        const value = convert(item.value, p, depth + 1);
        if (item.value == null && isScalar(keyNode) && keyNode.range) {
          // `key:` with nothing after it: point at the key.
          src.positions.set(p, at(keyNode.range[0]));
        }
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return Object.setPrototypeOf(out, Object.prototype) as { [key: string]: Json };
    }
    if (isSeq(n)) {
      return n.items.map((item, i) => convert(item, childPointer(pointer, i), depth + 1));
    }
    if (isScalar(n)) {
      const s = n as Scalar;
      if (s.range) src.raw.set(pointer, text.slice(s.range[0], s.range[1]).trim());
      if ((s.type === Scalar.BLOCK_LITERAL || s.type === Scalar.BLOCK_FOLDED) && s.range) {
        // Content starts on the line after the `|` header.
        const headerLine = lc.linePos(s.range[0]).line;
        const firstContent = text.slice(s.range[0]).split('\n')[1] ?? '';
        const indent = firstContent.length - firstContent.trimStart().length;
        src.blockStarts.set(pointer, { line: headerLine + 1, indent });
      }
      const v = s.value;
      if (typeof v === 'string') checkText(v, n, '文字');
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          findings.push(error('格式', 'yaml-number', `无法识别的数字 ${s.source ?? ''}`, posOf(n), 'not a finite number'));
          return null;
        }
        return v;
      }
      if (typeof v === 'bigint') return Number(v);
      // Dates and other resolved types are not part of our data: keep the text.
      return s.source ?? String(v);
    }
    findings.push(error('格式', 'yaml-node', '无法识别的内容', posOf(node), 'unsupported YAML node'));
    return null;
  };

  const posOf = (node: unknown): SourcePos => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    return r ? at(r[0]) : { file, line: 1, col: 1 };
  };

  src.data = convert(doc.contents, '', 0);
  if (findings.length) throw new InputError(findings);
  return src;
}

/** The deepest collection nesting in the syntax tree, measured with an explicit stack. */
function deepestNesting(tokens: readonly CST.Token[]): { depth: number; offset: number } {
  let best = { depth: 0, offset: 0 };
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      const d = depth + 1;
      if (d > best.depth) best = { depth: d, offset: t.offset };
      if (d > MAX_DEPTH) return best;
      for (const item of t.items as CST.CollectionItem[]) {
        if (item.key) stack.push([item.key, d]);
        if (item.value) stack.push([item.value, d]);
      }
    }
  }
  return best;
}

function isStandardTag(tag: string): boolean {
  return [
    'tag:yaml.org,2002:str',
    'tag:yaml.org,2002:int',
    'tag:yaml.org,2002:float',
    'tag:yaml.org,2002:null',
    'tag:yaml.org,2002:bool',
    'tag:yaml.org,2002:map',
    'tag:yaml.org,2002:seq',
    '!',
  ].includes(tag);
}

function yamlErrorMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return '同一层级出现了重复的键，请删除或合并重复的一项';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return '缩进或结构有误，请检查这一行的缩进（使用空格，同级内容对齐）';
    case 'TAB_AS_INDENT':
      return '缩进中使用了制表符（Tab），请改用空格';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return '不支持 YAML 别名，请直接写出内容';
    case 'RESOURCE_EXHAUSTION':
      return '内容展开过大，已拒绝（可能是别名炸弹）';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return '键的写法有误：键必须写在一行内，后接冒号和空格';
    case 'UNEXPECTED_TOKEN':
      return `无法解析的内容，请检查引号、冒号与缩进（${message.split('\n')[0]}）`;
    case 'MULTIPLE_DOCS':
      return '一个文件只能有一个 YAML 文档';
    case 'TAG_RESOLVE_FAILED':
      return '不支持的标签，请删除';
    default:
      return `YAML 格式错误：${message.split('\n')[0]}`;
  }
}

type FlowItem = { key?: unknown; value?: unknown };

/** A number scalar of 1–3 digits, as the first group of `1,207.85` reads. */
function isGroupStart(node: unknown): node is Scalar & { range: [number, number, number] } {
  return isScalar(node) && typeof node.value === 'number' && /^\d{1,3}$/.test(String(node.source ?? '')) && !!node.range;
}

/** A key with no value that reads as the next group of an amount: `207.85`, `207`, `000`. */
function isGroupKey(item: FlowItem | undefined): boolean {
  return !!item && item.value == null && isScalar(item.key) && /^\d{3}(\.\d*)?$/.test(String((item.key as Scalar).source ?? ''));
}

/** True when items[i] is the second or later group of an unquoted `1,207,000.50`. */
function isFollowingGroup(items: readonly FlowItem[], i: number): boolean {
  let j = i;
  while (j > 0 && isGroupKey(items[j])) j--;
  return j < i && isGroupStart(items[j]?.value);
}

/**
 * `{total: 1,207.85}`: inside { } the comma separates entries, so the amount reads as
 * 1 and a key "207.85" without a value. Returns the amount as typed, from the entry
 * that holds its first group.
 */
function groupedAmount(items: readonly FlowItem[], i: number): { written: string; start: number } | null {
  const first = items[i]?.value;
  if (!isGroupStart(first) || !isGroupKey(items[i + 1])) return null;
  const groups = [String(first.source)];
  for (let j = i + 1; isGroupKey(items[j]); j++) groups.push(String((items[j]!.key as Scalar).source));
  return { written: groups.join(','), start: first.range[0] };
}

function controlName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x1b) return 'ESC，终端控制序列';
  if (cp >= 0x202a && cp <= 0x202e) return '文字方向控制符，会颠倒显示顺序';
  if (cp >= 0x2066 && cp <= 0x2069) return '文字方向控制符';
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return '文字方向标记';
  if (cp === 0xfffd) return '替换字符，说明文字曾被按错误的编码读取过';
  if (cp >= 0xd800 && cp <= 0xdfff) return '不成对的代理项';
  return '控制字符';
}

/**
 * The usual typing mistakes behind a YAML syntax error, named with the character
 * and what to write instead: a tab or a full-width space in the indentation, a
 * full-width colon after a key, a full-width comma inside { }.
 */
function typingMistake(text: string, offset: number, at: (offset: number) => SourcePos): Finding | null {
  // The error's line and the one before it (an implicit key is reported where it starts).
  let lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  if (offset < text.length && text[offset] === '\n') lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines: number[] = [lineStart];
  const next = text.indexOf('\n', lineStart);
  if (next >= 0) lines.push(next + 1);
  for (const start of lines) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    const indent = /^[ \t\u3000]*/.exec(line)![0];
    const tab = indent.indexOf('\t');
    if (tab >= 0) {
      return error(
        '格式',
        'yaml-tab-indent',
        `这一行的缩进里有制表符（Tab 键，第 ${tab + 1} 列）：YAML 只能用空格缩进。请把 Tab 换成空格，与上一级对齐（VS Code：右下角 “制表符长度/空格” → “将缩进转换为空格”）`,
        at(start + tab),
        'a tab in the indentation: indent with spaces',
      );
    }
    const wide = indent.indexOf('\u3000');
    if (wide >= 0) {
      return error(
        '格式',
        'yaml-fullwidth-space',
        `这一行的缩进里有全角空格 “　”（第 ${wide + 1} 列）：YAML 只能用半角空格缩进，请换成半角空格`,
        at(start + wide),
        'a full-width space in the indentation',
      );
    }
    const colon = /^([ ]*(?:-[ ]+)?)([^\s:：#"'{}[\],]+)：/.exec(line);
    if (colon) {
      const key = colon[2]!;
      const rest = line.slice(colon[0].length).trim();
      return error(
        '格式',
        'yaml-fullwidth-colon',
        `键 “${key}” 后面是全角冒号 “：”：YAML 要用半角冒号加一个空格，请写成 “${key}: ${rest}”`,
        at(start + colon[0].length - 1),
        `full-width colon after "${key}": write "${key}: ${rest}"`,
      );
    }
    const comma = line.indexOf('，');
    if (comma >= 0 && /[{[]/.test(line.slice(0, comma))) {
      return error(
        '格式',
        'yaml-fullwidth-comma',
        '{ } 或 [ ] 里用了全角逗号 “，”：各项之间要用半角逗号 “,” 分隔（文字里的逗号请给整段文字加引号）',
        at(start + comma),
        'full-width comma inside { } or [ ]',
      );
    }
  }
  return null;
}
