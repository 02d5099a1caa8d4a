// The open-data format of a report: the whole disclosure — text, tables, figures —
// as one JSON file per report, published next to the PDF. This schema is the
// format's documentation: the site publishes it as JSON Schema and renders its
// descriptions as the format's reference page, so the two cannot drift apart.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const OPEN_DATA_VERSION = 1;

const Amount = Type.Union([Type.Number(), Type.Null()], {
  description: '金额，单位万元，最多两位小数（如 68098.25）；尚未填写为 null。Amount in 万元 (10,000 yuan), exact to two decimals; null where not filled in.',
});
const Text = Type.String();
const Notes = Type.Array(Type.String(), { description: '表下注释 Notes printed under the table' });

const Block = Type.Union(
  [
    Type.Object({ type: Type.Literal('heading'), level: Type.Integer({ minimum: 1, maximum: 6 }), text: Text }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('paragraph'), text: Text }, { additionalProperties: false }),
    Type.Object(
      { type: Type.Literal('table'), columns: Type.Array(Text), rows: Type.Array(Type.Array(Text)) },
      { additionalProperties: false, description: '文字部分中的小表格 A small table inside the text' },
    ),
  ],
  { description: '文字部分的一段：标题、段落或小表格，数字已由表格数据填入 A block of the text, with every figure already filled in from the tables' },
);

const Part = Type.Object(
  {
    id: Type.String({ description: '部分标识，如 overview Part id' }),
    number: Type.Integer({ minimum: 1, description: '第几部分 Position, from 1' }),
    label: Type.String({ description: '第一部分 …' }),
    title: Type.String({ description: '部门概况 …' }),
    blocks: Type.Array(Block),
  },
  { additionalProperties: false },
);

const Column = Type.Object(
  {
    id: Type.String({ description: '列标识，也是 rows[].values 的键 Column id, the key in rows[].values' }),
    name: Type.String({ description: '扁平化的列名，自上而下以 / 连接，与 CSV 表头一致，如 本年收入/财政拨款/一般公共预算拨款/小计 Flattened header path, as in the CSV' }),
    path: Type.Array(Type.String(), { description: '多行表头中自上而下的各级标题 The header titles from top to bottom' }),
  },
  { additionalProperties: false },
);

const GridRow = Type.Object(
  {
    role: Type.Union([Type.Literal('total'), Type.Literal('row')], { description: 'total 单位合计行，row 明细行' }),
    key: Type.String({ description: '行键：科目编码、项目名称或固定行键；合计行为 total Row key' }),
    code: Type.Optional(Type.String({ pattern: '^\\d+$', description: '科目编码（功能分类 3/5/7 位，经济分类 3/5 位）Classification code' })),
    name: Type.Optional(Type.String({ description: '科目名称、项目名称或预算单位 Row name' })),
    label: Type.Optional(Type.String({ description: '固定行的行名，如 2024年 Label of a fixed row' })),
    level: Type.Integer({ minimum: 0, maximum: 2, description: '科目级次：0 类，1 款，2 项 Classification level' }),
    values: Type.Record(Type.String(), Amount, { description: '列标识 → 金额 Column id → amount' }),
  },
  { additionalProperties: false },
);

const GridTable = Type.Object(
  {
    kind: Type.Literal('grid'),
    id: Type.String(),
    number: Type.Integer({ minimum: 1, description: '表号 Table number' }),
    title: Type.String(),
    columns: Type.Array(Column, { description: '数值列，按表中顺序 Value columns in order' }),
    rows: Type.Array(GridRow),
    notes: Notes,
  },
  { additionalProperties: false, description: '按行列展开的表（表2—表5、表7—表11）A table of rows and value columns' },
);

const StatementItem = Type.Object(
  {
    key: Type.String(),
    label: Type.String({ description: '项目名称，如 一、财政拨款' }),
    level: Type.Integer({ minimum: 0 }),
    amount: Amount,
  },
  { additionalProperties: false },
);

const StatementTable = Type.Object(
  {
    kind: Type.Literal('statement'),
    id: Type.String(),
    number: Type.Integer({ minimum: 1 }),
    title: Type.String(),
    income: Type.Array(StatementItem, { description: '收入方各项 Income items' }),
    expenditure: Type.Array(
      Type.Object(
        { code: Type.String({ pattern: '^\\d+$' }), name: Type.String(), level: Type.Integer({ minimum: 0, maximum: 2 }), amount: Amount },
        { additionalProperties: false },
      ),
      { description: '支出方，按支出功能分类科目 Expenditure by function classification' },
    ),
    footer: Type.Array(Type.Object({ side: Type.Union([Type.Literal('income'), Type.Literal('expenditure')], { description: 'income 收入方，expenditure 支出方' }), ...StatementItem.properties }, { additionalProperties: false }), {
      description: '表尾合计行 The total rows at the foot, each on the income or expenditure side',
    }),
    notes: Notes,
  },
  { additionalProperties: false, description: '左收右支的收支表（表1、表6）A two-sided statement' },
);

const Money = Type.Object({ total: Amount, fiscal: Amount, other: Amount }, { additionalProperties: false, description: '总额、其中财政拨款、其中其他资金' });

