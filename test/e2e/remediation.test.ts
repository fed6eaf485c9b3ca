import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanEnv, createRepo, tempDir, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';
import { createEngine } from '../../src/engine/engine.js';
import { markStagedExposure } from '../../src/sources/exposure.js';
import { builtinRules } from '../../rules/index.js';

/**
 * What each finding tells the user to do depends on how far the key went: only staged, in a
 * local commit, or in a commit a remote-tracking branch holds (src/sources/exposure.ts).
 */

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as JsonReport & { findings: { exposure?: string }[] };

/** A repository with a bare "origin" it has pushed its first commit to. */
function withOrigin(files: Record<string, string> = { 'README.md': 'hi\n' }): Repo {
  const origin = tempDir();
  execFileSync('git', ['init', '-q', '--bare', origin], { env: cleanEnv() });
  const repo = createRepo(files);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  return repo;
}

describe('remediation by exposure', () => {
  it('a key only staged: the commit was stopped; nothing says revoke now', () => {
    const repo = withOrigin();
    repo.write('app.js', `const k = "${genKey()}";\n`);
    repo.git('add', 'app.js');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(json(r).findings.map((f) => f.exposure)).toEqual(['staged']);
    const pretty = repo.keyguard(['scan', '--staged']);
    expect(pretty.stdout).toContain('It is only staged: the commit was stopped before the key entered history');
    expect(pretty.stdout).not.toContain('it has left this machine');
  });

  it('a staged key already in a local commit: rewrite that commit before pushing', () => {
    const repo = withOrigin();
    const key = genKey('svcacct');
    repo.write('old.js', `const k = "${key}";\n`);
    repo.git('add', 'old.js');
    repo.git('commit', '-q', '--no-verify', '-m', 'slipped past the hook');
    repo.write('new.js', `export const k = "${key}";\n`);
    repo.git('add', 'new.js');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(json(r).findings.map((f) => f.exposure)).toEqual(['local']);
    expect(repo.keyguard(['scan', '--staged']).stdout).toContain('already in a local commit that is not pushed: rewrite that commit before pushing');
  });

  it('a staged key already pushed: revoke it now, rewriting history does not un-leak it', () => {
    const repo = withOrigin();
    const key = genKey('admin');
    repo.write('config/prod.json', `{ "key": "${key}" }\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'pushed by mistake');
    repo.git('push', '-q', 'origin', 'main');
    repo.write('config/copy.json', `{ "key": "${key}" }\n`);
    repo.git('add', '-A');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(json(r).findings.map((f) => f.exposure)).toEqual(['pushed']);
    const pretty = repo.keyguard(['scan', '--staged']);
    expect(pretty.stdout).toContain('it has left this machine: revoke it now (rewriting history does not un-leak a pushed key)');
    expect(pretty.stdout).not.toContain('The commit was stopped before the key entered history');
    expect(pretty.stdout).not.toContain(key);
  });

  it('a key committed on another local branch, or stashed, is "local", not "only staged"', () => {
    const repo = withOrigin();
    const key = genKey();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('a.txt', `K=${key}\n`);
    repo.git('add', 'a.txt');
    repo.git('commit', '-q', '--no-verify', '-m', 'leak on a branch');
    repo.git('checkout', '-q', 'main');
    repo.write('b.txt', `K=${key}\n`);
    repo.git('add', 'b.txt');
    expect(json(repo.keyguard(['scan', '--staged', '--format', 'json'])).findings.map((f) => f.exposure)).toEqual(['local']);

    repo.git('rm', '-q', '-f', 'b.txt');
    const stashed = genKey('svcacct');
    repo.write('README.md', `hi ${stashed}\n`);
    repo.git('stash', '-q');
    repo.write('c.txt', `K=${stashed}\n`);
    repo.git('add', 'c.txt');
    const r = json(repo.keyguard(['scan', '--staged', '--format', 'json']));
    expect(r.findings.map((f) => [f.path, f.exposure])).toEqual([['c.txt', 'local']]);
  });

  it('past its time budget the check gives up and says it could not tell, rather than "only staged"', async () => {
    const repo = withOrigin();
    const key = genKey();
    repo.write('a.txt', `K=${key}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'pushed');
    repo.git('push', '-q', 'origin', 'main');
    const finding = () => createEngine(builtinRules).scan({ path: 'b.txt', text: `K=${key}`, origin: 'staged', bytes: 60 });
    const late = finding();
    await markStagedExposure(repo.dir, late, builtinRules, -1);
    expect(late[0]?.exposure).toBeUndefined();
    const inTime = finding();
    await markStagedExposure(repo.dir, inTime, builtinRules);
    expect(inTime[0]?.exposure).toBe('pushed');
  });

  it('a warning-only finding lets the commit through without reading history', () => {
    const repo = withOrigin();
    repo.write('.keyguardrc.json', JSON.stringify({ rules: { 'openai-api-key': 'warning' } }));
    repo.write('a.js', `const k = "${genKey()}";\n`);
    repo.git('add', 'a.js');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(json(r).findings.map((f) => f.exposure)).toEqual([undefined]);
  });

  it('history findings: pushed commits say revoke now, unpushed ones say rewrite first', () => {
    const repo = withOrigin();
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('a.js', `const a = "${genKey()}";\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'a');
    repo.git('push', '-q', 'origin', 'main');
    repo.write('b.js', `const b = "${genKey()}";\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'b');
    const r = repo.keyguard(['scan', '--range', `${base}..HEAD`, '--format', 'json']);
    expect(json(r).findings.map((f) => [f.path, f.exposure])).toEqual([['a.js', 'pushed'], ['b.js', 'local']]);
    const pretty = repo.keyguard(['scan', '--range', `${base}..HEAD`]);
    expect(pretty.stdout).toContain('That commit is on no remote-tracking branch yet: rewrite it before pushing');
    expect(pretty.stdout).toContain('revoke it now');
    // The JSON report stays valid against the published schema (checked in json-schema.test.ts); here: no raw key.
    expect(r.stdout).not.toMatch(/T3BlbkFJ/);
  });

  it('a repository without remotes: a staged key is "staged", and a file scan says nothing about exposure', () => {
    const repo = createRepo({ 'x.js': `const k = "${genKey()}";\n` });
    repo.git('add', '-A');
    expect(json(repo.keyguard(['scan', '--staged', '--format', 'json'])).findings.map((f) => f.exposure)).toEqual(['staged']);
    expect(json(repo.keyguard(['scan', '.', '--format', 'json'])).findings.map((f) => f.exposure)).toEqual([undefined]);
  });
});

