// Runs a table set's rules on a report and returns every finding, sorted by file
// and position. A failed sum involves several cells; the finding is placed on the
// cell that takes part in the most failed relations of the report (the value most
// likely wrong — a mistyped cell breaks its row, its column and the other tables),
// and on the rule's first cell when that does not single one out.

import { error, type Finding, type SourcePos } from '../errors.ts';
import type { Report } from '../model/report.ts';
import { cellsOf, posKey, type Cell } from './cells.ts';
import { checkCodeNames, checkCompleteness, checkEmptyTableNotes, checkPlaceholders, checkTitleYears, checkToFill } from './completeness.ts';
import { evaluateHierarchy } from './hierarchy.ts';
import { evaluateIdentity, RuleError } from './identity.ts';
import { checkNarrativeAmounts, checkNarrativeRows, checkNarrativeWording, renderNarrative } from './narrative.ts';
import { KIND_NAMES, type RuleSet } from './rules.ts';
import { checkUnitScale } from './unit-scale.ts';
import type { Failure, Outcome } from './tolerance.ts';

type Rule = RuleSet['rules'][number];

/** The relation rules (sums and identities); null for the other kinds. */
function evaluateRelation(report: Report, rule: Rule, cellMap: Map<string, Cell>): (Outcome & { findings?: Finding[] }) | null {
  const name = KIND_NAMES[rule.kind];
  if (rule.kind === 'hierarchy') return evaluateHierarchy(report, rule, name);
  if (rule.kind === 'columns' || rule.kind === 'across') return evaluateIdentity(report, rule, cellMap, name);
  return null;
}

/**
 * Cells (by position) that take part in an equality rounding gives no room: a change
 * of 0.01 to any of them is out of tolerance, so a checker must see it.
 */
export function tightCells(report: Report, rules: RuleSet): Set<string> {
  const cellMap = new Map(cellsOf(report).map((c) => [posKey(c.at), c]));
  const out = new Set<string>();
  for (const rule of rules.rules) {
    try {
      for (const cells of evaluateRelation(report, rule, cellMap)?.tight ?? []) for (const at of cells) out.add(posKey(at));
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
    }
  }
  return out;
}

export function checkReport(report: Report, rules: RuleSet, prior?: Report): Finding[] {
  const findings: Finding[] = [];
  const failures: Failure[] = [];
  const exact: SourcePos[][] = [];
  const cells = cellsOf(report);
  const cellMap = new Map(cells.map((c) => [posKey(c.at), c]));
  const narrative = renderNarrative(report, prior);
  findings.push(...narrative.findings);
  // Amounts typed in 元 where the document publishes 万元: not a rule of a template, true of every one.
  findings.push(...checkUnitScale(report, prior, cells));

  for (const rule of rules.rules) {
    const name = KIND_NAMES[rule.kind];
    try {
      switch (rule.kind) {
        case 'hierarchy':
        case 'columns':
        case 'across': {
          const r = evaluateRelation(report, rule, cellMap)!;
          failures.push(...r.failures);
          exact.push(...r.exact);
          findings.push(...(r.findings ?? []));
          break;
        }
        case 'completeness':
          findings.push(...checkCompleteness(report, rule, name));
          break;
        case 'empty-table-note':
          findings.push(...checkEmptyTableNotes(report, rule, name));
          break;
        case 'placeholders':
          findings.push(...checkPlaceholders(report, rule, name));
          break;
        case 'title-year':
          findings.push(...checkTitleYears(report, rule, name));
          break;
        case 'code-names':
          findings.push(...checkCodeNames(report, rule, name));
          break;
        case 'to-fill':
          findings.push(...checkToFill(report, rule, name, cells));
          break;
        case 'narrative-amounts':
          findings.push(...checkNarrativeAmounts(report, rule, name, narrative, cells));
          break;
        case 'narrative-wording':
          findings.push(...checkNarrativeWording(report, rule, name, narrative));
          break;
        case 'narrative-rows':
          findings.push(...checkNarrativeRows(report, rule, name, narrative));
          break;
      }
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      findings.push(error('规则', rule.def.id, `规则 ${rule.def.id} 无法用于报告 ${report.id}：${e.message}`, { ...rule.at, file: rules.file }, e.english));
    }
  }
  findings.push(...placeFailures(failures, exact));
  return sortFindings(dedupe(findings));
}

/**
 * Places each failure on its most implicated cell: the one in the most failed
 * relations; among those, the one fewest relations confirm exactly (a cell that
 * agrees to the cent with another table is likely right); then the rule's first.
 * A parent against its children stays on the parent (where a dropped or an extra
 * row shows) unless a child is confirmed by nothing at all.
 */
export function placeFailures(failures: readonly Failure[], exact: readonly SourcePos[][] = []): Finding[] {
  const failed = new Map<string, number>();
  const confirmed = new Map<string, number>();
  for (const f of failures) for (const k of new Set(f.cells.map(posKey))) failed.set(k, (failed.get(k) ?? 0) + 1);
  for (const cells of exact) for (const k of new Set(cells.map(posKey))) confirmed.set(k, (confirmed.get(k) ?? 0) + 1);
  const score = (c: SourcePos) => [failed.get(posKey(c)) ?? 0, -(confirmed.get(posKey(c)) ?? 0)] as const;
  return failures.map((f) => {
    let best = f.cells[0]!;
    for (const c of f.cells) {
      const [a1, a2] = score(c);
      const [b1, b2] = score(best);
      if (a1 > b1 || (a1 === b1 && !f.anchored && a2 > b2)) best = c;
    }
    if (f.anchored && best === f.cells[0] && score(best)[1] < 0) {
      // A parent against its children: move to a child only when it is the one
      // child, as often failed, that nothing confirms.
      const open = f.cells.slice(1).filter((c) => score(c)[0] === score(best)[0] && score(c)[1] === 0);
      if (open.length === 1) best = open[0]!;
    }
    return error(f.rule, f.ruleId, f.message, best, f.english);
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${posKey(f.at ?? { file: '', line: 0, col: 0 })}|${f.rule}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  // Code-unit order, not the locale's: the same findings print the same everywhere.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      cmp(a.at?.file ?? '', b.at?.file ?? '') || (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.col ?? 0) - (b.at?.col ?? 0) || cmp(a.message, b.message),
  );
}

/** Checks every report with the rules of its table set. */
export function checkReports(reports: readonly Report[], rules: Map<string, RuleSet>, priorOf: (r: Report) => Report | undefined): Finding[] {
  const out: Finding[] = [];
  for (const r of reports) {
    const set = rules.get(r.set.id);
    if (!set) continue;
    out.push(...checkReport(r, set, priorOf(r)));
  }
  return sortFindings(out);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
