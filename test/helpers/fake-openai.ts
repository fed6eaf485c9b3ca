import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the OpenAI API on 127.0.0.1 (a free port), for the live check and the Admin API.
 * Tests configure it through `fake.config` and read what it saw in `fake.requests`.
 * Keys are whatever the test generated (test/helpers/keys.ts); nothing here is key-shaped.
 */

/** How a token is answered, wherever it is sent. */
export type KeyBehaviour =
  | 'live' // 200 (and admin routes, for sk-admin- tokens)
  | 'invalid' // 401 invalid_api_key, echoing a masked key the way OpenAI does
  | 'unauthorized' // 401 of another kind (not a member of an organization)
  | 'ip-not-allowed' // 401, IP allowlist
  | 'scope' // 403 insufficient permissions (a restricted key)
  | 'scope-401' // the same message as 401
  | 'scope-string' // 403 with {"error": "<message>"}
  | 'region' // 403 unsupported_country_region_territory
  | 'rate-limited' // 429 rate_limit_exceeded
  | 'quota' // 429 insufficient_quota
  | 'server-error' // 503
  | 'non-json' // 200 with an HTML page
  | 'non-json-401' // 401 with an HTML page
  | 'not-list' // 200 with JSON that is not a list
  | 'redirect' // 302 to another host
  | 'hang' // never answers
  | 'drop' // closes the connection without an answer
  | FakeResponse;

