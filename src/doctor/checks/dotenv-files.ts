import { ignoreLine } from '../../engine/dotenv.js';
import { listDotenvFiles } from '../../sources/dotenv.js';
import { runGit } from '../../sources/git.js';
import dotenvCommitted from '../../../rules/dotenv-committed.js';
import dotenvNotIgnored from '../../../rules/dotenv-not-ignored.js';
import { atTop } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import { appendIgnoreLines } from '../repair.js';
import type { DoctorCheck, RepoContext } from '../types.js';

/**
 * dotenv files in git or about to be: the same repo rules `keyguard scan` runs, over the whole
 * repository as git sees it (tracked, staged, or present and not ignored; ignored files are fine).
 */
export const dotenvFilesCheck: DoctorCheck = {
  id: 'dotenv-files',
  title: 'dotenv files',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo as RepoContext;
    const staged = await runGit(['diff', '--cached', '--name-only', '-z', '--no-renames', '--no-relative', '--diff-filter=d'], repo.top);
    const files = await listDotenvFiles(repo.top, { staged: new Set(staged.toString('utf8').split('\0').filter(Boolean)) });
    const state = { dotenv: files, templates: [] };
    const committed = dotenvCommitted.check(state);
    const unignored = dotenvNotIgnored.check(state);
    const hits = [...committed, ...unignored];
    if (hits.length === 0) return { status: 'ok', message: m.dotenv.ok };
    const commands = [...new Set(hits.flatMap((h) => h.fixCommands))];
    const fix = atTop(repo, commands.join(' && ')) + (committed.length > 0 ? `; ${m.dotenv.committedFix}` : '');
    const lines = hits.map((h) => ignoreLine(h.path));
    return {
      status: 'fail',
      message: hits.map((h) => h.message.replace(/\.$/, '')).join('; '),
      fix,
      repair: () => appendIgnoreLines(repo.top, lines),
    };
  },
};
