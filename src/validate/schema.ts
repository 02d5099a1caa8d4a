// Validates parsed YAML against a JSON Schema and turns the validator's errors into
// findings a finance officer can act on: in Chinese, at the file:line:col of the
// offending value, one line each.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { error, type Finding, type SourcePos } from '../errors.ts';
import type { YamlSource } from '../load/yaml-file.ts';
import { KIND } from '../schema/report.ts';

// verbose: errors carry their schema, whose x-kind and title phrase the message.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
ajv.addVocabulary([KIND]);

const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const known = compiled.get(schema);
  if (known) return known;
  const v = ajv.compile(schema);
  compiled.set(schema, v);
  return v;
}

const KIND_TEXT: Record<string, string> = {
  amount: '金额（万元，最多两位小数，如 68098.25 或 "68,098.25"）',
  count: '非负整数',
  'function-code': '功能分类科目编码（类 3 位、款 5 位、项 7 位数字，如 "2010350"）',
  'economic-code': '经济分类科目编码（类 3 位、款 5 位数字，如 "30101"）',
};

const TYPE_TEXT: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  object: '一组键值（映射）',
  array: '列表（每项以 “- ” 开头）',
  boolean: 'true 或 false',
  null: '空',
};

function describe(value: unknown): string {
  if (value === null || value === undefined) return '空值';
  if (Array.isArray(value)) return '列表';
  if (typeof value === 'object') return '一组键值';
  if (typeof value === 'string') return `文字 “${value.length > 30 ? `${value.slice(0, 30)}…` : value}”`;
  return `${typeof value === 'number' ? '数字' : '值'} ${String(value)}`;
}

function valueAt(data: unknown, pointer: string): unknown {
  if (!pointer) return data;
  let cur: unknown = data;
  for (const part of pointer.slice(1).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[key];
    else return undefined;
  }
  return cur;
}

function kindOf(schema: unknown): string | undefined {
  return schema && typeof schema === 'object' ? ((schema as Record<string, unknown>)[KIND] as string | undefined) : undefined;
}

/** Finds the nearest recorded position for a pointer, walking up to its parents. */
export function positionOf(src: YamlSource, pointer: string, preferKey = false): SourcePos {
  let p = pointer;
  for (;;) {
    const pos = (preferKey ? src.keyPositions.get(p) : undefined) ?? src.positions.get(p);
    if (pos) return pos;
    if (!p) return { file: src.file, line: 1, col: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function fieldName(pointer: string): string {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  return last.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function validateSchema(src: YamlSource, schema: object): Finding[] {
  const validate = compile(schema);
  if (validate(src.data)) return [];
  const errors = (validate.errors ?? []) as ErrorObject[];

  // Values whose schema carries x-kind get one message, not one per anyOf branch.
  const kinded = new Map<string, string>();
  for (const e of errors) {
    const k = kindOf(e.parentSchema);
    if (k && e.keyword === 'anyOf') kinded.set(e.instancePath, k);
  }

  const findings: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${f.at?.line}:${f.at?.col}:${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f);
    }
  };

  for (const e of errors) {
    const path = e.instancePath;
    const value = valueAt(src.data, path);
    const name = fieldName(path);
    if (kinded.has(path)) {
      if (e.keyword !== 'anyOf') continue;
      const k = kinded.get(path)!;
      const title = (e.parentSchema as { title?: string } | undefined)?.title;
      const label = title ? `${title}（${name}）` : name;
      push(error('格式', 'schema-type', `“${label}” 应为${KIND_TEXT[k] ?? k}，实际是${describe(value)}`, positionOf(src, path), `expected ${k}`));
      continue;
    }
    // Errors under an anyOf that has an x-kind are summarised above.
    if ([...kinded.keys()].some((k) => path === k || path.startsWith(`${k}/`))) continue;
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        const where = path ? `“${name}” 中` : '文件中';
        push(error('格式', 'schema-required', `${where}缺少必填项 “${missing}”，请补上`, positionOf(src, path), `missing required key "${missing}"`));
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys(((e.parentSchema as Record<string, unknown>)?.properties as object) ?? {});
        const hint = allowed.length ? `；可用的键：${allowed.join('、')}` : '';
        push(
          error(
            '格式',
            'schema-unknown-key',
            `未知的键 “${extra}”，请检查拼写${hint}`,
            positionOf(src, `${path}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`, true),
            `unknown key "${extra}"`,
          ),
        );
        break;
      }
      case 'type': {
        const expected = String((e.params as { type: string }).type)
          .split(',')
          .map((t) => TYPE_TEXT[t] ?? t)
          .join('或');
        push(
          error(
            '格式',
            'schema-type',
            `“${name || '文件'}” 应为${expected}，实际是${describe(value)}`,
            positionOf(src, path),
            `expected ${(e.params as { type: string }).type}`,
          ),
        );
        break;
      }
      case 'const': {
        const allowed = (e.params as { allowedValue: unknown }).allowedValue;
        push(
          error('格式', 'schema-const', `“${name}” 应为 “${String(allowed)}”，实际是${describe(value)}`, positionOf(src, path), `must be "${String(allowed)}"`),
        );
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        push(error('格式', 'schema-enum', `“${name}” 应为以下之一：${allowed.join('、')}`, positionOf(src, path), 'not an allowed value'));
        break;
      }
      case 'pattern':
        push(
          error(
            '格式',
            'schema-pattern',
            `“${name}” 的写法不符合要求：${String((e.parentSchema as { description?: string })?.description ?? e.message)}`,
            positionOf(src, path),
            'bad format',
          ),
        );
        break;
      case 'minItems':
        push(error('格式', 'schema-min-items', `“${name}” 至少需要 ${(e.params as { limit: number }).limit} 项`, positionOf(src, path), 'too few items'));
        break;
      case 'maxItems':
        push(error('格式', 'schema-max-items', `“${name}” 最多 ${(e.params as { limit: number }).limit} 项`, positionOf(src, path), 'too many items'));
        break;
      case 'minLength':
        push(error('格式', 'schema-empty', `“${name}” 不能为空`, positionOf(src, path), 'must not be empty'));
        break;
      case 'anyOf':
      case 'oneOf':
        // Reported through their branches.
        break;
      default:
        push(error('格式', `schema-${e.keyword}`, `“${name}” ${e.message ?? '不符合要求'}`, positionOf(src, path), e.message));
    }
  }
  // anyOf without a kind (e.g. narrative blocks) produced only branch errors; fine.
  return findings;
}
