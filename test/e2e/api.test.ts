/**
 * The programmatic API as published (dist/index.js, the built bundle): the same scan the CLI runs.
 * The API spawns git with process.env, so git variables a surrounding hook may have exported
 * (GIT_INDEX_FILE, GIT_DIR, …) are removed for this file and restored afterwards.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../../src/index.js';
import { createRepo, tempDir } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

// The built bundle, typed by the source it was built from (dist/index.js has no declaration next to it).
const { KeyguardError, scan, openProject, readBaseline, defineConfig } = (await import('../../dist/index.js' as string)) as typeof Api;

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of Object.keys(process.env)) {
    if (k === 'GIT_DIR' || k === 'GIT_WORK_TREE' || k === 'GIT_INDEX_FILE' || k === 'GIT_OBJECT_DIRECTORY' || k === 'GIT_COMMON_DIR') {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

const pick = (f: { ruleId: string; path: string; line: number; column: number; fingerprint: string }) => ({
  ruleId: f.ruleId,
  path: f.path,
  line: f.line,
  column: f.column,
  fingerprint: f.fingerprint,
});

describe('scan() from dist/index.js', () => {
  it('finds a staged key and returns the same findings as `keyguard scan --staged --format json`', async () => {
    const repo = createRepo({
      'src/config.ts': `export const config = {\n  apiKey: "${genKey('proj')}",\n};\n`,
      'deploy/keys.txt': `ADMIN_KEY=${genKey('admin')}\nOTHER=${genKey('legacy')}\n`,
      'README.md': '# demo\n',
    });
    repo.git('add', '-A');

    const result = await scan({ source: { kind: 'staged' }, cwd: repo.dir });
    expect(result.findings).toHaveLength(3);
    expect(result.stats).toMatchObject({ source: 'staged', mode: 'added-lines', files: 3 });
    expect(result.findings.map((f) => f.keyType)).toEqual(['admin', 'user', 'project']);

    const cli = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(cli.status, cli.stderr).toBe(1);
    const report = JSON.parse(cli.stdout) as { findings: Parameters<typeof pick>[0][] };
    expect(result.findings.map(pick)).toEqual(report.findings.map(pick));
    expect(result.findings.map(pick)).toEqual([
      expect.objectContaining({ ruleId: 'openai-api-key', path: 'deploy/keys.txt', line: 1, column: 11 }),
      expect.objectContaining({ path: 'deploy/keys.txt', line: 2, column: 7 }),
      expect.objectContaining({ path: 'src/config.ts', line: 2, column: 12 }),
    ]);

    // --full agrees as well.
    const full = await scan({ source: { kind: 'staged', full: true }, cwd: repo.dir });
    const cliFull = JSON.parse(repo.keyguard(['scan', '--staged', '--full', '--format', 'json']).stdout) as typeof report;
    expect(full.findings.map(pick)).toEqual(cliFull.findings.map(pick));
    expect(full.stats.mode).toBe('full');
  });

  it('scans paths and stdin like the CLI', async () => {
    const key = genKey('svcacct');
    const repo = createRepo({ 'a/b.env': `K=${key}\n` });
    const paths = await scan({ source: { kind: 'paths', paths: ['.'] }, cwd: repo.dir });
    const cli = JSON.parse(repo.keyguard(['scan', '.', '--format', 'json']).stdout) as { findings: Parameters<typeof pick>[0][] };
    expect(paths.findings.map(pick)).toEqual(cli.findings.map(pick));
    expect(paths.findings).toHaveLength(1);

    const stdin = await scan({ source: { kind: 'stdin', stdin: Readable.from([Buffer.from(`K=${key}\n`)]) } });
    expect(stdin.findings).toHaveLength(1);
    expect(stdin.findings[0]).toMatchObject({ path: '<stdin>', keyType: 'service-account' });
    // The API never hands out the secret either.
    expect(JSON.stringify([paths, stdin])).not.toContain(key);
  });

  it('a missing path rejects with code PATH_NOT_FOUND', async () => {
    const dir = tempDir();
    const error = await scan({ source: { kind: 'paths', paths: ['no-such-file.env'] }, cwd: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeyguardError);
    expect(error).toMatchObject({ code: 'PATH_NOT_FOUND' });
    expect((error as Error).message).toContain('no-such-file.env');
    await expect(scan({ source: { kind: 'paths', paths: ['missing/x'] }, cwd: dir })).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
  });

  it('a staged scan outside a repository rejects instead of returning a clean result', async () => {
    const dir = tempDir();
    await expect(scan({ source: { kind: 'staged' }, cwd: dir })).rejects.toMatchObject({ code: 'NOT_A_GIT_REPO' });
  });

  it('with openProject and readBaseline scans as the CLI does: config rules, allowlists and baseline', async () => {
    const config = defineConfig({ rules: { 'openai-api-key': 'warning' }, allow: { paths: ['fixtures/**'] } });
    const repo = createRepo({
      '.keyguardrc.json': JSON.stringify(config),
      'fixtures/a.txt': `${genKey()}\n`,
      'src/old.js': `const o = "${genKey('legacy')}";\n`,
    });
    expect(repo.keyguard(['baseline']).status).toBe(0);
    repo.write('src/new.js', `const n = "${genKey()}";\n`);
    const project = await openProject({ cwd: repo.dir });
    const baseline = readBaseline(`${project.root}/.keyguard-baseline.json`, '.keyguard-baseline.json');
    const api = await scan({ source: { kind: 'paths', paths: ['.'] }, cwd: repo.dir, project, ...(baseline ? { baseline } : {}) });
    const cli = JSON.parse(repo.keyguard(['scan', '.', '--format', 'json']).stdout) as { findings: Parameters<typeof pick>[0][]; stats: { suppressed: unknown } };
    expect(api.findings.map(pick)).toEqual(cli.findings.map(pick));
    expect(api.findings.map((f) => [f.path, f.severity])).toEqual([['src/new.js', 'warning']]);
    expect(api.stats.suppressed).toEqual({ inline: 0, allowlist: 1, baseline: 1 });
    expect(cli.stats.suppressed).toEqual(api.stats.suppressed);
  });

  it('openProject rejects an invalid config with CONFIG_INVALID', async () => {
    const repo = createRepo({ 'package.json': JSON.stringify({ name: 'x', keyguard: { failOn: 'sometimes' } }) });
    await expect(openProject({ cwd: repo.dir })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
