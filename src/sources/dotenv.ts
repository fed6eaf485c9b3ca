import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { dotenvKind, type DotenvKind } from '../engine/dotenv.js';
import type { RepoState } from '../engine/rule.js';
import { runGit } from './git.js';
import { readBlobs } from './catfile.js';
import { KeyguardError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * Every dotenv file git knows of or would pick up, with its state, from git itself (never a
 * re-implementation of .gitignore): `ls-files --cached` reads the index (GIT_INDEX_FILE honoured)
 * and so includes files force-added past .gitignore; `ls-files --others --exclude-standard` lists
 * files present and not ignored. Ignored files appear in neither, which is the point.
 */
export interface DotenvFile {
  /** From the top level (no roots) or from cwd (with roots). */
  path: string;
  kind: DotenvKind;
  /** staged: changed in the staged change; tracked: in the index; untracked: present and not ignored. */
  state: 'staged' | 'tracked' | 'untracked';
}

export interface ListOptions {
  /** Paths the staged change adds or modifies, to tell staged from tracked. */
  staged?: ReadonlySet<string>;
  /** Only below these directories (relative to cwd; paths come back relative to cwd). Default: the whole repository. */
  roots?: readonly string[];
}

export async function listDotenvFiles(cwd: string, options: ListOptions = {}): Promise<DotenvFile[]> {
  // Glob characters in a directory name must match themselves, not act as a pattern.
  const escape = (r: string) => r.replace(/[*?[\]\\]/g, '\\$&');
  const specs = options.roots
    ? options.roots.flatMap((r) => (r === '' || r === '.' ? ['**/.env', '**/.env.*'] : [`${escape(r)}/**/.env`, `${escape(r)}/**/.env.*`]).map((g) => `:(glob)${g}`))
    : [':(top,glob)**/.env', ':(top,glob)**/.env.*'];
  const naming = options.roots ? [] : ['--full-name'];
  const [cached, others] = await Promise.all([
    runGit(['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', ...naming, '--', ...specs], cwd),
    runGit(['-c', 'core.quotePath=false', 'ls-files', '-z', '--others', '--exclude-standard', ...naming, '--', ...specs], cwd),
  ]);
  const files: DotenvFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, state: DotenvFile['state']) => {
    const kind = dotenvKind(path);
    if (!kind || seen.has(path)) return;
    seen.add(path);
    files.push({ path, kind, state });
  };
  for (const path of cached.toString('utf8').split('\0')) if (path) add(path, options.staged?.has(path) ? 'staged' : 'tracked');
  for (const path of others.toString('utf8').split('\0')) if (path) add(path, 'untracked');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Repo state for `--staged`: every dotenv file in the index or present and not ignored, and the
 * staged text (from the index, by blob id) of the templates this change adds or modifies.
 */
export async function readStagedRepoState(
  cwd: string,
  files: Promise<DotenvFile[]>,
  staged: readonly { path: string; sha: string }[],
): Promise<RepoState> {
  const stagedPaths = new Set(staged.map((e) => e.path));
  const dotenv = (await files).map((f) => (f.state === 'tracked' && stagedPaths.has(f.path) ? { ...f, state: 'staged' as const } : f));
  const wanted = staged.filter((e) => dotenvKind(e.path) === 'template');
  const templates: { path: string; text: string }[] = [];
  let i = 0;
  for await (const blob of readBlobs(wanted.map((e) => e.sha), cwd)) {
    templates.push({ path: wanted[i++]?.path ?? '', text: (blob.bytes as Buffer).toString('utf8') }); // no size limit here: always read
  }
  return { dotenv, templates, from: 'top' };
}

/**
 * Repo state for a tree scan: dotenv files below the named directories that sit in a repository,
 * and the on-disk text of the templates among them. Undefined when none of them is in a repository.
 */
export async function readTreeRepoState(cwd: string, paths: readonly string[]): Promise<RepoState | undefined> {
  const roots = paths.filter((p) => statSync(resolve(cwd, p), { throwIfNoEntry: false })?.isDirectory());
  if (roots.length === 0) return undefined;
  const dotenv: DotenvFile[] = [];
  let inRepository = false;
  for (const root of roots) {
    const abs = resolve(cwd, root);
    const rel = relative(cwd, abs);
    // Below cwd: list from cwd (where a GIT_DIR without GIT_WORK_TREE still resolves right), as the
    // files source does; elsewhere (`keyguard scan ../other`): from the directory itself.
    const inside = !rel.startsWith('..') && !isAbsolute(rel);
    try {
      const found = inside
        ? await listDotenvFiles(cwd, { roots: [rel.split(sep).join('/')] })
        : await listDotenvFiles(abs, { roots: ['.'] });
      inRepository = true;
      for (const f of found) dotenv.push(inside ? f : { ...f, path: relative(cwd, resolve(abs, f.path)).split(sep).join('/') });
    } catch (e) {
      // Outside a repository there is no ignore status to judge: the content rules still ran.
      // (A bare repository or a `.git` directory is not a work tree either.)
      if (e instanceof KeyguardError && (e.code === 'NOT_A_GIT_REPO' || e.message.includes('must be run in a work tree'))) continue;
      throw e;
    }
  }
  if (!inRepository) return undefined;
  const templates = dotenv
    .filter((f) => f.kind === 'template')
    .map((f) => {
      try {
        return { path: f.path, text: readFileSync(resolve(cwd, f.path), 'utf8') };
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'ENOENT') return undefined; // tracked but deleted in the working tree
        throw messages.pathUnreadable(f.path, err.code ?? err.message);
      }
    })
    .filter((t): t is { path: string; text: string } => t !== undefined);
  return { dotenv, templates, from: 'cwd' };
}
