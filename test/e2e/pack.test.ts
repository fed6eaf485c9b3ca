import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/commands/install.js';
import { CLI, PROJECT_ROOT, cleanEnv, tempDir } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

/**
 * The published package, as a user gets it: `npm pack` this project, `npm install` the tarball
 * into a fresh npm project that is also a git repository, and use the installed binary there.
 *
 * dist/ must already be built (`npm test` runs the build first; by hand: `npm run build`). The
 * pack uses --ignore-scripts so that `prepare` does not rebuild dist/ while the other test files
 * run the built CLI. The package has no runtime dependencies, so the install needs no registry.
 */

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** npm with the caller's npm settings (registry, cache) but none of an enclosing `npm run`'s project variables. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$|config_global_prefix$)|^INIT_CWD$/.test(key)) delete env[key];
  }
  return env;
}

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

let project: string;
let files: string[];
const bin = () => join(project, 'node_modules', '.bin', 'keyguard');
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()) => {
  const r = spawnSync(command, args, { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: project, env: cleanEnv(), encoding: 'utf8' });

beforeAll(() => {
  expect(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
  const out = tempDir('keyguard-pack-');
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], PROJECT_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  files = info.files.map((f) => f.path);
  const tgz = join(out, info.filename);

  project = tempDir('keyguard-consumer-');
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`);
  writeFileSync(join(project, '.gitignore'), 'node_modules/\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const installed = npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', tgz], project);
  expect(installed.status, installed.stderr).toBe(0);
}, 240_000);

/** Stages a fresh key in the consumer project. Returns it, so a test can check it is never printed. */
function stageKey(): string {
  const key = genKey('proj');
  writeFileSync(join(project, 'leak.js'), `export const apiKey = "${key}";\n`);
  git('add', 'leak.js');
  return key;
}

function unstageKey(): void {
  git('rm', '-q', '--cached', '-f', 'leak.js');
  git('clean', '-qf', 'leak.js');
}

describe('the npm package, installed from its tarball', () => {
  it('ships the built CLI and no sources or tests', () => {
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('package.json');
    expect(files.filter((f) => /^(src|test|rules|scripts)\//.test(f))).toEqual([]);
    expect(existsSync(bin())).toBe(true);
  });

  it('node_modules/.bin/keyguard scan --staged: exit 1 on a staged key, the key not printed', () => {
    const key = stageKey();
    try {
      const r = run(bin(), ['scan', '--staged', '--no-color']);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/1 secret found/);
      expect(r.stdout + r.stderr).not.toContain(key);
      expect(r.stdout + r.stderr).not.toContain(key.slice(-24));
    } finally {
      unstageKey();
    }
  });

  it('npx keyguard --version prints the version of the local binary', () => {
    // `--no --`: never download (a registry package of that name must not answer for this one);
    // without the `--`, npx reads `--version` as its own flag and prints npm's version.
    const r = run('npx', ['--no', '--', 'keyguard', '--version'], npmEnv());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  // `keyguard install` through the packed CLI needs run.ts to dispatch it (the lead wires it).
  // The probe runs outside any repository, so a CLI that knows `install` refuses it and changes nothing.
  const probe = () => spawnSync(bin(), ['install', '--dry-run'], { cwd: tempDir(), env: cleanEnv(), encoding: 'utf8' });
  it('node_modules/.bin/keyguard install: a real git commit with a staged key is then blocked', (ctx) => {
    const answer = probe();
    if (/unknown command|unknown option/i.test(answer.stdout + answer.stderr)) ctx.skip();
    const r = run(bin(), ['install']);
    expect(r.status, r.stderr).toBe(0);
    expectCommitBlocked();
    expect(run(bin(), ['uninstall']).status).toBe(0);
    expect(existsSync(join(project, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('the hook install() writes runs the packed binary: a real git commit with a staged key is blocked, a clean one passes', async () => {
    const result = await install({ cwd: project });
    expect(result.mode).toBe('hooks');
    expect(result.notes).toEqual([]); // keyguard found in node_modules/.bin
    expectCommitBlocked();
    writeFileSync(join(project, 'ok.js'), 'export const ok = true;\n');
    git('add', 'ok.js');
    const ok = spawnSync('git', ['commit', '-m', 'ok'], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/no secrets found/);
  });
});

describe('npx keyguard doctor from the installed package', () => {
  it('finds the hook, the installed binary and a working canary, and never prints a key', async () => {
    await install({ cwd: project });
    const key = genKey('proj');
    const r = run('npx', ['--no', '--', 'keyguard', 'doctor', '--json'], { ...npmEnv(), OPENAI_API_KEY: key });
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string }[] };
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ git: 'ok', hook: 'ok', keyguard: 'ok', canary: 'ok', 'env-key:OPENAI_API_KEY': 'ok' });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(key);
    expect(report.checks.find((c) => c.id === 'canary')?.message).toContain('node_modules/.bin/keyguard');
  });
});

function expectCommitBlocked(): void {
  const key = stageKey();
  try {
    const before = git('rev-parse', 'HEAD');
    const r = spawnSync('git', ['commit', '-m', 'leak'], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(git('rev-parse', 'HEAD')).toBe(before);
    expect(r.stderr).toMatch(/1 secret found/);
    expect(r.stdout + r.stderr).not.toContain(key);
  } finally {
    unstageKey();
  }
}
