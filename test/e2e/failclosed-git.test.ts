/**
 * Issue 8, item 4: fail closed, tested. Each way keyguard can be kept from reading its input is
 * reproduced for real, in `scan --staged`, the tree scan and `--range`/`--all` where it applies,
 * and each must be exit 2 with a message that says what happened, why that stops the scan and the
 * command that fixes it: never exit 0, never a "no secrets found" verdict, never a stack trace or
 * an "internal error" (which would be exit 2 without telling the user what to do).
 *
 *   1. git missing from PATH
 *   2. a corrupt object, and a missing object the index refers to
 *   3. a file keyguard cannot read (permission denied)
 *   4. `git cat-file --batch` dying mid-stream, or exiting 0 after truncated output
 *   5. `git diff`, `git log` (and `git ls-files`, `git rev-parse`) dying mid-stream
 *   6. a config that throws: at import, a default export that is a function that throws, a syntax
 *      error, a rejected promise, a getter
 *   7. a custom rule in a config whose own example fails
 *
 * Already covered elsewhere, not repeated: --stdin from a directory, /dev/full and `| head`
 * (failclosed.test.ts); unreadable directories and an unreadable tracked file in a walk
 * (paths.test.ts); shallow clone and missing --range base (history.test.ts); JSON/YAML/.cjs
 * configs that do not load, a .mjs that throws in --staged, and JSON custom rules whose examples
 * fail in --staged (config.test.ts).
 *
 * Faults in git are injected by test/helpers/fault-git.ts: a `git` first on PATH that runs the
 * real git for everything but one subcommand. Keys are generated at test time.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createRepo, runCli, tempDir, type CliResult, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import { faultGit, type FaultMode } from '../helpers/fault-git.js';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

const show = (r: CliResult, label = '') => `${label}\nexit ${r.status}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 3000)}`;

/**
 * Exit 2, the what / why / fix triple on stderr, and nothing that reads as a verdict: no report on
 * stdout (for --format json), no "no secrets found", no stack trace, not an internal error.
 */
function expectFailClosed(r: CliResult, label: string, ...mentions: (string | RegExp)[]): void {
  const s = show(r, label);
  expect(r.status, s).toBe(2);
  expect(r.stderr, s).toMatch(/^keyguard: \S/m);
  expect(r.stderr, s).toMatch(/^ {2}why: \S/m);
  expect(r.stderr, s).toMatch(/^ {2}fix: \S/m);
  expect(r.stdout + r.stderr, s).not.toMatch(/no secrets found/i);
  // No report at all: a partial one (findings of the part that was read) would read as a verdict.
  expect(r.stdout, s).toBe('');
  expect(r.stderr, s).not.toMatch(/internal error/i);
  expect(r.stderr, s).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  for (const m of mentions) {
    if (typeof m === 'string') expect(r.stderr, s).toContain(m);
    else expect(r.stderr, s).toMatch(m);
  }
}

/**
 * A history scan (CI, --range/--all) that fails must say so in its own terms: there is nothing
 * staged, and "commit again" is not the fix in a pipeline.
 */
function expectHistoryWording(r: CliResult): void {
  // Soft: every run of a loop is still checked (and reported) after the first one fails here.
  expect.soft(r.stderr, show(r, 'a history scan\'s error speaks of staged content')).not.toMatch(/\bstaged\b|commit again/);
}

/** The key never reaches the output, even in an error. */
function expectNoKey(r: CliResult, key: string): void {
  expect(r.stdout + r.stderr).not.toContain(key);
}

const commit = (repo: Repo, message: string) => {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD').trim();
};

const padding = (lines: number) => Array.from({ length: lines }, (_, i) => `line ${i}: nothing secret here, just padding text`).join('\n') + '\n';

/**
 * A repository with something to read in every source:
 *  history: base → a commit adding a key in config/key.js, plus notes.dat that its own
 *           .gitattributes marks -diff (git log calls it binary, so keyguard reads it through
 *           `git cat-file --batch`), each with a key;
 *  staged:  two new files (read through cat-file), and a modified file with an added key line
 *           (read through `git diff --cached`).
 */
