import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './repo.js';

/**
 * A `git` that misbehaves on purpose, for fail-closed tests (test/e2e/failclosed-git.test.ts).
 * It is a shell script put first on PATH; every git command runs the real git unchanged except the
 * one whose subcommand (after `-c k=v`, `-C dir` and other global options) is `command`, where:
 *
 *  - `die`           the real git's output is cut after `bytes` bytes and the wrapper then kills
 *                    itself with SIGKILL (a git crashed or OOM-killed mid-stream);
 *  - `exit-nonzero`  the output is cut after `bytes` bytes, then "fatal: …" on stderr and exit 128;
 *  - `truncate-ok`   the output is cut after `bytes` bytes and the wrapper exits 0 (a git that
 *                    lies: no error, just less output than asked for).
 *
 * Standard input passes through to the real git (`cat-file --batch` reads object names from it).
 * Each time the fault fires, a line is appended to `firedLog`, so a test can tell that its
 * fault was reached and not routed around.
 */
export type FaultMode = 'die' | 'exit-nonzero' | 'truncate-ok';

export interface FaultGit {
  /** The directory to put first on PATH. */
  bin: string;
  /** A file with one line per fault fired. */
  firedLog: string;
  /** PATH with the wrapper first. */
  path: string;
}

export const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

export function faultGit(command: string, mode: FaultMode, bytes: number, basePath = process.env.PATH ?? ''): FaultGit {
  const dir = tempDir('keyguard-fault-git-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const firedLog = join(dir, 'fired.log');
  writeFileSync(firedLog, '');
  const end =
    mode === 'die'
      ? 'kill -KILL $$'
      : mode === 'exit-nonzero'
        ? `echo "fatal: fault-git: ${command} failed on purpose" >&2; exit 128`
        : 'exit 0';
  const script = `#!/bin/sh
# fault-git: ${command} -> ${mode} after ${bytes} bytes; everything else is the real git.
real='${REAL_GIT}'
sub=''
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -c|-C|--git-dir|--work-tree|--namespace|--exec-path) skip=1 ;;
    -*) ;;
    *) sub="$a"; break ;;
  esac
done
if [ "$sub" != '${command}' ]; then exec "$real" "$@"; fi
echo "$*" >> '${firedLog}'
"$real" "$@" | head -c ${bytes}
${end}
`;
  const file = join(bin, 'git');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return { bin, firedLog, path: `${bin}:${basePath}` };
}
