// Fills the placeholders of titles written in a table set ("{{year}}年预算数",
// "{{unit}}整体支出绩效目标表") with the same reference engine as the narrative.

import type { Report } from '../model/report.ts';
import { renderTemplate } from './reference.ts';

export function fillTitle(text: string, report: Report): string {
  if (!text.includes('{{')) return text;
  return renderTemplate({ text, file: report.set.dir, pointer: '', at: { file: report.set.dir, line: 1, col: 1 } }, { report }).text;
}
