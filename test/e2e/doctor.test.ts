/**
 * `keyguard doctor` in real temporary repositories with real git. run.ts does not dispatch `doctor`
 * yet, so most tests call runDoctor in-process; the last section drives the built CLI once it does.
 * Keys are generated at test time (test/helpers/keys.ts); no key-shaped literal is in this file.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../src/commands/install.js';
import { huskyBlock, plainBlock } from '../../src/install/block.js';
import { runDoctor } from '../../src/doctor/index.js';
import { renderDoctor } from '../../src/doctor/render.js';
import { doctorMessages } from '../../src/doctor/messages.js';
import type { DoctorReport, ReportedCheck } from '../../src/doctor/types.js';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, runCli, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

// runDoctor runs git from this process: keep the developer's git config and any GIT_* of an
// enclosing hook out of it, as cleanEnv does for child processes.
beforeAll(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_')) delete process.env[k];
  Object.assign(process.env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
});

const HUSKY_BIN = join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js');
/** An empty XDG config directory: the developer's ~/.config/husky/init.sh stays out of the tests. */
const XDG_CONFIG_HOME = tempDir();

/** A PATH with node, git and sh but no keyguard, and $NODE for the shims. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = cleanEnv({ PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'), NODE: process.execPath, XDG_CONFIG_HOME, ...extra });
  if (!('OPENAI_API_KEY' in extra)) delete e.OPENAI_API_KEY;
  return e;
}

const TEMPLATE_HEADER = doctorMessages.fix.templateHeader;

const doctor = (cwd: string, options: { env?: NodeJS.ProcessEnv; fix?: boolean } = {}) =>
  runDoctor({ cwd, env: options.env ?? env(), fix: options.fix ?? false, cli: CLI });

function check(report: DoctorReport, id: string): ReportedCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** Both outputs a user can see. */
const outputs = (report: DoctorReport) => [renderDoctor(report, { color: false }), JSON.stringify(report)];

function expectNoSecret(report: DoctorReport, key: string): void {
  for (const text of outputs(report)) {
    expect(text).not.toContain(key);
    // Not even the dashboard-style preview (…last4): doctor reports presence and shape only.
    expect(text).not.toContain(`…${key.slice(-4)}`);
    expect(text).not.toContain(key.slice(-12));
  }
}

/** node_modules/.bin/keyguard as npm would link it, here a shim to the built CLI. */
function installShim(repo: Repo, body = `exec "$NODE" "${CLI}" "$@"`): void {
  repo.write('node_modules/.bin/keyguard', `#!/bin/sh\n${body}\n`);
  chmodSync(join(repo.dir, 'node_modules/.bin/keyguard'), 0o755);
}

function writeHook(repo: Repo, path: string, text: string, mode = 0o755): void {
  repo.write(path, text);
  chmodSync(join(repo.dir, path), mode);
}

const HOOK = '#!/bin/sh\nexec ./node_modules/.bin/keyguard scan --staged\n';
/** husky 9's generated `.husky/_/pre-commit` (written 0755 by `husky`). */
const HUSKY_STUB = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"';

describe('keyguard doctor: git', () => {
  it('names the repository and git version', async () => {
    const repo = createRepo();
    const git = check(await doctor(repo.dir), 'git');
    expect(git.status).toBe('ok');
    expect(git.message).toContain(`repository at ${repo.dir}`);
    expect(git.message).toMatch(/\(git \d+\.\d+\.\d+\)/);
  });

  it('from a subdirectory: names the top level and writes fixes that cd there', async () => {
    const repo = createRepo({ '.env': 'PORT=3000\n', 'packages/app/index.js': '\n' });
    const report = await doctor(join(repo.dir, 'packages/app'));
    const git = check(report, 'git');
    expect(git.message).toContain(`repository at ${repo.dir}`);
    expect(git.message).toContain('packages/app/');
    const dotenv = check(report, 'dotenv-files');
    expect(dotenv.status).toBe('fail');
    expect(dotenv.fix).toBe(`cd ${repo.dir} && printf '\\n%s\\n' .env >> .gitignore`);
  });

  it('outside a repository: one plain failure, no crash', async () => {
    const dir = tempDir();
    const report = await doctor(dir);
    expect(report.checks).toHaveLength(1);
    const git = check(report, 'git');
    expect(git.status).toBe('fail');
    expect(git.message).toMatch(/^not inside a git repository/);
    expect(git.fix).toContain('git init');
    expect(renderDoctor(report, { color: false })).toContain('0 ok, 0 warnings, 1 failed');
  });
});

