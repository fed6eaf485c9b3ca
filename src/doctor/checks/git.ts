import { gitAtLeast } from '../../install/hooks.js';
import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck } from '../types.js';

/** `git rev-parse --path-format` arrived in git 2.31; the hook checks ask git where hooks live with it. */
const MIN_GIT = [2, 31, 0] as const;

/** The git repository and git's version. Outside a working tree this is the only check that runs. */
export const gitCheck: DoctorCheck = {
  id: 'git',
  title: 'git',
  needsRepo: false,
  async run(ctx) {
    if (!ctx.gitVersion) {
      const reason = (ctx.gitError instanceof Error ? ctx.gitError.message : String(ctx.gitError)).replace(/\.$/, '');
      return { status: 'fail', message: m.git.gitMissing(reason), fix: m.git.gitMissingFix };
    }
    if (ctx.noWorkTree !== undefined) return { status: 'fail', message: m.git.noWorkTree(ctx.cwd, ctx.noWorkTree), fix: m.git.noWorkTreeFix };
    if (!ctx.repo) return { status: 'fail', message: m.git.notARepo(ctx.cwd), fix: m.git.notARepoFix };
    const version = ctx.gitVersion.join('.');
    if (!gitAtLeast(ctx.gitVersion, MIN_GIT)) return { status: 'warn', message: m.git.old(version), fix: m.git.oldFix };
    return { status: 'ok', message: m.git.ok(ctx.repo.top, ctx.repo.prefix, version) };
  },
};
