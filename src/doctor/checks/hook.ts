import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitAtLeast, sharedHooksPath } from '../../install/hooks.js';
import { shellQuote } from '../../engine/dotenv.js';
import { atTop, callsKeyguard, display, hasOwnBlock, isExecutable, keyguardCommand, readText } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import { installHook } from '../repair.js';
import { configMentionsKeyguard } from '../../install/block.js';
import { describeProblem, lefthookSnippet, preCommitSnippet } from '../../install/messages.js';
import type { CheckOutcome, DoctorCheck, DoctorContext, HookState, RepoContext } from '../types.js';

const CONFIG_HOOKS = [2, 54, 0] as const;

/**
 * The pre-commit hook git will really run (core.hooksPath and husky resolved by git), and whether it
 * runs keyguard so that keyguard can stop the commit, is executable and uses LF. The traps are the
 * silent ones: a hook in .git/hooks that core.hooksPath shadows, a hooks path that does not exist,
 * husky's `_` directory missing in this worktree (research/ecosystem.md §1.2), a keyguard line after
 * `exit 0` or followed by `|| true`, a global core.hooksPath that makes the hook everyone's.
 */
export const hookCheck: DoctorCheck = {
  id: 'hook',
  title: 'hook',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo as RepoContext;
    const hook = await repo.hook();
    const { setup } = hook;
    const keyguard = keyguardCommand(ctx);
    const hooksDir = display(repo, setup.hooksDir);
    // `keyguard install` runs from the top level, or from the monorepo package keyguard is installed
    // in: there `npx keyguard` finds it, and install records the package for the hook.
    const installCmd = (args = '') =>
      repo.pkgDir ? `cd ${shellQuote(join(repo.top, repo.pkgDir))} && ${keyguard} install${args}` : atTop(repo, `${keyguard} install${args}`);
    // A core.hooksPath from the global (or system, or -c) config: its hook is every repository's,
    // so neither the fix nor --fix installs there (keyguard install refuses to).
    const shared = sharedHooksPath(setup) ? sharedFix(ctx, repo, hook) : undefined;
    const install = shared ? undefined : () => installHook(ctx.cwd);
    const fixOr = (fix: string) => shared?.fix ?? fix;
    const file = display(repo, hook.file);

    if (hook.configHooks.length > 0 && !hook.callsKeyguard) {
      if (gitAtLeast(setup.gitVersion, CONFIG_HOOKS)) return { status: 'ok', message: m.hook.configHookOk(hook.configHooks) };
      return {
        status: 'fail',
        message: m.hook.configHookOld(hook.configHooks, setup.gitVersion.join('.')),
        fix: m.hook.configHookOldFix(installCmd(' --mode hooks')),
      };
    }
    if (setup.hooksPathMissing) {
      if (setup.husky) return { status: 'fail', message: m.hook.huskyMissing(hooksDir), fix: atTop(repo, 'npx husky') };
      // keyguard install creates the missing directory with the hook in it.
      return outcome('fail', m.hook.hooksPathMissing(setup.hooksPath ?? hooksDir) + (shared?.note ?? ''), fixOr(installCmd()), install);
    }
    if (!hook.callsKeyguard) {
      const shadowed = shadowedHook(hook);
      if (shadowed) {
        const message = m.hook.shadowed(display(repo, shadowed), setup.hooksPath ?? '', hooksDir) + (shared?.note ?? '');
        return outcome('fail', message, fixOr(installCmd()), install);
      }
      const problem = hook.analysis.problem;
      if (problem && hook.text !== undefined) {
        // keyguard's own lines (install moves them) or husky's command list (install adds them before the exit).
        const installFixes = hook.analysis.own !== undefined || setup.husky;
        const fix = installFixes ? installCmd() : m.hook.notRunningFix(file, installCmd(' --append'));
        return outcome('fail', m.hook.notRunning(file, describeProblem(problem)) + (shared?.note ?? ''), fixOr(fix), installFixes ? install : undefined);
      }
      if (shared) {
        return { status: 'fail', message: m.hook.sharedNotCalling(setup.hooksPath ?? hooksDir, setup.hooksPathScope ?? '', file), fix: shared.fix };
      }
      // husky owns the hooks when core.hooksPath is its directory, whatever other config lies around (as install decides).
      const manager = setup.husky ? undefined : managerResult(repo, hook);
      if (manager) return manager;
      if (hook.text === undefined) return { status: 'fail', message: m.hook.missing(hooksDir), fix: installCmd(), repair: () => installHook(ctx.cwd) };
      return { status: 'fail', message: m.hook.notCalling(file), fix: installCmd(' --append'), repair: () => installHook(ctx.cwd) };
    }
    const result = fileResult(ctx, repo, hook);
    if (!shared) return result;
    const { repair: _, ...kept } = result;
    if (kept.status !== 'ok') return { ...kept, message: kept.message + shared.note, fix: kept.fix ? `${kept.fix}; ${shared.fix}` : shared.fix };
    return { status: 'warn', message: m.hook.sharedRuns(file, setup.hooksPath ?? hooksDir, setup.hooksPathScope ?? ''), fix: shared.fix };
  },
};

function outcome(status: CheckOutcome['status'], message: string, fix: string, repair: CheckOutcome['repair'] | undefined): CheckOutcome {
  return repair ? { status, message, fix, repair } : { status, message, fix };
}

