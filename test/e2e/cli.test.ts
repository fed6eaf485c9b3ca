/**
 * End-to-end tests of the built CLI (dist/cli.js): real processes, real git in temporary
 * repositories, no mocks. Keys are generated at test time (test/helpers/keys.ts); no literal key
 * is written anywhere in this file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, runCli, tempDir, type CliResult } from '../helpers/repo.js';
import { KEY_TEMPLATES, genKey, type KeyKind } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
const ANSI = /\u001b\[/;
const KINDS = Object.keys(KEY_TEMPLATES) as KeyKind[];

/** What the preview of each kind must start with (the prefix the OpenAI dashboard shows) and its key type. */
const EXPECTED: Record<KeyKind, { prefix: string; keyType: string }> = {
  legacy: { prefix: 'sk-', keyType: 'user' },
  'proj-short': { prefix: 'sk-proj-', keyType: 'project' },
  proj: { prefix: 'sk-proj-', keyType: 'project' },
  'proj-58': { prefix: 'sk-proj-', keyType: 'project' },
  svcacct: { prefix: 'sk-svcacct-', keyType: 'service-account' },
  'svcacct-short': { prefix: 'sk-svcacct-', keyType: 'service-account' },
  none: { prefix: 'sk-None-', keyType: 'project' },
  admin: { prefix: 'sk-admin-', keyType: 'admin' },
  // The account name of a named service-account key is not part of the dashboard prefix.
  named: { prefix: 'sk-', keyType: 'service-account' },
};


function parseReport(text: string): JsonReport {
  try {
    return JSON.parse(text) as JsonReport;
  } catch {
    throw new Error(`not JSON:\n${text}`);
  }
}

/** A readable failure message: the whole CLI result. */
const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function expectExit(r: CliResult, code: number): void {
  expect(r.status, show(r)).toBe(code);
}

/** Every usage/IO error ends with the what / why / fix triple on stderr (messages.ts). */
function expectFailure(r: CliResult, mention?: string): void {
  expectExit(r, 2);
  expect(r.stderr, show(r)).toMatch(/^keyguard: /m);
  expect(r.stderr, show(r)).toMatch(/^\s*fix: \S/m);
  expect(r.stdout, show(r)).toBe('');
  if (mention !== undefined) expect(r.stderr).toContain(mention);
}

/** Runs the CLI in a throwaway directory, feeding `input` on stdin. */
function stdinScan(args: string[], input: string | Buffer, env: NodeJS.ProcessEnv = cleanEnv()): CliResult {
  return runCli(['scan', '--stdin', ...args], tempDir(), { input, env });
}

/**
 * No run may print the secret: neither the whole key nor any 12-character run of it beyond the
 * part a preview is allowed to show (the known prefix).
 */
