// Characters the PDF's fonts cannot draw — CJK Extension B–G characters in a name,
// emoji — would print as empty boxes while the web page shows them. Before anything
// is rendered, every character of every text a report's sources (and its template)
// hold is looked up in every configured face; one that a face lacks is an error at
// its file:line:col, with its code point.

import { codePointName, error, type Finding, type SourcePos } from '../../errors.ts';
import type { Json, YamlSource } from '../../load/yaml-file.ts';
import type { FontRole, Fonts } from './fonts.ts';

const ROLES: FontRole[] = ['body', 'bodyBold', 'heading', 'title', 'subheading'];
const ROLE_NAMES: Record<FontRole, string> = {
  body: '正文 body.normal',
  bodyBold: '正文粗体 body.bold',
  heading: '标题 heading',
  title: '封面与表题 title',
  subheading: '小标题 subheading',
};

/** Every string value of a source with its JSON pointer (keys are not printed). */
function* strings(data: Json, pointer = ''): Generator<[string, string]> {
  if (typeof data === 'string') yield [pointer, data];
  else if (Array.isArray(data)) for (let i = 0; i < data.length; i++) yield* strings(data[i]!, `${pointer}/${i}`);
  else if (data && typeof data === 'object')
    for (const [k, v] of Object.entries(data)) yield* strings(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

/** Offsets where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** Findings for every character of the sources that a configured face cannot draw, one per character and file. */
export function checkCoverage(sources: readonly YamlSource[], fonts: Fonts): Finding[] {
  const missing = new Map<number, FontRole[]>();
  const lacking = (cp: number): FontRole[] => {
    let roles = missing.get(cp);
    if (!roles) {
      roles = ROLES.filter((r) => !fonts.hasGlyph(r, cp));
      missing.set(cp, roles);
    }
    return roles;
  };
  const findings: Finding[] = [];
  for (const src of sources) {
    const starts = lineStarts(src.text);
    const seen = new Set<number>();
    for (const [pointer, value] of strings(src.data)) {
      for (const ch of value) {
        const cp = ch.codePointAt(0)!;
        if (cp < 0x80 || /\s/u.test(ch) || seen.has(cp)) continue;
        const roles = lacking(cp);
        if (!roles.length) continue;
        seen.add(cp);
        findings.push(
          error(
            '字体',
            'font-missing-glyph',
            `PDF 字体中没有 “${ch}”（${codePointName(ch)}），印出来会是空框（缺字的字体：${roles.map((r) => ROLE_NAMES[r]).join('、')}）：请换用常用字或文字说明；确需此字时，在 ${fonts.source} 中为上述字体配置含此字的字体文件`,
            locate(src, starts, pointer, ch),
            `the PDF fonts have no glyph for ${codePointName(ch)}`,
          ),
        );
      }
    }
  }
  return findings;
}

/** The character's own position when it is written as itself, else the value's. */
function locate(src: YamlSource, starts: number[], pointer: string, ch: string): SourcePos {
  const at = src.positions.get(pointer) ?? { file: src.file, line: 1, col: 1 };
  const from = (starts[at.line - 1] ?? 0) + at.col - 1;
  const i = src.text.indexOf(ch, from);
  if (i < 0) return at;
  let line = at.line;
  while (line < starts.length && starts[line]! <= i) line++;
  return { file: src.file, line, col: i - starts[line - 1]! + 1 };
}
