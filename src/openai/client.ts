/**
 * A small OpenAI API client over the global `fetch`: live checks of leaked keys (`--verify`) and the
 * Admin API calls `keyguard revoke` needs. Research and sources: shared/research/key-formats.md §2–§3.
 *
 * Where keys go. Every request goes to one base URL, `https://api.openai.com/v1`, or the value of
 * KEYGUARD_OPENAI_BASE_URL (tests point it at a fake server on 127.0.0.1). It must be https; plain
 * http is accepted for loopback hosts only. Redirects are never followed (a 3xx is an answer, not a
 * hop), so the `Authorization` header cannot travel anywhere else. Keys are never logged, and no
 * text this module returns or throws contains a key or OpenAI's own error message (which echoes a
 * masked key): every detail is built here from the status and the error `code`.
 *
 * Live check (`verifyKey`), `Authorization: Bearer <key>`:
 *   - admin keys (`sk-admin-`): `GET /organization/admin_api_keys?limit=1` (trufflehog openaiadmin.go;
 *     GitLab MR 254614); every other key: `GET /models`, documented and free (openai-openapi
 *     openapi.yaml@f85dbe22; kingfisher, betterleaks, GitLab MR 248111).
 *   - 200 with a JSON list                              -> live
 *   - 401 with error.code `invalid_api_key`             -> invalid (revoked, deleted or never existed:
 *     the API does not tell these apart; help.openai.com article 6891781, GitLab MR 248111)
 *   - 401/403 "insufficient permissions / Missing scopes" -> live: OpenAI says so only after resolving
 *     the key (GitLab MR 254614). Restricted API keys get it as 403; the same message as 401 (seen
 *     for restricted admin keys and OAuth tokens) resolves the key just the same.
 *   - 429 rate limit, or `insufficient_quota`           -> live: a key out of credit is still a leak
 *     its owner may top up (developers.openai.com/docs/guides/error-codes)
 *   - everything else -> unknown: other 401s (wrong organization, IP allowlist, not a member),
 *     403 `unsupported_country_region_territory`, other 4xx, 5xx, 3xx, a body that is not JSON
 *     (a proxy or captive portal answering), a timeout, a refused or dropped connection.
 *     "Reporting a live token as dead is worse than reporting nothing" (GitLab MR 248111).
 * Retries: one, after a short pause, on a 5xx or a connection error, for the live check only. Not on
 * a timeout (the full time budget is already spent) and not on a 429 (which already proves the key
 * live). trufflehog retries twice; one keeps a pre-commit `--verify` within about two timeouts.
 * Each attempt has its own timeout (AbortSignal.timeout, 10 s unless `timeoutMs` says otherwise).
 *
 * Admin API (`Authorization: Bearer <admin key>`, security `AdminApiKeyAuth`; openapi.yaml@f85dbe22):
 *   GET    /organization/projects?limit=100&after=…                        (pages: has_more, last_id)
 *   GET    /organization/projects/{project_id}/api_keys?limit=100&after=…
 *   DELETE /organization/projects/{project_id}/api_keys/{key_id}   (errors for service-account keys)
 *   GET    /organization/admin_api_keys?limit=100&after=…
 *   DELETE /organization/admin_api_keys/{key_id}
 * No retries there: a failed listing is reported, and a DELETE is never sent twice. Failures throw
 * {@link OpenAIApiError}, whose `kind` the revoke command turns into a message.
 */
import { KeyguardError } from '../errors.js';
import type { KeyType } from '../engine/types.js';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_RETRY_DELAY_MS = 500;
const PAGE_LIMIT = 100;
const MAX_PAGES = 10_000;
const USER_AGENT = 'keyguard (https://www.npmjs.com/package/keyguard)';

/** Where requests go and how long each may take. */
export interface RequestOptions {
  /** Overrides KEYGUARD_OPENAI_BASE_URL and the default. */
  baseUrl?: string;
  /** Per attempt; default 10 000. */
  timeoutMs?: number;
  /** Where KEYGUARD_OPENAI_BASE_URL is read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface VerifyOptions extends RequestOptions {
  /** One retry on a 5xx or a connection error (default true). */
  retry?: boolean;
  /** Pause before that retry; default 500. */
  retryDelayMs?: number;
}

export interface VerifyAllOptions extends VerifyOptions {
  /** Requests in flight at once; default 4. */
  concurrency?: number;
}

export type VerifyStatus = 'live' | 'invalid' | 'unknown';

