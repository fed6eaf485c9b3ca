import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { install, renderInstallResult, uninstall, type InstallOptions } from '../../src/commands/install.js';
import { callsKeyguard, findBlock, huskyBlock, isShellScript, plainBlock } from '../../src/install/block.js';
import { KeyguardError } from '../../src/errors.js';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, runCli, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

/**
 * `keyguard install` / `uninstall` against real git in temporary repositories, proven by real
 * `git commit`s. The commands are called through the API (src/commands/install.ts); one section
 * at the end drives the built CLI once run.ts dispatches `install`.
 *
 * How the hooks find keyguard here: a hook runs `<top level>/node_modules/.bin/keyguard`. A temp
 * repository has no npm install, so `shim()` writes that file as a two-line sh script that execs
 * this Node (process.execPath) on the built CLI (dist/cli.js) by absolute path: the hook code under
 * test is unchanged, only the binary it finds is this checkout's build. `.gitignore` keeps the shim
 * out of the commits.
 */

// install() runs git from this process: keep the developer's git config (a global core.hooksPath,
// say) and any GIT_* of an enclosing hook out of it, as cleanEnv does for child processes.
beforeAll(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_')) delete process.env[k];
  Object.assign(process.env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
});

const NODE = process.execPath;
const HUSKY_BIN = join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js');

