// Amounts are integer hundredths of 万元 ("cents" below). Parsing reads the digits as
// written, never through a float, so 0.1 + 0.2 style drift cannot happen.

/** Integer hundredths of 万元. */
export type Cents = number;

const PLAIN = /^[+-]?\d+(\.\d{1,2})?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d{1,2})?$/;

/**
 * Parses an amount written as `68098.25`, `68,098.25`, `0` or `-12.5`.
 * Returns null when the text is not an amount with at most two decimals.
 */
export function parseCents(text: string): Cents | null {
  const t = text.trim();
  if (!PLAIN.test(t) && !GROUPED.test(t)) return null;
  const negative = t.startsWith('-');
  const digits = t.replace(/^[+-]/, '').replace(/,/g, '');
  const [whole, frac = ''] = digits.split('.');
  const value = Number(whole) * 100 + Number(`${frac}00`.slice(0, 2));
  if (!Number.isSafeInteger(value)) return null;
  return negative ? -value : value;
}

function group(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Table style: thousands separators and exactly two decimals — `68,098.25`, `0.00`. */
export function formatTable(c: Cents): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  const whole = Math.trunc(a / 100);
  const frac = String(a % 100).padStart(2, '0');
  return `${sign}${group(String(whole))}.${frac}`;
}

/** Text style, as the narrative prints amounts: trailing zeros dropped — `11,156.8`, `2,700`, `0`. */
export function formatText(c: Cents): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  const whole = Math.trunc(a / 100);
  const frac = String(a % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${group(String(whole))}${frac ? `.${frac}` : ''}`;
}

/** Machine style for CSV/JSON: no separators, two decimals — `68098.25`. */
export function formatPlain(c: Cents): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function sum(values: readonly Cents[]): Cents {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Change relative to a base, in tenths of a percent, rounded half up, as the
 * narrative prints it (one decimal). A base of zero reads as 100% when the amount
 * grew and 0% when it stayed zero, as published disclosures do.
 */
export function percentTenths(current: Cents, base: Cents): number {
  const delta = Math.abs(current - base);
  const b = Math.abs(base);
  if (b === 0) return delta === 0 ? 0 : 1000;
  // round(delta * 1000 / b) half up, in integers.
  return Math.floor((2 * delta * 1000 + b) / (2 * b));
}

/** `278` → `27.8%`, `1000` → `100%`, `0` → `0%`. */
export function formatPercentTenths(tenths: number): string {
  const whole = Math.trunc(tenths / 10);
  const frac = tenths % 10;
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/** A part's share of a whole, in tenths of a percent, rounded half up (for charts: 47.1%). */
export function shareTenths(part: Cents, whole: Cents): number {
  if (whole === 0) return 0;
  return percentTenths(whole + Math.abs(part) * Math.sign(whole), whole);
}