export interface VerifyResult {
  status: VerifyStatus;
  /** A few words on why ("HTTP 200", "timed out after 10 s"); never the key. */
  detail: string;
}

/**
 * The base URL requests go to, without a trailing slash. Throws a usage error for anything but an
 * https URL (or http on a loopback host) without credentials, query or fragment.
 */
export function resolveBaseUrl(options: RequestOptions = {}): string {
  const fromEnv = (options.env ?? process.env).KEYGUARD_OPENAI_BASE_URL;
  const raw = options.baseUrl || fromEnv || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badBaseUrl('is not a URL');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw badBaseUrl('must use https (http only for 127.0.0.1, localhost or [::1])');
  if (url.username || url.password || url.search || url.hash) throw badBaseUrl('must not carry credentials, a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

function badBaseUrl(reason: string): KeyguardError {
  return new KeyguardError(
    'USAGE',
    `KEYGUARD_OPENAI_BASE_URL ${reason}.`,
    'keyguard sends keys only to the OpenAI API (or a stand-in you name), and never over plain http to another machine.',
    `unset KEYGUARD_OPENAI_BASE_URL to use ${DEFAULT_BASE_URL}, or set it to an https URL such as ${DEFAULT_BASE_URL}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Transport

type Failure = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'network';

type Outcome =
  | { ok: true; status: number; body: unknown; isJson: boolean }
  | { ok: false; failure: Failure; detail: string };

type Method = 'GET' | 'DELETE';

/** One request; never throws, and nothing it returns holds the token. */
async function send(method: Method, url: string, token: string, timeoutMs: number): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': USER_AGENT },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readCapped(response, MAX_BODY_BYTES);
    const parsed = text === undefined ? { ok: false, value: undefined } : parseJson(text);
    return { ok: true, status: response.status, body: parsed.value, isJson: parsed.ok };
  } catch (error) {
    return { ok: false, ...describeFailure(error, timeoutMs) };
  }
}

/** An answer larger than any the API sends (a key list of thousands fits in a few MB) is not read further. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, value: undefined };
  }
}

/** A failed fetch in a few words, from the error's name and code only (its message may quote the request). */
function describeFailure(error: unknown, timeoutMs: number): { failure: Failure; detail: string } {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return { failure: 'timeout', detail: `timed out after ${seconds(timeoutMs)}` };
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return { failure: 'refused', detail: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return { failure: 'reset', detail: 'connection closed by the server' };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { failure: 'network', detail: 'connection timed out' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { failure: 'dns', detail: 'host not found' };
  if (code && /CERT|SSL|TLS|SIGNATURE/.test(code)) return { failure: 'tls', detail: `TLS error (${code})` };
  return { failure: 'network', detail: code ? `network error (${code})` : 'network error' };
}

/** The first system error code in an error's cause chain (fetch wraps them: TypeError → cause → AggregateError). */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  const nested = [cause, ...(Array.isArray(errors) ? errors : [])];
  for (const e of nested) {
    const found = errorCode(e, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// OpenAI error bodies

interface ErrorInfo {
  code?: string;
  type?: string;
  message: string;
}

/** `{"error": {code, type, message}}`, or `{"error": "message"}` as some 403s come. */
function errorInfo(body: unknown): ErrorInfo {
  const error = isObject(body) ? body.error : undefined;
  if (typeof error === 'string') return { message: error };
  if (!isObject(error)) return { message: '' };
  return {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.type === 'string' ? { type: error.type } : {}),
    message: typeof error.message === 'string' ? error.message : '',
  };
}

const isScopeError = (e: ErrorInfo) => /insufficient permissions|missing scopes?/i.test(e.message) || e.code === 'insufficient_permissions';
const isRegionError = (e: ErrorInfo) => e.code === 'unsupported_country_region_territory' || /country, region,? or territory/i.test(e.message);
const isQuotaError = (e: ErrorInfo) => e.code === 'insufficient_quota' || e.type === 'insufficient_quota';

/** An error code fit to print: OpenAI's are snake_case words; anything else is left out. */
function safeCode(code: string | undefined): string | undefined {
  return code && /^[a-z0-9_]{1,64}$/.test(code) ? code : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Live check

const live = (detail: string): VerifyResult => ({ status: 'live', detail });
const invalid = (detail: string): VerifyResult => ({ status: 'invalid', detail });
const unknown = (detail: string): VerifyResult => ({ status: 'unknown', detail });

/** What an HTTP answer to a live check says about the key (the table in the module comment). */
export function classifyResponse(status: number, body: unknown, isJson: boolean): VerifyResult {
  if (status >= 300 && status < 400) return unknown(`HTTP ${status}, redirect not followed`);
  if (!isJson) return unknown(status >= 500 ? `HTTP ${status}` : `HTTP ${status}, not JSON`);
  const error = errorInfo(body);
  if (status === 200) return isObject(body) && (body.object === 'list' || Array.isArray(body.data)) ? live('HTTP 200') : unknown('HTTP 200, unexpected body');
  if (status === 401 && error.code === 'invalid_api_key') return invalid('HTTP 401 invalid_api_key');
  if ((status === 401 || status === 403) && isScopeError(error)) return live(`HTTP ${status}, key lacks a scope`);
  if (status === 403 && isRegionError(error)) return unknown('HTTP 403, region not supported');
  if (status === 429) return live(isQuotaError(error) ? 'HTTP 429 insufficient_quota' : 'HTTP 429, rate limited');
  const code = safeCode(error.code);
  return unknown(code ? `HTTP ${status} ${code}` : `HTTP ${status}`);
}

const retryable = (o: Outcome) => (o.ok ? o.status >= 500 : o.failure !== 'timeout');

/** A header value can hold neither control characters nor spaces; such a string is not sent at all. */
const sendable = (key: string) => /^[\x21-\x7e]+$/.test(key);

/**
 * Whether a key is live, by one cheap read-only request (the module comment has the table).
 * Rejects only when the base URL is unusable (a KeyguardError).
 */
export async function verifyKey(key: string, keyType: KeyType, options: VerifyOptions = {}): Promise<VerifyResult> {
  const base = resolveBaseUrl(options);
  if (!sendable(key)) return unknown('not sent: not a valid header value');
  const admin = keyType === 'admin' || key.startsWith('sk-admin-');
  const url = `${base}${admin ? '/organization/admin_api_keys?limit=1' : '/models'}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let outcome = await send('GET', url, key, timeoutMs);
  if (options.retry !== false && retryable(outcome)) {
    await sleep(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    outcome = await send('GET', url, key, timeoutMs);
  }
  return outcome.ok ? classifyResponse(outcome.status, outcome.body, outcome.isJson) : unknown(outcome.detail);
}

/**
 * Live checks for many findings: one request per distinct key (the first keyType seen for it),
 * at most `concurrency` in flight. The map is keyed by `id`; findings sharing a key share a result.
 */
export async function verifyAll(
  keys: readonly { id: string; key: string; keyType: KeyType }[],
  options: VerifyAllOptions = {},
): Promise<Map<string, VerifyResult>> {
  const baseUrl = resolveBaseUrl(options);
  const distinct = new Map<string, KeyType>();
  for (const k of keys) if (!distinct.has(k.key)) distinct.set(k.key, k.keyType);
  const byKey = new Map<string, VerifyResult>();
  await mapLimit([...distinct], options.concurrency ?? DEFAULT_CONCURRENCY, async ([key, keyType]) => {
    byKey.set(key, await verifyKey(key, keyType, { ...options, baseUrl }));
  });
  return new Map(keys.map((k) => [k.id, byKey.get(k.key) ?? unknown('not checked')]));
}

/** Runs `fn` over `items` with at most `limit` calls pending; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const width = Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : DEFAULT_CONCURRENCY;
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// Admin API

/**
 * unauthorized: 401 (the admin key is wrong, revoked, or not an admin key); forbidden: the admin
 * key lacks a permission (403, or a 401 naming missing scopes); not-found: 404; rejected: another
 * 4xx (e.g. deleting a service account's key); server: 5xx; timeout/network: no answer;
 * bad-response: an answer that is not the documented JSON.
 */
export type ApiErrorKind = 'unauthorized' | 'forbidden' | 'not-found' | 'rejected' | 'server' | 'timeout' | 'network' | 'bad-response';

/** A failed Admin API call. The message names the request and status, never a key or OpenAI's text. */
export class OpenAIApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | undefined;
  /** e.g. "GET /organization/projects". */
  readonly request: string;
  /** OpenAI's error code, when it is a plain snake_case word. */
  readonly code: string | undefined;

  constructor(kind: ApiErrorKind, request: string, detail: string, status?: number, code?: string) {
    super(`${request}: ${detail}`);
    this.name = 'OpenAIApiError';
    this.kind = kind;
    this.request = request;
    this.status = status;
    this.code = code;
  }
}

export interface KeyOwner {
  type: 'user' | 'service_account' | 'unknown';
  id?: string;
  name?: string;
  email?: string;
}

export interface Project {
  id: string;
  name: string;
}

export interface AdminListedKey {
  id: string;
  name: string;
  /** As OpenAI shows it, e.g. `sk-proj-abc…wxyz`, `sk-abc...def`. */
  redactedValue: string;
  owner: KeyOwner;
  /** Unix seconds. */
  createdAt?: number;
  /** Unix seconds; null when never used. */
  lastUsedAt?: number | null;
}

export interface ProjectApiKey extends AdminListedKey {
  projectId: string;
  projectName: string;
}

export type AdminApiKey = AdminListedKey;

export interface AdminClient {
  listProjects(): Promise<Project[]>;
  listProjectApiKeys(project: Project): Promise<ProjectApiKey[]>;
  /** Every project's keys, `concurrency` projects at a time (default 4). */
  listAllProjectApiKeys(concurrency?: number): Promise<{ projects: Project[]; keys: ProjectApiKey[] }>;
  deleteProjectApiKey(projectId: string, keyId: string): Promise<void>;
  listAdminApiKeys(): Promise<AdminApiKey[]>;
  deleteAdminApiKey(keyId: string): Promise<void>;
}

/** Admin API calls with `adminKey`. Throws a KeyguardError now if the base URL is unusable. */
export function createAdminClient(adminKey: string, options: RequestOptions = {}): AdminClient {
  const base = resolveBaseUrl(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = (method: Method, path: string, query = '') => adminCall(base, adminKey, timeoutMs, method, path, query);
  const list = <T>(path: string, parse: (item: unknown) => T | undefined) => listPages(call, path, parse);
  const client: AdminClient = {
    listProjects: () => list('/organization/projects', parseProject),
    listProjectApiKeys: (project) =>
      list(`/organization/projects/${seg(project.id)}/api_keys`, (item) => {
        const key = parseListedKey(item);
        return key && { ...key, projectId: project.id, projectName: project.name };
      }),
    async listAllProjectApiKeys(concurrency = DEFAULT_CONCURRENCY) {
      const projects = await client.listProjects();
      const perProject = await mapLimit(projects, concurrency, (p) => client.listProjectApiKeys(p));
      return { projects, keys: perProject.flat() };
    },
    deleteProjectApiKey: async (projectId, keyId) => {
      await call('DELETE', `/organization/projects/${seg(projectId)}/api_keys/${seg(keyId)}`);
    },
    listAdminApiKeys: () => list('/organization/admin_api_keys', parseListedKey),
    deleteAdminApiKey: async (keyId) => {
      await call('DELETE', `/organization/admin_api_keys/${seg(keyId)}`);
    },
  };
  return client;
}

const seg = (id: string) => encodeURIComponent(id);

type Call = (method: Method, path: string, query?: string) => Promise<unknown>;

/** One Admin API request: the JSON body of a 2xx, or an OpenAIApiError. */
async function adminCall(base: string, adminKey: string, timeoutMs: number, method: Method, path: string, query: string): Promise<unknown> {
  const request = `${method} ${path}`;
  if (!sendable(adminKey)) throw new OpenAIApiError('unauthorized', request, 'not sent: the admin key is not a valid header value');
  const outcome = await send(method, `${base}${path}${query}`, adminKey, timeoutMs);
  if (!outcome.ok) throw new OpenAIApiError(outcome.failure === 'timeout' ? 'timeout' : 'network', request, outcome.detail);
  const { status, body, isJson } = outcome;
  if (status >= 200 && status < 300) {
    if (method === 'GET' && !isJson) throw new OpenAIApiError('bad-response', request, `HTTP ${status}, not JSON`, status);
    return body;
  }
  const error = isJson ? errorInfo(body) : { message: '' };
  const code = safeCode(error.code);
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}`;
  throw new OpenAIApiError(apiErrorKind(status, error), request, detail, status, code);
}

function apiErrorKind(status: number, error: ErrorInfo): ApiErrorKind {
  if ((status === 401 || status === 403) && isScopeError(error)) return 'forbidden';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status >= 500) return 'server';
  if (status >= 400) return 'rejected';
  return 'bad-response';
}

/** Every page of a list endpoint (`data`, `has_more`, `last_id`), `limit=100` at a time. */
async function listPages<T>(call: Call, path: string, parse: (item: unknown) => T | undefined): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?limit=${PAGE_LIMIT}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`;
    const body = await call('GET', path, query);
    if (!isObject(body) || !Array.isArray(body.data)) throw new OpenAIApiError('bad-response', `GET ${path}`, 'no "data" list in the answer');
    for (const item of body.data) {
      const parsed = parse(item);
      if (parsed !== undefined) items.push(parsed);
    }
    if (body.has_more !== true) return items;
    const last = typeof body.last_id === 'string' ? body.last_id : lastId(body.data);
    if (last === undefined || last === after) throw new OpenAIApiError('bad-response', `GET ${path}`, 'has_more without a new last_id');
    after = last;
  }
  throw new OpenAIApiError('bad-response', `GET ${path}`, `more than ${MAX_PAGES} pages`);
}

function lastId(data: readonly unknown[]): string | undefined {
  const last = data[data.length - 1];
  return isObject(last) && typeof last.id === 'string' ? last.id : undefined;
}

function parseProject(item: unknown): Project | undefined {
  if (!isObject(item) || typeof item.id !== 'string') return undefined;
  return { id: item.id, name: typeof item.name === 'string' ? item.name : item.id };
}

function parseListedKey(item: unknown): AdminListedKey | undefined {
  if (!isObject(item) || typeof item.id !== 'string') return undefined;
  const key: AdminListedKey = {
    id: item.id,
    name: typeof item.name === 'string' ? item.name : '',
    redactedValue: typeof item.redacted_value === 'string' ? item.redacted_value : '',
    owner: parseOwner(item.owner),
  };
  if (typeof item.created_at === 'number') key.createdAt = item.created_at;
  if (typeof item.last_used_at === 'number' || item.last_used_at === null) key.lastUsedAt = item.last_used_at;
  return key;
}

/**
 * Project keys: `{type, user: {id, name, email}}` or `{type, service_account: {id, name}}`;
 * admin keys: `{type, id, name}` (openapi.yaml@f85dbe22).
 */
function parseOwner(value: unknown): KeyOwner {
  if (!isObject(value)) return { type: 'unknown' };
  const type = value.type === 'user' || value.type === 'service_account' ? value.type : 'unknown';
  const inner = isObject(value.user) ? value.user : isObject(value.service_account) ? value.service_account : value;
  const owner: KeyOwner = { type };
  for (const field of ['id', 'name', 'email'] as const) {
    const v = inner[field] ?? value[field];
    if (typeof v === 'string' && v !== '') owner[field] = v;
  }
  return owner;
}

// ---------------------------------------------------------------------------------------------
// Matching a preview to a redacted value

/** Known OpenAI key prefixes, longest first. */
const KNOWN_PREFIXES = ['sk-svcacct-', 'sk-service-', 'sk-admin-', 'sk-proj-', 'sk-None-', 'sk-'] as const;
const MASK = '.*…';

function splitMasked(value: string): { head: string; tail: string } | undefined {
  let start = 0;
  while (start < value.length && !MASK.includes(value.charAt(start))) start++;
  if (start === value.length) return undefined;
  let end = value.length;
  while (end > start && !MASK.includes(value.charAt(end - 1))) end--;
  return { head: value.slice(0, start), tail: value.slice(end) };
}

const knownPrefix = (head: string) => KNOWN_PREFIXES.find((p) => head.startsWith(p));

/**
 * Whether a key listed as `redacted` (`sk-proj-abc…wxyz`, `sk-abc...def`, `sk-proj-****wxyz`) can be
 * the key keyguard previewed as `preview` (known prefix + `…` + last 4, see engine/redact.ts).
 * The preview's head is a complete known prefix: a redacted value showing as much or more must carry
 * the same known prefix and start with the preview's head; one showing less must be its start.
 * The visible endings must agree on their last min(4, both lengths) characters, at least 3 of them.
 */
export function redactedMatches(redacted: string, preview: string): boolean {
  const r = splitMasked(redacted);
  const p = splitMasked(preview);
  if (!r || !p || !r.head.startsWith('sk-') || !p.head.startsWith('sk-')) return false;
  const headsAgree =
    r.head.length >= p.head.length ? r.head.startsWith(p.head) && knownPrefix(r.head) === knownPrefix(p.head) : p.head.startsWith(r.head);
  const n = Math.min(4, r.tail.length, p.tail.length);
  return headsAgree && n >= 3 && r.tail.slice(-n) === p.tail.slice(-n);
}
