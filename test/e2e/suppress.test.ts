import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRepo, installHook, type Repo } from '../helpers/repo.js';
import { genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';

/**
 * Every way to accept a finding, end to end: keyguard:allow comments (in the hook and in history
 * scans alike), config allowlists, and the hash-keyed baseline.
 */

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as JsonReport;

function committed(files: Record<string, string>): Repo {
  const repo = createRepo(files);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'base');
  return repo;
}

describe('keyguard:allow comments', () => {
  it('lets a commit through the hook, and only for the line that carries one', () => {
    const repo = committed({ 'README.md': 'hi\n' });
    installHook(repo);
    repo.write('fixture.js', `export const sample = "${genKey()}"; // keyguard:allow openai-api-key -- documented test key\n`);
    repo.git('add', 'fixture.js');
    const ok = repo.tryGit('commit', '-q', '-m', 'fixture');
    expect(ok.status).toBe(0);

    repo.write('app.js', `// keyguard:allow-next-line\nconst a = "${genKey()}";\nconst b = "${genKey()}";\n`);
    repo.git('add', 'app.js');
    const blocked = repo.tryGit('commit', '-q', '-m', 'app');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('app.js:3:');
    expect(blocked.stdout + blocked.stderr).not.toContain('app.js:2:');
    expect(blocked.stdout + blocked.stderr).toContain('1 by keyguard:allow accepted');
  });

  it('applies a marker on an unchanged line above an edited one, in --staged and in --range alike', () => {
    const repo = committed({ 'config.js': 'const x = 1;\n// keyguard:allow-next-line -- rotated test key\nconst key = "placeholder";\nconst y = 2;\n' });
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('config.js', `const x = 1;\n// keyguard:allow-next-line -- rotated test key\nconst key = "${genKey()}";\nconst y = 2;\n`);
    repo.git('add', 'config.js');
    const staged = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(staged.status).toBe(0);
    expect(json(staged).stats.suppressed).toEqual({ inline: 1, allowlist: 0, baseline: 0 });
    repo.git('commit', '-q', '--no-verify', '-m', 'edit');
    const range = repo.keyguard(['scan', '--range', `${base}..HEAD`, '--format', 'json']);
    expect(range.status).toBe(0);
    expect(json(range).findings).toEqual([]);
    expect(json(range).stats.suppressed.inline).toBe(1);
    // The same edit without the marker above is reported by both.
    repo.write('config.js', `const x = 1;\n// a comment\nconst key = "${genKey()}";\nconst y = 2;\n`);
    repo.git('add', 'config.js');
    expect(repo.keyguard(['scan', '--staged']).status).toBe(1);
  });

  it('is ignored with "inlineAllow": false', () => {
    const repo = committed({ '.keyguardrc.json': '{ "inlineAllow": false }\n' });
    repo.write('a.js', `const a = "${genKey()}"; // keyguard:allow\n`);
    repo.git('add', 'a.js');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(json(r).findings).toHaveLength(1);
    expect(json(r).stats.suppressed.inline).toBe(0);
  });
});

