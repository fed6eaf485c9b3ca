import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitAtLeast } from '../../install/hooks.js';
import { shellQuote } from '../../engine/dotenv.js';
import { atTop, callsKeyguard, display, keyguardCommand, readText } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import { installHook } from '../repair.js';
import { lefthookSnippet, preCommitSnippet } from '../../install/messages.js';
import type { CheckOutcome, DoctorCheck, DoctorContext, HookState, RepoContext } from '../types.js';

const CONFIG_HOOKS = [2, 54, 0] as const;

/**
 * The pre-commit hook git will really run (core.hooksPath and husky resolved by git), and whether it
 * calls keyguard, is executable and uses LF. The traps are the silent ones: a hook in .git/hooks
 * that core.hooksPath shadows, a hooks path that does not exist, husky's `_` directory missing in
 * this worktree (research/ecosystem.md §1.2).
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
    const install = () => installHook(repo.top);
    const hooksDir = display(repo, setup.hooksDir);

    if (hook.configHooks.length > 0 && !hook.callsKeyguard) {
      if (gitAtLeast(setup.gitVersion, CONFIG_HOOKS)) return { status: 'ok', message: m.hook.configHookOk(hook.configHooks) };
      return {
        status: 'fail',
        message: m.hook.configHookOld(hook.configHooks, setup.gitVersion.join('.')),
        fix: m.hook.configHookOldFix(atTop(repo, `${keyguard} install --mode hooks`)),
      };
    }
    if (setup.hooksPathMissing) {
      if (setup.husky) return { status: 'fail', message: m.hook.huskyMissing(hooksDir), fix: atTop(repo, 'npx husky') };
      // keyguard install creates the missing directory with the hook in it.
      return { status: 'fail', message: m.hook.hooksPathMissing(setup.hooksPath ?? hooksDir), fix: atTop(repo, `${keyguard} install`), repair: install };
    }
    if (!hook.callsKeyguard) {
      const shadowed = shadowedHook(hook);
      if (shadowed) {
        return {
          status: 'fail',
          message: m.hook.shadowed(display(repo, shadowed), setup.hooksPath ?? '', hooksDir),
          fix: atTop(repo, `${keyguard} install`),
          repair: install,
        };
      }
      // husky owns the hooks when core.hooksPath is its directory, whatever other config lies around (as install decides).
      const manager = setup.husky ? undefined : managerResult(repo, hook);
      if (manager) return manager;
      const file = display(repo, hook.file);
      if (hook.text === undefined) return { status: 'fail', message: m.hook.missing(hooksDir), fix: atTop(repo, `${keyguard} install`), repair: install };
      return { status: 'fail', message: m.hook.notCalling(file), fix: atTop(repo, `${keyguard} install --append`), repair: install };
    }
    return fileResult(ctx, repo, hook);
  },
};

/** keyguard's own hook in the default directory while core.hooksPath sends git elsewhere. */
function shadowedHook(hook: HookState): string | undefined {
  if (hook.setup.hooksPath === undefined || hook.setup.hooksDir === hook.defaultDir) return undefined;
  const file = join(hook.defaultDir, 'pre-commit');
  const text = readText(file);
  return text !== undefined && callsKeyguard(text) ? file : undefined;
}

/** lefthook and the pre-commit framework own the hook file; keyguard belongs in their config. */
function managerResult(repo: RepoContext, hook: HookState): CheckOutcome | undefined {
  const managers = [
    { config: hook.setup.managers.lefthook, name: 'lefthook', install: 'npx lefthook install', snippet: lefthookSnippet, where: '' },
    { config: hook.setup.managers.preCommit, name: 'the pre-commit framework', install: 'pre-commit install', snippet: preCommitSnippet, where: ' under repos:' },
  ].flatMap((x) => (x.config ? [{ ...x, config: x.config, calls: callsKeyguard(readText(join(repo.top, x.config)) ?? '') }] : []));
  const manager = managers.find((x) => x.calls) ?? managers[0];
  if (!manager) return undefined;
  if (!manager.calls) {
    const fix = m.hook.managerFix(manager.config, `${manager.where}, then run \`${manager.install}\``, manager.snippet(manager.config).text);
    return { status: 'warn', message: m.hook.managerMissing(manager.config, manager.name), fix };
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

/** A hook that calls keyguard: will it run? */
function fileResult(ctx: DoctorContext, repo: RepoContext, hook: HookState): CheckOutcome {
  const file = display(repo, hook.file);
  const quoted = shellQuote(file);
  const problems: { message: string; fix: string }[] = [];
  if (hook.text?.includes('\r\n')) problems.push({ message: m.hook.crlf(file), fix: m.hook.crlfFix(quoted) });
  if (hook.needsExec && !hook.executable) problems.push({ message: m.hook.notExecutable(file), fix: m.hook.notExecutableFix(quoted) });
  if (hook.setup.husky && !hook.needsExec) {
    const stub = join(hook.setup.hooksDir, 'pre-commit');
    if (!existsSync(stub)) problems.push({ message: m.hook.huskyStubMissing(display(repo, stub)), fix: 'npx husky' });
  }
  if (problems.length > 0) {
    return {
      status: 'fail',
      message: problems.map((p) => p.message).join('; '),
      fix: atTop(repo, problems.map((p) => p.fix).join(' && ')),
    };
  }
  if (hook.setup.husky && ctx.env.HUSKY === '0') return { status: 'warn', message: m.hook.huskyOff(file), fix: m.hook.huskyOffFix };
  return { status: 'ok', message: m.hook.ok(file, hook.setup.husky ? ' (husky)' : '') };
}
