import { describe, expect, it } from 'vitest';
import { dotenvKind, isPlaceholderValue, isSecretName, parseDotenv, secretInUrl } from '../../src/engine/dotenv.js';

describe('dotenv names', () => {
  it.each([
    ['.env', 'dotenv'],
    ['packages/api/.env.local', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['.env.example', 'template'],
    ['.env.production.sample', 'template'],
    ['.env.template', 'template'],
    ['.env.defaults', 'template'],
    ['.env.vault', undefined],
    ['src/.env.ts', undefined],
    ['types/.env.d.ts', undefined],
    ['.envrc', undefined],
    ['env.ts', undefined],
  ])('%s is %s', (path, kind) => {
    expect(dotenvKind(path)).toBe(kind);
  });
});

describe('parseDotenv', () => {
  it('reads exports, quotes and comments, and keeps multi-line values out of the names', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = "two words" # note',
      "PRIVATE_KEY='-----BEGIN PRIVATE KEY-----",
      'MIIEvQ_looks_like=a_name',
      "-----END PRIVATE KEY-----'",
      'C=3',
    ].join('\n');
    const entries = parseDotenv(text);
    expect(entries.map((e) => [e.name, e.line])).toEqual([
      ['A', 2],
      ['B', 3],
      ['PRIVATE_KEY', 4],
      ['C', 7],
    ]);
    expect(entries[1]?.value).toBe('two words');
    expect(entries[2]?.value.split('\n')).toHaveLength(3);
  });
});

describe('credential names and values', () => {
  it.each([
    ['OPENAI_API_KEY', true],
    ['DB_PASSWORD', true],
    ['githubToken', true],
    ['SENTRY_DSN', true],
    ['KEYCLOAK_URL', false],
    ['S3_KEY_PREFIX', false],
    ['TOKEN_ENDPOINT', false],
    ['NEXTAUTH_URL', false],
    ['AUTH0_DOMAIN', false],
    ['PORT', false],
  ])('%s is a credential name: %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });

  it('tells placeholders from real-looking values', () => {
    for (const v of ['', 'your-api-key-here', '<token>', '${TOKEN}', 'changeme', 'xxxx', 'sk-...', 'a-long-random-string', 'http://localhost:3000']) {
      expect(isPlaceholderValue(v), v).toBe(true);
    }
    for (const v of ['Zq3vX9tLm2Pw8RkYc4Hn', 'postgres://app:Xk9mQ2vLp7w@db:5432/x']) expect(isPlaceholderValue(v), v).toBe(false);
  });

  it('finds the credential in a URL user part', () => {
    expect(secretInUrl('postgres://admin:Xk9mQ2vLp7w@db/app')).toBe('Xk9mQ2vLp7w');
    expect(secretInUrl('https://3f2a9c1e7b5d4a8f9e0c1b2a3d4e5f60@o1.ingest.sentry.io/1')).toBe('3f2a9c1e7b5d4a8f9e0c1b2a3d4e5f60');
    expect(secretInUrl('postgres://user:password@localhost/app')).toBeUndefined();
    expect(secretInUrl('https://example.com/path')).toBeUndefined();
  });
});
