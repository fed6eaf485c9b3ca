import { accessSync, constants } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { callsBareKeyguard, display, localCandidates } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck, RepoContext } from '../types.js';

/**
 * Whether the hook can find keyguard. husky's runner prepends node_modules/.bin (relative to the
 * top level, where git runs hooks) to PATH; a plain hook has only the PATH of the shell that ran
 * git (research/ecosystem.md §1.1). keyguard's plain hook looks in node_modules/.bin itself, first in
 * the monorepo package it recorded at install (repo.pkgDir), and so does this check.
 */
export const keyguardCheck: DoctorCheck = {
  id: 'keyguard',
  title: 'keyguard',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo as RepoContext;
    const bin = repo.keyguard();
    if (!bin) {
      // A hook that runs keyguard by an explicit path (`bin/keyguard scan`) needs nothing on PATH:
      // that file, from the top level where git runs hooks, is what must exist.
      const explicit = explicitKeyguardPath((await repo.hook()).text ?? '');
      const file = explicit && (isAbsolute(explicit) ? explicit : join(repo.top, explicit));
      if (file && isExecutable(file)) return { status: 'ok', message: m.keyguard.byPath(display(repo, file)) };
      // The directories the hook searches, in its order (a monorepo package the hook recorded first).
      const dirs = localCandidates(repo.top, repo.pkgDir).map((file) => dirname(file));
      const fix = repo.pkgDir ? m.keyguard.notFoundInPackageFix(display(repo, dirs[0] as string).replace(/\/node_modules\/\.bin$/, '')) : m.keyguard.notFoundFix;
      return { status: 'fail', message: m.keyguard.notFound(dirs), fix };
    }
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

/** The path in an uncommented `<path>/keyguard scan` call, if the hook uses one. */
export function explicitKeyguardPath(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const m = /(?:^|[\s;&|(])((?:\.{1,2}\/|\/)?(?:[\w.@-]+\/)+keyguard)\s+scan\b/.exec(line);
    if (m?.[1] && !m[1].includes('$')) return m[1];
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