/** What to say and suggest when core.hooksPath is not this repository's own. */
function sharedFix(ctx: DoctorContext, repo: RepoContext, hook: HookState): { note: string; fix: string } {
  const { setup } = hook;
  return {
    note: m.hook.sharedNote(setup.hooksPathScope ?? ''),
    fix: m.hook.sharedFix(keyguardCommand(ctx), gitAtLeast(setup.gitVersion, CONFIG_HOOKS), display(repo, join(setup.hooksDir, 'pre-commit'))),
  };
}

/** keyguard's own hook in the default directory while core.hooksPath sends git elsewhere. */
function shadowedHook(hook: HookState): string | undefined {
  if (hook.setup.hooksPath === undefined || hook.setup.hooksDir === hook.defaultDir) return undefined;
  const file = join(hook.defaultDir, 'pre-commit');
  const text = readText(file);
  return text !== undefined && (hasOwnBlock(text) || callsKeyguard(text)) ? file : undefined;
}

/**
 * lefthook and the pre-commit framework own the hook file; keyguard belongs in their config. A
 * config that does not name keyguard is a failure: no hook runs keyguard then.
 */
function managerResult(repo: RepoContext, hook: HookState): CheckOutcome | undefined {
  const managers = [
    { config: hook.setup.managers.lefthook, name: 'lefthook', install: 'npx lefthook install', snippet: lefthookSnippet, where: '' },
    { config: hook.setup.managers.preCommit, name: 'the pre-commit framework', install: 'pre-commit install', snippet: preCommitSnippet, where: ' under repos:' },
  ].flatMap((x) => (x.config ? [{ ...x, config: x.config, calls: configMentionsKeyguard(readText(join(repo.top, x.config)) ?? '') }] : []));
  const manager = managers.find((x) => x.calls) ?? managers[0];
  if (!manager) return undefined;
  if (!manager.calls) {
    const fix = m.hook.managerFix(manager.config, `${manager.where}, then run \`${manager.install}\``, manager.snippet(manager.config).text);
    return { status: 'fail', message: m.hook.managerMissing(manager.config, manager.name), fix };
  }
  const runner = manager.name === 'lefthook' ? /lefthook/ : /pre-commit\.com|pre_commit/;
  if (hook.text === undefined || !runner.test(hook.text)) {
    return {
      status: 'fail',
      message: m.hook.managerNotInstalled(manager.config, manager.name, display(repo, hook.setup.hooksDir)),
      fix: atTop(repo, manager.install),
    };
  }
  return { status: 'ok', message: m.hook.managerOk(manager.config, manager.name) };
}

/** Where husky 9 reads HUSKY=0 from besides the environment: `${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh`. */
function huskyInitFile(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : undefined);
  return base ? join(base, 'husky', 'init.sh') : undefined;
}

/** An uncommented `HUSKY=0` / `export HUSKY=0` line: husky sources the file, then skips every hook. */
function setsHuskyOff(text: string): boolean {
  return text.split('\n').some((line) => /^\s*(?:export\s+)?HUSKY=(["']?)0\1\s*(?:[;#]|$)/.test(line.replace(/\r$/, '')));
}

/** A hook that calls keyguard: will it run? */
function fileResult(ctx: DoctorContext, repo: RepoContext, hook: HookState): CheckOutcome {
  const file = display(repo, hook.file);
  const quoted = shellQuote(file);
  const problems: { message: string; fix: string }[] = [];
  // keyguard install rewrites its own hook with LF and 0755; a hook someone else wrote is theirs to edit.
  let repairable = false;
  if (hook.text?.includes('\r\n')) {
    problems.push({ message: m.hook.crlf(file), fix: m.hook.crlfFix(quoted) });
    repairable = true;
  }
  if (hook.needsExec && !hook.executable) {
    problems.push({ message: m.hook.notExecutable(file), fix: m.hook.notExecutableFix(quoted) });
    repairable = true;
  }
  if (hook.setup.husky && !hook.needsExec) {
    const stub = join(hook.setup.hooksDir, 'pre-commit');
    const shownStub = display(repo, stub);
    if (!existsSync(stub)) problems.push({ message: m.hook.huskyStubMissing(shownStub), fix: 'npx husky' });
    else if (!isExecutable(stub)) problems.push({ message: m.hook.huskyStubNotExecutable(shownStub), fix: m.hook.notExecutableFix(shellQuote(shownStub)) });
  }
  const own = hook.text !== undefined && hasOwnBlock(hook.text);
  if (problems.length > 0) {
    const result: CheckOutcome = {
      status: 'fail',
      message: problems.map((p) => p.message).join('; '),
      fix: atTop(repo, problems.map((p) => p.fix).join(' && ')),
    };
    if (repairable && own) result.repair = () => installHook(ctx.cwd, hook.setup.husky ? 'husky' : 'hooks');
    return result;
  }
  if (hook.setup.husky) {
    if (ctx.env.HUSKY === '0') return { status: 'fail', message: m.hook.huskyOff(file, m.hook.huskyOffEnv), fix: m.hook.huskyOffEnvFix };
    const init = huskyInitFile(ctx.env);
    const initText = init ? readText(init) : undefined;
    if (init && initText !== undefined && setsHuskyOff(initText)) {
      return { status: 'fail', message: m.hook.huskyOff(file, m.hook.huskyOffInit(init)), fix: m.hook.huskyOffInitFix(init) };
    }
  }
  return { status: 'ok', message: m.hook.ok(file, hook.setup.husky ? ' (husky)' : '') };
}
