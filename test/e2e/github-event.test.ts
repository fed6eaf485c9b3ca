/**
 * The GitHub Action's range logic, run locally against GitHub event payloads (the documented
 * webhook shapes, trimmed to the fields that matter, in test/fixtures/github-events) with real
 * commits substituted in, since no runner is available here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canUploadSarif, planGithubScan } from '../../src/ci/github.js';
import { PROJECT_ROOT, cleanEnv, createRepo, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'github-events', `${name}.json`), 'utf8');
const payload = (name: string, subs: Record<string, string> = {}) => {
  let text = fixture(name);
  for (const [from, to] of Object.entries(subs)) text = text.replaceAll(`"${from}"`, JSON.stringify(to));
  return JSON.parse(text) as Parameters<typeof planGithubScan>[1];
};

describe('planGithubScan', () => {
  it('a pull request scans base..head', () => {
    expect(planGithubScan('pull_request', payload('pull_request', { BASE: 'b1', HEAD: 'h1' }))).toMatchObject({ kind: 'range', range: 'b1..h1' });
  });
  it('a push scans before..after; a new branch its commits not on the default branch; a new default branch everything', () => {
    expect(planGithubScan('push', payload('push', { BEFORE: 'a1', AFTER: 'a2' }))).toMatchObject({ kind: 'range', range: 'a1..a2' });
    expect(planGithubScan('push', payload('push-new-branch', { AFTER: 'a2' }))).toMatchObject({ kind: 'range', range: 'origin/main..a2' });
    expect(planGithubScan('push', payload('push-new-default-branch', { AFTER: 'a2' }))).toMatchObject({ kind: 'all' });
    expect(planGithubScan('push', payload('push-delete-branch', { BEFORE: 'a1' }))).toMatchObject({ kind: 'none' });
    expect(planGithubScan('workflow_dispatch', payload('workflow_dispatch'))).toMatchObject({ kind: 'all' });
  });
  it('a force-push is judged as a new branch (its old before is gone); a merge queue scans base..head', () => {
    const forced = { ...payload('push', { BEFORE: 'gone', AFTER: 'a2' }), forced: true, ref: 'refs/heads/feature' };
    expect(planGithubScan('push', forced)).toMatchObject({ kind: 'range', range: 'origin/main..a2' });
    expect(planGithubScan('push', { ...forced, ref: 'refs/heads/main' })).toMatchObject({ kind: 'all' });
    expect(planGithubScan('merge_group', { merge_group: { base_sha: 'b', head_sha: 'h' } })).toMatchObject({ kind: 'range', range: 'b..h' });
  });

  it('SARIF is uploaded except from a fork', () => {
    expect(canUploadSarif('pull_request', payload('pull_request'))).toBe(true);
    expect(canUploadSarif('pull_request', payload('pull_request-fork'))).toBe(false);
    expect(canUploadSarif('push', payload('push'))).toBe(true);
  });
  it('an event without its commits is an error, not a guess', () => {
    expect(() => planGithubScan('pull_request', { pull_request: {} })).toThrow(/base.sha/);
  });
});

describe('keyguard scan --github-event in a repository', () => {
  const setup = () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const commit = (r: Repo, m: string) => {
      r.git('add', '-A');
      r.git('commit', '-q', '--no-verify', '-m', m);
      return r.git('rev-parse', 'HEAD').trim();
    };
    const base = commit(repo, 'base');
    const key = genKey('proj');
    repo.write('leak.js', `k = "${key}"\n`);
    const leak = commit(repo, 'leak');
    repo.write('leak.js', 'k = process.env.K\n');
    const head = commit(repo, 'fix');
    return { repo, base, leak, head, key };
  };
  const run = (repo: Repo, eventName: string, event: object) => {
    const path = join(tempDir(), 'event.json');
    writeFileSync(path, JSON.stringify(event));
    return repo.keyguard(['scan', '--github-event', '--format', 'json'], { env: cleanEnv({ GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: path, CI: 'true' }) });
  };

  it('a pull request whose key was added then removed still fails, with the commit', () => {
    const { repo, base, leak, head, key } = setup();
    const r = run(repo, 'pull_request', payload('pull_request', { BASE: base, HEAD: head }));
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.findings.map((f) => f.commit)).toEqual([leak]);
    expect(r.stderr).toContain('pull request');
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('a push after the leak was fixed passes; a deleted branch scans nothing and passes', () => {
    const { repo, head, leak } = setup();
    expect(run(repo, 'push', payload('push', { BEFORE: leak, AFTER: head })).status).toBe(0);
    const deleted = run(repo, 'push', payload('push-delete-branch', { BEFORE: head }));
    expect(deleted.status).toBe(0);
    expect(deleted.stderr).toContain('nothing to scan');
  });

  it('outside GitHub Actions --github-event is a usage error with the --range alternative', () => {
    const { repo } = setup();
    const r = repo.keyguard(['scan', '--github-event']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--range');
  });
});
