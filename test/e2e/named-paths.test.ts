/**
 * Edges an adversarial review found after the git-state matrix: directories named on the command
 * line that belong to another repository (or to none), symlinked directories, grafts, and conflicts
 * reported by name. A path named on the command line is always read; history cannot be grafted away.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanEnv, createRepo, runCli, tempDir, type CliResult } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function found(r: CliResult, status: number, key: string): string[] {
  expect(r.status, show(r)).toBe(status);
  expect(r.stdout + r.stderr).not.toContain(key);
  return (JSON.parse(r.stdout) as JsonReport).findings.map((f) => `${f.path}:${f.line}`);
}

describe('a directory named on the command line is read, whichever repository it belongs to', () => {
  it('a subdirectory of an untracked nested repository, and the nested repository itself', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'a.txt': 'x\n', 'nested/deep/d.txt': `k="${key}"\n` });
    repo.git('add', 'a.txt');
    repo.git('commit', '-qm', 'a');
    execFileSync('git', ['init', '-q'], { cwd: join(repo.dir, 'nested'), env: cleanEnv() });
    for (const named of ['nested/deep', 'nested']) {
      expect(found(repo.keyguard(['scan', named, '--format', 'json']), 1, key), named).toEqual(['nested/deep/d.txt:1']);
    }
  });

  it('a subdirectory of a submodule', () => {
    const key = genKey('proj');
    const lib = createRepo({ 'd/x.txt': `k="${key}"\n` });
    lib.git('add', '-A');
    lib.git('commit', '-qm', 'lib');
    const repo = createRepo({ 'a.txt': 'x\n' });
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib.dir, 'mod');
    repo.git('commit', '-qm', 'sub');
    for (const named of ['mod/d', 'mod']) {
      expect(found(repo.keyguard(['scan', named, '--format', 'json']), 1, key), named).toEqual(['mod/d/x.txt:1']);
    }
    // From the superproject's top, the submodule stays a counted skip: it is scanned from inside.
    const top = JSON.parse(repo.keyguard(['scan', '.', '--format', 'json']).stdout) as JsonReport;
    expect(top.stats.skippedFiles).toEqual([{ path: 'mod', reason: 'submodule' }]);
  });

  it('.git named, the inside of .git, and a bare repository are read as plain directories, not refused', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'a.txt': 'x\n' });
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'a');
    repo.write('.git/config.bak', `k="${key}"\n`);
    expect(found(repo.keyguard(['scan', '.git', '--format', 'json']), 1, key)).toEqual(['.git/config.bak:1']);
    expect(found(runCli(['scan', '.', '--format', 'json'], join(repo.dir, '.git')), 1, key)).toEqual(['config.bak:1']);
    const bare = tempDir('keyguard-bare-');
    execFileSync('git', ['init', '-q', '--bare', bare], { env: cleanEnv() });
    const r = runCli(['scan', '.', '--format', 'json'], bare);
    expect(r.status, show(r)).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).stats.files).toBeGreaterThan(0);
  });

  it('a directory named through a symlink, or below a symlinked folder, is listed where it points and shown under the given name', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'sub/s.txt': `k="${key}"\n`, 'sub/deep/d.txt': `k="${key}"\n` });
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'sub');
    symlinkSync('sub', join(repo.dir, 'linkdir'));
    expect(found(repo.keyguard(['scan', 'linkdir', '--format', 'json']), 1, key)).toEqual(['linkdir/deep/d.txt:1', 'linkdir/s.txt:1']);
    expect(found(repo.keyguard(['scan', 'linkdir/deep', '--format', 'json']), 1, key)).toEqual(['linkdir/deep/d.txt:1']);
  });

  it('with GIT_DIR exported (as in a hook), a directory inside .git is still read', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'a.txt': 'x\n' });
    repo.write('.git/info/leak.txt', `k="${key}"\n`);
    for (const gitDir of ['.git', join(repo.dir, '.git')]) {
      const r = repo.keyguard(['scan', '.git/info', '--format', 'json'], { env: cleanEnv({ GIT_DIR: gitDir }) });
      expect(found(r, 1, key), gitDir).toEqual(['.git/info/leak.txt:1']);
    }
  });
});

describe('history and conflicts', () => {
  it('.git/info/grafts cannot cut the commit that added a key out of --all', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'f.txt': 'a\n' });
    repo.git('add', '-A');
    repo.git('commit', '-qm', '1');
    repo.write('f.txt', `k="${key}"\n`);
    repo.git('commit', '-qam', '2');
    repo.write('f.txt', 'b\n');
    repo.git('commit', '-qam', '3');
    const head = repo.git('rev-parse', 'HEAD').trim();
    const first = repo.git('rev-parse', 'HEAD~2').trim();
    repo.write('.git/info/grafts', `${head} ${first}\n`);
    expect(found(repo.keyguard(['scan', '--all', '--format', 'json']), 1, key)).toEqual(['f.txt:1']);
  });

  it('a partial clone is not a download: missing blobs are exit 2 with how to fetch them, and nothing is fetched', () => {
    const key = genKey('proj');
    const origin = createRepo({ 'a.txt': `k="${key}"\n` });
    origin.git('add', '-A');
    origin.git('commit', '-qm', '1');
    origin.write('a.txt', 'b\n');
    origin.git('commit', '-qam', '2');
    origin.git('config', 'uploadpack.allowfilter', 'true');
    const dir = join(tempDir('keyguard-partial-'), 'clone');
    execFileSync('git', ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin.dir}`, dir], { env: cleanEnv() });
    const objects = () => execFileSync('git', ['count-objects', '-v'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    const before = objects();
    const r = runCli(['scan', '--all'], dir);
    expect(r.status, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('partial clone');
    expect(r.stderr).toContain('git fetch --refetch');
    expect(objects()).toBe(before);
  });

  it('an unresolved conflict is named with what to do, even with --quiet', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'c.txt': 'base\n' });
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'base');
    repo.git('checkout', '-qb', 'feature');
    repo.write('c.txt', `k="${key}"\n`);
    repo.git('commit', '-qam', 'feature');
    repo.git('checkout', '-q', 'main');
    repo.write('c.txt', 'main\n');
    repo.git('commit', '-qam', 'main');
    expect(repo.tryGit('merge', '-q', 'feature').status).not.toBe(0);
    for (const quiet of [[], ['--quiet']]) {
      const r = repo.keyguard(['scan', '--staged', ...quiet]);
      expect(r.status, show(r)).toBe(0);
      expect(r.stdout).toContain('! 1 path has an unresolved merge conflict and was not scanned:');
      expect(r.stdout).toMatch(/^ {4}c\.txt$/m);
      expect(r.stdout).toContain('git add');
      expect(r.stdout).not.toContain(key);
    }
  });
});
