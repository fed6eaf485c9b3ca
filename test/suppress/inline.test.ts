import { describe, expect, it } from 'vitest';
import { allowedBy, isAllowedInline } from '../../src/suppress/inline.js';
import { createEngine } from '../../src/engine/engine.js';
import { builtinRules } from '../../rules/index.js';
import { genKey } from '../helpers/keys.js';

const known = new Set(['openai-api-key', 'dotenv-committed', 'acme-token']);

describe('keyguard:allow markers', () => {
  it.each([
    ['# keyguard:allow'],
    ['// keyguard:allow'],
    ['/* keyguard:allow */'],
    ['<!-- keyguard:allow -->'],
    ['-- keyguard:allow'],
    ['; keyguard:allow'],
    ['%% keyguard:allow'],
    ['x = 1 # keyguard:allow -- test fixture'],
  ])('allows every rule with %j', (line) => {
    expect(allowedBy(line, 'line', known)).toEqual(new Set());
    expect(isAllowedInline('openai-api-key', line, undefined, known)).toBe(true);
  });

  it('narrows to the rule ids named, comma or space separated, before the reason', () => {
    expect(allowedBy('// keyguard:allow openai-api-key, acme-token -- docs', 'line', known)).toEqual(new Set(['openai-api-key', 'acme-token']));
    expect(allowedBy('# keyguard:allow acme-token dotenv-committed', 'line', known)).toEqual(new Set(['acme-token', 'dotenv-committed']));
    expect(isAllowedInline('openai-api-key', '// keyguard:allow acme-token', undefined, known)).toBe(false);
    expect(isAllowedInline('acme-token', '// keyguard:allow acme-token', undefined, known)).toBe(true);
  });

  it('reads words that are not rule ids as the reason, and the reason after -- never as ids', () => {
    expect(allowedBy('# keyguard:allow test fixture', 'line', known)).toEqual(new Set());
    expect(allowedBy('# keyguard:allow -- openai-api-key is mentioned in the reason only', 'line', known)).toEqual(new Set());
    expect(allowedBy('/* keyguard:allow acme-token */ openai-api-key', 'line', known)).toEqual(new Set(['acme-token']));
  });

  it('is a whole word: keyguard:allowed, keyguard:allowlist and xkeyguard:allow- forms are not markers', () => {
    expect(allowedBy('// keyguard:allowed', 'line', known)).toBeUndefined();
    expect(allowedBy('// keyguard:allowlist', 'line', known)).toBeUndefined();
    expect(allowedBy('// keyguard:allow-nextline', 'line', known)).toBeUndefined();
    expect(allowedBy('// keyguard: allow', 'line', known)).toBeUndefined();
  });

  it('keeps the two scopes apart: allow-next-line does not allow its own line, allow does not allow the next', () => {
    expect(isAllowedInline('openai-api-key', '// keyguard:allow-next-line', undefined, known)).toBe(false);
    expect(isAllowedInline('openai-api-key', 'const k = 1;', '// keyguard:allow', known)).toBe(false);
    expect(isAllowedInline('openai-api-key', 'const k = 1;', '// keyguard:allow-next-line', known)).toBe(true);
    expect(isAllowedInline('openai-api-key', 'const k = 1;', '// keyguard:allow-next-line acme-token', known)).toBe(false);
  });

  it('recognises HTML comments written without spaces', () => {
    expect(allowedBy('<p>x</p><!--keyguard:allow-->', 'line', known)).toEqual(new Set());
    expect(allowedBy('<!--keyguard:allow-next-line-->', 'next-line', known)).toEqual(new Set());
    expect(allowedBy('<!--keyguard:allow openai-api-key-->', 'line', known)).toEqual(new Set(['openai-api-key']));
  });

  it('a misspelled rule id allows nothing, so a typo never widens what is allowed', () => {
    expect(allowedBy('# keyguard:allow openai-api-keys', 'line', known)).toBeUndefined();
    expect(allowedBy('# keyguard:allow openai-api-key, acme-tokn', 'line', known)).toBeUndefined();
    expect(isAllowedInline('openai-api-key', '# keyguard:allow openai-api-keys -- typo', undefined, known)).toBe(false);
    // After --, the same word is only the reason.
    expect(allowedBy('# keyguard:allow -- see openai-api-keys docs', 'line', known)).toEqual(new Set());
  });

  it('finds the marker of the right scope when a line holds both', () => {
    const line = '// keyguard:allow-next-line acme-token keyguard:allow openai-api-key';
    expect(allowedBy(line, 'line', known)).toEqual(new Set(['openai-api-key']));
    expect(allowedBy(line, 'next-line', known)).toEqual(new Set(['acme-token']));
  });
});

