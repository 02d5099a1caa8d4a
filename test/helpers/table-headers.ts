// The HTML standard's algorithm for assigning header cells (“forming a table”
// and “internal algorithm for scanning and assigning header cells”), run on a
// table as the browser parsed it. Tests use it to prove from the DOM that every
// data cell has headers, and that they are the right ones — the association a
// screen reader makes, computed the way the standard defines it.

/** One cell as read from the DOM. */
export interface DomCell {
  tag: 'th' | 'td';
  id: string | null;
  headers: string | null;
  scope: string | null;
  colSpan: number;
  rowSpan: number;
  /** Text content, whitespace removed. */
  text: string;
  classes: string[];
}

export interface DomTable {
  id: string;
  caption: string | null;
  /** `span` of each <colgroup>, in order. */
  colgroups: number[];
  rows: { section: 'thead' | 'tbody' | 'tfoot' | 'table'; cells: DomCell[] }[];
}

export interface PlacedCell {
  cell: DomCell;
  x: number;
  y: number;
  w: number;
  h: number;
  section: string;
  /** Index of the row group (thead/tbody) the cell is anchored in. */
  group: number;
}

/**
 * Browser-side reader: `page.evaluate(readTables)` gives every table of the page.
 * (No named helpers inside: the function is sent to the browser as source text.)
 */
export function readTables(): DomTable[] {
  return Array.from(document.querySelectorAll('table')).map((t) => ({
    id: t.id,
    caption: t.caption ? (t.caption.textContent ?? '').replace(/\s+/g, '') : null,
    colgroups: Array.from(t.querySelectorAll(':scope > colgroup')).map((c) => (c as HTMLTableColElement).span),
    rows: Array.from(t.rows).map((tr) => ({
      section: (tr.parentElement?.tagName.toLowerCase() ?? 'table') as 'thead' | 'tbody' | 'tfoot' | 'table',
      cells: Array.from(tr.cells).map((c) => ({
        tag: c.tagName.toLowerCase() as 'th' | 'td',
        id: c.getAttribute('id'),
        headers: c.getAttribute('headers'),
        scope: c.getAttribute('scope'),
        colSpan: c.colSpan,
        rowSpan: c.rowSpan,
        text: (c.textContent ?? '').replace(/\s+/g, ''),
        classes: Array.from(c.classList),
      })),
    })),
  }));
}

/** Forming the table: every cell anchored on the grid. */
export function formTable(t: DomTable): { cells: PlacedCell[]; grid: (PlacedCell | null)[][]; width: number; height: number } {
  const cells: PlacedCell[] = [];
  const grid: (PlacedCell | null)[][] = [];
  let group = -1;
  let prevSection = '';
  t.rows.forEach((row, y) => {
    if (row.section !== prevSection || row.section === 'table') group++;
    prevSection = row.section;
    grid[y] ??= [];
    let x = 0;
    for (const cell of row.cells) {
      while (grid[y]![x]) x++;
      const w = Math.max(1, cell.colSpan);
      const h = Math.max(1, Math.min(cell.rowSpan || 1, t.rows.length - y));
      const p: PlacedCell = { cell, x, y, w, h, section: row.section, group };
      cells.push(p);
      for (let dy = 0; dy < h; dy++) {
        grid[y + dy] ??= [];
        for (let dx = 0; dx < w; dx++) grid[y + dy]![x + dx] = p;
      }
      x += w;
    }
  });
  const width = Math.max(0, ...grid.map((r) => r.length));
  for (const r of grid) for (let x = 0; x < width; x++) r[x] ??= null;
  return { cells, grid, width, height: grid.length };
}

function scopeState(c: DomCell): 'row' | 'col' | 'rowgroup' | 'colgroup' | 'auto' {
  const s = (c.scope ?? '').toLowerCase();
  return s === 'row' || s === 'col' || s === 'rowgroup' || s === 'colgroup' ? s : 'auto';
}

