/**
 * Issue 8, item 5: no surprise network. Every command that is not `--verify` or `keyguard revoke`
 * runs without opening a network socket, resolving a name, or starting a git command that can
 * reach a remote.
 *
 * How it is proven, three independent witnesses per run:
 *  1. test/helpers/net-guard.mjs, preloaded into the CLI (and every Node process it starts) with
 *     NODE_OPTIONS=--import: it wraps net/tls/http/https/http2/dns/dgram/fetch/WebSocket and
 *     writes each attempt to a log; it must show the guard loaded and no attempt.
 *  2. GIT_TRACE: every git command keyguard ran (and every helper git ran for it) is logged; none
 *     may be one that talks to a remote (fetch, ls-remote, clone, push, pull, remote-*, *-pack,
 *     submodule, lfs).
 *  3. KEYGUARD_OPENAI_BASE_URL points at a fake OpenAI API on 127.0.0.1 that the guard lets
 *     loopback traffic through to: it must receive no request.
 * The repository is built to tempt: a staged key, keys in history, an https remote with
 * remote-tracking refs and upstream tracking, a submodule with an https URL, LFS attributes, a .env,
 * and OPENAI_API_KEY, KEYGUARD_OPENAI_API_KEY and OPENAI_ADMIN_KEY set (doctor checks presence).
 *
 * Positive controls show each witness can fail: `--verify` and `revoke` are recorded by the guard
 * and reach the fake server; the guard records (and in block mode refuses) every API it wraps from
 * a plain `node -e`; the GIT_TRACE check flags a real `git ls-remote`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, tempDir, type CliResult, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';

const GUARD = pathToFileURL(join(PROJECT_ROOT, 'test/helpers/net-guard.mjs')).href;

interface GuardRecord {
  pid: number;
  kind: string;
  host?: string;
  port?: number;
  url?: string;
  api?: string;
  file?: string;
  args?: string[];
  argv: string[];
}

interface Run extends CliResult {
  label: string;
  guard: GuardRecord[];
  trace: string;
}

let fake: FakeOpenAI;
let logs: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  fake = await startFakeOpenAI();
  logs = tempDir('keyguard-net-logs-');
});
afterAll(async () => {
  await fake?.close();
});

let runs = 0;

/**
 * Runs a command under the guard, asynchronously (the fake server lives in this process), with
 * its own guard log and git trace. `mode` allow-loopback lets loopback connections through
 * (recorded) so the fake server is a second witness; block refuses every inet attempt.
 */