function expectNoLeak(output: string, key: string, prefix: string, context: string): void {
  expect(output.includes(key), `${context}: the raw key was printed`).toBe(false);
  const secretPart = key.slice(prefix.length);
  for (let i = 0; i + 12 <= secretPart.length; i++) {
    const window = secretPart.slice(i, i + 12);
    if (output.includes(window)) throw new Error(`${context}: part of the key (${i}..${i + 12}) was printed:\n${output}`);
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('--version and --help', () => {
  it('--version and -v print the package.json version and exit 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag], tempDir());
      expectExit(r, 0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('--help exits 0 and documents scan, --staged, --format and the exit codes', () => {
    for (const args of [['--help'], ['-h'], ['scan', '--help'], []]) {
      const r = runCli(args, tempDir());
      expectExit(r, 0);
      expect(r.stdout).toContain('keyguard scan');
      expect(r.stdout).toContain('--staged');
      expect(r.stdout).toContain('--stdin');
      expect(r.stdout).toContain('--format');
      expect(r.stdout).toMatch(/exit codes/i);
      for (const code of ['0', '1', '2']) expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
    }
  });

  it('every format the help names is accepted, and the help names no format the CLI rejects', () => {
    const help = runCli(['--help'], tempDir()).stdout;
    const line = /--format\s+<\w+>\s+(.+)$/m.exec(help);
    expect(line, 'help has a --format line').not.toBeNull();
    const listed = line![1]!
      .replace(/\([^)]*\)/g, '')
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    expect(listed.sort()).toEqual(['github', 'gitlab', 'json', 'junit', 'pretty', 'sarif']);
    for (const format of listed) {
      const r = stdinScan(['--format', format], 'hello\n');
      expect(r.status, `--format ${format}: ${show(r)}`).toBe(0);
    }
    // A format the CLI does not have must not be advertised.
    for (const future of ['xml', 'checkstyle']) {
      const accepted = stdinScan(['--format', future], 'hello\n').status === 0;
      const mentioned = new RegExp(`\\b${future}\\b`, 'i').test(help);
      expect({ format: future, accepted, mentioned }).toEqual({ format: future, accepted: false, mentioned: false });
    }
  });
});

describe('usage errors exit 2 with a fix line', () => {
  const cases: { name: string; args: string[]; mention: string }[] = [
    { name: 'unknown option', args: ['scan', '--bogus-option'], mention: '--bogus-option' },
    { name: 'unknown command', args: ['frobnicate'], mention: 'frobnicate' },
    { name: '--format xml (no such format)', args: ['scan', '--format', 'xml'], mention: 'xml' },
    { name: '--format github with --output (workflow commands act only on stdout)', args: ['scan', '--format', 'github', '--output', 'x.txt'], mention: 'github' },
    { name: '--fail-on bogus', args: ['scan', '--fail-on', 'bogus'], mention: 'bogus' },
    { name: '--staged together with paths', args: ['scan', '--staged', 'app.js'], mention: '--staged' },
    { name: '--stdin together with paths', args: ['scan', '--stdin', 'app.js'], mention: '--stdin' },
    { name: '--stdin together with --staged', args: ['scan', '--stdin', '--staged'], mention: '--stdin' },
    { name: '--full without --staged', args: ['scan', '--full'], mention: '--full' },
    { name: '--full with paths', args: ['scan', '--full', 'app.js'], mention: '--full' },
    { name: '--full with --stdin', args: ['scan', '--full', '--stdin'], mention: '--full' },
    { name: '--format without a value', args: ['scan', '--format'], mention: '--format' },
  ];
  it.each(cases)('$name', ({ args, mention }) => {
    const repo = createRepo({ 'app.js': 'console.log(1);\n' });
    repo.git('add', '-A');
    expectFailure(repo.keyguard(args), mention);
  });
});

describe('fail closed: input keyguard was told to scan but could not read is exit 2', () => {
  it('a named path that does not exist', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'present.txt'), 'fine\n');
    expectFailure(runCli(['scan', 'no-such-file.txt'], dir), 'no-such-file.txt');
    // Also when it comes after a readable path, and when its parent is missing too.
    expectFailure(runCli(['scan', 'present.txt', 'missing/deeper.txt'], dir), 'missing/deeper.txt');
    // Inside a repository too.
    const repo = createRepo({ 'a.txt': 'fine\n' });
    expectFailure(repo.keyguard(['scan', 'a.txt', 'gone.txt']), 'gone.txt');
  });

  it('an unreadable named file (run as an unprivileged user)', (ctx) => {
    const asRoot = process.getuid?.() === 0;
    const hasSetpriv = spawnSync('setpriv', ['--version']).error === undefined;
    ctx.skip(asRoot && !hasSetpriv, 'running as root (which ignores file permissions) and `setpriv` was not found on PATH to drop privileges');
    const dir = tempDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'sub'));
    chmodSync(join(dir, 'sub'), 0o755);
    const key = genKey('proj');
    writeFileSync(join(dir, 'readable.txt'), 'nothing here\n');
    chmodSync(join(dir, 'readable.txt'), 0o644);
    writeFileSync(join(dir, 'sub', 'locked.env'), `OPENAI_API_KEY=${key}\n`);
    chmodSync(join(dir, 'sub', 'locked.env'), 0o000);
    const run = (args: string[]): CliResult => {
      const command = asRoot
        ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args]] as const
        : [process.execPath, [CLI, ...args]] as const;
      const r = spawnSync(command[0], [...command[1]], {
        cwd: dir,
        env: cleanEnv({ HOME: dir }),
        input: '',
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // Sanity: the unprivileged user can run the CLI and read the readable file.
    expectExit(run(['scan', 'readable.txt']), 0);
    const named = run(['scan', 'readable.txt', 'sub/locked.env']);
    expectFailure(named, 'sub/locked.env');
    expect(named.stderr).toMatch(/EACCES|permission/i);
    expectNoLeak(named.stdout + named.stderr, key, 'sk-proj-', 'unreadable file');
    // A file found by walking a directory (outside a repository) is input keyguard was told to scan as well.
    const walked = run(['scan', '.']);
    expectFailure(walked, 'sub/locked.env');
  });

  it('git missing from PATH: scan --staged exits 2 with "git was not found"', () => {
    const repo = createRepo({ 'app.js': 'console.log(1);\n' });
    repo.git('add', '-A');
    const bin = tempDir('keyguard-bin-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = repo.keyguard(['scan', '--staged'], { env: cleanEnv({ PATH: bin }) });
    expectFailure(r, 'git was not found');
    // In a hook (GIT_INDEX_FILE set) a bare `keyguard scan` means --staged, so it fails the same way.
    const hook = repo.keyguard(['scan'], { env: cleanEnv({ PATH: bin, GIT_INDEX_FILE: join(repo.dir, '.git', 'index') }) });
    expectFailure(hook, 'git was not found');
  });

  it('--staged outside a repository exits 2', () => {
    const dir = tempDir();
    const r = runCli(['scan', '--staged'], dir, { env: cleanEnv({ GIT_CEILING_DIRECTORIES: join(dir, '..') }) });
    expectFailure(r, 'not inside');
  });
});

