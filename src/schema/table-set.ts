// Schemas of the table set: the official template that says which parts and tables
// a report has, and how each table is laid out. Written once, shared by every unit
// and year that uses the template; exported as JSON Schema for editors.

import { Type, type Static, type TArray, type TSchema, type TUnsafe } from '@sinclair/typebox';
import type { YamlSource } from '../load/yaml-file.ts';

/** A schema whose static type is a list of T (for the hand-typed column tree). */
type TArrayOf<T> = TArray<TUnsafe<T>>;

const Id = Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: '英文标识，小写字母、数字和连字符' });
const Title = Type.String({ minLength: 1 });

export const ColumnType = Type.Union([Type.Literal('amount'), Type.Literal('text')]);

/** Amounts that may be negative: only changes (增减) can be; every other amount is refused below zero. */
const Signed = Type.Optional(Type.Boolean({ description: '可为负数（增减变化栏/行）；不写则该栏/行的金额不得为负' }));

/** A column of a table header; a node with children is a group, a leaf shows one value. */
export interface ColumnNode {
  id?: string;
  title: string;
  type?: 'amount' | 'text';
  /** The column holds changes (增减), which may be negative. */
  signed?: boolean;
  children?: ColumnNode[];
}
// Spelled out to a fixed depth (official headers have at most four levels) rather than
// as a recursive schema, so the exported JSON Schema needs no $ref resolution.
const MAX_HEADER_DEPTH = 5;
function columnNodeSchema(depth: number): TSchema {
  return Type.Object(
    {
      id: Type.Optional(Id),
      title: Title,
      type: Type.Optional(ColumnType),
      signed: Signed,
      ...(depth > 1 ? { children: Type.Optional(Type.Array(columnNodeSchema(depth - 1), { minItems: 1 })) } : {}),
    },
    { additionalProperties: false, description: '表头的一列：有 children 的是分组，否则是显示一个数值的末级列（需要 id）' },
  );
}
export const ColumnNode = columnNodeSchema(MAX_HEADER_DEPTH);

const Orientation = Type.Union([Type.Literal('portrait'), Type.Literal('landscape')], { description: 'portrait 纵向，landscape 横向' });
const Notes = Type.Array(Type.String({ minLength: 1 }), { description: '表下注释，每条一行' });

const Common = {
  id: Id,
  number: Type.Integer({ minimum: 1, description: '表号（表 N）' }),
  title: Title,
  orientation: Orientation,
  notes: Type.Optional(Notes),
};

export const StubField = Type.Union([Type.Literal('unit'), Type.Literal('code'), Type.Literal('name'), Type.Literal('label')], {
  description: 'unit 预算单位，code 科目编码，name 科目/项目名称，label 固定行的行名',
});

export const RowKind = Type.Union(
  [Type.Literal('function-codes'), Type.Literal('economic-codes'), Type.Literal('items'), Type.Literal('fixed'), Type.Literal('total-only')],
  { description: 'function-codes 按功能分类科目，economic-codes 按经济分类科目，items 按项目名称，fixed 固定行，total-only 只有单位合计行' },
);

export const FixedRow = Type.Object({ key: Id, label: Title, signed: Signed }, { additionalProperties: false });

export const GridLayout = Type.Object(
  {
    ...Common,
    kind: Type.Literal('grid'),
    unitLabel: Type.String({ description: '标题下的单位标签，如 部门名称、单位名称' }),
    stub: Type.Array(Type.Object({ field: StubField, title: Title }, { additionalProperties: false }), { minItems: 1 }),
    rows: Type.Object(
      {
        kind: RowKind,
        total: Type.Optional(Type.Boolean({ description: '是否有单位合计行（首行，显示单位名称）' })),
        fixed: Type.Optional(Type.Array(FixedRow, { minItems: 1 })),
      },
      { additionalProperties: false },
    ),
    columns: Type.Array(ColumnNode, { minItems: 1 }) as unknown as TArrayOf<ColumnNode>,
  },
  { additionalProperties: false },
);

export const StatementItem = Type.Object(
  { key: Id, label: Title, level: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })), signed: Signed },
  { additionalProperties: false },
);

export const StatementLayout = Type.Object(
  {
    ...Common,
    kind: Type.Literal('statement'),
    unitLabel: Type.String(),
    columns: Type.Array(ColumnNode, { minItems: 2, maxItems: 2, description: '左收入、右支出两组，各含项目列与金额列' }) as unknown as TArrayOf<ColumnNode>,
    income: Type.Array(StatementItem, { minItems: 1 }),
    expenditure: Type.Literal('function-codes'),
    footer: Type.Array(Type.Array(StatementItem, { minItems: 1, maxItems: 2 }), { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const PerformanceLabels = Type.Object(
  {
    unit: Title,
    department: Title,
    task: Title,
    content: Title,
    budget: Title,
    total: Title,
    fiscal: Title,
    other: Title,
    sum: Title,
    goal: Title,
    indicators: Title,
    level1: Title,
    level2: Title,
    level3: Title,
    target: Title,
  },
  { additionalProperties: false },
);

export const PerformanceLayout = Type.Object(
  {
    ...Common,
    kind: Type.Literal('performance-targets'),
    heading: Title,
    subtitle: Title,
    labels: PerformanceLabels,
  },
  { additionalProperties: false },
);

export const TableLayout = Type.Union([GridLayout, StatementLayout, PerformanceLayout]);

export const FigureDef = Type.Object(
  {
    id: Id,
    label: Title,
    type: Type.Union([Type.Literal('amount'), Type.Literal('count'), Type.Literal('text')]),
    unit: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const TableSetFile = Type.Object(
  {
    id: Id,
    name: Title,
    kind: Title,
    title: Title,
    currency: Type.Literal('万元'),
    parts: Type.Array(Type.Object({ id: Id, title: Title }, { additionalProperties: false }), { minItems: 1 }),
    tables: Type.Array(Id, { minItems: 1 }),
    figures: Type.Array(FigureDef),
  },
  { additionalProperties: false },
);

export type GridLayout = Static<typeof GridLayout>;
export type StatementLayout = Static<typeof StatementLayout>;
export type StatementItem = Static<typeof StatementItem>;
export type PerformanceLayout = Static<typeof PerformanceLayout>;
export type TableLayout = GridLayout | StatementLayout | PerformanceLayout;
export type FigureDef = Static<typeof FigureDef>;
export type TableSetFile = Static<typeof TableSetFile>;

/** A loaded table set: the set file plus its table layouts in order. */
export interface TableSet extends TableSetFile {
  dir: string;
  layouts: TableLayout[];
  /** Schemas of every file of a report that uses this set, generated from the layouts. */
  schemas: Record<string, TSchema>;
  /** The files read, with positions: `set` and each layout by table id. */
  sources: Map<string, YamlSource>;
}