function guarded(
  command: string,
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; input?: string; mode?: 'allow-loopback' | 'block'; label?: string } = {},
): Promise<Run> {
  const n = ++runs;
  const log = join(logs, `guard-${n}.jsonl`);
  const trace = join(logs, `git-trace-${n}.log`);
  writeFileSync(log, '');
  writeFileSync(trace, '');
  const env = {
    ...cleanEnv(options.env),
    NODE_OPTIONS: `--import=${GUARD}`,
    NET_GUARD_LOG: log,
    NET_GUARD_MODE: options.mode ?? 'allow-loopback',
    GIT_TRACE: trace,
    GIT_TRACE_SETUP: '0',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      const guard = readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as GuardRecord);
      resolve({ label: options.label ?? args.join(' '), status, stdout, stderr, guard, trace: readFileSync(trace, 'utf8') });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

const keyguard = (args: string[], cwd: string, options: Parameters<typeof guarded>[3] = {}) =>
  guarded(process.execPath, [CLI, ...args], cwd, { label: `keyguard ${args.join(' ')}`, ...options });

/** Runs the jobs `width` at a time, keeping their order. */
async function pool<T>(jobs: (() => Promise<T>)[], width = 4): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

const show = (r: Run) =>
  `${r.label}: exit ${r.status}\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 2000)}\n--- guard\n${r.guard.map((g) => JSON.stringify(g)).join('\n')}`;

/** Guard records that are network attempts (everything but "loaded" and "spawn"). */
const networkAttempts = (r: Run) => r.guard.filter((g) => g.kind !== 'loaded' && g.kind !== 'spawn');

/**
 * git subcommands that can talk to a remote, as GIT_TRACE names them: the built-in or the program
 * git runs (`git remote-https`, `git-upload-pack`, `git-lfs`, …).
 */
const NETWORK_GIT = /^(fetch|fetch-pack|ls-remote|clone|push|pull|send-pack|upload-pack|receive-pack|upload-archive|archive|http-fetch|http-push|remote-.+|submodule|submodule--helper|lfs|credential.*|daemon|request-pull|imap-send|send-email|svn|p4)$/;

/** The git subcommands in a GIT_TRACE log: `trace: built-in: git X`, `trace: exec: git-X`, `run_command: git X`. */
function gitCommands(trace: string): string[] {
  const found: string[] = [];
  for (const line of trace.split('\n')) {
    const m = /trace: (?:built-in|exec|run_command): (.*)$/.exec(line) ?? /run_command: (.*)$/.exec(line);
    if (!m) continue;
    const words = (m[1] ?? '').replace(/'/g, '').split(/\s+/).filter(Boolean);
    // Skip environment assignments (run_command: GIT_DIR=… git …), then `git` and its options.
    let i = 0;
    while (i < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[i] as string)) i++;
    const program = words[i] ?? '';
    if (program.startsWith('git-')) {
      found.push(program.slice(4));
      continue;
    }
    if (basename(program) !== 'git') {
      found.push(program); // something git started that is not git (a hook, a helper)
      continue;
    }
    i++;
    while (i < words.length && (words[i] as string).startsWith('-')) {
      if (['-c', '-C', '--git-dir', '--work-tree', '--namespace', '--exec-path'].includes(words[i] as string)) i++;
      i++;
    }
    if (words[i] !== undefined) found.push(words[i] as string);
  }
  return found;
}

/** The assertion every command below must pass. */
function expectNoNetwork(r: Run, { usesGit = true }: { usesGit?: boolean } = {}): void {
  // The guard was active in the CLI itself (an empty log from an unloaded guard proves nothing).
  expect(r.guard.some((g) => g.kind === 'loaded' && g.argv[0] === CLI), show(r)).toBe(true);
  expect(networkAttempts(r), show(r)).toEqual([]);
  // Only git and node (the doctor's canary through the hook's keyguard) are started: no curl, ssh, nc.
  const started = r.guard.filter((g) => g.kind === 'spawn').map((g) => basename(g.file ?? ''));
  for (const program of started) expect(['git', basename(process.execPath), 'keyguard', 'sh'], show(r)).toContain(program);
  const commands = gitCommands(r.trace);
  if (usesGit) expect(commands.length, `${r.label}: GIT_TRACE saw no git command: is the trace working?`).toBeGreaterThan(0);
  expect(commands.filter((c) => NETWORK_GIT.test(c)), `${r.label}\n${r.trace}`).toEqual([]);
  // No stack trace, no internal error: the run itself was healthy.
  expect(r.stderr, show(r)).not.toMatch(/internal error|^\s+at .*:\d+:\d+\)?$/m);
}

