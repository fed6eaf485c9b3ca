import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, createRepo, installHook, runCli, tempDir, type CliResult, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

/**
 * The git-state matrix (issue 8, item 3): `keyguard scan --staged` (and, where the state makes
 * them interesting, tree scans and `--range` / `--all` history scans) in every state a real
 * repository can be in while someone commits. Real git in temporary repositories, never a mock.
 *
 * Every scenario checks the exit code, the exact path:line:column of each finding in
 * `--format json`, and that the raw key never reaches stdout or stderr. A few go through a real
 * `git commit` (or `cherry-pick --continue`) with the pre-commit hook installed.
 *
 * Keys are generated at test time (genKey): this file holds no key-shaped literal.
 */

// ---------------------------------------------------------------------------------------------
// Helpers

type GitResult = { status: number | null; stdout: string; stderr: string };

const show = (r: GitResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** `const apiKey = "` is 16 characters: the key starts at column 17. */
const keyLine = (key: string) => `const apiKey = "${key}";`;
const COL = 17;

/** The preview keyguard prints in place of a key: its known prefix, an ellipsis, the last four. */
const previewOf = (key: string) => `${/^sk-(?:proj|svcacct|service|admin|None)-|^sk-/.exec(key)?.[0] ?? ''}…${key.slice(-4)}`;

/** A key must never be echoed back, not even its secret half. */
function expectNoLeak(r: GitResult, ...keys: string[]): void {
  for (const key of keys) {
    for (const stream of [r.stdout, r.stderr]) {
      expect(stream).not.toContain(key);
      expect(stream).not.toContain(key.slice(-24));
    }
  }
}

interface Run {
  result: CliResult;
  report: JsonReport;
}

/** `keyguard scan --format json <args>` in `cwd`; the format goes first so that `--` may end args. */
function scan(cwd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Run {
  const result = runCli(['scan', '--format', 'json', ...args], cwd, { env });
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`keyguard scan ${args.join(' ')} did not print JSON in ${cwd}\n${show(result)}`);
  }
  return { result, report };
}

