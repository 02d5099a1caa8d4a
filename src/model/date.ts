// Calendar dates as the sources write them (YYYY-MM-DD): a date that does not exist
// (2024-02-30) is refused, never rolled over into the next month.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a YYYY-MM-DD that names a day of the Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** What to say about a date that is not a calendar date: which part is out of range. */
export function dateProblem(text: string): string {
  const m = DATE.exec(text);
  if (!m) return `“${text}” 应写作 YYYY-MM-DD，如 2024-02-01`;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12) return `“${text}” 中的月份 ${m[2]} 不存在（应为 01—12）`;
  return `“${text}” 这一天不存在：${y} 年 ${mo} 月只有 ${daysInMonth(y, mo)} 天`;
}
