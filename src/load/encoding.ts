// Source files are UTF-8. A file saved in another encoding — GB18030/GBK, what
// Windows Notepad ("ANSI") and many Chinese editors write, or UTF-16 ("Unicode") —
// is refused with the file, the first place that is not UTF-8 and how to save it
// as UTF-8. It is not converted: which legacy encoding a file is in can only be
// guessed (GB18030 decodes almost any bytes, Big5 text included), a wrong guess
// would publish wrong characters without a word, and the file in the project must
// be the one every tool (VS Code, git, the archive's source hash) reads the same.
// Decoding is strict, so a U+FFFD replacement character never enters the data.

import { error, InputError, shorten, type SourcePos } from '../errors.ts';

const HOW_TO_SAVE =
  '请把文件另存为 UTF-8：VS Code 中点窗口右下角显示的编码（如 GB18030、GBK）→“通过编码保存”→ 选 “UTF-8”；Windows 记事本中“文件 → 另存为”，编码选 “UTF-8”';

/** Where the first byte that is not valid UTF-8 stands: its offset, line and column (in characters). */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; line: number; col: number } | null {
  let line = 1;
  let lineStart = 0;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  lineStart = i;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return at(i);
    let cp = need === 0 ? b : b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return at(i);
      cp = (cp << 6) | (c & 0x3f);
    }
    if (need > 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return at(i);
    if (b === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += need + 1;
  }
  return null;

  function at(offset: number) {
    const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
    return { offset, line, col };
  }
}

/** The bytes as text, or an InputError that names the file and says how to save it as UTF-8. */
export function decodeSource(bytes: Uint8Array, file: string): string {
  const first: SourcePos = { file, line: 1, col: 1 };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError([
      error(
        '编码',
        'encoding-utf16',
        `文件是 UTF-16 编码（记事本中叫 “Unicode”），本工具只读 UTF-8。${HOW_TO_SAVE}`,
        first,
        'the file is UTF-16; save it as UTF-8',
      ),
    ]);
  }
  try {
    // fatal: a byte sequence that is not UTF-8 is an error, never a U+FFFD.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes) ?? { offset: 0, line: 1, col: 1 };
    const at: SourcePos = { file, line: bad.line, col: bad.col };
    const asGb = gb18030Line(bytes, bad.offset);
    if (asGb !== null) {
      throw new InputError([
        error(
          '编码',
          'encoding-gb18030',
          `文件不是 UTF-8 编码，看起来是 GB18030/GBK（Windows 记事本的 “ANSI”、WPS 等常用），按 GBK 读这一行是 “${shorten(asGb)}”。为免读错文字，本工具只读 UTF-8。${HOW_TO_SAVE}`,
          at,
          'the file is GB18030/GBK, not UTF-8; save it as UTF-8',
        ),
      ]);
    }
    throw new InputError([
      error(
        '编码',
        'encoding-not-utf8',
        `文件不是 UTF-8 编码（从这里起的字节无法按 UTF-8 读出）。${HOW_TO_SAVE}`,
        at,
        'the file is not UTF-8; save it as UTF-8',
      ),
    ]);
  }
}

/** The line around `offset` read as GB18030, when the whole file is valid GB18030 with CJK in it. */
function gb18030Line(bytes: Uint8Array, offset: number): string | null {
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (!/\p{Script=Han}/u.test(text)) return null;
  let start = offset;
  while (start > 0 && bytes[start - 1] !== 0x0a) start--;
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(bytes.subarray(start, end)).trim();
  } catch {
    return null;
  }
}