/** For every cell, the header cells the standard assigns to it. */
export function assignHeaders(t: DomTable): { table: ReturnType<typeof formTable>; headers: Map<PlacedCell, PlacedCell[]> } {
  const table = formTable(t);
  const { cells, grid, width } = table;
  const isData = (p: PlacedCell) => p.cell.tag === 'td';
  const columnHeader = (p: PlacedCell): boolean => {
    if (p.cell.tag !== 'th') return false;
    const s = scopeState(p.cell);
    if (s === 'col') return true;
    if (s !== 'auto') return false;
    for (let y = p.y; y < p.y + p.h; y++) for (let x = 0; x < width; x++) if (grid[y]![x] && isData(grid[y]![x]!)) return false;
    return true;
  };
  const rowHeader = (p: PlacedCell): boolean => {
    if (p.cell.tag !== 'th') return false;
    const s = scopeState(p.cell);
    if (s === 'row') return true;
    if (s !== 'auto' || columnHeader(p)) return false;
    for (let y = 0; y < grid.length; y++) for (let x = p.x; x < p.x + p.w; x++) if (grid[y]![x] && isData(grid[y]![x]!)) return false;
    return true;
  };
  // Column groups: consecutive ranges of columns, one per <colgroup>.
  const colGroupOf = (x: number): number => {
    let start = 0;
    for (let i = 0; i < t.colgroups.length; i++) {
      const end = start + t.colgroups[i]!;
      if (x >= start && x < end) return i;
      start = end;
    }
    return -1;
  };
  const byId = new Map<string, PlacedCell>();
  for (const p of cells) if (p.cell.id && !byId.has(p.cell.id)) byId.set(p.cell.id, p);

  const scan = (principal: PlacedCell, list: PlacedCell[], x0: number, y0: number, dx: number, dy: number) => {
    let x = x0;
    let y = y0;
    const opaque: PlacedCell[] = [];
    let inBlock = principal.cell.tag === 'th';
    let block: PlacedCell[] = inBlock ? [principal] : [];
    for (;;) {
      x += dx;
      y += dy;
      if (x < 0 || y < 0) return;
      const c = grid[y]?.[x];
      if (!c) continue;
      if (c.cell.tag === 'th') {
        inBlock = true;
        block.push(c);
        let blocked = false;
        if (dx === 0) {
          if (opaque.some((o) => o.x === c.x && o.w === c.w)) blocked = true;
          if (!columnHeader(c)) blocked = true;
        } else {
          if (opaque.some((o) => o.y === c.y && o.h === c.h)) blocked = true;
          if (!rowHeader(c)) blocked = true;
        }
        if (!blocked) list.push(c);
      } else if (inBlock) {
        inBlock = false;
        opaque.push(...block);
        block = [];
      }
    }
  };

  const headers = new Map<PlacedCell, PlacedCell[]>();
  for (const p of cells) {
    let list: PlacedCell[] = [];
    if (p.cell.headers !== null) {
      for (const id of p.cell.headers.split(/\s+/).filter(Boolean)) {
        const h = byId.get(id);
        if (h) list.push(h);
      }
    } else {
      for (let y = p.y; y < p.y + p.h; y++) scan(p, list, p.x, y, -1, 0);
      for (let x = p.x; x < p.x + p.w; x++) scan(p, list, x, p.y, 0, -1);
      for (const h of cells) {
        if (h.cell.tag !== 'th') continue;
        const s = scopeState(h.cell);
        if (s === 'rowgroup' && h.group === p.group && h.x <= p.x + p.w - 1 && h.y <= p.y + p.h - 1) list.push(h);
        const g = colGroupOf(p.x);
        if (s === 'colgroup' && g >= 0 && colGroupOf(h.x) === g && h.x <= p.x + p.w - 1 && h.y <= p.y + p.h - 1) list.push(h);
      }
    }
    list = list.filter((h, i) => h !== p && h.cell.text !== '' && list.indexOf(h) === i);
    list.sort((a, b) => a.y - b.y || a.x - b.x);
    headers.set(p, list);
  }
  return { table, headers };
}

/** The text of a header cell, without the hidden rank prefix (类级科目：). */
export function headerText(p: PlacedCell): string {
  return p.cell.text.replace(/^[类款项]级科目：/, '');
}
