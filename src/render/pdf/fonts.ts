// Fonts of the PDF: read from data/fonts.yaml (or data/fonts.local.yaml, which a
// unit with licensed 仿宋_GB2312 / 小标宋 / 黑体 keeps outside version control), checked
// to exist, and measured with fontkit so layout decisions (column widths, dot
// leaders, vertical centring) use the real glyph widths.

import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { error, InputError } from '../../errors.ts';
import { readYamlFile } from '../../load/yaml-file.ts';
import { validateSchema } from '../../validate/schema.ts';

export type FontRole = 'body' | 'bodyBold' | 'heading' | 'title';

interface FaceRef {
  file: string;
  name?: string;
}

const face = {
  anyOf: [
    { type: 'string', minLength: 1, description: '字体文件路径（.ttf/.otf）' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'name'],
      properties: { file: { type: 'string' }, name: { type: 'string', description: '字体集（.ttc）中字体的 PostScript 名称' } },
    },
  ],
};

export const fontsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'PDF 字体配置',
  type: 'object',
  additionalProperties: false,
  required: ['body', 'heading', 'title'],
  properties: {
    body: { type: 'object', additionalProperties: false, required: ['normal', 'bold'], properties: { normal: face, bold: face }, description: '正文（仿宋）' },
    heading: { type: 'object', additionalProperties: false, required: ['normal'], properties: { normal: face }, description: '部分标题与表头（黑体）' },
    title: { type: 'object', additionalProperties: false, required: ['normal'], properties: { normal: face }, description: '封面与表格标题（小标宋）' },
  },
};

export interface Fonts {
  /** Font dictionary for pdfmake: families Body, Heading, Title. */
  families: Record<string, { normal: string | [string, string]; bold: string | [string, string]; italics: string | [string, string]; bolditalics: string | [string, string] }>;
  /** Absolute paths of every font file (for pdfmake's local access policy). */
  files: string[];
  width(role: FontRole, text: string, size: number): number;
  /** Height of one line at this size, before any lineHeight factor (as pdfkit computes it). */
  lineHeight(role: FontRole, size: number): number;
  /** Where the configuration came from, for messages. */
  source: string;
}

const cache = new Map<string, Font>();

function open(ref: FaceRef): Font {
  const key = `${ref.file}#${ref.name ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    f = ref.name ? fontkit.openSync(ref.file, ref.name) : fontkit.openSync(ref.file);
    cache.set(key, f);
  }
  return f;
}

/** Loads the font configuration; `data/fonts.local.yaml` wins over `data/fonts.yaml`. */
export async function loadFonts(root: string): Promise<Fonts> {
  const local = join(root, 'data', 'fonts.local.yaml');
  const path = existsSync(local) ? local : join(root, 'data', 'fonts.yaml');
  const show = relative(root, path);
  const src = await readYamlFile(path, show);
  const findings = validateSchema(src, fontsSchema);
  if (findings.length) throw new InputError(findings);
  const cfg = src.data as Record<string, Record<string, string | FaceRef>>;
  const refOf = (group: string, weight: string): FaceRef => {
    const v = cfg[group]![weight]!;
    const r: FaceRef = typeof v === 'string' ? { file: v } : { ...v };
    if (!isAbsolute(r.file)) r.file = join(root, r.file);
    if (!existsSync(r.file)) {
      findings.push(error('字体', 'font-missing', `找不到字体文件 ${r.file}（${group}.${weight}）；请检查 ${show} 中的路径，或先运行 npm ci 安装默认字体`, src.positions.get(`/${group}/${weight}`), 'font file not found'));
    }
    return r;
  };
  const refs: Record<FontRole, FaceRef> = {
    body: refOf('body', 'normal'),
    bodyBold: refOf('body', 'bold'),
    heading: refOf('heading', 'normal'),
    title: refOf('title', 'normal'),
  };
  if (findings.length) throw new InputError(findings);
  const forPdfmake = (r: FaceRef): string | [string, string] => (r.name ? [r.file, r.name] : r.file);
  const family = (normal: FaceRef, bold: FaceRef) => ({ normal: forPdfmake(normal), bold: forPdfmake(bold), italics: forPdfmake(normal), bolditalics: forPdfmake(bold) });
  const metrics = (role: FontRole) => open(refs[role]);
  return {
    families: {
      Body: family(refs.body, refs.bodyBold),
      Heading: family(refs.heading, refs.heading),
      Title: family(refs.title, refs.title),
    },
    files: [...new Set(Object.values(refs).map((r) => r.file))],
    width(role, text, size) {
      const f = metrics(role);
      return (f.layout(text).advanceWidth / f.unitsPerEm) * size;
    },
    lineHeight(role, size) {
      const f = metrics(role);
      return ((f.ascent - f.descent) / f.unitsPerEm) * size;
    },
    source: show,
  };
}