describe('the full guide', () => {
  it('`keyguard rules openai-api-key` prints the key types with their pages, the exposure guide and the revoke command', () => {
    const dir = tempDir();
    const r = createRepo().keyguard(['rules', 'openai-api-key'], { cwd: dir });
    expect(r.status).toBe(0);
    for (const text of [
      'admin key: https://platform.openai.com/settings/organization/admin-keys',
      'project key: https://platform.openai.com/api-keys',
      'service account key: https://platform.openai.com/settings/organization/projects',
      'How far the key went decides what to do',
      'only staged:',
      'in a pushed commit (a remote-tracking branch has it): revoke it now',
      'https://platform.openai.com/usage',
      'keyguard revoke',
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  it('SARIF rule help carries the same guide', () => {
    const repo = createRepo({ 'a.js': `const k = "${genKey()}";\n` });
    const sarif = JSON.parse(repo.keyguard(['scan', '.', '--format', 'sarif']).stdout) as {
      runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string } }[] } } }[];
    };
    const rule = sarif.runs[0]?.tool.driver.rules.find((x) => x.id === 'openai-api-key');
    expect(rule?.help.text).toContain('How far the key went decides what to do');
    expect(rule?.help.markdown).toContain('**How far the key went decides what to do**');
    expect(rule?.help.text).toContain('keyguard revoke');
  });
});
