/**
 * Ways a scan could end "clean" without having read its input or delivered its report, each
 * reproduced for real: every one must be exit 2 (or keep the verdict), never a silent pass.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createRepo, runCli, tempDir } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';

const sh = (script: string, cwd: string, env: NodeJS.ProcessEnv = cleanEnv()) =>
  spawnSync('bash', ['-c', script], { cwd, env: { ...env, NODE: process.execPath, CLI }, encoding: 'utf8', timeout: 20_000 });

describe('input that could not be read is never clean', () => {
  it('--stdin redirected from a directory is exit 2', () => {
    const dir = tempDir();
    const r = sh('"$NODE" "$CLI" scan --stdin < .', dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('standard input is a directory');
    expect(r.stdout).not.toContain('no secrets');
  });

  it('paths mode with GIT_DIR exported and no GIT_WORK_TREE (a hook in a linked worktree) still reads tracked files', () => {
    const repo = createRepo({ 'cfg/a.txt': 'a\n', 'cfg/.gitignore': '*.env\n', 'cfg/prod.env': `K=${genKey('proj')}\n` });
    repo.git('add', '-A');
    repo.git('add', '-f', 'cfg/prod.env');
    repo.git('commit', '-q', '-m', 'init');
    const wt = join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', wt, '-b', 'side');
    const gitDir = spawnSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: wt, encoding: 'utf8', env: cleanEnv() }).stdout.trim();
    const r = runCli(['scan', 'cfg', '--format', 'json'], wt, { env: cleanEnv({ GIT_DIR: gitDir }) });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: { path: string }[]; stats: { skipped: Record<string, number> } };
    expect(doc.findings.map((f) => f.path)).toEqual(['cfg/prod.env']);
    expect(doc.stats.skipped).toEqual({});
  });

  it('a UTF-16 file (PowerShell 5 writes these) is decoded and scanned, staged and on disk', () => {
    const key = genKey('proj');
    const repo = createRepo();
    const bom = Buffer.from([0xff, 0xfe]);
    repo.write('setenv.ps1', Buffer.concat([bom, Buffer.from(`# set\r\n$env:OPENAI_API_KEY = "${key}"\r\n`, 'utf16le')]));
    const be = Buffer.from(`x = "${key}"\n`, 'utf16le').swap16();
    repo.write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    repo.git('add', '-A');
    for (const args of [['scan', '--staged'], ['scan', '--staged', '--full'], ['scan', '.']]) {
      const r = repo.keyguard([...args, '--format', 'json']);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout) as { findings: { path: string; line: number; column: number }[] };
      expect(doc.findings.map((f) => [f.path, f.line, f.column])).toEqual([
        ['be.txt', 1, 6],
        ['setenv.ps1', 2, 24],
      ]);
      expect(r.stdout).not.toContain(key);
    }
  });
});

describe('a report that could not be delivered is never a result', () => {
  it('stdout that fails to write (/dev/full) is exit 2 even when the scan was clean', () => {
    const repo = createRepo({ 'a.txt': 'fine\n' });
    const r = sh('"$NODE" "$CLI" scan . > /dev/full', repo.dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('could not write the report');
  });

  it('a reader that stops early (| head) keeps the verdict and prints no crash', () => {
    const repo = createRepo();
    for (let i = 0; i < 40; i++) repo.write(`k${i}.txt`, `K=${genKey('legacy')}\n`);
    const r = sh('set -o pipefail; "$NODE" "$CLI" scan . | head -c 10 >/dev/null; echo "rc=${PIPESTATUS[0]}"', repo.dir);
    expect(r.stdout.trim()).toBe('rc=1');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('--output through a symlink writes the link target and keeps the link', () => {
    const repo = createRepo({ 'a.txt': `K=${genKey('admin')}\n` });
    const real = join(tempDir(), 'report.json');
    writeFileSync(real, '');
    symlinkSync(real, join(repo.dir, 'report.json'));
    const r = repo.keyguard(['scan', 'a.txt', '--format', 'json', '--output', 'report.json']);
    expect(r.status).toBe(1);
    expect(lstatSync(join(repo.dir, 'report.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).findings).toHaveLength(1);
  });
});
