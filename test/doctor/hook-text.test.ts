import { describe, expect, it } from 'vitest';
import { analyseHook, appendBlock, callsKeyguard, configMentionsKeyguard, huskyBlock, notFoundLines, plainBlock, recordedPackageDir, shellWord } from '../../src/install/block.js';
import { callsKeyguard as doctorCallsKeyguard } from '../../src/doctor/context.js';
import { describeProblem } from '../../src/install/messages.js';

/**
 * Which hook texts really run keyguard so that it can stop a commit (install/shell.ts). Each
 * "does not" case here was reported as installed before: a mention is not a call, and a call whose
 * failure is thrown away, or that comes after the hook has ended, stops nothing.
 */
const sh = (...lines: string[]) => `#!/bin/sh\n${lines.join('\n')}\n`;

describe('analyseHook: a keyguard scan that stops the commit', () => {
  it.each([
    ['plain call', sh('keyguard scan --staged')],
    ['npx', sh('npx keyguard scan --staged')],
    ['npx with flags', sh('npx --no keyguard scan --staged')],
    ['pnpm exec', sh('pnpm exec keyguard scan --staged')],
    ['path', sh('./node_modules/.bin/keyguard scan --staged')],
    ['quoted path', sh('"$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard" scan --staged')],
    ['exec', sh('exec ./node_modules/.bin/keyguard scan --staged')],
    ['output redirected first (git\'s sample hook)', sh('exec 1>&2', 'keyguard scan --staged')],
    ['|| exit $? then more', sh('keyguard scan --staged || exit $?', 'echo lint')],
    ['|| { …; exit 1; } then more', sh('keyguard scan --staged || { echo "secrets"; exit 1; }', 'echo lint')],
    ['set -e then more', sh('set -e', 'keyguard scan --staged', 'echo lint')],
    ['sh -e shebang', '#!/bin/sh -e\nkeyguard scan --staged\necho lint\n'],
    ['an if condition', sh('if ! keyguard scan --staged; then exit 1; fi', 'echo lint')],
    ['a conditional exit before it', sh('[ -n "$SKIP_HOOKS" ] && exit 0', 'keyguard scan --staged')],
    ['an exit inside a case', sh('case "$1" in', '  --skip) exit 0;;', 'esac', 'keyguard scan --staged')],
    ['an exit inside a heredoc', sh('cat <<EOF', 'exit 0', 'EOF', 'keyguard scan --staged')],
    ['keyguard\'s own block', sh(plainBlock().trimEnd(), 'echo lint')],
  ])('%s', (_, text) => {
    const analysis = analyseHook(text);
    expect(analysis.runs, JSON.stringify(analysis)).toBe(true);
    expect(doctorCallsKeyguard(text)).toBe(true);
  });

  it('husky runs .husky/pre-commit with sh -e: a later command does not hide keyguard\'s failure there', () => {
    expect(analyseHook('keyguard scan --staged\necho lint\n', { errexit: true }).runs).toBe(true);
    expect(analyseHook('keyguard scan --staged; true\n', { errexit: true }).runs).toBe(true);
  });
});

describe('analyseHook: keyguard mentioned but never stopping a commit', () => {
  it.each([
    ['an echo', sh('echo keyguard disabled'), undefined],
    ['a comment', sh('# keyguard scan --staged', 'echo lint'), undefined],
    ['keyguard alone prints help', sh('npx keyguard'), undefined],
    ['|| true', sh('keyguard scan --staged || true'), '`|| true` after keyguard on line 2'],
    ['|| :', sh('keyguard scan --staged || :'), '`|| :`'],
    ['|| exit 0', sh('npx keyguard scan --staged || exit 0'), '`|| exit 0`'],
    ['|| echo', sh('keyguard scan --staged || echo "found something"'), '`|| echo'],
    ['; true', sh('keyguard scan --staged; true'), '`; true`'],
    ['after exit 0', sh('echo lint', 'exit 0', 'keyguard scan --staged'), '`exit 0` on line 3 ends the hook before keyguard (line 4) runs'],
    ['after exec', sh('exec npx lint-staged', 'keyguard scan --staged'), '`exec npx lint-staged` on line 2'],
    ['piped', sh('keyguard scan --staged 2>&1 | tee keyguard.log'), 'pipes keyguard into another command'],
    ['in the background', sh('keyguard scan --staged &'), 'in the background'],
    ['status overwritten by a later command', sh('keyguard scan --staged', 'echo lint'), 'not checked: the hook goes on to line 3'],
    ['status overwritten after an if', sh('if [ -x node_modules/.bin/keyguard ]; then', '  node_modules/.bin/keyguard scan --staged', 'fi', 'echo lint'), 'goes on to line 5'],
    ['keyguard\'s own block after exit 0', sh('echo lint', 'exit 0', plainBlock().trimEnd()), '`exit 0` on line 3'],
  ])('%s', (_, text, reason) => {
    const analysis = analyseHook(text);
    expect(analysis.runs, JSON.stringify(analysis)).toBe(false);
    expect(doctorCallsKeyguard(text)).toBe(false);
    expect(callsKeyguard(text)).toBe(false);
    if (reason) expect(describeProblem(analysis.problem ?? { kind: 'piped', line: 0 })).toContain(reason);
    else expect(analysis.problem).toBeUndefined();
  });

  it('the first top-level exit/exec is where keyguard\'s lines must go before', () => {
    const text = 'echo lint\nif [ -n "$CI" ]; then exit 0; fi\nexit 0\necho never\n';
    const { terminator } = analyseHook(text, { errexit: true });
    expect(terminator).toEqual({ line: 3, text: 'exit 0' });
    expect(appendBlock(text, huskyBlock(), terminator)).toBe(`echo lint\nif [ -n "$CI" ]; then exit 0; fi\n${huskyBlock()}exit 0\necho never\n`);
    expect(analyseHook(appendBlock(text, huskyBlock(), terminator), { errexit: true }).runs).toBe(true);
  });
});

describe('blocks and configs', () => {
  it('a monorepo package directory is recorded in the block and read back, quotes and all', () => {
    for (const dir of ['packages/app', "apps/it's here"]) {
      const block = plainBlock(dir);
      expect(recordedPackageDir(block)).toBe(dir);
      const [first] = notFoundLines(dir);
      expect(first).toContain(`keyguard: not found in ${dir}/node_modules/.bin, node_modules/.bin or on PATH`);
      expect(block).toContain(`echo ${shellWord(first)} >&2`);
      expect(analyseHook(`#!/bin/sh\n${block}`).runs).toBe(true);
    }
    expect(recordedPackageDir(plainBlock())).toBeUndefined();
  });

  it('a hook manager config names keyguard only on a line that is not a comment', () => {
    expect(configMentionsKeyguard('pre-commit:\n  commands:\n    keyguard:\n      run: keyguard scan --staged\n')).toBe(true);
    expect(configMentionsKeyguard('repos:\n# - id: keyguard\n  - repo: local\n')).toBe(false);
  });
});
