/**
 * The dotenv repo rules end to end, in real repositories: what `--staged` and a tree scan report
 * for dotenv files that are staged, tracked (also force-added past .gitignore), present and not
 * ignored, or templates holding real-looking values; and what they leave alone.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRepo, cleanEnv, runCli, tempDir } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const json = (r: { status: number | null; stdout: string; stderr: string }, status: number): JsonReport => {
  expect(r.status, r.stdout + r.stderr).toBe(status);
  return JSON.parse(r.stdout) as JsonReport;
};
const hits = (doc: JsonReport) => doc.findings.map((f) => `${f.ruleId} ${f.path}`);

describe('--staged: dotenv files', () => {
  it('a staged .env is reported with commands that fix it, run from wherever the user is', () => {
    const repo = createRepo({ '.gitignore': 'node_modules/', '.env': 'PORT=3000\n', 'src/app.js': 'ok\n' });
    repo.git('add', '-A');
    const doc = json(repo.keyguard(['scan', '--staged', '--format', 'json']), 1);
    expect(hits(doc)).toEqual(['dotenv-committed .env']);
    const commands = doc.findings[0]?.fixCommands ?? [];
    expect(commands).toEqual([
      "git rm --cached -- :/.env",
      `printf '\\n%s\\n' .env >> "$(git rev-parse --show-toplevel)/.gitignore"`,
    ]);
    const pretty = repo.keyguard(['scan', '--staged']);
    expect(pretty.stdout).toContain('.env is staged');
    expect(pretty.stdout).toContain('$ git rm --cached -- :/.env');
    expect(pretty.stdout).not.toContain('stopped before the key entered history');
    // The commands work as printed from a subdirectory, and keep a .gitignore without a final newline intact.
    const run = spawnSync('sh', ['-c', commands.join(' && ')], { cwd: join(repo.dir, 'src'), env: cleanEnv(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\n');
    json(repo.keyguard(['scan', '--staged', '--format', 'json']), 0);
  });

  it('a .env force-added past .gitignore is reported, although git ignores it', () => {
    const repo = createRepo({ '.gitignore': '.env*\n', '.env.production': 'DB=x\n' });
    repo.git('add', '.gitignore');
    repo.git('add', '-f', '.env.production');
    const doc = json(repo.keyguard(['scan', '--staged', '--format', 'json']), 1);
    expect(hits(doc)).toEqual(['dotenv-committed .env.production']);
  });

  it('a .env committed earlier blocks later commits too (the whole index is judged), and is "tracked"', () => {
    const repo = createRepo({ 'packages/api/.env.local': 'X=1\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'oops');
    repo.write('readme.md', 'hi\n');
    repo.git('add', 'readme.md');
    const doc = json(repo.keyguard(['scan', '--staged', '--format', 'json']), 1);
    expect(hits(doc)).toEqual(['dotenv-committed packages/api/.env.local']);
    expect(doc.findings[0]?.message).toContain('is tracked by git');
  });

  it('a .env on disk that is not ignored is reported; the printed command ignores it', () => {
    const repo = createRepo({ 'apps/web/.env.development.local': 'X=1\n', 'a.js': 'ok\n' });
    repo.git('add', 'a.js');
    const doc = json(repo.keyguard(['scan', '--staged', '--format', 'json']), 1);
    expect(hits(doc)).toEqual(['dotenv-not-ignored apps/web/.env.development.local']);
    const commands = doc.findings[0]?.fixCommands ?? [];
    expect(commands).toEqual([`printf '\\n%s\\n' .env.development.local >> "$(git rev-parse --show-toplevel)/.gitignore"`]);
    const run = spawnSync('sh', ['-c', commands.join(' && ')], { cwd: join(repo.dir, 'apps'), env: cleanEnv(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    repo.git('add', '.gitignore');
    json(repo.keyguard(['scan', '--staged', '--format', 'json']), 0);
  });

  it('a tracked .env says it is already in history', () => {
    const repo = createRepo({ '.env': 'X=1\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'oops');
    repo.write('b.js', 'ok\n');
    repo.git('add', 'b.js');
    const pretty = repo.keyguard(['scan', '--staged']);
    expect(pretty.status).toBe(1);
    expect(pretty.stdout).toContain('already in the repository');
    expect(pretty.stdout).toContain('rotate every key');
  });

  it('tree scans of a directory in another repository, or outside any, work from here', () => {
    const here = createRepo({ 'a.js': 'ok\n' });
    const other = createRepo({ 'svc/.env': 'X=1\n' });
    const doc = json(here.keyguard(['scan', other.dir, '--format', 'json']), 1);
    expect(doc.findings.map((f) => f.ruleId)).toEqual(['dotenv-not-ignored']);
    expect(doc.findings[0]?.path.endsWith('svc/.env')).toBe(true);
  });

  it('is seen from a subdirectory as well', () => {
    const repo = createRepo({ '.env': 'X=1\n', 'src/a.js': 'ok\n' });
    repo.git('add', 'src/a.js');
    const doc = json(repo.keyguard(['scan', '--staged', '--format', 'json'], { cwd: `${repo.dir}/src` }), 1);
    expect(hits(doc)).toEqual(['dotenv-not-ignored .env']);
  });

  it('templates with placeholders pass; a real-looking value or a key in one is reported, its value never printed', () => {
    const repo = createRepo({ '.env.example': 'OPENAI_API_KEY=your-openai-api-key-here\nPORT=3000\n', '.gitignore': '.env\n', '.env': 'x=1\n' });
    repo.git('add', '.env.example', '.gitignore');
    json(repo.keyguard(['scan', '--staged', '--format', 'json']), 0);

    const realLooking = 'Vb8Qz2LmXw4RtY7kPn3S';
    const key = genKey('svcacct');
    repo.write('.env.example', `OPENAI_API_KEY=${key}\nPORT=3000\nSTRIPE_SECRET="${realLooking}"\n`);
    repo.git('add', '.env.example');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    const doc = json(r, 1);
    expect(doc.findings.map((f) => [f.ruleId, f.line, f.preview])).toEqual([
      ['dotenv-template-secret', 1, 'OPENAI_API_KEY'],
      ['openai-api-key', 1, `sk-svcacct-…${key.slice(-4)}`],
      ['dotenv-template-secret', 3, 'STRIPE_SECRET'],
    ]);
    const pretty = repo.keyguard(['scan', '--staged']);
    for (const out of [r.stdout, pretty.stdout, pretty.stderr]) {
      expect(out).not.toContain(key);
      expect(out).not.toContain(realLooking);
    }
  });

  it('an ignored .env and committed templates are not reported', () => {
    const repo = createRepo({ '.gitignore': '.env\n.env.local\n', '.env': 'X=1\n', '.env.local': 'Y=2\n', '.env.sample': 'TOKEN=\n', 'a.js': 'ok\n' });
    repo.git('add', '.gitignore', '.env.sample', 'a.js');
    json(repo.keyguard(['scan', '--staged', '--format', 'json']), 0);
  });
});

describe('tree scans: dotenv files', () => {
  it('inside a repository: tracked and unignored dotenv files below the named directory are reported', () => {
    const repo = createRepo({ '.gitignore': 'ignored/.env\n', 'svc/.env': 'X=1\n', 'tracked/.env.production': 'Y=1\n', 'ignored/.env': 'Z=1\n', 'other/.env': 'W=1\n' });
    repo.git('add', '.gitignore', 'tracked/.env.production');
    const all = json(repo.keyguard(['scan', '.', '--format', 'json']), 1);
    expect(hits(all).sort()).toEqual(['dotenv-committed tracked/.env.production', 'dotenv-not-ignored other/.env', 'dotenv-not-ignored svc/.env']);
    const one = json(repo.keyguard(['scan', 'svc', '--format', 'json']), 1);
    expect(hits(one)).toEqual(['dotenv-not-ignored svc/.env']);
    const fromSub = json(repo.keyguard(['scan', '.', '--format', 'json'], { cwd: `${repo.dir}/svc` }), 1);
    expect(hits(fromSub)).toEqual(['dotenv-not-ignored .env']);
  });

  it('outside a repository there is no ignore status to judge, so only content rules run', () => {
    const dir = tempDir();
    const env = cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(dir) });
    writeFileSync(`${dir}/.env`, 'X=1\n');
    json(runCli(['scan', '.', '--format', 'json'], dir, { env }), 0);
  });
});
