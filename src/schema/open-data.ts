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
const TableId = Type.String({ description: '表标识，如 income-summary Table id in the template' });
const TableNumber = Type.Integer({ minimum: 1, description: '表号 Table number' });
const TableTitle = Type.String({ description: '表名，如 收入总表 Table title' });
const Notes = Type.Array(Type.String(), { description: '表下注释 Notes printed under the table' });

const BlockText = Type.String({ description: '文字，数字已由表格数据填入 The text, figures filled in' });
const Block = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('heading', { description: '小标题 A heading' }),
        level: Type.Integer({ minimum: 1, maximum: 6, description: '标题级别 Heading level' }),
        text: BlockText,
      },
      { additionalProperties: false },
    ),
    Type.Object({ type: Type.Literal('paragraph', { description: '段落 A paragraph' }), text: BlockText }, { additionalProperties: false }),
    Type.Object(
      {
        type: Type.Literal('table', { description: '文字部分中的小表格 A small table inside the text' }),
        columns: Type.Array(Text, { description: '列标题 Column titles' }),
        rows: Type.Array(Type.Array(Text), { description: '各行，每行一组单元格文字 Rows of cell texts' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: '文字部分的一段：标题、段落或小表格 A block of the text: heading, paragraph or small table' },
);

const Part = Type.Object(
  {
    id: Type.String({ description: '部分标识，如 overview Part id' }),
    number: Type.Integer({ minimum: 1, description: '第几部分 Position, from 1' }),
    label: Type.String({ description: '第一部分 …' }),
    title: Type.String({ description: '部门概况 …' }),
    blocks: Type.Array(Block, { description: '该部分的各段，按顺序 The blocks of the part, in order' }),
  },
  { additionalProperties: false },
);

const Column = Type.Object(
  {
    id: Type.String({ description: '列标识，也是 rows[].values 的键 Column id, the key in rows[].values' }),
    name: Type.String({
      description: '扁平化的列名，自上而下以 / 连接，与 CSV 表头一致，如 本年收入/财政拨款/一般公共预算拨款/小计 Flattened header path, as in the CSV',
    }),
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

/** What every table of the open data starts with: its kind, id, number and title. */
function tableHead<K extends string>(kind: K) {
  return { kind: Type.Literal(kind, { description: '表的类型 Kind of table' }), id: TableId, number: TableNumber, title: TableTitle };
}

const GridTable = Type.Object(
  {
    ...tableHead('grid'),
    columns: Type.Array(Column, { description: '数值列，按表中顺序 Value columns in order' }),
    rows: Type.Array(GridRow, { description: '各行：单位合计行在前，明细行按表中顺序 Rows: the unit total first, then as printed' }),
    notes: Notes,
  },
  { additionalProperties: false, description: '按行列展开的表（表2—表5、表7—表11）A table of rows and value columns' },
);

const StatementItem = Type.Object(
  {
    key: Type.String({ description: '项目键，如 fiscal Item key' }),
    label: Type.String({ description: '项目名称，如 一、财政拨款 Item as printed' }),
    level: Type.Integer({ minimum: 0, description: '缩进级次 Indentation level' }),
    amount: Amount,
  },
  { additionalProperties: false },
);

const StatementTable = Type.Object(
  {
    ...tableHead('statement'),
    income: Type.Array(StatementItem, { description: '收入方各项 Income items' }),
    expenditure: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^\\d+$', description: '功能分类科目编码 Function classification code' }),
          name: Type.String({ description: '科目名称 Classification name' }),
          level: Type.Integer({ minimum: 0, maximum: 2, description: '0 类，1 款，2 项' }),
          amount: Amount,
        },
        { additionalProperties: false },
      ),
      { description: '支出方，按支出功能分类科目 Expenditure by function classification' },
    ),
    footer: Type.Array(
      Type.Object(
        {
          side: Type.Union([Type.Literal('income'), Type.Literal('expenditure')], { description: 'income 收入方，expenditure 支出方' }),
          ...StatementItem.properties,
        },
        { additionalProperties: false },
      ),
      {
        description: '表尾合计行 The total rows at the foot, each on the income or expenditure side',
      },
    ),
    notes: Notes,
  },
  { additionalProperties: false, description: '左收右支的收支表（表1、表6）A two-sided statement' },
);

const Money = Type.Object({ total: Amount, fiscal: Amount, other: Amount }, { additionalProperties: false, description: '总额、其中财政拨款、其中其他资金' });

const PerformanceTable = Type.Object(
  {
    ...tableHead('performance-targets'),
    tasks: Type.Array(
      Type.Object(
        { name: Type.String({ description: '任务名称' }), content: Type.String({ description: '主要内容' }), amounts: Money },
        { additionalProperties: false },
      ),
      { description: '任务名称、主要内容与预算金额 Tasks with their budgets' },
    ),
    sum: Type.Object(Money.properties, { additionalProperties: false, description: '金额合计 The sum of all tasks' }),
    goal: Type.String({ description: '年度总体目标' }),
    indicators: Type.Array(
      Type.Object(
        {
          name: Type.String({ description: '一级指标' }),
          groups: Type.Array(
            Type.Object(
              {
                name: Type.String({ description: '二级指标' }),
                indicators: Type.Array(
                  Type.Object(
                    { name: Type.String({ description: '三级指标' }), target: Type.String({ description: '目标值' }) },
                    { additionalProperties: false },
                  ),
                  { description: '该二级指标下的三级指标 Third-level indicators' },
                ),
              },
              { additionalProperties: false },
            ),
            { description: '该一级指标下的二级指标 Second-level indicators' },
          ),
        },
        { additionalProperties: false },
      ),
      { description: '年度绩效指标：一级 → 二级 → 三级与目标值 Performance indicators by level' },
    ),
    notes: Notes,
  },
  { additionalProperties: false, description: '单位整体支出绩效目标表（表12）Performance targets' },
);

const Figure = Type.Object(
  {
    id: Type.String({ description: '数据标识，如 vehicles Figure id' }),
    label: Type.String({ description: '中文名称，如 车辆总数' }),
    type: Type.Union([Type.Literal('amount'), Type.Literal('count'), Type.Literal('text')], { description: 'amount 金额，count 计数，text 文字' }),
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
      { additionalProperties: false, description: 'PDF 正式文本 The official PDF' },
    ),
    parts: Type.Array(Part, { description: '文字部分的 9 个部分 The text parts' }),
    tables: Type.Array(Type.Union([GridTable, StatementTable, PerformanceTable]), { description: '表格部分，按表号顺序 The tables, in order' }),
    figures: Type.Array(Figure, { description: '表格之外、文字部分引用的数据（政府采购、车辆等）Figures the text states that no table holds' }),
    projects: Type.Array(
      Type.Object(
        { category: Type.String({ description: '项目类别' }), name: Type.String({ description: '二级项目' }), amount: Amount },
        { additionalProperties: false },
      ),
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
    description:
      '一份部门预算公开（文字部分、全部表格、表外数据）的 JSON 格式。金额单位为万元。One report of a department budget disclosure: its text, tables and figures. Amounts are in 万元.',
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

/** The property that tells the members of a union apart (`kind` of a table, `type` of a block). */
function discriminator(members: TSchema[]): string | null {
  for (const key of ['kind', 'type']) if (members.every((m) => (m.properties as Record<string, TSchema> | undefined)?.[key]?.const !== undefined)) return key;
  return null;
}

/**
 * Flattens the schema into the rows of its reference page: one row per field, its
 * path (`[]` for the items of a list; `[kind=grid]` for the items of one kind).
 */
export function schemaFields(schema: TSchema = OpenDataReport): SchemaField[] {
  const out: SchemaField[] = [];
  const typeOf = (s: TSchema): string => {
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.anyOf) return [...new Set((s.anyOf as TSchema[]).map(typeOf))].join(' | ');
    if (s.type === 'array') {
      const item = typeOf(s.items as TSchema);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    if (s.type === 'object' && s.patternProperties) return 'object（键 → 值）';
    return String(s.type ?? 'any');
  };
  const walkObject = (o: TSchema, path: string) => {
    const required = new Set<string>((o.required as string[] | undefined) ?? []);
    for (const [k, child] of Object.entries((o.properties ?? {}) as Record<string, TSchema>)) {
      const p = path ? `${path}.${k}` : k;
      out.push({ path: p, type: typeOf(child), required: required.has(k), description: String(child.description ?? '') });
      if (child.type === 'array') walk(child.items as TSchema, `${p}[]`);
      else walk(child, p);
    }
  };
  const walk = (s: TSchema, path: string) => {
    if (s.type === 'object') return walkObject(s, path);
    const members = ((s.anyOf as TSchema[] | undefined) ?? []).filter((m) => m.type === 'object');
    if (!members.length) return;
    const key = discriminator(members);
    if (members.length === 1 || !key) {
      for (const m of members) walkObject(m, path);
      return;
    }
    for (const m of members) {
      const value = String((m.properties as Record<string, TSchema>)[key]!.const);
      walkObject(m, path.endsWith('[]') ? `${path.slice(0, -2)}[${key}=${value}]` : `${path}(${key}=${value})`);
    }
  };
  walk(schema, '');
  return out;
}
