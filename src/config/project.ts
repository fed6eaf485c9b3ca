import { KeyguardError } from '../errors.js';
import { isOutsideWorkTree, runGitRaw } from '../sources/git.js';
import { messages } from '../messages.js';
import { loadConfig } from './load.js';
import { hasPathGlobs, resolveConfig, type ResolvedConfig } from './resolve.js';
import { loadGlobEngine } from '../suppress/allowlist.js';

/** Where a command runs and the configuration that applies there. */
export interface Project {
  cwd: string;
  /** The repository top level when cwd is inside a working tree. */
  top?: string;
  /** Where the config is searched and what repository paths are relative to: `top`, else cwd. */
  root: string;
  /** The config file as the user reads it; undefined when keyguard runs on its defaults. */
  configFile?: string;
  config: ResolvedConfig;
}

export interface ProjectOptions {
  cwd: string;
  /** --config */
  configFile?: string;
}

/** Finds the repository top level, then loads, validates and resolves the config found there. */
export async function openProject(options: ProjectOptions): Promise<Project> {
  const top = await findTopLevel(options.cwd);
  const root = top ?? options.cwd;
  const loaded = await loadConfig({ root, cwd: options.cwd, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) });
  const picomatch = hasPathGlobs(loaded.config) ? await loadGlobEngine() : undefined;
  const project: Project = { cwd: options.cwd, root, config: resolveConfig(loaded.config, loaded.shown, picomatch) };
  if (top !== undefined) project.top = top;
  if (loaded.shown !== undefined) project.configFile = loaded.shown;
  return project;
}

/** keyguard on its defaults in `cwd`: every built-in rule, no config. */
export function defaultProject(cwd: string): Project {
  return { cwd, root: cwd, config: resolveConfig({}) };
}

/** The working tree's top level; undefined outside one (or without git: a plain directory scan needs none). */
export async function findTopLevel(cwd: string): Promise<string | undefined> {
  try {
    const result = await runGitRaw(['rev-parse', '--show-toplevel'], cwd);
    const top = result.stdout.toString('utf8').replace(/\n$/, '');
    if (result.code === 0) return top === '' ? undefined : top;
    // Not a work tree (outside one, inside .git, a bare or untrusted repository): plain directory.
    // Any other failure (git killed, a broken repository) would silently drop the top-level config.
    if (isOutsideWorkTree(result) || /dubious ownership/i.test(result.stderr)) return undefined;
    throw messages.gitFailed(['rev-parse', '--show-toplevel'], result.code, result.stderr, result.signal);
  } catch (error) {
    if (error instanceof KeyguardError && error.code === 'GIT_NOT_FOUND') return undefined;
    throw error;
  }
}