describe('keyguard doctor: the pre-commit hook', () => {
  it('a fresh repository: no hook is a failure whose fix is keyguard install', async () => {
    const repo = createRepo();
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('no pre-commit hook in .git/hooks');
    expect(hook.fix).toContain('keyguard install');
  });

  it('a hook that calls keyguard, with keyguard in node_modules/.bin: ok, and it really blocks a key', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    installShim(repo);
    writeHook(repo, '.git/hooks/pre-commit', HOOK);
    const report = await doctor(repo.dir);
    expect(check(report, 'hook')).toMatchObject({ status: 'ok', message: '.git/hooks/pre-commit runs keyguard' });
    expect(check(report, 'keyguard')).toMatchObject({ status: 'ok', message: 'node_modules/.bin/keyguard' });
    expect(check(report, 'canary').status).toBe('ok');
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);

    repo.write('app.js', `const key = "${genKey('proj')}";\n`);
    repo.git('add', 'app.js');
    const commit = spawnSync('git', ['commit', '-q', '-m', 'x'], { cwd: repo.dir, env: env(), encoding: 'utf8' });
    expect(commit.status).not.toBe(0);
  });

  it('a plain hook that is not executable fails with chmod +x', async () => {
    const repo = createRepo();
    writeHook(repo, '.git/hooks/pre-commit', HOOK, 0o644);
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('not executable');
    expect(hook.fix).toBe('chmod +x .git/hooks/pre-commit');
  });

  it('a hook with CRLF line endings fails with the sed command', async () => {
    const repo = createRepo();
    writeHook(repo, '.git/hooks/pre-commit', HOOK.replace(/\n/g, '\r\n'));
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('CRLF');
    expect(hook.fix).toBe("sed -i 's/\\r$//' .git/hooks/pre-commit");
  });

  it('a hook that does not call keyguard fails', async () => {
    const repo = createRepo();
    writeHook(repo, '.git/hooks/pre-commit', '#!/bin/sh\n# keyguard would go here\nnpm test\n');
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('does not call keyguard');
    expect(hook.fix).toContain('keyguard install');
  });

  it('keyguard in .git/hooks while core.hooksPath points elsewhere: installed but never runs', async () => {
    const repo = createRepo({ '.githooks/post-merge': '#!/bin/sh\n' });
    writeHook(repo, '.git/hooks/pre-commit', HOOK);
    repo.git('config', 'core.hooksPath', '.githooks');
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('installed but never runs');
    expect(hook.message).toContain('.git/hooks/pre-commit');
    expect(hook.message).toContain('.githooks');
    expect(hook.fix).toContain('keyguard install');
  });

  it('core.hooksPath pointing at a missing directory: every hook is disabled', async () => {
    const repo = createRepo();
    repo.git('config', 'core.hooksPath', 'hooks-that-are-gone');
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('does not exist');
    expect(hook.message).toContain('no hook at all');
    expect(hook.fix).toContain('keyguard install');
  });

  it('husky configured but .husky/_ missing in this worktree: run npx husky', async () => {
    const repo = createRepo({ '.husky/pre-commit': 'keyguard scan --staged\n' });
    repo.git('config', 'core.hooksPath', '.husky/_');
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('husky');
    expect(hook.message).toContain('.husky/_ does not exist');
    expect(hook.fix).toBe('npx husky');
  });

  it('husky set up in the main worktree but not in a linked one: fails there only', async () => {
    const repo = createRepo({ '.gitignore': '.husky/_\n', '.husky/pre-commit': 'keyguard scan --staged\n' });
    writeHook(repo, '.husky/_/pre-commit', HUSKY_STUB);
    repo.git('config', 'core.hooksPath', '.husky/_');
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
    const linked = join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', linked);
    expect(check(await doctor(repo.dir), 'hook').status).toBe('ok');
    const hook = check(await doctor(linked), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('does not exist in this worktree');
    expect(hook.fix).toBe('npx husky');
  });

  it('husky set up: .husky/pre-commit needs no exec bit, and node_modules/.bin is on its PATH', async () => {
    const repo = createRepo({ '.husky/pre-commit': 'keyguard scan --staged\n' });
    writeHook(repo, '.husky/_/pre-commit', HUSKY_STUB);
    repo.git('config', 'core.hooksPath', '.husky/_');
    installShim(repo);
    const report = await doctor(repo.dir);
    expect(check(report, 'hook')).toMatchObject({ status: 'ok', message: '.husky/pre-commit runs keyguard (husky)' });
    expect(check(report, 'keyguard').status).toBe('ok');
  });

  it('a plain hook calling bare keyguard that only node_modules/.bin has: warns about PATH', async () => {
    const repo = createRepo();
    installShim(repo);
    writeHook(repo, '.git/hooks/pre-commit', '#!/bin/sh\nkeyguard scan --staged\n');
    const keyguard = check(await doctor(repo.dir), 'keyguard');
    expect(keyguard.status).toBe('warn');
    expect(keyguard.message).toContain('PATH');
  });

  it('lefthook config without keyguard: a failure (nothing runs keyguard) with the snippet to add', async () => {
    const repo = createRepo({ 'lefthook.yml': 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n' });
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('lefthook.yml does not run keyguard');
    expect(hook.fix).toContain('keyguard scan --staged');
  });

  it('lefthook config that runs keyguard, but lefthook\'s hook not installed: fails with lefthook install', async () => {
    const repo = createRepo({ 'lefthook.yml': 'pre-commit:\n  commands:\n    keyguard:\n      run: keyguard scan --staged\n' });
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.fix).toBe('npx lefthook install');
    writeHook(repo, '.git/hooks/pre-commit', '#!/bin/sh\nexec lefthook run "pre-commit" "$@"\n');
    expect(check(await doctor(repo.dir), 'hook')).toMatchObject({ status: 'ok', message: 'lefthook runs keyguard (lefthook.yml)' });
  });

  it('a git config hook (hook.<name>.command) that runs keyguard: ok from git 2.54, else a failure', async () => {
    const repo = createRepo();
    repo.git('config', 'hook.keyguard.pre-commit.command', 'keyguard scan --staged');
    repo.git('config', 'hook.keyguard.pre-commit.event', 'pre-commit');
    const hook = check(await doctor(repo.dir), 'hook');
    const [major = 0, minor = 0] = repo.git('--version').match(/\d+/g)?.map(Number) ?? [];
    if (major > 2 || (major === 2 && minor >= 54)) expect(hook.status).toBe('ok');
    else expect(hook.message).toContain('ignores config hooks');
    expect(hook.message).toContain('hook keyguard.pre-commit');
  });

  it('keyguard not installed anywhere: npm install --save-dev keyguard', async () => {
    const repo = createRepo();
    const keyguard = check(await doctor(repo.dir), 'keyguard');
    expect(keyguard).toMatchObject({ status: 'fail', fix: 'npm install --save-dev keyguard' });
  });

  it('keyguard found on PATH', async () => {
    const repo = createRepo();
    const bin = tempDir();
    writeFileSync(join(bin, 'keyguard'), `#!/bin/sh\nexec "$NODE" "${CLI}" "$@"\n`, { mode: 0o755 });
    const report = await doctor(repo.dir, { env: env({ PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':') }) });
    expect(check(report, 'keyguard')).toMatchObject({ status: 'ok', message: `${join(bin, 'keyguard')} (on PATH)` });
    expect(check(report, 'canary').message).toContain(join(bin, 'keyguard'));
  });
});

