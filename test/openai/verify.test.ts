import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyguardError } from '../../src/errors.js';
import type { KeyType } from '../../src/engine/types.js';
import { DEFAULT_BASE_URL, resolveBaseUrl, verifyAll, verifyKey, type VerifyResult } from '../../src/openai/client.js';
import { closedPortUrl, startFakeOpenAI, type FakeOpenAI, type KeyBehaviour } from '../helpers/fake-openai.js';
import { genKey, type KeyKind } from '../helpers/keys.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fake.close();
});

const opts = () => ({ baseUrl: fake.baseUrl, retryDelayMs: 0 });

/** No result text holds a key, a piece of one, or OpenAI's masked echo of one. */
function expectNoKey(result: VerifyResult, key: string): void {
  expect(result.detail).not.toContain(key);
  expect(result.detail).not.toContain(key.slice(0, 12));
  expect(result.detail).not.toContain(key.slice(-12));
  expect(result.detail).not.toContain('*');
  expect(result.detail).not.toMatch(/incorrect api key|insufficient permissions|country/i);
}

async function check(behaviour: KeyBehaviour | undefined, kind: KeyKind = 'proj', keyType: KeyType = 'project', extra: object = {}) {
  const key = genKey(kind);
  if (behaviour !== undefined) fake.config.keys.set(key, behaviour);
  const result = await verifyKey(key, keyType, { ...opts(), ...extra });
  expectNoKey(result, key);
  return { key, result, requests: fake.requestsWith(key) };
}

