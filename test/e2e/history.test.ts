/**
 * `--range` and `--all` in real repositories: every commit's patch is scanned, a key removed later
 * is still found with the commit that added it, merges are not reported twice, and what cannot be
 * read (a shallow clone, a missing base) is exit 2, never a clean pass.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, cleanEnv, createRepo, runCli, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const json = (r: { status: number | null; stdout: string; stderr: string }, status: number): JsonReport => {
  expect(r.status, r.stdout + r.stderr).toBe(status);
  return JSON.parse(r.stdout) as JsonReport;
};
const commit = (repo: Repo, message: string) => {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD').trim();
};

describe('--range', () => {
  it('finds a key added in one commit and deleted in a later one, with the commit and its date', () => {
    const repo = createRepo({ 'README.md': '# x\n' });
    const base = commit(repo, 'base');
    const key = genKey('proj');
    repo.write('src/config.js', `export const a = 1;\nexport const key = "${key}";\n`);
    const added = commit(repo, 'add key');
    repo.write('src/config.js', 'export const a = 1;\nexport const key = process.env.OPENAI_API_KEY;\n');
    commit(repo, 'remove key');
    const r = repo.keyguard(['scan', '--range', `${base}..HEAD`, '--format', 'json']);
    const doc = json(r, 1);
    expect(doc.findings.map((f) => [f.path, f.line, f.column, f.commit, f.keyType])).toEqual([['src/config.js', 2, 21, added, 'project']]);
    expect(doc.findings[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(doc.stats).toMatchObject({ source: 'range', commits: 2, range: `${base}..HEAD` });
    expect(r.stdout + r.stderr).not.toContain(key);
    // The staged and working-tree views are clean: only history holds it.
    json(repo.keyguard(['scan', '.', '--format', 'json']), 0);
    const pretty = repo.keyguard(['scan', '--range', `${base}..HEAD`]);
    expect(pretty.stdout).toContain(`added in commit ${added.slice(0, 12)}`);
    expect(pretty.stdout).toMatch(/in 2 commits in/);
  });

  it('an empty range says so and passes', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    commit(repo, 'base');
    const r = repo.keyguard(['scan', '--range', 'HEAD..HEAD']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 commits in HEAD..HEAD');
  });

  it('a missing base is exit 2 with the fetch hint, never clean', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    commit(repo, 'base');
    const r = repo.keyguard(['scan', '--range', 'origin/main..HEAD']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('origin/main');
    expect(r.stderr).toContain('fetch-depth: 0');
    expect(r.stdout).not.toContain('no secrets');
    expect(repo.keyguard(['scan', '--range', 'HEAD']).status).toBe(2); // not a range
  });

  it('merge commits are not reported twice', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const base = commit(repo, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.js', `const k = "${genKey('svcacct')}";\n`);
    commit(repo, 'feature with a key');
    repo.git('checkout', '-q', 'main');
    repo.write('main.txt', 'main side\n');
    commit(repo, 'main moves on');
    repo.git('merge', '-q', '--no-edit', '--no-ff', 'feature');
    const doc = json(repo.keyguard(['scan', '--range', `${base}..HEAD`, '--format', 'json']), 1);
    expect(doc.findings).toHaveLength(1);
    expect(doc.stats.commits).toBe(3);
  });
});

describe('--all', () => {
  it('scans every ref, other branches included, and validates against the JSON schema', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    commit(repo, 'base');
    repo.git('checkout', '-q', '-b', 'side');
    repo.write('side.py', `KEY = '${genKey('admin')}'\n`);
    const side = commit(repo, 'side');
    repo.git('checkout', '-q', 'main');
    const doc = json(repo.keyguard(['scan', '--all', '--format', 'json']), 1);
    expect(doc.findings.map((f) => [f.path, f.commit, f.keyType])).toEqual([['side.py', side, 'admin']]);
    expect(doc.stats.source).toBe('all');
    const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema', 'scan-result.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a shallow clone is refused with exit 2 and the fetch-depth: 0 / GIT_DEPTH: 0 hint', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    commit(repo, 'one');
    repo.write('b.txt', 'b\n');
    commit(repo, 'two');
    const clone = join(tempDir(), 'shallow');
    const r = spawnSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone], { env: cleanEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const args of [['--all'], ['--range', 'HEAD~1..HEAD']]) {
      const out = runCli(['scan', ...args], clone);
      expect(out.status, out.stderr).toBe(2);
      expect(out.stderr).toContain('shallow clone');
      expect(out.stderr).toContain('fetch-depth: 0');
      expect(out.stderr).toContain('GIT_DEPTH: 0');
    }
  });

  it('shows no progress line when stderr is not a terminal, and refuses outside a repository', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    commit(repo, 'one');
    const r = repo.keyguard(['scan', '--all']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const dir = tempDir();
    const outside = runCli(['scan', '--all'], dir, { env: cleanEnv({ GIT_CEILING_DIRECTORIES: join(dir, '..') }) });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('not inside a git repository');
  });
});

describe('history cannot be hidden', () => {
  it('a key added in a merge commit itself (an evil merge) and one in a stash are found', () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const base = commit(repo, 'base');
    repo.git('checkout', '-q', '-b', 'f');
    repo.write('f.txt', 'f\n');
    commit(repo, 'f');
    repo.git('checkout', '-q', 'main');
    repo.write('m.txt', 'm\n');
    commit(repo, 'm');
    repo.git('merge', '-q', '--no-commit', 'f');
    repo.write('evil.txt', `K=${genKey('proj')}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'merge');
    const merge = repo.git('rev-parse', 'HEAD').trim();
    const doc = json(repo.keyguard(['scan', '--range', `${base}..HEAD`, '--format', 'json']), 1);
    expect(doc.findings.map((f) => [f.path, f.commit])).toEqual([['evil.txt', merge]]);
    repo.write('a.txt', `a\nK=${genKey('legacy')}\n`);
    repo.git('stash', '-q');
    const all = json(repo.keyguard(['scan', '--all', '--format', 'json']), 1);
    expect(all.findings.map((f) => f.path).sort()).toEqual(['a.txt', 'evil.txt']);
  });

  it('a .gitattributes -diff in the scanned commit, UTF-16 text, replace refs and log.showRoot=false hide nothing', () => {
    const repo = createRepo({ '.gitattributes': '*.env -diff\n' });
    repo.write('x.env', `OPENAI_API_KEY=${genKey('proj')}\n`);
    repo.write('ps.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$k = "${genKey('admin')}"\r\n`, 'utf16le')]));
    const root = commit(repo, 'root with keys');
    repo.write('x.env', 'OPENAI_API_KEY=\n');
    repo.write('ps.txt', 'gone\n');
    commit(repo, 'clean');
    repo.git('config', 'log.showRoot', 'false');
    const doc = json(repo.keyguard(['scan', '--all', '--format', 'json']), 1);
    expect(doc.findings.map((f) => [f.path, f.commit, f.keyType])).toEqual([
      ['ps.txt', root, 'admin'],
      ['x.env', root, 'project'],
    ]);
    // A replace ref that swaps the root for a clean commit does not hide it either.
    repo.git('checkout', '-q', '--orphan', 'clean-root');
    repo.git('rm', '-rq', '--cached', '.');
    repo.write('x.env', 'OPENAI_API_KEY=\n');
    repo.write('ps.txt', 'gone\n');
    repo.git('add', 'x.env', 'ps.txt');
    repo.git('commit', '-q', '--no-verify', '-m', 'clean root');
    repo.git('replace', root, repo.git('rev-parse', 'HEAD').trim());
    repo.git('checkout', '-q', '-f', 'main');
    const replaced = json(repo.keyguard(['scan', '--all', '--format', 'json']), 1);
    expect(replaced.findings.map((f) => f.commit)).toContain(root);
  });
});