describe('keyguard doctor: OPENAI_API_KEY', () => {
  it('missing is a warning', async () => {
    const repo = createRepo();
    const key = check(await doctor(repo.dir), 'env-key:OPENAI_API_KEY');
    expect(key.status).toBe('warn');
    expect(key.message).toContain('set neither in the environment nor in .env');
  });

  it('from the environment and from .env: where, and the key type, never the value', async () => {
    const fromEnv = genKey('svcacct');
    const fromFile = genKey('admin');
    const repo = createRepo({ '.gitignore': '.env\n', '.env': `PORT=3000\nOPENAI_API_KEY=${fromFile}\n` });
    const report = await doctor(repo.dir, { env: env({ OPENAI_API_KEY: fromEnv }) });
    const key = check(report, 'env-key:OPENAI_API_KEY');
    expect(key.status).toBe('ok');
    expect(key.message).toContain('in the environment: shape of an OpenAI service account key (type service-account)');
    expect(key.message).toContain('in .env line 2: shape of an OpenAI admin key (type admin)');
    expectNoSecret(report, fromEnv);
    expectNoSecret(report, fromFile);
  });

  it.each([
    ['proj', 'project'],
    ['legacy', 'user'],
    ['none', 'project'],
  ] as const)('a %s key in .env is type %s', async (kind, type) => {
    const secret = genKey(kind);
    const repo = createRepo({ '.gitignore': '.env\n', '.env': `OPENAI_API_KEY="${secret}"\n` });
    const report = await doctor(repo.dir);
    expect(check(report, 'env-key:OPENAI_API_KEY').message).toContain(`(type ${type})`);
    expectNoSecret(report, secret);
  });

  it('a value that is not an OpenAI key, or of no known shape, is a warning', async () => {
    const repo = createRepo();
    const bad = await doctor(repo.dir, { env: env({ OPENAI_API_KEY: 'not-a-key-at-all' }) });
    expect(check(bad, 'env-key:OPENAI_API_KEY')).toMatchObject({ status: 'warn' });
    expect(check(bad, 'env-key:OPENAI_API_KEY').message).toContain('not the shape of an OpenAI API key');
    const truncated = genKey('proj').slice(0, -30);
    const odd = await doctor(repo.dir, { env: env({ OPENAI_API_KEY: truncated }) });
    expect(check(odd, 'env-key:OPENAI_API_KEY').status).toBe('warn');
    expect(check(odd, 'env-key:OPENAI_API_KEY').message).toContain('type unknown');
    expectNoSecret(odd, truncated);
  });
});