function shim(dir: string): void {
  const bin = join(dir, 'node_modules', '.bin', 'keyguard');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\nexec "${NODE}" "${CLI}" "$@"\n`);
  chmodSync(bin, 0o755);
}

/** A repository with a clean first commit, the keyguard shim, and node_modules ignored. */
function baseRepo(files: Record<string, string> = {}): Repo {
  const repo = createRepo({ '.gitignore': 'node_modules/\n', 'README.md': '# demo\n', ...files });
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  shim(repo.dir);
  return repo;
}

/** `npx husky` as a project's prepare script runs it: core.hooksPath = .husky/_ plus the runner. */
function huskyRepo(files: Record<string, string> = {}): Repo {
  const repo = baseRepo(files);
  const r = spawnSync(NODE, [HUSKY_BIN], { cwd: repo.dir, env: cleanEnv(), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
  return repo;
}

const opts = (repo: Repo | string, extra: Partial<InstallOptions> = {}): InstallOptions => ({
  cwd: typeof repo === 'string' ? repo : repo.dir,
  ...extra,
});

type GitResult = ReturnType<Repo['tryGit']>;

function gitIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): GitResult {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const headOf = (cwd: string) => gitIn(cwd, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();

/** Stages a file holding a fresh key and tries to commit it: the commit must not happen and the key must not be printed. */
function expectKeyCommitBlocked(cwd: string, env?: NodeJS.ProcessEnv): GitResult {
  const key = genKey('proj');
  writeFileSync(join(cwd, 'leak.js'), `export const apiKey = "${key}";\n`);
  expect(gitIn(cwd, ['add', 'leak.js']).status).toBe(0);
  const before = headOf(cwd);
  const r = gitIn(cwd, ['commit', '-m', 'leak'], env);
  expect(r.status).not.toBe(0);
  expect(headOf(cwd)).toBe(before);
  expect(`${r.stdout}${r.stderr}`).not.toContain(key);
  expect(`${r.stdout}${r.stderr}`).not.toContain(key.slice(-24));
  // Leave the tree clean for the next step.
  gitIn(cwd, ['rm', '-q', '--cached', 'leak.js']);
  writeFileSync(join(cwd, 'leak.js'), '');
  gitIn(cwd, ['clean', '-qf', 'leak.js']);
  return r;
}

function expectCleanCommitPasses(cwd: string, name = 'clean.js'): GitResult {
  writeFileSync(join(cwd, name), `export const n = ${Math.random()};\n`);
  gitIn(cwd, ['add', name]);
  const before = headOf(cwd);
  const r = gitIn(cwd, ['commit', '-m', `add ${name}`]);
  expect(r.status, r.stderr).toBe(0);
  expect(headOf(cwd)).not.toBe(before);
  return r;
}

const bytes = (path: string) => readFileSync(path);
const modeOf = (path: string) => statSync(path).mode & 0o777;

function expectLf(path: string): void {
  expect(bytes(path).includes(0x0d), `${path} holds a CR byte`).toBe(false);
}

async function rejection(promise: Promise<unknown>): Promise<KeyguardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyguardError);
  return error as KeyguardError;
}

describe('plain git hooks', () => {
  it('writes .git/hooks/pre-commit (#!/bin/sh, LF, 0755); a staged key is blocked, a clean commit passes', async () => {
    const repo = baseRepo();
    const result = await install(opts(repo));
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(result).toMatchObject({ mode: 'hooks', action: 'install', dryRun: false, hookPath: hook, changes: ['created .git/hooks/pre-commit'] });
    expect(renderInstallResult(result)).toMatch(/^keyguard: installed with a git hook; every commit now runs `keyguard scan --staged` first\.\n {2}- created \.git\/hooks\/pre-commit\n/);
    expect(bytes(hook).subarray(0, 10).toString()).toBe('#!/bin/sh\n');
    expectLf(hook);
    expect(modeOf(hook)).toBe(0o755);
    const text = readFileSync(hook, 'utf8');
    expect(text).toContain('/node_modules/.bin/keyguard"');
    expect(text).toContain('command -v keyguard');
    expect(text).not.toMatch(/\bnpx\b/);

    const blocked = expectKeyCommitBlocked(repo.dir);
    expect(blocked.stderr).toMatch(/1 secret found/);
    expect(expectCleanCommitPasses(repo.dir).stderr).toMatch(/no secrets found/);
  });

  it('is idempotent: a second install changes nothing and says so', async () => {
    const repo = baseRepo();
    await install(opts(repo));
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const first = bytes(hook);
    const again = await install(opts(repo));
    expect(again.changes).toEqual([]);
    expect(renderInstallResult(again)).toBe('keyguard: already installed (.git/hooks/pre-commit); nothing changed.\n');
    expect(bytes(hook).equals(first)).toBe(true);
  });

  it('--dry-run lists the change and writes nothing', async () => {
    const repo = baseRepo();
    const result = await install(opts(repo, { dryRun: true }));
    expect(result.changes).toEqual(['create .git/hooks/pre-commit']);
    expect(renderInstallResult(result)).toContain('dry run, nothing changed. keyguard install would:\n  - create .git/hooks/pre-commit');
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('repairs its own hook: CRLF endings and a lost exec bit', async () => {
    const repo = baseRepo();
    await install(opts(repo));
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const good = bytes(hook);
    writeFileSync(hook, good.toString('utf8').replace(/\n/g, '\r\n'));
    chmodSync(hook, 0o644);
    const result = await install(opts(repo));
    expect(result.changes).toEqual([expect.stringMatching(/^converted .* to LF/), expect.stringMatching(/^made .* executable/)]);
    expect(bytes(hook).equals(good)).toBe(true);
    expect(modeOf(hook)).toBe(0o755);
  });

  describe('an existing hook that does not run keyguard', () => {
    const FOREIGN = '#!/bin/sh\necho "foreign ran" >> foreign.log\nexit 0\n';
    let repo: Repo;
    let hook: string;
    beforeEach(() => {
      repo = baseRepo({ '.gitignore': 'node_modules/\nforeign.log\n' });
      hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
      writeFileSync(hook, FOREIGN);
      chmodSync(hook, 0o755);
    });

    it('is refused without --force or --append (exit-2 error naming both), and left untouched', async () => {
      const error = await rejection(install(opts(repo)));
      expect(error.code).toBe('USAGE');
      expect(error.message).toBe('.git/hooks/pre-commit already exists and does not run keyguard.');
      expect(error.fix).toContain('--append');
      expect(error.fix).toContain('--force');
      expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
      // A dry run refuses the same way: it must not promise what the real run would not do.
      await rejection(install(opts(repo, { dryRun: true })));
      await expect(install(opts(repo, { force: true, append: true }))).rejects.toMatchObject({ code: 'USAGE' });
    });

    it('--append runs keyguard first, keeps the hook (even its final `exit 0`), and uninstall restores it byte for byte', async () => {
      const result = await install(opts(repo, { append: true }));
      expect(result.changes).toEqual(['added keyguard to .git/hooks/pre-commit (before the commands already in it)']);
      const text = readFileSync(hook, 'utf8');
      expect(text.startsWith('#!/bin/sh\n# >>> keyguard >>>')).toBe(true);
      expect(text.endsWith('# <<< keyguard <<<\necho "foreign ran" >> foreign.log\nexit 0\n')).toBe(true);
      expect(modeOf(hook)).toBe(0o755);
      expect((await install(opts(repo, { append: true }))).changes).toEqual([]);

      expectKeyCommitBlocked(repo.dir);
      expect(existsSync(join(repo.dir, 'foreign.log'))).toBe(false); // keyguard failed first, the rest did not run
      expectCleanCommitPasses(repo.dir);
      expect(readFileSync(join(repo.dir, 'foreign.log'), 'utf8')).toBe('foreign ran\n');

      const removed = await uninstall(opts(repo));
      expect(removed.changes).toEqual(["removed keyguard's lines from .git/hooks/pre-commit"]);
      expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
      expect(modeOf(hook)).toBe(0o755);
    });

    it('--append turns a CRLF hook into LF (sh cannot run CRLF)', async () => {
      writeFileSync(hook, FOREIGN.replace(/\n/g, '\r\n'));
      const result = await install(opts(repo, { append: true }));
      expect(result.changes).toEqual([expect.stringMatching(/^added keyguard/), expect.stringMatching(/^converted \.git\/hooks\/pre-commit to LF/)]);
      expectLf(hook);
      expectCleanCommitPasses(repo.dir);
    });

    it('--append refuses a hook in a language that is not sh', async () => {
      writeFileSync(hook, '#!/usr/bin/env python3\nprint("hi")\n');
      const error = await rejection(install(opts(repo, { append: true })));
      expect(error.message).toBe('.git/hooks/pre-commit is a python3 script, so keyguard cannot add shell lines to it.');
      expect(readFileSync(hook, 'utf8')).toBe('#!/usr/bin/env python3\nprint("hi")\n');
    });

    it('--force replaces it, keeps a backup, and uninstall puts the original back', async () => {
      const result = await install(opts(repo, { force: true }));
      expect(result.changes).toEqual([
        'replaced .git/hooks/pre-commit; the previous hook is kept as .git/hooks/pre-commit.keyguard-backup and `keyguard uninstall` puts it back',
      ]);
      expect(readFileSync(`${hook}.keyguard-backup`, 'utf8')).toBe(FOREIGN);
      expect(readFileSync(hook, 'utf8')).not.toContain('foreign');
      expect(modeOf(hook)).toBe(0o755);
      expectKeyCommitBlocked(repo.dir);
      expectCleanCommitPasses(repo.dir);
      expect(existsSync(join(repo.dir, 'foreign.log'))).toBe(false);

      const dry = await uninstall(opts(repo, { dryRun: true }));
      expect(dry.changes).toEqual([
        'delete .git/hooks/pre-commit (nothing but keyguard is in it)',
        'restore .git/hooks/pre-commit from .git/hooks/pre-commit.keyguard-backup',
      ]);
      expect(existsSync(`${hook}.keyguard-backup`)).toBe(true);

      const removed = await uninstall(opts(repo));
      expect(removed.changes).toHaveLength(2);
      expect(renderInstallResult(removed)).toMatch(/^keyguard: uninstalled; commits are no longer scanned by keyguard\.\n/);
      expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
      expect(existsSync(`${hook}.keyguard-backup`)).toBe(false);
    });
  });

  it('leaves a hook alone that already runs keyguard through a line it did not write', async () => {
    const repo = baseRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const own = '#!/bin/sh\nnpx --no keyguard scan --staged\n';
    writeFileSync(hook, own);
    chmodSync(hook, 0o755);
    const result = await install(opts(repo));
    expect(result.changes).toEqual([]);
    expect(result.notes).toEqual(['.git/hooks/pre-commit already runs keyguard (a line keyguard did not write); it was left as it is.']);
    const removed = await uninstall(opts(repo));
    expect(removed.changes).toEqual([]);
    expect(removed.notes).toEqual(['.git/hooks/pre-commit runs keyguard from a line keyguard did not write; remove that line yourself.']);
    expect(readFileSync(hook, 'utf8')).toBe(own);
  });

  it('uninstall deletes a hook left empty, and says so when there is nothing to remove', async () => {
    const repo = baseRepo();
    await install(opts(repo));
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect((await uninstall(opts(repo))).changes).toEqual(['deleted .git/hooks/pre-commit (nothing but keyguard was in it)']);
    expect(existsSync(hook)).toBe(false);
    const none = await uninstall(opts(repo));
    expect(none.changes).toEqual([]);
    expect(renderInstallResult(none)).toBe("keyguard: no hook of keyguard's was found here; nothing changed.\n");
    expectCleanCommitPasses(repo.dir);
  });

  it('a hook that cannot find keyguard fails the commit with a clear message', async () => {
    const repo = createRepo({ 'README.md': '# demo\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
    await install(opts(repo)); // no shim: node_modules/.bin/keyguard does not exist
    const env = cleanEnv({ PATH: '/usr/bin:/bin' }); // git and sh, and no keyguard
    expect(spawnSync('sh', ['-c', 'command -v keyguard'], { env }).status).not.toBe(0);
    writeFileSync(join(repo.dir, 'a.js'), 'export const a = 1;\n');
    repo.git('add', 'a.js');
    const before = headOf(repo.dir);
    const r = gitIn(repo.dir, ['commit', '-m', 'a'], env);
    expect(r.status).not.toBe(0);
    expect(headOf(repo.dir)).toBe(before);
    expect(r.stderr).toContain('keyguard: not found in node_modules/.bin or on PATH, so this commit was not scanned for secrets and is stopped.');
    expect(r.stderr).toContain('keyguard: run `npm install` (keyguard is a devDependency) and commit again.');
  });

  it('follows a custom core.hooksPath, creating the directory git would otherwise silently lack', async () => {
    const repo = baseRepo();
    repo.git('config', 'core.hooksPath', '.githooks');
    const result = await install(opts(repo));
    expect(result.changes).toEqual([expect.stringMatching(/^created \.githooks \(core\.hooksPath points there/), 'created .githooks/pre-commit']);
    expect(modeOf(join(repo.dir, '.githooks', 'pre-commit'))).toBe(0o755);
    expectKeyCommitBlocked(repo.dir);
  });

  it('works from a linked worktree: the hook goes to the common hooks directory and blocks commits made there', async () => {
    const repo = baseRepo();
    const wt = join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', wt);
    shim(wt); // each worktree has its own node_modules
    const result = await install(opts(wt));
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(result.hookPath).toBe(hook);
    expect(result.changes).toEqual([`created ${hook}`]); // outside the worktree: shown absolute
    expectKeyCommitBlocked(wt);
    expectCleanCommitPasses(wt);
    // The main worktree shares the hook.
    expectKeyCommitBlocked(repo.dir);
    expect((await uninstall(opts(wt))).changes).toEqual([`deleted ${hook} (nothing but keyguard was in it)`]);
  });

  it('refuses --mode hooks when husky owns the hooks directory', async () => {
    const repo = baseRepo();
    repo.git('config', 'core.hooksPath', '.husky/_');
    const error = await rejection(install(opts(repo, { mode: 'hooks' })));
    expect(error.message).toBe('--mode hooks would write .husky/_/pre-commit, a file husky generates.');
    expect(error.fix).toContain('--mode husky');
  });

  it('a hooks path it cannot write: an exit-2 error naming the file, not an internal error', async () => {
    const repo = baseRepo({ blocker: 'a file, not a directory\n' });
    repo.git('config', 'core.hooksPath', 'blocker');
    const error = await rejection(install(opts(repo)));
    expect(error.code).toBe('OUTPUT_UNWRITABLE');
    expect(error.message).toBe(`${join(repo.dir, 'blocker', 'pre-commit')} could not be read or changed (ENOTDIR).`);
  });

  it('outside a repository: an exit-2 NOT_A_GIT_REPO error, for install and uninstall', async () => {
    const dir = tempDir();
    const error = await rejection(install(opts(dir)));
    expect(error.code).toBe('NOT_A_GIT_REPO');
    expect(error.message).toBe(`there is no git repository at ${dir} to install a hook into.`);
    expect((await rejection(uninstall(opts(dir)))).message).toBe(`there is no git repository at ${dir} to remove a hook from.`);
  });
});

describe('recognising hooks (src/install/block.ts)', () => {
  it('a line that runs keyguard, and lines that only look alike', () => {
    for (const line of ['keyguard scan --staged', 'npx keyguard scan', 'npx --no keyguard scan', '"$ROOT/node_modules/.bin/keyguard" scan', 'pnpm exec keyguard scan --staged; exit $?']) {
      expect(callsKeyguard(`#!/bin/sh\n${line}\n`), line).toBe(true);
    }
    // `keyguard` alone prints its help and exits 0: it scans nothing.
    for (const line of ['# keyguard scan --staged', 'keyguard_bin=x', 'node keyguard-lite.js', 'cat keyguard.yml', 'npm test', 'npx keyguard']) {
      expect(callsKeyguard(`#!/bin/sh\n${line}\n`), line).toBe(false);
    }
    // keyguard's own block does not count as a foreign call; an unterminated block is not a block.
    expect(callsKeyguard(`#!/bin/sh\n${plainBlock()}`)).toBe(false);
    expect(findBlock(`#!/bin/sh\n${plainBlock()}`)?.text).toBe(plainBlock());
    expect(findBlock('# >>> keyguard >>>\nkeyguard scan\n')).toBeUndefined();
  });

  it('which interpreters --append can add sh lines for', () => {
    for (const first of ['', '#!/bin/sh', '#!/bin/bash -e', '#!/usr/bin/env bash', '#!/usr/bin/env -S zsh -f']) {
      expect(isShellScript(`${first}\necho\n`).shell, first).toBe(true);
    }
    for (const first of ['#!/usr/bin/env node', '#!/usr/bin/python3', '#!/usr/bin/env -S deno run']) {
      expect(isShellScript(`${first}\necho\n`).shell, first).toBe(false);
    }
  });
});