describe('--stdin', () => {
  it('a key piped in: exit 1, reported at <stdin>', () => {
    const key = genKey('proj');
    const r = stdinScan(['--format', 'json'], `first line\nOPENAI_API_KEY=${key}\n`);
    expectExit(r, 1);
    const report = parseReport(r.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'openai-api-key', path: '<stdin>', line: 2, column: 16 });
    expect(report.stats).toMatchObject({ source: 'stdin', files: 1 });
    expect(report.stats.mode).toBeUndefined();
    const pretty = stdinScan([], `OPENAI_API_KEY=${key}\n`);
    expectExit(pretty, 1);
    expect(pretty.stdout).toContain('<stdin>:1:16');
  });

  it('clean input: exit 0', () => {
    const r = stdinScan([], 'const apiKey = process.env.OPENAI_API_KEY;\n');
    expectExit(r, 0);
    expect(r.stdout).toMatch(/no secrets found in standard input/);
    expect(r.stderr).toBe('');
    expectExit(stdinScan([], ''), 0);
  });

  it('binary input is skipped and counted, not scanned and not an error', () => {
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]), Buffer.from('some text after a NUL\n')]);
    const r = stdinScan(['--format', 'json'], bytes);
    expectExit(r, 0);
    const { stats, findings } = parseReport(r.stdout);
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ source: 'stdin', files: 0, bytes: 0, skipped: { binary: 1 } });
    expect(stats.skippedFiles).toEqual([{ path: '<stdin>', reason: 'binary' }]);
    const pretty = stdinScan([], bytes);
    expectExit(pretty, 0);
    expect(pretty.stdout).toMatch(/1 skipped \(binary: 1\)/);
  });
});

describe('--fail-on', () => {
  it('never: a key still exits 0 but the finding is printed', () => {
    const key = genKey('proj');
    const r = stdinScan(['--fail-on', 'never'], `k=${key}\n`);
    expectExit(r, 0);
    expect(r.stdout).toContain('openai-api-key');
    expect(r.stdout).toContain(`sk-proj-…${key.slice(-4)}`);
    const json = stdinScan(['--fail-on', 'never', '--format', 'json'], `k=${key}\n`);
    expectExit(json, 0);
    expect(parseReport(json.stdout).findings).toHaveLength(1);
  });

  it('warning: an error finding fails as with the default; error is the default', () => {
    const key = genKey('admin');
    expectExit(stdinScan(['--fail-on', 'warning'], `k=${key}\n`), 1);
    expectExit(stdinScan(['--fail-on', 'error'], `k=${key}\n`), 1);
    expectExit(stdinScan([], `k=${key}\n`), 1);
    expectExit(stdinScan(['--fail-on', 'warning'], 'clean\n'), 0);
  });
});

