// `fonts: system` in the font configuration: the licensed faces of official
// documents — 仿宋_GB2312, 黑体, 方正小标宋, 楷体 — found where the machine keeps its
// fonts (Windows C:\Windows\Fonts and the user's fonts, macOS's font folders, the
// fontconfig folders of Linux), by their usual file names. A face not found keeps
// the configured file. Which files were used, with their SHA-256, goes into the
// build's manifest, so that an archived PDF can be made again.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { byCodePoint } from '../../model/order.ts';

/** The faces of official documents (GB/T 9704), by what they set. */
export type OfficialFace = 'fangsong' | 'heiti' | 'xiaobiaosong' | 'kaiti';

export interface SystemFace {
  file: string;
  /** PostScript name of the face, for a collection (.ttc). */
  name?: string;
}

/** File names of each face, most wanted first (compared without case). */
export const FACE_FILES: Record<OfficialFace, SystemFace[]> = {
  fangsong: [
    { file: '仿宋_GB2312.ttf' },
    { file: 'FS_GB2312.ttf' },
    { file: 'FangSong_GB2312.ttf' },
    { file: 'simfang.ttf' },
    { file: 'STFANGSO.TTF' },
    { file: 'Fangsong.ttf' },
  ],
  heiti: [{ file: '黑体.ttf' }, { file: 'simhei.ttf' }, { file: 'STHeiti Medium.ttc', name: 'STHeitiSC-Medium' }, { file: 'STXIHEI.TTF' }],
  xiaobiaosong: [{ file: '方正小标宋简体.ttf' }, { file: '方正小标宋_GBK.ttf' }, { file: 'FZXBSJW.TTF' }, { file: 'FZXBSK.TTF' }],
  kaiti: [
    { file: '楷体_GB2312.ttf' },
    { file: 'KaiTi_GB2312.ttf' },
    { file: 'simkai.ttf' },
    { file: 'STKAITI.TTF' },
    { file: 'Kaiti.ttc', name: 'STKaitiSC-Regular' },
    // AR PL KaitiM GB (Debian and Ubuntu: fonts-arphic-gkai00mp), an open 楷体.
    { file: 'gkai00mp.ttf' },
  ],
};

/** Where fonts are kept on this kind of machine, plus `extra` folders (FONT_DIRS). */
export function systemFontDirs(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string[] {
  if (platform === 'win32') {
    const windows = env.WINDIR ?? env.SystemRoot ?? 'C:\\Windows';
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return [join(windows, 'Fonts'), join(local, 'Microsoft', 'Windows', 'Fonts')];
  }
  if (platform === 'darwin') {
    return [join(home, 'Library', 'Fonts'), '/Library/Fonts', '/System/Library/Fonts', '/System/Library/Fonts/Supplemental'];
  }
  // fontconfig: its configured folders, and the usual ones.
  const dirs = [join(home, '.local', 'share', 'fonts'), join(home, '.fonts'), '/usr/local/share/fonts', '/usr/share/fonts'];
  const conf = '/etc/fonts/fonts.conf';
  if (existsSync(conf)) {
    for (const m of readFileSync(conf, 'utf8').matchAll(/<dir(?:\s[^>]*)?>([^<]+)<\/dir>/g)) {
      const d = m[1]!.trim().replace(/^~(?=\/)/, home);
      if (d.startsWith('/') && !dirs.includes(d)) dirs.push(d);
    }
  }
  return dirs;
}

const FONT_FILE = /\.(ttf|otf|ttc)$/i;

/** Font files under the folders (to a depth of four), by lower-case file name; the first folder wins. */
function fontFiles(dirs: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort(byCodePoint);
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (depth < 4) walk(path, depth + 1);
      } else if (FONT_FILE.test(e) && !found.has(e.toLowerCase())) found.set(e.toLowerCase(), path);
    }
  };
  for (const d of dirs) walk(d, 0);
  return found;
}

/** The official faces found in the folders. */
export function findSystemFaces(dirs: readonly string[]): Map<OfficialFace, SystemFace> {
  const files = fontFiles(dirs);
  const out = new Map<OfficialFace, SystemFace>();
  for (const [face, candidates] of Object.entries(FACE_FILES) as [OfficialFace, SystemFace[]][]) {
    for (const c of candidates) {
      const path = files.get(c.file.toLowerCase());
      if (path) {
        out.set(face, c.name ? { file: path, name: c.name } : { file: path });
        break;
      }
    }
  }
  return out;
}
