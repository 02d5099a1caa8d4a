// Page geometry and type sizes of the PDF, after GB/T 9704-2012 (党政机关公文格式):
// A4, top margin 37 mm, bottom 35 mm, binding side 28 mm, outer side 26 mm, body
// 三号 (16 pt) with a line pitch of about 28.5 pt (22 lines on the 225 mm block).

export const MM = 72 / 25.4;

export const A4 = { width: 595.28, height: 841.89 };

export type Margins = [left: number, top: number, right: number, bottom: number];

export const TEXT_MARGINS: Margins = [28 * MM, 37 * MM, 26 * MM, 35 * MM];
/** Tables are dense; they get a wider printable area, with room for the page number. */
export const TABLE_MARGINS_PORTRAIT: Margins = [20 * MM, 18 * MM, 20 * MM, 24 * MM];
export const TABLE_MARGINS_LANDSCAPE: Margins = [18 * MM, 16 * MM, 18 * MM, 24 * MM];

export const SIZE = {
  coverTitle: 26, // 一号 (26 pt)
  tocTitle: 22, // 二号
  toc: 14, // 四号
  partHeading: 16, // 三号 黑体
  body: 16, // 三号
  footer: 14, // 四号 半角页码
  tableTitle: 16,
  tableCaption: 10.5, // 五号
  note: 10.5,
};

/** Line pitch of body text, in points. */
export const BODY_LINE_PITCH = 28.5;

export function pageSize(orientation: 'portrait' | 'landscape'): { width: number; height: number } {
  return orientation === 'portrait' ? A4 : { width: A4.height, height: A4.width };
}

export function contentWidth(orientation: 'portrait' | 'landscape', margins: Margins): number {
  return pageSize(orientation).width - margins[0] - margins[2];
}
