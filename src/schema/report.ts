// Schemas of a report's own files (report.yaml, narrative.yaml, tables/*.yaml),
// generated from the table set so that a new template needs no code. They are
// exported as JSON Schema and referenced from each YAML file, so an editor with
// the YAML language server completes keys and underlines mistakes as you type.

import type { TSchema } from '@sinclair/typebox';
import type { ColumnNode, FigureDef, GridLayout, PerformanceLayout, StatementLayout, TableLayout, TableSetFile } from './table-set.ts';

type Schema = Record<string, unknown>;

/** Custom annotation telling the validator how to phrase errors for this value. */
export const KIND = 'x-kind';

export const amountSchema: Schema = {
  [KIND]: 'amount',
  description: '金额（万元，最多两位小数），如 68098.25 或 "68,098.25"；未填时留空',
  anyOf: [{ type: 'number' }, { type: 'string', pattern: '^[+-]?(\\d+|\\d{1,3}(,\\d{3})+)(\\.\\d{1,2})?$' }, { type: 'null' }],
};

export const countSchema: Schema = {
  [KIND]: 'count',
  description: '数量（整数）',
  anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }],
};

function codeSchema(kind: 'function-codes' | 'economic-codes'): Schema {
  const pattern = kind === 'function-codes' ? '^\\d{3}(\\d{2}){0,2}$' : '^\\d{3}(\\d{2})?$';
  return {
    [KIND]: kind === 'function-codes' ? 'function-code' : 'economic-code',
    description: kind === 'function-codes' ? '功能分类科目编码：类 3 位、款 5 位、项 7 位，如 "2010350"' : '经济分类科目编码：类 3 位、款 5 位，如 "30101"',
    anyOf: [{ type: 'string', pattern }, { type: 'integer' }],
  };
}

const text = (description: string): Schema => ({ type: 'string', minLength: 1, description });

export function leafColumns(columns: readonly ColumnNode[]): ColumnNode[] {
  const out: ColumnNode[] = [];
  const walk = (nodes: readonly ColumnNode[]) => {
    for (const n of nodes) {
      if (n.children?.length) walk(n.children);
      else out.push(n);
    }
  };
  walk(columns);
  return out;
}

function valuesObject(columns: readonly ColumnNode[], extra: Record<string, Schema> = {}, required: string[] = []): Schema {
  const props: Record<string, Schema> = { ...extra };
  const leaves = leafColumns(columns).filter((c) => (c.type ?? 'amount') === 'amount');
  for (const leaf of leaves) props[leaf.id!] = { ...amountSchema, title: leaf.title };
  return {
    type: 'object',
    additionalProperties: false,
    required: [...required, ...leaves.map((l) => l.id!)],
    properties: props,
  };
}

const notesSchema: Schema = {
  type: 'array',
  description: '本报告此表的表下注释（模板规定的注释之外），如 “注：本表本年无发生额。”',
  items: { type: 'string', minLength: 1 },
};

function tableHeader(layout: TableLayout): Schema {
  return { const: layout.id, description: `表${layout.number} ${layout.title}` };
}

function gridSchema(layout: GridLayout): Schema {
  const props: Record<string, Schema> = { table: tableHeader(layout), notes: notesSchema };
  const required = ['table'];
  const rk = layout.rows.kind;
  if (layout.rows.total || rk === 'total-only') {
    props.total = { ...valuesObject(layout.columns), description: '单位合计行（表中以单位名称列示的首行）' };
    required.push('total');
  }
  if (rk === 'function-codes' || rk === 'economic-codes') {
    props.rows = {
      type: 'array',
      description: '科目行，按公开顺序；类、款、项依编码长度识别',
      items: valuesObject(layout.columns, { code: codeSchema(rk), name: text('科目名称') }, ['code', 'name']),
    };
    required.push('rows');
  } else if (rk === 'items') {
    props.rows = {
      type: 'array',
      description: '项目行，按公开顺序',
      items: valuesObject(layout.columns, { name: text('项目名称') }, ['name']),
    };
    required.push('rows');
  } else if (rk === 'fixed') {
    const fixed = layout.rows.fixed ?? [];
    props.rows = {
      type: 'object',
      additionalProperties: false,
      required: fixed.map((f) => f.key),
      properties: Object.fromEntries(fixed.map((f) => [f.key, { ...valuesObject(layout.columns), title: f.label }])),
    };
    required.push('rows');
  }
  return { type: 'object', additionalProperties: false, required, properties: props };
}

function statementSchema(layout: StatementLayout): Schema {
  const amounts = (items: { key: string; label: string }[]): Schema => ({
    type: 'object',
    additionalProperties: false,
    required: items.map((i) => i.key),
    properties: Object.fromEntries(items.map((i) => [i.key, { ...amountSchema, title: i.label }])),
  });
  return {
    type: 'object',
    additionalProperties: false,
    required: ['table', 'income', 'expenditure', 'footer'],
    properties: {
      table: tableHeader(layout),
      income: { ...amounts(layout.income), description: '收入项目' },
      expenditure: {
        type: 'array',
        description: '支出，按功能分类科目',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'name', 'amount'],
          properties: { code: codeSchema('function-codes'), name: text('科目名称'), amount: amountSchema },
        },
      },
      footer: { ...amounts(layout.footer.flat()), description: '合计、结转与总计' },
      notes: notesSchema,
    },
  };
}

