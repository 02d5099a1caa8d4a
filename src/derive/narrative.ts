// Turns a narrative part into rendered text: references are evaluated first, then
// the Markdown is parsed once into a small block tree that the PDF lays out and the
// site renders as HTML.

import MarkdownIt from 'markdown-it';
import type { NarrativeBlock, Report, SourceText } from '../model/report.ts';
import { LocatedReferenceError, renderTemplate, type EvalContext, type RenderedPiece } from './reference.ts';

// Official documents number their paragraphs in the text itself (一、（一）1.), so
// Markdown lists are off: "1.逐步构建…" stays a paragraph as written. Indented code is
// off too, so an accidental indent never turns a paragraph into code. No raw HTML.
export const md = new MarkdownIt('zero', { html: false, linkify: false, typographer: false, breaks: false });
md.enable(['heading', 'paragraph', 'emphasis', 'newline', 'escape', 'text', 'entity', 'balance_pairs', 'fragments_join', 'text_join']);

export interface Inline {
  text: string;
  bold?: boolean;
}

export type DocBlock =
  | { type: 'heading'; level: number; inlines: Inline[] }
  | { type: 'paragraph'; inlines: Inline[] }
  | { type: 'table'; columns: string[]; rows: string[][] };

export interface RenderedText {
  source: SourceText;
  text: string;
  pieces: RenderedPiece[];
}

export interface RenderedPart {
  id: string;
  /** 1-based position among the parts. */
  number: number;
  /** 第一部分 */
  label: string;
  title: string;
  blocks: DocBlock[];
  html: string;
  /** Every rendered text of the part, with the references it used (for checks). */
  texts: RenderedText[];
}

export function partLabel(i: number): string {
  const cn = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
  return `第${cn[i] ?? i + 1}部分`;
}

type Token = ReturnType<typeof md.parse>[number];

function inlinesOf(children: Token['children']): Inline[] {
  const out: Inline[] = [];
  let bold = 0;
  for (const t of children ?? []) {
    if (t.type === 'strong_open') bold++;
    else if (t.type === 'strong_close') bold--;
    else if (t.type === 'text' || t.type === 'code_inline') {
      const last = out[out.length - 1];
      if (last && !!last.bold === bold > 0) last.text += t.content;
      else out.push(bold > 0 ? { text: t.content, bold: true } : { text: t.content });
    } else if (t.type === 'softbreak' || t.type === 'hardbreak') {
      // Chinese text wraps without spaces: a line break inside a paragraph joins.
    }
  }
  return out;
}

/** Parses rendered Markdown into blocks. */
export function markdownBlocks(text: string): DocBlock[] {
  const tokens = md.parse(text, {});
  const blocks: DocBlock[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open') {
      blocks.push({ type: 'heading', level: Number(t.tag.slice(1)), inlines: inlinesOf(tokens[i + 1]!.children) });
    } else if (t.type === 'paragraph_open') {
      blocks.push({ type: 'paragraph', inlines: inlinesOf(tokens[i + 1]!.children) });
    }
  }
  return blocks;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders one part; reference errors are collected in `errors`, not thrown. */
export function renderPart(report: Report, ctx: EvalContext, index: number, errors: LocatedReferenceError[] = []): RenderedPart {
  const part = report.narrative[index]!;
  const blocks: DocBlock[] = [];
  const texts: RenderedText[] = [];
  let html = '';
  const render = (src: SourceText) => {
    try {
      const r = renderTemplate(src, ctx);
      texts.push({ source: src, text: r.text, pieces: r.pieces });
      return r.text;
    } catch (e) {
      if (!(e instanceof LocatedReferenceError)) throw e;
      errors.push(e);
      return src.text;
    }
  };
  for (const b of part.blocks as NarrativeBlock[]) {
    if (b.kind === 'markdown') {
      const text = render(b.source);
      blocks.push(...markdownBlocks(text));
      // Headings inside a part sit below the part's own heading (h2 on the site).
      html += md.render(text).replace(/<(\/?)h(\d)>/g, (_, slash, n) => `<${slash}h${Math.min(6, Number(n) + 1)}>`);
    } else {
      const columns = b.columns.map((c) => render(c));
      const rows = b.rows.map((r) => r.map((c) => render(c)));
      blocks.push({ type: 'table', columns, rows });
      html += `<div class="table-scroll" role="region" aria-label="${escapeHtml(part.title)}：表格" tabindex="0"><table class="narrative-table"><thead><tr>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td${/^[\d,.]+$/.test(c) ? ' class="amount"' : ''}>${escapeHtml(c)}</td>`)).join('')}</tr>`,
        )
        .join('')}</tbody></table></div>\n`;
    }
  }
  return { id: part.id, number: index + 1, label: partLabel(index), title: part.title, blocks, html, texts };
}