describe('husky (the real husky 9 from node_modules)', () => {

  it('creates .husky/pre-commit with one marked command (LF, no shebang); husky runs it and blocks the key', async () => {
    const repo = huskyRepo();
    const result = await install(opts(repo));
    const file = join(repo.dir, '.husky', 'pre-commit');
    expect(result).toMatchObject({ mode: 'husky', changes: ['created .husky/pre-commit'], hookPath: file });
    expect(readFileSync(file, 'utf8')).toBe(
      '# >>> keyguard >>> added by `keyguard install`; `keyguard uninstall` removes this block\nkeyguard scan --staged\n# <<< keyguard <<<\n',
    );
    expectLf(file);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);

    const r = expectKeyCommitBlocked(repo.dir);
    expect(r.stderr).toContain('husky - pre-commit script failed (code 1)');
    expectCleanCommitPasses(repo.dir);
    expect((await install(opts(repo))).changes).toEqual([]);

    expect((await uninstall(opts(repo))).changes).toEqual(['deleted .husky/pre-commit (nothing but keyguard was in it)']);
    expect(existsSync(file)).toBe(false);
  });

  it('adds keyguard after the commands already in .husky/pre-commit, and uninstall takes only its lines out', async () => {
    const own = 'echo "lint ran" >> lint.log\n';
    const repo = huskyRepo({ '.husky/pre-commit': own, '.gitignore': 'node_modules/\nlint.log\n' });
    const result = await install(opts(repo));
    const file = join(repo.dir, '.husky', 'pre-commit');
    expect(result.changes).toEqual(['added keyguard to .husky/pre-commit (after the commands already in it)']);
    expect(readFileSync(file, 'utf8').startsWith(own)).toBe(true);
    expectKeyCommitBlocked(repo.dir);
    expectCleanCommitPasses(repo.dir);
    expect(readFileSync(join(repo.dir, 'lint.log'), 'utf8')).toContain('lint ran');

    await uninstall(opts(repo));
    expect(readFileSync(file, 'utf8')).toBe(own);
  });

  it('in a linked worktree without .husky/_, says to run `npx husky` there', async () => {
    const repo = huskyRepo();
    const wt = join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', wt);
    const result = await install(opts(wt));
    expect(result.mode).toBe('husky');
    expect(result.changes).toEqual(['created .husky/pre-commit']);
    expect(result.notes).toContain('.husky/_ is missing in this worktree, so git runs no hook here at all: run `npx husky` (or `npm install`, whose prepare script runs it).');
    expect(renderInstallResult(result)).toContain('  note: .husky/_ is missing in this worktree');
  });

  it('--mode husky where husky is not set up writes the file and says how to activate it', async () => {
    const repo = baseRepo();
    const result = await install(opts(repo, { mode: 'husky' }));
    expect(result.changes).toEqual(['created .husky/pre-commit']);
    expect(result.notes[0]).toMatch(/^husky is not active in this repository .* run `npx husky`/);
  });
});

