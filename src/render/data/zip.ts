// Rewrites a ZIP archive (an XLSX) so that the same content always gives the same
// bytes: every entry gets the same timestamp and the entries keep their order.
// Spreadsheet libraries stamp the clock into each entry; Excel itself writes
// 1980-01-01 00:00, the earliest time a ZIP entry can carry.

import { unzipSync, zipSync, type Zippable } from 'fflate';

/** 1980-01-01 00:00 in local time: the ZIP format stores local date parts, so this is the same bytes in every time zone. */
export function zipEpoch(): Date {
  return new Date(1980, 0, 1, 0, 0, 0);
}

export function normalizeZip(bytes: Uint8Array): Uint8Array {
  const entries = unzipSync(bytes);
  const out: Zippable = {};
  const mtime = zipEpoch();
  for (const [name, data] of Object.entries(entries)) out[name] = [data, { mtime, level: 6 }];
  return zipSync(out, { mtime, level: 6 });
}
