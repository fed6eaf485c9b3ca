import { isAbsolute, relative, resolve, sep } from 'node:path';
import { scan } from './scan.js';
import { unreadNotes } from '../reporters/text.js';
import type { Project } from '../config/project.js';
import { BASELINE_FILE, readBaseline, renderBaseline, sortEntries, type BaselineEntry } from '../suppress/baseline.js';
import { writeAtomically } from '../output.js';
import { messages } from '../messages.js';

export interface BaselineOptions {
  project: Project;
  /** Record the findings of every commit (`--all`), not only of the files in the working tree. */
  all: boolean;
  /** Drop entries no longer found. */
  prune: boolean;
  /** --output: where to write, from cwd; default the config's "baseline", else .keyguard-baseline.json at the top level. */
  output?: string;
  /** --max-file-size in bytes (default: the config's, else the built-in limit). */
  maxFileSize?: number;
}

export interface BaselineResult {
  /** The file written, as the user reads it. */
  file: string;
  /** Scans read it without being told (the config's "baseline", or the default file). */
  usedByDefault: boolean;
  total: number;
  added: BaselineEntry[];
  /** Entries no finding matched: removed with --prune, kept (and listed) without. */
  stale: BaselineEntry[];
  pruned: boolean;
  scanned: { files: number; commits?: number };
  /** Files the scan could not read (over the size limit), named: their keys are not in the baseline. */
  unread: string[];
}

/**
 * `keyguard baseline`: scans the whole repository (or its history with --all) from the top level
 * with the config's rules and suppressions, and adds every finding to the baseline. Entries are
 * never dropped silently: stale ones are listed, and removed only with --prune.
 */
export async function writeBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const { project } = options;
  const target = options.output !== undefined ? resolve(project.cwd, options.output) : resolve(project.root, project.config.baseline ?? BASELINE_FILE);
  const shown = display(project.cwd, target);
  const existing = readBaseline(target, shown, { mergeConflicts: true }) ?? [];
  const result = await scan({ source: options.all ? { kind: 'all' } : { kind: 'paths', paths: ['.'] }, cwd: project.root, project, ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}) });
  const found = new Map<string, BaselineEntry>();
  for (const f of result.findings) found.set(f.fingerprint, { rule: f.ruleId, path: f.path, fingerprint: f.fingerprint });
  const known = new Set(existing.map((e) => e.fingerprint));
  const added = sortEntries([...found.values()].filter((e) => !known.has(e.fingerprint)));
  // An entry is stale only when its file was read and the finding is gone, or the file is gone: a
  // file skipped as deleted in the working tree (an unstaged rm, a sparse checkout) proves nothing.
  const unread = new Set(result.stats.skippedFiles.map((skip) => skip.path));
  const stale = sortEntries(existing.filter((e) => !found.has(e.fingerprint) && !unread.has(e.path)));
  const staleSet = new Set(stale.map((e) => e.fingerprint));
  const kept = options.prune ? existing.filter((e) => !staleSet.has(e.fingerprint)) : existing;
  const entries = sortEntries([...kept, ...added]);
  await writeAtomically(target, renderBaseline(entries), project.cwd, shown);
  const scanDefault = resolve(project.root, project.config.baseline ?? BASELINE_FILE);
  return {
    file: shown,
    usedByDefault: target === scanDefault,
    total: entries.length,
    added,
    stale,
    pruned: options.prune,
    scanned: { files: result.stats.files, ...(result.stats.commits === undefined ? {} : { commits: result.stats.commits }) },
    unread: unreadNotes(result.stats),
  };
}

export function renderBaselineResult(result: BaselineResult): string {
  return `${messages.baselineWritten(result)}${result.unread.map((line) => `${line}\n`).join('')}`;
}

/** The file as the user can type it from where they are: relative, `../` included. */
function display(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || isAbsolute(rel) ? file : rel.split(sep).join('/');
}
