/**
 * Encodings and file kinds (issue 8): every kind is either decoded and scanned, with the key at the
 * column an editor shows, or skipped with its reason in the summary line and in JSON stats.
 * Nothing is passed over silently. Each case runs through the staged scan (added lines and
 * --full), the tree scan and history, in real repositories.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, PROJECT_ROOT, cleanEnv, createRepo, type CliResult, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema', 'scan-result.schema.json'), 'utf8')) as object);

const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function report(r: CliResult, status: number, secrets: readonly string[]): JsonReport {
  expect(r.status, show(r)).toBe(status);
  for (const secret of secrets) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  const doc = JSON.parse(r.stdout) as JsonReport;
  expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
  return doc;
}

const where = (doc: JsonReport) => doc.findings.map((f) => [f.path, f.line, f.column]);

/** Runs the staged scans and the tree scan, then commits and runs the history scan; all must agree. */
function everyMode(repo: Repo, status: number, secrets: readonly string[], check: (doc: JsonReport, mode: string) => void): void {
  repo.git('add', '-A');
  for (const args of [['--staged'], ['--staged', '--full'], ['.']]) {
    check(report(repo.keyguard(['scan', ...args, '--format', 'json']), status, secrets), args.join(' '));
  }
  repo.git('commit', '-qm', 'files', '--no-verify');
  check(report(repo.keyguard(['scan', '--all', '--format', 'json']), status, secrets), '--all');
}

describe('text encodings are decoded and scanned', () => {
  it('UTF-8 with a byte-order mark: the key is at the column an editor shows, on line 1 and later', () => {
    const [a, b] = [genKey('proj'), genKey('svcacct')];
    const repo = createRepo();
    repo.write('bom.js', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`k = "${a}";\nconst x = 1; m = '${b}'\n`)]));
    everyMode(repo, 1, [a, b], (doc, mode) => {
      expect(where(doc), mode).toEqual([
        ['bom.js', 1, 6],
        ['bom.js', 2, 19],
      ]);
    });
  });

  it('UTF-8 with a byte-order mark, line 1 edited in a tracked file: the added-lines scan counts columns the same way', () => {
    const key = genKey('proj');
    const repo = createRepo();
    repo.write('bom.js', Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('const a = 1;\nconst b = 2;\n')]));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first');
    repo.write('bom.js', Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(`k = "${key}";\nconst b = 2;\n`)]));
    repo.git('add', '-A');
    expect(where(report(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, [key]))).toEqual([['bom.js', 1, 6]]);
    repo.git('commit', '-qm', 'key', '--no-verify');
    expect(where(report(repo.keyguard(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']), 1, [key]))).toEqual([['bom.js', 1, 6]]);
  });

  it('UTF-16 LE and BE with a byte-order mark (what PowerShell 5 and some Windows editors write)', () => {
    const [a, b] = [genKey('proj'), genKey('admin')];
    const repo = createRepo();
    repo.write('le.ps1', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`# é ✓\r\n$env:OPENAI_API_KEY = "${a}"\r\n`, 'utf16le')]));
    repo.write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`🔑 = "${b}"\n`, 'utf16le').swap16()]));
    everyMode(repo, 1, [a, b], (doc, mode) => {
      // The emoji is two UTF-16 code units, as SARIF's utf16CodeUnits columns count it.
      expect(where(doc), mode).toEqual([
        ['be.txt', 1, 7],
        ['le.ps1', 2, 24],
      ]);
      expect(doc.stats.skipped, mode).toEqual({});
    });
  });

  it('Latin-1 (and other invalid UTF-8): each stray byte is one character, so the key keeps its column', () => {
    const key = genKey('proj');
    const repo = createRepo();
    // "café = «…»" in ISO-8859-1: é is 0xE9, « » are 0xAB and 0xBB.
    const latin1 = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' = '), Buffer.from([0xab]), Buffer.from(key), Buffer.from([0xbb]), Buffer.from('\n')]);
    repo.write('legacy.txt', Buffer.concat([Buffer.from([0xe0, 0xe8, 0xec, 0xf2, 0xf9, 0x0a]), latin1]));
    everyMode(repo, 1, [key], (doc, mode) => {
      expect(where(doc), mode).toEqual([['legacy.txt', 2, 9]]);
    });
  });

  it('CRLF, CR-only and mixed line ends: lines are counted as git counts them (LF)', () => {
    const [a, b] = [genKey('proj'), genKey('proj')];
    const repo = createRepo();
    repo.write('crlf.env.js', `one\r\ntwo\r\nx="${a}"\r\n`);
    repo.write('cr.js', `one\rtwo\rx="${b}"\n`);
    everyMode(repo, 1, [a, b], (doc, mode) => {
      expect(where(doc), mode).toEqual([
        ['cr.js', 1, 12],
        ['crlf.env.js', 3, 4],
      ]);
    });
  });
});