const PerformanceTable = Type.Object(
  {
    kind: Type.Literal('performance-targets'),
    id: Type.String(),
    number: Type.Integer({ minimum: 1 }),
    title: Type.String(),
    tasks: Type.Array(Type.Object({ name: Text, content: Text, amounts: Money }, { additionalProperties: false }), { description: '任务名称、主要内容与预算金额' }),
    sum: Money,
    goal: Type.String({ description: '年度总体目标' }),
    indicators: Type.Array(
      Type.Object(
        {
          name: Type.String({ description: '一级指标' }),
          groups: Type.Array(
            Type.Object(
              {
                name: Type.String({ description: '二级指标' }),
                indicators: Type.Array(Type.Object({ name: Type.String({ description: '三级指标' }), target: Type.String({ description: '目标值' }) }, { additionalProperties: false })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    notes: Notes,
  },
  { additionalProperties: false, description: '单位整体支出绩效目标表（表12）Performance targets' },
);

const Figure = Type.Object(
  {
    id: Type.String(),
    label: Type.String({ description: '中文名称，如 车辆总数' }),
    type: Type.Union([Type.Literal('amount'), Type.Literal('count'), Type.Literal('text')]),
    unit: Type.Optional(Type.String({ description: '计数单位，如 辆' })),
    value: Type.Union([Type.Number(), Type.String(), Type.Null()], { description: 'amount 为万元金额，count 为整数，text 为文字；未填写为 null' }),
  },
  { additionalProperties: false },
);

export const OpenDataReport = Type.Object(
  {
    $schema: Type.String({ description: '本格式 JSON Schema 的地址（相对本文件）Where this schema is, relative to the file' }),
    formatVersion: Type.Literal(OPEN_DATA_VERSION, { description: '格式版本 Format version' }),
    id: Type.String({ description: '<单位>/<年度>，也是网址的路径 The report id, also its URL path' }),
    unit: Type.String({ description: '单位名称' }),
    department: Type.String({ description: '主管部门' }),
    year: Type.Integer({ description: '预算年度' }),
    kind: Type.String({ description: '公开类型，如 部门预算' }),
    title: Type.String({ description: '文件标题' }),
    currency: Type.Literal('万元', { description: '金额单位：万元 All amounts are in 万元 (10,000 yuan)' }),
    tableSet: Type.String({ description: '使用的公开模板 The official template used' }),
    published: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '公开日期' })),
    prior: Type.Object(
      { year: Type.Integer({ description: '上年度' }), basis: Type.String({ description: '上年数的口径，如 年初预算' }) },
      { additionalProperties: false, description: '文字部分比较所用的上年度 The prior year the text compares with' },
    ),
    pdf: Type.Object(
      {
        href: Type.String({ description: 'PDF 正式文本（相对本文件）The official PDF, relative to this file' }),
        sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'PDF 的 SHA-256，用于核对存档 For checking archived copies' }),
      },
      { additionalProperties: false },
    ),
    parts: Type.Array(Part, { description: '文字部分的 9 个部分 The text parts' }),
    tables: Type.Array(Type.Union([GridTable, StatementTable, PerformanceTable]), { description: '表格部分，按表号顺序 The tables, in order' }),
    figures: Type.Array(Figure, { description: '表格之外、文字部分引用的数据（政府采购、车辆等）Figures the text states that no table holds' }),
    projects: Type.Array(
      Type.Object({ category: Type.String({ description: '项目类别' }), name: Type.String({ description: '二级项目' }), amount: Amount }, { additionalProperties: false }),
      { description: '二级项目预算 Second-level project budgets' },
    ),
  },
  { additionalProperties: false },
);

export type OpenDataReport = Static<typeof OpenDataReport>;
export type OpenDataTable = OpenDataReport['tables'][number];

/** The schema as published on the site. */
export function openDataSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '部门预算公开数据 Budget disclosure open data',
    description: '一份部门预算公开（文字部分、全部表格、表外数据）的 JSON 格式。金额单位为万元。One report of a department budget disclosure: its text, tables and figures. Amounts are in 万元.',
    ...(OpenDataReport as TSchema),
  };
}

export interface SchemaField {
  /** JSON path with [] for array items, e.g. tables[].rows[].values */
  path: string;
  type: string;
  required: boolean;
  description: string;
}

/** Flattens the schema into the rows of its reference page. */
export function schemaFields(schema: TSchema = OpenDataReport): SchemaField[] {
  const out: SchemaField[] = [];
  const typeOf = (s: TSchema): string => {
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.anyOf) return (s.anyOf as TSchema[]).map(typeOf).join(' | ');
    if (s.allOf) return 'object';
    if (s.type === 'array') return `${typeOf(s.items as TSchema)}[]`;
    if (s.type === 'object' && s.patternProperties) return 'object（键 → 值）';
    return String(s.type ?? 'any');
  };
  const walk = (s: TSchema, path: string) => {
    const objects: TSchema[] = s.type === 'object' ? [s] : s.allOf ? (s.allOf as TSchema[]) : s.anyOf ? (s.anyOf as TSchema[]).filter((x) => x.type === 'object') : [];
    for (const o of objects) {
      const required = new Set<string>((o.required as string[] | undefined) ?? []);
      for (const [k, child] of Object.entries((o.properties ?? {}) as Record<string, TSchema>)) {
        const p = path ? `${path}.${k}` : k;
        if (out.some((f) => f.path === p)) continue;
        out.push({ path: p, type: typeOf(child), required: required.has(k), description: String(child.description ?? '') });
        if (child.type === 'array') walk(child.items as TSchema, `${p}[]`);
        else walk(child, p);
      }
    }
  };
  walk(schema, '');
  return out;
}
