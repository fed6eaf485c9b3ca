import { describe, expect, it } from 'vitest';
import { createEngine, fingerprint } from '../../src/engine/engine.js';
import { entropy, redact } from '../../src/engine/redact.js';
import { decodeContent } from '../../src/engine/content.js';
import { builtinRules } from '../../rules/index.js';
import type { Candidate } from '../../src/engine/types.js';
import { genKey } from '../helpers/keys.js';

const engine = createEngine(builtinRules);
const scanText = (text: string, extra: Partial<Candidate> = {}) =>
  engine.scan({ path: 'f.js', text, origin: 'file', bytes: text.length, ...extra });

describe('engine', () => {
  it('maps a match in added lines to its line in the staged blob', () => {
    const key = genKey('proj');
    const text = ['one', `const k = "${key}";`].join('\n');
    const [f] = scanText(text, { lineNumbers: [10, 42] });
    expect(f?.line).toBe(42);
    expect(f?.column).toBe(12);
  });

  it('reports every key on a line and on many lines, in order', () => {
    const a = genKey('legacy');
    const b = genKey('admin');
    const text = `x\n${a} ${b}\n\n\n${a}`;
    const found = scanText(text).map((f) => [f.line, f.column, f.keyType]);
    expect(found).toEqual([
      [2, 1, 'user'],
      [2, a.length + 2, 'admin'],
      [5, 1, 'user'],
    ]);
  });

  it('finds keys in CRLF text with the right columns', () => {
    const key = genKey('svcacct');
    const [f] = scanText(`a\r\nb = '${key}'\r\n`);
    expect([f?.line, f?.column, f?.keyType]).toEqual([2, 6, 'service-account']);
  });

  it('fingerprints ignore the line, and change with the path or the secret', () => {
    const key = genKey('proj');
    const [a] = scanText(`${key}`);
    const [b] = scanText(`\n\n  ${key}`);
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('openai-api-key', 'other.js', key)).not.toBe(a?.fingerprint);
    expect(fingerprint('openai-api-key', 'f.js', genKey('proj'))).not.toBe(a?.fingerprint);
    expect(a?.fingerprint).not.toContain(key);
  });

  it('skips text without the keyword before running any pattern', () => {
    // A pattern that would throw if run proves the prefilter gates it.
    const trap = { ...builtinRules[0]!, id: 'trap', keywords: ['NEVER-PRESENT'], pattern: /x/g };
    Object.defineProperty(trap.pattern, Symbol.matchAll, { value: () => { throw new Error('pattern ran'); } });
    expect(createEngine([trap]).scan({ path: 'p', text: 'x'.repeat(100), origin: 'file', bytes: 100 })).toEqual([]);
  });

  it('refuses a rule pattern without the g flag', () => {
    expect(() => createEngine([{ ...builtinRules[0]!, pattern: /sk-/ }])).toThrow(/g flag/);
  });
});

describe('redaction', () => {
  it('keeps the known prefix and the last four characters, like the OpenAI dashboard', () => {
    const key = genKey('proj');
    expect(redact(key, /^sk-(?:proj|admin)-|^sk-/)).toBe(`sk-proj-…${key.slice(-4)}`);
    const legacy = genKey('legacy');
    expect(redact(legacy, /^sk-(?:proj|admin)-|^sk-/)).toBe(`sk-…${legacy.slice(-4)}`);
  });

  it('never shows more than a quarter of a short secret', () => {
    expect(redact('abcdefgh')).toBe('ab…');
    expect(redact('abcdefghijklmnopqrst')).toBe('abc…qrst');
  });

  it('entropy separates placeholders from random text', () => {
    expect(entropy('x'.repeat(40))).toBe(0);
    expect(entropy(genKey('legacy'))).toBeGreaterThan(4);
  });
});

describe('content', () => {
  it('treats a NUL in the first 8000 bytes as binary, like git', () => {
    expect(decodeContent(Buffer.from('a\0b'))).toEqual({ skip: 'binary' });
    const late = Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])]);
    expect('text' in decodeContent(late)).toBe(true);
  });

  it('drops a UTF-8 BOM and recognises LFS pointers', () => {
    expect(decodeContent(Buffer.from('\ufeffhello'))).toEqual({ text: 'hello' });
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:' + 'a'.repeat(64) + '\nsize 12\n';
    expect(decodeContent(Buffer.from(pointer))).toEqual({ skip: 'lfs-pointer' });
  });
});

describe('LFS pointers', () => {
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 12\n`;
  it('skips only a whole, well-formed pointer', () => {
    expect(decodeContent(Buffer.from(pointer))).toEqual({ skip: 'lfs-pointer' });
    expect(decodeContent(Buffer.from(pointer.trimEnd()))).toEqual({ skip: 'lfs-pointer' });
  });
  it('scans text that only starts like one', () => {
    const key = genKey('proj');
    for (const text of [`version https://git-lfs.github.com/spec/v1\nOPENAI_API_KEY=${key}\n`, `${pointer}${key}\n`]) {
      expect(decodeContent(Buffer.from(text))).toEqual({ text });
      expect(scanText(text)).toHaveLength(1);
    }
  });
});
