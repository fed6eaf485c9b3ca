import type { Project } from '../config/project.js';
import type { HookAnalysis } from '../install/block.js';
import type { HookSetup } from '../install/hooks.js';

/** Plain values of the setup checklist (DESIGN §6): checks read a context and return a result. */

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** What one check reports: what it found and why it matters, and for a warning or failure the fix. */
export interface CheckResult {
  status: CheckStatus;
  message: string;
  /** A concrete command or edit. */
  fix?: string;
}

/**
 * A result plus, where a safe fix exists, the function `doctor --fix` calls to apply it. The repair
 * returns one sentence per change made (or per change it could not make, starting "not applied:").
 */
export interface CheckOutcome extends CheckResult {
  repair?: () => Promise<string[]>;
}

export interface DoctorCheck {
  /** kebab-case; stable for --json consumers. */
  id: string;
  /** The checklist label. */
  title: string;
  /** Runs only inside a git working tree. */
  needsRepo: boolean;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export interface ReportedCheck extends CheckResult {
  id: string;
  title: string;
}

/** What `keyguard doctor --json` prints. */
export interface DoctorReport {
  version: 1;
  checks: ReportedCheck[];
  /** With --fix: what was changed (and what could not be), before the checks above were run again. */
  fixed?: string[];
}

export interface DoctorContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The keyguard entry point running now: the canary's last resort when none is installed. */
  cli: string | undefined;
  /** Environment variables whose presence and shape are checked: OPENAI_API_KEY, then the config's doctor.envVars. */
  keyNames: readonly string[];
  /** The configuration as a scan would load it, or why it could not be loaded. */
  project?: { project: Project } | { error: unknown };
  /** `git --version`, parsed; undefined when git could not run (see gitError). */
  gitVersion?: readonly [number, number, number];
  gitError?: unknown;
  /** The working tree; undefined outside one. */
  repo?: RepoContext;
  /** Why git found a repository but no working tree (inside .git, a bare repository). */
  noWorkTree?: string;
}

export interface RepoContext {
  /** Absolute top level of the working tree. */
  top: string;
  /** cwd relative to the top level, `sub/dir/`; empty at the top. */
  prefix: string;
  /** The pre-commit hook as git will run it (memoised). */
  hook(): Promise<HookState>;
  /** The keyguard executable the hook would run (memoised); undefined when there is none. */
  keyguard(): KeyguardBin | undefined;
  /** A monorepo package (relative to the top level) whose node_modules/.bin the hook searches first. */
  pkgDir?: string;
}

export interface HookState {
  setup: HookSetup;
  /** The file that holds the pre-commit commands: `<hooksDir>/pre-commit`, or `.husky/pre-commit` under husky 9. */
  file: string;
  /** Its text; undefined when it does not exist. */
  text?: string;
  /** Husky 9 runs `.husky/pre-commit` with `sh -e`, so only plain hooks need the exec bit. */
  needsExec: boolean;
  executable: boolean;
  /** What the hook does with keyguard (install/block.ts analyseHook). */
  analysis: HookAnalysis;
  /** Some `keyguard scan` in it (keyguard's block or another) runs and can stop the commit. */
  callsKeyguard: boolean;
  /** `<git-common-dir>/hooks`: where hooks live when core.hooksPath is not set. */
  defaultDir: string;
  /** git config hooks (`hook.<name>.command`, git >= 2.54) that run keyguard on pre-commit, by name. */
  configHooks: string[];
}

export interface KeyguardBin {
  path: string;
  /** `local`: node_modules/.bin at the top level (or of the recorded package); `path`: a directory on PATH. */
  where: 'local' | 'path';
}