export interface FakeResponse {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Raw body (sent as text/html), instead of `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface FakeOwner {
  type: 'user' | 'service_account';
  id?: string;
  name?: string;
  email?: string;
}

export interface FakeKey {
  id: string;
  name: string;
  redacted_value: string;
  owner?: FakeOwner;
  created_at?: number;
  last_used_at?: number | null;
}

export interface FakeProject {
  id: string;
  name: string;
  keys: FakeKey[];
}

export interface FakeConfig {
  /** Tokens not listed are answered 401 invalid_api_key, as OpenAI answers unknown keys. */
  keys: Map<string, KeyBehaviour>;
  projects: FakeProject[];
  adminKeys: FakeKey[];
  /** At most this many items per page, whatever `limit` asks (to force pagination). */
  pageSize: number;
  /** DELETE of a service account's project key answers 400, as the spec says it may. */
  refuseServiceAccountKeyDelete: boolean;
  /** `"METHOD /path"` (after /v1, no query) → a fixed answer, before any other handling. */
  routes: Map<string, FakeResponse | 'hang' | 'drop'>;
  /** Milliseconds before every answer. */
  delayMs: number;
  /** The first N answers to a path (`"METHOD /path"`) are this one, then normal handling (retry tests). */
  flaky: Map<string, { times: number; response: FakeResponse | 'drop' }>;
}

export interface RecordedRequest {
  method: string;
  /** Path after /v1, without the query. */
  path: string;
  /** Path and query as sent. */
  url: string;
  authorization: string | undefined;
  host: string | undefined;
}

export interface FakeOpenAI {
  /** The base URL to hand to the client: http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  config: FakeConfig;
  requests: RecordedRequest[];
  /** Ids of the keys deleted, as "project_id/key_id" or "admin/key_id". */
  deleted: string[];
  /** Most requests seen in flight at once. */
  maxInFlight(): number;
  /** Requests carrying this token. */
  requestsWith(token: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAI(config: Partial<FakeConfig> = {}): Promise<FakeOpenAI> {
  const state: FakeConfig = {
    keys: new Map(),
    projects: [],
    adminKeys: [],
    pageSize: 100,
    refuseServiceAccountKeyDelete: false,
    routes: new Map(),
    delayMs: 0,
    flaky: new Map(),
    ...config,
  };
  const requests: RecordedRequest[] = [];
  const deleted: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1(?=\/|$)/, '');
    const recorded: RecordedRequest = { method: req.method ?? '', path, url: req.url ?? '', authorization: req.headers.authorization, host: req.headers.host };
    requests.push(recorded);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const answer = () => {
      const response = handle(state, recorded, url, deleted);
      if (response === 'hang') return;
      if (response === 'drop') {
        req.socket.destroy();
        return;
      }
      send(res, response);
    };
    if (state.delayMs <= 0) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, state.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    config: state,
    requests,
    deleted,
    maxInFlight: () => maxInFlight,
    requestsWith: (token) => requests.filter((r) => r.authorization === `Bearer ${token}`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A base URL nothing listens on (a port opened and closed again): connection refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

const KNOWN_PREFIXES = ['sk-svcacct-', 'sk-service-', 'sk-admin-', 'sk-proj-', 'sk-None-', 'sk-'];

/**
 * A key as the Admin API lists it: the known prefix, `head` more characters, a mask, the last
 * `tail` characters (e.g. `sk-proj-` + 3 + `...` + 4).
 */
export function redactedValue(key: string, options: { head?: number; mask?: string; tail?: number } = {}): string {
  const prefix = KNOWN_PREFIXES.find((p) => key.startsWith(p)) ?? '';
  const head = key.slice(0, prefix.length + (options.head ?? 3));
  return `${head}${options.mask ?? '...'}${key.slice(-(options.tail ?? 4))}`;
}

// ---------------------------------------------------------------------------------------------

type Answer = FakeResponse | 'hang' | 'drop';

const json = (status: number, body: unknown): FakeResponse => ({ status, body });
const apiError = (status: number, message: string, type: string, code: string | null): FakeResponse =>
  json(status, { error: { message, type, param: null, code } });
const scopeMessage = 'You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Viewer, Member, Owner), and if you\'re using a restricted API key, that it has the necessary scopes.';

function send(res: ServerResponse, r: FakeResponse): void {
  const headers = { ...(r.raw === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'text/html' }), ...r.headers };
  res.writeHead(r.status, headers);
  res.end(r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body)));
}

function handle(state: FakeConfig, req: RecordedRequest, url: URL, deleted: string[]): Answer {
  const route = `${req.method} ${req.path}`;
  const fixed = state.routes.get(route);
  if (fixed) return fixed;
  const flaky = state.flaky.get(route);
  if (flaky && flaky.times > 0) {
    flaky.times--;
    return flaky.response;
  }
  const token = /^Bearer (.+)$/.exec(req.authorization ?? '')?.[1] ?? '';
  const behaviour = state.keys.get(token);
  if (behaviour === undefined) return behaviourAnswer('invalid', token);
  if (behaviour !== 'live') return behaviourAnswer(behaviour, token);
  if (route === 'GET /models') return json(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] });
  if (!req.path.startsWith('/organization/')) return apiError(404, 'Invalid URL', 'invalid_request_error', null);
  if (!token.startsWith('sk-admin-')) return apiError(403, scopeMessage.replace('api.model.read', 'api.management.read'), 'invalid_request_error', null);
  return adminRoute(state, req, url, deleted);
}

function behaviourAnswer(b: Exclude<KeyBehaviour, 'live'>, token: string): Answer {
  if (typeof b === 'object') return b;
  switch (b) {
    case 'invalid':
      return apiError(
        401,
        `Incorrect API key provided: ${token.slice(0, 8)}${'*'.repeat(24)}${token.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      );
    case 'unauthorized':
      return apiError(401, 'You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.', 'invalid_request_error', 'no_organization');
    case 'ip-not-allowed':
      return apiError(401, 'You are not authorized to access this resource: the request IP does not match the configured IP allowlist.', 'invalid_request_error', 'ip_not_authorized');
    case 'scope':
      return apiError(403, scopeMessage, 'invalid_request_error', null);
    case 'scope-401':
      return apiError(401, scopeMessage, 'invalid_request_error', null);
    case 'scope-string':
      return json(403, { error: scopeMessage });
    case 'region':
      return apiError(403, 'Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory');
    case 'rate-limited':
      return apiError(429, 'Rate limit reached for requests. Please try again in 20s.', 'requests', 'rate_limit_exceeded');
    case 'quota':
      return apiError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota');
    case 'server-error':
      return apiError(503, 'The server is overloaded or not ready yet.', 'server_error', null);
    case 'non-json':
      return { status: 200, raw: '<html><body>Sign in to the network</body></html>' };
    case 'non-json-401':
      return { status: 401, raw: '<html><body>401 Authorization Required</body></html>' };
    case 'not-list':
      return json(200, { ok: true });
    case 'redirect':
      return { status: 302, headers: { location: 'http://elsewhere.invalid/v1/models' } };
    case 'hang':
    case 'drop':
      return b;
  }
}

