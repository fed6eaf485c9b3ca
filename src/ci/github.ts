import { readFileSync } from 'node:fs';
import { KeyguardError } from '../errors.js';

/**
 * What a GitHub Actions run should scan, from the event that started it:
 * - pull_request / pull_request_target: every commit of the pull request, `base.sha..head.sha`;
 * - merge_group (merge queue): `base_sha..head_sha`;
 * - push: `before..after`; a new branch (`before` all zeros) or a force-push (`before` no longer in
 *   the repository) is the commits not on the default branch, `origin/<default>..after`, or the
 *   whole history when it is the default branch itself; a deleted branch has nothing to scan;
 * - anything else (workflow_dispatch, schedule, …): the history of every ref.
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */
export type GithubPlan =
  | { kind: 'range'; range: string; reason: string }
  | { kind: 'all'; reason: string }
  | { kind: 'none'; reason: string };

const ZERO = /^0+$/;

interface Payload {
  forced?: boolean;
  merge_group?: { base_sha?: string; head_sha?: string };
  before?: string;
  after?: string;
  ref?: string;
  deleted?: boolean;
  repository?: { default_branch?: string; full_name?: string };
  pull_request?: { base?: { sha?: string }; head?: { sha?: string; repo?: { full_name?: string } | null } };
}

export function planGithubScan(eventName: string, payload: Payload): GithubPlan {
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const base = payload.pull_request?.base?.sha;
    const head = payload.pull_request?.head?.sha;
    if (!base || !head) throw badEvent(eventName, 'pull_request.base.sha and pull_request.head.sha');
    return { kind: 'range', range: `${base}..${head}`, reason: `pull request: its commits ${short(base)}..${short(head)}` };
  }
  if (eventName === 'merge_group') {
    const base = payload.merge_group?.base_sha;
    const head = payload.merge_group?.head_sha;
    if (!base || !head) throw badEvent(eventName, 'merge_group.base_sha and merge_group.head_sha');
    return { kind: 'range', range: `${base}..${head}`, reason: `merge queue: ${short(base)}..${short(head)}` };
  }
  if (eventName === 'push') {
    const { before, after } = payload;
    if (!before || !after) throw badEvent(eventName, 'before and after');
    if (payload.deleted || ZERO.test(after)) return { kind: 'none', reason: 'push that deleted a branch: nothing to scan' };
    // After a force-push `before` is gone from the repository: judge the branch as if new.
    if (!ZERO.test(before) && !payload.forced) return { kind: 'range', range: `${before}..${after}`, reason: `push: ${short(before)}..${short(after)}` };
    const branch = payload.ref?.replace(/^refs\/heads\//, '');
    const main = payload.repository?.default_branch;
    const what = payload.forced ? `force-push to ${branch}` : `new branch ${branch}`;
    if (main && branch && branch !== main) {
      return { kind: 'range', range: `origin/${main}..${after}`, reason: `${what}: its commits not on ${main}` };
    }
    return { kind: 'all', reason: `${payload.forced ? 'force-push to' : 'first push of'} the default branch: the whole history` };
  }
  return { kind: 'all', reason: `${eventName}: the history of every ref` };
}

/** Whether this run may upload SARIF: not from a fork's pull request, whose token cannot write security events. */
export function canUploadSarif(eventName: string, payload: Payload): boolean {
  if (eventName !== 'pull_request') return true;
  const head = payload.pull_request?.head?.repo?.full_name;
  return head !== undefined && head === payload.repository?.full_name;
}

/** Reads the event from the runner's environment (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH). */
export function readGithubEvent(env: NodeJS.ProcessEnv): { eventName: string; payload: Payload } {
  const eventName = env.GITHUB_EVENT_NAME;
  const path = env.GITHUB_EVENT_PATH;
  if (!eventName || !path) {
    throw new KeyguardError(
      'USAGE',
      '--github-event needs GITHUB_EVENT_NAME and GITHUB_EVENT_PATH, which GitHub Actions sets.',
      'outside GitHub Actions there is no event to take the range from.',
      'pass the range yourself: keyguard scan --range <base>..<head>',
    );
  }
  try {
    return { eventName, payload: JSON.parse(readFileSync(path, 'utf8')) as Payload };
  } catch (e) {
    throw new KeyguardError('USAGE', `the event file ${path} could not be read as JSON (${(e as Error).message}).`, 'keyguard takes the commits to scan from it.', 'check GITHUB_EVENT_PATH');
  }
}

const short = (sha: string) => sha.slice(0, 12);

function badEvent(eventName: string, fields: string): KeyguardError {
  return new KeyguardError(
    'USAGE',
    `the ${eventName} event has no ${fields}.`,
    'keyguard takes the commits to scan from them and will not guess.',
    'pass the range yourself: keyguard scan --range <base>..<head>',
  );
}
