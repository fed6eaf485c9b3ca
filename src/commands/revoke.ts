import { KeyguardError } from '../errors.js';
import type { KeyType } from '../engine/types.js';
import {
  createAdminClient,
  OpenAIApiError,
  redactedMatches,
  type AdminClient,
  type AdminListedKey,
  type KeyOwner,
  type ProjectApiKey,
} from '../openai/client.js';

/**
 * `keyguard revoke`: finds each leaked OpenAI key among the organization's keys through the Admin
 * API (by its redacted value: keyguard never needs the secret itself) and deletes it after the user
 * confirms. Research: shared/research/key-formats.md §3.
 *
 *   user (legacy) keys   belong to a person, not a project: the Admin API cannot delete them, so
 *                        keyguard explains the manual step and makes no call.
 *   project and service  every project's keys are listed once; exactly one match is shown and, once
 *   account keys         confirmed (or with --yes), deleted. OpenAI may refuse to delete a service
 *                        account's key: then the service account itself is what to delete.
 *   admin keys           the same through the admin key list, after every other key.
 * Several keys matching one preview: nothing is deleted, even with --yes.
 *
 * Exit codes: 0 when every key was revoked or is a user key its owner revokes by hand; 1 when a key
 * is left live or in doubt (declined, not found, several matches, a delete refused or failed);
 * 2 when the run could not go on (no OPENAI_ADMIN_KEY, the admin key rejected or lacking a
 * permission, the Admin API unreachable). Output names keys by preview, id and name only; neither
 * a key nor the admin key is ever printed.
 */

export interface RevokeFinding {
  preview: string;
  keyType?: KeyType;
  ruleId: string;
  path: string;
  line: number;
}

export interface RevokeOptions {
  findings: readonly RevokeFinding[];
  env: NodeJS.ProcessEnv;
  /** Delete single matches without asking. */
  yes: boolean;
  /** Asks a yes/no question (the caller adds the `[y/N]`). */
  confirm: (question: string) => Promise<boolean>;
  write: (text: string) => void;
  /** Overrides KEYGUARD_OPENAI_BASE_URL (read from `env`). */
  baseUrl?: string;
  /** Per Admin API request; default 10 s. */
  timeoutMs?: number;
}

const OPENAI_RULE_ID = 'openai-api-key';
const API_KEYS_PAGE = 'https://platform.openai.com/api-keys';
const ADMIN_KEYS_PAGE = 'https://platform.openai.com/settings/organization/admin-keys';
const PROJECTS_PAGE = 'https://platform.openai.com/settings/organization/projects';

const UNRECOGNISED = 'OpenAI key of an unrecognised shape';

type Kind = 'user' | 'project' | 'service-account' | 'admin';
type Outcome = 'revoked' | 'manual' | 'declined' | 'not-found' | 'ambiguous' | 'failed';

interface Target {
  preview: string;
  kind: Kind;
  label: string;
  locations: string[];
}

export async function revoke(options: RevokeOptions): Promise<{ exitCode: number }> {
  const { write } = options;
  const targets = collectTargets(options.findings);
  const others = options.findings.filter((f) => f.ruleId !== OPENAI_RULE_ID).length;
  if (others > 0) write(`keyguard revoke: ${count(others, 'finding')} of other rules left out: revoke those with their provider (see keyguard rules <rule-id>).\n`);
  if (targets.length === 0) {
    write('keyguard revoke: no OpenAI key among the findings; nothing to revoke.\n');
    return { exitCode: 0 };
  }
  write(`keyguard revoke: ${count(targets.length, 'OpenAI key')} to revoke.\n`);
  const adminKey = options.env.OPENAI_ADMIN_KEY?.trim() ?? '';
  const ordered = order(targets, adminKey);
  if (adminKey === '' && targets.some((t) => t.kind !== 'user')) {
    writeError(write, missingAdminKey());
    writeManual(write, ordered);
    return { exitCode: 2 };
  }
  const session = new Session(options, adminKey);
  const outcomes: Outcome[] = [];
  for (const [i, target] of ordered.entries()) {
    write(`\n${heading(target)}\n`);
    try {
      outcomes.push(await session.handle(target));
    } catch (error) {
      if (!(error instanceof OpenAIApiError || error instanceof KeyguardError)) throw error;
      writeError(write, fatal(error, adminKey));
      writeManual(write, ordered.slice(i));
      write(summary(outcomes, ordered.length - i));
      return { exitCode: 2 };
    }
  }
  write(summary(outcomes, 0));
  return { exitCode: outcomes.every((o) => o === 'revoked' || o === 'manual') ? 0 : 1 };
}

// ---------------------------------------------------------------------------------------------
// Targets

