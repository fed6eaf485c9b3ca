import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/suppress/allowlist.js';

/** allow.paths globs: picomatch with .gitignore's habits (src/suppress/allowlist.ts). */
describe('allow.paths globs', () => {
  const matches = (glob: string, path: string) => globMatcher(glob, picomatch)(path);

  it.each([
    ['*.snap', 'a/b/c.snap', true],
    ['*.snap', 'c.snap', true],
    ['test/fixtures', 'test/fixtures/a/b.js', true],
    ['test/fixtures', 'src/test/fixtures/a.js', false],
    ['fixtures/', 'x/fixtures/a.js', true],
    ['test/**', 'test/.env', true],
    ['src/*.js', 'src/a/b.js', false],
    ['**/.env.*', 'a/.env.test', true],
    ['/test/fixtures', 'test/fixtures/a.js', true],
    ['/x.js', 'sub/x.js', false],
    ['./docs/*.md', 'docs/a.md', true],
    ['a (copy)', 'z/a (copy)/x.js', true],
    ['f (1).txt', 'f (1).txt', true],
    ['+(a|b).js', 'src/a.js', true],
    ['+(a|b).js', 'src/c.js', false],
    ['src/{a,b}.js', 'src/b.js', true],
    ['Fixtures/**', 'fixtures/a.js', false],
    ['../outside/**', '../outside/a.js', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });
});