describe('file kinds that are skipped are counted and named', () => {
  it('a NUL byte makes a file binary: skipped and counted, and a key after it is not claimed as scanned', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'clean.txt': 'hello\n' });
    repo.write('blob.bin', Buffer.concat([Buffer.from('PK\x03\x04\x00\x00'), Buffer.from(`"${key}"`)]));
    everyMode(repo, 0, [key], (doc, mode) => {
      expect(doc.findings, mode).toEqual([]);
      expect(doc.stats.skipped, mode).toEqual({ binary: 1 });
      expect(doc.stats.skippedFiles, mode).toEqual([{ path: 'blob.bin', reason: 'binary' }]);
    });
    const pretty = repo.keyguard(['scan', '.']);
    expect(pretty.stdout).toContain('1 skipped (binary: 1)');
  });

  it('a Git LFS pointer is skipped as lfs-pointer; a pointer-looking file with a key appended is scanned', () => {
    const key = genKey('proj');
    const oid = 'a'.repeat(64);
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 1234\n`;
    const repo = createRepo({ 'model.bin': pointer, 'fake.bin': `${pointer}k="${key}"\n` });
    everyMode(repo, 1, [key], (doc, mode) => {
      expect(where(doc), mode).toEqual([['fake.bin', 4, 4]]);
      expect(doc.stats.skippedFiles, mode).toEqual([{ path: 'model.bin', reason: 'lfs-pointer' }]);
    });
  });
});

describe('files over the size limit are skipped, named and counted, never read', () => {
  const LIMIT = 64 * 1024;
  const filler = (bytes: number) => `${'// filler line of ordinary source text\n'.repeat(Math.ceil(bytes / 39))}`.slice(0, bytes);

  function bigRepo() {
    const [small, big] = [genKey('proj'), genKey('proj')];
    const repo = createRepo({ 'small.js': `k = "${small}";\n` });
    repo.write('big.js', `${filler(LIMIT + 100)}\nk = "${big}";\n`);
    // Exactly at the limit is within it.
    repo.write('edge.js', filler(LIMIT));
    return { repo, small, big };
  }

  it('tree, staged (added lines and --full) and history: the big file is skipped with its size, the rest scanned', () => {
    const { repo, small, big } = bigRepo();
    repo.git('add', '-A');
    const bigSize = Buffer.byteLength(readFileSync(join(repo.dir, 'big.js')));
    for (const args of [['--staged'], ['--staged', '--full'], ['.']]) {
      const doc = report(repo.keyguard(['scan', ...args, '--max-file-size', '64K', '--format', 'json']), 1, [small, big]);
      expect(where(doc), args.join(' ')).toEqual([['small.js', 1, 6]]);
      expect(doc.stats.skipped).toEqual({ 'too-large': 1 });
      expect(doc.stats.skippedFiles).toEqual([{ path: 'big.js', reason: 'too-large', bytes: bigSize }]);
      expect(doc.stats.maxFileSize).toBe(LIMIT);
      expect(doc.stats.files).toBe(2);
    }
    repo.git('commit', '-qm', 'all', '--no-verify');
    const doc = report(repo.keyguard(['scan', '--all', '--max-file-size', '64K', '--format', 'json']), 1, [small, big]);
    expect(where(doc)).toEqual([['small.js', 1, 6]]);
    expect(doc.stats.skippedFiles).toEqual([{ path: 'big.js', reason: 'too-large', bytes: bigSize }]);
    // Without the lower limit (default 50 MB) the same key is found.
    const all = report(repo.keyguard(['scan', '--all', '--format', 'json']), 1, [small, big]);
    expect(all.findings.map((f) => f.path).sort()).toEqual(['big.js', 'small.js']);
    expect(all.stats.maxFileSize).toBe(50 * 1024 * 1024);
  });

  it('a one-line edit to a tracked file over the limit: skipped as too-large, in the hook and in history', () => {
    const key = genKey('proj');
    const repo = createRepo();
    repo.write('data.js', filler(LIMIT * 2));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'data');
    repo.write('data.js', `${filler(LIMIT * 2)}\nk = "${key}";\n`);
    repo.git('add', '-A');
    const staged = report(repo.keyguard(['scan', '--staged', '--max-file-size', '64K', '--format', 'json']), 0, [key]);
    expect(staged.stats.skippedFiles.map((s) => [s.path, s.reason])).toEqual([['data.js', 'too-large']]);
    expect(report(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, [key]).findings).toHaveLength(1);
    repo.git('commit', '-qm', 'edit', '--no-verify');
    const range = report(repo.keyguard(['scan', '--range', 'HEAD~1..HEAD', '--max-file-size', '64K', '--format', 'json']), 0, [key]);
    expect(range.stats.skippedFiles.map((s) => [s.path, s.reason])).toEqual([['data.js', 'too-large']]);
  });

  it('pretty names each skipped file with its size and how to scan it, even with --quiet', () => {
    const { repo } = bigRepo();
    repo.write('small.js', 'clean\n');
    repo.git('add', '-A');
    for (const quiet of [[], ['--quiet']]) {
      const r = repo.keyguard(['scan', '--staged', '--max-file-size', '64K', ...quiet]);
      expect(r.status, show(r)).toBe(0);
      expect(r.stdout).toContain('! 1 file larger than the 64 KB limit was not scanned:');
      expect(r.stdout).toMatch(/^ {4}big\.js \(64\.\d KB\)$/m);
      expect(r.stdout).toContain('raise the limit with --max-file-size');
      if (quiet.length === 0) expect(r.stdout).toContain('1 skipped (too-large: 1)');
      else expect(r.stdout).not.toContain('no secrets found');
    }
  });

  it('SARIF carries a warning notification and GitHub a notice for the skipped file', () => {
    const { repo } = bigRepo();
    repo.git('add', '-A');
    const sarif = JSON.parse(repo.keyguard(['scan', '--staged', '--max-file-size', '64K', '--format', 'sarif']).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(notes.map((n) => [n.level, n.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual([['warning', 'big.js']]);
    expect(notes[0]?.message.text).toMatch(/^Not scanned: larger than the 64 KB limit \(64\.\d KB\)/);
    const gh = repo.keyguard(['scan', '--staged', '--max-file-size', '64K', '--format', 'github']).stdout;
    expect(gh).toMatch(/^::notice file=big\.js,title=keyguard%3A not scanned::Not scanned: larger than the 64 KB limit/m);
    expect(gh).toContain('1 skipped (too-large: 1)');
  });

  it('standard input over the limit is drained and skipped, never half-scanned', () => {
    const key = genKey('proj');
    const repo = createRepo();
    const r = repo.keyguard(['scan', '--stdin', '--max-file-size', '64K', '--format', 'json'], { input: `${filler(LIMIT * 3)}\n"${key}"\n` });
    const doc = report(r, 0, [key]);
    expect(doc.stats.skippedFiles).toEqual([{ path: '<stdin>', reason: 'too-large', bytes: LIMIT * 3 + key.length + 4 }]);
  });

  it('the config sets the limit; --max-file-size overrides it', () => {
    const { repo, big } = bigRepo();
    repo.write('.keyguardrc.json', JSON.stringify({ maxFileSize: '64KB' }));
    repo.write('small.js', 'clean\n');
    repo.git('add', '-A');
    const limited = report(repo.keyguard(['scan', '--staged', '--format', 'json']), 0, [big]);
    expect(limited.stats.maxFileSize).toBe(LIMIT);
    expect(limited.stats.skipped).toEqual({ 'too-large': 1 });
    const raised = report(repo.keyguard(['scan', '--staged', '--max-file-size', '1MB', '--format', 'json']), 1, [big]);
    expect(where(raised).map(([p]) => p)).toEqual(['big.js']);
  });

  it('keyguard baseline does not call a skipped file\'s entry stale', () => {
    const key = genKey('proj');
    const repo = createRepo();
    repo.write('big.js', `k = "${key}";\n${filler(LIMIT * 2)}`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'big');
    expect(repo.keyguard(['baseline']).status).toBe(0);
    const again = repo.keyguard(['baseline', '--prune', '--max-file-size', '64K']);
    expect(again.status, show(again)).toBe(0);
    const entries = JSON.parse(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).findings;
    expect(entries).toHaveLength(1);
  });

  it('a bad size is exit 2 with what a size looks like; over the ceiling says the ceiling', () => {
    const repo = createRepo({ 'a.txt': 'x\n' });
    for (const [given, says] of [
      ['lots', 'expects a size such as 50MB'],
      ['0', 'expects a size such as 50MB'],
      ['1GB', 'over the ceiling of 256 MB'],
    ] as const) {
      const r = repo.keyguard(['scan', '.', '--max-file-size', given]);
      expect(r.status, show(r)).toBe(2);
      expect(r.stderr).toContain(says);
      expect(r.stdout).toBe('');
    }
    repo.write('.keyguardrc.json', JSON.stringify({ maxFileSize: '2GB' }));
    const r = repo.keyguard(['scan', '.']);
    expect(r.status, show(r)).toBe(2);
    expect(r.stderr).toContain('maxFileSize: expected a size of at most 256 MB');
    repo.write('.keyguardrc.json', JSON.stringify({ maxFileSize: 'big' }));
    const s = repo.keyguard(['scan', '.']);
    expect(s.status, show(s)).toBe(2);
    expect(s.stderr).toContain('maxFileSize');
  });
});

describe('what the review found', () => {
  it('UTF-16 text that a `diff` attribute makes git diff as text is decoded, in the hook and in history', () => {
    const key = genKey('proj');
    const repo = createRepo({ '.gitattributes': 'x.txt diff\n' });
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    repo.write('x.txt', utf16('hi\n'));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first');
    repo.write('x.txt', utf16(`hi\nk="${key}"\n`));
    repo.git('add', '-A');
    expect(where(report(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, [key]))).toEqual([['x.txt', 2, 4]]);
    repo.git('commit', '-qm', 'key', '--no-verify');
    expect(where(report(repo.keyguard(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']), 1, [key]))).toEqual([['x.txt', 2, 4]]);
  });

  it('other text with a NUL that a `diff` attribute shows as text keeps its added lines: nothing dropped, nothing old re-reported', () => {
    const [old, added] = [genKey('proj'), genKey('proj')];
    const repo = createRepo({ '.gitattributes': '*.dat diff\n' });
    const body = (extra: string) => `head\0er\n${Array.from({ length: 50 }, (_, i) => `${i + 1}`).join('\n')}\nold = "${old}"\n${extra}`;
    repo.write('a.dat', body(''));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first', '--no-verify');
    repo.write('a.dat', body(`k = "${added}"\n`));
    repo.git('add', '-A');
    const staged = report(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, [old, added]);
    expect(where(staged)).toEqual([['a.dat', 53, 6]]);
    expect(staged.stats.skipped).toEqual({});
    repo.git('commit', '-qm', 'key', '--no-verify');
    expect(where(report(repo.keyguard(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']), 1, [old, added]))).toEqual([['a.dat', 53, 6]]);
  });

  it('large rewrites stream through: keys on multi-megabyte lines of several modified files, staged and in history', () => {
    const keys = [genKey('proj'), genKey('proj'), genKey('proj')];
    const repo = createRepo();
    const long = (seed: number) => `const data${seed} = "${'x'.repeat(3 * 1024 * 1024)}";`;
    keys.forEach((_, i) => repo.write(`f${i}.js`, `${long(i)}\n`));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'big');
    keys.forEach((key, i) => repo.write(`f${i}.js`, `${long(i + 10)}\nk = "${key}"; ${long(i + 20)}\n`));
    repo.git('add', '-A');
    const staged = report(repo.keyguard(['scan', '--staged', '--format', 'json']), 1, keys);
    expect(where(staged)).toEqual(keys.map((_, i) => [`f${i}.js`, 2, 6]));
    repo.git('commit', '-qm', 'rewrite', '--no-verify');
    expect(where(report(repo.keyguard(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']), 1, keys))).toEqual(keys.map((_, i) => [`f${i}.js`, 2, 6]));
  });

  it('a named pipe over the limit is drained and skipped; baseline and revoke name the unread file', () => {
    const key = genKey('proj');
    const repo = createRepo();
    // Process substitution: a pipe named on the command line, read to its end but not kept.
    const bash = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan <(printf '%s' "$INPUT") --max-file-size 1K --format json`], {
      cwd: repo.dir,
      env: { ...cleanEnv(), INPUT: `${'a'.repeat(64 * 1024)}\n"${key}"\n` },
      encoding: 'utf8',
    });
    const piped = report({ status: bash.status, stdout: bash.stdout, stderr: bash.stderr }, 0, [key]);
    expect(piped.stats.skippedFiles.map((s) => [s.reason, s.bytes])).toEqual([['too-large', 64 * 1024 + key.length + 4]]);

    repo.write('big.txt', `k = "${key}";\n${'// filler\n'.repeat(300)}`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'big');
    const baseline = repo.keyguard(['baseline', '--max-file-size', '1K']);
    expect(baseline.status, show(baseline)).toBe(0);
    expect(baseline.stdout).toContain('! 1 file larger than the 1 KB limit was not scanned:');
    expect(baseline.stdout).toMatch(/^ {4}big\.txt \(/m);
    const revoke = repo.keyguard(['revoke', 'big.txt', '--max-file-size', '1K', '--yes'], { env: { ...process.env, OPENAI_ADMIN_KEY: '' } });
    expect(revoke.status, show(revoke)).toBe(1);
    expect(revoke.stdout).toContain('big.txt');
    expect(revoke.stdout).toContain('not everything could be read');
    expect(revoke.stdout).not.toContain('nothing to revoke');
    expect(revoke.stdout + revoke.stderr).not.toContain(key);
  });

  it('a size that rounds to the limit is printed in bytes', () => {
    const repo = createRepo({ 'over.txt': 'x'.repeat(1025) });
    const r = repo.keyguard(['scan', '.', '--max-file-size', '1K']);
    expect(r.stdout).toContain('over.txt (1,025 bytes)');
  });
});