const locs = (run: Run) => run.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`).sort();

/** Exit code, the sorted path:line:column of every finding, and no key in any stream. */
function expectScan(run: Run, status: number, expected: string[], ...keys: string[]): void {
  expect(run.result.status, show(run.result)).toBe(status);
  expect(locs(run), show(run.result)).toEqual([...expected].sort());
  expectNoLeak(run.result, ...keys);
}

/** git in any directory, with the tests' clean environment plus `extra`. */
function gitIn(cwd: string, extra: NodeJS.ProcessEnv = {}): { (...args: string[]): string; try(...args: string[]): GitResult } {
  const env = cleanEnv(extra);
  const run = (...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });
  run.try = (...args: string[]): GitResult => {
    const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return run;
}

const head = (cwd: string, extra: NodeJS.ProcessEnv = {}): string | undefined => {
  const r = gitIn(cwd, extra).try('rev-parse', '--verify', '-q', 'HEAD');
  return r.status === 0 ? r.stdout.trim() : undefined;
};

function commitAll(repo: Repo, message = 'base'): string {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD').trim();
}

/** A repository at an exact path (createRepo always picks its own), for paths with spaces and the like. */
function repoAt(dir: string): Repo {
  mkdirSync(dir, { recursive: true });
  const git = gitIn(dir);
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    tryGit: git.try,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    keyguard: (args, options = {}) => runCli(args, dir, options),
  };
}

/** A commit through the installed pre-commit hook that keyguard must stop. */
function expectBlocked(r: GitResult, where: string[], ...keys: string[]): void {
  expect(r.status, show(r)).not.toBe(0);
  const out = `${r.stdout}${r.stderr}`;
  for (const loc of where) expect(out, show(r)).toContain(`${loc}  error  openai-api-key`);
  for (const key of keys) expect(out).toContain(previewOf(key));
  expect(out).toMatch(/✖ keyguard: \d+ secrets? found/);
  expectNoLeak(r, ...keys);
}

/** A commit through the installed pre-commit hook that keyguard lets through. */
function expectAllowed(r: GitResult, ...keys: string[]): void {
  expect(r.status, show(r)).toBe(0);
  expect(`${r.stdout}${r.stderr}`).toMatch(/✔ keyguard: no secrets found in \d+ staged files?/);
  expectNoLeak(r, ...keys);
}

/**
 * A conflicted path (index stages 1-3, no stage 0) is not part of any commit yet, but it is part of
 * the staged change the user is looking at: a staged scan must either read it (and report the
 * key that arrives through it) or name it as skipped. Leaving it out of both, and saying "no secrets
 * found in N staged files", is a clean verdict for something that was not read.
 */
// Fails against keyguard 0.1.0: readStaged() (src/sources/staged.ts) drops `U` entries of the raw
// listing with a bare `continue`, no skip event, so the summary counts only the merged files.
function expectUnmergedAccounted(run: Run, path: string): void {
  const reported = run.report.findings.some((f) => f.path === path);
  const skipped = run.report.stats.skippedFiles.some((s) => s.path === path);
  expect.soft(reported || skipped, `the unmerged path ${path} is neither scanned nor listed as skipped\n${show(run.result)}`).toBe(true);
}

const conf = (mode: string, ...extra: string[]) => ['const a = 1;', `const mode = "${mode}";`, ...extra, 'const c = 3;', ''].join('\n');

/**
 * main and `feature` both change line 2 of conf.js from a common base: merging, rebasing or
 * cherry-picking one onto the other stops on a conflict there. The hook is installed afterwards.
 */
function conflictingBranches(featureLine2: string, featureFiles: Record<string, string> = {}): Repo {
  const repo = createRepo({ 'conf.js': conf('base'), 'README.md': '# demo\n' });
  commitAll(repo, 'base');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('conf.js', ['const a = 1;', featureLine2, 'const c = 3;', ''].join('\n'));
  for (const [p, c] of Object.entries(featureFiles)) repo.write(p, c);
  commitAll(repo, 'feature');
  repo.git('checkout', '-q', 'main');
  repo.write('conf.js', conf('main'));
  commitAll(repo, 'main');
  installHook(repo);
  return repo;
}

/** The index has the three conflict stages of `path`, and no stage 0. */
function expectConflicted(repo: Repo, path: string): void {
  const stages = repo.git('ls-files', '-s', '--', path).trim().split('\n').map((l) => l.split(/\s+/)[2]);
  expect(stages).toEqual(['1', '2', '3']);
}

// ---------------------------------------------------------------------------------------------

describe('git-state matrix: keyguard reads the right thing in every state a repository can be in', () => {
  it('unborn branch (no commit yet): staged, --full, tree and --all; a hook commit is blocked, then allowed', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'README.md': '# demo\n', 'src/app.js': `// app\n${keyLine(key)}\n` });
    repo.git('add', '-A');
    expect(head(repo.dir)).toBeUndefined();

    const staged = scan(repo.dir, ['--staged']);
    expectScan(staged, 1, [`src/app.js:2:${COL}`], key);
    expect(staged.report.stats.files).toBe(2);
    expectScan(scan(repo.dir, ['--staged', '--full']), 1, [`src/app.js:2:${COL}`], key);
    expectScan(scan(repo.dir, ['.']), 1, [`src/app.js:2:${COL}`], key);

    // No ref at all: a history scan reads zero commits and says so; it does not fail.
    const all = scan(repo.dir, ['--all']);
    expectScan(all, 0, [], key);
    expect(all.report.stats.commits).toBe(0);

    installHook(repo);
    expectBlocked(repo.tryGit('commit', '-m', 'first'), [`src/app.js:2:${COL}`], key);
    expect(head(repo.dir)).toBeUndefined();

    repo.git('rm', '-q', '--cached', 'src/app.js');
    expectAllowed(repo.tryGit('commit', '-m', 'first'), key);
    expect(head(repo.dir)).toBeDefined();
  });

  it('detached HEAD: staged and tree; the hook blocks; a commit on no branch is found by --range and --all', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'app.js': '// one\n// two\n// three\n' });
    commitAll(repo, 'one');
    repo.write('README.md', '# later\n');
    commitAll(repo, 'two');
    repo.git('checkout', '-q', '--detach', 'HEAD~1');
    expect(repo.tryGit('symbolic-ref', '-q', 'HEAD').status).not.toBe(0);
    const detached = head(repo.dir);

    // A modified file: the key comes from the added lines of the patch, numbered in the staged blob.
    repo.write('app.js', `// one\n${keyLine(key)}\n// two\n// three\n`);
    repo.git('add', 'app.js');
    expectScan(scan(repo.dir, ['--staged']), 1, [`app.js:2:${COL}`], key);
    expectScan(scan(repo.dir, ['.']), 1, [`app.js:2:${COL}`], key);

    installHook(repo);
    expectBlocked(repo.tryGit('commit', '-m', 'leak'), [`app.js:2:${COL}`], key);
    expect(head(repo.dir)).toBe(detached);

    // Committed anyway (--no-verify): reachable from HEAD alone, no branch.
    repo.git('commit', '-q', '--no-verify', '-m', 'leak');
    const leak = head(repo.dir);
    expect(repo.git('for-each-ref', '--contains', 'HEAD')).toBe(''); // on no branch or tag
    const range = scan(repo.dir, ['--range', 'HEAD~1..HEAD']);
    expectScan(range, 1, [`app.js:2:${COL}`], key);
    expect(range.report.findings[0]?.commit).toBe(leak);
    const all = scan(repo.dir, ['--all']);
    expectScan(all, 1, [`app.js:2:${COL}`], key);
    expect(all.report.findings[0]?.commit).toBe(leak);
  });

  describe('merge in progress', () => {
    it('with unresolved conflicts: index stages accounted for, conflict markers staged as-is are read, the hook blocks', () => {
      const theirs = genKey('proj');
      const clean = genKey('svcacct');
      const repo = conflictingBranches(keyLine(theirs), { 'lib/extra.js': `// extra\n${keyLine(clean)}\n` });
      expect(repo.tryGit('merge', 'feature').status).not.toBe(0);
      expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(true);
      expectConflicted(repo, 'conf.js');

      // lib/extra.js merged cleanly: its key is in the staged change. conf.js sits in stages 1-3.
      const unresolved = scan(repo.dir, ['--staged']);
      expect(unresolved.result.status, show(unresolved.result)).toBe(1);
      expect(locs(unresolved)).toContain(`lib/extra.js:2:${COL}`);
      expectNoLeak(unresolved.result, theirs, clean);

      // `git add` on the file with its markers still in: stage 0 now holds them, key at line 5.
      repo.git('add', 'conf.js');
      expect(repo.git('cat-file', '-p', ':conf.js')).toMatch(/^<<<<<<< HEAD\n[^]*^=======\n[^]*^>>>>>>> feature$/m);
      const markers = [`conf.js:5:${COL}`, `lib/extra.js:2:${COL}`];
      expectScan(scan(repo.dir, ['--staged']), 1, markers, theirs, clean);
      expectScan(scan(repo.dir, ['--staged', '--full']), 1, markers, theirs, clean);

      // The merge commit goes through the hook, and is stopped.
      const before = head(repo.dir);
      expectBlocked(repo.tryGit('commit', '--no-edit'), markers, theirs, clean);
      expect(head(repo.dir)).toBe(before);
      expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(true);

      expectUnmergedAccounted(unresolved, 'conf.js');
    });

    it('resolved with a key in the resolution: staged and --full find it, the hook blocks, --range finds it in the merge commit', () => {
      const key = genKey('proj');
      const repo = conflictingBranches('const mode = "feature";', { 'feature.js': 'export const feature = true;\n' });
      expect(repo.tryGit('merge', 'feature').status).not.toBe(0);
      expectConflicted(repo, 'conf.js');

      repo.write('conf.js', conf('main', keyLine(key)));
      repo.git('add', 'conf.js');
      expect(repo.git('ls-files', '-u')).toBe('');
      const staged = scan(repo.dir, ['--staged']);
      expectScan(staged, 1, [`conf.js:3:${COL}`], key);
      expect(staged.report.stats.files).toBe(2); // conf.js and feature.js
      expectScan(scan(repo.dir, ['--staged', '--full']), 1, [`conf.js:3:${COL}`], key);

      const before = head(repo.dir);
      expectBlocked(repo.tryGit('commit', '--no-edit'), [`conf.js:3:${COL}`], key);
      expect(head(repo.dir)).toBe(before);
      expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(true);

      // Pushed through with --no-verify: the key lives only in the merge commit's resolution.
      repo.git('commit', '-q', '--no-verify', '--no-edit');
      const merge = head(repo.dir);
      expect(repo.git('rev-list', '--parents', '-n1', 'HEAD').trim().split(' ')).toHaveLength(3);
      const range = scan(repo.dir, ['--range', 'HEAD^1..HEAD']);
      expectScan(range, 1, [`conf.js:3:${COL}`], key);
      expect(range.report.findings[0]?.commit).toBe(merge);
    });
  });

  describe('rebase in progress', () => {
    it('stopped on a conflict: resolved with a key, staged finds it, `git commit` through the hook is blocked, --range finds it after --continue', () => {
      const key = genKey('proj');
      const repo = conflictingBranches('const mode = "feature";');
      repo.git('checkout', '-q', 'feature');
      expect(repo.tryGit('rebase', 'main').status).not.toBe(0);
      expect(existsSync(join(repo.dir, '.git', 'rebase-merge'))).toBe(true);
      expectConflicted(repo, 'conf.js');
      const unresolved = scan(repo.dir, ['--staged']);
      expect(unresolved.result.status, show(unresolved.result)).not.toBe(2);

      repo.write('conf.js', conf('feature', keyLine(key)));
      repo.git('add', 'conf.js');
      expectScan(scan(repo.dir, ['--staged']), 1, [`conf.js:3:${COL}`], key);

      const before = head(repo.dir);
      expectBlocked(repo.tryGit('commit', '--no-edit'), [`conf.js:3:${COL}`], key);
      expect(head(repo.dir)).toBe(before);
      expect(existsSync(join(repo.dir, '.git', 'rebase-merge'))).toBe(true);

      // `git rebase --continue` does not run pre-commit for a resolved conflict (git's behaviour), so
      // the key can still land: here it is committed with --no-verify and the rebase finished; a
      // history scan of the branch (what CI runs) finds it in the rebased commit.
      repo.git('commit', '-q', '--no-verify', '--no-edit');
      gitIn(repo.dir, { GIT_EDITOR: 'true' })('rebase', '--continue');
      expect(existsSync(join(repo.dir, '.git', 'rebase-merge'))).toBe(false);
      const range = scan(repo.dir, ['--range', 'main..feature']);
      expectScan(range, 1, [`conf.js:3:${COL}`], key);
      expect(range.report.findings[0]?.commit).toBe(repo.git('rev-parse', 'feature').trim());

      expectUnmergedAccounted(unresolved, 'conf.js');
    });

    it('`rebase -i` stopped at an `edit`: staged and --full read against the stopped commit, `commit --amend` is blocked, then allowed', () => {
      const key = genKey('admin');
      const repo = createRepo({ 'README.md': '# demo\n' });
      commitAll(repo, 'base');
      repo.write('a.js', '// a\n');
      const c1 = commitAll(repo, 'c1');
      repo.write('b.js', '// b\n');
      commitAll(repo, 'c2');
      installHook(repo);
      const seq = gitIn(repo.dir, { GIT_SEQUENCE_EDITOR: "sed -i -e '1s/^pick/edit/'", GIT_EDITOR: 'true' });
      seq('rebase', '-q', '-i', 'HEAD~2');
      expect(existsSync(join(repo.dir, '.git', 'rebase-merge'))).toBe(true);
      expect(head(repo.dir)).toBe(c1);

      repo.write('a.js', `// a\n${keyLine(key)}\n`);
      repo.git('add', 'a.js');
      expectScan(scan(repo.dir, ['--staged']), 1, [`a.js:2:${COL}`], key);
      expectScan(scan(repo.dir, ['--staged', '--full']), 1, [`a.js:2:${COL}`], key);

      expectBlocked(repo.tryGit('commit', '--amend', '--no-edit'), [`a.js:2:${COL}`], key);
      expect(head(repo.dir)).toBe(c1);

      repo.write('a.js', '// a\n// amended\n');
      repo.git('add', 'a.js');
      expectAllowed(repo.tryGit('commit', '--amend', '--no-edit'), key);
      expect(head(repo.dir)).not.toBe(c1);
      seq('rebase', '--continue');
      expect(existsSync(join(repo.dir, '.git', 'rebase-merge'))).toBe(false);
      expect(repo.git('log', '--format=%s', 'main').split('\n').filter(Boolean)).toEqual(['c2', 'c1', 'base']);
    });
  });

  it('cherry-pick in progress (conflict): resolved with a key, `cherry-pick --continue` is blocked by the hook, then allowed', () => {
    const key = genKey('proj');
    const repo = conflictingBranches('const mode = "feature";', { 'feat.js': 'export const feat = 1;\n' });
    expect(repo.tryGit('cherry-pick', 'feature').status).not.toBe(0);
    expect(existsSync(join(repo.dir, '.git', 'CHERRY_PICK_HEAD'))).toBe(true);
    expectConflicted(repo, 'conf.js');
    const unresolved = scan(repo.dir, ['--staged']);
    expect(unresolved.result.status, show(unresolved.result)).not.toBe(2);

    repo.write('conf.js', conf('main', keyLine(key)));
    repo.git('add', 'conf.js');
    const staged = scan(repo.dir, ['--staged']);
    expectScan(staged, 1, [`conf.js:3:${COL}`], key);
    expect(staged.report.stats.files).toBe(2); // conf.js and feat.js

    const cont = gitIn(repo.dir, { GIT_EDITOR: 'true' });
    const before = head(repo.dir);
    expectBlocked(cont.try('cherry-pick', '--continue'), [`conf.js:3:${COL}`], key);
    expect(head(repo.dir)).toBe(before);
    expect(existsSync(join(repo.dir, '.git', 'CHERRY_PICK_HEAD'))).toBe(true);

    repo.write('conf.js', conf('main', 'const apiKey = process.env.OPENAI_API_KEY;'));
    repo.git('add', 'conf.js');
    expectAllowed(cont.try('cherry-pick', '--continue'), key);
    expect(existsSync(join(repo.dir, '.git', 'CHERRY_PICK_HEAD'))).toBe(false);
    expect(head(repo.dir)).not.toBe(before);

    expectUnmergedAccounted(unresolved, 'conf.js');
  });

  it('linked worktree: staged and tree scans from inside it (top and subdirectory) see its index and files only; --range from it', () => {
    const key = genKey('proj');
    const untracked = genKey('svcacct');
    const mainOnly = genKey('proj');
    const repo = createRepo({ 'README.md': '# demo\n' });
    commitAll(repo, 'base');
    const wt = join(tempDir('keyguard-wt-'), 'feature tree');
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
    expect(execFileSync('sh', ['-c', 'test -f .git && echo gitfile'], { cwd: wt, encoding: 'utf8' }).trim()).toBe('gitfile');

    // The main worktree's index holds a key of its own: never this worktree's business.
    repo.write('main-only.js', `${keyLine(mainOnly)}\n`);
    repo.git('add', 'main-only.js');

    const g = gitIn(wt);
    mkdirSync(join(wt, 'lib'));
    writeFileSync(join(wt, 'lib/settings.py'), `x = 1\nOPENAI_API_KEY = "${key}"\n`);
    writeFileSync(join(wt, 'notes.txt'), `OPENAI_API_KEY=${untracked}\n`);
    g('add', 'lib/settings.py');

    const all = [key, untracked, mainOnly];
    expectScan(scan(wt, ['--staged']), 1, ['lib/settings.py:2:19'], ...all);
    expectScan(scan(wt, ['.']), 1, ['lib/settings.py:2:19', 'notes.txt:1:16'], ...all);
    const lib = join(wt, 'lib');
    expectScan(scan(lib, ['--staged']), 1, ['lib/settings.py:2:19'], ...all);
    expectScan(scan(lib, ['.']), 1, ['settings.py:2:19'], ...all);

    g('commit', '-q', '--no-verify', '-m', 'leak');
    const range = scan(wt, ['--range', 'main..feature']);
    expectScan(range, 1, ['lib/settings.py:2:19'], ...all);
    expect(range.report.findings[0]?.commit).toBe(head(wt));
  });

  it('submodules: a staged submodule is skipped and counted while the superproject key is found; inside the submodule both scans work', () => {
    const superKey = genKey('proj');
    const innerKey = genKey('svcacct');
    const sub = createRepo({ 'lib.js': 'export const lib = 1;\n' });
    commitAll(sub, 'lib');
    const repo = createRepo({ 'README.md': '# demo\n' });
    commitAll(repo, 'base');
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/lib');
    repo.write('app.js', `// app\n${keyLine(superKey)}\n`);
    repo.git('add', 'app.js');
    expect(repo.git('diff', '--cached', '--raw')).toMatch(/^:000000 160000 .* A\tvendor\/lib$/m);

    // A key staged inside the submodule's own index, and so in its working tree.
    const inner = join(repo.dir, 'vendor/lib');
    writeFileSync(join(inner, 'inner.js'), `${keyLine(innerKey)}\n`);
    gitIn(inner)('add', 'inner.js');

    const keys = [superKey, innerKey];
    for (const mode of [[], ['--full']]) {
      const staged = scan(repo.dir, ['--staged', ...mode]);
      expectScan(staged, 1, [`app.js:2:${COL}`], ...keys);
      expect(staged.report.stats.skippedFiles).toEqual([{ path: 'vendor/lib', reason: 'submodule' }]);
      expect(staged.report.stats.skipped).toEqual({ submodule: 1 });
    }
    const tree = scan(repo.dir, ['.']);
    expectScan(tree, 1, [`app.js:2:${COL}`], ...keys);
    expect(tree.report.stats.skippedFiles).toContainEqual({ path: 'vendor/lib', reason: 'submodule' });

    // Inside the submodule (its .git is a gitfile into the superproject's .git/modules).
    expectScan(scan(inner, ['--staged']), 1, [`inner.js:1:${COL}`], ...keys);
    expectScan(scan(inner, ['.']), 1, [`inner.js:1:${COL}`], ...keys);

    // The submodule's directory named on the superproject's command line: "a path named here is
    // always read" (its files, through the submodule's own git), not skipped as one gitlink.
    // Fails against keyguard 0.1.0: listDirectory() (src/sources/files.ts) asks the superproject's
    // `git ls-files -- vendor/lib`, which answers with the gitlink alone (mode 160000).
    const named = scan(repo.dir, ['vendor/lib']);
    expect.soft(named.result.status, show(named.result)).toBe(1);
    expect.soft(locs(named), show(named.result)).toEqual([`vendor/lib/inner.js:1:${COL}`]);
    expectNoLeak(named.result, ...keys);
  });

  it('sparse checkout (cone, sparse index): files outside the cone are counted, never errors nor silently clean; staged reads the index', () => {
    const committed = genKey('proj');
    const inCone = genKey('proj');
    const outside = genKey('svcacct');
    const repo = createRepo({
      'README.md': '# demo\n',
      'app/main.js': 'export {};\n',
      'secrets/old.js': `${keyLine(committed)}\n`,
    });
    const base = commitAll(repo, 'base');
    repo.git('sparse-checkout', 'init', '--cone', '--sparse-index');
    repo.git('sparse-checkout', 'set', 'app');
    expect(existsSync(join(repo.dir, 'secrets'))).toBe(false);
    const keys = [committed, inCone, outside];

    // Tree scan: what is on disk. secrets/old.js is not, and is listed as not read, so exit 0 is an
    // honest verdict (its key is in history, which --all reads below), under its own reason.
    const tree = scan(repo.dir, ['.']);
    expectScan(tree, 0, [], ...keys);
    expect(tree.report.stats.files).toBe(2);
    expect(tree.report.stats.skippedFiles).toEqual([{ path: 'secrets/old.js', reason: 'outside-sparse-checkout' }]);
    const pretty = runCli(['scan', '.', '--no-color'], repo.dir, { env: cleanEnv() });
    expect(pretty.status, show(pretty)).toBe(0);
    expect(pretty.stdout).toMatch(/in 2 files \([^)]*\); 1 skipped \(outside-sparse-checkout: 1\)/);
    expect(pretty.stderr).toBe('');

    // A key in the cone, and one staged outside it with `git add --sparse`.
    repo.write('app/new.js', `// new\n${keyLine(inCone)}\n`);
    expectScan(scan(repo.dir, ['.']), 1, [`app/new.js:2:${COL}`], ...keys);
    repo.git('add', 'app/new.js');
    repo.write('secrets/extra.js', `${keyLine(outside)}\n`);
    repo.git('add', '--sparse', 'secrets/extra.js');
    const staged = scan(repo.dir, ['--staged']);
    expectScan(staged, 1, [`app/new.js:2:${COL}`, `secrets/extra.js:1:${COL}`], ...keys);
    expect(staged.report.stats.skippedFiles).toEqual([]);

    // A skip-worktree file that is on disk (a local config kept out of commits) is read, not skipped.
    repo.write('README.md', `# demo\n${keyLine(inCone)}\n`);
    repo.git('update-index', '--skip-worktree', 'README.md');
    const local = scan(repo.dir, ['.']);
    expect(local.report.findings.map((f) => f.path)).toContain('README.md');
    expect(local.report.stats.skippedFiles.map((s) => s.path)).not.toContain('README.md');

    // History is not sparse: the committed key outside the cone is found.
    const all = scan(repo.dir, ['--all']);
    expectScan(all, 1, [`secrets/old.js:1:${COL}`], ...keys);
    expect(all.report.findings[0]?.commit).toBe(base);
  });

  describe('file names', () => {
    it('with spaces, a newline, non-ASCII, emoji and a leading dash: exact paths in staged, --full, tree, named and --range scans', () => {
      const names = ['dir with space/my file.ts', 'new\nline.ts', 'ключ é.ts', 'emoji 🔑.ts', '-rf.ts', '--help.js'];
      const repo = createRepo();
      for (const name of names) repo.write(name, '// header\n');
      commitAll(repo, 'base');
      const keys = names.map(() => genKey('proj'));
      // Modified files: paths come from the patch headers (C-quoted by git for the newline), not the listing.
      names.forEach((name, i) => repo.write(name, `// header\nmodule.exports = "${keys[i]}";\n`));
      repo.git('add', '-A');
      const expected = names.map((n) => `${n}:2:19`);

      expectScan(scan(repo.dir, ['--staged']), 1, expected, ...keys);
      expectScan(scan(repo.dir, ['--staged', '--full']), 1, expected, ...keys);
      expectScan(scan(repo.dir, ['.']), 1, expected, ...keys);
      // Names that look like options, given after `--` or with ./ in front.
      expectScan(scan(repo.dir, ['--', '--help.js', '-rf.ts']), 1, ['--help.js:2:19', '-rf.ts:2:19'], ...keys);

      const pretty = runCli(['scan', '--staged', '--no-color'], repo.dir, { env: cleanEnv() });
      expect(pretty.status, show(pretty)).toBe(1);
      for (const name of names.filter((n) => !n.includes('\n'))) expect(pretty.stdout).toContain(`${name}:2:19  error`);
      expectNoLeak(pretty, ...keys);

      const sha = commitAll(repo, 'keys');
      const range = scan(repo.dir, ['--range', 'HEAD~1..HEAD']);
      expectScan(range, 1, expected, ...keys);
      expect(new Set(range.report.findings.map((f) => f.commit))).toEqual(new Set([sha]));
    });

    it('in files git shows as binary (.gitattributes -diff), a path holding " and b/" included: exact paths in staged, tree and --range scans', () => {
      const names = ['x and b/y.txt', 'new\nl.txt', 'ключ é.txt', '-rf.txt'];
      const repo = createRepo({ '.gitattributes': '*.txt -diff\n' });
      commitAll(repo, 'base');
      const keys = names.map(() => genKey('proj'));
      names.forEach((name, i) => repo.write(name, `OPENAI_API_KEY=${keys[i]}\n`));
      repo.git('add', '-A');
      expect(repo.git('diff', '--cached', '--', 'x and b')).toContain('Binary files /dev/null and b/x and b/y.txt differ');
      const expected = names.map((n) => `${n}:1:16`);

      expectScan(scan(repo.dir, ['--staged']), 1, expected, ...keys);
      expectScan(scan(repo.dir, ['.']), 1, expected, ...keys);
      commitAll(repo, 'keys');
      // git log prints "Binary files /dev/null and b/x and b/y.txt differ": the path is everything after
      // the first " and b/". Fails against keyguard 0.1.0: binaryPath() (src/sources/history.ts) cuts at
      // the last one and reports "y.txt".
      expectScan(scan(repo.dir, ['--range', 'HEAD~1..HEAD']), 1, expected, ...keys);
    });
  });

  it('symlinks: a staged link to a key file outside the repository is skipped and counted, not followed; a tree scan never follows one out', () => {
    const key = genKey('proj');
    const outside = tempDir('keyguard-outside-');
    writeFileSync(join(outside, 'secret.txt'), `OPENAI_API_KEY=${key}\n`);
    const repo = createRepo({ 'README.md': '# demo\n' });
    commitAll(repo, 'base');
    symlinkSync(join(outside, 'secret.txt'), join(repo.dir, 'link.txt'));
    symlinkSync(outside, join(repo.dir, 'linkdir'));
    symlinkSync(relative(repo.dir, join(outside, 'secret.txt')), join(repo.dir, 'relative.txt'));
    repo.write('clean.js', 'export {};\n');
    repo.git('add', 'link.txt', 'linkdir', 'relative.txt', 'clean.js');
    expect(repo.git('ls-files', '-s', 'linkdir')).toMatch(/^120000 /);
    const links = ['link.txt', 'linkdir', 'relative.txt'].map((path) => ({ path, reason: 'symlink' }));

    for (const mode of [[], ['--full']]) {
      const staged = scan(repo.dir, ['--staged', ...mode]);
      expectScan(staged, 0, [], key);
      expect(staged.report.stats.skippedFiles).toEqual(links);
      expect(staged.report.stats.skipped).toEqual({ symlink: 3 });
      expect(staged.report.stats.files).toBe(1);
    }

    // Tree scan: staged links and an untracked one (git lists a symlink to a directory as a file).
    symlinkSync(outside, join(repo.dir, 'loose'));
    const tree = scan(repo.dir, ['.']);
    expectScan(tree, 0, [], key);
    expect(tree.report.stats.skippedFiles.filter((s) => s.reason === 'symlink').map((s) => s.path).sort()).toEqual(
      ['link.txt', 'linkdir', 'loose', 'relative.txt'],
    );
    expect(tree.report.stats.files).toBe(2); // README.md, clean.js

    installHook(repo);
    expectAllowed(repo.tryGit('commit', '-m', 'links'), key);
  });

  describe('user config that breaks naive parsers', () => {
    const hostile = (extDiff: string): [string, string][] => [
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['diff.external', extDiff],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['core.quotePath', 'true'],
      ['diff.relative', 'true'],
      ['diff.context', '8'],
      ['diff.interHunkContext', '8'],
      ['diff.renames', 'copies'],
      ['log.showSignature', 'true'],
      ['log.decorate', 'full'],
      ['log.abbrevCommit', 'true'],
      ['log.date', 'relative'],
      ['format.pretty', 'format:%h %s%n%b'],
      ['core.pager', 'cat'],
    ];

    it.each(['the repository config', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_COUNT (git -c in the environment)'])('set in %s: staged from a subdirectory and --range (plus --full, pretty, tree and --all for the config files)', (where) => {
      const key = genKey('proj');
      const k2 = genKey('svcacct-short');
      const tools = tempDir('keyguard-cfg-');
      // An external diff that would print a decoy patch (and leaves a mark if it is ever run).
      const extDiff = join(tools, 'ext diff.sh');
      writeFileSync(extDiff, `#!/bin/sh\ntouch "${join(tools, 'ran')}"\nprintf 'diff --git a/decoy b/decoy\\n+++ b/decoy\\n@@ -0,0 +1 @@\\n+nothing\\n'\n`);
      chmodSync(extDiff, 0o755);

      const body = Array.from({ length: 10 }, (_, i) => `const line${i + 1} = ${i + 1};`);
      const repo = createRepo({ 'pkg/server/app.js': `${body.join('\n')}\n`, 'web/index.js': 'export {};\n' });
      commitAll(repo, 'base');
      let env = cleanEnv();
      if (where === 'GIT_CONFIG_GLOBAL') {
        const file = join(tools, 'global config');
        for (const [k, v] of hostile(extDiff)) execFileSync('git', ['config', '-f', file, k, v]);
        env = cleanEnv({ GIT_CONFIG_GLOBAL: file });
      } else if (where.startsWith('GIT_CONFIG_COUNT')) {
        const pairs = hostile(extDiff);
        env = cleanEnv({ GIT_CONFIG_COUNT: String(pairs.length) });
        pairs.forEach(([k, v], i) => {
          env[`GIT_CONFIG_KEY_${i}`] = k;
          env[`GIT_CONFIG_VALUE_${i}`] = v;
        });
      } else {
        for (const [k, v] of hostile(extDiff)) repo.git('config', k, v);
      }

      // Two hunks (merged into one by diff.interHunkContext if it leaked) and a new non-ASCII file.
      const next = [...body];
      next[1] = 'const line2 = "edited";';
      next.splice(5, 0, keyLine(key));
      repo.write('pkg/server/app.js', `${next.join('\n')}\n`);
      repo.write('dir/naïve ключ.js', `a\n${keyLine(k2)}\n`);
      repo.git('add', '-A');
      const expected = [`dir/naïve ключ.js:2:${COL}`, `pkg/server/app.js:6:${COL}`];

      const web = join(repo.dir, 'web');
      const staged = scan(web, ['--staged'], env);
      expectScan(staged, 1, expected, key, k2);
      expect(staged.result.stderr).toBe('');
      // The same settings through git -c: the parsers only (staged, --range), to keep the file fast.
      const thorough = !where.startsWith('GIT_CONFIG_COUNT');
      if (thorough) {
        expectScan(scan(web, ['--staged', '--full'], env), 1, expected, key, k2);
        const pretty = runCli(['scan', '--staged'], web, { env });
        expect(pretty.status, show(pretty)).toBe(1);
        expect(pretty.stdout).not.toContain('\x1b[');
        expect(pretty.stdout).toContain(`pkg/server/app.js:6:${COL}  error`);
        expectNoLeak(pretty, key, k2);
        expectScan(scan(repo.dir, ['.'], env), 1, expected, key, k2);
      }

      const sha = commitAll(repo, 'keys');
      const range = scan(web, ['--range', 'HEAD~1..HEAD'], env);
      expectScan(range, 1, expected, key, k2);
      expect(range.report.findings.map((f) => f.commit)).toEqual([sha, sha]);
      expect(range.result.stderr).toBe('');
      if (thorough) {
        const all = scan(web, ['--all'], env);
        expectScan(all, 1, expected, key, k2);
        expect(all.report.stats.commits).toBe(2);
      }

      expect(existsSync(join(tools, 'ran'))).toBe(false); // the external diff was never run
    });
  });

  describe('GIT_DIR and GIT_WORK_TREE exported', () => {
    function setup() {
      const key = genKey('proj');
      const repo = createRepo({ 'sub/deep/a.js': '// a\n', 'README.md': '# demo\n' });
      commitAll(repo, 'base');
      repo.write('sub/deep/a.js', `// a\n${keyLine(key)}\n`);
      repo.git('add', '-A');
      return { key, repo };
    }

    it('run from outside the work tree: staged, the work tree named, the current directory, --range', () => {
      const { key, repo } = setup();
      const here = genKey('svcacct');
      const outside = tempDir('keyguard-elsewhere-');
      writeFileSync(join(outside, 'here.py'), `OPENAI_API_KEY = "${here}"\n`);
      const env = cleanEnv({ GIT_DIR: join(repo.dir, '.git'), GIT_WORK_TREE: repo.dir });

      expectScan(scan(outside, ['--staged'], env), 1, [`sub/deep/a.js:2:${COL}`], key, here);
      const named = relative(outside, join(repo.dir, 'sub/deep/a.js'));
      expectScan(scan(outside, [repo.dir], env), 1, [`${named}:2:${COL}`], key, here);

      repo.git('commit', '-q', '--no-verify', '-m', 'leak');
      const range = scan(outside, ['--range', 'HEAD~1..HEAD'], env);
      expectScan(range, 1, [`sub/deep/a.js:2:${COL}`], key, here);
      expect(range.report.findings[0]?.commit).toBe(head(repo.dir));

      // `keyguard scan .` here means the files of this directory, which is not in the work tree.
      // Fails against keyguard 0.1.0: listDirectory() (src/sources/files.ts) judges "inside a repository"
      // by `git ls-files` succeeding; with GIT_WORK_TREE exported it lists the whole work tree (paths from
      // its top), joins them onto this directory, reports them deleted-in-worktree and never reads here.py.
      const dot = scan(outside, ['.'], env);
      expect.soft(dot.result.status, show(dot.result)).toBe(1);
      expect.soft(locs(dot), show(dot.result)).toEqual(['here.py:1:19']);
      expectNoLeak(dot.result, key, here);
    });

    it('run from a subdirectory (absolute and relative GIT_DIR): staged paths from the top, tree paths from here; the hook blocks', () => {
      const { key, repo } = setup();
      const cwd = join(repo.dir, 'sub');
      for (const env of [
        { GIT_DIR: join(repo.dir, '.git'), GIT_WORK_TREE: repo.dir },
        { GIT_DIR: '../.git', GIT_WORK_TREE: '..' },
      ]) {
        expectScan(scan(cwd, ['--staged'], cleanEnv(env)), 1, [`sub/deep/a.js:2:${COL}`], key);
        expectScan(scan(cwd, ['.'], cleanEnv(env)), 1, [`deep/a.js:2:${COL}`], key);
      }
      installHook(repo);
      const env = { GIT_DIR: join(repo.dir, '.git'), GIT_WORK_TREE: repo.dir };
      const before = head(repo.dir);
      expectBlocked(gitIn(cwd, env).try('commit', '-m', 'leak'), [`sub/deep/a.js:2:${COL}`], key);
      expect(head(repo.dir)).toBe(before);
    });
  });

  describe('a repository whose path is unusual', () => {
    it.each([
      ['spaces', 'my repo  with spaces'],
      ['non-ASCII', 'репозиторий ключ é 🔑'],
    ])('%s: staged, tree, the hook and --range', (_label, name) => {
      const key = genKey('proj');
      const repo = repoAt(join(tempDir('keyguard path '), name));
      repo.write('src/app.js', '// one\n// two\n');
      commitAll(repo, 'base');
      repo.write('src/app.js', `// one\n${keyLine(key)}\n// two\n`);
      repo.git('add', '-A');

      expectScan(scan(repo.dir, ['--staged']), 1, [`src/app.js:2:${COL}`], key);
      expectScan(scan(join(repo.dir, 'src'), ['.']), 1, [`app.js:2:${COL}`], key);

      installHook(repo);
      const before = head(repo.dir);
      expectBlocked(repo.tryGit('commit', '-m', 'leak'), [`src/app.js:2:${COL}`], key);
      expect(head(repo.dir)).toBe(before);

      const sha = commitAll(repo, 'leak');
      const range = scan(repo.dir, ['--range', 'HEAD~1..HEAD']);
      expectScan(range, 1, [`src/app.js:2:${COL}`], key);
      expect(range.report.findings[0]?.commit).toBe(sha);
    });
  });
});