/** OpenAI findings, one per preview, with every place the key was found. */
function collectTargets(findings: readonly RevokeFinding[]): Target[] {
  const byPreview = new Map<string, { keyType: KeyType | undefined; locations: string[] }>();
  for (const f of findings) {
    if (f.ruleId !== OPENAI_RULE_ID) continue;
    const entry = byPreview.get(f.preview) ?? { keyType: undefined, locations: [] };
    if (entry.keyType === undefined || entry.keyType === 'unknown') entry.keyType = f.keyType;
    const where = `${f.path}:${f.line}`;
    if (!entry.locations.includes(where)) entry.locations.push(where);
    byPreview.set(f.preview, entry);
  }
  return [...byPreview].map(([preview, { keyType, locations }]) => ({ preview, locations, ...kindOf(preview, keyType) }));
}

function kindOf(preview: string, keyType: KeyType | undefined): { kind: Kind; label: string } {
  switch (keyType) {
    case 'user':
      return { kind: 'user', label: 'user key (legacy)' };
    case 'admin':
      return { kind: 'admin', label: 'admin key' };
    case 'service-account':
      return { kind: 'service-account', label: 'service account key' };
    case 'project':
      return { kind: 'project', label: 'project key' };
    default:
      // Of no known shape: searched where its prefix says; a plain `sk-` one among project keys.
      return { kind: preview.startsWith('sk-admin-') ? 'admin' : 'project', label: UNRECOGNISED };
  }
}

/** User keys first (no calls), then project keys, then admin keys: the one in OPENAI_ADMIN_KEY last of all. */
function order(targets: readonly Target[], adminKey: string): Target[] {
  const own = adminKey === '' ? '' : `sk-admin-…${adminKey.slice(-4)}`;
  const rank = (t: Target) => (t.kind === 'user' ? 0 : t.kind !== 'admin' ? 1 : t.preview === own ? 3 : 2);
  return [...targets].sort((a, b) => rank(a) - rank(b));
}

function heading(t: Target): string {
  const shown = t.locations.slice(0, 3).join(', ');
  const more = t.locations.length > 3 ? ` and ${t.locations.length - 3} more` : '';
  return `${t.preview}  ${t.label}  (${shown}${more})`;
}

// ---------------------------------------------------------------------------------------------
// One run against the Admin API

class Session {
  private client: AdminClient | undefined;
  private projectKeys: Promise<{ projects: number; keys: ProjectApiKey[] }> | undefined;
  private adminKeys: Promise<AdminListedKey[]> | undefined;

  constructor(
    private readonly options: RevokeOptions,
    private readonly adminKey: string,
  ) {}

  async handle(t: Target): Promise<Outcome> {
    if (t.kind === 'user') return this.userKey(t);
    if (t.kind === 'admin') return this.adminKeyTarget(t);
    return this.projectKey(t);
  }