function adminRoute(state: FakeConfig, req: RecordedRequest, url: URL, deleted: string[]): Answer {
  const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent); // organization, …
  const [, collection, projectId, sub, keyId] = parts;
  if (collection === 'admin_api_keys') {
    if (req.method === 'GET' && parts.length === 2) return page(state.adminKeys.map(adminKeyItem), url, state.pageSize);
    if (req.method === 'DELETE' && parts.length === 3) return deleteAdminKey(state, parts[2] ?? '', deleted);
  }
  if (collection === 'projects') {
    if (req.method === 'GET' && parts.length === 2) return page(state.projects.map((p) => ({ object: 'organization.project', id: p.id, name: p.name, status: 'active' })), url, state.pageSize);
    const project = state.projects.find((p) => p.id === projectId);
    if (sub === 'api_keys' && !project) return apiError(404, `No such project: ${projectId}`, 'invalid_request_error', null);
    if (project && sub === 'api_keys' && req.method === 'GET' && parts.length === 4) return page(project.keys.map(projectKeyItem), url, state.pageSize);
    if (project && sub === 'api_keys' && req.method === 'DELETE' && parts.length === 5) return deleteProjectKey(state, project, keyId ?? '', deleted);
  }
  return apiError(404, 'Invalid URL', 'invalid_request_error', null);
}

function page(items: { id: string }[], url: URL, pageSize: number): FakeResponse {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, pageSize);
  const after = url.searchParams.get('after');
  const start = after === null ? 0 : items.findIndex((i) => i.id === after) + 1;
  const data = items.slice(start, start + limit);
  return json(200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < items.length });
}

function projectKeyItem(k: FakeKey) {
  const owner = k.owner ?? { type: 'user', id: 'user_1', name: 'Test User', email: 'test@example.test' };
  const who = { id: owner.id ?? 'id_1', name: owner.name ?? '', ...(owner.email ? { email: owner.email } : {}), role: owner.type === 'user' ? 'owner' : 'member', created_at: 1711471533 };
  return {
    object: 'organization.project.api_key',
    id: k.id,
    name: k.name,
    redacted_value: k.redacted_value,
    created_at: k.created_at ?? 1711471533,
    last_used_at: k.last_used_at === undefined ? 1711471534 : k.last_used_at,
    owner: owner.type === 'user' ? { type: 'user', user: who } : { type: 'service_account', service_account: who },
  };
}

function adminKeyItem(k: FakeKey) {
  const owner = k.owner ?? { type: 'user', id: 'user_1', name: 'Test User' };
  return {
    object: 'organization.admin_api_key',
    id: k.id,
    name: k.name,
    redacted_value: k.redacted_value,
    created_at: k.created_at ?? 1711471533,
    last_used_at: k.last_used_at === undefined ? 1711471534 : k.last_used_at,
    owner: { type: owner.type, object: 'organization.user', id: owner.id ?? 'user_1', name: owner.name ?? '', created_at: 1711471533, role: 'owner' },
  };
}

function deleteProjectKey(state: FakeConfig, project: FakeProject, keyId: string, deleted: string[]): FakeResponse {
  const index = project.keys.findIndex((k) => k.id === keyId);
  const key = project.keys[index];
  if (!key) return apiError(404, `No such API key: ${keyId}`, 'invalid_request_error', null);
  if (state.refuseServiceAccountKeyDelete && key.owner?.type === 'service_account') {
    return apiError(400, 'API keys owned by service accounts cannot be deleted; delete the service account instead.', 'invalid_request_error', null);
  }
  project.keys.splice(index, 1);
  deleted.push(`${project.id}/${keyId}`);
  return json(200, { object: 'organization.project.api_key.deleted', id: keyId, deleted: true });
}

function deleteAdminKey(state: FakeConfig, keyId: string, deleted: string[]): FakeResponse {
  const index = state.adminKeys.findIndex((k) => k.id === keyId);
  if (index < 0) return apiError(404, `No such admin key: ${keyId}`, 'invalid_request_error', null);
  state.adminKeys.splice(index, 1);
  deleted.push(`admin/${keyId}`);
  return json(200, { object: 'organization.admin_api_key.deleted', id: keyId, deleted: true });
}
