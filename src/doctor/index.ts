import { KeyguardError } from '../errors.js';
import { openProject } from '../config/project.js';
import { gatherContext } from './context.js';
import { canaryCheck } from './checks/canary.js';
import { configCheck } from './checks/config.js';
import { dotenvFilesCheck } from './checks/dotenv-files.js';
import { envExampleCheck } from './checks/env-example.js';
import { envKeyCheck } from './checks/env-key.js';
import { gitCheck } from './checks/git.js';
import { hookCheck } from './checks/hook.js';
import { keyguardCheck } from './checks/keyguard.js';
import { doctorMessages as m } from './messages.js';
import type { CheckOutcome, DoctorCheck, DoctorContext, DoctorReport, ReportedCheck } from './types.js';

export type { CheckResult, CheckStatus, DoctorCheck, DoctorReport, ReportedCheck } from './types.js';

/** The key names checked until configuration can name more. */
export const DEFAULT_KEY_NAMES: readonly string[] = ['OPENAI_API_KEY'];

export interface DoctorOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Apply the safe fixes, then check again and report the final state. */
  fix: boolean;
  /** Environment variables to check for presence and shape; default OPENAI_API_KEY plus the config's doctor.envVars. */
  keyNames?: readonly string[];
  /** --config */
  configFile?: string;
  /** The keyguard entry point running now (the canary's fallback); default process.argv[1]. */
  cli?: string;
}

/** The checklist, in the order it is printed (DESIGN §6). */
export function doctorChecks(keyNames: readonly string[]): DoctorCheck[] {
  // Only OpenAI's variables have a shape keyguard knows; the config's extra names are checked for presence.
  const keyChecks = keyNames.map((name) => envKeyCheck(name, DEFAULT_KEY_NAMES.includes(name)));
  return [gitCheck, hookCheck, keyguardCheck, ...keyChecks, dotenvFilesCheck, envExampleCheck, configCheck, canaryCheck];
}

/**
 * Runs every check (outside a git working tree only the git check: the rest need one), with --fix
 * applies the safe repairs the checks offer, in checklist order, and checks again. Never throws for
 * what it finds: a check that cannot run is reported as failed.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const load = () =>
    openProject({ cwd: options.cwd, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) }).then(
      (project) => ({ project }),
      (error: unknown) => ({ error }),
    );
  const gather = async () => {
    const project = await load();
    const configured = 'project' in project ? project.project.config.envVars : [];
    const keyNames = options.keyNames ?? [...new Set([...DEFAULT_KEY_NAMES, ...configured])];
    return { ...(await gatherContext({ cwd: options.cwd, env: options.env, cli: options.cli ?? process.argv[1], keyNames })), project };
  };
  let outcomes = await runChecks(await gather());
  if (!options.fix) return { version: 1, checks: outcomes.map(({ repair: _, ...check }) => check) };

  const fixed: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'ok' || !outcome.repair) continue;
    try {
      fixed.push(...(await outcome.repair()));
    } catch (e) {
      fixed.push(m.fix.notApplied(outcome.title, (e instanceof Error ? e.message : String(e)).replace(/\.$/, '')));
    }
  }
  if (fixed.length > 0) outcomes = await runChecks(await gather());
  return { version: 1, checks: outcomes.map(({ repair: _, ...check }) => check), fixed };
}

async function runChecks(ctx: DoctorContext): Promise<(ReportedCheck & CheckOutcome)[]> {
  const checks = doctorChecks(ctx.keyNames).filter((c) => ctx.repo || !c.needsRepo);
  return Promise.all(
    checks.map(async (check) => {
      let outcome: CheckOutcome;
      try {
        outcome = await check.run(ctx);
      } catch (e) {
        const reason = e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
        outcome = { status: 'fail', message: m.checkCrashed(reason), fix: e instanceof KeyguardError ? e.fix : m.checkCrashedFix };
      }
      const { status, message, fix, repair } = outcome;
      return { id: check.id, title: check.title, status, message, ...(fix ? { fix } : {}), ...(repair ? { repair } : {}) };
    }),
  );
}