/** The tempting repository (see the header). */
function setup() {
  const keys = { staged: genKey('proj'), history: genKey('legacy'), tree: genKey('svcacct'), dotenv: genKey('proj'), env: genKey('proj'), kgEnv: genKey('proj'), admin: genKey('admin'), stdin: genKey('proj-58') };
  for (const key of Object.values(keys)) fake.config.keys.set(key, 'live');
  const remote = tempDir();
  spawnSync('git', ['init', '-q', '--bare', remote], { env: cleanEnv() });
  const repo = createRepo({
    'README.md': '# app\n',
    '.gitignore': 'node_modules/\n',
    '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
    '.keyguardrc.json': JSON.stringify({ doctor: { envVars: ['KEYGUARD_OPENAI_API_KEY'] } }),
    '.gitmodules': '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://keyguard-net-test.invalid/vendor/lib.git\n',
  });
  repo.git('add', '-A');
  repo.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`);
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  const base = repo.git('rev-parse', 'HEAD').trim();
  repo.write('config/old.js', `const key = "${keys.history}";\n`);
  repo.write('model.bin', 'version https://git-lfs.github.com/spec/v1\noid sha256:' + 'a'.repeat(64) + '\nsize 12\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'add a key');
  // The remote: an https URL nothing answers, with remote-tracking refs and upstream tracking set up,
  // and a pushurl to a real (local) bare repository: any fetch or push would show in GIT_TRACE.
  repo.git('remote', 'add', 'origin', 'https://keyguard-net-test.invalid/org/app.git');
  repo.git('config', 'remote.origin.pushurl', remote);
  repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  repo.git('config', 'branch.main.remote', 'origin');
  repo.git('config', 'branch.main.merge', 'refs/heads/main');
  repo.write('config/old.js', 'const key = process.env.OPENAI_API_KEY;\n');
  repo.git('commit', '-q', '--no-verify', '-am', 'remove the key');
  // Working tree: a tracked file with a key, an untracked .env, a staged new file with a key.
  repo.write('src/tree.js', `export const k = "${keys.tree}";\n`);
  repo.write('.env', `OPENAI_API_KEY=${keys.dotenv}\n`);
  repo.write('src/staged.js', `const client = new OpenAI({ apiKey: "${keys.staged}" });\n`);
  repo.git('add', 'src/staged.js');
  // keyguard as npm would link it, so the doctor's canary and the hook run a second guarded Node.
  repo.write('node_modules/.bin/keyguard', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(repo.dir, 'node_modules/.bin/keyguard'), 0o755);
  const env: NodeJS.ProcessEnv = {
    KEYGUARD_OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: keys.env,
    KEYGUARD_OPENAI_API_KEY: keys.kgEnv,
    OPENAI_ADMIN_KEY: keys.admin,
  };
  return { repo, base, keys, env };
}

const FORMATS = ['pretty', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;

describe('no network without --verify', () => {
  let ctx: ReturnType<typeof setup>;
  beforeAll(() => {
    ctx = setup();
  });

  it('every scan source in every format: no socket, no DNS, no remote git, nothing at the fake API', async () => {
    const { repo, base, keys, env } = ctx;
    const summary = join(logs, 'step-summary.md');
    // Every format for the sources that read history and work out exposure (the remote refs);
    // the others in three formats each, so that every source meets every format family.
    const HALF = [FORMATS.slice(0, 3), FORMATS.slice(3)];
    const sources: { args: string[]; input?: string; formats: readonly string[] }[] = [
      { args: ['scan', '--staged'], formats: FORMATS },
      { args: ['scan', '--all'], formats: FORMATS },
      { args: ['scan'], formats: HALF[0] as string[] },
      { args: ['scan', 'src', '.env'], formats: HALF[1] as string[] },
      { args: ['scan', '--staged', '--full'], formats: HALF[1] as string[] },
      { args: ['scan', '--range', `${base}..HEAD`], formats: HALF[0] as string[] },
      { args: ['scan', '--range', `${base}..HEAD`], formats: HALF[1] as string[] },
      { args: ['scan', '--stdin'], input: `OPENAI_API_KEY=${keys.stdin}\n`, formats: HALF[0] as string[] },
      { args: ['scan', '--stdin'], input: `OPENAI_API_KEY=${keys.stdin}\n`, formats: HALF[1] as string[] },
    ];
    const jobs = sources.flatMap((s) =>
      s.formats.map((format) => () => keyguard([...s.args, '--format', format], repo.dir, { env: { ...env, GITHUB_STEP_SUMMARY: summary }, input: s.input })),
    );
    // And the options around a report: --output, --fail-on, -q, --no-color.
    jobs.push(() => keyguard(['scan', '--all', '--format', 'sarif', '--output', join(logs, 'report.sarif')], repo.dir, { env }));
    jobs.push(() => keyguard(['scan', '--staged', '--fail-on', 'never', '-q', '--no-color'], repo.dir, { env }));
    const results = await pool(jobs);
    for (const r of results) {
      // Every source holds a key: exit 1 (0 only with --fail-on never).
      expect(r.status, show(r)).toBe(r.label.includes('--fail-on never') ? 0 : 1);
      expectNoNetwork(r, { usesGit: !r.label.includes('--stdin') });
    }
    for (const format of FORMATS) expect(results.filter((r) => r.label.endsWith(`--format ${format}`)).length, format).toBeGreaterThanOrEqual(4);
    // The findings were real ones (the remediation path ran): the staged key is reported.
    const json = results.find((r) => r.label === 'keyguard scan --staged --format json') as Run;
    expect(JSON.parse(json.stdout).findings.length, show(json)).toBeGreaterThan(0);
    expect(fake.requests).toEqual([]);
  });

  it('install, doctor (with OPENAI_API_KEY and KEYGUARD_OPENAI_API_KEY set), rules, baseline, uninstall, a commit through the hook', async () => {
    const { repo, env } = ctx;
    // Read-only commands side by side; then the ones that change the repository, in order.
    const readOnly = await pool([['--version'], ['--help'], ['rules'], ['rules', 'openai-api-key'], ['install', '--dry-run']].map((args) => () => keyguard(args, repo.dir, { env })));
    const sequence: string[][] = [
      ['install'],
      ['doctor'],
      ['doctor', '--json'],
      ['baseline', '--output', join(logs, 'baseline.json')],
      ['baseline', '--all', '--output', join(logs, 'baseline-all.json')],
      ['scan', '--staged', '--baseline', join(logs, 'baseline.json')],
      ['doctor', '--fix'],
      ['uninstall', '--dry-run'],
    ];
    const results: Run[] = [...readOnly];
    for (const args of sequence) results.push(await keyguard(args, repo.dir, { env }));
    for (const r of results) expectNoNetwork(r, { usesGit: !/^keyguard (--version|--help|rules)/.test(r.label) });
    const byLabel = (label: string) => results.find((r) => r.label === `keyguard ${label}`) as Run;

    const doctor = byLabel('doctor --json');
    const report = JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] };
    // doctor did look at both variables (presence and shape), did run its canary through the hook's
    // keyguard (a second guarded Node), and still sent nothing.
    const text = JSON.stringify(report.checks);
    expect(text, show(doctor)).toContain('OPENAI_API_KEY');
    expect(text, show(doctor)).toContain('KEYGUARD_OPENAI_API_KEY');
    for (const key of Object.values(ctx.keys)) expect(doctor.stdout + doctor.stderr).not.toContain(key);
    expect(report.checks.find((c) => c.id === 'canary')?.status, show(doctor)).toBe('ok');
    const nested = doctor.guard.filter((g) => g.kind === 'loaded' && g.argv[0] === CLI);
    expect(nested.length, `the canary's keyguard ran under the guard too\n${show(doctor)}`).toBeGreaterThanOrEqual(2);

    // A real commit through the installed hook: git runs the hook, the hook runs keyguard.
    const commit = await guarded('git', ['commit', '-q', '-m', 'through the hook'], repo.dir, { env: { ...env, PATH: `${join(repo.dir, 'node_modules/.bin')}:${process.env.PATH}` }, label: 'git commit' });
    expect(commit.status, show(commit)).toBe(1); // blocked: the staged key
    expect(commit.guard.some((g) => g.kind === 'loaded' && g.argv[0] === CLI), show(commit)).toBe(true);
    expect(networkAttempts(commit), show(commit)).toEqual([]);
    expect(gitCommands(commit.trace).filter((c) => NETWORK_GIT.test(c)), commit.trace).toEqual([]);

    expect(fake.requests).toEqual([]);
  });
});

