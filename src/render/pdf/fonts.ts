// Fonts of the PDF: read from data/fonts.yaml (or data/fonts.local.yaml, which a
// unit with licensed 仿宋_GB2312 / 小标宋 / 黑体 / 楷体 keeps outside version control),
// checked, and read once per process. The same bytes serve both the measuring done
// here (line breaking, column widths, dot leaders, vertical centring) and pdfkit,
// which gets them from memory instead of re-reading 10–15 MB files per document.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { Font } from 'fontkit';
import { error, InputError, type Finding, type SourcePos } from '../../errors.ts';
import { readRegularFile, UnreadableFile } from '../../load/read-file.ts';
import { readYamlFile } from '../../load/yaml-file.ts';
import { validateSchema } from '../../validate/schema.ts';
import { findSystemFaces, systemFontDirs, type OfficialFace } from './system-fonts.ts';

// The CommonJS build of fontkit is the one pdfkit loads: one copy in memory.
const fontkit = createRequire(import.meta.url)('fontkit') as typeof import('fontkit');

/** What a piece of text is set in. */
export type FontRole = 'body' | 'bodyBold' | 'heading' | 'title' | 'subheading';

interface FaceRef {
  file: string;
  name?: string;
}

const face = {
  anyOf: [
    { type: 'string', minLength: 1, description: '字体文件路径（.ttf/.otf），绝对路径或相对项目根目录' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'name'],
      properties: { file: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1, description: '字体集（.ttc）中字体的 PostScript 名称' } },
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
    fonts: {
      enum: ['system'],
      description:
        'system：使用本机已安装的正版 仿宋_GB2312、黑体、方正小标宋、楷体（Windows、macOS 与 Linux 的字体目录，及环境变量 FONT_DIRS 所列目录），找不到的仍用下面配置的字体；所用字体及其 SHA-256 记入 manifest.json',
    },
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['normal', 'bold'],
      properties: { normal: face, bold: face },
      description: '正文（仿宋_GB2312）；bold 用于“一、”级标题和表头（黑体）',
    },
    heading: { type: 'object', additionalProperties: false, required: ['normal'], properties: { normal: face }, description: '“第X部分”标题（黑体）' },
    title: {
      type: 'object',
      additionalProperties: false,
      required: ['normal'],
      properties: { normal: face },
      description: '封面、目录与表格标题（方正小标宋）',
    },
    subheading: {
      type: 'object',
      additionalProperties: false,
      required: ['normal'],
      properties: { normal: face },
      description: '“（一）”级标题（楷体）；不写则用正文字体',
    },
  },
};

/** A pdfmake font dictionary entry. */
type FaceSource = string | [string, string];
export type FontDictionary = Record<string, { normal: FaceSource; bold: FaceSource; italics: FaceSource; bolditalics: FaceSource }>;

/** The minimal file system pdfmake reads font files through. */
export interface FontFiles {
  existsSync(path: string): boolean;
  readFileSync(path: string): Buffer;
}

export interface Fonts {
  /** Advance width of `text` in points, measured exactly as pdfkit measures it. */
  width(role: FontRole, text: string, size: number): number;
  /** Height of one line at this size, before any lineHeight factor (as pdfkit computes it). */
  lineHeight(role: FontRole, size: number): number;
  /** Distance from the top of a line to its baseline (pdfkit's ascender). */
  ascent(role: FontRole, size: number): number;
  /** The pdfmake style that selects a role's face. */
  style(role: FontRole): { font: string; bold?: true };
  /** Whether the role's face has a glyph for the character (else the PDF shows an empty box). */
  hasGlyph(role: FontRole, codePoint: number): boolean;
  /** A fresh pdfmake font dictionary (pdfmake rewrites the entries it reads). */
  dictionary(): FontDictionary;
  /** The font files' bytes, for pdfmake's virtual file system. */
  files: FontFiles;
  /** The font already parsed from these bytes (and collection member), to share with pdfkit. */
  parsed(bytes: Uint8Array, name?: string | null): Font | undefined;
  /**
   * Remembers what measuring text in these fonts gave (widths, break opportunities),
   * keyed by the text: a build of many reports measures the same labels again and again.
   */
  memo<T>(key: string, make: () => T): T;
  /** Forgets every remembered measurement (npm run bench times renders without them). */
  clearCaches(): void;
  /** Where the configuration came from, for messages. */
  source: string;
  /** The face of each role as used: its file, PostScript name and SHA-256 (for the manifest). */
  used(): FontUse[];
}

export interface FontUse {
  role: FontRole;
  /** As configured (relative to the project) or as found on the machine (absolute). */
  file: string;
  postscriptName: string;
  sha256: string;
  /** Found by `fonts: system`. */
  system?: true;
}

/** The official face each role asks for under `fonts: system`. */
const OFFICIAL: Record<FontRole, OfficialFace> = {
  body: 'fangsong',
  bodyBold: 'heiti',
  heading: 'heiti',
  title: 'xiaobiaosong',
  subheading: 'kaiti',
};

