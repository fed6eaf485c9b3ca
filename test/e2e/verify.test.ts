import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createRepo, type CliResult, type Repo } from '../helpers/repo.js';
import { expand, genKey } from '../helpers/keys.js';

const expandAnthropic = () => expand('sk-ant-api03-{b64url:93}AA').text;
import { closedPortUrl, redactedValue, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';

/**
 * `--verify` and `keyguard revoke` through the built CLI, against a fake OpenAI API on 127.0.0.1
 * (KEYGUARD_OPENAI_BASE_URL). The CLI runs as an async child: the fake server lives in this process.
 */

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

/** `input` undefined: standard input stays open (a terminal nobody types into). */
function keyguard(repo: Repo, args: string[], env: NodeJS.ProcessEnv = {}, input: string | undefined = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: repo.dir, env: cleanEnv({ KEYGUARD_OPENAI_BASE_URL: fake.baseUrl, ...env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.on('close', () => child.stdin.destroy());
  });
}

type Report = { findings: { path: string; verification?: { status: string; detail: string } }[] };

function expectNoKey(r: CliResult, keys: readonly string[]): void {
  for (const key of keys) {
    expect(r.stdout + r.stderr).not.toContain(key);
    expect(r.stdout + r.stderr).not.toContain(key.slice(-16));
  }
}

describe('--verify', () => {
  it('classifies each key live, invalid or unknown, one request per distinct key, in every output format', async () => {
    const live = genKey('proj');
    const revoked = genKey('legacy');
    const flaky = genKey('svcacct');
    fake.config.keys.set(live, 'live');
    fake.config.keys.set(revoked, 'invalid');
    fake.config.keys.set(flaky, 'server-error');
    const repo = createRepo({
      'a.js': `const a = "${live}";\nconst again = "${live}";\n`,
      'b.env': `OLD=${revoked}\n`,
      'c.yml': `key: ${flaky}\n`,
    });
    const r = await keyguard(repo, ['scan', '.', '--verify', '--format', 'json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.path, f.verification?.status])).toEqual([
      ['a.js', 'live'],
      ['a.js', 'live'],
      ['b.env', 'invalid'],
      ['c.yml', 'unknown'],
    ]);
    expect(report.findings[2]?.verification?.detail).toBe('HTTP 401 invalid_api_key');
    // One request per distinct key (the 503 is retried once), to the fake server only.
    expect(fake.requestsWith(live)).toHaveLength(1);
    expect(fake.requestsWith(revoked)).toHaveLength(1);
    expect(fake.requestsWith(flaky).length).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain(`each distinct OpenAI key found is sent to ${fake.baseUrl}`);
    expectNoKey(r, [live, revoked, flaky]);

    for (const format of ['pretty', 'sarif', 'github', 'gitlab', 'junit']) {
      const out = await keyguard(repo, ['scan', '.', '--verify', '--format', format]);
      expect(out.stdout, format).toContain('Live check: the key works');
      expect(out.stdout, format).toContain('Live check: the key is rejected');
      expect(out.stdout, format).toContain('Live check: could not tell');
      expectNoKey(out, [live, revoked, flaky]);
    }
  });

  it('checks admin keys through the admin endpoint', async () => {
    const admin = genKey('admin');
    fake.config.keys.set(admin, 'live');
    const repo = createRepo({ 'ops.sh': `export OPENAI_ADMIN_KEY=${admin}\n` });
    const r = await keyguard(repo, ['scan', '.', '--verify', '--format', 'json']);
    expect((JSON.parse(r.stdout) as Report).findings[0]?.verification?.status).toBe('live');
    expect(fake.requestsWith(admin).map((q) => q.path)).toEqual(['/organization/admin_api_keys']);
  });

  it('a refused connection leaves the key unknown and the scan still fails on it', async () => {
    const key = genKey('proj');
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    const r = await keyguard(repo, ['scan', '.', '--verify', '--format', 'json'], { KEYGUARD_OPENAI_BASE_URL: await closedPortUrl() });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as Report).findings[0]?.verification).toEqual({ status: 'unknown', detail: 'connection refused' });
  });

  it('a base URL keyguard refuses is an error before anything is scanned or sent', async () => {
    const key = genKey();
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    const r = await keyguard(repo, ['scan', '.', '--verify'], { KEYGUARD_OPENAI_BASE_URL: 'http://example.test/v1' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('is sent to');
    expect(r.stderr).toContain('https');
  });

  it('the GitHub job summary carries the live check', async () => {
    const key = genKey();
    fake.config.keys.set(key, 'live');
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    const summary = `${repo.dir}/summary.md`;
    await keyguard(repo, ['scan', 'a.js', '--verify', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(summary, 'utf8')).toContain('live check: **live** (HTTP 200)');
  });

  it('without --verify nothing is sent anywhere', async () => {
    const key = genKey('proj');
    fake.config.keys.set(key, 'live');
    const repo = createRepo({ 'a.js': `k = "${key}"\n` });
    repo.git('add', '-A');
    for (const args of [['scan', '.'], ['scan', '--staged'], ['scan', '.', '--format', 'sarif']]) {
      const r = await keyguard(repo, args);
      expect(r.status).toBe(1);
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('keyguard revoke', () => {
  function setUp(): { repo: Repo; key: string; admin: string } {
    const key = genKey('proj');
    const admin = genKey('admin');
    fake.config.keys.set(admin, 'live');
    fake.config.projects.push({ id: 'proj_app', name: 'App', keys: [{ id: 'key_1', name: 'laptop', redacted_value: redactedValue(key), owner: { type: 'user', name: 'Ada' } }] });
    const repo = createRepo({ 'README.md': 'x\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
    repo.write('src/client.ts', `const key = "${key}";\n`);
    repo.git('add', '-A');
    return { repo, key, admin };
  }

  it('finds the staged key among the organization\'s keys and deletes it once confirmed', async () => {
    const { repo, key, admin } = setUp();
    const r = await keyguard(repo, ['revoke', '--staged'], { OPENAI_ADMIN_KEY: admin }, 'y\n');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(fake.deleted).toEqual(['proj_app/key_1']);
    expectNoKey(r, [key, admin]);
  });

  it('deletes nothing when the answer is no, and exits 1', async () => {
    const { repo, admin } = setUp();
    const r = await keyguard(repo, ['revoke', '--staged'], { OPENAI_ADMIN_KEY: admin }, 'n\n');
    expect(r.status).toBe(1);
    expect(fake.deleted).toEqual([]);
  });

  it('--yes deletes without asking; a missing admin key is exit 2 with the way to make one', async () => {
    const { repo, admin } = setUp();
    const missing = await keyguard(repo, ['revoke', '--staged', '--yes']);
    expect(missing.status).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('https://platform.openai.com/settings/organization/admin-keys');
    expect(fake.deleted).toEqual([]);
    const r = await keyguard(repo, ['revoke', '--staged', '--yes'], { OPENAI_ADMIN_KEY: admin });
    expect(r.status).toBe(0);
    expect(fake.deleted).toHaveLength(1);
  });

  it('exits when done even though standard input stays open', async () => {
    const { repo, admin } = setUp();
    const r = await keyguard(repo, ['revoke', '--staged', '--yes'], { OPENAI_ADMIN_KEY: admin }, undefined);
    expect(r.status).toBe(0);
    expect(fake.deleted).toEqual(['proj_app/key_1']);
  });

  it('names the other providers\' secrets it does not revoke', async () => {
    const repo = createRepo({ 'a.env': `ANTHROPIC_API_KEY=${expandAnthropic()}\n` });
    const r = await keyguard(repo, ['revoke', '.'], { OPENAI_ADMIN_KEY: genKey('admin') });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('of other providers found (anthropic-api-key)');
    expect(fake.requests).toEqual([]);
  });

  it('with nothing found, says so and calls no API', async () => {
    const repo = createRepo({ 'a.txt': 'nothing here\n' });
    const r = await keyguard(repo, ['revoke', '.'], { OPENAI_ADMIN_KEY: genKey('admin') });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no OpenAI key found');
    expect(fake.requests).toEqual([]);
  });
});
