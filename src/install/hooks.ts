import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../sources/git.js';

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
    runGit(['config', '--get', 'core.hooksPath'], cwd).catch(() => undefined), // exit 1: not set
    runGit(['--version'], cwd),
  ]);
  const topLevel = top.toString('utf8').trim();
  const hooksDir = hooks.toString('utf8').trim();
  const hooksPath = path?.toString('utf8').trim() || undefined;
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
  if (lefthook) setup.managers.lefthook = lefthook;
  if (preCommit) setup.managers.preCommit = preCommit;
  return setup;
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