describe('dotenv findings', () => {
  it('a template value is accepted by a keyguard:allow comment or allow.values, like a key', () => {
    const repo = committed({ '.gitignore': '.env\n' });
    repo.write('.env.example', '# keyguard:allow-next-line dotenv-template-secret -- a public demo password\nDB_PASSWORD=h7Gk2pQw9xVt4LmZ\nAPI_TOKEN=Zq3vX9tLm2Pw8RkYc4Hn # keyguard:allow\nSESSION_SECRET=Rk8wPq3ZtY6vLm2N\n');
    repo.git('add', '-A');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(json(r).findings.map((f) => f.preview)).toEqual(['SESSION_SECRET']);
    expect(json(r).stats.suppressed.inline).toBe(2);
    repo.write('.keyguardrc.json', JSON.stringify({ rules: { 'dotenv-template-secret': { allow: { values: ['^Rk8w'] } } } }));
    const allowed = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(allowed.status).toBe(0);
    expect(json(allowed).stats.suppressed).toMatchObject({ inline: 2, allowlist: 1 });
  });

  it('a committed .env is accepted by a path allowlist for that rule, and the hint says so', () => {
    const repo = committed({ '.gitignore': '' });
    repo.write('examples/demo/.env', 'PORT=3000\n');
    repo.git('add', '-A');
    const r = repo.keyguard(['scan', '--staged']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"allow": { "paths": […] } under "rules": { "dotenv-committed": … }');
    repo.write('.keyguardrc.json', JSON.stringify({ rules: { 'dotenv-committed': { allow: { paths: ['examples/**'] } }, 'dotenv-not-ignored': { allow: { paths: ['examples/**'] } } } }));
    expect(repo.keyguard(['scan', '--staged']).status).toBe(0);
  });
});

describe('config allowlists', () => {
  it('skip findings by path glob, by value regex and by stopword, globally and per rule', () => {
    const config = {
      allow: { paths: ['test/fixtures', '*.snap'], stopwords: ['DEMO'] },
      rules: { 'openai-api-key': { allow: { paths: ['docs/**/*.md'], values: ['Zz9$'] } }, 'dotenv-committed': { allow: { paths: ['examples/**'] } } },
    };
    const repo = committed({ '.keyguardrc.json': JSON.stringify(config), '.gitignore': '' });
    const demo = genKey('legacy').replace(/^sk-/, 'sk-DEMO');
    const endsZz9 = `${genKey('legacy').slice(0, -3)}Zz9`;
    repo.write('test/fixtures/deep/key.txt', `${genKey()}\n`);
    repo.write('src/__snapshots__/app.test.js.snap', `exports[\`x\`] = "${genKey()}";\n`);
    repo.write('docs/guide/setup.md', `Use ${genKey()} here.\n`);
    repo.write('src/demo.js', `const k = "${demo}";\nconst z = "${endsZz9}";\n`);
    repo.write('examples/app/.env', 'OPENAI_API_KEY=\n');
    const real = genKey();
    repo.write('src/real.js', `const k = "${real}";\n`);
    repo.write('docs/notes.txt', `${genKey()}\n`);
    repo.git('add', '-A');
    for (const args of [['scan', '--staged'], ['scan', '.']]) {
      const r = repo.keyguard([...args, '--format', 'json']);
      const report = json(r);
      expect(report.findings.map((f) => `${f.path} ${f.ruleId}`).sort(), args.join(' ')).toEqual(['docs/notes.txt openai-api-key', 'src/real.js openai-api-key']);
      expect(report.stats.suppressed.allowlist, args.join(' ')).toBe(6);
      expect(r.stdout).not.toContain(real);
    }
  });

  it('match paths from the top level when the scan runs in a subdirectory', () => {
    const repo = committed({ '.keyguardrc.json': JSON.stringify({ allow: { paths: ['pkg/fixtures/**'] } }) });
    repo.write('pkg/fixtures/a.txt', `${genKey()}\n`);
    repo.write('pkg/src/b.txt', `${genKey()}\n`);
    const r = repo.keyguard(['scan', '.', '--format', 'json'], { cwd: join(repo.dir, 'pkg') });
    expect(json(r).findings.map((f) => f.path)).toEqual(['src/b.txt']);
    expect(json(r).stats.suppressed.allowlist).toBe(1);
  });
});

describe('baseline', () => {
  function adopted(): { repo: Repo; keys: string[] } {
    const keys = [genKey(), genKey('legacy')];
    const repo = committed({ 'src/a.js': `const a = "${keys[0]}";\n`, 'test/b.py': `b = "${keys[1]}"\n`, '.env': 'X=1\n' });
    return { repo, keys };
  }

  it('records findings by hash only, sorted one per line, and scanning it finds nothing', () => {
    const { repo, keys } = adopted();
    const r = repo.keyguard(['baseline']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('wrote .keyguard-baseline.json: 3 findings accepted (3 new)');
    const text = readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8');
    const doc = JSON.parse(text) as { version: number; findings: { rule: string; path: string; fingerprint: string }[] };
    expect(doc.version).toBe(1);
    expect(doc.findings.map((e) => `${e.path} ${e.rule}`)).toEqual(['.env dotenv-committed', 'src/a.js openai-api-key', 'test/b.py openai-api-key']);
    for (const e of doc.findings) expect(Object.keys(e)).toEqual(['rule', 'path', 'fingerprint']);
    // One entry per line, so branches that each add one merge without conflict.
    expect(text.split('\n').filter((l) => l.includes('"fingerprint"'))).toHaveLength(3);
    for (const key of keys) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(-4) + '"');
    }
    expect(text).not.toMatch(/line|date|time|preview/i);
    const self = repo.keyguard(['scan', '.keyguard-baseline.json', '--format', 'json']);
    expect(self.status).toBe(0);
    expect(json(self).findings).toEqual([]);
    // Regenerating an unchanged baseline changes no byte.
    expect(repo.keyguard(['baseline']).status).toBe(0);
    expect(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).toBe(text);
  });

  it('suppresses baselined findings in tree, staged and history scans, from any directory', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    const tree = repo.keyguard(['scan', '.']);
    expect(tree.status).toBe(0);
    expect(tree.stdout).toContain('3 by the baseline accepted');
    const sub = repo.keyguard(['scan', '.', '--format', 'json'], { cwd: join(repo.dir, 'src') });
    expect(sub.status).toBe(0);
    expect(json(sub).stats.suppressed.baseline).toBe(1);
    expect(repo.keyguard(['scan', '--all']).status).toBe(0);
    expect(repo.keyguard(['scan', '--all', '--no-baseline']).status).toBe(1);
  });

  it('keeps a moved key accepted and reports a changed key, a copied key and a new key', () => {
    const { repo, keys } = adopted();
    repo.keyguard(['baseline']);
    repo.git('add', '.keyguard-baseline.json');
    repo.git('commit', '-q', '--no-verify', '-m', 'baseline');
    repo.write('src/a.js', `// header\n\nconst other = 1;\nconst a = "${keys[0]}";\n`);
    repo.git('add', 'src/a.js');
    expect(repo.keyguard(['scan', '--staged']).status).toBe(0);
    expect(repo.keyguard(['scan', '.']).status).toBe(0);

    const changed = genKey();
    repo.write('src/a.js', `const a = "${changed}";\n`);
    repo.write('src/copy.js', `const a = "${keys[0]}";\n`);
    const fresh = genKey('admin');
    repo.write('src/new.js', `const n = "${fresh}";\n`);
    repo.git('add', '-A');
    const r = repo.keyguard(['scan', '--staged', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(json(r).findings.map((f) => f.path).sort()).toEqual(['src/a.js', 'src/copy.js', 'src/new.js']);
  });

  it('follows a renamed file the same way in the hook and in CI: a pure rename adds no line', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'baseline');
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('mv', 'src/a.js', 'src/renamed.js');
    expect(repo.keyguard(['scan', '--staged']).status).toBe(0);
    repo.git('commit', '-q', '--no-verify', '-m', 'rename');
    expect(repo.keyguard(['scan', '--range', `${base}..HEAD`]).status).toBe(0);
    // The tree scan judges the file by its new path: the baseline must record it again.
    const tree = repo.keyguard(['scan', '.']);
    expect(tree.status).toBe(1);
    expect(tree.stdout).toContain('src/renamed.js');
    expect(repo.keyguard(['baseline']).stdout).toContain('? src/a.js  openai-api-key');
  });

  it('does not call an entry stale when its file is only missing from the working tree', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'baseline');
    rmSync(join(repo.dir, 'test/b.py'));
    const pruned = repo.keyguard(['baseline', '--prune']);
    expect(pruned.stdout).not.toContain('stale');
    expect(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).toContain('test/b.py');
  });

  it('resolves a merge conflict between two branches that each added entries, by keeping both sides', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'baseline');
    for (const branch of ['x', 'y']) {
      repo.git('checkout', '-q', '-b', branch, 'main');
      repo.write(`zz-${branch}.js`, `const k = "${genKey()}";\n`);
      repo.keyguard(['baseline']);
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', branch);
    }
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-edit', 'x');
    const merge = repo.tryGit('merge', '-q', '--no-edit', 'y');
    expect(merge.status).not.toBe(0); // both appended at the end: git reports a conflict
    const scan = repo.keyguard(['scan', '.']);
    expect(scan.status).toBe(2);
    expect(scan.stderr).toContain('has git conflict markers');
    expect(scan.stderr).toContain('run `keyguard baseline`');
    const resolved = repo.keyguard(['baseline']);
    expect(resolved.status).toBe(0);
    expect(resolved.stdout).toContain('5 findings accepted (0 new)');
    expect(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).not.toMatch(/^[<=>]{7}/m);
    expect(repo.keyguard(['scan', '.']).status).toBe(0);
  });

  it('reads a baseline saved with a byte-order mark and CRLF line ends', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    const file = join(repo.dir, '.keyguard-baseline.json');
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8').replace(/\n/g, '\r\n')}`);
    expect(repo.keyguard(['scan', '.']).status).toBe(0);
  });

  it('lists stale entries, keeps them, and removes them with --prune', () => {
    const { repo } = adopted();
    repo.keyguard(['baseline']);
    repo.write('test/b.py', 'b = None\n');
    const again = repo.keyguard(['baseline']);
    expect(again.stdout).toContain('1 stale entry (no longer found), kept:');
    expect(again.stdout).toContain('? test/b.py  openai-api-key');
    expect(again.stdout).toContain('keyguard baseline --prune');
    expect(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).toContain('test/b.py');
    const pruned = repo.keyguard(['baseline', '--prune']);
    expect(pruned.stdout).toContain('removed 1 stale entry');
    expect(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8')).not.toContain('test/b.py');
  });

  it('with --all records keys that live only in old commits', () => {
    const repo = committed({});
    repo.write('old.js', `const k = "${genKey()}";\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'add');
    repo.git('rm', '-q', 'old.js');
    repo.git('commit', '-q', '--no-verify', '-m', 'remove');
    expect(repo.keyguard(['baseline']).stdout).toContain('0 findings accepted');
    expect(repo.keyguard(['scan', '--all']).status).toBe(1);
    const all = repo.keyguard(['baseline', '--all']);
    expect(all.stdout).toContain('1 finding accepted (1 new), from 3 commits scanned');
    expect(repo.keyguard(['scan', '--all']).status).toBe(0);
  });

  it('uses --baseline, the config "baseline" and --output, and refuses a named baseline that is missing or broken', () => {
    const { repo } = adopted();
    const written = repo.keyguard(['baseline', '--output', 'security/accepted.json']);
    expect(written.stdout).toContain('wrote security/accepted.json');
    expect(written.stdout).toContain('Scans use it when told: keyguard scan --baseline security/accepted.json');
    expect(repo.keyguard(['scan', '.']).status).toBe(1);
    expect(repo.keyguard(['scan', '.', '--baseline', 'security/accepted.json']).status).toBe(0);
    repo.write('.keyguardrc.json', '{ "baseline": "security/accepted.json" }');
    expect(repo.keyguard(['scan', '.']).status).toBe(0);

    const missing = repo.keyguard(['scan', '.', '--baseline', 'nope.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('the baseline nope.json does not exist');
    expect(missing.stdout).toBe('');
    repo.write('security/accepted.json', '{ "version": 1, "findings": [ { "rule": "x" } ] }');
    const broken = repo.keyguard(['scan', '.']);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('the baseline security/accepted.json cannot be used: findings[0] must be');
    repo.write('security/accepted.json', '{ not json');
    expect(repo.keyguard(['scan', '.']).stderr).toContain('it is not JSON');
    expect(repo.keyguard(['scan', '.', '--baseline', 'x', '--no-baseline']).status).toBe(2);
    repo.write('.keyguardrc.json', '{}');
    expect(repo.keyguard(['baseline'], { cwd: join(repo.dir, 'src') }).stdout).toContain('git add ../.keyguard-baseline.json');
  });
});