describe('keyguard doctor: dotenv files', () => {
  it('an unignored .env fails with the .gitignore line', async () => {
    const repo = createRepo({ '.env': 'PORT=3000\n', '.env.local': 'PORT=3001\n' });
    const dotenv = check(await doctor(repo.dir), 'dotenv-files');
    expect(dotenv.status).toBe('fail');
    expect(dotenv.message).toContain('.env is not ignored');
    expect(dotenv.fix).toBe("printf '\\n%s\\n' .env >> .gitignore && printf '\\n%s\\n' .env.local >> .gitignore");
  });

  it('a .env force-added past .gitignore fails with git rm --cached, the ignore line, and rotation', async () => {
    const repo = createRepo({ '.gitignore': '.env\n', '.env': 'PORT=3000\n' });
    repo.git('add', '-f', '.env', '.gitignore');
    repo.git('commit', '-q', '--no-verify', '-m', 'oops');
    const dotenv = check(await doctor(repo.dir), 'dotenv-files');
    expect(dotenv.status).toBe('fail');
    expect(dotenv.message).toContain('.env is tracked by git');
    expect(dotenv.fix).toContain("git rm --cached -- .env && printf '\\n%s\\n' .env >> .gitignore");
    expect(dotenv.fix).toContain('rotate every key it held');
  });

  it('a staged .env is named as staged', async () => {
    const repo = createRepo({ '.env': 'PORT=3000\n' });
    repo.git('add', '.env');
    expect(check(await doctor(repo.dir), 'dotenv-files').message).toContain('.env is staged');
  });

  it('ignored dotenv files and committed templates are fine', async () => {
    const repo = createRepo({ '.gitignore': '.env\n', '.env': 'PORT=1\n', '.env.example': 'PORT=\n' });
    repo.git('add', '.env.example', '.gitignore');
    expect(check(await doctor(repo.dir), 'dotenv-files').status).toBe('ok');
  });
});

describe('keyguard doctor: .env.example', () => {
  it('missing while .env exists: a warning whose fix is doctor --fix', async () => {
    const repo = createRepo({ '.gitignore': '.env\n', '.env': 'PORT=1\n' });
    const example = check(await doctor(repo.dir), 'env-example');
    expect(example.status).toBe('warn');
    expect(example.fix).toContain('doctor --fix');
  });

  it('no .env and no template: ok', async () => {
    expect(check(await doctor(createRepo().dir), 'env-example').status).toBe('ok');
  });

  it('a real-looking value fails, naming the variable and line but not the value', async () => {
    const value = 'h7Gk2pQw9xVt4LmZ';
    const repo = createRepo({ '.env.example': `PORT=3000\nDB_PASSWORD=${value}\n` });
    const report = await doctor(repo.dir);
    const example = check(report, 'env-example');
    expect(example.status).toBe('fail');
    expect(example.message).toContain('line 2 (DB_PASSWORD)');
    expect(example.fix).toContain('DB_PASSWORD=your-db-password-here');
    for (const text of outputs(report)) expect(text).not.toContain(value);
  });

  it('a generated key fails with its type, even under a harmless name, and is never printed', async () => {
    const secret = genKey('proj');
    const repo = createRepo({ '.env.example': `# OpenAI\nMODEL=gpt-4o\nDEFAULT_CLIENT=${secret}\n` });
    const report = await doctor(repo.dir);
    const example = check(report, 'env-example');
    expect(example.status).toBe('fail');
    expect(example.message).toContain('line 3 (DEFAULT_CLIENT: OpenAI API key, project key)');
    expectNoSecret(report, secret);
  });

  it('names that differ from .env: a warning listing both sides', async () => {
    const repo = createRepo({
      '.gitignore': '.env\n',
      '.env': 'OPENAI_API_KEY=\nPORT=3000\nLOG_LEVEL=debug\n',
      '.env.example': 'OPENAI_API_KEY=\nPORT=\nSENTRY_DSN=\n',
    });
    const example = check(await doctor(repo.dir), 'env-example');
    expect(example.status).toBe('warn');
    expect(example.message).toContain('missing LOG_LEVEL');
    expect(example.message).toContain('not in .env: SENTRY_DSN');
    expect(example.fix).toContain('add LOG_LEVEL= to .env.example');
  });

  it('placeholders only and the same names: ok', async () => {
    const repo = createRepo({ '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=x\nPORT=1\n', '.env.example': 'OPENAI_API_KEY=sk-...\nPORT=3000\n' });
    expect(check(await doctor(repo.dir), 'env-example')).toMatchObject({ status: 'ok' });
  });
});

describe('keyguard doctor: config and canary', () => {
  it('config: no file, defaults', async () => {
    expect(check(await doctor(createRepo().dir), 'config')).toMatchObject({ status: 'ok', message: 'no configuration file; using defaults' });
  });

  it('canary: the installed keyguard catches a generated key', async () => {
    const repo = createRepo();
    installShim(repo);
    const canary = check(await doctor(repo.dir), 'canary');
    expect(canary).toMatchObject({ status: 'ok' });
    expect(canary.message).toContain('node_modules/.bin/keyguard caught a generated key');
  });

  it('canary: a keyguard that always exits 0 fails', async () => {
    const repo = createRepo();
    installShim(repo, 'cat >/dev/null; exit 0');
    const canary = check(await doctor(repo.dir), 'canary');
    expect(canary.status).toBe('fail');
    expect(canary.message).toContain('the installed keyguard does not catch a key');
  });

  it('canary: a keyguard that echoes its input fails for leaking it', async () => {
    const repo = createRepo();
    installShim(repo, 'cat; exit 1');
    const report = await doctor(repo.dir);
    expect(check(report, 'canary').message).toContain('printed it');
    expect(JSON.stringify(report)).not.toMatch(/T3BlbkFJ/);
  });

  it('canary: with no keyguard installed, the running CLI is tested and said so', async () => {
    const canary = check(await doctor(createRepo().dir), 'canary');
    expect(canary.status).toBe('ok');
    expect(canary.message).toContain(`the running keyguard (${CLI})`);
  });
});

