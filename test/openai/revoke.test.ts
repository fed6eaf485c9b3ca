import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import openaiApiKey from '../../rules/openai-api-key.js';
import { revoke, type RevokeFinding } from '../../src/commands/revoke.js';
import { redact } from '../../src/engine/redact.js';
import type { KeyType } from '../../src/engine/types.js';
import { redactedMatches } from '../../src/openai/client.js';
import { closedPortUrl, redactedValue, startFakeOpenAI, type FakeKey, type FakeOpenAI, type FakeOwner } from '../helpers/fake-openai.js';
import { genKey } from '../helpers/keys.js';

let fake: FakeOpenAI;
let adminKey: string;
beforeEach(async () => {
  fake = await startFakeOpenAI();
  adminKey = genKey('admin');
  fake.config.keys.set(adminKey, 'live');
});
afterEach(async () => {
  await fake.close();
});

/** A finding the way the engine reports it: preview from the rule's previewPrefix, never the key. */
const preview = (key: string) => redact(key, openaiApiKey.previewPrefix);
function finding(key: string, keyType: KeyType | undefined, path = 'src/config.ts', line = 1): RevokeFinding {
  return { preview: preview(key), ...(keyType ? { keyType } : {}), ruleId: 'openai-api-key', path, line };
}

const user: FakeOwner = { type: 'user', id: 'user_abc', name: 'Ada Lovelace', email: 'ada@example.test' };
const bot: FakeOwner = { type: 'service_account', id: 'svc_deploy', name: 'deployer' };
const listed = (id: string, key: string, owner: FakeOwner = user, name = `key ${id}`): FakeKey => ({ id, name, redacted_value: redactedValue(key), owner });

interface Run {
  exitCode: number;
  output: string;
  questions: string[];
}

async function run(findings: RevokeFinding[], options: { yes?: boolean; answers?: boolean[]; env?: NodeJS.ProcessEnv; baseUrl?: string; secrets?: string[] } = {}): Promise<Run> {
  const questions: string[] = [];
  const answers = [...(options.answers ?? [])];
  let output = '';
  const { exitCode } = await revoke({
    findings,
    env: options.env ?? { OPENAI_ADMIN_KEY: adminKey },
    yes: options.yes ?? false,
    confirm: async (q) => {
      questions.push(q);
      return answers.shift() ?? false;
    },
    write: (t) => {
      output += t;
    },
    baseUrl: options.baseUrl ?? fake.baseUrl,
  });
  for (const secret of [adminKey, ...(options.secrets ?? [])]) {
    expect(output).not.toContain(secret);
    expect(output).not.toContain(secret.slice(0, 14));
    expect(questions.join('\n')).not.toContain(secret);
  }
  return { exitCode, output, questions };
}

const deletes = () => fake.requests.filter((r) => r.method === 'DELETE');

