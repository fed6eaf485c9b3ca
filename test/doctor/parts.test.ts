import { describe, expect, it } from 'vitest';
import { callsBareKeyguard, callsKeyguard } from '../../src/doctor/context.js';
import { keyShape } from '../../src/doctor/checks/env-key.js';
import { makeCanary } from '../../src/doctor/checks/canary.js';
import { placeholderFor, templateFrom } from '../../src/doctor/repair.js';
import { doctorMessages } from '../../src/doctor/messages.js';
import { isPlaceholderValue } from '../../src/engine/dotenv.js';
import { createEngine } from '../../src/engine/engine.js';
import { builtinRules } from '../../rules/index.js';
import { genKey, type KeyKind } from '../helpers/keys.js';

describe('keyShape', () => {
  it.each([
    ['proj', 'project'],
    ['proj-58', 'project'],
    ['proj-short', 'project'],
    ['svcacct', 'service-account'],
    ['admin', 'admin'],
    ['legacy', 'user'],
    ['named', 'service-account'],
  ] as [KeyKind, string][])('%s → %s', (kind, type) => {
    expect(keyShape(genKey(kind))).toMatchObject({ shape: 'valid', keyType: type });
  });

  it('truncated, padded, quoted, or not a key at all', () => {
    const key = genKey('proj');
    expect(keyShape(key.slice(0, -20)).shape).toBe('unknown');
    expect(keyShape(` ${key}`).shape).toBe('padded');
    expect(keyShape(`"${key}"`).shape).toBe('padded');
    expect(keyShape(`${key} ${key}`).shape).toBe('invalid');
    expect(keyShape('hello').shape).toBe('invalid');
    expect(keyShape('').shape).toBe('invalid');
  });

  it('carries nothing of the value', () => {
    const key = genKey('proj');
    expect(JSON.stringify(keyShape(key))).not.toContain(key.slice(-4));
  });
});

describe('templateFrom', () => {
  it('replaces every value, and drops every comment and the body lines of multi-line values', () => {
    const text = [
      '# OpenAI',
      `export OPENAI_API_KEY="${genKey('proj')}"`,
      `# OPENAI_API_KEY=${genKey('legacy')}`,
      `# spare ${genKey('admin')}`,
      'DATABASE_URL=postgres://user:hunter2@db/app',
      'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      '-----END PRIVATE KEY-----"',
      '',
      'PORT=3000',
      'PORT=4000',
      '',
    ].join('\r\n');
    const { text: out, count } = templateFrom(text);
    expect(out).toBe(
      `${doctorMessages.fix.templateHeader}\n\nexport OPENAI_API_KEY=your-openai-api-key-here\nDATABASE_URL=\nPRIVATE_KEY=your-private-key-here\n\nPORT=\n`,
    );
    expect(count).toBe(4);
  });

  it('makes placeholders the checks accept as placeholders', () => {
    const engine = createEngine(builtinRules);
    for (const name of ['OPENAI_API_KEY', 'DB_PASSWORD', 'GITHUB_TOKEN', 'AUTH_SECRET']) {
      const value = placeholderFor(name);
      expect(isPlaceholderValue(value)).toBe(true);
      expect(engine.scan({ path: '.env.example', text: `${name}=${value}`, origin: 'stdin', bytes: 1 })).toEqual([]);
    }
    expect(placeholderFor('PORT')).toBe('');
  });
});

describe('hook text', () => {
  it('callsKeyguard: commands, not comments or look-alikes', () => {
    expect(callsKeyguard('#!/bin/sh\nkeyguard scan --staged\n')).toBe(true);
    expect(callsKeyguard('npx keyguard scan --staged\r\n')).toBe(true);
    expect(callsKeyguard('"$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard" scan --staged\n')).toBe(true);
    expect(callsKeyguard('#!/bin/sh\n# TODO add keyguard\nnpm test\n')).toBe(false);
    expect(callsKeyguard('cp a a.keyguard-backup\n')).toBe(false);
  });

  it('callsBareKeyguard: keyguard found only through PATH', () => {
    expect(callsBareKeyguard('keyguard scan --staged')).toBe(true);
    expect(callsBareKeyguard('set -e; exec keyguard scan --staged')).toBe(true);
    expect(callsBareKeyguard('npx keyguard scan --staged')).toBe(false);
    expect(callsBareKeyguard('./node_modules/.bin/keyguard scan --staged')).toBe(false);
    expect(callsBareKeyguard('# keyguard scan')).toBe(false);
  });
});

describe('canary', () => {
  it('is a fresh project key every time, caught by the engine', () => {
    const a = makeCanary();
    const b = makeCanary();
    expect(a).not.toBe(b);
    expect(keyShape(a)).toMatchObject({ shape: 'valid', keyType: 'project' });
  });
});
