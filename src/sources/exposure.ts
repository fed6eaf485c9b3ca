import type { RuleDefinition } from '../engine/rule.js';
import type { Exposure, Finding } from '../engine/types.js';
import { createEngine, secretDigest } from '../engine/engine.js';
import { readHistory } from './history.js';
import { runGitRaw } from './git.js';

/**
 * How far a found key has travelled, which decides what the user must do (DESIGN §7):
 * `staged` (only in the index: the commit was stopped, nothing to revoke unless it was shared),
 * `local` (in a local commit no remote-tracking ref reaches: amend or reset, and revoke to be safe),
 * `pushed` (in a commit a remote-tracking ref reaches: revoke now; rewriting history does not
 * un-leak it). Advisory: when git cannot say (a shallow clone, an error) findings keep no exposure.
 */

/**
 * How long a blocked commit may spend reading history for this, measured: ~10 MB of patches per
 * second, so 3,000 commits take ~3 s and 12,000 take 12-15 s. Past the budget findings keep no
 * exposure and the report says it could not tell.
 */
export const EXPOSURE_BUDGET_MS = 2000;

/** Staged findings: is the same secret (by sha256) already in a local or a pushed commit? */
export async function markStagedExposure(
  cwd: string,
  findings: readonly Finding[],
  rules: readonly RuleDefinition[],
  budgetMs = EXPOSURE_BUDGET_MS,
): Promise<void> {
  // Only findings that stop the commit: a warning lets it through, and must not slow it down.
  const keys = findings.filter((f) => f.message === undefined && f.severity === 'error' && secretDigest(f) !== undefined);
  if (keys.length === 0) return;
  try {
    const shallow = await runGitRaw(['rev-parse', '--is-shallow-repository'], cwd);
    if (shallow.code !== 0 || shallow.stdout.toString('utf8').trim() === 'true') return;
    const hasHead = (await runGitRaw(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd)).code === 0;
    const hasRemotes = (await runGitRaw(['for-each-ref', '--count=1', 'refs/remotes/'], cwd)).stdout.length > 0;
    const deadline = Date.now() + budgetMs;
    // Local: any local ref (other branches, tags, the stash) and HEAD, minus what the remotes have.
    const [pushed, local] = await Promise.all([
      hasRemotes ? digestsIn(cwd, ['--remotes'], rules, deadline) : new Set<string>(),
      hasHead ? digestsIn(cwd, ['--all', 'HEAD', '--not', '--remotes'], rules, deadline) : new Set<string>(),
    ]);
    if (pushed === undefined || local === undefined) return;
    for (const f of keys) {
      const digest = secretDigest(f) as string;
      f.exposure = pushed.has(digest) ? 'pushed' : local.has(digest) ? 'local' : 'staged';
    }
  } catch {
    // Exposure is advice on top of a finding that stands on its own.
  }
}

/** History findings: is the commit that added the key reachable from a remote-tracking ref? */
export async function markHistoryExposure(cwd: string, findings: readonly Finding[]): Promise<void> {
  const keys = findings.filter((f) => f.commit !== undefined && f.message === undefined);
  if (keys.length === 0) return;
  try {
    const listed = await runGitRaw(['rev-list', '--remotes'], cwd);
    if (listed.code !== 0) return;
    const pushed = new Set(listed.stdout.toString('utf8').split('\n').filter(Boolean));
    for (const f of keys) f.exposure = pushed.has(f.commit as string) ? 'pushed' : 'local';
  } catch {
    // As above: advice only.
  }
}

/** Digests of the secrets in the patches of `revisions`; undefined when the deadline passed first. */
async function digestsIn(cwd: string, revisions: readonly string[], rules: readonly RuleDefinition[], deadline: number): Promise<Set<string> | undefined> {
  const engine = createEngine(rules, { inlineAllow: false });
  const found = new Set<string>();
  for await (const event of readHistory({ cwd, revisions })) {
    if (Date.now() > deadline) return undefined; // leaving the loop stops git
    if (event.kind !== 'candidate') continue;
    for (const f of engine.scan(event.candidate)) {
      const digest = secretDigest(f);
      if (digest) found.add(digest);
    }
  }
  return found;
}

export type { Exposure };