function fixture() {
  const keys = { history: genKey('proj'), binary: genKey('legacy'), staged: genKey('svcacct'), modified: genKey('proj') };
  const repo = createRepo({ 'README.md': '# app\n', 'big.txt': padding(200) });
  const base = commit(repo, 'base');
  repo.write('.gitattributes', '*.dat -diff\n');
  repo.write('config/key.js', `export const key = "${keys.history}";\n${padding(50)}`);
  repo.write('notes.dat', `${padding(40)}token=${keys.binary}\n`);
  const head = commit(repo, 'add keys');
  repo.write('a-new.js', `${padding(60)}const key = "${keys.staged}";\n`);
  repo.write('b-new.js', padding(80));
  repo.write('big.txt', `${padding(200)}OPENAI_API_KEY=${keys.modified}\n`);
  repo.git('add', '-A');
  return { repo, base, head, keys, range: `${base}..${head}` };
}

type Fixture = ReturnType<typeof fixture>;

/** The loose object file of `sha`, made writable. */
function objectFile(repo: Repo, sha: string): string {
  const file = join(repo.dir, '.git', 'objects', sha.slice(0, 2), sha.slice(2));
  expect(existsSync(file), `${sha} is not a loose object`).toBe(true);
  chmodSync(file, 0o644);
  return file;
}

/** Keeps the zlib header and the object header readable, damages the rest: cat-file prints the header, then dies. */
function corruptObject(repo: Repo, sha: string): void {
  const file = objectFile(repo, sha);
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

function garbageObject(repo: Repo, sha: string): void {
  writeFileSync(objectFile(repo, sha), 'this is not a zlib stream');
}

function removeObject(repo: Repo, sha: string): void {
  rmSync(objectFile(repo, sha));
}

// ------------------------------------------------------------------------------------------------

describe('1. git missing from PATH', () => {
  // PATH names an empty directory: no git anywhere. Node itself is run by its absolute path.
  const noGit = () => cleanEnv({ PATH: tempDir('keyguard-empty-path-') });

  it('--staged, --range, --all, baseline, and the hook default (GIT_INDEX_FILE set): exit 2, "install git"', () => {
    const { repo, range } = fixture();
    const env = noGit();
    expect(spawnSync('git', ['--version'], { env }).error, 'git must not be reachable').toBeDefined();
    const runs: [string, string[], NodeJS.ProcessEnv][] = [
      ['scan --staged', ['scan', '--staged'], env],
      ['scan --staged --format json', ['scan', '--staged', '--format', 'json'], env],
      ['scan --range', ['scan', '--range', range], env],
      ['scan --all', ['scan', '--all'], env],
      ['baseline', ['baseline', '--output', join(tempDir(), 'b.json')], env],
      ['scan (in a hook)', ['scan'], { ...env, GIT_INDEX_FILE: join(repo.dir, '.git', 'index') }],
    ];
    for (const [label, args, e] of runs) {
      const r = runCli(args, repo.dir, { env: e });
      expectFailClosed(r, label, 'git was not found on PATH', /fix: install git/);
    }
  });

  it('tree scan: never a clean pass without git (it may read every file instead, or refuse)', () => {
    const { repo, keys } = fixture();
    const r = runCli(['scan', '.', '--format', 'json'], repo.dir, { env: noGit() });
    expect(r.status, show(r)).not.toBe(0);
    if (r.status === 2) expectFailClosed(r, 'tree scan', 'git was not found on PATH');
    else {
      expect(r.status, show(r)).toBe(1);
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
    }
    expectNoKey(r, keys.staged);
  });
});

describe('2. corrupt and missing objects', () => {
  it('--staged: a new file whose blob is corrupt (header readable, content not), garbage, or missing', () => {
    for (const damage of [corruptObject, garbageObject, removeObject]) {
      const { repo, keys } = fixture();
      const sha = repo.git('rev-parse', ':a-new.js').trim();
      damage(repo, sha);
      for (const args of [['scan', '--staged'], ['scan', '--staged', '--full', '--format', 'json']]) {
        const r = repo.keyguard(args);
        expectFailClosed(r, `${damage.name}: ${args.join(' ')}`, sha, 'git fsck');
        expectNoKey(r, keys.staged);
      }
    }
  });

  it('--staged: a modified file whose staged blob is missing or corrupt (git diff reads it) is exit 2', () => {
    for (const damage of [corruptObject, removeObject]) {
      const { repo } = fixture();
      // The working tree differs from the index, so git cannot reuse the file on disk for the blob.
      writeFileSync(join(repo.dir, 'big.txt'), 'changed after staging\n');
      const sha = repo.git('rev-parse', ':big.txt').trim();
      damage(repo, sha);
      expectFailClosed(repo.keyguard(['scan', '--staged']), `${damage.name}: staged blob`, sha);
    }
  });

  it('--staged: the HEAD side of a modified file is corrupt: exit 2, naming the object', () => {
    const { repo } = fixture();
    const sha = repo.git('rev-parse', 'HEAD:big.txt').trim();
    corruptObject(repo, sha);
    expectFailClosed(repo.keyguard(['scan', '--staged']), 'HEAD blob corrupt', sha);
  });

  it('--range and --all: a blob in a scanned commit is corrupt or missing', () => {
    for (const damage of [corruptObject, removeObject]) {
      const { repo, head, range } = fixture();
      const sha = repo.git('rev-parse', `${head}:config/key.js`).trim();
      damage(repo, sha);
      for (const args of [['scan', '--range', range], ['scan', '--all', '--format', 'sarif']]) {
        expectFailClosed(repo.keyguard(args), `${damage.name}: ${args.join(' ')}`, sha);
      }
    }
  });

  it('--range: a -diff (binary) blob is missing: exit 2, in the words of a history scan', () => {
    const { repo, head, range } = fixture();
    const sha = repo.git('rev-parse', `${head}:notes.dat`).trim();
    removeObject(repo, sha);
    const r = repo.keyguard(['scan', '--range', range]);
    expectFailClosed(r, 'missing binary blob', sha);
    expectHistoryWording(r);
  });

  it('tree scan reads the working tree, not the object store: a corrupt object does not hide the file', () => {
    const { repo } = fixture();
    garbageObject(repo, repo.git('rev-parse', ':a-new.js').trim());
    const r = repo.keyguard(['scan', '.', '--format', 'json']);
    expect(r.status, show(r)).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path)).toContain('a-new.js');
  });
});

