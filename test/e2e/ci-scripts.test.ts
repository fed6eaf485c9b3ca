/**
 * The shell that action.yml and docs/gitlab-ci.yml run, taken from those files and run here in real
 * repositories with the variables the platforms set, since no runner is available. keyguard itself
 * is this checkout's build (GITHUB_ACTION_PATH = the project; `npx --yes keyguard@0` replaced).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

/** The `run: |` block of the action step named `name`, dedented. */
function actionScript(name: string): string {
  const yml = readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8');
  const step = yml.split('\n    - name: ').find((s) => s.startsWith(name));
  const body = step?.split('      run: |\n')[1];
  if (!body) throw new Error(`no run block for step ${name}`);
  const lines = body.split('\n');
  const end = lines.findIndex((l) => l !== '' && !l.startsWith('        '));
  return lines.slice(0, end === -1 ? undefined : end).map((l) => l.slice(8)).join('\n');
}

function gitlabScript(): string {
  const yml = readFileSync(join(PROJECT_ROOT, 'docs', 'gitlab-ci.yml'), 'utf8');
  const body = yml.split('    - |\n')[1] ?? '';
  const lines = body.split('\n');
  const end = lines.findIndex((l) => l !== '' && !l.startsWith('      '));
  return lines
    .slice(0, end)
    .map((l) => l.slice(6))
    .join('\n')
    .replaceAll('npx --yes keyguard@0', `"${process.execPath}" "${CLI}"`);
}

function history(): { repo: Repo; base: string; head: string; key: string } {
  const repo = createRepo({ 'a.txt': 'a\n' });
  const commit = (m: string) => {
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', m);
    return repo.git('rev-parse', 'HEAD').trim();
  };
  const base = commit('base');
  const key = genKey('svcacct');
  repo.write('src/leak.ts', `export const k = "${key}";\n`);
  commit('leak');
  repo.write('src/leak.ts', 'export const k = process.env.K;\n');
  const head = commit('fix');
  return { repo, base, head, key };
}

const bash = (script: string, cwd: string, env: NodeJS.ProcessEnv) => spawnSync('bash', ['-e', '-c', script], { cwd, env, encoding: 'utf8', timeout: 60_000 });

describe('action.yml scan step', () => {
  it('on a pull request: annotations and a job summary, a SARIF file, and a failing step for a key added then removed', () => {
    const { repo, base, head, key } = history();
    const dir = tempDir();
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base }, head: { sha: head, repo: { full_name: 'o/r' } } }, repository: { full_name: 'o/r' } }));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const env = cleanEnv({
      GITHUB_ACTION_PATH: PROJECT_ROOT,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      KG_MODE: 'auto',
      KG_FORMAT: 'github',
      KG_SARIF: 'true',
      KG_FAIL_ON: 'error',
    });
    const r = bash(actionScript('Scan'), repo.dir, env);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error file=src\/leak\.ts,line=1,col=19/m);
    expect(existsSync(join(repo.dir, 'keyguard.sarif'))).toBe(true);
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toHaveLength(1);
    expect(readFileSync(summary, 'utf8')).toContain('src/leak.ts');
    for (const text of [r.stdout, r.stderr, readFileSync(summary, 'utf8'), readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8')]) expect(text).not.toContain(key);
  });

  it('a shallow checkout fails the step with the fetch-depth hint, even in the SARIF pass', () => {
    const { repo, head } = history();
    const clone = join(tempDir(), 'shallow');
    expect(spawnSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone], { env: cleanEnv() }).status).toBe(0);
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ before: 'f'.repeat(40), after: head, ref: 'refs/heads/main', repository: { default_branch: 'main' } }));
    const env = cleanEnv({ GITHUB_ACTION_PATH: PROJECT_ROOT, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, CI: 'true', KG_MODE: 'auto', KG_FORMAT: 'github', KG_SARIF: 'true', KG_FAIL_ON: 'error' });
    const r = bash(actionScript('Scan'), clone, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('fetch-depth: 0');
  });
});

describe('docs/gitlab-ci.yml script', () => {
  it('a merge request writes a GitLab secret-detection report and fails on a key added then removed', () => {
    const { repo, base, head, key } = history();
    const env = cleanEnv({ CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_COMMIT_SHA: head, CI_DEFAULT_BRANCH: 'main' });
    const r = bash(gitlabScript(), repo.dir, env);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(repo.dir, 'gl-secret-detection-report.json'), 'utf8')) as { vulnerabilities: { location: { file: string } }[] };
    expect(report.vulnerabilities.map((v) => v.location.file)).toEqual(['src/leak.ts']);
    expect(readFileSync(join(repo.dir, 'gl-secret-detection-report.json'), 'utf8')).not.toContain(key);
  });

  it('a push to a new branch scans its commits not on the default branch', () => {
    const { repo, base, head } = history();
    repo.git('update-ref', 'refs/remotes/origin/main', base);
    const env = cleanEnv({ CI: 'true', CI_COMMIT_BEFORE_SHA: '0'.repeat(40), CI_COMMIT_SHA: head, CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main' });
    expect(bash(gitlabScript(), repo.dir, env).status).toBe(1);
    repo.git('update-ref', 'refs/remotes/origin/main', head);
    expect(bash(gitlabScript(), repo.dir, env).status).toBe(0);
  });
});
