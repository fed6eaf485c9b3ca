/**
 * `keyguard doctor` in real temporary repositories with real git. run.ts does not dispatch `doctor`
 * yet, so most tests call runDoctor in-process; the last section drives the built CLI once it does.
 * Keys are generated at test time (test/helpers/keys.ts); no key-shaped literal is in this file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/index.js';
import { renderDoctor } from '../../src/doctor/render.js';
import type { DoctorReport, ReportedCheck } from '../../src/doctor/types.js';
import { CLI, cleanEnv, createRepo, runCli, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

// runDoctor runs git from this process: keep the developer's git config and any GIT_* of an
// enclosing hook out of it, as cleanEnv does for child processes.
beforeAll(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_')) delete process.env[k];
  Object.assign(process.env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
});

/** A PATH with node, git and sh but no keyguard, and $NODE for the shims. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = cleanEnv({ PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'), NODE: process.execPath, ...extra });
  if (!('OPENAI_API_KEY' in extra)) delete e.OPENAI_API_KEY;
  return e;
}

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
    expect(dotenv.fix).toBe(`cd ${repo.dir} && echo .env >> .gitignore`);
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
    const repo = createRepo({ '.gitignore': '.husky/_\n', '.husky/pre-commit': 'keyguard scan --staged\n', '.husky/_/pre-commit': '. "$(dirname "$0")/h"\n' });
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
    const repo = createRepo({ '.husky/pre-commit': 'keyguard scan --staged\n', '.husky/_/pre-commit': '. "$(dirname "$0")/h"\n' });
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

  it('lefthook config without keyguard: a warning with the snippet to add', async () => {
    const repo = createRepo({ 'lefthook.yml': 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n' });
    const hook = check(await doctor(repo.dir), 'hook');
    expect(hook.status).toBe('warn');
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
    expect(dotenv.fix).toBe('echo .env >> .gitignore && echo .env.local >> .gitignore');
  });

  it('a .env force-added past .gitignore fails with git rm --cached, the ignore line, and rotation', async () => {
    const repo = createRepo({ '.gitignore': '.env\n', '.env': 'PORT=3000\n' });
    repo.git('add', '-f', '.env', '.gitignore');
    repo.git('commit', '-q', '--no-verify', '-m', 'oops');
    const dotenv = check(await doctor(repo.dir), 'dotenv-files');
    expect(dotenv.status).toBe('fail');
    expect(dotenv.message).toContain('.env is tracked by git');
    expect(dotenv.fix).toContain('git rm --cached -- .env && echo .env >> .gitignore');
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
    expect(readFileSync(join(repo.dir, '.env.example'), 'utf8')).toBe('# keys\nOPENAI_API_KEY=your-openai-api-key-here\nPORT=\n');
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