function performanceSchema(layout: PerformanceLayout): Schema {
  const L = layout.labels;
  const money = { total: { ...amountSchema, title: L.total }, fiscal: { ...amountSchema, title: L.fiscal }, other: { ...amountSchema, title: L.other } };
  const indicator: Schema = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'target'],
    properties: { name: text(L.level3), target: { type: 'string', description: L.target } },
  };
  const level2: Schema = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'indicators'],
    properties: { name: text(L.level2), indicators: { type: 'array', minItems: 1, items: indicator } },
  };
  const level1: Schema = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'groups'],
    properties: { name: text(L.level1), groups: { type: 'array', minItems: 1, items: level2 } },
  };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['table', 'tasks', 'sum', 'goal', 'indicators'],
    properties: {
      table: tableHeader(layout),
      tasks: {
        type: 'array',
        minItems: 1,
        description: L.task,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'content', 'total', 'fiscal', 'other'],
          properties: { name: text(L.task), content: text(L.content), ...money },
        },
      },
      sum: { type: 'object', additionalProperties: false, required: ['total', 'fiscal', 'other'], properties: money, description: L.sum },
      goal: text(L.goal),
      indicators: { type: 'array', minItems: 1, items: level1, description: L.indicators },
      notes: notesSchema,
    },
  };
}

export function tableDataSchema(layout: TableLayout): Schema {
  const body = layout.kind === 'grid' ? gridSchema(layout) : layout.kind === 'statement' ? statementSchema(layout) : performanceSchema(layout);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `表${layout.number} ${layout.title}`, ...body };
}

function figureSchema(def: FigureDef): Schema {
  const base = def.type === 'amount' ? amountSchema : def.type === 'count' ? countSchema : { type: ['string', 'null'] };
  return { ...base, title: def.label };
}

export function reportSchema(set: TableSetFile): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `报告信息（${set.name}）`,
    type: 'object',
    additionalProperties: false,
    required: ['unit', 'department', 'year', 'kind', 'currency', 'tableSet', 'prior', 'figures'],
    properties: {
      unit: text('单位名称，如 深圳市大数据资源管理中心'),
      department: text('主管部门，如 深圳市政务服务和数据管理局'),
      year: { type: 'integer', minimum: 2000, maximum: 2100, description: '预算年度' },
      kind: { const: set.kind, description: '公开类型' },
      currency: { const: set.currency, description: '金额单位' },
      tableSet: { const: set.id, description: '使用的公开模板' },
      published: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '公开日期 YYYY-MM-DD（用作 PDF 的创建日期）' },
      prior: {
        type: 'object',
        additionalProperties: false,
        required: ['year', 'basis'],
        description: '上年对比口径；上年报告不在本项目中时，文字部分引用的上年数在 stated 中列明',
        properties: {
          year: { type: 'integer', description: '上年年度' },
          basis: text('上年口径，如 年初预算'),
          stated: {
            type: 'object',
            description: '文字部分所述上年数：键为引用路径（与本年引用相同），值为金额或数量',
            additionalProperties: { anyOf: [amountSchema, countSchema] },
          },
        },
      },
      figures: {
        type: 'object',
        additionalProperties: false,
        required: set.figures.map((f) => f.id),
        description: '表格之外、文字部分引用的数据',
        properties: Object.fromEntries(set.figures.map((f) => [f.id, figureSchema(f)])),
      },
      projects: {
        type: 'object',
        description: '二级项目预算：项目类别 → 项目名称 → 金额（文字部分第三部分列举）',
        additionalProperties: { type: 'object', additionalProperties: amountSchema },
      },
    },
  };
}

export function narrativeSchema(set: TableSetFile): Schema {
  const cell: Schema = { type: 'string' };
  const block: Schema = {
    anyOf: [
      { type: 'string', description: 'Markdown 段落；{{ … }} 为对数据的引用' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['table'],
        properties: {
          table: {
            type: 'object',
            additionalProperties: false,
            required: ['columns', 'rows'],
            properties: {
              columns: { type: 'array', minItems: 1, items: cell },
              rows: { type: 'array', items: { type: 'array', items: cell } },
            },
          },
        },
      },
    ],
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `文字部分（${set.name}）`,
    type: 'object',
    additionalProperties: false,
    required: set.parts.map((p) => p.id),
    properties: Object.fromEntries(
      set.parts.map((p, i) => [
        p.id,
        { description: `第${'一二三四五六七八九十'[i] ?? i + 1}部分 ${p.title}`, anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: block }] },
      ]),
    ),
  };
}

export function reportFileSchemas(set: TableSetFile, layouts: readonly TableLayout[]): Record<string, TSchema> {
  const out: Record<string, Schema> = { report: reportSchema(set), narrative: narrativeSchema(set) };
  for (const l of layouts) out[l.id] = tableDataSchema(l);
  return out as Record<string, TSchema>;
}