export interface LoadFontsOptions {
  /** Folders searched under `fonts: system` (default: the machine's font folders). */
  systemDirs?: readonly string[];
}

const FAMILY: Record<FontRole, { font: string; bold?: true }> = {
  body: { font: 'Body' },
  bodyBold: { font: 'Body', bold: true },
  heading: { font: 'Heading' },
  title: { font: 'Title' },
  subheading: { font: 'Subheading' },
};

interface Loaded {
  ref: FaceRef;
  bytes: Buffer;
  font: Font;
}

// Font files are large and never change during a run: read and parse each once.
const loaded = new Map<string, Promise<Loaded>>();

/** The largest font file read (CJK collections are 20–60 MB); a path to anything bigger is refused. */
export const MAX_FONT_BYTES = 128 * 1024 * 1024;

/** A font file that cannot be used, said in one line (the cause goes into the finding). */
class FontFileError extends Error {}

/**
 * Reads a font file: a regular file only (not a device such as /dev/zero, a pipe or a
 * folder), and never more than MAX_FONT_BYTES, whatever the file claims.
 */
async function readFontFile(path: string): Promise<Buffer> {
  try {
    return await readRegularFile(path, MAX_FONT_BYTES);
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    if (e.refusal.kind === 'not-a-file') throw new FontFileError('这不是普通文件（是设备、管道或文件夹）');
    throw new FontFileError(`文件过大（${e.refusal.bytes} 字节，上限 ${MAX_FONT_BYTES} 字节）`);
  }
}

/**
 * Parses a face and proves it whole: every table the font's directory lists lies inside
 * the file (a truncated download or copy does not), and it lays out and outlines text.
 * fontkit reads tables lazily, so without this a damaged file fails deep inside a render.
 */
function openFont(bytes: Buffer, name?: string): Font {
  let font: Font & { fonts?: Font[]; directory?: { tables?: Record<string, { offset: number; length: number }> } };
  try {
    font = fontkit.create(bytes, name) as typeof font;
  } catch {
    throw new FontFileError('文件不是可用的字体，或已损坏（无法解析）');
  }
  if (typeof font.layout !== 'function') {
    const names = (font.fonts ?? []).map((f) => f.postscriptName).join('、');
    throw new FontFileError(`这是一个字体集（.ttc），请写成 {file: …, name: …} 并给出其中一个字体的 PostScript 名称：${names}`);
  }
  for (const [tag, t] of Object.entries(font.directory?.tables ?? {})) {
    if (t.offset + t.length > bytes.length) throw new FontFileError(`文件不完整（字体表 ${tag.trim()} 超出文件末尾，可能是下载或复制时被截断）`);
  }
  try {
    for (const g of font.layout('永0,.').glyphs) void (g as unknown as { path: unknown }).path;
  } catch {
    throw new FontFileError('文件已损坏（字形数据无法读取）');
  }
  return font;
}

