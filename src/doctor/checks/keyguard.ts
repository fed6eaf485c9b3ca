import { callsBareKeyguard, display } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck, RepoContext } from '../types.js';

/**
 * Whether the hook can find keyguard. husky's runner prepends node_modules/.bin (relative to the
 * top level, where git runs hooks) to PATH; a plain hook has only the PATH of the shell that ran
 * git (research/ecosystem.md §1.1).
 */
export const keyguardCheck: DoctorCheck = {
  id: 'keyguard',
  title: 'keyguard',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo as RepoContext;
    const bin = repo.keyguard();
    if (!bin) return { status: 'fail', message: m.keyguard.notFound(repo.top), fix: m.keyguard.notFoundFix };
    if (bin.where === 'path') return { status: 'ok', message: m.keyguard.onPath(bin.path) };
    const hook = await repo.hook();
    const path = display(repo, bin.path);
    const plain = !hook.setup.husky && hook.text !== undefined && hook.callsKeyguard;
    if (plain && callsBareKeyguard(hook.text ?? '') && !hook.text?.includes('node_modules/.bin')) {
      return { status: 'warn', message: m.keyguard.bareCall(display(repo, hook.file), 'node_modules/.bin'), fix: m.keyguard.bareCallFix };
    }
    return { status: 'ok', message: m.keyguard.local(path, hook.setup.husky) };
  },
};