describe('positive controls: each witness can fail', () => {
  it('--verify is recorded by the guard and reaches the fake API; in block mode it is refused', async () => {
    const key = genKey('proj');
    fake.config.keys.set(key, 'live');
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    const before = fake.requests.length;
    const r = await keyguard(['scan', '.', '--verify', '--format', 'json'], repo.dir, { env: { KEYGUARD_OPENAI_BASE_URL: fake.baseUrl } });
    expect(r.status, show(r)).toBe(1);
    const port = Number(new URL(fake.baseUrl).port);
    expect(networkAttempts(r).some((g) => g.kind === 'connect' && g.host === '127.0.0.1' && g.port === port), show(r)).toBe(true);
    expect(networkAttempts(r).some((g) => g.kind === 'fetch' && g.url?.startsWith(fake.baseUrl)), show(r)).toBe(true);
    expect(() => expectNoNetwork(r)).toThrow();
    expect(fake.requestsWith(key)).toHaveLength(1);
    expect((JSON.parse(r.stdout) as { findings: { verification?: { status: string } }[] }).findings[0]?.verification?.status).toBe('live');

    const blocked = await keyguard(['scan', '.', '--verify', '--format', 'json'], repo.dir, { env: { KEYGUARD_OPENAI_BASE_URL: fake.baseUrl }, mode: 'block' });
    expect(networkAttempts(blocked).some((g) => g.kind === 'fetch'), show(blocked)).toBe(true);
    expect((JSON.parse(blocked.stdout) as { findings: { verification?: { status: string } }[] }).findings[0]?.verification?.status).toBe('unknown');
    expect(fake.requests.length).toBe(before + 1); // the blocked run sent nothing
  });

  it('keyguard revoke is recorded by the guard', async () => {
    const key = genKey('proj');
    const admin = genKey('admin');
    fake.config.keys.set(admin, 'live');
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    repo.git('add', '-A');
    const r = await keyguard(['revoke', '--staged', '--yes'], repo.dir, { env: { KEYGUARD_OPENAI_BASE_URL: fake.baseUrl, OPENAI_ADMIN_KEY: admin } });
    expect(networkAttempts(r).some((g) => g.kind === 'fetch'), show(r)).toBe(true);
    expect(fake.requestsWith(admin).length).toBeGreaterThan(0);
  });

  it('node -e: every wrapped API is recorded and refused; pipes, child stdio and unix sockets are not flagged', async () => {
    const dir = tempDir();
    const port = Number(new URL(fake.baseUrl).port);
    const before = fake.requests.length;
    const attempts: [string, string][] = [
      ['fetch', `fetch(${JSON.stringify(`${fake.baseUrl}/models`)}).then(() => console.log('SENT'), (e) => console.log('refused', e.cause?.code))`],
      ['http.get', `require('node:http').get('http://127.0.0.1:${port}/v1/models').on('error', () => {})`],
      ['https.request', `require('node:https').request('https://api.openai.com/v1/models').on('error', () => {}).end()`],
      ['net.connect', `require('node:net').connect(${port}, '127.0.0.1').on('error', () => {})`],
      ['tls.connect', `require('node:tls').connect(443, 'api.openai.com').on('error', () => {})`],
      ['dns', `require('node:dns').lookup('api.openai.com', () => {})`],
      ['dns', `require('node:dns').promises.resolve4('api.openai.com').catch(() => {})`],
      ['dgram.createSocket', `require('node:dgram').createSocket('udp4')`],
      ['connect', `import('node:net').then(({ Socket }) => new Socket().connect(${port}, '127.0.0.1').on('error', () => {}))`],
      ...(typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function' ? [['WebSocket', `new WebSocket('ws://127.0.0.1:${port}/')`] as [string, string]] : []),
    ];
    for (const [kind, code] of attempts) {
      const r = await guarded(process.execPath, ['-e', `try { ${code} } catch (e) { console.log('refused', e.code) }`], dir, { mode: 'block', label: `node -e ${kind}` });
      expect(r.guard.some((g) => g.kind === 'loaded'), show(r)).toBe(true);
      expect(networkAttempts(r).some((g) => g.kind === kind), show(r)).toBe(true);
      expect(r.stdout, show(r)).not.toContain('SENT');
    }
    expect(fake.requests.length).toBe(before);

    // Local plumbing is not network: child-process stdio pipes, IPC, a unix-domain socket.
    const local = `
      const { execFileSync, fork } = require('node:child_process');
      const net = require('node:net');
      execFileSync('git', ['--version'], { stdio: 'pipe' });
      const sock = require('node:path').join(${JSON.stringify(dir)}, 's.sock');
      const server = net.createServer((c) => c.end('ok')).listen(sock, () => {
        net.connect(sock).on('data', (d) => { console.log('unix', String(d)); server.close(); });
      });`;
    const r = await guarded(process.execPath, ['-e', local], dir, { mode: 'block', label: 'node -e local plumbing' });
    expect(r.stdout, show(r)).toContain('unix ok');
    expect(networkAttempts(r), show(r)).toEqual([]);
    expect(r.guard.filter((g) => g.kind === 'spawn').map((g) => g.file), show(r)).toEqual(['git']);
  });

  it('the GIT_TRACE check flags a git command that talks to a remote', async () => {
    const remote = tempDir();
    spawnSync('git', ['init', '-q', '--bare', remote], { env: cleanEnv() });
    const repo: Repo = createRepo();
    const r = await guarded('git', ['ls-remote', remote], repo.dir, { label: 'git ls-remote' });
    expect(r.status, show(r)).toBe(0);
    expect(gitCommands(r.trace).filter((c) => NETWORK_GIT.test(c)), r.trace).toContain('ls-remote');
    const fetched = await guarded('git', ['fetch', '-q', remote], repo.dir, { label: 'git fetch' });
    expect(gitCommands(fetched.trace).filter((c) => NETWORK_GIT.test(c)), fetched.trace).toEqual(expect.arrayContaining(['fetch']));
    // And keyguard's own option-laden invocations parse to their subcommand.
    expect(gitCommands('12:00:00.000000 git.c:460               trace: built-in: git --no-replace-objects -c core.quotePath=false log -p')).toEqual(['log']);
  });
});