describe('3. permission denied', () => {
  const asRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync('setpriv', ['--version']).error === undefined;
  const NOBODY = 65534;

  /** The CLI as an unprivileged user when we are root (root reads everything); ourselves otherwise. */
  function runUnprivileged(args: string[], cwd: string, env: NodeJS.ProcessEnv): CliResult {
    const [cmd, argv] = asRoot
      ? ['setpriv', ['--reuid=' + NOBODY, '--regid=' + NOBODY, '--clear-groups', process.execPath, CLI, ...args]]
      : [process.execPath, [CLI, ...args]];
    const r = spawnSync(cmd, argv, { cwd, env: { ...env, HOME: cwd }, input: '', encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Whether the user the CLI runs as really cannot read `file` (chmod 000 means nothing to root). */
  function unreadable(file: string): boolean {
    const argv = asRoot ? ['setpriv', '--reuid=' + NOBODY, '--regid=' + NOBODY, '--clear-groups', 'cat', file] : ['cat', file];
    return spawnSync(argv[0] as string, argv.slice(1)).status !== 0;
  }

  /** A tree the unprivileged user owns (git refuses a repository owned by someone else), with `file` locked. */
  function lock(dir: string, file: string): void {
    if (asRoot) spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
    chmodSync(dir, 0o755);
    if (asRoot) chownSync(join(dir, file), 0, 0);
    chmodSync(join(dir, file), 0o000);
  }

  const cases = [
    { name: 'a file named on the command line (inside a repository)', inRepo: true, args: ['scan', 'secret.env'] },
    { name: 'an untracked file found by walking the repository', inRepo: true, args: ['scan', '.'] },
    { name: 'a file found by walking a directory outside any repository', inRepo: false, args: ['scan', '.'] },
    { name: 'a file named on the command line, outside any repository', inRepo: false, args: ['scan', 'ok.txt', 'secret.env'] },
  ];
  it.for(cases)('tree scan: $name is exit 2, naming the file and the chmod that fixes it', ({ inRepo, args }, ctx) => {
    ctx.skip(asRoot && !hasSetpriv, 'running as root (which ignores file permissions) and `setpriv` was not found to drop privileges');
    const repo = inRepo ? createRepo() : undefined;
    const dir = repo?.dir ?? tempDir();
    const env = repo ? cleanEnv() : cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(dir) });
    writeFileSync(join(dir, 'ok.txt'), 'fine\n');
    writeFileSync(join(dir, 'secret.env'), `OPENAI_API_KEY=${genKey('proj')}\n`);
    lock(dir, 'secret.env');
    ctx.skip(!unreadable(join(dir, 'secret.env')), 'chmod 000 does not stop this user from reading the file');
    // Sanity: the same user can scan the readable file.
    const readable = runUnprivileged(['scan', 'ok.txt'], dir, env);
    expect(readable.status, show(readable)).toBe(0);
    const r = runUnprivileged(args, dir, env);
    expectFailClosed(r, args.join(' '), 'secret.env could not be read', 'EACCES', 'chmod u+r');
  });

  it('--staged does not read the working tree: an unreadable staged file is still scanned from the index', (ctx) => {
    ctx.skip(asRoot && !hasSetpriv, 'running as root and `setpriv` was not found');
    const repo = createRepo({ 'secret.env': `OPENAI_API_KEY=${genKey('proj')}\n` });
    repo.git('add', '-A');
    lock(repo.dir, 'secret.env');
    ctx.skip(!unreadable(join(repo.dir, 'secret.env')), 'chmod 000 does not stop this user');
    const r = runUnprivileged(['scan', '--staged'], repo.dir, cleanEnv());
    expect(r.status, show(r)).toBe(1);
  });
});

// ------------------------------------------------------------------------------------------------

/** The CLI with a fault-injecting git first on PATH; the fault must have fired. */
function withFault(fx: Fixture, command: string, mode: FaultMode, bytes: number, args: string[], cwd = fx.repo.dir): CliResult {
  const fault = faultGit(command, mode, bytes);
  const r = runCli(args, cwd, { env: cleanEnv({ PATH: fault.path }) });
  expect(readFileSync(fault.firedLog, 'utf8'), `the ${command} fault never fired: ${args.join(' ')}\n${show(r)}`).not.toBe('');
  return r;
}

/** Byte offsets into the `git cat-file --batch` answer for `shas`: inside the first header, inside its content, right after it. */
function catFileCuts(repo: Repo, shas: string[]): number[] {
  const first = shas[0] as string;
  const size = Number(repo.git('cat-file', '-s', first).trim());
  const header = `${first} blob ${size}\n`.length;
  return [0, 20, header + Math.floor(size / 2), header + size + 1];
}

describe('4. git cat-file --batch dies mid-stream, or exits 0 after truncated output', () => {
  let fx: Fixture;
  beforeAll(() => {
    fx = fixture();
  });

  it('--staged and --staged --full: every cut, killed or exit 0, is exit 2 "stopped before returning every staged blob"', () => {
    const shas = ['a-new.js', 'b-new.js'].map((p) => fx.repo.git('rev-parse', `:${p}`).trim());
    for (const mode of ['die', 'truncate-ok'] as const) {
      for (const [i, bytes] of catFileCuts(fx.repo, shas).entries()) {
        // Alternate the two ways staged blobs are read (new files in added-lines mode; --full).
        const args = (i + (mode === 'die' ? 0 : 1)) % 2 === 0 ? ['scan', '--staged'] : ['scan', '--staged', '--full', '--format', 'json'];
        const r = withFault(fx, 'cat-file', mode, bytes, args);
        expectFailClosed(r, `cat-file ${mode} after ${bytes} B: ${args.join(' ')}`, 'git cat-file stopped before returning every staged blob', 'git fsck');
        expectNoKey(r, fx.keys.staged);
      }
    }
  });

  it('--range and --all: the binary (-diff) blob read after the log; killed or exit 0 is exit 2', () => {
    const sha = fx.repo.git('rev-parse', `${fx.head}:notes.dat`).trim();
    const mid = catFileCuts(fx.repo, [sha])[2] as number;
    const runs: [FaultMode, number, string[]][] = [
      ['die', 0, ['scan', '--range', fx.range]],
      ['die', mid, ['scan', '--all', '--format', 'json']],
      ['truncate-ok', 0, ['scan', '--all', '--format', 'json']],
      ['truncate-ok', mid, ['scan', '--range', fx.range]],
    ];
    for (const [mode, bytes, args] of runs) {
      const r = withFault(fx, 'cat-file', mode, bytes, args);
      expectFailClosed(r, `cat-file ${mode} after ${bytes} B: ${args.join(' ')}`, /git cat-file stopped before returning every/);
      expectHistoryWording(r);
    }
  });
});

describe('5. git diff / git log / git ls-files die mid-stream', () => {
  let fx: Fixture;
  beforeAll(() => {
    fx = fixture();
  });

  it('--staged: git diff killed (at the start and mid-patch) or failing is exit 2 naming git diff', () => {
    for (const [mode, bytes] of [['die', 0], ['die', 120], ['exit-nonzero', 120]] as const) {
      const r = withFault(fx, 'diff', mode, bytes, ['scan', '--staged']);
      expectFailClosed(r, `diff ${mode} ${bytes}`, /`git diff --cached[^`]*` failed \((exit 128|killed by SIGKILL)\)/);
    }
  });

  it('--range and --all: git log killed (at the start and mid-stream) or failing is exit 2 naming git log', () => {
    for (const [mode, bytes] of [['die', 0], ['die', 400], ['exit-nonzero', 400]] as const) {
      for (const args of [['scan', '--range', fx.range], ['scan', '--all', '--format', 'junit']]) {
        const r = withFault(fx, 'log', mode, bytes, args);
        expectFailClosed(r, `log ${mode} ${bytes}: ${args.join(' ')}`, /`git log -p` failed \((exit 128|killed by SIGKILL)\)/);
        expectNoKey(r, fx.keys.history);
      }
    }
  });

  it('tree scan: git ls-files killed or failing is exit 2 naming git ls-files', () => {
    for (const [mode, bytes] of [['die', 0], ['die', 10], ['exit-nonzero', 10]] as const) {
      const r = withFault(fx, 'ls-files', mode, bytes, ['scan', '.']);
      expectFailClosed(r, `ls-files ${mode} ${bytes}`, /`git ls-files` failed/);
    }
  });

  it('git rev-parse --show-toplevel killed: the top-level config is not silently dropped (from a subdirectory)', () => {
    // A config at the top level with a custom rule; the token it finds sits in a subdirectory.
    const repo = createRepo({ 'README.md': '# x\n' });
    repo.write('keyguard.config.mjs', customRuleConfig());
    const token = `acme_${genKey('legacy').slice(3, 35)}`;
    repo.write('sub/deploy.txt', `token = ${token}\n`);
    repo.git('add', '-A');
    const sub = join(repo.dir, 'sub');
    // Without a fault: found, from the subdirectory, in both sources.
    for (const args of [['scan', '.'], ['scan', '--staged']]) expect(repo.keyguard(args, { cwd: sub }).status, args.join(' ')).toBe(1);
    for (const args of [['scan', '.'], ['scan', '--staged']]) {
      const fault = faultGit('rev-parse', 'die', 0);
      const r = runCli(args, sub, { env: cleanEnv({ PATH: fault.path }) });
      // Either the token is still found (the config applied) or the run stops with exit 2; never a pass.
      expect.soft(r.status, show(r, `rev-parse killed: ${args.join(' ')}`)).not.toBe(0);
      expect.soft(r.stdout + r.stderr, show(r)).not.toMatch(/no secrets found/);
    }
  });
});

// ------------------------------------------------------------------------------------------------

/** A JavaScript config with one custom rule (acme_ + 32 alphanumerics); `positive` is its example. */
function customRuleConfig(positive = 'token = acme_{alnum:32}'): string {
  return `export default {
  customRules: [{
    id: 'acme-token',
    title: 'ACME deploy token',
    severity: 'error',
    keywords: ['acme_'],
    pattern: /acme_[A-Za-z0-9]{32}/,
    examples: {
      positive: [${JSON.stringify(positive)}],
      negative: [{ text: 'token = acme_short', reason: 'too short to be a token' }],
    },
  }],
};
`;
}

describe('6. a config that throws, in every source', () => {
  const marker = () => join(tempDir(), 'called');
  const configs: { name: string; file: string; body: (m: string) => string; mentions: (string | RegExp)[] }[] = [
    { name: 'throws at import (.mjs)', file: 'keyguard.config.mjs', body: () => "throw new Error('config exploded on purpose');\nexport default {};\n", mentions: ['keyguard.config.mjs could not be loaded', 'config exploded on purpose'] },
    {
      name: 'default export is a function that throws (never called: a config is data)',
      file: 'keyguard.config.mjs',
      body: (m) => `import { writeFileSync } from 'node:fs';\nexport default function config() {\n  writeFileSync(${JSON.stringify(m)}, 'called');\n  throw new Error('config function exploded');\n}\n`,
      mentions: ['keyguard.config.mjs is not a valid keyguard config', 'found a function'],
    },
    { name: 'a syntax error (.mjs)', file: 'keyguard.config.mjs', body: () => "export default { failOn: 'warning', ;\n", mentions: ['keyguard.config.mjs could not be loaded', /Unexpected token/] },
    { name: 'a default export that is a rejected promise', file: 'keyguard.config.mjs', body: () => "export default Promise.reject(new Error('async config exploded'));\n", mentions: ['could not be loaded', 'async config exploded'] },
    { name: 'a getter that throws while the config is read', file: 'keyguard.config.mjs', body: () => "export default { get rules() { throw new Error('getter exploded'); } };\n", mentions: ['could not be loaded', 'getter exploded'] },
    { name: 'throws a string, not an Error', file: 'keyguard.config.cjs', body: () => "throw 'a thrown string';\n", mentions: ['could not be loaded', 'a thrown string'] },
  ];

  it.each(configs)('$name: exit 2 in --staged, tree scan and --range', ({ file, body, mentions }) => {
    const { repo, range } = fixture();
    const m = marker();
    repo.write(file, body(m));
    for (const args of [['scan', '--staged'], ['scan', '.'], ['scan', '--range', range, '--format', 'json']]) {
      expectFailClosed(repo.keyguard(args), `${file}: ${args.join(' ')}`, ...mentions);
    }
    expect(existsSync(m), 'the exported function was called').toBe(false);
  });
});

describe('7. a custom rule whose own example fails', () => {
  it('a JavaScript config (RegExp pattern) whose positive example is not found: exit 2 in every source, and doctor fails the config check', () => {
    const { repo, range } = fixture();
    // The example holds lower-case hex only 16 long: the pattern wants 32 characters.
    repo.write('keyguard.config.mjs', customRuleConfig('token = acme_{hex:16}'));
    for (const args of [['scan', '--staged'], ['scan', '.'], ['scan', '--range', range], ['scan', '--all'], ['baseline', '--output', join(tempDir(), 'b.json')]]) {
      expectFailClosed(repo.keyguard(args), args.join(' '), 'keyguard.config.mjs is not a valid keyguard config', 'customRules[0].examples.positive[0]', 'expected an example the rule finds');
    }
    const doctor = repo.keyguard(['doctor', '--json']);
    expect(doctor.status, show(doctor)).toBe(1);
    const config = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }).checks.find((c) => c.id === 'config');
    expect(config?.status, show(doctor)).toBe('fail');
  });

  it('a negative example the rule finds: exit 2 in tree scan and --range too', () => {
    const { repo, range } = fixture();
    repo.write(
      'keyguard.config.mjs',
      customRuleConfig().replace("{ text: 'token = acme_short', reason: 'too short to be a token' }", "{ text: 'token = acme_{alnum:32}', reason: 'not really negative' }"),
    );
    for (const args of [['scan', '.'], ['scan', '--range', range]]) {
      expectFailClosed(repo.keyguard(args), args.join(' '), 'customRules[0].examples.negative[0]', 'expected an example the rule does not find');
    }
  });
});
