// Schema of a table set's consistency rules (data/table-sets/<set>/rules.yaml): the
// 勾稽关系 a disclosure must satisfy, written as data so that a changed template
// changes its rules without code. One flat object per rule; which fields a kind
// needs is checked when the rules are loaded (src/check/rules.ts), with positions.

import { Type, type Static } from '@sinclair/typebox';

export const RULE_KINDS = [
  'hierarchy',
  'columns',
  'across',
  'completeness',
  'empty-table-note',
  'placeholders',
  'title-year',
  'code-names',
  'to-fill',
  'narrative-amounts',
  'narrative-wording',
  'narrative-rows',
] as const;

export type RuleKind = (typeof RULE_KINDS)[number];

const Words = (description: string) => Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description });

export const RuleDef = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: '规则编号：英文小写字母、数字和连字符，在本文件中唯一' }),
    kind: Type.Union(
      RULE_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          'hierarchy 层级合计；columns 栏目合计（表内）；across 表间勾稽；completeness 表与部分齐全；empty-table-note 空表说明；placeholders 占位文字；title-year 标题年度；code-names 科目名称一致；to-fill 待填写；narrative-amounts 文字中的金额；narrative-wording 增减表述；narrative-rows 引用对象',
      },
    ),
    name: Type.Optional(Type.String({ minLength: 1, description: '规则的中文说明（只作文档）' })),
    table: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'hierarchy：表的名称，如 expenditure-summary' })),
    sum: Type.Optional(
      Type.String({ minLength: 1, description: 'hierarchy：各类之和应等于的数（收支总表类表格），如 income-expenditure-summary.footer.expenditure-this-year' }),
    ),
    expect: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'columns / across：等式或不等式，如 expenditure-summary[*].total = expenditure-summary[*].basic + expenditure-summary[*].project；[*] 表示每一行，.* 表示每一栏',
      }),
    ),
    total: Type.Optional(Type.Boolean({ description: 'columns / across：[*] 是否也包括单位合计行（表12 为金额合计）' })),
    except: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'columns / across：[*] 跳过的行（编码或名称）' })),
    note: Type.Optional(Type.String({ minLength: 1, description: 'empty-table-note：空表应有的说明文字，如 本表本年无发生额' })),
    words: Type.Optional(Words('placeholders：不得出现的占位文字，如 XX、××、待填写、TODO')),
    thresholds: Type.Optional(Words('narrative-amounts：紧跟在“万元”之后、表示限额而非金额的词，如 以上、以下')),
    increase: Type.Optional(Words('narrative-wording：表示增加的词')),
    decrease: Type.Optional(Words('narrative-wording：表示减少的词')),
    unchanged: Type.Optional(Words('narrative-wording：表示持平的词')),
    signed: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'narrative-wording：本身就是增减额的行，如 three-public-expenses[change]' }),
    ),
    aliases: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })), {
        description: 'narrative-rows：文字中对某行的其他叫法：表名 → 行的编码或名称 → 叫法列表，如 basic-expenditure: {"301": [人员支出]}',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RulesFile = Type.Object(
  {
    rules: Type.Array(RuleDef, { minItems: 1, description: '本模板的勾稽规则，按顺序检查' }),
  },
  { additionalProperties: false },
);

export type RuleDef = Static<typeof RuleDef>;
export type RulesFile = Static<typeof RulesFile>;