describe('the engine honours markers', () => {
  const scan = (text: string, extra: { lineNumbers?: number[]; context?: Map<number, string> } = {}, inlineAllow = true) => {
    const engine = createEngine(builtinRules, { inlineAllow, knownRuleIds: ['openai-api-key', 'dotenv-committed'] });
    const findings = engine.scan({ path: 'a.js', text, origin: 'file', bytes: text.length, ...extra });
    return { findings, suppressed: engine.suppressed.inline };
  };

  it('on the line, on the line above, and not two lines above', () => {
    const key = genKey();
    expect(scan(`const a = "${key}"; // keyguard:allow`)).toEqual({ findings: [], suppressed: 1 });
    expect(scan(`// keyguard:allow-next-line\nconst a = "${key}";`)).toEqual({ findings: [], suppressed: 1 });
    const far = scan(`// keyguard:allow-next-line\n\nconst a = "${key}";`);
    expect(far.findings).toHaveLength(1);
    expect(far.suppressed).toBe(0);
  });

  it('reaches only 200 characters from the secret on its line, and not from an overlong line above', () => {
    const key = genKey();
    expect(scan(`x = "${key}";${' '.repeat(150)}// keyguard:allow`).findings).toEqual([]);
    expect(scan(`x = "${key}";${' '.repeat(250)}// keyguard:allow`).findings).toHaveLength(1);
    expect(scan(`/* keyguard:allow */${'f(1);'.repeat(100)}x = "${key}";`).findings).toHaveLength(1);
    // A minified bundle: one marker must not hide keys everywhere on its line.
    const bundle = `var a="/* keyguard:allow */";${'f(1);'.repeat(4000)}var k="${genKey()}";${'f(1);'.repeat(4000)}var k2="${genKey()}";`;
    expect(scan(bundle).findings).toHaveLength(2);
    expect(scan(`${'x'.repeat(1200)} // keyguard:allow-next-line\nconst a = "${key}";`).findings).toHaveLength(1);
    expect(scan(`${'x'.repeat(900)} // keyguard:allow-next-line\nconst a = "${key}";`).findings).toEqual([]);
  });

  it('in CRLF files', () => {
    expect(scan(`// keyguard:allow-next-line\r\nconst a = "${genKey()}";\r\n`).findings).toEqual([]);
  });

  it('only for the rule named', () => {
    expect(scan(`const a = "${genKey()}"; // keyguard:allow dotenv-committed`).findings).toHaveLength(1);
    expect(scan(`const a = "${genKey()}"; // keyguard:allow openai-api-key`).findings).toEqual([]);
  });

  it('not at all with inlineAllow false', () => {
    const r = scan(`const a = "${genKey()}"; // keyguard:allow`, {}, false);
    expect(r.findings).toHaveLength(1);
    expect(r.suppressed).toBe(0);
  });

  it('added lines: the marker is the previous added line only when it is the previous line of the file', () => {
    const key = genKey();
    // Lines 3 and 9 were added; line 3 is not the line above line 9.
    const text = `// keyguard:allow-next-line\nconst a = "${key}";`;
    expect(scan(text, { lineNumbers: [3, 9] }).findings).toHaveLength(1);
    expect(scan(text, { lineNumbers: [8, 9] }).findings).toEqual([]);
  });

  it('added lines: a marker on the unchanged line above comes from the context the source read', () => {
    const key = genKey();
    const text = `const a = "${key}";`;
    expect(scan(text, { lineNumbers: [5], context: new Map([[4, '# keyguard:allow-next-line']]) }).findings).toEqual([]);
    expect(scan(text, { lineNumbers: [5], context: new Map([[6, '# keyguard:allow-next-line']]) }).findings).toHaveLength(1);
    expect(scan(text, { lineNumbers: [5] }).findings).toHaveLength(1);
  });
});