describe('verifyKey classification', () => {
  it('200 from GET /models: live, with the key as a bearer token', async () => {
    const { key, result, requests } = await check('live');
    expect(result).toEqual({ status: 'live', detail: 'HTTP 200' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/models', authorization: `Bearer ${key}` });
  });

  it('admin keys are checked with GET /organization/admin_api_keys?limit=1', async () => {
    const { result, requests } = await check('live', 'admin', 'admin');
    expect(result.status).toBe('live');
    expect(requests.map((r) => r.url)).toEqual(['/v1/organization/admin_api_keys?limit=1']);
  });

  it('an admin-shaped key of unknown type still goes to the admin endpoint', async () => {
    const { requests } = await check('live', 'admin', 'unknown');
    expect(requests[0]?.path).toBe('/organization/admin_api_keys');
  });

  it.each([
    ['legacy', 'user'],
    ['svcacct', 'service-account'],
    ['none', 'project'],
    ['named', 'service-account'],
  ] as const)('%s keys go to GET /models', async (kind, keyType) => {
    const { result, requests } = await check('live', kind, keyType);
    expect(result.status).toBe('live');
    expect(requests.map((r) => r.path)).toEqual(['/models']);
  });

  it('401 invalid_api_key: invalid, and OpenAI\'s masked echo of the key is not passed on', async () => {
    const { result } = await check('invalid');
    expect(result).toEqual({ status: 'invalid', detail: 'HTTP 401 invalid_api_key' });
  });

  it('a key the API does not know at all: invalid', async () => {
    const { result } = await check(undefined);
    expect(result.status).toBe('invalid');
  });

  it.each([
    ['unauthorized', /^HTTP 401 no_organization$/],
    ['ip-not-allowed', /^HTTP 401 ip_not_authorized$/],
    ['non-json-401', /^HTTP 401, not JSON$/],
  ] as const)('other 401s (%s): unknown', async (behaviour, detail) => {
    const { result } = await check(behaviour);
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(detail);
  });

  it.each(['scope', 'scope-string', 'scope-401'] as const)('missing scopes (%s): live, the key was resolved', async (behaviour) => {
    const { result } = await check(behaviour);
    expect(result.status).toBe('live');
    expect(result.detail).toMatch(/^HTTP 40[13], key lacks a scope$/);
  });

  it('403 country, region or territory not supported: unknown', async () => {
    const { result } = await check('region');
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 403, region not supported' });
  });

  it('a 403 of no known kind: unknown', async () => {
    const { result } = await check({ status: 403, body: { error: { message: 'Forbidden', type: 'invalid_request_error', code: null } } });
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 403' });
  });

  it('429 rate limit: live, not retried', async () => {
    const { result, requests } = await check('rate-limited');
    expect(result).toEqual({ status: 'live', detail: 'HTTP 429, rate limited' });
    expect(requests).toHaveLength(1);
  });

  it('429 insufficient_quota: live (a key out of credit is still a leak)', async () => {
    const { result } = await check('quota');
    expect(result).toEqual({ status: 'live', detail: 'HTTP 429 insufficient_quota' });
  });

  it('503: unknown after one retry', async () => {
    const { result, requests } = await check('server-error');
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 503' });
    expect(requests).toHaveLength(2);
  });

  it('502 with an HTML page: unknown', async () => {
    const { result } = await check({ status: 502, raw: '<html>Bad gateway</html>' });
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 502' });
  });

  it('a 503 then a 200: the retry finds the key live', async () => {
    const { key } = { key: genKey('proj') };
    fake.config.keys.set(key, 'live');
    fake.config.flaky.set('GET /models', { times: 1, response: { status: 503, body: { error: { message: 'overloaded', type: 'server_error', code: null } } } });
    const result = await verifyKey(key, 'project', opts());
    expect(result).toEqual({ status: 'live', detail: 'HTTP 200' });
    expect(fake.requestsWith(key)).toHaveLength(2);
  });

  it('retry: false sends one request', async () => {
    const { requests } = await check('server-error', 'proj', 'project', { retry: false });
    expect(requests).toHaveLength(1);
  });

  it('200 with HTML (a captive portal or proxy): unknown', async () => {
    const { result } = await check('non-json');
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 200, not JSON' });
  });

  it('200 with JSON that is not a list: unknown', async () => {
    const { result } = await check('not-list');
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 200, unexpected body' });
  });

  it('a redirect is not followed: unknown, one request', async () => {
    const { result } = await check('redirect');
    expect(result).toEqual({ status: 'unknown', detail: 'HTTP 302, redirect not followed' });
    expect(fake.requests).toHaveLength(1);
  });

  it('no answer within the timeout: unknown, not retried', async () => {
    const started = Date.now();
    const { result, requests } = await check('hang', 'proj', 'project', { timeoutMs: 200 });
    expect(result).toEqual({ status: 'unknown', detail: 'timed out after 0.2 s' });
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a slow server past the timeout: unknown', async () => {
    fake.config.delayMs = 1_000;
    const { result } = await check('live', 'proj', 'project', { timeoutMs: 150 });
    expect(result).toEqual({ status: 'unknown', detail: 'timed out after 0.15 s' });
  });

  it('the connection closed without an answer: unknown after one retry', async () => {
    const { result, requests } = await check('drop');
    expect(result).toEqual({ status: 'unknown', detail: 'connection closed by the server' });
    expect(requests).toHaveLength(2);
  });

  it('connection refused (nothing listening): unknown', async () => {
    const key = genKey('proj');
    const result = await verifyKey(key, 'project', { baseUrl: await closedPortUrl(), retryDelayMs: 0 });
    expect(result).toEqual({ status: 'unknown', detail: 'connection refused' });
    expectNoKey(result, key);
  });

  it('a key that cannot be a header value is not sent', async () => {
    const key = `${genKey('proj')}\nX-Injected: 1`;
    const result = await verifyKey(key, 'project', opts());
    expect(result.status).toBe('unknown');
    expect(fake.requests).toHaveLength(0);
    expect(result.detail).not.toContain(key.slice(0, 12));
  });
});

describe('verifyAll', () => {
  it('sends one request per distinct key and gives every finding its key\'s result', async () => {
    const [a, b, c] = [genKey('proj'), genKey('svcacct'), genKey('admin')];
    fake.config.keys.set(a, 'live').set(b, 'invalid').set(c, 'quota');
    const results = await verifyAll(
      [
        { id: 'f1', key: a, keyType: 'project' },
        { id: 'f2', key: b, keyType: 'service-account' },
        { id: 'f3', key: a, keyType: 'project' },
        { id: 'f4', key: c, keyType: 'admin' },
        { id: 'f5', key: b, keyType: 'service-account' },
        { id: 'f6', key: a, keyType: 'unknown' },
      ],
      opts(),
    );
    expect(fake.requests).toHaveLength(3);
    for (const key of [a, b, c]) expect(fake.requestsWith(key)).toHaveLength(1);
    expect([...results.keys()].sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(results.get('f1')).toEqual({ status: 'live', detail: 'HTTP 200' });
    expect(results.get('f3')).toEqual(results.get('f1'));
    expect(results.get('f6')).toEqual(results.get('f1'));
    expect(results.get('f2')?.status).toBe('invalid');
    expect(results.get('f5')).toEqual(results.get('f2'));
    expect(results.get('f4')).toEqual({ status: 'live', detail: 'HTTP 429 insufficient_quota' });
    for (const r of results.values()) for (const key of [a, b, c]) expectNoKey(r, key);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    fake.config.delayMs = 80;
    const keys = Array.from({ length: 10 }, (_, i) => ({ id: `f${i}`, key: genKey('proj'), keyType: 'project' as const }));
    for (const k of keys) fake.config.keys.set(k.key, 'live');
    const results = await verifyAll(keys, { ...opts(), concurrency: 3 });
    expect(fake.requests).toHaveLength(10);
    expect(fake.maxInFlight()).toBe(3);
    expect([...results.values()].every((r) => r.status === 'live')).toBe(true);
  });

  it('defaults to 4 in flight', async () => {
    fake.config.delayMs = 80;
    const keys = Array.from({ length: 9 }, (_, i) => ({ id: `f${i}`, key: genKey('svcacct'), keyType: 'service-account' as const }));
    await verifyAll(keys, opts());
    expect(fake.maxInFlight()).toBe(4);
  });

  it('an empty list sends nothing', async () => {
    expect((await verifyAll([], opts())).size).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends keys to the base URL and nowhere else', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const keys = (['proj', 'admin', 'legacy', 'svcacct'] as const).map((kind, i) => ({ id: `f${i}`, key: genKey(kind), keyType: 'unknown' as const }));
    fake.config.keys.set(keys[0]!.key, 'redirect').set(keys[1]!.key, 'live');
    await verifyAll(keys, opts());
    const urls = spy.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
    expect(urls).toHaveLength(4);
    for (const url of urls) expect(url.startsWith(`${fake.baseUrl}/`)).toBe(true);
    const host = new URL(fake.baseUrl).host;
    expect(fake.requests.every((r) => r.host === host)).toBe(true);
  });

  it('reads KEYGUARD_OPENAI_BASE_URL when no base URL is given', async () => {
    const key = genKey('proj');
    fake.config.keys.set(key, 'live');
    const results = await verifyAll([{ id: 'f', key, keyType: 'project' }], { env: { KEYGUARD_OPENAI_BASE_URL: fake.baseUrl } });
    expect(results.get('f')?.status).toBe('live');
    expect(fake.requestsWith(key)).toHaveLength(1);
  });
});

describe('resolveBaseUrl', () => {
  it('defaults to the OpenAI API', () => {
    expect(resolveBaseUrl({ env: {} })).toBe(DEFAULT_BASE_URL);
    expect(DEFAULT_BASE_URL).toBe('https://api.openai.com/v1');
  });

  it('takes the option over the environment, without a trailing slash', () => {
    expect(resolveBaseUrl({ baseUrl: 'https://proxy.example.test/v1/', env: { KEYGUARD_OPENAI_BASE_URL: 'https://other.example.test/v1' } })).toBe('https://proxy.example.test/v1');
    expect(resolveBaseUrl({ env: { KEYGUARD_OPENAI_BASE_URL: 'http://localhost:8080/v1' } })).toBe('http://localhost:8080/v1');
  });

  it.each(['http://proxy.example.test/v1', 'ftp://127.0.0.1/v1', 'not a url', 'https://user:pw@proxy.example.test/v1', 'https://proxy.example.test/v1?x=1'])(
    'refuses %s with a usage error, before any key is sent',
    async (url) => {
      expect(() => resolveBaseUrl({ baseUrl: url })).toThrow(KeyguardError);
      await expect(verifyAll([{ id: 'f', key: genKey('proj'), keyType: 'project' }], { baseUrl: url })).rejects.toMatchObject({ code: 'USAGE' });
      await expect(verifyKey(genKey('proj'), 'project', { env: { KEYGUARD_OPENAI_BASE_URL: url } })).rejects.toThrow(/KEYGUARD_OPENAI_BASE_URL/);
    },
  );
});
