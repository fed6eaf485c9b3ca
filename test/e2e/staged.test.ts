import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, createRepo, runCli, tempDir, type CliResult, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

/**
 * `keyguard scan --staged` end to end: the built CLI against real git in temporary repositories.
 * Every scenario is built so that reading the working tree (or the wrong index) would give a
 * different answer from reading the index, which is what `git commit` records.
 */


/** The preview keyguard must print: the known prefix, an ellipsis, the last four characters. */
function previewOf(key: string): string {
  const prefix = /^sk-(?:proj|svcacct|service|admin|None)-|^sk-/.exec(key)?.[0] ?? '';
  return `${prefix}…${key.slice(-4)}`;
}

/** A key must never be echoed back, in any stream. */
function expectNoLeak(result: CliResult, ...keys: string[]): void {
  for (const key of keys) {
    expect(result.stdout).not.toContain(key);
    expect(result.stderr).not.toContain(key);
    // Not even the secret half after the marker.
    expect(result.stdout).not.toContain(key.slice(-24));
    expect(result.stderr).not.toContain(key.slice(-24));
  }
}

function scanJson(repo: Repo, extra: string[] = [], options: Parameters<Repo['keyguard']>[1] = {}): { result: CliResult; report: JsonReport } {
  const result = repo.keyguard(['scan', '--staged', '--format', 'json', ...extra], options);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`keyguard did not print JSON (exit ${result.status}).\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return { result, report };
}

/** Numbered filler lines, so a file has a known line count. */
const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `const ${tag}${i + 1} = ${i + 1};`);
const file = (ls: string[]) => `${ls.join('\n')}\n`;

/** git with an extra environment (GIT_INDEX_FILE …), for when repo.git's fixed env is not enough. */
function gitWith(repo: Repo, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo.dir, env: cleanEnv(env), encoding: 'utf8' });
}

function commitAll(repo: Repo, message = 'base'): void {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
}

describe('keyguard scan --staged reads the git index, never the working tree', () => {
  it('1. first commit on an unborn branch: staged key found, exit 1, path:line:column in pretty and json', () => {
    const key = genKey('proj');
    const repo = createRepo({
      'README.md': '# demo\n',
      'src/client.js': `import OpenAI from 'openai';\n\nconst openai = new OpenAI({ apiKey: "${key}" });\n`,
    });
    repo.git('add', '-A');
    expect(repo.tryGit('rev-parse', '--verify', '-q', 'HEAD').status).not.toBe(0); // really unborn

    const pretty = repo.keyguard(['scan', '--staged', '--no-color']);
    expect(pretty.status).toBe(1);
    // `const openai = new OpenAI({ apiKey: "` is 37 characters: the key starts at column 38.
    expect(pretty.stdout).toContain(`src/client.js:3:38  error  openai-api-key`);
    expect(pretty.stdout).toContain(previewOf(key));
    expect(pretty.stdout).toMatch(/1 secret found \(1 error\) in 2 staged files/);
    expectNoLeak(pretty, key);

    const { result, report } = scanJson(repo);
    expect(result.status).toBe(1);
    expect(report.stats.source).toBe('staged');
    expect(report.stats.mode).toBe('added-lines');
    expect(report.stats.files).toBe(2);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'openai-api-key',
      path: 'src/client.js',
      line: 3,
      column: 38,
      keyType: 'project',
      preview: previewOf(key),
    });
    expectNoLeak(result, key);

    const full = scanJson(repo, ['--full']);
    expect(full.result.status).toBe(1);
    expect(full.report.stats.mode).toBe('full');
    expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['src/client.js:3:38']);
    expectNoLeak(full.result, key);
  });

  describe('2. partial staging (git add -p)', () => {
    it('(a) key only in the working tree, not staged: exit 0, in added-lines and --full mode', () => {
      const key = genKey('proj');
      const repo = createRepo({ 'app.js': file(lines(10)) });
      commitAll(repo);
      // Stage a clean edit, then put a key in the working tree only.
      const staged = lines(10);
      staged[2] = 'const line3 = "edited";';
      repo.write('app.js', file(staged));
      repo.git('add', 'app.js');
      const working = [...staged];
      working.splice(5, 0, `const apiKey = "${key}";`);
      repo.write('app.js', file(working));
      // A brand-new untracked file with a key is not staged either.
      repo.write('untracked.js', `const k = "${key}";\n`);

      const r = scanJson(repo);
      expect(r.result.status).toBe(0);
      expect(r.report.findings).toEqual([]);
      expect(r.report.stats.files).toBe(1);
      expectNoLeak(r.result, key);

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(0);
      expect(full.report.findings).toEqual([]);
      expectNoLeak(full.result, key);
    });

    it('(b) key staged, then removed from the working tree: exit 1 at the line of the STAGED blob', () => {
      const key = genKey('proj');
      const repo = createRepo({ 'app.js': file(lines(12)) });
      commitAll(repo);
      // Staged: 5 new lines after line 2, then the key at staged line 11.
      const staged = lines(12);
      staged.splice(2, 0, ...lines(5, 'extra'));
      staged.splice(10, 0, `const apiKey = "${key}";`);
      expect(staged[10]).toContain(key);
      repo.write('app.js', file(staged));
      repo.git('add', 'app.js');
      // Working tree: back to the committed file minus its first 4 lines, and no key at all. Had the
      // working tree been read there would be no finding; had line numbers come from it, not 11.
      repo.write('app.js', file(lines(12).slice(4)));

      const r = scanJson(repo);
      expect(r.result.status).toBe(1);
      expect(r.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['app.js:11:17']);
      expectNoLeak(r.result, key);

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(1);
      expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['app.js:11:17']);
      expectNoLeak(full.result, key);
    });

    it('hunk-level partial stage with `git apply --cached`: only the staged hunk counts', () => {
      const key = genKey('svcacct');
      const base = lines(30);
      const repo = createRepo({ 'config.js': file(base) });
      commitAll(repo);
      // Two distant hunks in the working tree: a clean edit near the top, a key near the bottom.
      const working = [...base];
      working[1] = 'const line2 = "clean edit";';
      working.splice(25, 0, `export const OPENAI_API_KEY = "${key}";`, 'export const more = 1;');
      repo.write('config.js', file(working));
      const patch = repo.git('diff', '--no-color', '--no-ext-diff', '-U1', '--src-prefix=a/', '--dst-prefix=b/', 'config.js');
      const at = [...patch.matchAll(/^@@ /gm)].map((m) => m.index);
      expect(at).toHaveLength(2);
      const header = patch.slice(0, at[0]);
      const cleanHunk = header + patch.slice(at[0], at[1]);
      const keyHunk = header + patch.slice(at[1]);

      // Stage only the clean hunk (what `git add -p` + "y", "n" does): the key stays unstaged.
      repo.write('clean.patch', cleanHunk);
      repo.git('apply', '--cached', 'clean.patch');
      rmSync(join(repo.dir, 'clean.patch'));
      expect(repo.git('diff', '--cached', '--name-only')).toBe('config.js\n');
      const clean = scanJson(repo);
      expect(clean.result.status).toBe(0);
      expect(clean.report.findings).toEqual([]);
      expectNoLeak(clean.result, key);

      // Now stage only the key hunk instead ("n", "y").
      repo.git('reset', '-q');
      repo.write('key.patch', keyHunk);
      repo.git('apply', '--cached', 'key.patch');
      rmSync(join(repo.dir, 'key.patch'));
      const dirty = scanJson(repo);
      expect(dirty.result.status).toBe(1);
      // In the staged blob the top edit is absent, so the key is at line 26, column 32.
      expect(dirty.report.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.keyType}`)).toEqual(['config.js:26:32:service-account']);
      expectNoLeak(dirty.result, key);
    });
  });

  describe('3. added lines by default', () => {
    it('a key already in HEAD plus an unrelated staged line: exit 0 by default, exit 1 with --full', () => {
      const key = genKey('proj');
      const base = [...lines(8)];
      base.splice(3, 0, `const legacy = "${key}";`);
      const repo = createRepo({ 'old.js': file(base) });
      commitAll(repo);
      repo.write('old.js', file([...base, 'const added = "unrelated";']));
      repo.git('add', 'old.js');

      const def = scanJson(repo);
      expect(def.result.status).toBe(0);
      expect(def.report.findings).toEqual([]);
      expect(def.report.stats.files).toBe(1);
      expectNoLeak(def.result, key);

      const pretty = repo.keyguard(['scan', '--staged', '--no-color']);
      expect(pretty.status).toBe(0);
      expect(pretty.stdout).toContain('no secrets found in 1 staged file (added lines');

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(1);
      expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['old.js:4:17']);
      expectNoLeak(full.result, key);
    });

    it('-U0 with several hunks: keys added on two distant lines of a modified file, each at its own line', () => {
      const k1 = genKey('proj');
      const k2 = genKey('legacy');
      const base = lines(40);
      const repo = createRepo({ 'svc.js': file(base) });
      commitAll(repo);
      const next = [...base];
      next[0] = 'const line1 = "changed";'; // hunk 1: a modification, no key
      next.splice(5, 0, `const a = "${k1}";`); // hunk 2: key 1 at line 6
      next.splice(9, 3); // hunk 3: a deletion (old lines 9-11) shifting everything after
      next.splice(20, 0, 'const pad1 = 1;', 'const pad2 = 2;'); // hunk 4: two clean lines at 21-22
      next.splice(30, 0, `  b: '${k2}',`); // hunk 5: key 2 at line 31
      next.push('const last = true;');
      expect(next[5]).toContain(k1);
      expect(next[30]).toContain(k2);
      repo.write('svc.js', file(next));
      repo.git('add', 'svc.js');

      const r = scanJson(repo);
      expect(r.result.status).toBe(1);
      expect(r.report.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.keyType}`)).toEqual([
        'svc.js:6:12:project',
        'svc.js:31:7:user',
      ]);
      expectNoLeak(r.result, k1, k2);

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(1);
      expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['svc.js:6:12', 'svc.js:31:7']);
      expectNoLeak(full.result, k1, k2);
    });
    it('added lines that look like patch headers, and missing final newlines, do not shift line numbers', () => {
      const k1 = genKey('proj');
      const k2 = genKey('proj-58');
      // The old file holds lines that, once deleted, read "--- a/…" and "-@@ …" in the patch, and it
      // has no final newline.
      const base = ['first', '-- a/old.txt', '@@ -1 +1 @@', 'middle', 'last without newline'];
      const repo = createRepo({ 'notes.md': base.join('\n') });
      commitAll(repo);
      const next = [
        'first',
        '++ b/fake.js', // "+++ b/fake.js" in the patch
        'diff --git a/x b/x', // "+diff --git …"
        '@@ -1,2 +1,2 @@',
        `key one: ${k1}`, // line 5
        'middle',
        'last without newline',
        '+ plus',
        `key two: ${k2}`, // line 9, the file's new last line, again without a final newline
      ];
      repo.write('notes.md', next.join('\n'));
      repo.git('add', 'notes.md');
      expect(repo.git('diff', '--cached', '-U0')).toContain('\\ No newline at end of file');

      const r = scanJson(repo);
      expect(r.result.status).toBe(1);
      expect(r.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['notes.md:5:10', 'notes.md:9:10']);
      expectNoLeak(r.result, k1, k2);
    });
  });

  it('4. GIT_INDEX_FILE is honoured: an alternate index with a key is scanned only when named', () => {
    const key = genKey('admin');
    const repo = createRepo({ 'README.md': '# demo\n' });
    commitAll(repo);
    const altIndex = join(tempDir('keyguard-index-'), 'alt-index');
    gitWith(repo, { GIT_INDEX_FILE: altIndex }, 'read-tree', 'HEAD');
    repo.write('secrets/admin.env', `# admin\nOPENAI_ADMIN_KEY=${key}\n`);
    gitWith(repo, { GIT_INDEX_FILE: altIndex }, 'add', 'secrets/admin.env');
    rmSync(join(repo.dir, 'secrets'), { recursive: true }); // not in the working tree either
    expect(repo.git('status', '--porcelain')).toBe(''); // the normal index is clean

    const normal = scanJson(repo);
    expect(normal.result.status).toBe(0);
    expect(normal.report.stats.files).toBe(0);

    const alt = scanJson(repo, [], { env: cleanEnv({ GIT_INDEX_FILE: altIndex }) });
    expect(alt.result.status).toBe(1);
    expect(alt.report.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.keyType}`)).toEqual(['secrets/admin.env:2:18:admin']);
    expectNoLeak(alt.result, key);

    // A bare `keyguard scan` with GIT_INDEX_FILE set (as inside a hook) means the staged change.
    const bare = repo.keyguard(['scan', '--format', 'json'], { env: cleanEnv({ GIT_INDEX_FILE: altIndex }) });
    expect(bare.status).toBe(1);
    expect((JSON.parse(bare.stdout) as JsonReport).stats.source).toBe('staged');
    expectNoLeak(bare, key);
  });

  describe('5. renames', () => {
    it('git mv of a committed clean file plus an added key line: found at the new path and line', () => {
      const key = genKey('proj');
      const base = lines(20);
      const repo = createRepo({ 'src/old-name.js': file(base) });
      commitAll(repo);
      mkdirSync(join(repo.dir, 'lib'));
      repo.git('mv', 'src/old-name.js', 'lib/new-name.js');
      const next = [...base];
      next.splice(12, 0, `const k = "${key}";`);
      repo.write('lib/new-name.js', file(next));
      repo.git('add', 'lib/new-name.js');
      expect(repo.git('diff', '--cached', '-M', '--name-status')).toMatch(/^R\d+\tsrc\/old-name\.js\tlib\/new-name\.js$/m);

      const r = scanJson(repo);
      expect(r.result.status).toBe(1);
      expect(r.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['lib/new-name.js:13:12']);
      expectNoLeak(r.result, key);
    });

    it('a pure rename of a file that already held a committed key adds nothing: exit 0 by default (exit 1 with --full)', () => {
      const key = genKey('proj');
      const repo = createRepo({ 'keys/old.env': `A=1\nOPENAI_API_KEY=${key}\nB=2\n` });
      commitAll(repo);
      repo.git('mv', 'keys/old.env', 'keys/new.env');
      expect(repo.git('diff', '--cached', '-M', '--name-status')).toMatch(/^R100\tkeys\/old\.env\tkeys\/new\.env$/m);

      const def = scanJson(repo);
      expect(def.result.status).toBe(0);
      expect(def.report.findings).toEqual([]);
      expectNoLeak(def.result, key);

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(1);
      expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['keys/new.env:2:16']);
      expectNoLeak(full.result, key);
    });
  });

  it('6. deleting a committed file that held a key: exit 0, and the summary still states the files scanned', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'leak.js': `const k = "${key}";\n`, 'keep.js': 'const keep = 1;\n' });
    commitAll(repo);
    repo.git('rm', '-q', 'leak.js');

    const pretty = repo.keyguard(['scan', '--staged', '--no-color']);
    expect(pretty.status).toBe(0);
    expect(pretty.stdout).toMatch(/no secrets found in 0 staged files \(added lines, 0 B\)/);
    expectNoLeak(pretty, key);

    const full = scanJson(repo, ['--full']);
    expect(full.result.status).toBe(0);
    expect(full.report.stats.files).toBe(0);
    expect(full.report.findings).toEqual([]);

    // A deletion next to a clean edit: the edit is still counted.
    repo.write('keep.js', 'const keep = 2;\n');
    repo.git('add', 'keep.js');
    const both = repo.keyguard(['scan', '--staged', '--no-color']);
    expect(both.status).toBe(0);
    expect(both.stdout).toMatch(/no secrets found in 1 staged file \(added lines, \d+ B\)/);
  });

  it('7. skips are counted: binary, symlink, submodule; a text file marked binary in .gitattributes is still read', () => {
    const key = genKey('proj');
    const sub = createRepo({ 'lib.js': 'export const lib = 1;\n' });
    commitAll(sub);

    const repo = createRepo({ 'README.md': '# demo\n' });
    commitAll(repo);
    repo.write('assets/blob.bin', Buffer.concat([Buffer.from('PNG\0\0\x01'), Buffer.from(`junk ${genKey('proj')}`)]));
    symlinkSync('README.md', join(repo.dir, 'link.md'));
    repo.write('.gitattributes', '*.txt -diff\n*.dat binary\n');
    repo.write('notes/creds.txt', `first line\nsecond line\napi_key = ${key}\n`);
    repo.write('notes/more.dat', `OPENAI_API_KEY=${key}\n`);
    repo.git('add', '-A');
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'sub');
    const raw = repo.git('diff', '--cached', '--raw');
    expect(raw).toMatch(/^:000000 160000 .* A\tsub$/m);
    expect(raw).toMatch(/^:000000 120000 .* A\tlink\.md$/m);
    // git hides the text of both attribute-marked files:
    expect(repo.git('diff', '--cached', '--', 'notes')).toMatch(/Binary files \/dev\/null and b\/notes\/creds\.txt differ/);

    for (const mode of [[], ['--full']]) {
      const { result, report } = scanJson(repo, mode);
      expect(result.status).toBe(1);
      expect(report.stats.skipped).toEqual({ binary: 1, symlink: 1, submodule: 1 });
      expect(report.stats.skippedFiles).toEqual([
        { path: 'assets/blob.bin', reason: 'binary' },
        { path: 'link.md', reason: 'symlink' },
        { path: 'sub', reason: 'submodule' },
      ]);
      expect(report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['notes/creds.txt:3:11', 'notes/more.dat:1:16']);
      expectNoLeak(result, key);
    }

    const pretty = repo.keyguard(['scan', '--staged', '--no-color']);
    expect(pretty.status).toBe(1);
    expect(pretty.stdout).toMatch(/in 4 staged files \(added lines, [^)]*\); 3 skipped \(/);
    for (const reason of ['binary: 1', 'symlink: 1', 'submodule: 1']) expect(pretty.stdout).toContain(reason);
    expectNoLeak(pretty, key);
  });

  it('8. hostile user config does not break parsing; run from a subdirectory, paths stay repo-relative', () => {
    const key = genKey('proj');
    const k2 = genKey('svcacct-short');
    const base = lines(30);
    const sub = createRepo({ 'x.js': 'x\n' });
    commitAll(sub);
    const repo = createRepo({ 'pkg/server/app.js': file(base), 'web/ui/index.js': 'export {};\n', 'dir/naïve.js': 'a\n' });
    commitAll(repo);
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
    repo.git('commit', '-q', '--no-verify', '-m', 'sub');
    for (const [k, v] of [
      ['diff.noprefix', 'true'],
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['diff.relative', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['core.quotePath', 'true'],
      ['diff.external', '/bin/false'],
      ['diff.interHunkContext', '5'],
      ['diff.context', '7'],
      ['diff.submodule', 'diff'],
      ['diff.renames', 'copies'],
      ['diff.suppressBlankEmpty', 'true'],
    ] as const) {
      repo.git('config', k, v);
    }
    // Two changes 4 lines apart (merged into one hunk by interHunkContext=5 if it leaked) and a
    // key below them, so a context line counted wrong would move the key's line.
    const next = [...base];
    next[3] = 'const line4 = "edited";';
    next[8] = 'const line9 = "edited";';
    next.splice(11, 0, '', `    apiKey: "${key}",`);
    repo.write('pkg/server/app.js', file(next));
    repo.write('dir/naïve.js', `a\nb = "${k2}"\n`);
    // The submodule moves to a new commit: diff.submodule=diff would print its whole diff.
    sub.write('x.js', 'y\n');
    commitAll(sub, 'next');
    repo.git('-C', 'vendor/sub', 'pull', '-q');
    repo.git('add', '-A');
    mkdirSync(join(repo.dir, 'web/ui/deeper'), { recursive: true });

    const cwd = join(repo.dir, 'web/ui/deeper');
    const { result, report } = scanJson(repo, [], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(report.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.keyType}`)).toEqual([
      'dir/naïve.js:2:6:service-account',
      'pkg/server/app.js:13:14:project',
    ]);
    expect(report.stats.skippedFiles).toEqual([{ path: 'vendor/sub', reason: 'submodule' }]);
    expectNoLeak(result, key, k2);

    const pretty = repo.keyguard(['scan', '--staged'], { cwd });
    expect(pretty.status).toBe(1);
    expect(pretty.stdout).toContain('pkg/server/app.js:13:14  error  openai-api-key');
    expect(pretty.stdout).toContain('dir/naïve.js:2:6  error  openai-api-key');
    expect(pretty.stdout).not.toContain('\x1b['); // not a TTY: no colour, whatever color.ui says
    expectNoLeak(pretty, key, k2);

    const full = scanJson(repo, ['--full'], { cwd });
    expect(full.result.status).toBe(1);
    expect(full.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['dir/naïve.js:2:6', 'pkg/server/app.js:13:14']);
    expectNoLeak(full.result, key, k2);

    // GIT_DIFF_OPTS (an environment variable, not config) overrides -U0 and brings context lines back.
    const ctx = scanJson(repo, [], { cwd, env: cleanEnv({ GIT_DIFF_OPTS: '--unified=5' }) });
    expect(ctx.result.status).toBe(1);
    expect(ctx.report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['dir/naïve.js:2:6', 'pkg/server/app.js:13:14']);
    expectNoLeak(ctx.result, key, k2);
  });

  describe('9. file names are reported exactly', () => {
    const names = [
      'dir with space/my file.js',
      'tab\there.js',
      'new\nline.js',
      'dir/naïve file.js',
      '-leading-dash.js',
      'quote"and\\backslash.js',
      'ends with space .js',
    ];
    it.each(names.map((n) => [JSON.stringify(n), n]))('%s', (_label, name) => {
      const key = genKey('proj');
      const repo = createRepo({ 'README.md': 'x\n' });
      commitAll(repo);
      repo.write(name, `// header\nmodule.exports = "${key}";\n`);
      repo.git('add', '--', name);
      const { result, report } = scanJson(repo);
      expect(result.status).toBe(1);
      expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([[name, 2, 19]]);
      expectNoLeak(result, key);

      const full = scanJson(repo, ['--full']);
      expect(full.result.status).toBe(1);
      expect(full.report.findings.map((f) => [f.path, f.line, f.column])).toEqual([[name, 2, 19]]);
      expectNoLeak(full.result, key);

      if (!/[\t\n]/.test(name)) {
        const pretty = repo.keyguard(['scan', '--staged', '--no-color']);
        expect(pretty.stdout).toContain(`${name}:2:19  error`);
        expectNoLeak(pretty, key);
      }
    });
  });

  it('10. CRLF file: key found with the right line and column', () => {
    const key = genKey('legacy');
    const repo = createRepo({ 'win.ini': '[a]\r\nx=1\r\n' });
    commitAll(repo);
    repo.write('win.ini', '[a]\r\nx=1\r\n[openai]\r\n\tkey = ' + key + '\r\ny=2\r\n');
    repo.git('add', 'win.ini');
    expect(repo.git('cat-file', '-p', ':win.ini')).toContain('\r\n'); // stored with CRLF

    for (const mode of [[], ['--full']]) {
      const { result, report } = scanJson(repo, mode);
      expect(result.status).toBe(1);
      expect(report.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.keyType}`)).toEqual(['win.ini:4:8:user']);
      expect(report.findings[0]?.preview).toBe(previewOf(key));
      expectNoLeak(result, key);
    }
  });

  it('11. nothing staged: exit 0 and the summary says 0 staged files', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'a.js': 'a\n' });
    commitAll(repo);
    repo.write('a.js', `a\nconst k = "${key}";\n`); // modified, not staged
    const r = repo.keyguard(['scan', '--staged', '--no-color']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no secrets found in 0 staged files/);
    expect(r.stderr).toBe('');
    expectNoLeak(r, key);

    const fresh = createRepo();
    const empty = fresh.keyguard(['scan', '--staged', '--no-color']);
    expect(empty.status).toBe(0);
    expect(empty.stdout).toMatch(/no secrets found in 0 staged files/);
  });

  it('12. outside a repository --staged is exit 2 with "not inside" and a fix line, never "no secrets"', () => {
    const dir = tempDir('keyguard-norepo-');
    writeFileSync(join(dir, 'a.js'), 'a\n');
    const env = cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(dir) });
    for (const args of [['scan', '--staged'], ['scan', '--staged', '--format', 'json'], ['scan', '--staged', '--full']]) {
      const r = runCli(args, dir, { env });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('not inside');
      expect(r.stderr).toMatch(/^\s*fix: \S/m);
      expect(r.stdout).not.toMatch(/no secrets/i);
      expect(r.stderr).not.toMatch(/no secrets/i);
    }
  });

  it('13. a staged Git LFS pointer is skipped with reason lfs-pointer', () => {
    const repo = createRepo({ 'README.md': 'x\n' });
    commitAll(repo);
    repo.write('.gitattributes', '*.psd filter=lfs diff=lfs merge=lfs -text\n');
    repo.write('art/cover.psd', `version https://git-lfs.github.com/spec/v1\noid sha256:${'ab12'.repeat(16)}\nsize 104857600\n`);
    repo.git('add', '-A');
    for (const mode of [[], ['--full']]) {
      const { result, report } = scanJson(repo, mode);
      expect(result.status).toBe(0);
      expect(report.stats.skipped).toEqual({ 'lfs-pointer': 1 });
      expect(report.stats.skippedFiles).toEqual([{ path: 'art/cover.psd', reason: 'lfs-pointer' }]);
      expect(report.stats.files).toBe(1); // .gitattributes
    }
  });

  // Fails against keyguard 0.1.0: isLfsPointer() only checks the first line (and staged.ts applies it
  // to the added lines alone), so any short text that starts like a pointer is skipped unread.
  it('13b. text that merely starts like an LFS pointer is not a pointer: a key in it is still found', () => {
    const key = genKey('proj');
    const repo = createRepo({ 'README.md': '# docs\n' });
    commitAll(repo);
    // A new file: the LFS header line followed by a key, no oid/size lines.
    repo.write('fake.lfs', `version https://git-lfs.github.com/spec/v1\nOPENAI_API_KEY=${key}\n`);
    // A modified file whose added lines begin with the header (docs that mention LFS).
    repo.write('README.md', `version https://git-lfs.github.com/spec/ starts every pointer file.\nexample key: ${key}\n# docs\n`);
    repo.git('add', '-A');
    for (const mode of [[], ['--full']]) {
      const { result, report } = scanJson(repo, mode);
      expect(report.stats.skippedFiles).toEqual([]);
      expect(report.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['README.md:2:14', 'fake.lfs:2:16']);
      expect(result.status).toBe(1);
      expectNoLeak(result, key);
    }
  });
});