describe('--output', () => {
  it('writes the report to the file; stdout has no report; exit code still 1', () => {
    const dir = tempDir();
    const key = genKey('svcacct');
    const r = runCli(['scan', '--stdin', '--format', 'json', '--output', 'report.json'], dir, { input: `k=${key}\n` });
    expectExit(r, 1);
    expect(r.stdout).toBe('');
    const written = readFileSync(join(dir, 'report.json'), 'utf8');
    const report = parseReport(written);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.path).toBe('<stdin>');
    expectNoLeak(written, key, 'sk-svcacct-', '--output file');
    // Pretty into a file carries no colour even when colour is forced.
    const p = runCli(['scan', '--stdin', '-o', 'report.txt'], dir, { input: `k=${key}\n`, env: cleanEnv({ FORCE_COLOR: '1' }) });
    expectExit(p, 1);
    expect(p.stdout).toBe('');
    const text = readFileSync(join(dir, 'report.txt'), 'utf8');
    expect(text).toContain('openai-api-key');
    expect(text).not.toMatch(ANSI);
  });

  it('creates a missing directory for the report, and exits 2 for a path that cannot be a file', () => {
    const dir = tempDir();
    const made = runCli(['scan', '--stdin', '--format', 'json', '--output', 'reports/ci/report.json'], dir, { input: 'clean\n' });
    expectExit(made, 0);
    expect(JSON.parse(readFileSync(join(dir, 'reports/ci/report.json'), 'utf8'))).toMatchObject({ findings: [] });
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = runCli(['scan', '--stdin', '--format', 'json', '--output', 'a-file/report.json'], dir, { input: 'clean\n' });
    expectFailure(r, 'a-file/report.json');
    expect(readFileSync(join(dir, 'a-file'), 'utf8')).toBe('x');
  });
});

