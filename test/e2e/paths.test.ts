/**
 * `keyguard scan <paths…>` end to end: which files a directory walk reads inside and outside a
 * repository, what it skips and how it counts them. Real git, real files, no mocks.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createRepo, runCli, tempDir, type CliResult } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

interface Report {
  findings: { path: string; line: number; column: number; keyType?: string }[];
  stats: {
    source: string;
    files: number;
    bytes: number;
    skipped: Record<string, number>;
    skippedFiles: { path: string; reason: string }[];
  };
}

const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function report(r: CliResult, status: number): Report {
  expect(r.status, show(r)).toBe(status);
  return JSON.parse(r.stdout) as Report;
}

const paths = (rep: Report) => rep.findings.map((f) => f.path).sort();

/** A directory that is not inside any repository (git stops looking above it). */
function plainDir(): { dir: string; env: NodeJS.ProcessEnv; write(path: string, content: string | Buffer): void } {
  const dir = tempDir();
  return {
    dir,
    env: cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(dir) }),
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
  };
}

const keyLine = () => `OPENAI_API_KEY=${genKey('proj')}\n`;

describe('inside a repository a directory is walked the way git sees it', () => {
  it('a directory git ignores is scanned whole when it is named on the command line', () => {
    const repo = createRepo({ '.gitignore': 'build/\n', 'build/out/bundle.js': keyLine(), 'src/app.js': 'ok\n' });
    const whole = report(repo.keyguard(['scan', '--format', 'json']), 0);
    expect(whole.stats.files).toBe(2); // .gitignore and src/app.js: build/ is ignored in a tree scan
    const named = report(repo.keyguard(['scan', 'build', '--format', 'json']), 1);
    expect(paths(named)).toEqual(['build/out/bundle.js']);
  });

  it('honours .gitignore, nested .gitignore and .git/info/exclude; scans tracked and untracked files', () => {
    const repo = createRepo({
      '.gitignore': 'ignored.env\nbuild/\n',
      'ignored.env': keyLine(),
      'build/bundle.js': keyLine(),
      'pkg/.gitignore': 'local.env\n',
      'pkg/local.env': keyLine(),
      'pkg/deep/local.env': keyLine(), // the nested .gitignore pattern has no slash, so it applies below pkg/ too
      'excluded.env': keyLine(),
      'tracked.env': keyLine(),
      'pkg/tracked-too.js': keyLine(),
      'untracked.env': keyLine(),
      'pkg/untracked.js': keyLine(),
    });
    repo.write('.git/info/exclude', 'excluded.env\n');
    repo.git('add', 'tracked.env', 'pkg/tracked-too.js', '.gitignore', 'pkg/.gitignore');
    repo.git('commit', '-q', '-m', 'tracked');
    // A file that is tracked and later matched by .gitignore is still tracked: git commits its changes.
    repo.write('force.env', keyLine());
    repo.git('add', 'force.env');
    repo.write('.gitignore', 'ignored.env\nbuild/\nforce.env\n');

    const rep = report(repo.keyguard(['scan', '.', '--format', 'json']), 1);
    expect(paths(rep)).toEqual(['force.env', 'pkg/tracked-too.js', 'pkg/untracked.js', 'tracked.env', 'untracked.env']);
    expect(rep.stats.source).toBe('paths');

    // The same from a subdirectory, with paths shown relative to where keyguard runs.
    const sub = report(repo.keyguard(['scan', '.', '--format', 'json'], { cwd: join(repo.dir, 'pkg') }), 1);
    expect(paths(sub)).toEqual(['tracked-too.js', 'untracked.js']);
    const fromRoot = report(repo.keyguard(['scan', 'pkg', '--format', 'json']), 1);
    expect(paths(fromRoot)).toEqual(['pkg/tracked-too.js', 'pkg/untracked.js']);
  });

  it('a file named on the command line is scanned even when ignored', () => {
    const repo = createRepo({
      '.gitignore': 'ignored.env\nsecrets/\n',
      'ignored.env': keyLine(),
      'secrets/prod.env': keyLine(),
      'excluded.env': keyLine(),
    });
    repo.write('.git/info/exclude', 'excluded.env\n');
    const walk = report(repo.keyguard(['scan', '.', '--format', 'json']), 0);
    expect(walk.findings).toEqual([]);
    const named = report(repo.keyguard(['scan', 'ignored.env', 'secrets/prod.env', 'excluded.env', '--format', 'json']), 1);
    expect(paths(named)).toEqual(['excluded.env', 'ignored.env', 'secrets/prod.env']);
    const pretty = repo.keyguard(['scan', 'ignored.env']);
    expect(pretty.status, show(pretty)).toBe(1);
    expect(pretty.stdout).toContain('ignored.env:1:16');
  });

  it('a tracked file deleted from the working tree is skipped as deleted-in-worktree, not an error', () => {
    const repo = createRepo({ 'kept.txt': 'hello\n', 'gone.txt': 'bye\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'two files');
    rmSync(join(repo.dir, 'gone.txt'));
    const rep = report(repo.keyguard(['scan', '.', '--format', 'json']), 0);
    expect(rep.stats.skipped).toEqual({ 'deleted-in-worktree': 1 });
    expect(rep.stats.skippedFiles).toEqual([{ path: 'gone.txt', reason: 'deleted-in-worktree' }]);
    expect(rep.stats.files).toBe(1);
    const pretty = repo.keyguard(['scan', '.']);
    expect(pretty.status, show(pretty)).toBe(0);
    expect(pretty.stdout).toContain('deleted-in-worktree: 1');
    expect(pretty.stderr).toBe('');
  });

  it('a tracked symlink is skipped and counted, never followed', () => {
    const outside = plainDir();
    outside.write('secret.env', keyLine());
    const repo = createRepo({ 'a.txt': 'hello\n' });
    symlinkSync(join(outside.dir, 'secret.env'), join(repo.dir, 'link.env'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'link');
    const rep = report(repo.keyguard(['scan', '.', '--format', 'json']), 0);
    expect(rep.findings).toEqual([]);
    expect(rep.stats.skippedFiles).toEqual([{ path: 'link.env', reason: 'symlink' }]);
    // Named explicitly, the link is read as what it points at: the user asked for that file.
    const named = report(repo.keyguard(['scan', 'link.env', '--format', 'json']), 1);
    expect(paths(named)).toEqual(['link.env']);
  });
});

describe('outside any repository every file below the directory is read', () => {
  it('finds keys in nested and dot files, skips .git folders, never follows symlinks', () => {
    const tree = plainDir();
    const outside = plainDir();
    outside.write('elsewhere.env', keyLine());
    outside.write('dir/inner.env', keyLine());
    tree.write('a/b/c/deep.js', keyLine());
    tree.write('.env', keyLine());
    tree.write('.config/.hidden/settings.json', keyLine());
    tree.write('plain.txt', 'nothing\n');
    tree.write('.git/config', keyLine()); // a stray .git folder (not a repository)
    tree.write('vendor/lib/.git/packed-refs', keyLine());
    symlinkSync(join(outside.dir, 'elsewhere.env'), join(tree.dir, 'link.env'));
    symlinkSync(join(outside.dir, 'dir'), join(tree.dir, 'linkdir'));

    const rep = report(runCli(['scan', '.', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(paths(rep)).toEqual(['.config/.hidden/settings.json', '.env', 'a/b/c/deep.js']);
    expect(rep.stats.files).toBe(4);
    expect(rep.stats.skipped).toEqual({ symlink: 2 });
    expect(rep.stats.skippedFiles).toEqual([
      { path: 'link.env', reason: 'symlink' },
      { path: 'linkdir', reason: 'symlink' },
    ]);
    // A symlink named on the command line is read as what it points at.
    const named = report(runCli(['scan', 'link.env', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(paths(named)).toEqual(['link.env']);
    // Pretty output says what was skipped.
    const pretty = runCli(['scan', '.'], tree.dir, { env: tree.env });
    expect(pretty.stdout).toMatch(/2 skipped \(symlink: 2\)/);
  });

  it('a FIFO inside the tree is skipped as not-a-file without waiting for a writer', () => {
    const tree = plainDir();
    tree.write('ok.txt', 'fine\n');
    expect(spawnSync('mkfifo', [join(tree.dir, 'pipe')]).status).toBe(0);
    const rep = report(runCli(['scan', '.', '--format', 'json'], tree.dir, { env: tree.env }), 0);
    expect(rep.stats.skippedFiles).toEqual([{ path: 'pipe', reason: 'not-a-file' }]);
  });

  it('a pipe named on the command line (process substitution, /dev/stdin) is read', () => {
    const tree = plainDir();
    const key = genKey('admin');
    const sub = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan <(printf 'K=%s\\n' "$KEY")`], {
      cwd: tree.dir,
      env: { ...tree.env, KEY: key },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(sub.status, sub.stdout + sub.stderr).toBe(1);
    const viaStdin = spawnSync('bash', ['-c', `printf 'K=%s\\n' "$KEY" | "${process.execPath}" "${CLI}" scan /dev/stdin`], {
      cwd: tree.dir,
      env: { ...tree.env, KEY: key },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(viaStdin.status, viaStdin.stdout + viaStdin.stderr).toBe(1);
    expect(sub.stdout + viaStdin.stdout).not.toContain(key);
  });

  it('binary files are skipped and counted', () => {
    const tree = plainDir();
    tree.write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]), Buffer.from(keyLine())]));
    tree.write('ok.txt', 'fine\n');
    const rep = report(runCli(['scan', '.', '--format', 'json'], tree.dir, { env: tree.env }), 0);
    expect(rep.stats.skippedFiles).toEqual([{ path: 'image.png', reason: 'binary' }]);
    expect(rep.stats.files).toBe(1);
  });
});

describe('defaults and stats', () => {
  it('with no source and outside a hook, scan reads the current directory', () => {
    const repo = createRepo({ 'src/app.js': `const key = "${genKey('legacy')}";\n`, 'README.md': '# hi\n' });
    const rep = report(repo.keyguard(['scan', '--format', 'json']), 1);
    expect(rep.stats.source).toBe('paths');
    expect(paths(rep)).toEqual(['src/app.js']);
    // Same outside a repository, and from a subdirectory only that subdirectory is read.
    const tree = plainDir();
    tree.write('one/key.env', keyLine());
    tree.write('two/key.env', keyLine());
    const all = report(runCli(['scan', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(paths(all)).toEqual(['one/key.env', 'two/key.env']);
    const one = report(runCli(['scan', '--format', 'json'], join(tree.dir, 'one'), { env: tree.env }), 1);
    expect(paths(one)).toEqual(['key.env']);
  });

  it('stats.files and stats.bytes match what was scanned', () => {
    const contents: Record<string, string> = {
      'a.txt': 'hello\n',
      'nested/b.js': `const k = "${genKey('proj-58')}";\n`,
      'nested/deeper/c.md': 'é ü — multibyte text\n',
      '.d': '',
    };
    const tree = plainDir();
    for (const [p, c] of Object.entries(contents)) tree.write(p, c);
    tree.write('skipped.bin', Buffer.from([1, 2, 0, 3]));
    const expectedBytes = Object.keys(contents).reduce((n, p) => n + statSync(join(tree.dir, p)).size, 0);
    const rep = report(runCli(['scan', '.', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(rep.stats.files).toBe(Object.keys(contents).length);
    expect(rep.stats.bytes).toBe(expectedBytes);
    expect(rep.stats.skipped).toEqual({ binary: 1 });

    // Inside a repository: every file git lists (here including .gitignore), none it ignores.
    const repo = createRepo({ ...contents, '.gitignore': 'ignored/\n', 'ignored/big.txt': 'x'.repeat(5000) });
    const inRepo = report(repo.keyguard(['scan', '.', '--format', 'json']), 1);
    expect(inRepo.stats.files).toBe(Object.keys(contents).length + 1);
    expect(inRepo.stats.bytes).toBe(expectedBytes + statSync(join(repo.dir, '.gitignore')).size);

    // Named files: exactly those files.
    const named = report(runCli(['scan', 'a.txt', 'nested/b.js', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(named.stats.files).toBe(2);
    expect(named.stats.bytes).toBe(Buffer.byteLength(contents['a.txt']!) + Buffer.byteLength(contents['nested/b.js']!));
  });
});

describe('fail closed: a walked directory keyguard cannot read is exit 2, never a clean pass', () => {
  const asRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync('setpriv', ['--version']).error === undefined;
  const NOBODY = 65534;
  const reason = 'running as root (which ignores file permissions) and `setpriv` was not found on PATH to drop privileges';

  /** Runs the CLI as an unprivileged user when we are root (root reads everything). */
  function runUnprivileged(args: string[], cwd: string, env: NodeJS.ProcessEnv): CliResult {
    const [cmd, argv] = asRoot
      ? ['setpriv', ['--reuid=' + NOBODY, '--regid=' + NOBODY, '--clear-groups', process.execPath, CLI, ...args]]
      : [process.execPath, [CLI, ...args]];
    const r = spawnSync(cmd, argv, { cwd, env: { ...env, HOME: cwd }, input: '', encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Makes `dir` (recursively) belong to the unprivileged user, so git does not refuse a repository it does not own. */
  function giveAway(dir: string): void {
    if (!asRoot) return;
    chmodSync(dir, 0o755);
    spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
  }

  it('outside a repository: an unreadable subdirectory', (ctx) => {
    ctx.skip(asRoot && !hasSetpriv, reason);
    const tree = plainDir();
    tree.write('ok.txt', 'fine\n');
    tree.write('private/prod.env', keyLine());
    giveAway(tree.dir);
    if (asRoot) chownSync(join(tree.dir, 'private'), 0, 0);
    chmodSync(join(tree.dir, 'private'), 0o700);
    const r = runUnprivileged(['scan', '.'], tree.dir, tree.env);
    expect(r.status, show(r)).toBe(2);
    expect(r.stderr).toContain('private');
    expect(r.stderr).toMatch(/^\s*fix: /m);
  });

  it('inside a repository: an unreadable tracked file found by the walk', (ctx) => {
    ctx.skip(asRoot && !hasSetpriv, reason);
    const repo = createRepo({ 'ok.txt': 'fine\n', 'prod.env': keyLine() });
    repo.git('add', '-A');
    giveAway(repo.dir);
    if (asRoot) chownSync(join(repo.dir, 'prod.env'), 0, 0);
    chmodSync(join(repo.dir, 'prod.env'), 0o600);
    const r = runUnprivileged(['scan', '.'], repo.dir, cleanEnv());
    expect(r.status, show(r)).toBe(2);
    expect(r.stderr).toContain('prod.env');
  });

  it('inside a repository: tracked files in a subdirectory that cannot be entered', (ctx) => {
    ctx.skip(asRoot && !hasSetpriv, reason);
    const repo = createRepo({ 'ok.txt': 'fine\n', 'private/prod.env': keyLine() });
    repo.git('add', '-A');
    giveAway(repo.dir);
    if (asRoot) chownSync(join(repo.dir, 'private'), 0, 0);
    chmodSync(join(repo.dir, 'private'), 0o700);
    // The file is there; it could not be checked. That is not "deleted-in-worktree".
    const r = runUnprivileged(['scan', '.'], repo.dir, cleanEnv());
    expect(r.status, show(r)).toBe(2);
    // git itself reports the directory it could not open; naming it is enough to act on.
    expect(r.stderr).toMatch(/private\/?(prod\.env)? could not be read/);
    expect(r.stderr).not.toContain('deleted-in-worktree');
  });

  it('inside a repository: an unreadable untracked subdirectory', (ctx) => {
    ctx.skip(asRoot && !hasSetpriv, reason);
    const repo = createRepo({ 'ok.txt': 'fine\n', 'private/prod.env': keyLine() });
    giveAway(repo.dir);
    if (asRoot) chownSync(join(repo.dir, 'private'), 0, 0);
    chmodSync(join(repo.dir, 'private'), 0o700);
    // Sanity: the unprivileged user can scan this repository at all.
    const readable = runUnprivileged(['scan', 'ok.txt'], repo.dir, cleanEnv());
    expect(readable.status, show(readable)).toBe(0);
    // git ls-files only warns ("could not open directory 'private/'") and exits 0; keyguard must not
    // then report the tree as clean: the key in private/prod.env was never read.
    const r = runUnprivileged(['scan', '.'], repo.dir, cleanEnv());
    expect(r.status, show(r)).toBe(2);
    expect(r.stderr).toContain('private');
  });
});

describe('overlapping paths', () => {
  it('a file reached twice (named and inside a named directory) is scanned and reported once', () => {
    const tree = plainDir();
    tree.write('app/key.env', keyLine());
    tree.write('app/other.txt', 'hello\n');
    const rep = report(runCli(['scan', 'app', 'app/key.env', './app/key.env', '--format', 'json'], tree.dir, { env: tree.env }), 1);
    expect(rep.findings).toHaveLength(1);
    expect(rep.stats.files).toBe(2);
    expect(rep.stats.bytes).toBe(statSync(join(tree.dir, 'app/key.env')).size + 6);
  });
});