describe('other hook managers: a snippet, no edits', () => {
  it('lefthook: prints a lefthook.yml snippet and changes no file', async () => {
    const lefthook = 'pre-push:\n  commands:\n    test:\n      run: npm test\n';
    const repo = baseRepo({ 'lefthook.yml': lefthook });
    const status = repo.git('status', '--porcelain');
    const result = await install(opts(repo));
    expect(result.mode).toBe('lefthook');
    expect(result.changes).toEqual([]);
    expect(result.snippet).toBe('pre-commit:\n  commands:\n    keyguard:\n      run: node_modules/.bin/keyguard scan --staged\n');
    expect(readFileSync(join(repo.dir, 'lefthook.yml'), 'utf8')).toBe(lefthook);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe(status);
    const text = renderInstallResult(result);
    expect(text).toContain('managed by lefthook (lefthook.yml), so keyguard changed no file.');
    expect(text).toContain('Add this to lefthook.yml, then run `npx lefthook install`:\n\npre-commit:\n');
  });

  it('pre-commit framework: prints a .pre-commit-config.yaml snippet with this repository\'s hook id', async () => {
    const config = 'repos: []\n';
    const repo = baseRepo({ '.pre-commit-config.yaml': config });
    const result = await install(opts(repo));
    expect(result.mode).toBe('pre-commit');
    expect(result.changes).toEqual([]);
    const manifest = readFileSync(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const id = /^- id: (\S+)$/m.exec(manifest)?.[1];
    const entry = /^ {2}entry: (.+)$/m.exec(manifest)?.[1];
    expect(id).toBe('keyguard');
    expect(result.snippet).toContain(`      - id: ${id}\n`);
    expect(result.snippet).toContain(`        entry: ${entry}\n`);
    expect(result.snippet).toContain('        pass_filenames: false\n');
    expect(readFileSync(join(repo.dir, '.pre-commit-config.yaml'), 'utf8')).toBe(config);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('a manager config that already names keyguard: already installed, no snippet', async () => {
    const repo = baseRepo({ 'lefthook.yml': 'pre-commit:\n  commands:\n    keyguard:\n      run: node_modules/.bin/keyguard scan --staged\n' });
    const result = await install(opts(repo));
    expect(result.snippet).toBeUndefined();
    expect(renderInstallResult(result)).toBe('keyguard: already installed (lefthook.yml); nothing changed.\n');
  });

  it('the .pre-commit-hooks.yaml manifest has the fields the framework needs', () => {
    const manifest = readFileSync(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    for (const line of ['- id: keyguard', '  name: keyguard', '  entry: keyguard scan --staged', '  language: node', '  pass_filenames: false', '  stages: [pre-commit]']) {
      expect(manifest.split('\n')).toContain(line);
    }
  });
});

describe('git config-based hooks (--mode git-config)', () => {
  it('is refused on git < 2.54 with an exit-2 error and the fix, changing nothing', async () => {
    const version = /(\d+)\.(\d+)\.(\d+)/.exec(spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout);
    const [major, minor] = [Number(version?.[1]), Number(version?.[2])];
    if (major > 2 || (major === 2 && minor >= 54)) return; // this machine's git supports it (the refusal cannot happen)
    const repo = baseRepo();
    const error = await rejection(install(opts(repo, { mode: 'git-config' })));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(`--mode git-config needs git 2.54 or newer, and this is git ${version?.[0]}.`);
    expect(error.fix).toContain('keyguard install');
    expect(repo.git('config', '--local', '--list')).not.toContain('hook.');
  });

  describe('with a git that reports 2.54 (a wrapper on PATH: git 2.39 stores the keys but does not run them)', () => {
    let savedPath: string | undefined;
    beforeEach(() => {
      const bin = tempDir();
      const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
      writeFileSync(join(bin, 'git'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "git version 2.54.0"; exit 0; fi\nexec "${real}" "$@"\n`);
      chmodSync(join(bin, 'git'), 0o755);
      savedPath = process.env.PATH;
      process.env.PATH = `${bin}:${savedPath}`;
    });
    afterEach(() => {
      process.env.PATH = savedPath;
    });

    it('sets hook.keyguard.pre-commit.{event,command} locally, idempotently; the command blocks a key; uninstall removes them', async () => {
      const repo = baseRepo();
      const result = await install(opts(repo, { mode: 'git-config' }));
      expect(result.mode).toBe('git-config');
      expect(result.hookPath).toBe('hook.keyguard.pre-commit.command');
      expect(result.changes).toEqual([
        "set hook.keyguard.pre-commit.event = pre-commit in the repository's git config",
        "set hook.keyguard.pre-commit.command = keyguard scan --staged (found in node_modules/.bin or on PATH) in the repository's git config",
      ]);
      expect(repo.git('config', '--local', 'hook.keyguard.pre-commit.event')).toBe('pre-commit\n');
      expect((await install(opts(repo, { mode: 'git-config' }))).changes).toEqual([]);

      // Run the command the way git 2.54 would (through the shell, from the top level) on a staged key.
      const command = repo.git('config', '--local', 'hook.keyguard.pre-commit.command').trim();
      const key = genKey('legacy');
      repo.write('k.js', `const k = "${key}";\n`);
      repo.git('add', 'k.js');
      const run = spawnSync('sh', ['-c', command], { cwd: repo.dir, env: cleanEnv(), encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/1 secret found/);
      expect(run.stdout + run.stderr).not.toContain(key);
      // Without a keyguard to find, the command stops the commit and says why.
      const missing = shimless(repo, () => spawnSync('sh', ['-c', command], { cwd: repo.dir, env: cleanEnv({ PATH: '/usr/bin:/bin' }), encoding: 'utf8' }));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('keyguard: not found in node_modules/.bin or on PATH');

      expect((await uninstall(opts(repo))).changes).toEqual(["removed hook.keyguard.pre-commit.* from the repository's git config"]);
      expect(repo.tryGit('config', '--local', '--get-regexp', '^hook\\.').stdout).toBe('');
    });

    it('with a global core.hooksPath, install refuses and suggests --mode git-config first', async () => {
      const repo = baseRepo();
      const config = join(tempDir(), 'gitconfig');
      writeFileSync(config, `[core]\n\thooksPath = ${join(tempDir(), 'githooks')}\n`);
      const saved = process.env.GIT_CONFIG_GLOBAL;
      process.env.GIT_CONFIG_GLOBAL = config;
      try {
        const error = await rejection(install(opts(repo)));
        expect(error.fix).toMatch(/^keyguard install --mode git-config \(a hook in this repository's own config\); git config core\.hooksPath \.githooks/);
        expect((await install(opts(repo, { mode: 'git-config' }))).mode).toBe('git-config');
      } finally {
        process.env.GIT_CONFIG_GLOBAL = saved;
      }
    });
  });
});

describe('hooks that mention keyguard but never let it stop a commit', () => {
  it.each([
    ['an echo', '#!/bin/sh\necho keyguard disabled\n', 'already exists and does not run keyguard.'],
    ['a comment', '#!/bin/sh\n# keyguard scan --staged\n', 'already exists and does not run keyguard.'],
    ['|| true', '#!/bin/sh\nnpx keyguard scan --staged || true\n', '`|| true` after keyguard on line 2 throws its exit status away'],
    ['after exit 0', '#!/bin/sh\nexit 0\nkeyguard scan --staged\n', '`exit 0` on line 2 ends the hook before keyguard (line 3) runs'],
  ])('a plain hook with %s is not "already installed": refused without --append/--force, and --append makes it block', async (_, text, reason) => {
    const repo = baseRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, text);
    chmodSync(hook, 0o755);
    const error = await rejection(install(opts(repo)));
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain(reason);
    expect(error.fix).toContain('--append');
    expect(readFileSync(hook, 'utf8')).toBe(text);

    const result = await install(opts(repo, { append: true }));
    expect(result.changes).toEqual(['added keyguard to .git/hooks/pre-commit (before the commands already in it)']);
    expectKeyCommitBlocked(repo.dir);
  });

  it('husky: keyguard goes before a top-level `exit 0` in .husky/pre-commit, not after it where it would never run', async () => {
    const own = 'echo "lint ran" >> lint.log\nexit 0\n';
    const repo = huskyRepo({ '.husky/pre-commit': own, '.gitignore': 'node_modules/\nlint.log\n' });
    const file = join(repo.dir, '.husky', 'pre-commit');
    const result = await install(opts(repo));
    expect(result.changes).toEqual(['added keyguard to .husky/pre-commit, before `exit 0` on line 2 (nothing after that line runs)']);
    expect(readFileSync(file, 'utf8')).toBe(`echo "lint ran" >> lint.log\n${huskyBlock()}exit 0\n`);
    expectKeyCommitBlocked(repo.dir);
    expectCleanCommitPasses(repo.dir);
    expect((await install(opts(repo))).changes).toEqual([]);
    await uninstall(opts(repo));
    expect(readFileSync(file, 'utf8')).toBe(own);
  });

  it('husky: keyguard\'s own lines found after an `exit` (an older install) are moved before it', async () => {
    const repo = huskyRepo({ '.gitignore': 'node_modules/\n' });
    const file = join(repo.dir, '.husky', 'pre-commit');
    writeFileSync(file, `echo lint\nexec true\n${huskyBlock()}`);
    const result = await install(opts(repo));
    expect(result.changes).toEqual(["moved keyguard's lines in .husky/pre-commit before `exec true` on line 2 (after it they never ran)"]);
    expect(readFileSync(file, 'utf8')).toBe(`echo lint\n${huskyBlock()}exec true\n`);
    expectKeyCommitBlocked(repo.dir);
  });

  it('husky: a keyguard call followed by `|| true` is not taken as installed: keyguard adds its own lines', async () => {
    const own = 'npx keyguard scan --staged || true\n';
    const repo = huskyRepo({ '.husky/pre-commit': own });
    const result = await install(opts(repo));
    expect(result.notes).not.toContainEqual(expect.stringContaining('already runs keyguard'));
    expect(result.changes).toEqual(['added keyguard to .husky/pre-commit (after the commands already in it)']);
    expectKeyCommitBlocked(repo.dir);
  });
});

describe('a core.hooksPath from the global git config', () => {
  let savedGlobal: string | undefined;
  let globalHooks: string;
  let config: string;
  beforeEach(() => {
    savedGlobal = process.env.GIT_CONFIG_GLOBAL;
    globalHooks = join(tempDir(), 'githooks');
    mkdirSync(globalHooks);
    config = join(tempDir(), 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${globalHooks}\n`);
    process.env.GIT_CONFIG_GLOBAL = config;
  });
  afterEach(() => {
    process.env.GIT_CONFIG_GLOBAL = savedGlobal;
  });

  it('install (auto and --mode hooks) refuses: a hook there would run for every repository on the machine', async () => {
    const repo = baseRepo();
    for (const mode of ['auto', 'hooks'] as const) {
      const error = await rejection(install(opts(repo, { mode })));
      expect(error.code).toBe('USAGE');
      expect(error.message).toBe(
        `core.hooksPath is set in your global git config (${globalHooks}), so git runs ${join(globalHooks, 'pre-commit')} for every repository that does not set its own.`,
      );
      expect(error.why).toContain('every other repository');
      expect(error.fix).toContain('git config core.hooksPath .githooks');
      expect(error.fix).toContain(`add \`keyguard scan --staged || exit $?\` to ${join(globalHooks, 'pre-commit')} yourself`);
      await rejection(install(opts(repo, { mode, dryRun: true })));
    }
    expect(existsSync(join(globalHooks, 'pre-commit'))).toBe(false);

    // The suggested way out: a hooks directory of this repository's own.
    repo.git('config', 'core.hooksPath', '.githooks');
    expect((await install(opts(repo))).changes).toEqual([expect.stringMatching(/^created \.githooks /), 'created .githooks/pre-commit']);
    expectKeyCommitBlocked(repo.dir, cleanEnv({ GIT_CONFIG_GLOBAL: config }));
  });

  it('uninstall does not touch the global hook, even with keyguard\'s lines in it, and says so', async () => {
    const repo = baseRepo();
    const global = join(globalHooks, 'pre-commit');
    const text = `#!/bin/sh\n${plainBlock()}`;
    writeFileSync(global, text, { mode: 0o755 });
    const result = await uninstall(opts(repo));
    expect(result.changes).toEqual([]);
    expect(result.notes[0]).toContain(`${global} holds keyguard's lines, but core.hooksPath comes from your global git config`);
    expect(readFileSync(global, 'utf8')).toBe(text);
  });

  it('the built CLI exits 2 with the fix', () => {
    const repo = baseRepo();
    const r = repo.keyguard(['install'], { env: cleanEnv({ GIT_CONFIG_GLOBAL: config }) });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('keyguard: core.hooksPath is set in your global git config');
    expect(r.stderr).toMatch(/\n {2}fix: .*git config core\.hooksPath \.githooks/);
    expect(existsSync(join(globalHooks, 'pre-commit'))).toBe(false);
  });
});

describe('a pre-commit hook that is a symbolic link', () => {
  it('--append refuses to edit through it, naming the file it points to; the target is untouched', async () => {
    const script = '#!/bin/sh\necho "checks ran"\n';
    const repo = baseRepo({ 'scripts/pre-commit': script });
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    symlinkSync(join(repo.dir, 'scripts', 'pre-commit'), hook);
    for (const flags of [{}, { append: true }] as const) {
      const error = await rejection(install(opts(repo, flags)));
      expect(error.code).toBe('USAGE');
      expect(error.message).toBe('.git/hooks/pre-commit is a symbolic link to scripts/pre-commit.');
      expect(error.fix).toContain('scripts/pre-commit yourself');
      expect(error.fix).toContain('keyguard install --force');
    }
    expect(readFileSync(join(repo.dir, 'scripts', 'pre-commit'), 'utf8')).toBe(script);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('a dangling link is refused: nothing is created where it points', async () => {
    const repo = baseRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const nowhere = join(tempDir(), 'shared', 'pre-commit');
    symlinkSync(nowhere, hook);
    const error = await rejection(install(opts(repo)));
    expect(error.message).toBe(`.git/hooks/pre-commit is a symbolic link to ${nowhere}, which does not exist.`);
    expect(error.fix).toContain('rm .git/hooks/pre-commit');
    expect(existsSync(nowhere)).toBe(false);
    expect(existsSync(dirname(nowhere))).toBe(false);
  });

  it('--force replaces the link itself (kept as the backup); uninstall puts the link back', async () => {
    const script = '#!/bin/sh\necho "checks ran"\n';
    const repo = baseRepo({ 'scripts/pre-commit': script });
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    const target = join(repo.dir, 'scripts', 'pre-commit');
    symlinkSync(target, hook);
    const result = await install(opts(repo, { force: true }));
    expect(result.changes).toEqual([
      "replaced the link .git/hooks/pre-commit (to scripts/pre-commit) with keyguard's own hook; the link is kept as .git/hooks/pre-commit.keyguard-backup and `keyguard uninstall` puts it back",
    ]);
    expect(lstatSync(hook).isSymbolicLink()).toBe(false);
    expect(lstatSync(`${hook}.keyguard-backup`).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(script);
    expectKeyCommitBlocked(repo.dir);

    await uninstall(opts(repo));
    expect(lstatSync(hook).isSymbolicLink()).toBe(true);
    expect(readlinkSync(hook)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(script);
  });

  it('a link to a script that already runs keyguard is left alone', async () => {
    const script = '#!/bin/sh\nexec ./node_modules/.bin/keyguard scan --staged\n';
    const repo = baseRepo({ 'scripts/pre-commit': script });
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    symlinkSync(join(repo.dir, 'scripts', 'pre-commit'), hook);
    chmodSync(join(repo.dir, 'scripts', 'pre-commit'), 0o755);
    const result = await install(opts(repo));
    expect(result.changes).toEqual([]);
    expect(result.notes).toEqual(['.git/hooks/pre-commit is a link to scripts/pre-commit, which already runs keyguard; it was left as it is.']);
  });
});

describe('a monorepo: keyguard installed in a package below the top level', () => {
  /** A repository whose only keyguard is packages/app/node_modules/.bin/keyguard. */
  function monorepo(): { repo: Repo; app: string } {
    const repo = createRepo({ '.gitignore': 'node_modules/\n', 'README.md': '# mono\n', 'packages/app/package.json': '{"name":"app"}\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
    const app = join(repo.dir, 'packages', 'app');
    shim(app);
    return { repo, app };
  }

  it('install from the package records its directory; the hook finds keyguard there for commits made anywhere', async () => {
    const { repo, app } = monorepo();
    const result = await install(opts(app));
    expect(result.changes).toEqual(['created .git/hooks/pre-commit']);
    expect(result.notes).toEqual([]); // keyguard was found, in the package
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(readFileSync(hook, 'utf8')).toBe(`#!/bin/sh\n${plainBlock('packages/app')}`);
    expectKeyCommitBlocked(repo.dir);
    expectKeyCommitBlocked(app);
    expectCleanCommitPasses(app);
    // A later install from the top level keeps the package it recorded.
    expect((await install(opts(repo))).changes).toEqual([]);

    // Without keyguard anywhere, the commit is stopped and the message names the package's directory.
    rmSync(join(app, 'node_modules'), { recursive: true });
    writeFileSync(join(repo.dir, 'a.js'), 'export const a = 1;\n');
    repo.git('add', 'a.js');
    const r = gitIn(repo.dir, ['commit', '-m', 'a'], cleanEnv({ PATH: '/usr/bin:/bin' }));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('keyguard: not found in packages/app/node_modules/.bin, node_modules/.bin or on PATH');
    expect(r.stderr).toContain('keyguard: run `npm install` in packages/app (keyguard is a devDependency) and commit again.');
  });

  it('install from the top level of a monorepo whose top has no keyguard says it was not found', async () => {
    const { repo } = monorepo();
    const result = await install(opts(repo));
    expect(result.notes).toContainEqual(expect.stringContaining('keyguard is neither in node_modules/.bin nor on PATH'));
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')).not.toContain('keyguard_pkg');
  });
});

/** Runs fn with the repository's keyguard shim moved away. */
function shimless<T>(repo: Repo, fn: () => T): T {
  const bin = join(repo.dir, 'node_modules', '.bin', 'keyguard');
  const saved = readFileSync(bin);
  writeFileSync(bin, '');
  chmodSync(bin, 0o644);
  try {
    return fn();
  } finally {
    writeFileSync(bin, saved);
    chmodSync(bin, 0o755);
  }
}

// run.ts dispatches `install` once the lead wires it; until then the built CLI answers "unknown
// command" (or, parsing options first, "Unknown option '--dry-run'"). The probe runs outside any
// repository, so a wired CLI refuses it and changes nothing.
const probe = runCli(['install', '--dry-run'], tempDir());
const cliHasInstall = !/unknown command|unknown option/i.test(`${probe.stdout}${probe.stderr}`);

describe('the built CLI (dist/cli.js)', () => {
  it.skipIf(!cliHasInstall)('keyguard install / uninstall: exit 0 and the rendered result; refusals exit 2 with a fix line', async () => {
    const repo = baseRepo();
    const dry = repo.keyguard(['install', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('keyguard install would:\n  - create .git/hooks/pre-commit');
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);

    const done = repo.keyguard(['install']);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain('- created .git/hooks/pre-commit');
    expectKeyCommitBlocked(repo.dir);
    expect(repo.keyguard(['install']).stdout).toContain('already installed');

    const gitConfig = repo.keyguard(['install', '--mode', 'git-config']);
    const supports = /version 2\.(5[4-9]|[6-9]\d)|version [3-9]/.test(spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout);
    if (!supports) {
      expect(gitConfig.status).toBe(2);
      expect(gitConfig.stderr).toContain('--mode git-config needs git 2.54 or newer');
      expect(gitConfig.stderr).toMatch(/\n {2}fix: /);
    }

    const other = baseRepo();
    writeFileSync(join(other.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n');
    const refused = other.keyguard(['install']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('already exists and does not run keyguard');
    expect(other.keyguard(['install', '--append']).status).toBe(0);

    expect(runCli(['install'], tempDir()).status).toBe(2);

    const removed = repo.keyguard(['uninstall']);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('uninstalled');
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });
});