describe('colour', () => {
  const input = () => `k=${genKey('proj')}\n`;
  it('FORCE_COLOR=1 colours the pretty output', () => {
    const r = stdinScan([], input(), cleanEnv({ FORCE_COLOR: '1' }));
    expectExit(r, 1);
    expect(r.stdout).toMatch(ANSI);
    const clean = stdinScan([], 'clean\n', cleanEnv({ FORCE_COLOR: '1' }));
    expect(clean.stdout).toMatch(ANSI);
  });

  it('NO_COLOR (even with FORCE_COLOR) and --no-color turn it off', () => {
    for (const [args, env] of [
      [[], { NO_COLOR: '1', FORCE_COLOR: '1' }],
      [[], { NO_COLOR: '1' }],
      [['--no-color'], { FORCE_COLOR: '1' }],
      [['--no-color'], {}],
      [[], { FORCE_COLOR: '0' }],
    ] as [string[], NodeJS.ProcessEnv][]) {
      const r = stdinScan(args, input(), cleanEnv(env));
      expect(r.status).toBe(1);
      expect(r.stdout, `${args.join(' ')} ${JSON.stringify(env)}`).not.toMatch(ANSI);
      expect(r.stdout).toContain('openai-api-key');
    }
  });

  it('stdout not a TTY and no colour variables: no colour', () => {
    const r = stdinScan([], input(), cleanEnv({ TERM: 'xterm-256color' }));
    expectExit(r, 1);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('JSON is never coloured', () => {
    const r = stdinScan(['--format', 'json'], input(), cleanEnv({ FORCE_COLOR: '1' }));
    expectExit(r, 1);
    expect(r.stdout).not.toMatch(ANSI);
    parseReport(r.stdout);
  });
});

describe('-q / --quiet', () => {
  it('prints nothing when clean', () => {
    for (const flag of ['-q', '--quiet']) {
      const r = stdinScan([flag], 'nothing to see\n');
      expectExit(r, 0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('');
    }
    const repo = createRepo({ 'a.txt': 'clean\n' });
    repo.git('add', '-A');
    const staged = repo.keyguard(['scan', '--staged', '-q']);
    expectExit(staged, 0);
    expect(staged.stdout).toBe('');
  });

  it('prints the findings when not clean', () => {
    const key = genKey('legacy');
    const r = stdinScan(['-q'], `k=${key}\n`);
    expectExit(r, 1);
    expect(r.stdout).toContain('<stdin>:1:3');
    expect(r.stdout).toContain('openai-api-key');
    expect(r.stdout).toMatch(/1 secret found/);
  });
});

describe('the raw key never leaves keyguard (every key kind × every source × every format)', () => {
  it.each(KINDS)('%s', (kind) => {
    const { prefix, keyType } = EXPECTED[kind];
    const key = genKey(kind);
    expect(key.startsWith(prefix), `generated ${kind} key has prefix ${prefix}`).toBe(true);
    const content = `# settings\nconst client = new OpenAI({ apiKey: "${key}" });\n`;
    const column = content.split('\n')[1]!.indexOf(key) + 1;
    const preview = `${prefix}…${key.slice(-4)}`;
    const path = 'config/settings.js';
    const repo = createRepo({ [path]: content });
    repo.git('add', '-A');

    const sources: { name: string; args: string[]; input?: string; path: string; source: string; mode?: string }[] = [
      { name: 'staged', args: ['--staged'], path, source: 'staged', mode: 'added-lines' },
      { name: 'staged --full', args: ['--staged', '--full'], path, source: 'staged', mode: 'full' },
      { name: 'paths', args: [path], path, source: 'paths' },
      { name: 'directory', args: ['.'], path, source: 'paths' },
      { name: 'stdin', args: ['--stdin'], input: content, path: '<stdin>', source: 'stdin' },
    ];
    // The leak check itself must be able to fail.
    expect(() => expectNoLeak(`x ${key.slice(prefix.length + 3, prefix.length + 15)} y`, key, prefix, 'self-check')).toThrow();
    expect(() => expectNoLeak(`x ${key} y`, key, prefix, 'self-check')).toThrow();

    const runs = [
      { format: 'pretty', env: cleanEnv() },
      { format: 'pretty', env: cleanEnv({ FORCE_COLOR: '1' }) },
      { format: 'json', env: cleanEnv() },
    ];
    const fingerprints = new Set<string>();
    for (const s of sources) {
      for (const { format, env } of runs) {
        const context = `${kind} / ${s.name} / ${format}${env.FORCE_COLOR ? ' / colour' : ''}`;
        const r = repo.keyguard(['scan', ...s.args, '--format', format], { env, ...(s.input !== undefined ? { input: s.input } : {}) });
        expect(r.status, `${context}\n${show(r)}`).toBe(1);
        expectNoLeak(r.stdout + r.stderr, key, prefix, context);
        if (format === 'json') {
          const report = parseReport(r.stdout);
          expect(report.findings, context).toHaveLength(1);
          const f = report.findings[0]!;
          expect(f, context).toMatchObject({ ruleId: 'openai-api-key', severity: 'error', path: s.path, line: 2, column, preview, keyType });
          expect(f.preview.startsWith(prefix) && f.preview.endsWith(key.slice(-4)), context).toBe(true);
          expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
          if (s.path === path) fingerprints.add(f.fingerprint);
          expect(report.stats.source, context).toBe(s.source);
          expect(report.stats.mode, context).toBe(s.mode);
        } else {
          const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
          expect(plain, context).toContain(`${s.path}:2:${column}`);
          expect(plain, context).toContain(`(${preview}, `);
          expect(plain, context).toContain(`listed there as ${preview}`);
        }
      }
    }
    // The fingerprint depends on (rule, path, secret) only, so every source that saw the same file agrees.
    expect(fingerprints.size).toBe(1);
  });
});

describe('keyguard rules', () => {
  it('lists openai-api-key', () => {
    const r = runCli(['rules'], tempDir());
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^openai-api-key\s+error\s+OpenAI API key$/m);
  });

  it('documents one rule with the pages where each key type is revoked', () => {
    const r = runCli(['rules', 'openai-api-key'], tempDir());
    expectExit(r, 0);
    for (const url of [
      'https://platform.openai.com/api-keys',
      'https://platform.openai.com/settings/organization/admin-keys',
      'https://platform.openai.com/settings/organization/projects',
    ]) {
      expect(r.stdout).toContain(url);
    }
    expect(r.stdout).toMatch(/What to do when it fires/);
  });

  it('an unknown rule id exits 2', () => {
    const r = runCli(['rules', 'no-such-rule'], tempDir());
    expectFailure(r, 'no-such-rule');
    expect(r.stderr).toContain('openai-api-key');
  });
});

describe('file names cannot inject lines into a CI log', () => {
  it('pretty output shows a name with a newline C-quoted, never as a line of its own', () => {
    const repo = createRepo();
    const name = 'x\n::warning file=evil::INJECTED\n.txt';
    repo.write(name, `K=${genKey('proj')}\n`);
    repo.git('add', '-A');
    const r = repo.keyguard(['scan', '--staged']);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/^::warning/m);
    expect(r.stdout).toContain(JSON.stringify(name));
  });
});
