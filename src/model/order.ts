// One order for everything the tool sorts: code points, never the locale's
// collation. LANG, LC_ALL and the ICU data of the machine change what localeCompare
// and Intl.Collator give (and a pinyin collation changes between ICU versions),
// while outputs must be the same bytes everywhere. What is sorted is unit folder
// names (lowercase latin letters, digits and hyphens), years and codes, for which
// code-point order is also the order a reader expects.

/** Compares two strings by Unicode code point. */
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate stands for a code point above every character of the BMP.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
