import { readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { isExecutableFile, packageDirFor, readHookSetup, parseGitVersion } from '../install/hooks.js';
import { isNotARepo, runGit, runGitRaw } from '../sources/git.js';
import { shellQuote } from '../engine/dotenv.js';
import { createEngine } from '../engine/engine.js';
import { builtinRules } from '../../rules/index.js';
import { analyseHook, findBlock, recordedPackageDir } from '../install/block.js';
import type { DoctorContext, HookState, KeyguardBin, RepoContext } from './types.js';

/** The content rules `keyguard scan` runs, to judge values by shape (never to print them). */
export const engine = createEngine(builtinRules);

export interface ContextOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  cli: string | undefined;
  keyNames: readonly string[];
}

/**
 * Everything the checks share, read once: git's version and the working tree. Outside a working
 * tree `repo` is undefined and only the git check runs. The hook and the keyguard executable are
 * looked up on first use and remembered.
 */
export async function gatherContext(options: ContextOptions): Promise<DoctorContext> {
  const ctx: DoctorContext = { ...options };
  try {
    ctx.gitVersion = parseGitVersion((await runGit(['--version'], options.cwd)).toString('utf8'));
  } catch (error) {
    ctx.gitError = error;
    return ctx;
  }
  const where = await runGitRaw(['rev-parse', '--show-toplevel', '--show-prefix'], options.cwd);
  if (isNotARepo(where)) return ctx;
  if (where.code !== 0) {
    ctx.noWorkTree = where.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';
    return ctx;
  }
  const [top = '', prefix = ''] = where.stdout.toString('utf8').split('\n');
  ctx.repo = await repoContext(top, prefix, options.cwd, options.env);
  return ctx;
}

/**
 * The hook is read up front: where the hook looks for keyguard (a monorepo package it recorded)
 * decides which keyguard the keyguard and canary checks test. A hook that cannot be read is
 * reported by the hook check, which awaits the same promise.
 */
async function repoContext(top: string, prefix: string, cwd: string, env: NodeJS.ProcessEnv): Promise<RepoContext> {
  const hook = readHook(top);
  const state = await hook.catch(() => undefined);
  // The package the hook searches first: the one its block recorded, or, with no block of keyguard's
  // yet, the one `keyguard install` run from here would record.
  const pkgDir = state?.text !== undefined && findBlock(state.text.replace(/\r\n?/g, '\n'))
    ? recordedPackageDir(state.text)
    : packageDirFor(top, cwd);
  let bin: { value: KeyguardBin | undefined } | undefined;
  const repo: RepoContext = {
    top,
    prefix,
    hook: () => hook,
    keyguard: () => (bin ??= { value: resolveKeyguard(top, env, pkgDir) }).value,
  };
  if (pkgDir) repo.pkgDir = pkgDir;
  return repo;
}

async function readHook(top: string): Promise<HookState> {
  const [setup, common, config] = await Promise.all([
    readHookSetup(top),
    runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], top),
    runGitRaw(['config', '--get-regexp', '^hook\\.'], top), // exit 1: none set
  ]);
  // husky 9 points core.hooksPath at `.husky/_`, whose stubs run the user's `.husky/<hook>` with `sh -e`.
  const husky9 = setup.husky && /[\\/]_$/.test(setup.hooksDir);
  const file = join(husky9 ? dirname(setup.hooksDir) : setup.hooksDir, 'pre-commit');
  const text = readText(file);
  // husky 9's runner runs `.husky/pre-commit` with `sh -e`.
  const analysis = analyseHook(text ?? '', { errexit: husky9 });
  const state: HookState = {
    setup,
    file,
    needsExec: !husky9 && process.platform !== 'win32',
    executable: isExecutable(file),
    analysis,
    callsKeyguard: analysis.runs,
    defaultDir: join(common.toString('utf8').trim(), 'hooks'),
    configHooks: config.code === 0 ? keyguardConfigHooks(config.stdout.toString('utf8')) : [],
  };
  if (text !== undefined) state.text = text;
  return state;
}

/**
 * keyguard's own block (written by `keyguard install`), or another `keyguard scan` invocation, that
 * lets keyguard stop the commit (install/block.ts analyseHook: not after `exit`, not `|| true`, …).
 */
export function callsKeyguard(text: string, options: { errexit?: boolean } = {}): boolean {
  return analyseHook(text, options).runs;
}

/** keyguard's own block is in the text, whether or not it runs. */
export function hasOwnBlock(text: string): boolean {
  return findBlock(text.replace(/\r\n?/g, '\n')) !== undefined;
}


/**
 * keyguard called by its bare name, so found only through PATH: in command position, not after a
 * path (`./node_modules/.bin/keyguard`) or a runner (`npx keyguard`).
 */
export function callsBareKeyguard(text: string): boolean {
  return text
    .split('\n')
    .some((line) => !/^\s*#/.test(line) && /(?:^|[;&|(`]|\$\(|\bexec|\bthen|\bdo|\belse)\s*keyguard\b/.test(line));
}

/**
 * Names of config-based hooks (`hook.<name>.command` + `hook.<name>.event`, git >= 2.54) that run
 * keyguard at pre-commit. @see https://git-scm.com/docs/git-hook#_configuration
 */
function keyguardConfigHooks(listing: string): string[] {
  const hooks = new Map<string, { command?: string; events: string[] }>();
  for (const line of listing.split('\n')) {
    const m = /^hook\.(.+)\.(command|event) (.*)$/.exec(line);
    if (!m) continue;
    const [, name = '', key, value = ''] = m;
    const hook = hooks.get(name) ?? { events: [] };
    if (key === 'command') hook.command = value;
    else hook.events.push(value);
    hooks.set(name, hook);
  }
  return [...hooks].filter(([, h]) => h.command && /\bkeyguard\b/.test(h.command) && h.events.includes('pre-commit')).map(([name]) => name);
}

/**
 * The keyguard a pre-commit hook would run: node_modules/.bin of the package the hook recorded
 * (a monorepo), then at the top level (husky puts it first on the hook's PATH), else the first on
 * PATH (what `command -v keyguard` answers).
 */
export function resolveKeyguard(top: string, env: NodeJS.ProcessEnv, pkgDir?: string): KeyguardBin | undefined {
  for (const local of localCandidates(top, pkgDir)) if (isExecutable(local)) return { path: local, where: 'local' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry depends on where the hook runs
    const candidate = join(dir, 'keyguard');
    if (isExecutable(candidate)) return { path: candidate, where: 'path' };
  }
  return undefined;
}

/** Where a hook looks for a locally installed keyguard, first to last. */
export function localCandidates(top: string, pkgDir?: string): string[] {
  const atTopLevel = join(top, 'node_modules', '.bin', 'keyguard');
  return pkgDir ? [join(top, pkgDir, 'node_modules', '.bin', 'keyguard'), atTopLevel] : [atTopLevel];
}

/** A regular file (symlinks followed) with an execute bit. */
export const isExecutable = isExecutableFile;

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** A path as the user should read it: from the top level when inside it, else absolute. */
export function display(repo: RepoContext, path: string): string {
  const rel = relative(repo.top, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : path;
}

/** Fix commands are written from the top level; from a subdirectory they start with a cd there. */
export function atTop(repo: RepoContext, command: string): string {
  return repo.prefix ? `cd ${shellQuote(repo.top)} && ${command}` : command;
}

/** How the user runs keyguard from their shell: by name when it is on PATH, else through npx. */
export function keyguardCommand(ctx: DoctorContext): string {
  return ctx.repo?.keyguard()?.where === 'path' ? 'keyguard' : 'npx keyguard';
}
