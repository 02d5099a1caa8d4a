// Reading a file the user names, safely: only a regular file (not a device such as
// /dev/zero, a pipe, a socket or a folder, whatever a path or a symbolic link points
// at), and never more than a stated number of bytes, whatever the file claims or does.

import { open, stat } from 'node:fs/promises';

export type ReadRefusal = { kind: 'not-a-file' } | { kind: 'too-large'; bytes: number };

/** Thrown by readRegularFile; the caller turns it into a finding at its own position. */
export class UnreadableFile extends Error {
  readonly refusal: ReadRefusal;
  constructor(path: string, refusal: ReadRefusal) {
    super(refusal.kind === 'not-a-file' ? `${path} is not a regular file` : `${path} is larger than allowed (${refusal.bytes} bytes)`);
    this.name = 'UnreadableFile';
    this.refusal = refusal;
  }
}

/** The bytes of a regular file of at most `maxBytes`; UnreadableFile otherwise (system errors pass through). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  // Checked before opening too: opening a pipe waits for a writer that may never come.
  const before = await stat(path);
  if (!before.isFile()) throw new UnreadableFile(path, { kind: 'not-a-file' });
  if (before.size > maxBytes) throw new UnreadableFile(path, { kind: 'too-large', bytes: before.size });
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UnreadableFile(path, { kind: 'not-a-file' });
    // One byte more than allowed tells a file that grew after stat() from one that did not.
    const buf = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let read = 0;
    while (read < buf.length) {
      const { bytesRead } = await handle.read(buf, read, buf.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > maxBytes) throw new UnreadableFile(path, { kind: 'too-large', bytes: read });
    return buf.subarray(0, read);
  } finally {
    await handle.close();
  }
}
