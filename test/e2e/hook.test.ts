import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, createRepo, installHook, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

/**
 * keyguard as a plain pre-commit hook (`keyguard scan --staged`) under real `git commit`. git
 * points GIT_INDEX_FILE at a temporary index for `commit -a` and `commit <path>`; keyguard must
 * scan exactly that, so every test checks whether the commit was really created.
 */

const previewOf = (key: string) => `${/^sk-(?:proj|svcacct|service|admin|None)-|^sk-/.exec(key)?.[0] ?? ''}…${key.slice(-4)}`;

type GitResult = ReturnType<Repo['tryGit']>;

function expectNoLeak(r: GitResult, key: string): void {
  expect(r.stdout).not.toContain(key);
  expect(r.stderr).not.toContain(key);
  expect(`${r.stdout}${r.stderr}`).not.toContain(key.slice(-24));
}

const head = (repo: Repo, cwd?: string): string | undefined => {
  const r = cwd ? gitIn(cwd, 'rev-parse', '--verify', '-q', 'HEAD') : repo.tryGit('rev-parse', '--verify', '-q', 'HEAD');
  return r.status === 0 ? r.stdout.trim() : undefined;
};

function gitIn(cwd: string, ...args: string[]): GitResult {
  const r = spawnSync('git', args, { cwd, env: cleanEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository with one clean commit and the hook installed. */
function repoWithBase(files: Record<string, string>): Repo {
  const repo = createRepo(files);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  installHook(repo);
  return repo;
}

/** keyguard's lines in git's output (git sends a pre-commit hook's stdout to its stderr). */
const keyguardLines = (r: GitResult) => `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('keyguard'));

describe('keyguard as a pre-commit hook under real git commit', () => {
  it('(a) a commit with a staged key is blocked: no commit is created, the preview is shown, the key is not', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'app.js': `export const client = {\n  apiKey: "${key}",\n};\n` });
    installHook(repo);
    repo.git('add', 'app.js');

    const r = repo.tryGit('commit', '-m', 'add client');
    expect(r.status).not.toBe(0);
    expect(head(repo)).toBeUndefined(); // first commit: HEAD still unborn
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('app.js:2:12');
    expect(out).toContain(previewOf(key));
    expect(out).toMatch(/1 secret found/);
    expectNoLeak(r, key);
    // The change is still staged, ready to be fixed.
    expect(repo.git('diff', '--cached', '--name-only')).toBe('app.js\n');

    // After a second, blocked attempt on top of an existing commit, HEAD is unchanged.
    repo.write('app.js', 'export const client = {};\n');
    repo.write('later.js', `const k = "${key}";\n`);
    repo.git('add', '-A');
    expect(repo.tryGit('commit', '-m', 'clean', '--', 'app.js').status).toBe(0);
    const before = head(repo);
    expect(before).toBeDefined();
    const again = repo.tryGit('commit', '-m', 'leak');
    expect(again.status).not.toBe(0);
    expect(head(repo)).toBe(before);
    expectNoLeak(again, key);
  });

  it('(b) `git commit -a` blocks a key that was only in a modified tracked file, never staged (temporary index)', () => {
    const key = genKey('svcacct');
    const repo = repoWithBase({ 'config.js': 'export default {\n  timeout: 5,\n};\n' });
    const before = head(repo);
    repo.write('config.js', `export default {\n  timeout: 5,\n  openai: "${key}",\n};\n`);
    // Nothing staged: a plain `git commit` has nothing to do, and the index is clean.
    expect(repo.git('diff', '--cached', '--name-only')).toBe('');

    const r = repo.tryGit('commit', '-a', '-m', 'x');
    expect(r.status).not.toBe(0);
    expect(head(repo)).toBe(before);
    expect(`${r.stdout}${r.stderr}`).toContain('config.js:3:12');
    expect(`${r.stdout}${r.stderr}`).toContain(previewOf(key));
    expectNoLeak(r, key);
    // git rolled its temporary index back: the real index is still clean.
    expect(repo.git('diff', '--cached', '--name-only')).toBe('');
    expect(existsSync(join(repo.dir, '.git', 'index.lock'))).toBe(false);
  });

  describe('(c) `git commit <path>`: only that path is scanned', () => {
    it('blocked when the committed path holds the key, even though another staged path is clean', () => {
      const key = genKey('proj');
      const repo = repoWithBase({ 'a.js': 'const a = 1;\n', 'b.js': 'const b = 1;\n' });
      const before = head(repo);
      repo.write('b.js', 'const b = 2;\n');
      repo.git('add', 'b.js'); // clean and staged
      repo.write('a.js', `const a = 1;\nconst key = "${key}";\n`); // key, not staged

      const r = repo.tryGit('commit', '-m', 'x', 'a.js');
      expect(r.status).not.toBe(0);
      expect(head(repo)).toBe(before);
      expect(`${r.stdout}${r.stderr}`).toContain('a.js:2:14');
      expectNoLeak(r, key);
      // The real index is as it was: b.js staged, a.js not.
      expect(repo.git('diff', '--cached', '--name-only')).toBe('b.js\n');
    });

    it('allowed when the key sits only in a different file, staged but not part of this commit', () => {
      const key = genKey('proj');
      const repo = repoWithBase({ 'a.js': 'const a = 1;\n', 'b.js': 'const b = 1;\n' });
      const before = head(repo);
      repo.write('b.js', `const b = "${key}";\n`);
      repo.git('add', 'b.js'); // key staged in the normal index
      repo.write('a.js', 'const a = 2;\n'); // clean, committed by path

      const r = repo.tryGit('commit', '-m', 'only a', 'a.js');
      expect(r.status).toBe(0);
      const after = head(repo);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect(repo.git('diff-tree', '--no-commit-id', '--name-only', '-r', 'HEAD')).toBe('a.js\n');
      expect(keyguardLines(r)).toEqual([expect.stringMatching(/no secrets found in 1 staged file/)]);
      expectNoLeak(r, key);
      // b.js with its key is still only staged, and a later plain commit of it is blocked.
      expect(repo.git('diff', '--cached', '--name-only')).toBe('b.js\n');
      const later = repo.tryGit('commit', '-m', 'b');
      expect(later.status).not.toBe(0);
      expect(head(repo)).toBe(after);
      expectNoLeak(later, key);
    });
  });

  it('(d) a clean commit succeeds and the hook prints exactly one summary line', () => {
    const repo = repoWithBase({ 'README.md': '# demo\n' });
    const before = head(repo);
    repo.write('src/index.js', 'export const answer = 42;\n');
    repo.write('README.md', '# demo\n\nMore text.\n');
    repo.git('add', '-A');

    const r = repo.tryGit('commit', '-m', 'clean');
    expect(r.status).toBe(0);
    expect(head(repo)).not.toBe(before);
    // git passes the hook's stdout on to its own stderr; that is everything the hook printed.
    const hookOutput = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(hookOutput).toHaveLength(1);
    expect(hookOutput[0]).toMatch(/^✔ keyguard: no secrets found in 2 staged files \(added lines, \d+ B\)$/);
    expect(keyguardLines(r)).toHaveLength(1);
  });

  describe('(e) linked worktree (hooks are shared through the common dir)', () => {
    function withWorktree(): { repo: Repo; wt: string } {
      const repo = repoWithBase({ 'README.md': '# demo\n' });
      const wt = join(tempDir('keyguard-wt-'), 'feature');
      repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
      return { repo, wt };
    }

    it('a commit with a staged key in the worktree is blocked', () => {
      const key = genKey('proj');
      const { repo, wt } = withWorktree();
      const before = head(repo, wt);
      execFileSync('sh', ['-c', `mkdir -p lib && printf 'x = 1\\nOPENAI_API_KEY = "%s"\\n' "$KEY" > lib/settings.py`], {
        cwd: wt,
        env: { ...cleanEnv(), KEY: key },
      });
      expect(gitIn(wt, 'add', 'lib/settings.py').status).toBe(0);

      const r = gitIn(wt, 'commit', '-m', 'leak');
      expect(r.status).not.toBe(0);
      expect(head(repo, wt)).toBe(before);
      expect(`${r.stdout}${r.stderr}`).toContain('lib/settings.py:2:19');
      expect(`${r.stdout}${r.stderr}`).toContain(previewOf(key));
      expectNoLeak(r, key);

      // `commit -a` in the worktree goes through its own temporary index: blocked too.
      gitIn(wt, 'reset', '-q');
      gitIn(wt, 'add', '-N', 'lib/settings.py');
      const all = gitIn(wt, 'commit', '-a', '-m', 'leak');
      expect(all.status).not.toBe(0);
      expect(head(repo, wt)).toBe(before);
      expectNoLeak(all, key);
    });

    it('a clean worktree commit is not blocked by a key staged in the main worktree index', () => {
      const key = genKey('proj');
      const { repo, wt } = withWorktree();
      repo.write('main-only.js', `const k = "${key}";\n`);
      repo.git('add', 'main-only.js'); // the main worktree's index holds a key

      execFileSync('sh', ['-c', 'echo "clean" > feature.txt'], { cwd: wt, env: cleanEnv() });
      expect(gitIn(wt, 'add', 'feature.txt').status).toBe(0);
      const before = head(repo, wt);
      const r = gitIn(wt, 'commit', '-m', 'feature');
      expect(r.status).toBe(0);
      expect(head(repo, wt)).not.toBe(before);
      expect(keyguardLines(r)).toEqual([expect.stringMatching(/no secrets found in 1 staged file/)]);
      expectNoLeak(r, key);
    });
  });
});
