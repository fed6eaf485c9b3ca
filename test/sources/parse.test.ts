import { describe, expect, it } from 'vitest';
import { parseRawListing } from '../../src/sources/staged.js';
import { AddedLinesParser, LineSplitter, type AddedLines } from '../../src/sources/patch.js';
import { unquoteGitPath } from '../../src/sources/git.js';

/** A whole patch through the streaming parser, as git's output reaches it (in small chunks). */
function parseAddedLines(patch: string): Map<string, AddedLines> {
  const files = new Map<string, AddedLines>();
  const parser = new AddedLinesParser((path, added) => files.set(path, added));
  const splitter = new LineSplitter((line) => parser.push(line));
  const bytes = Buffer.from(patch);
  for (let i = 0; i < bytes.length; i += 7) splitter.push(bytes.subarray(i, i + 7));
  splitter.end();
  parser.finish();
  return files;
}

describe('parseAddedLines', () => {
  it('reads hunks by their counts, so added lines that look like headers stay content', () => {
    const patch = [
      'diff --git a/x.js b/x.js',
      'index 1111111..2222222 100644',
      '--- a/x.js',
      '+++ b/x.js',
      '@@ -3,0 +4,3 @@ function f() {',
      '+++ b/evil.js',
      '+diff --git a/y b/y',
      '+@@ -1 +1 @@',
      '@@ -10 +12,0 @@',
      '-gone',
      '@@ -20 +21 @@',
      '-old',
      '+new',
      '\\ No newline at end of file',
      'diff --git a/y.js b/y.js',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/y.js',
      '@@ -0,0 +1 @@',
      '+only',
      '',
    ].join('\n');
    const files = parseAddedLines(patch);
    expect([...files.keys()]).toEqual(['x.js', 'y.js']);
    expect(files.get('x.js')).toEqual({ lines: ['++ b/evil.js', 'diff --git a/y b/y', '@@ -1 +1 @@', 'new'], numbers: [4, 5, 6, 21], context: new Map() });
    expect(files.get('y.js')).toEqual({ lines: ['only'], numbers: [1], context: new Map() });
  });

  it('records a text diff with only deletions as present and empty, and ignores binary sections', () => {
    const patch = [
      'diff --git a/d.txt b/d.txt',
      '--- a/d.txt',
      '+++ b/d.txt',
      '@@ -1,2 +0,0 @@',
      '-a',
      '-b',
      'diff --git a/img.png b/img.png',
      'Binary files a/img.png and b/img.png differ',
      '',
    ].join('\n');
    const files = parseAddedLines(patch);
    expect(files.get('d.txt')).toEqual({ lines: [], numbers: [], context: new Map() });
    expect(files.has('img.png')).toBe(false);
  });

  it('keeps the -U1 context lines by their line numbers, apart from the added lines', () => {
    const patch = [
      'diff --git a/k.js b/k.js',
      '--- a/k.js',
      '+++ b/k.js',
      '@@ -4,3 +4,4 @@',
      ' // keyguard:allow-next-line',
      '-const old = 1;',
      '+const key = 2;',
      '+const more = 3;',
      ' }',
      '@@ -20,2 +21,2 @@',
      ' a',
      '-b',
      '+c',
      '',
    ].join('\n');
    const file = parseAddedLines(patch).get('k.js');
    expect(file?.lines).toEqual(['const key = 2;', 'const more = 3;', 'c']);
    expect(file?.numbers).toEqual([5, 6, 22]);
    expect([...(file?.context ?? [])]).toEqual([[4, '// keyguard:allow-next-line'], [7, '}'], [21, 'a']]);
  });

  it('unquotes C-style quoted paths and strips the tab git adds after names with spaces', () => {
    const patch = ['diff --git "a/t\\tb" "b/t\\tb"', '--- "a/t\\tb"', '+++ "b/t\\tb"', '@@ -0,0 +1 @@', '+x', 'diff --git a/s p b/s p', '--- a/s p\t', '+++ b/s p\t', '@@ -0,0 +1 @@', '+y', ''].join('\n');
    const files = parseAddedLines(patch);
    expect([...files.keys()]).toEqual(['t\tb', 's p']);
  });
});

describe('unquoteGitPath', () => {
  it('decodes escapes and octal UTF-8 bytes', () => {
    expect(unquoteGitPath('"na\\303\\257ve\\n\\"q\\"\\\\"')).toBe('naïve\n"q"\\');
    expect(unquoteGitPath('plain name')).toBe('plain name');
  });
});

describe('parseRawListing', () => {
  it('reads statuses, modes and both paths of a rename', () => {
    const z = (...parts: string[]) => Buffer.from(parts.join('\0') + '\0');
    const sha = (c: string) => c.repeat(40);
    const entries = parseRawListing(
      z(`:000000 100644 ${sha('0')} ${sha('a')} A`, 'new.js', `:100644 100644 ${sha('b')} ${sha('c')} R087`, 'old name.js', 'new name.js', `:100644 000000 ${sha('d')} ${sha('0')} D`, 'gone.js'),
    );
    expect(entries.map((e) => [e.status, e.path, e.dstMode])).toEqual([
      ['A', 'new.js', '100644'],
      ['R', 'new name.js', '100644'],
      ['D', 'gone.js', '000000'],
    ]);
  });
});
