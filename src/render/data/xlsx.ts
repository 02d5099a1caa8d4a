// Each official table as an Excel workbook: the caption lines, the multi-row
// header with its merged cells exactly as published, the rows with amounts as
// numbers (two decimals, thousands separators), and the notes. Written with
// exceljs; the creation date is the report's (never the clock) and the archive is
// normalised so that rebuilding gives byte-identical files.

import ExcelJS from 'exceljs';
import type { TableModel } from '../../derive/table-model.ts';
import { bodyGrid, headerGrid, type Placed } from './grid.ts';
import { normalizeZip } from './zip.ts';

export interface XlsxOptions {
  /** Written as the workbook's created and modified dates. */
  date: Date;
  creator: string;
}

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const AMOUNT_FORMAT = '#,##0.00';

/** Excel forbids []:*?/\ in sheet names and allows at most 31 characters. */
export function sheetName(t: TableModel): string {
  return `表${t.number} ${t.title}`.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
}

function merge<C extends { colSpan: number; rowSpan: number }>(ws: ExcelJS.Worksheet, p: Placed<C>, top: number): void {
  if (p.cell.colSpan > 1 || p.cell.rowSpan > 1) ws.mergeCells(top + p.row, p.col + 1, top + p.row + p.cell.rowSpan - 1, p.col + p.cell.colSpan);
}

export async function tableXlsx(t: TableModel, opts: XlsxOptions): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = opts.creator;
  wb.lastModifiedBy = opts.creator;
  wb.created = opts.date;
  wb.modified = opts.date;
  wb.title = `${t.caption.label} ${t.caption.title}`;
  const headerRows = t.header.rows.length;
  const captionRows = t.caption.subtitle ? 3 : 2;
  const ws = wb.addWorksheet(sheetName(t), {
    views: [{ state: 'frozen', ySplit: captionRows + headerRows, xSplit: 0 }],
    pageSetup: { paperSize: 9, orientation: t.orientation, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const n = t.columnCount;
  ws.columns = t.widths.map((w) => ({ width: Math.round(w * 9) }));

  // Caption: 表 N and the title, (表12) the year line, then 部门名称 … and 单位：万元.
  let r = 1;
  const titleCell = ws.getCell(r, 1);
  titleCell.value = `${t.caption.label}　${t.caption.title}`;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { horizontal: 'center' };
  ws.mergeCells(r, 1, r, n);
  r++;
  if (t.caption.subtitle) {
    ws.getCell(r, 1).value = t.caption.subtitle;
    ws.getCell(r, 1).alignment = { horizontal: 'center' };
    ws.mergeCells(r, 1, r, n);
    r++;
  }
  if (t.caption.unitLine) {
    ws.getCell(r, 1).value = t.caption.unitLine;
    if (n > 2) ws.mergeCells(r, 1, r, n - 1);
  }
  const currency = ws.getCell(r, n);
  currency.value = t.caption.currency;
  currency.alignment = { horizontal: 'right' };
  r++;

  // The header, merged as published.
  const top = r;
  for (const slots of headerGrid(t))
    slots.forEach((p) => {
      if (!p) return;
      const cell = ws.getCell(top + p.row, p.col + 1);
      cell.border = BORDER;
      if (!p.anchor) return;
      cell.value = p.cell.text;
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F6' } };
      merge(ws, p, top);
    });
  r = top + headerRows;

  // The body: amounts as numbers; classification levels as indentation.
  const bodyTop = r;
  bodyGrid(t).forEach((slots, i) => {
    const role = t.body[i]!.role;
    slots.forEach((p) => {
      if (!p) return;
      const cell = ws.getCell(bodyTop + p.row, p.col + 1);
      cell.border = BORDER;
      if (!p.anchor) return;
      const c = p.cell;
      if (c.kind === 'amount') {
        if (c.cents !== null && c.cents !== undefined) cell.value = c.cents / 100;
        cell.numFmt = AMOUNT_FORMAT;
        cell.alignment = { horizontal: 'right', vertical: 'middle' };
      } else {
        cell.value = c.text;
        cell.alignment = {
          horizontal: c.kind === 'code' ? 'left' : c.isHeader && c.rowSpan > 1 ? 'center' : 'left',
          vertical: 'middle',
          wrapText: true,
          ...(c.level ? { indent: c.level } : {}),
        };
      }
      if (role === 'total' || (t.kind === 'performance-targets' && role === 'section' && c.isHeader)) cell.font = { bold: true };
      merge(ws, p, bodyTop);
    });
  });
  r = bodyTop + t.body.length;

  for (const note of t.notes) {
    ws.getCell(r, 1).value = note;
    ws.getCell(r, 1).alignment = { wrapText: true };
    ws.mergeCells(r, 1, r, n);
    r++;
  }
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  return normalizeZip(bytes);
}
