/**
 * schema/scan-result.schema.json documents `--format json` exactly: real reports from the built CLI
 * validate against it under Ajv strict mode, and documents that break it do not.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, cleanEnv, createRepo, runCli, tempDir, type CliResult } from '../helpers/repo.js';
import { KEY_TEMPLATES, genKey, type KeyKind } from '../helpers/keys.js';

const SCHEMA_PATH = join(PROJECT_ROOT, 'schema', 'scan-result.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

type Json = Record<string, any>;

const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function expectValid(doc: unknown, context: string): void {
  const ok = validate(doc);
  expect(ok, `${context}: ${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(doc, null, 2)}`).toBe(true);
}

/** Runs a json scan, checks the exit code, validates and returns the report. */
function validReport(r: CliResult, status: number, context: string): Json {
  expect(r.status, `${context}\n${show(r)}`).toBe(status);
  const doc = JSON.parse(r.stdout) as Json;
  expectValid(doc, context);
  // What the schema cannot say: the per-reason counts add up to the list.
  const counts: Record<string, number> = {};
  for (const s of doc.stats.skippedFiles as { reason: string }[]) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  expect(doc.stats.skipped, context).toEqual(counts);
  return doc;
}

const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

describe('the schema itself', () => {
  it('is a valid draft 2020-12 schema that compiles under Ajv strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    expect(typeof validate).toBe('function');
  });

  it('gives every property a description (it is user documentation)', () => {
    const missing: string[] = [];
    const defs = (schema.$defs ?? {}) as Record<string, Json>;
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const obj = node as Json;
      if (obj.properties) {
        for (const [name, prop] of Object.entries(obj.properties as Record<string, Json>)) {
          const ref = typeof prop.$ref === 'string' ? defs[prop.$ref.replace('#/$defs/', '')] : undefined;
          if (typeof prop.description !== 'string' && typeof ref?.description !== 'string') missing.push(`${where}.${name}`);
        }
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('lists exactly the key types and skip reasons keyguard produces', () => {
    const defs = schema.$defs as Json;
    expect([...defs.finding.properties.keyType.enum].sort()).toEqual(['admin', 'project', 'service-account', 'unknown', 'user']);
    const reasons = ['binary', 'deleted-in-worktree', 'lfs-pointer', 'not-a-file', 'submodule', 'symlink', 'too-large', 'unmerged', 'outside-sparse-checkout'].sort();
    expect([...defs.skipReason.enum].sort()).toEqual(reasons);
    expect(Object.keys(defs.stats.properties.skipped.properties).sort()).toEqual(reasons);
  });
});

describe('real reports validate', () => {
  it('staged with findings of every key kind (added lines and --full), and --output', () => {
    const repo = createRepo();
    const kinds = Object.keys(KEY_TEMPLATES) as KeyKind[];
    repo.write('keys.env', kinds.map((k) => `${k.toUpperCase()}=${genKey(k)}`).join('\n') + '\n');
    // A key of no known shape (a project key cut short, as by a hand edit): keyType "unknown".
    repo.write('odd.js', `const k = "${genKey('proj').slice(0, 120)}";\n`);
    repo.write('src/clean.ts', 'export const x = 1;\n');
    repo.git('add', '-A');
    const added = validReport(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, 'staged');
    expect(added.findings).toHaveLength(kinds.length + 1);
    expect(new Set(added.findings.map((f: Json) => f.keyType))).toEqual(new Set(['user', 'project', 'service-account', 'admin', 'unknown']));
    expect(added.stats).toMatchObject({ source: 'staged', mode: 'added-lines', files: 3 });
    const full = validReport(repo.keyguard(['scan', '--staged', '--full', '--format', 'json']), 1, 'staged --full');
    expect(full.stats.mode).toBe('full');
    expect(full.findings).toHaveLength(kinds.length + 1);

    const out = repo.keyguard(['scan', '--staged', '--format', 'json', '--output', 'report.json']);
    expect(out.status, show(out)).toBe(1);
    expectValid(JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8')), '--output');
  });

  it('clean scans (staged, paths, and an empty staged change)', () => {
    const repo = createRepo({ 'a.txt': 'hello\n' });
    const empty = validReport(repo.keyguard(['scan', '--staged', '--format', 'json']), 0, 'nothing staged');
    expect(empty.findings).toEqual([]);
    expect(empty.stats).toMatchObject({ files: 0, bytes: 0, skipped: {}, skippedFiles: [] });
    repo.git('add', '-A');
    const staged = validReport(repo.keyguard(['scan', '--staged', '--format', 'json']), 0, 'clean staged');
    expect(staged.stats).toMatchObject({ source: 'staged', files: 1 });
    const paths = validReport(repo.keyguard(['scan', '.', '--format', 'json']), 0, 'clean paths');
    expect(paths.stats.source).toBe('paths');
    expect(paths.stats.mode).toBeUndefined();
  });

  it('repo-rule findings (dotenv) with their message and fix commands, staged and in a tree scan', () => {
    const repo = createRepo({ '.env': 'A=1\n', 'svc/.env.local': 'B=2\n', '.env.example': 'DB_PASSWORD=h7Gk2pQw9xVt4LmZ\n' });
    repo.git('add', '.env', '.env.example');
    const staged = validReport(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, 'dotenv staged');
    expect((staged.findings as { ruleId: string }[]).map((f) => f.ruleId).sort()).toEqual(['dotenv-committed', 'dotenv-not-ignored', 'dotenv-template-secret']);
    const tree = validReport(repo.keyguard(['scan', '.', '--format', 'json']), 1, 'dotenv tree');
    expect((tree.findings as { fixCommands: string[] }[]).every((f) => f.fixCommands.length > 0)).toBe(true);
  });

  it('paths with every kind of skip', () => {
    const repo = createRepo({
      'ok.txt': 'hello\n',
      'gone.txt': 'soon deleted\n',
      'big.bin': '',
      'assets/model.bin': LFS_POINTER,
      'key.env': `KEY=${genKey('svcacct')}\n`,
    });
    repo.write('big.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    symlinkSync('ok.txt', join(repo.dir, 'link.txt'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'files');
    rmSync(join(repo.dir, 'gone.txt'));
    // An untracked nested repository is listed by git as a directory: skipped as a submodule.
    const nested = join(repo.dir, 'vendor', 'lib');
    spawnSync('git', ['init', '-q', nested], { env: cleanEnv() });
    const doc = validReport(repo.keyguard(['scan', '.', '--format', 'json']), 1, 'paths with skips');
    const reasons = new Set((doc.stats.skippedFiles as { reason: string }[]).map((s) => s.reason));
    expect([...reasons].sort()).toEqual(['binary', 'deleted-in-worktree', 'lfs-pointer', 'submodule', 'symlink']);
    expect(doc.findings).toHaveLength(1);
    // Outside a repository a FIFO in the tree is the not-a-file skip.
    const plain = tempDir();
    writeFileSync(join(plain, 'ok.txt'), 'fine\n');
    expect(spawnSync('mkfifo', [join(plain, 'pipe')]).status).toBe(0);
    const walked = validReport(runCli(['scan', '.', '--format', 'json'], plain, { env: cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(plain) }) }), 0, 'fifo');
    expect(walked.stats.skippedFiles).toEqual([{ path: 'pipe', reason: 'not-a-file' }]);
  });

  it('stdin: with a key, clean, and binary', () => {
    const dir = tempDir();
    const key = validReport(runCli(['scan', '--stdin', '--format', 'json'], dir, { input: `x=${genKey('admin')}\n` }), 1, 'stdin key');
    expect(key.findings[0]).toMatchObject({ path: '<stdin>', keyType: 'admin' });
    validReport(runCli(['scan', '--stdin', '--format', 'json'], dir, { input: 'clean\n' }), 0, 'stdin clean');
    const binary = validReport(runCli(['scan', '--stdin', '--format', 'json'], dir, { input: Buffer.from([0, 1, 2]) }), 0, 'stdin binary');
    expect(binary.stats.skipped).toEqual({ binary: 1 });
  });
});

describe('documents that break the schema are rejected (so these tests can fail)', () => {
  const base = () => {
    const r = runCli(['scan', '--stdin', '--format', 'json'], tempDir(), { input: `x=${genKey('proj')}\n` });
    return JSON.parse(r.stdout) as Json;
  };
  const staged = () => {
    const repo = createRepo({ 'a.env': `x=${genKey('proj')}\n` });
    repo.git('add', '-A');
    return JSON.parse(repo.keyguard(['scan', '--staged', '--format', 'json']).stdout) as Json;
  };
  const breakers: [string, (d: Json) => void][] = [
    ['version 2', (d) => (d.version = 2)],
    ['another tool', (d) => (d.tool.name = 'gitleaks')],
    ['unknown top-level field', (d) => (d.extra = true)],
    ['findings not an array', (d) => (d.findings = {})],
    ['stats.files missing', (d) => delete d.stats.files],
    ['negative bytes', (d) => (d.stats.bytes = -1)],
    ['fractional durationMs', (d) => (d.stats.durationMs = 1.5)],
    ['unknown source', (d) => (d.stats.source = 'history')],
    ['mode on a stdin scan', (d) => (d.stats.mode = 'full')],
    ['unknown skip reason in counts', (d) => (d.stats.skipped = { oversized: 1 })],
    ['zero skip count', (d) => (d.stats.skipped = { binary: 0 })],
    ['unknown skip reason in list', (d) => (d.stats.skippedFiles = [{ path: 'a', reason: 'oversized' }])],
    ['skipped file without path', (d) => (d.stats.skippedFiles = [{ reason: 'binary' }])],
    ['unknown field in a finding', (d) => (d.findings[0].secret = 'x')],
    ['line 0', (d) => (d.findings[0].line = 0)],
    ['column 0', (d) => (d.findings[0].column = 0)],
    ['line as a string', (d) => (d.findings[0].line = '3')],
    ['severity info', (d) => (d.findings[0].severity = 'info')],
    ['short fingerprint', (d) => (d.findings[0].fingerprint = 'abc123')],
    ['upper-case fingerprint', (d) => (d.findings[0].fingerprint = d.findings[0].fingerprint.toUpperCase())],
    ['unknown keyType', (d) => (d.findings[0].keyType = 'org')],
    ['openai finding without keyType', (d) => delete d.findings[0].keyType],
    ['keyType without revokeUrl', (d) => delete d.findings[0].revokeUrl],
    ['commit not a hash', (d) => (d.findings[0].commit = 'HEAD')],
    ['preview missing', (d) => delete d.findings[0].preview],
  ];
  it.each(breakers)('%s', (_, mutate) => {
    const doc = base();
    expectValid(doc, 'unbroken');
    mutate(doc);
    expect(validate(doc)).toBe(false);
  });

  it('a staged report without mode', () => {
    const doc = staged();
    expectValid(doc, 'unbroken staged');
    delete doc.stats.mode;
    expect(validate(doc)).toBe(false);
    doc.stats.mode = 'whole';
    expect(validate(doc)).toBe(false);
  });

  it('a commit hash is allowed on a finding', () => {
    const doc = base();
    doc.findings[0].commit = 'a'.repeat(40);
    expectValid(doc, 'with commit');
  });
});
