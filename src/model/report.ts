// The report as the rest of the pipeline sees it: validated, typed, amounts in
// integer hundredths, every value still knowing where it was written.

import type { SourcePos } from '../errors.ts';
import type { YamlSource } from '../load/yaml-file.ts';
import type { TableSet } from '../schema/table-set.ts';
import type { Cents } from './money.ts';

/** An amount as written; `cents` is null where the officer has not filled it in yet. */
export interface Amount {
  cents: Cents | null;
  at: SourcePos;
}

export interface Count {
  count: number | null;
  at: SourcePos;
}

/** A piece of text from a source file, with what is needed to place an offset inside it. */
export interface SourceText {
  text: string;
  file: string;
  pointer: string;
  at: SourcePos;
  /** For block scalars (`|`): the line of the first content line and its indentation. */
  block?: { line: number; indent: number };
  /** True when the scalar was written in quotes (its text starts one column later). */
  quoted?: boolean;
}

export interface ValueRow {
  /** Code for classified rows, name for item rows, key for fixed rows, 'total' for the unit row. */
  key: string;
  code?: string;
  name?: string;
  label?: string;
  /** 0 for 类 / the unit row's children, 1 for 款, 2 for 项. */
  level: number;
  values: Record<string, Amount>;
  at: SourcePos;
}

export interface GridData {
  kind: 'grid';
  total?: ValueRow;
  rows: ValueRow[];
  notes: SourceText[];
}

export interface StatementData {
  kind: 'statement';
  income: Record<string, Amount>;
  expenditure: ValueRow[];
  footer: Record<string, Amount>;
  notes: SourceText[];
}

export interface PerformanceTask {
  name: SourceText;
  content: SourceText;
  values: Record<'total' | 'fiscal' | 'other', Amount>;
  at: SourcePos;
}

export interface Indicator {
  name: SourceText;
  target: SourceText;
}
export interface IndicatorGroup {
  name: SourceText;
  indicators: Indicator[];
}
export interface IndicatorCategory {
  name: SourceText;
  groups: IndicatorGroup[];
}

export interface PerformanceData {
  kind: 'performance-targets';
  tasks: PerformanceTask[];
  sum: Record<'total' | 'fiscal' | 'other', Amount>;
  goal: SourceText;
  indicators: IndicatorCategory[];
  notes: SourceText[];
}

export type TableData = GridData | StatementData | PerformanceData;

export type NarrativeBlock = { kind: 'markdown'; source: SourceText } | { kind: 'table'; columns: SourceText[]; rows: SourceText[][]; at: SourcePos };

export interface NarrativePart {
  id: string;
  title: string;
  blocks: NarrativeBlock[];
}

export type FigureValue = { type: 'amount'; amount: Amount } | { type: 'count'; count: Count } | { type: 'text'; text: SourceText | null; at: SourcePos };

export interface Report {
  /** `<unit-slug>/<year>`: stable, used in URLs and file names. */
  id: string;
  slug: string;
  dir: string;
  unit: string;
  department: string;
  year: number;
  kind: string;
  currency: string;
  published?: string;
  set: TableSet;
  prior: {
    year: number;
    basis: string;
    /** Reference path (as written in the narrative) → value stated for the prior year. */
    stated: Map<string, FigureValue>;
  };
  figures: Record<string, FigureValue>;
  projects: Record<string, Record<string, Amount>>;
  narrative: NarrativePart[];
  tables: Record<string, TableData>;
  /** Every source file read for this report, by role: report, narrative, or a table id. */
  files: Record<string, YamlSource>;
}