  private api(): AdminClient {
    const { baseUrl, timeoutMs, env } = this.options;
    this.client ??= createAdminClient(this.adminKey, { env, ...(baseUrl ? { baseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    return this.client;
  }

  private userKey(t: Target): Outcome {
    this.say('A user key (legacy) belongs to the person who created it, not to a project: the Admin API can neither list nor delete it.');
    this.say(`Revoke it by hand: ${manualStep(t)}`);
    return 'manual';
  }

  private async projectKey(t: Target): Promise<Outcome> {
    this.projectKeys ??= this.api()
      .listAllProjectApiKeys()
      .then(({ projects, keys }) => ({ projects: projects.length, keys }));
    const { projects, keys } = await this.projectKeys;
    const matches = keys.filter((k) => redactedMatches(k.redactedValue, t.preview));
    const searched = `${count(keys.length, 'API key')} in ${count(projects, 'project')}`;
    return this.decide(t, matches, searched, (k) => this.api().deleteProjectApiKey(k.projectId, k.id));
  }

  private async adminKeyTarget(t: Target): Promise<Outcome> {
    this.adminKeys ??= this.api().listAdminApiKeys();
    const keys = await this.adminKeys;
    const matches = keys.filter((k) => redactedMatches(k.redactedValue, t.preview));
    if (matches.length === 1 && t.preview === `sk-admin-…${this.adminKey.slice(-4)}`) {
      this.say('It may be the admin key in OPENAI_ADMIN_KEY itself: once it is deleted, create a new one before running keyguard revoke again.');
    }
    return this.decide(t, matches, count(keys.length, 'admin key'), (k) => this.api().deleteAdminApiKey(k.id));
  }

  private async decide<K extends AdminListedKey>(t: Target, matches: K[], searched: string, remove: (k: K) => Promise<void>): Promise<Outcome> {
    const [only, ...rest] = matches;
    if (only === undefined) return this.notFound(t, searched);
    if (rest.length > 0) return this.ambiguous(t, matches);
    this.say(`Found: ${describe(only)}`);
    this.say(`Owner: ${ownerText(only.owner)}`);
    this.say(datesText(only));
    if (!this.options.yes) {
      const where = isProjectKey(only) ? ` in project "${clean(only.projectName)}"` : '';
      const ok = await this.options.confirm(`Revoke ${t.label} "${clean(only.name)}" (${t.preview})${where}?`);
      if (!ok) {
        this.say('Kept: nothing was deleted.');
        return 'declined';
      }
    }
    try {
      await remove(only);
    } catch (error) {
      if (!(error instanceof OpenAIApiError)) throw error;
      return this.deleteFailed(t, only, error);
    }
    this.say('Revoked: the key is deleted; anything still using it now gets 401 invalid_api_key. Deploy its replacement if something needs one.');
    return 'revoked';
  }

  private notFound(t: Target, searched: string): Outcome {
    this.say(`Not found: none of the organization's ${searched} is listed as ${t.preview}.`);
    this.say('It may be revoked already, or belong to another organization (an admin key reaches its own organization only).');
    this.say(`Check by hand: ${manualStep(t)}`);
    return 'not-found';
  }

  private ambiguous(t: Target, matches: readonly AdminListedKey[]): Outcome {
    this.say(`${matches.length} keys are listed like ${t.preview}:`);
    for (const k of matches) this.say(`  - ${describe(k)}; owner ${ownerText(k.owner)}; ${datesText(k)}`);
    this.say('keyguard deletes nothing it cannot single out, even with --yes.');
    this.say(`Revoke the right one by hand (compare names, owners and last use with where the key was deployed): ${manualStep(t)}`);
    return 'ambiguous';
  }

  /** A DELETE that failed: a refused service-account key, a key gone meanwhile, or no answer. Fatal errors go up. */
  private deleteFailed(t: Target, key: AdminListedKey, error: OpenAIApiError): Outcome {
    const serviceAccount = key.owner.type === 'service_account' || t.kind === 'service-account';
    if (serviceAccount && isProjectKey(key) && (error.kind === 'rejected' || error.kind === 'forbidden')) {
      this.serviceAccountRefused(key, error);
      return 'failed';
    }
    if (error.kind === 'unauthorized' || error.kind === 'forbidden') throw error;
    if (error.kind === 'not-found') {
      this.say(`Not deleted: OpenAI no longer lists this key (${error.message}); it may have been revoked meanwhile.`);
    } else {
      this.say(`Not deleted: ${error.message}. If the request got through, the key is gone: check, then revoke by hand or run keyguard revoke again.`);
    }
    this.say(`Check by hand: ${manualStep(t)}`);
    return 'failed';
  }

  private serviceAccountRefused(key: ProjectApiKey, error: OpenAIApiError): void {
    const account = key.owner.id ? words('service account', quoted(key.owner.name), `(${clean(key.owner.id)})`) : 'its service account';
    this.say(`Not deleted: OpenAI refused to delete this service account's key (${error.message}).`);
    this.say(`A service account's key goes with the service account: delete ${account} in project "${clean(key.projectName)}" (${clean(key.projectId)}),`);
    this.say(`at ${PROJECTS_PAGE} → the project → Service accounts, or DELETE /v1/organization/projects/${clean(key.projectId)}/service_accounts/${clean(key.owner.id ?? '<service_account_id>')}.`);
    this.say('Create a new service account (and key) first if something still uses it. If the admin key is restricted, deleting needs Management API: Write.');
  }

  private say(line: string): void {
    this.options.write(`  ${line}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// Text

function manualStep(t: Target): string {
  const tail = t.preview.split('…')[1] ?? '';
  const which = tail ? `the key ending in "${tail}"` : `the key listed as ${t.preview}`;
  switch (t.kind) {
    case 'user':
      return `its owner signs in at ${API_KEYS_PAGE}, finds ${which} and deletes it.`;
    case 'admin':
      return `an Organization Owner deletes ${which} at ${ADMIN_KEYS_PAGE}.`;
    case 'service-account':
      return `at ${PROJECTS_PAGE}, open the project, then API keys (or Service accounts): delete ${which}, or its service account.`;
    default:
      return `at ${API_KEYS_PAGE} (choose the project), delete ${which}${t.label === UNRECOGNISED ? '; if it is a user key, its owner deletes it there' : ''}.`;
  }
}

function writeManual(write: (text: string) => void, targets: readonly Target[]): void {
  write('\nRevoke by hand:\n');
  for (const t of targets) write(`  ${heading(t)}\n    ${manualStep(t)}\n`);
}

function describe(k: AdminListedKey): string {
  const project = isProjectKey(k) ? ` in project "${clean(k.projectName)}" (${clean(k.projectId)})` : '';
  return `"${clean(k.name)}" (${clean(k.id)})${project}`;
}

const isProjectKey = (k: AdminListedKey): k is ProjectApiKey => 'projectId' in k && typeof k.projectId === 'string';

function ownerText(owner: KeyOwner): string {
  const id = owner.id ? `(${clean(owner.id)})` : '';
  if (owner.type === 'service_account') return words('service account', quoted(owner.name), id);
  if (owner.type === 'user') return words('user', quoted(owner.name), owner.email ? `<${clean(owner.email)}>` : '', id);
  return 'not listed';
}

const quoted = (name: string | undefined) => (name ? `"${clean(name)}"` : '');
const words = (...parts: string[]) => parts.filter(Boolean).join(' ');

function datesText(k: AdminListedKey): string {
  const created = k.createdAt === undefined ? 'created: not listed' : `created ${date(k.createdAt)}`;
  const used = k.lastUsedAt === undefined ? 'last use: not listed' : k.lastUsedAt === null ? 'never used' : `last used ${date(k.lastUsedAt)}`;
  return `${created}, ${used}`;
}

function date(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? 'unknown date' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Text from the API, safe to print: no control or bidi characters, bounded length. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
  return safe.length > 120 ? `${safe.slice(0, 117)}...` : safe;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function summary(outcomes: readonly Outcome[], notDone: number): string {
  const n = (o: Outcome) => outcomes.filter((x) => x === o).length;
  const parts = [
    `${n('revoked')} revoked`,
    n('manual') > 0 ? `${count(n('manual'), 'user key')} for the owner to revoke by hand` : '',
    n('declined') > 0 ? `${n('declined')} kept at your answer` : '',
    n('not-found') > 0 ? `${n('not-found')} not found` : '',
    n('ambiguous') > 0 ? `${n('ambiguous')} matching several keys` : '',
    n('failed') > 0 ? `${n('failed')} not deleted` : '',
    notDone > 0 ? `${notDone} not reached` : '',
  ].filter(Boolean);
  return `\nkeyguard revoke: ${parts.join(', ')}.\n`;
}

// ---------------------------------------------------------------------------------------------
// Fatal errors

interface Problem {
  what: string;
  why: string;
  fix: string;
}

function writeError(write: (text: string) => void, p: Problem): void {
  write(`\nkeyguard: ${p.what}\n  why: ${p.why}\n  fix: ${p.fix}\n`);
}

function missingAdminKey(): Problem {
  return {
    what: 'OPENAI_ADMIN_KEY is not set: revoking project, service account and admin keys needs an OpenAI admin key.',
    why: 'project, service account and admin keys are found by their redacted value in the organization\'s key lists, and only an admin key can read those lists and delete a key.',
    fix: `an Organization Owner creates an admin key at ${ADMIN_KEYS_PAGE} (permission Management API: Write, or All), then runs \`OPENAI_ADMIN_KEY=… keyguard revoke\` with the value from a secret manager or a prompt, not from a file in the repository. Or revoke each key by hand:`,
  };
}

function fatal(error: OpenAIApiError | KeyguardError, adminKey: string): Problem {
  if (error instanceof KeyguardError) return { what: error.message, why: error.why, fix: error.fix };
  const stop = 'keyguard cannot tell which key to delete without the organization\'s key lists, and reports nothing as revoked that it did not delete.';
  switch (error.kind) {
    case 'unauthorized':
      return {
        what: `the admin key in OPENAI_ADMIN_KEY was rejected (${error.message}).`,
        why: `OpenAI did not accept it: it was revoked or mistyped, belongs to another organization, or is not an admin key (an ordinary API key cannot call the Admin API).${adminKey.startsWith('sk-admin-') ? '' : ' The value does not start with sk-admin-, so it is not an admin key.'}`,
        fix: `create an admin key at ${ADMIN_KEYS_PAGE} (Organization Owners only), set OPENAI_ADMIN_KEY to it and run keyguard revoke again; or revoke by hand:`,
      };
    case 'forbidden':
      return {
        what: `the admin key in OPENAI_ADMIN_KEY is not allowed to ${error.request.startsWith('DELETE') ? 'delete' : 'list'} API keys (${error.message}).`,
        why: 'OpenAI accepted the key but refused the call: a restricted admin key needs the Management API permission, Read to list keys and Write to delete them.',
        fix: `give it Management API: Write at ${ADMIN_KEYS_PAGE} (or create one with All permissions) and run keyguard revoke again; or revoke by hand:`,
      };
    case 'timeout':
    case 'network':
      return {
        what: `the OpenAI Admin API could not be reached (${error.message}).`,
        why: stop,
        fix: 'check the network connection and run keyguard revoke again; or revoke by hand:',
      };
    default:
      return {
        what: `the OpenAI Admin API gave an answer keyguard cannot use (${error.message}).`,
        why: stop,
        fix: 'run keyguard revoke again in a few minutes (https://status.openai.com); or revoke by hand:',
      };
  }
}
