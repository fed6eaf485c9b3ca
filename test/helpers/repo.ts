import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

/** Environment for git in tests: no user or system config leaks in, identity fixed. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k === 'HUSKY' || k.startsWith('KEYGUARD_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.test',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.test',
    ...extra,
  };
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. Never inside this project. */
export function tempDir(prefix = 'keyguard-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  if (dir.startsWith(PROJECT_ROOT)) throw new Error('refusing to run a repository test inside the project');
  made.push(dir);
  return dir;
}

export interface Repo {
  dir: string;
  git(...args: string[]): string;
  /** git with a result instead of a throw. */
  tryGit(...args: string[]): { status: number | null; stdout: string; stderr: string };
  write(path: string, content: string | Buffer): void;
  /** Runs the built CLI here. */
  keyguard(args: string[], options?: CliOptions): CliResult;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  cwd?: string;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string, options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? cwd,
    env: options.env ?? cleanEnv(),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A new repository with an initial branch `main`; `files` are written but not staged. */
export function createRepo(files: Record<string, string> = {}): Repo {
  const dir = tempDir();
  const env = cleanEnv();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  const repo: Repo = {
    dir,
    git,
    tryGit: (...args) => {
      const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    keyguard: (args, options = {}) => runCli(args, dir, options),
  };
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  return repo;
}

/** Installs a plain pre-commit hook that runs the built CLI on the staged change. */
export function installHook(repo: Repo, command = `"${process.execPath}" "${CLI}" scan --staged`): void {
  const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
  mkdirSync(dirname(hook), { recursive: true });
  writeFileSync(hook, `#!/bin/sh\nexec ${command}\n`);
  chmodSync(hook, 0o755);
}