describe('project and service account keys', () => {
  it('one match, confirmed: shows the key, asks, deletes it with the admin key, exit 0', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_web', name: 'Website', keys: [listed('key_other', genKey('proj')), listed('key_1', key, user, 'web-prod')] }];
    const r = await run([finding(key, 'project')], { answers: [true], secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(r.questions).toEqual([`Revoke project key "web-prod" (${preview(key)}) in project "Website"?`]);
    expect(r.output).toContain('Found: "web-prod" (key_1) in project "Website" (proj_web)');
    expect(r.output).toContain('Owner: user "Ada Lovelace" <ada@example.test> (user_abc)');
    expect(r.output).toMatch(/created 2024-03-26 \d\d:\d\d UTC, last used 2024-03-26/);
    expect(r.output).toContain('Revoked');
    expect(fake.deleted).toEqual(['proj_web/key_1']);
    expect(deletes()).toEqual([expect.objectContaining({ path: '/organization/projects/proj_web/api_keys/key_1', authorization: `Bearer ${adminKey}` })]);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${adminKey}`)).toBe(true);
  });

  it('declined: nothing deleted, exit 1', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_web', name: 'Website', keys: [listed('key_1', key)] }];
    const r = await run([finding(key, 'project')], { answers: [false], secrets: [key] });
    expect(r.exitCode).toBe(1);
    expect(r.questions).toHaveLength(1);
    expect(r.output).toContain('Kept: nothing was deleted.');
    expect(deletes()).toHaveLength(0);
    expect(r.output).toContain('1 kept at your answer');
  });

  it('--yes deletes without asking', async () => {
    const key = genKey('svcacct');
    fake.config.projects = [{ id: 'proj_api', name: 'API', keys: [listed('key_9', key, bot)] }];
    const r = await run([finding(key, 'service-account')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(r.questions).toHaveLength(0);
    expect(r.output).toContain('Owner: service account "deployer" (svc_deploy)');
    expect(fake.deleted).toEqual(['proj_api/key_9']);
  });

  it('the same key found in several places is one key: one question, one DELETE', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_web', name: 'Website', keys: [listed('key_1', key)] }];
    const r = await run([finding(key, 'project', 'a.ts', 3), finding(key, 'project', '.env', 1), finding(key, 'project', 'a.ts', 3)], { answers: [true, true], secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(r.questions).toHaveLength(1);
    expect(r.output).toContain(`${preview(key)}  project key  (a.ts:3, .env:1)`);
    expect(deletes()).toHaveLength(1);
  });

  it('no match: says so with the manual page, deletes nothing, exit 1', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_web', name: 'Website', keys: [listed('key_1', genKey('proj'))] }];
    const r = await run([finding(key, 'project')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain(`Not found: none of the organization's 1 API key in 1 project is listed as ${preview(key)}`);
    expect(r.output).toMatch(/revoked already, or belong to another organization/);
    expect(r.output).toContain('https://platform.openai.com/api-keys');
    expect(deletes()).toHaveLength(0);
  });

  it('several matches: lists them and deletes nothing, even with --yes', async () => {
    const key = genKey('proj');
    const twin = `sk-proj-${genKey('proj').slice(8, -4)}${key.slice(-4)}`; // same prefix and last 4
    fake.config.projects = [
      { id: 'proj_a', name: 'Alpha', keys: [{ id: 'key_a', name: 'alpha', redacted_value: redactedValue(key, { head: 0 }), owner: user }] },
      { id: 'proj_b', name: 'Beta', keys: [{ id: 'key_b', name: 'beta', redacted_value: redactedValue(twin, { head: 0 }), owner: bot }] },
    ];
    const r = await run([finding(key, 'project')], { yes: true, secrets: [key, twin] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain(`2 keys are listed like ${preview(key)}:`);
    expect(r.output).toContain('"alpha" (key_a) in project "Alpha" (proj_a)');
    expect(r.output).toContain('"beta" (key_b) in project "Beta" (proj_b)');
    expect(r.output).toContain('even with --yes');
    expect(r.questions).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
  });

  it('a service account key OpenAI refuses to delete: explains deleting the service account, exit 1', async () => {
    const key = genKey('svcacct');
    fake.config.refuseServiceAccountKeyDelete = true;
    fake.config.projects = [{ id: 'proj_api', name: 'API', keys: [listed('key_9', key, bot, 'ci')] }];
    const r = await run([finding(key, 'service-account')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(1);
    expect(deletes()).toHaveLength(1);
    expect(fake.deleted).toEqual([]);
    expect(r.output).toContain('refused to delete this service account\'s key (DELETE /organization/projects/proj_api/api_keys/key_9: HTTP 400)');
    expect(r.output).toContain('delete service account "deployer" (svc_deploy) in project "API" (proj_api)');
    expect(r.output).toContain('DELETE /v1/organization/projects/proj_api/service_accounts/svc_deploy');
    expect(r.output).toContain('https://platform.openai.com/settings/organization/projects');
    expect(r.output).not.toContain('cannot be deleted'); // OpenAI's own text is not passed through
  });

  it('finds a key across pages of projects and of keys', async () => {
    const key = genKey('proj-58');
    fake.config.pageSize = 2;
    fake.config.projects = Array.from({ length: 5 }, (_, p) => ({
      id: `proj_${p}`,
      name: `Project ${p}`,
      keys: Array.from({ length: 5 }, (_, k) => listed(`key_${p}_${k}`, genKey('proj'))),
    }));
    fake.config.projects[4]!.keys.push(listed('key_target', key));
    const r = await run([finding(key, 'project')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(fake.deleted).toEqual(['proj_4/key_target']);
    const projectPages = fake.requests.filter((q) => q.path === '/organization/projects');
    expect(projectPages.map((q) => q.url)).toEqual([
      '/v1/organization/projects?limit=100',
      '/v1/organization/projects?limit=100&after=proj_1',
      '/v1/organization/projects?limit=100&after=proj_3',
    ]);
    expect(fake.requests.filter((q) => q.path === '/organization/projects/proj_4/api_keys')).toHaveLength(3);
    expect(r.output).toContain('"key key_target" (key_target) in project "Project 4" (proj_4)');
  });

  it('lists the projects once for several keys', async () => {
    const [a, b] = [genKey('proj'), genKey('svcacct')];
    fake.config.projects = [
      { id: 'proj_1', name: 'One', keys: [listed('key_a', a)] },
      { id: 'proj_2', name: 'Two', keys: [listed('key_b', b, bot)] },
    ];
    const r = await run([finding(a, 'project'), finding(b, 'service-account')], { yes: true, secrets: [a, b] });
    expect(r.exitCode).toBe(0);
    expect(fake.requests.filter((q) => q.path === '/organization/projects')).toHaveLength(1);
    expect(fake.deleted.sort()).toEqual(['proj_1/key_a', 'proj_2/key_b']);
    expect(r.output).toContain('keyguard revoke: 2 revoked.');
  });

  it('a DELETE that fails (503): not deleted, the others still handled, exit 1', async () => {
    const [a, b] = [genKey('proj'), genKey('proj')];
    fake.config.projects = [{ id: 'proj_1', name: 'One', keys: [listed('key_a', a), listed('key_b', b)] }];
    fake.config.routes.set('DELETE /organization/projects/proj_1/api_keys/key_a', { status: 503, body: { error: { message: 'overloaded', type: 'server_error', code: null } } });
    const r = await run([finding(a, 'project'), finding(b, 'project')], { yes: true, secrets: [a, b] });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('Not deleted: DELETE /organization/projects/proj_1/api_keys/key_a: HTTP 503');
    expect(fake.deleted).toEqual(['proj_1/key_b']);
    expect(r.output).toContain('1 revoked, 1 not deleted');
  });

  it('a key of no known shape is searched among project keys', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_1', name: 'One', keys: [listed('key_a', key)] }];
    const r = await run([finding(key, 'unknown')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(fake.deleted).toEqual(['proj_1/key_a']);
  });

  it('names from the API are printed without control characters', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_1', name: 'One\u001b[2J', keys: [listed('key_a', key, user, 'evil\u001b]8;;x\u0007\nname')] }];
    const r = await run([finding(key, 'project')], { answers: [false], secrets: [key] });
    expect(r.output).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.questions.join('')).not.toMatch(/[\u0000-\u001f]/);
    expect(r.output).toContain('"evil?]8;;x??name"');
  });
});

describe('user keys', () => {
  it('explains the manual step and makes no API call', async () => {
    const key = genKey('legacy');
    const r = await run([finding(key, 'user')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(0);
    expect(r.output).toContain('the Admin API can neither list nor delete it');
    expect(r.output).toContain(`finds the key ending in "${key.slice(-4)}" and deletes it`);
    expect(r.output).toContain('https://platform.openai.com/api-keys');
  });

  it('needs no admin key', async () => {
    const key = genKey('legacy');
    const r = await run([finding(key, 'user')], { env: {}, secrets: [key] });
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('next to a project key: the user key still makes no call', async () => {
    const [legacy, proj] = [genKey('legacy'), genKey('proj')];
    fake.config.projects = [{ id: 'proj_1', name: 'One', keys: [listed('key_a', proj)] }];
    const r = await run([finding(proj, 'project'), finding(legacy, 'user')], { yes: true, secrets: [legacy, proj] });
    expect(r.exitCode).toBe(0);
    expect(fake.requests.some((q) => q.url.includes(legacy.slice(-4)))).toBe(false);
    expect(r.output).toContain('1 revoked, 1 user key for the owner to revoke by hand');
    expect(r.output.indexOf(preview(legacy))).toBeLessThan(r.output.indexOf(preview(proj)));
  });
});

describe('admin keys', () => {
  it('found in the admin key list and deleted', async () => {
    const leaked = genKey('admin');
    fake.config.adminKeys = [listed('key_admin_own', adminKey), listed('key_admin_leaked', leaked, user, 'old automation')];
    const r = await run([finding(leaked, 'admin')], { answers: [true], secrets: [leaked] });
    expect(r.exitCode).toBe(0);
    expect(r.questions).toEqual([`Revoke admin key "old automation" (${preview(leaked)})?`]);
    expect(fake.deleted).toEqual(['admin/key_admin_leaked']);
    expect(deletes()[0]?.path).toBe('/organization/admin_api_keys/key_admin_leaked');
    expect(fake.requests.some((q) => q.path.startsWith('/organization/projects'))).toBe(false);
  });

  it('the admin key in use comes last, with a warning', async () => {
    const proj = genKey('proj');
    fake.config.projects = [{ id: 'proj_1', name: 'One', keys: [listed('key_a', proj)] }];
    fake.config.adminKeys = [listed('key_admin_own', adminKey)];
    const r = await run([finding(adminKey, 'admin'), finding(proj, 'project')], { yes: true, secrets: [proj] });
    expect(r.exitCode).toBe(0);
    expect(fake.deleted).toEqual(['proj_1/key_a', 'admin/key_admin_own']);
    expect(r.output).toContain('the admin key in OPENAI_ADMIN_KEY itself');
  });
});

describe('fatal errors', () => {
  it('no OPENAI_ADMIN_KEY: how to create one, the manual steps for every key, exit 2, no call', async () => {
    const [proj, legacy, admin] = [genKey('proj'), genKey('legacy'), genKey('admin')];
    const r = await run([finding(proj, 'project'), finding(legacy, 'user'), finding(admin, 'admin')], { env: {}, yes: true, secrets: [proj, legacy, admin] });
    expect(r.exitCode).toBe(2);
    expect(fake.requests).toHaveLength(0);
    expect(r.output).toContain('keyguard: OPENAI_ADMIN_KEY is not set: revoking project, service account and admin keys needs an OpenAI admin key.');
    expect(r.output).toContain('https://platform.openai.com/settings/organization/admin-keys');
    expect(r.output).toContain('Revoke by hand:');
    for (const key of [proj, legacy, admin]) expect(r.output).toContain(`the key ending in "${key.slice(-4)}"`);
  });

  it('an empty OPENAI_ADMIN_KEY counts as missing', async () => {
    const r = await run([finding(genKey('proj'), 'project')], { env: { OPENAI_ADMIN_KEY: '  ' } });
    expect(r.exitCode).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });

  it('a rejected admin key (401): exit 2, the manual steps, nothing deleted, the admin key never printed', async () => {
    fake.config.keys.set(adminKey, 'invalid');
    const key = genKey('proj');
    const r = await run([finding(key, 'project')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('keyguard: the admin key in OPENAI_ADMIN_KEY was rejected (GET /organization/projects: HTTP 401 invalid_api_key).');
    expect(r.output).toContain('https://platform.openai.com/settings/organization/admin-keys');
    expect(r.output).toContain(`the key ending in "${key.slice(-4)}"`);
    expect(r.output).not.toContain(adminKey.slice(-4) + '.'); // not even OpenAI's masked echo
    expect(deletes()).toHaveLength(0);
  });

  it('a project key put in OPENAI_ADMIN_KEY: rejected, and told it is not an admin key', async () => {
    const notAdmin = genKey('proj');
    const r = await run([finding(genKey('proj'), 'project')], { env: { OPENAI_ADMIN_KEY: notAdmin }, secrets: [notAdmin] });
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/does not start with sk-admin-, so it is not an admin key/);
  });

  it('an admin key without the permission to list keys: exit 2', async () => {
    fake.config.keys.set(adminKey, 'scope');
    const r = await run([finding(genKey('proj'), 'project')], { yes: true });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('is not allowed to list API keys (GET /organization/projects: HTTP 403)');
    expect(r.output).toContain('Management API');
  });

  it('an admin key allowed to list but not to delete: exit 2 at the DELETE', async () => {
    const key = genKey('proj');
    fake.config.projects = [{ id: 'proj_1', name: 'One', keys: [listed('key_a', key)] }];
    fake.config.routes.set('DELETE /organization/projects/proj_1/api_keys/key_a', { status: 403, body: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.management.write.', type: 'invalid_request_error', code: null } } });
    const r = await run([finding(key, 'project')], { yes: true, secrets: [key] });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('is not allowed to delete API keys');
  });

  it('the Admin API unreachable: exit 2 with the manual steps', async () => {
    const key = genKey('proj');
    const r = await run([finding(key, 'project')], { baseUrl: await closedPortUrl(), yes: true, secrets: [key] });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('could not be reached (GET /organization/projects: connection refused)');
    expect(r.output).toContain('Revoke by hand:');
  });

  it('a user key handled before a fatal error is still counted', async () => {
    fake.config.keys.set(adminKey, 'invalid');
    const r = await run([finding(genKey('legacy'), 'user'), finding(genKey('proj'), 'project')], { yes: true });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('0 revoked, 1 user key for the owner to revoke by hand, 1 not reached.');
  });

  it('a base URL that is not https: exit 2 before any key is sent', async () => {
    const r = await run([finding(genKey('proj'), 'project')], { baseUrl: 'http://proxy.example.test/v1', yes: true });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('KEYGUARD_OPENAI_BASE_URL must use https');
  });
});

describe('other findings', () => {
  it('leaves findings of other rules out, and says so', async () => {
    const r = await run([{ preview: 'ghp_…abcd', ruleId: 'github-token', path: 'a', line: 1 }]);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('1 finding of other rules left out');
    expect(r.output).toContain('no OpenAI key among the findings');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('redactedMatches', () => {
  it.each([
    ['proj', { head: 3, mask: '...' }],
    ['proj', { head: 3, mask: '…' }],
    ['proj', { head: 0, mask: '****' }],
    ['proj', { head: 5, mask: '***...' }],
    ['svcacct', { head: 2, mask: '...' }],
    ['admin', { head: 3, mask: '...' }],
    ['none', { head: 0, mask: '...' }],
    ['legacy', { head: 3, mask: '...' }],
    ['named', { head: 3, mask: '...' }],
  ] as const)('a %s key listed as prefix + %o + last 4 matches its preview', (kind, style) => {
    const key = genKey(kind);
    expect(redactedMatches(redactedValue(key, style), preview(key))).toBe(true);
  });

  it('a listing that shows less than the known prefix still matches', () => {
    const key = genKey('proj');
    expect(redactedMatches(`sk-...${key.slice(-4)}`, preview(key))).toBe(true);
  });

  it('a three-character ending (as in the spec example) is compared on three', () => {
    const key = genKey('proj');
    expect(redactedMatches(redactedValue(key, { tail: 3 }), preview(key))).toBe(true);
  });

  it('a different ending does not match', () => {
    const key = genKey('proj');
    const other = genKey('proj');
    if (other.slice(-4) === key.slice(-4)) return;
    expect(redactedMatches(redactedValue(other), preview(key))).toBe(false);
  });

  it('a different known prefix does not match', () => {
    const key = genKey('proj');
    const tail = key.slice(-4);
    expect(redactedMatches(`sk-svcacct-abc...${tail}`, preview(key))).toBe(false);
    expect(redactedMatches(`sk-admin-abc...${tail}`, preview(key))).toBe(false);
    // A legacy key's preview is `sk-…`: a listing that shows sk-proj- is another key.
    const legacy = genKey('legacy');
    expect(redactedMatches(`sk-proj-abc...${legacy.slice(-4)}`, preview(legacy))).toBe(false);
  });

  it('extra characters after the prefix must agree with what the preview shows', () => {
    const key = genKey('proj');
    const longer = redact(key, /^sk-proj-.../); // a preview that shows 3 more characters
    expect(redactedMatches(redactedValue(key, { head: 3 }), longer)).toBe(true);
    expect(redactedMatches(redactedValue(key, { head: 2 }), longer)).toBe(true);
    const flipped = `${key.slice(0, 8)}${key[8] === 'A' ? 'B' : 'A'}${key.slice(9, 11)}...${key.slice(-4)}`;
    expect(redactedMatches(flipped, longer)).toBe(false);
  });

  it('values without a mask, or too short an ending, never match', () => {
    const key = genKey('proj');
    expect(redactedMatches(key, preview(key))).toBe(false);
    expect(redactedMatches(`sk-proj-...${key.slice(-2)}`, preview(key))).toBe(false);
    expect(redactedMatches('', preview(key))).toBe(false);
    expect(redactedMatches(redactedValue(key), 'sk-proj-…')).toBe(false);
  });
});
