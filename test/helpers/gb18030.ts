// Text as Windows Notepad ("ANSI" on a Chinese system) or WPS saves it: GBK/GB18030
// bytes. Node decodes GB18030 but does not encode it, so the two-byte table is built
// once by decoding every two-byte sequence.

let table: Map<string, [number, number]> | null = null;

function twoByteTable(): Map<string, [number, number]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && !table.has(ch)) table.set(ch, [lead, trail]);
      } catch {
        /* not a character */
      }
    }
  }
  return table;
}

/** `text` in GB18030 (ASCII and the two-byte range, which covers GBK; anything else becomes "?"). */
export function encodeGb18030(text: string): Uint8Array {
  const t = twoByteTable();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const pair = t.get(ch);
      if (pair) out.push(...pair);
      else out.push(0x3f);
    }
  }
  return new Uint8Array(out);
}
