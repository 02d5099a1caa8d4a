// The rounding tolerance, and the one shape every failed sum takes, whichever rule
// found it.
//
// Each published cell is rounded to 0.01 万元 on its own, so a sum of n published
// cells may differ from its published total by up to n × 0.005 万元 — n/2
// hundredths. Compared in integers: 2 × |difference| ≤ n. Every published cell
// counts, 0.00 included (it may stand for less than 50 元); a plain equality of two
// cells (n = 1) must be exact.

import type { SourcePos } from '../errors.ts';
import { formatTable, type Cents } from '../model/money.ts';

/** n for a relation among `cells` published cells: the parts of one total. */
export function partsOf(cells: number): number {
  return Math.max(1, cells - 1);
}

/** True when `diff` (hundredths) is within the rounding of `parts` cells. */
export function withinRounding(diff: Cents, parts: number): boolean {
  return 2 * Math.abs(diff) <= parts;
}

/** Largest difference the rounding of `parts` cells allows, in hundredths. */
export function allowance(parts: number): Cents {
  return Math.floor(parts / 2);
}

export function differenceText(diff: Cents): string {
  return `差 ${formatTable(Math.abs(diff))} 万元`;
}

/** A relation that does not hold, before it is placed on one of its cells. */
export interface Failure {
  /** Chinese rule name shown in brackets. */
  rule: string;
  ruleId: string;
  message: string;
  english: string;
  /** The cells involved, the one the rule names first (the total) first. */
  cells: SourcePos[];
  /**
   * The first cell is the place unless another fails more often (a parent against
   * its children: a dropped or an extra row shows there, not at a sibling).
   */
  anchored?: boolean;
}

/** What a relation rule found: the failures, and the cells of each instance that held exactly. */
export interface Outcome {
  failures: Failure[];
  /** Cells of relations that hold with no difference at all: evidence those cells are right. */
  exact: SourcePos[][];
  /**
   * Cells of equalities that rounding gives no room (two cells, n = 1): a change of
   * 0.01 to any of them is out of tolerance.
   */
  tight: SourcePos[][];
}