async function load(ref: FaceRef): Promise<Loaded> {
  const key = `${ref.file}#${ref.name ?? ''}`;
  let p = loaded.get(key);
  if (!p) {
    p = (async () => {
      const bytes = await readFontFile(ref.file);
      return { ref, bytes, font: openFont(bytes, ref.name) };
    })();
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/** Loads the font configuration; `data/fonts.local.yaml` wins over `data/fonts.yaml`. */
export async function loadFonts(root: string, opts: LoadFontsOptions = {}): Promise<Fonts> {
  const local = join(root, 'data', 'fonts.local.yaml');
  const path = existsSync(local) ? local : join(root, 'data', 'fonts.yaml');
  const show = relative(root, path);
  const src = await readYamlFile(path, show);
  const findings: Finding[] = validateSchema(src, fontsSchema);
  if (findings.length) throw new InputError(findings);
  const cfg = src.data as Record<string, Record<string, string | FaceRef> | undefined> & { fonts?: 'system' };
  // fonts: system — the licensed faces where this machine has them.
  const system = cfg.fonts === 'system' ? findSystemFaces(opts.systemDirs ?? systemFontDirs(process.platform, process.env, homedir())) : new Map();
  const fromSystem = new Set<FontRole>();

  const roles: [FontRole, string, string][] = [
    ['body', 'body', 'normal'],
    ['bodyBold', 'body', 'bold'],
    ['heading', 'heading', 'normal'],
    ['title', 'title', 'normal'],
    ['subheading', 'subheading', 'normal'],
  ];
  const faces = new Map<FontRole, Loaded>();
  for (const [role, group, weight] of roles) {
    const found = system.get(OFFICIAL[role]);
    if (found) {
      try {
        faces.set(role, await load({ ...found }));
        fromSystem.add(role);
        continue;
      } catch {
        // A system face that cannot be read (a collection without that face): the configured one is used.
      }
    }
    const v = cfg[group]?.[weight];
    if (v === undefined) continue;
    const ref: FaceRef = typeof v === 'string' ? { file: v } : { ...v };
    const written = ref.file;
    if (!isAbsolute(ref.file)) ref.file = join(root, ref.file);
    const at: SourcePos | undefined = src.positions.get(typeof v === 'string' ? `/${group}/${weight}` : `/${group}/${weight}/file`);
    if (!existsSync(ref.file)) {
      findings.push(
        error(
          '字体',
          'font-missing',
          `找不到字体文件 ${written}（${group}.${weight}）；请检查 ${show} 中的路径（相对路径从项目根目录算起），或运行 npm ci 安装默认字体`,
          at,
          'font file not found',
        ),
      );
      continue;
    }
    try {
      faces.set(role, await load(ref));
    } catch (e) {
      const why = e instanceof FontFileError ? e.message : `无法读取（${(e as { code?: string }).code ?? '未知错误'}）`;
      findings.push(
        error(
          '字体',
          'font-unreadable',
          `无法读取字体文件 ${written}（${group}.${weight}）：${why}；请使用 .ttf、.otf 或 .ttc 字体文件`,
          at,
          'not a usable font file',
        ),
      );
    }
  }
  if (findings.length) throw new InputError(findings);
  // Without a 楷体 of its own, （一）-level headings use the body face.
  if (!faces.has('subheading')) faces.set('subheading', faces.get('body')!);

  const face = (role: FontRole) => faces.get(role)!;
  const bytes = new Map<string, Buffer>();
  for (const f of faces.values()) bytes.set(f.ref.file, f.bytes);
  const sourceOf = (role: FontRole): FaceSource => {
    const r = face(role).ref;
    return r.name ? [r.file, r.name] : r.file;
  };
  const family = (normal: FontRole, bold: FontRole) => ({
    normal: sourceOf(normal),
    bold: sourceOf(bold),
    italics: sourceOf(normal),
    bolditalics: sourceOf(bold),
  });

  // Widths in em, per role and text: layout asks for the same strings again and again.
  const widths = new Map<FontRole, Map<string, number>>();
  const memos = new Map<string, unknown>();
  const em = (role: FontRole, text: string): number => {
    let cache = widths.get(role);
    if (!cache) {
      cache = new Map();
      widths.set(role, cache);
    }
    let w = cache.get(text);
    if (w === undefined) {
      // pdfkit lays text out word by word (a word ends after a space or tab) and adds the advances.
      const f = face(role).font;
      w = 0;
      for (const word of text.match(/[^ \t]*[ \t]|[^ \t]+$/g) ?? []) w += f.layout(word).advanceWidth;
      w /= f.unitsPerEm;
      cache.set(text, w);
    }
    return w;
  };

  return {
    width: (role, text, size) => em(role, text) * size,
    lineHeight(role, size) {
      const f = face(role).font;
      return ((f.ascent - f.descent) / f.unitsPerEm) * size;
    },
    ascent(role, size) {
      const f = face(role).font;
      return (f.ascent / f.unitsPerEm) * size;
    },
    style: (role) => FAMILY[role],
    hasGlyph: (role, codePoint) => face(role).font.hasGlyphForCodePoint(codePoint),
    dictionary: () => ({
      Body: family('body', 'bodyBold'),
      Heading: family('heading', 'heading'),
      Title: family('title', 'title'),
      Subheading: family('subheading', 'subheading'),
    }),
    files: {
      existsSync: (p) => bytes.has(p),
      readFileSync: (p) => {
        const b = bytes.get(p);
        if (!b) throw new Error(`font ${p} is not configured`);
        return b;
      },
    },
    parsed(bytes, name) {
      for (const f of faces.values()) if (f.bytes === bytes && (f.ref.name ?? null) === (name ?? null)) return f.font;
      return undefined;
    },
    memo<T>(key: string, make: () => T): T {
      if (memos.has(key)) return memos.get(key) as T;
      const v = make();
      memos.set(key, v);
      return v;
    },
    clearCaches() {
      widths.clear();
      memos.clear();
    },
    source: show,
    used() {
      const out: FontUse[] = [];
      for (const [role] of roles) {
        const f = faces.get(role)!;
        const file = isAbsolute(f.ref.file) && !relative(root, f.ref.file).startsWith('..') ? relative(root, f.ref.file) : f.ref.file;
        out.push({
          role,
          file: file.split('\\').join('/'),
          postscriptName: (f.font as { postscriptName: string }).postscriptName,
          sha256: hashOf(f.bytes),
          ...(fromSystem.has(role) ? { system: true as const } : {}),
        });
      }
      return out;
    },
  };
}

const hashes = new WeakMap<Buffer, string>();
function hashOf(bytes: Buffer): string {
  let h = hashes.get(bytes);
  if (!h) {
    h = createHash('sha256').update(bytes).digest('hex');
    hashes.set(bytes, h);
  }
  return h;
}
