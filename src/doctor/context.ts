import { readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { readHookSetup, parseGitVersion } from '../install/hooks.js';
import { isNotARepo, runGit, runGitRaw } from '../sources/git.js';
import { shellQuote } from '../engine/dotenv.js';
import { createEngine } from '../engine/engine.js';
import { builtinRules } from '../../rules/index.js';
import { callsKeyguard as otherLineCallsKeyguard, findBlock } from '../install/block.js';
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
  ctx.repo = repoContext(top, prefix, options.env);
  return ctx;
}

function repoContext(top: string, prefix: string, env: NodeJS.ProcessEnv): RepoContext {
  let hook: Promise<HookState> | undefined;
  let bin: { value: KeyguardBin | undefined } | undefined;
  return {
    top,
    prefix,
    hook: () => (hook ??= readHook(top)),
    keyguard: () => (bin ??= { value: resolveKeyguard(top, env) }).value,
  };
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
  const state: HookState = {
    setup,
    file,
    needsExec: !husky9 && process.platform !== 'win32',
    executable: isExecutable(file),
    callsKeyguard: text !== undefined && callsKeyguard(text),
    defaultDir: join(common.toString('utf8').trim(), 'hooks'),
    configHooks: config.code === 0 ? keyguardConfigHooks(config.stdout.toString('utf8')) : [],
  };
  if (text !== undefined) state.text = text;
  return state;
}

/** keyguard's own block (written by `keyguard install`), or any other command line that runs keyguard. */
export function callsKeyguard(text: string): boolean {
  return findBlock(text.replace(/\r\n?/g, '\n')) !== undefined || otherLineCallsKeyguard(text);
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
 * The keyguard a pre-commit hook would run: node_modules/.bin at the top level (husky puts it first
 * on the hook's PATH), else the first on PATH (what `command -v keyguard` answers).
 */
export function resolveKeyguard(top: string, env: NodeJS.ProcessEnv): KeyguardBin | undefined {
  const local = join(top, 'node_modules', '.bin', 'keyguard');
  if (isExecutable(local)) return { path: local, where: 'local' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry depends on where the hook runs
    const candidate = join(dir, 'keyguard');
    if (isExecutable(candidate)) return { path: candidate, where: 'path' };
  }
  return undefined;
}

/** A regular file (symlinks followed) with an execute bit. */
export function isExecutable(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return false;
  return process.platform === 'win32' || (stat.mode & 0o111) !== 0;
}

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
