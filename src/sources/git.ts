import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { messages } from '../messages.js';

/**
 * Git is spawned directly rather than through simple-git: simple-git 4 strips GIT_* variables from
 * its children unless told otherwise, which breaks GIT_INDEX_FILE in hooks, and it costs ~23 ms to
 * import (ARCHITECTURE.md). Every GIT_* variable of the caller passes through unchanged; only the
 * message language is pinned, so "not a git repository" can be recognised.
 */
export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  /** The signal that ended git, when code is null. */
  signal?: NodeJS.Signals | null;
}

/**
 * Starts git with every stream piped. node:child_process costs ~7 ms to load, so it is fetched on
 * first use (process.getBuiltinModule, Node >= 20.16) and `--version` or `rules` never pay for it.
 */
export function spawnGit(args: readonly string[], cwd: string): ChildProcessWithoutNullStreams {
  const cp = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  return cp.spawn('git', args, { cwd, env: gitEnv(), stdio: 'pipe' });
}

/**
 * GIT_NO_LAZY_FETCH (git >= 2.44, and 2.39.4 onwards): in a partial clone (`--filter=blob:none`) git would otherwise
 * fetch a missing blob from the remote on its own; keyguard makes no network request unless asked
 * (--verify), so a missing blob is an error (exit 2) that says to fetch it, not a silent download.
 */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    // Older git ignores GIT_NO_LAZY_FETCH; allowing no transport blocks a lazy fetch there too.
    GIT_ALLOW_PROTOCOL: 'keyguard-no-network',
    // .git/info/grafts (deprecated, local) could graft a commit that added a key out of history;
    // --no-replace-objects does not cover grafts. A graft file that does not exist disables them.
    GIT_GRAFT_FILE: NO_GRAFTS,
  };
}

const NO_GRAFTS = '/nonexistent/keyguard-no-grafts';

/** How a streamed git process ended: exit code or signal, its stderr, or why it never started. */
export interface GitExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  spawnError?: Error;
}

/**
 * Starts git whose stdout the caller streams (start reading it at once: Node discards a child's
 * unread stdout when the child exits). stderr is collected; `exited` never rejects.
 */
export function streamGit(args: readonly string[], cwd: string): { child: ChildProcessWithoutNullStreams; exited: Promise<GitExit> } {
  const child = spawnGit(args, cwd);
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  let spawnError: Error | undefined;
  const exited = new Promise<GitExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({ code, signal, stderr: Buffer.concat(stderr).toString('utf8'), ...(spawnError ? { spawnError } : {}) });
    child.on('close', done);
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT' ? messages.gitNotFound() : e;
      done(null, null);
    });
  });
  return { child, exited };
}

/** Runs git and resolves with its output whatever the exit code; rejects only when git cannot start. */
export function runGitRaw(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, cwd);
    child.stdin.end();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? messages.gitNotFound() : e));
    child.on('close', (code, signal) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code, signal }));
  });
}

/** Outside a repository most commands say so; `git diff --cached` instead falls back to --no-index usage. */
export function isNotARepo(result: Pick<GitResult, 'code' | 'stderr'>): boolean {
  return result.code !== 0 && /not a git repository|usage: git diff --no-index/i.test(result.stderr);
}

/** Not in a work tree: outside any repository, in a bare one, or inside `.git` (a plain directory to keyguard). */
export function isOutsideWorkTree(result: Pick<GitResult, 'code' | 'stderr'>): boolean {
  return isNotARepo(result) || (result.code !== 0 && /must be run in a work tree/.test(result.stderr));
}

/** `-c core.bigFileThreshold=N`: files over N bytes are binary to git's diff and log (not diffed). */
export function bigFileThreshold(maxFileSize: number | undefined): string[] {
  return maxFileSize === undefined || !Number.isFinite(maxFileSize) ? [] : ['-c', `core.bigFileThreshold=${maxFileSize}`];
}

/** Runs git and returns stdout; a non-zero exit becomes a KeyguardError (exit 2), never an empty result. */
export async function runGit(args: readonly string[], cwd: string): Promise<Buffer> {
  const result = await runGitRaw(args, cwd);
  if (isNotARepo(result)) throw messages.notAGitRepo(cwd);
  if (result.code !== 0) throw messages.gitFailed(args, result.code, result.stderr, result.signal);
  return result.stdout;
}

/**
 * Undoes git's C-style path quoting ("a\tb", "\303\251") as used in diff headers.
 * @see https://git-scm.com/docs/git-config#Documentation/git-config.txt-corequotePath
 */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
