import { dotenvKind, type DotenvKind } from '../engine/dotenv.js';
import { runGit } from './git.js';

/**
 * Every dotenv file git knows of or would pick up, with its state, from git itself (never a
 * re-implementation of .gitignore): `ls-files --cached` reads the index (GIT_INDEX_FILE honoured)
 * and so includes files force-added past .gitignore; `ls-files --others --exclude-standard` lists
 * files present and not ignored. Ignored files appear in neither, which is the point.
 */
export interface DotenvFile {
  /** Path from the repository top level. */
  path: string;
  kind: DotenvKind;
  /** staged: changed in the index against HEAD; tracked: in the index, unchanged; untracked: present and not ignored. */
  state: 'staged' | 'tracked' | 'untracked';
}

const SPECS = [':(top,glob)**/.env', ':(top,glob)**/.env.*'];

/** `staged`: the paths the staged change adds or modifies (from the staged source), to tell staged from tracked. */
export async function listDotenvFiles(cwd: string, staged?: ReadonlySet<string>): Promise<DotenvFile[]> {
  const [cached, others] = await Promise.all([
    runGit(['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--full-name', '--', ...SPECS], cwd),
    runGit(['-c', 'core.quotePath=false', 'ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ...SPECS], cwd),
  ]);
  const files: DotenvFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, state: DotenvFile['state']) => {
    const kind = dotenvKind(path);
    if (!kind || seen.has(path)) return;
    seen.add(path);
    files.push({ path, kind, state });
  };
  for (const path of cached.toString('utf8').split('\0')) if (path) add(path, staged?.has(path) ? 'staged' : 'tracked');
  for (const path of others.toString('utf8').split('\0')) if (path) add(path, 'untracked');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
