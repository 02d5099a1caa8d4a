// A project's reports: content/<unit>/<year>/ folders holding a report.yaml, loaded
// and validated together, and the prior year's report of the same unit. Kept apart
// from the build so that the checker and the tools can use them without loading the
// renderers.

import { type Dirent, existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { error, InputError, warning, type Finding } from '../errors.ts';
import { byCodePoint } from '../model/order.ts';
import type { Report } from '../model/report.ts';
import type { TableSet } from '../schema/table-set.ts';
import { loadReport } from './report.ts';
import { loadTableSets } from './table-set.ts';
import type { YamlSource } from './yaml-file.ts';

export interface Project {
  root: string;
  sets: Map<string, TableSet>;
  reports: Report[];
  /** What is allowed but probably not meant (files ignored under content/, invisible characters). */
  warnings: Finding[];
}

/**
 * The documented form of a unit folder's name, which becomes the unit's web address
 * and the name of its files: lowercase latin letters and digits, words joined by
 * single hyphens (shenzhen-big-data-center), at most 64 characters.
 */
export const SLUG = /^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
const YEAR_FOLDER = /^\d{4}$/;
/** Files operating systems leave in folders: not content, not worth a word. */
const SYSTEM_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.gitkeep']);
const YAML_FILE = /\.ya?ml$/i;

export interface ContentScan {
  /** Report folders: content/<unit>/<year>/ holding a report.yaml, in code-point order. */
  dirs: string[];
  /** Everything under content/ that is not a report and cannot be ignored. */
  errors: Finding[];
  /** Files that are ignored, each named. */
  warnings: Finding[];
}

/**
 * Walks content/: every unit folder, year folder and report file is either used or
 * named in a finding — nothing under content/ is skipped without a word.
 */
export async function scanContent(contentDir: string, root = join(contentDir, '..')): Promise<ContentScan> {
  const scan: ContentScan = { dirs: [], errors: [], warnings: [] };
  if (!existsSync(contentDir)) return scan;
  const show = (p: string) => relative(root, p).split(/[\\/]/).join('/') || p;
  const at = (p: string) => ({ file: show(p), line: 1, col: 1 });
  const list = async (dir: string) => (await readdir(dir, { withFileTypes: true })).sort((a, b) => byCodePoint(a.name, b.name));
  const stray = (path: string, name: string, where: string) => {
    if (SYSTEM_FILES.has(name)) return;
    if (YAML_FILE.test(name)) {
      scan.errors.push(
        error(
          '文件夹',
          'content-misplaced-file',
          `${where}不应有 YAML 文件 ${name}：报告的文件放在 content/<单位>/<年度>/ 中`,
          at(path),
          'YAML file outside a report folder',
        ),
      );
    } else scan.warnings.push(warning('文件夹', 'content-ignored', `已忽略 ${show(path)}：${where}只放报告的文件夹`, at(path), 'file ignored'));
  };
  const symlink = (path: string) =>
    scan.errors.push(
      error(
        '文件夹',
        'content-symlink',
        `${show(path)} 是符号链接（快捷方式），不会被读取：请把文件夹本身放到这里`,
        at(path),
        'symbolic link under content/: put the folder itself there',
      ),
    );
  for (const unit of await list(contentDir)) {
    const unitDir = join(contentDir, unit.name);
    if (unit.isSymbolicLink()) {
      symlink(unitDir);
      continue;
    }
    if (!unit.isDirectory()) {
      stray(unitDir, unit.name, 'content/ 下');
      continue;
    }
    if (!SLUG.test(unit.name)) {
      scan.errors.push(
        error(
          '文件夹',
          'unit-folder-name',
          `单位文件夹名 “${unit.name}” 不符合要求：它是单位的网址，只能用小写英文字母和数字，单词之间用一个连字符，如 shenzhen-big-data-center（不以 . 或 _ 开头，最多 64 个字符）；请改名`,
          at(unitDir),
          'unit folder name must be lowercase latin letters and digits joined by hyphens',
        ),
      );
      continue;
    }
    for (const year of await list(unitDir)) {
      const dir = join(unitDir, year.name);
      if (year.isSymbolicLink()) {
        symlink(dir);
        continue;
      }
      if (!year.isDirectory()) {
        stray(dir, year.name, `单位文件夹 ${unit.name}/ 中`);
        continue;
      }
      if (!YEAR_FOLDER.test(year.name)) {
        scan.errors.push(
          error(
            '文件夹',
            'year-folder-name',
            `年度文件夹名 “${year.name}” 应为四位数字的年度，如 2024；请改名`,
            at(dir),
            'year folder must be a four-digit year',
          ),
        );
        continue;
      }
      const files = await list(dir);
      if (files.some((f) => f.name === 'report.yaml' && f.isFile())) {
        scan.dirs.push(dir);
        await scanReportFolder(dir, files, scan, show);
        continue;
      }
      const like = files.find((f) => /^report\.ya?ml$/i.test(f.name));
      scan.errors.push(
        like
          ? error(
              '文件夹',
              'report-file-name',
              `报告文件应叫 report.yaml，这里是 ${like.name}：请改名为 report.yaml`,
              at(join(dir, like.name)),
              'rename to report.yaml',
            )
          : error('文件夹', 'report-file-missing', `年度文件夹 ${show(dir)} 中没有 report.yaml：请补上，或删除这个文件夹`, at(dir), 'report.yaml missing'),
      );
    }
  }
  return scan;
}

/** What a report folder holds besides its files: named, never passed over. */
const REPORT_ENTRIES = new Set(['report.yaml', 'narrative.yaml', 'tables']);

async function scanReportFolder(dir: string, entries: Dirent[], scan: ContentScan, show: (p: string) => string): Promise<void> {
  const at = (p: string) => ({ file: show(p), line: 1, col: 1 });
  for (const e of entries) {
    if (REPORT_ENTRIES.has(e.name) || SYSTEM_FILES.has(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isFile() && YAML_FILE.test(e.name)) {
      const meant = /^narrative\.ya?ml$/i.test(e.name)
        ? '：叙述文件应叫 narrative.yaml，请改名'
        : '；报告由 report.yaml、narrative.yaml 与 tables/ 中的表格文件组成';
      scan.errors.push(
        error('文件夹', 'report-unknown-file', `报告文件夹中的 ${e.name} 不会被读取${meant}`, at(path), 'file of the report folder that is not read'),
      );
    } else scan.warnings.push(warning('文件夹', 'content-ignored', `已忽略 ${show(path)}：不是报告的文件`, at(path), 'file ignored'));
  }
  const tables = join(dir, 'tables');
  if (!entries.some((e) => e.name === 'tables' && e.isDirectory())) return;
  for (const e of await readdir(tables, { withFileTypes: true })) {
    // YAML files are the loader's: it names each one the template does not have.
    if (SYSTEM_FILES.has(e.name) || (e.isFile() && /\.ya?ml$/.test(e.name))) continue;
    const path = join(tables, e.name);
    if (e.isFile() && YAML_FILE.test(e.name)) {
      scan.errors.push(
        error('文件夹', 'report-unknown-file', `表格文件 ${e.name} 的扩展名应为小写的 .yaml：请改名`, at(path), 'table file extension must be .yaml'),
      );
    } else scan.warnings.push(warning('文件夹', 'content-ignored', `已忽略 ${show(path)}：tables/ 中只放表格的 .yaml 文件`, at(path), 'file ignored'));
  }
}

/** Report folders: content/<unit>/<year>/ holding a report.yaml. */
export async function discoverReports(contentDir: string): Promise<string[]> {
  return (await scanContent(contentDir)).dirs;
}

/** The report of the same unit for the year before, when the project has it. */
export function priorReport(project: { reports: readonly Report[] }, report: Report): Report | undefined {
  return project.reports.find((r) => r.slug === report.slug && r.year === report.year - 1);
}

/** Loads and validates every report under `contentDir`; throws InputError with all findings. */
export async function loadProject(root: string, contentDir = join(root, 'content')): Promise<Project> {
  const sets = await loadTableSets(join(root, 'data', 'table-sets'), { root });
  const scan = await scanContent(contentDir, root);
  const findings: Finding[] = [...scan.errors];
  const reports: Report[] = [];
  for (const dir of scan.dirs) {
    try {
      reports.push(await loadReport(dir, sets, { root }));
    } catch (e) {
      if (e instanceof InputError) findings.push(...e.findings);
      else throw e;
    }
  }
  if (findings.length) throw new InputError(findings);
  const warnings = [...scan.warnings, ...reports.flatMap((r) => Object.values(r.files).flatMap((f) => f.warnings))];
  return { root, sets, reports, warnings };
}

/** Every source file of the reports and of their table sets. */
export function projectSources(project: { reports: readonly Report[] }): YamlSource[] {
  const out = new Set<YamlSource>();
  for (const r of project.reports) {
    for (const src of r.set.sources.values()) out.add(src);
    for (const src of Object.values(r.files)) out.add(src);
  }
  return [...out];
}
