import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { runGit, runGitRaw } from '../sources/git.js';

/**
 * Where git will look for this repository's hooks, and which hook manager owns them. The answer is
 * git's own: `git rev-parse --git-path hooks` resolves core.hooksPath (husky sets `.husky/_`),
 * linked worktrees (hooks live in the common directory) and GIT_DIR. Writing `.git/hooks/pre-commit`
 * while core.hooksPath points elsewhere "installs" a hook that never runs (research/ecosystem.md §1.2).
 */
export interface HookSetup {
  /** Working tree top level. */
  topLevel: string;
  /** Absolute directory git runs hooks from. */
  hooksDir: string;
  /** core.hooksPath as configured (relative values resolve against the top level), if any. */
  hooksPath?: string;
  /**
   * The config file core.hooksPath comes from (`git config --show-scope`): local, worktree, global,
   * system or command. Outside local/worktree a hook written there runs for other repositories too.
   */
  hooksPathScope?: string;
  /** `.husky/_` (husky 9) or `.husky` (older husky) is the hooks path. */
  husky: boolean;
  /** The hooks path is set but the directory does not exist: git then runs no hook at all. */
  hooksPathMissing: boolean;
  /** Other managers whose config is at the top level: keyguard prints a snippet for them instead of editing. */
  managers: { lefthook?: string; preCommit?: string };
  gitVersion: readonly [number, number, number];
}

const LEFTHOOK = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', 'lefthook.toml', 'lefthook.json'];

export async function readHookSetup(cwd: string): Promise<HookSetup> {
  const [top, hooks, path, version] = await Promise.all([
    runGit(['rev-parse', '--show-toplevel'], cwd),
    runGit(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], cwd),
    hooksPathWithScope(cwd),
    runGit(['--version'], cwd),
  ]);
  const topLevel = top.toString('utf8').trim();
  const hooksDir = hooks.toString('utf8').trim();
  const hooksPath = path?.value;
  const normalized = hooksPath?.replace(/\\/g, '/').replace(/\/+$/, '');
  const lefthook = LEFTHOOK.find((f) => existsSync(join(topLevel, f)));
  const preCommit = existsSync(join(topLevel, '.pre-commit-config.yaml')) ? '.pre-commit-config.yaml' : undefined;
  const setup: HookSetup = {
    topLevel,
    hooksDir,
    husky: normalized !== undefined && /(^|\/)\.husky(\/_)?$/.test(normalized),
    hooksPathMissing: hooksPath !== undefined && !existsSync(hooksDir),
    managers: {},
    gitVersion: parseGitVersion(version.toString('utf8')),
  };
  if (hooksPath) setup.hooksPath = hooksPath;
  if (hooksPath && path?.scope) setup.hooksPathScope = path.scope;
  if (lefthook) setup.managers.lefthook = lefthook;
  if (preCommit) setup.managers.preCommit = preCommit;
  return setup;
}

/** core.hooksPath and the scope it is set in; `--show-scope` needs git 2.26, older gits give the value alone. */
async function hooksPathWithScope(cwd: string): Promise<{ value: string; scope?: string } | undefined> {
  const scoped = await runGitRaw(['config', '--show-scope', '--get', 'core.hooksPath'], cwd);
  if (scoped.code === 0) {
    const line = scoped.stdout.toString('utf8').replace(/\n$/, '');
    const tab = line.indexOf('\t');
    const value = line.slice(tab + 1).trim();
    return value ? { value, scope: line.slice(0, tab) } : undefined;
  }
  if (scoped.code === 1) return undefined; // not set
  const plain = await runGitRaw(['config', '--get', 'core.hooksPath'], cwd);
  const value = plain.code === 0 ? plain.stdout.toString('utf8').trim() : '';
  return value ? { value } : undefined;
}

/**
 * core.hooksPath comes from a config file other repositories read too (global, system, `-c`): a
 * hook written into that directory runs for every one of them, so keyguard does not write there.
 */
export function sharedHooksPath(setup: HookSetup): boolean {
  return setup.hooksPath !== undefined && setup.hooksPathScope !== undefined && setup.hooksPathScope !== 'local' && setup.hooksPathScope !== 'worktree';
}

/**
 * In a monorepo keyguard may be a devDependency of a package below the top level: the directory
 * between `cwd` and the top level (relative to the top level, `/`-separated) whose
 * node_modules/.bin holds keyguard, when the top level's does not. The nearest to `cwd` wins.
 */
export function packageDirFor(topLevel: string, cwd: string): string | undefined {
  if (isExecutableFile(join(topLevel, 'node_modules', '.bin', 'keyguard'))) return undefined;
  let dir: string;
  try {
    dir = realpathSync(resolve(cwd));
  } catch {
    return undefined;
  }
  for (;;) {
    const rel = relative(topLevel, dir);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    if (isExecutableFile(join(dir, 'node_modules', '.bin', 'keyguard'))) return rel.split('\\').join('/');
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A regular file (symlinks followed) with an execute bit. */
export function isExecutableFile(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return false;
  return process.platform === 'win32' || (stat.mode & 0o111) !== 0;
}

export function parseGitVersion(text: string): readonly [number, number, number] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0), Number(m?.[3] ?? 0)];
}

/** True when version >= min. */
export function gitAtLeast(version: readonly [number, number, number], min: readonly [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((version[i] ?? 0) !== (min[i] ?? 0)) return (version[i] ?? 0) > (min[i] ?? 0);
  }
  return true;
}