describe('keyguard doctor --fix', () => {
  it('adds the .gitignore line and creates .env.example with placeholders, and lists both', async () => {
    const secret = genKey('proj');
    const repo = createRepo({ '.env': `# keys\nOPENAI_API_KEY=${secret}\n# OLD_KEY=${genKey('legacy')}\nPORT=3000\n` });
    const report = await doctor(repo.dir, { fix: true });
    expect(report.fixed).toEqual(
      expect.arrayContaining(['created .gitignore with .env', 'created .env.example from .env (2 variables, every value replaced by a placeholder)']),
    );
    expect(report.fixed?.some((f) => f.includes('pre-commit hook'))).toBe(true);
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('.env\n');
    expect(readFileSync(join(repo.dir, '.env.example'), 'utf8')).toBe(`${TEMPLATE_HEADER}\n\nOPENAI_API_KEY=your-openai-api-key-here\nPORT=\n`);
    expect(check(report, 'dotenv-files').status).toBe('ok');
    expect(check(report, 'env-example').status).toBe('ok');
    expectNoSecret(report, secret);
    const text = renderDoctor(report, { color: false });
    expect(text).toContain('doctor --fix:');
    expect(text).toContain('  - created .gitignore with .env');
  });

  it('appends to an existing .gitignore without a trailing newline', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules', '.env.local': 'A=1\n' });
    const report = await doctor(repo.dir, { fix: true });
    expect(report.fixed).toContain('added to .gitignore: .env.local');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env.local\n');
  });

  it('never removes a tracked file: it says the git rm command instead', async () => {
    const repo = createRepo({ '.env': 'PORT=3000\n' });
    repo.git('add', '.env');
    repo.git('commit', '-q', '--no-verify', '-m', 'oops');
    const report = await doctor(repo.dir, { fix: true });
    expect(repo.git('ls-files', '--', '.env').trim()).toBe('.env');
    expect(existsSync(join(repo.dir, '.env'))).toBe(true);
    const dotenv = check(report, 'dotenv-files');
    expect(dotenv.status).toBe('fail');
    expect(dotenv.fix).toContain('git rm --cached -- .env');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('.env\n');
  });

  it('without --fix nothing is written and there is no fixed list', async () => {
    const repo = createRepo({ '.env': 'PORT=3000\n' });
    const report = await doctor(repo.dir);
    expect(report.fixed).toBeUndefined();
    expect(existsSync(join(repo.dir, '.gitignore'))).toBe(false);
    expect(existsSync(join(repo.dir, '.env.example'))).toBe(false);
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});

describe('keyguard doctor: hooks that mention keyguard but never let it stop a commit', () => {
  /** A real commit of a generated key: did the hook stop it? */
  function commitsKey(repo: Repo, envExtra: NodeJS.ProcessEnv = {}): boolean {
    repo.write('leak.js', `const key = "${genKey('proj')}";\n`);
    repo.git('add', 'leak.js');
    const commit = spawnSync('git', ['commit', '-q', '-m', 'leak'], { cwd: repo.dir, env: env(envExtra), encoding: 'utf8' });
    return commit.status === 0;
  }

  it.each([
    ['an echo', '#!/bin/sh\necho keyguard disabled\n', 'does not call keyguard'],
    ['a comment', '#!/bin/sh\n# keyguard scan --staged\necho lint\n', 'does not call keyguard'],
    ['|| true', '#!/bin/sh\n./node_modules/.bin/keyguard scan --staged || true\n', '`|| true` after keyguard on line 2'],
    ['after exit 0', '#!/bin/sh\necho lint\nexit 0\n./node_modules/.bin/keyguard scan --staged\n', '`exit 0` on line 3 ends the hook'],
    ['after exec', '#!/bin/sh\nexec echo lint\n./node_modules/.bin/keyguard scan --staged\n', '`exec echo lint` on line 2'],
    ['status not checked', '#!/bin/sh\n./node_modules/.bin/keyguard scan --staged\necho lint\n', 'not checked: the hook goes on to line 3'],
  ])('a plain hook with keyguard %s fails, and a real commit shows why', async (_, text, reason) => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    installShim(repo);
    writeHook(repo, '.git/hooks/pre-commit', text);
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain(reason);
    expect(hook.fix).toContain('keyguard install --append');
    expect(commitsKey(repo)).toBe(true); // the hook let a key through: "fail" is the truth
  });

  it('the same hook with the output redirected first (git\'s sample hook does `exec 1>&2`) is ok and blocks the key', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    installShim(repo);
    writeHook(repo, '.git/hooks/pre-commit', '#!/bin/sh\nexec 1>&2\n./node_modules/.bin/keyguard scan --staged\n');
    expect(check(await doctor(repo.dir), 'hook').status).toBe('ok');
    expect(commitsKey(repo)).toBe(false);
  });

  it('husky: keyguard\'s lines after `exit 0` in .husky/pre-commit fail; --fix moves them before it, and husky then blocks the key', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
    const husky = spawnSync(process.execPath, [HUSKY_BIN], { cwd: repo.dir, env: env(), encoding: 'utf8' });
    expect(husky.status, husky.stderr).toBe(0);
    installShim(repo);
    // What `keyguard install` wrote before it knew about exits: its block appended after them.
    repo.write('.husky/pre-commit', `echo lint\nexit 0\n${huskyBlock()}`);
    expect(commitsKey(repo)).toBe(true);
    repo.git('reset', '-q', '--soft', 'HEAD~1');

    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain('`exit 0` on line 2 ends the hook before keyguard (line 3) runs');
    expect(hook.fix).toBe('npx keyguard install');

    const fixed = await doctor(repo.dir, { fix: true });
    expect(fixed.fixed).toContain("pre-commit hook: moved keyguard's lines in .husky/pre-commit before `exit 0` on line 2 (after it they never ran)");
    expect(check(fixed, 'hook')).toMatchObject({ status: 'ok', message: '.husky/pre-commit runs keyguard (husky)' });
    expect(readFileSync(join(repo.dir, '.husky/pre-commit'), 'utf8')).toBe(`echo lint\n${huskyBlock()}exit 0\n`);
    expect(commitsKey(repo)).toBe(false);
  });

  it('husky: a runner stub that is missing or not executable fails (git skips a hook it cannot execute)', async () => {
    const repo = createRepo({ '.husky/pre-commit': 'keyguard scan --staged\n', '.husky/_/h': '\n' });
    repo.git('config', 'core.hooksPath', '.husky/_');
    installShim(repo);
    const missing = check(await doctor(repo.dir), 'hook');
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('.husky/_/pre-commit is missing');
    expect(missing.fix).toBe('npx husky');

    writeHook(repo, '.husky/_/pre-commit', HUSKY_STUB, 0o644);
    const notExecutable = check(await doctor(repo.dir), 'hook');
    expect(notExecutable.status).toBe('fail');
    expect(notExecutable.message).toContain('.husky/_/pre-commit (husky\'s runner for pre-commit) is not executable');
    expect(notExecutable.fix).toBe('chmod +x .husky/_/pre-commit');

    chmodSync(join(repo.dir, '.husky/_/pre-commit'), 0o755);
    expect(check(await doctor(repo.dir), 'hook').status).toBe('ok');
  });

  it('husky: HUSKY=0 in the environment or in ~/.config/husky/init.sh fails (husky then skips every hook)', async () => {
    const repo = createRepo({ '.husky/pre-commit': 'keyguard scan --staged\n' });
    writeHook(repo, '.husky/_/pre-commit', HUSKY_STUB);
    repo.git('config', 'core.hooksPath', '.husky/_');
    installShim(repo);

    const fromEnv = check(await doctor(repo.dir, { env: env({ HUSKY: '0' }) }), 'hook');
    expect(fromEnv.status).toBe('fail');
    expect(fromEnv.message).toContain('HUSKY=0 is set in the environment');
    expect(fromEnv.fix).toContain('unset HUSKY');

    const config = tempDir();
    const init = join(config, 'husky', 'init.sh');
    mkdirSync(dirname(init), { recursive: true });
    writeFileSync(init, '# HUSKY=0 while debugging\nexport PATH="$HOME/bin:$PATH"\n');
    expect(check(await doctor(repo.dir, { env: env({ XDG_CONFIG_HOME: config }) }), 'hook').status).toBe('ok');
    writeFileSync(init, 'export PATH="$HOME/bin:$PATH"\nexport HUSKY=0\n');
    const fromInit = check(await doctor(repo.dir, { env: env({ XDG_CONFIG_HOME: config }) }), 'hook');
    expect(fromInit.status).toBe('fail');
    expect(fromInit.message).toContain(`HUSKY=0 is set in ${init}, which husky sources before every hook`);
    expect(fromInit.fix).toBe(`remove the HUSKY=0 line from ${init}`);
  });

  it('a .pre-commit-config.yaml that does not mention keyguard fails: nothing runs keyguard', async () => {
    const repo = createRepo({ '.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black\n# - id: keyguard\n' });
    writeHook(repo, '.git/hooks/pre-commit', '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\nexec python3 -mpre_commit hook-impl --hook-type=pre-commit\n');
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toBe('.pre-commit-config.yaml does not run keyguard, so the pre-commit framework does not scan commits');
    expect(hook.fix).toContain('- id: keyguard');
  });
});

describe('keyguard doctor --fix: keyguard\'s own hook', () => {
  it('a hook keyguard wrote that lost its exec bit and got CRLF endings is repaired, and the repair is listed', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    installShim(repo);
    const good = `#!/bin/sh\n${plainBlock()}`;
    writeHook(repo, '.git/hooks/pre-commit', good.replace(/\n/g, '\r\n'), 0o644);
    const before = check(await doctor(repo.dir), 'hook');
    expect(before.status).toBe('fail');

    const report = await doctor(repo.dir, { fix: true });
    expect(report.fixed).toContain(
      'pre-commit hook: converted .git/hooks/pre-commit to LF line endings (sh cannot run a script with CRLF endings); made .git/hooks/pre-commit executable (git skips a hook that is not)',
    );
    expect(check(report, 'hook')).toMatchObject({ status: 'ok' });
    expect(readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8')).toBe(good);
    expect(statSync(join(repo.dir, '.git/hooks/pre-commit')).mode & 0o777).toBe(0o755);
    expect(renderDoctor(report, { color: false })).not.toContain('--fix found nothing');
  });

  it('a hook someone else wrote is theirs: --fix reports it and leaves the file as it is', async () => {
    const repo = createRepo();
    const theirs = HOOK.replace(/\n/g, '\r\n');
    writeHook(repo, '.git/hooks/pre-commit', theirs);
    const report = await doctor(repo.dir, { fix: true });
    expect(check(report, 'hook').status).toBe('fail');
    expect(report.fixed?.some((f) => f.startsWith('pre-commit hook'))).toBe(false);
    expect(readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8')).toBe(theirs);
  });
});

describe('keyguard doctor: a core.hooksPath from the global git config', () => {
  let savedGlobal: string | undefined;
  let globalHooks: string;
  beforeEach(() => {
    savedGlobal = process.env.GIT_CONFIG_GLOBAL;
    globalHooks = join(tempDir(), 'githooks');
    mkdirSync(globalHooks);
    const config = join(tempDir(), 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${globalHooks}\n`);
    process.env.GIT_CONFIG_GLOBAL = config;
  });
  afterEach(() => {
    process.env.GIT_CONFIG_GLOBAL = savedGlobal;
  });

  it('a global hook without keyguard: a failure that says the hook is every repository\'s, and --fix writes nothing there', async () => {
    const repo = createRepo();
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('fail');
    expect(hook.message).toContain(`core.hooksPath comes from your global git config (${globalHooks})`);
    expect(hook.fix).toContain('git config core.hooksPath .githooks');
    expect(hook.fix).toContain(`add \`keyguard scan --staged || exit $?\` to ${join(globalHooks, 'pre-commit')} yourself`);

    const report = await doctor(repo.dir, { fix: true });
    expect(existsSync(join(globalHooks, 'pre-commit'))).toBe(false);
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit'))).toBe(false);
    expect(report.fixed?.some((f) => f.includes('pre-commit hook'))).toBe(false);
    expect(check(report, 'hook').status).toBe('fail');
  });

  it('a global hook that runs keyguard: a warning that it is machine-wide', async () => {
    const repo = createRepo();
    installShim(repo);
    writeFileSync(join(globalHooks, 'pre-commit'), HOOK, { mode: 0o755 });
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('warn');
    expect(hook.message).toContain(`runs keyguard, but it is the hook of core.hooksPath in your global git config (${globalHooks})`);
    expect(hook.fix).toContain('git config core.hooksPath .githooks');
  });

  it('a local core.hooksPath overrides the global one: no warning', async () => {
    const repo = createRepo();
    installShim(repo);
    repo.git('config', 'core.hooksPath', '.githooks');
    writeHook(repo, '.githooks/pre-commit', HOOK);
    expect(check(await doctor(repo.dir), 'hook').status).toBe('ok');
  });
});

describe('keyguard doctor: .env with comments and a multi-line private key', () => {
  /** A PEM-shaped body of random base64 lines; the last ends in `=` padding, as real ones may. */
  function pemBody(): string[] {
    const line = (n: number) => `M${randomBytes(n).toString('base64').replace(/[+/=]/g, 'A')}`.slice(0, 64);
    return [line(48), line(48), line(48), `${line(30).slice(0, 40)}==`];
  }

  /** Neither a body line nor any 8-character piece of one is in the text. */
  function expectNoBody(text: string, body: readonly string[]): void {
    for (const line of body) {
      for (let i = 0; i + 8 <= line.length; i++) expect(text).not.toContain(line.slice(i, i + 8));
    }
  }

  function dotenvWithSecrets() {
    const password = `Tr0ub4dor-${randomBytes(6).toString('hex')}`;
    const key = genKey('proj');
    const body = pemBody();
    const text = [
      `# db password is ${password}`,
      `# OpenAI key for staging: ${key}`,
      'DATABASE_URL=postgres://localhost/app',
      `PRIVATE_KEY="-----BEGIN PRIVATE KEY-----`,
      ...body,
      '-----END PRIVATE KEY-----"',
      'PORT=3000',
      '',
    ].join('\n');
    return { text, password, key, body };
  }

  it('--fix creates .env.example with a fixed header and the names only: no comment, no value, no key body', async () => {
    const { text, password, key, body } = dotenvWithSecrets();
    const repo = createRepo({ '.gitignore': '.env\n', '.env': text });
    const report = await doctor(repo.dir, { fix: true });
    expect(report.fixed).toContain('created .env.example from .env (3 variables, every value replaced by a placeholder)');
    const example = readFileSync(join(repo.dir, '.env.example'), 'utf8');
    expect(example).toBe(`${TEMPLATE_HEADER}\n\nDATABASE_URL=\nPRIVATE_KEY=your-private-key-here\nPORT=\n`);
    for (const text of [example, ...outputs(report)]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain('db password');
      expect(text).not.toContain(key.slice(-12));
      expectNoBody(text, body);
    }
    expect(check(report, 'env-example').status).toBe('ok');
  });

  it('the "same variables as .env" message names variables only, never a line of a multi-line value', async () => {
    const { text, body } = dotenvWithSecrets();
    const repo = createRepo({ '.gitignore': '.env\n', '.env': text, '.env.example': 'PORT=\n' });
    const report = await doctor(repo.dir);
    const example = check(report, 'env-example');
    expect(example.status).toBe('warn');
    expect(example.message).toBe('.env.example does not name the same variables as .env: missing DATABASE_URL, PRIVATE_KEY');
    for (const text of outputs(report)) expectNoBody(text, body);
  });
});

describe('keyguard doctor: keyguard installed in a monorepo package', () => {
  it('looks where the hook looks: the package keyguard install recorded, and names it when keyguard is missing', async () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n', 'packages/app/package.json': '{"name":"app"}\n' });
    const app = join(repo.dir, 'packages/app');
    mkdirSync(join(app, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(app, 'node_modules/.bin/keyguard'), `#!/bin/sh\nexec "$NODE" "${CLI}" "$@"\n`, { mode: 0o755 });
    // No hook yet: the fix installs from the package (where npx finds keyguard), and --fix does the same.
    const before = check(await doctor(app), 'hook');
    expect(before.fix).toBe(`cd ${app} && npx keyguard install`);
    expect(check(await doctor(app), 'keyguard').status).toBe('ok');
    const fixed = await doctor(app, { fix: true });
    expect(fixed.fixed).toContain('pre-commit hook: created .git/hooks/pre-commit');
    expect(readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8')).toContain("keyguard_pkg='packages/app'");
    expect((await install({ cwd: app })).changes).toEqual([]);

    for (const cwd of [repo.dir, app]) {
      const report = await doctor(cwd);
      expect(check(report, 'hook').status).toBe('ok');
      expect(check(report, 'keyguard')).toMatchObject({ status: 'ok', message: 'packages/app/node_modules/.bin/keyguard' });
      expect(check(report, 'canary').message).toContain('packages/app/node_modules/.bin/keyguard caught a generated key');
    }

    rmSync(join(app, 'node_modules'), { recursive: true });
    const keyguard = check(await doctor(repo.dir), 'keyguard');
    expect(keyguard.status).toBe('fail');
    expect(keyguard.message).toContain(`neither ${app}/node_modules/.bin, ${repo.dir}/node_modules/.bin nor PATH has it`);
    expect(keyguard.fix).toBe('npm install --save-dev keyguard (in packages/app)');
  });
});

describe('keyguard doctor from the CLI', () => {
  const probe = runCli(['doctor'], tempDir());
  const cliHasDoctor = !`${probe.stdout}${probe.stderr}`.includes('unknown command');

  it.skipIf(!cliHasDoctor)('doctor --json prints the report and exits 1 when a check fails', () => {
    const secret = genKey('proj');
    const repo = createRepo({ '.env': `OPENAI_API_KEY=${secret}\n` });
    const r = runCli(['doctor', '--json'], repo.dir, { env: env() });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.version).toBe(1);
    expect(check(report, 'hook').status).toBe('fail');
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  });

  it.skipIf(!cliHasDoctor)('doctor outside a repository exits 1, not 2', () => {
    const r = runCli(['doctor'], tempDir(), { env: env() });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('not inside a git repository');
  });

  it.skipIf(!cliHasDoctor)('a healthy repository exits 0', () => {
    const repo = createRepo({ '.gitignore': 'node_modules\n' });
    installShim(repo);
    writeHook(repo, '.git/hooks/pre-commit', HOOK);
    const r = runCli(['doctor'], repo.dir, { env: env() });
    expect(r.stdout).toMatch(/\d+ ok, 1 warning, 0 failed/); // OPENAI_API_KEY unset
    expect(r.status).toBe(0);
  });
});
