import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';
import type { Finding, ScanStats, Skip } from '../engine/types.js';
import { DEFAULT_MAX_FILE_SIZE, formatSize } from '../engine/size.js';

/** Text the CI reporters (sarif, github, gitlab, junit) share, so the four say the same thing. */

export type AnyRule = RuleDefinition | RepoRuleDefinition;

export const INFORMATION_URI = 'https://www.npmjs.com/package/keyguard';

export const isRepoRule = (rule: AnyRule): rule is RepoRuleDefinition => 'check' in rule;

/** Where each kind of key a rule finds is revoked, one entry per key type label (as `keyguard rules ID` lists them). */
export function revocationPages(rule: AnyRule | undefined): { label: string; url: string }[] {
  if (!rule || isRepoRule(rule)) return [];
  if (!rule.keyTypes) return rule.revokeUrl ? [{ label: rule.title, url: rule.revokeUrl }] : [];
  const pages: { label: string; url: string }[] = [];
  for (const t of [...rule.keyTypes, ...(rule.unknownKeyType ? [rule.unknownKeyType] : [])]) {
    if (!pages.some((p) => p.label === t.label)) pages.push({ label: t.label, url: t.revokeUrl });
  }
  return pages;
}

/** How far a key went decides what to do; every key finding says which (Finding.exposure). */
export const EXPOSURE_GUIDE: readonly { when: string; what: string }[] = [
  { when: 'only staged', what: 'the commit was stopped before the key entered history: take it out of the file; revoke it only if it was shared some other way' },
  { when: 'in a local commit that is not pushed', what: 'rewrite that commit before pushing (git commit --amend, git rebase -i), and revoke the key to be safe' },
  { when: 'in a pushed commit (a remote-tracking branch has it)', what: 'revoke it now: rewriting history does not un-leak a pushed key' },
];

/** For OpenAI keys: what `keyguard revoke` can do. */
export const REVOKE_COMMAND_NOTE =
  'With an admin key in OPENAI_ADMIN_KEY, `keyguard revoke` finds a project, service account or admin key among the organization\'s keys by its redacted value and deletes it after you confirm; user (legacy) keys are revoked by hand by their owner.';

const isKeyRule = (rule: AnyRule): rule is RuleDefinition => !isRepoRule(rule);

/** The rule's documentation as plain text: why, where to revoke each key type, then the numbered steps. */
export function ruleHelpText(rule: AnyRule): string {
  const lines = [rule.why];
  const pages = revocationPages(rule);
  if (pages.length > 0) lines.push('', 'Where each key type is revoked:', ...pages.map((p) => `  - ${p.label}: ${p.url}`));
  if (isKeyRule(rule)) lines.push('', 'How far the key went decides what to do:', ...EXPOSURE_GUIDE.map((g) => `  - ${g.when}: ${g.what}`));
  lines.push('', 'What to do now:', ...rule.fix.map((step, i) => `  ${i + 1}. ${step}`));
  if (rule.id === 'openai-api-key') lines.push('', REVOKE_COMMAND_NOTE);
  return lines.join('\n');
}

/** The same documentation as GitHub-flavoured Markdown (shown by code scanning as the rule's help). */
export function ruleHelpMarkdown(rule: AnyRule): string {
  const lines = [rule.why];
  const pages = revocationPages(rule);
  if (pages.length > 0) lines.push('', '**Where each key type is revoked**', '', ...pages.map((p) => `- ${p.label}: <${p.url}>`));
  if (isKeyRule(rule)) lines.push('', '**How far the key went decides what to do**', '', ...EXPOSURE_GUIDE.map((g) => `- ${g.when}: ${g.what}`));
  lines.push('', '**What to do now**', '', ...rule.fix.map((step, i) => `${i + 1}. ${step}`));
  if (rule.id === 'openai-api-key') lines.push('', REVOKE_COMMAND_NOTE);
  return lines.join('\n');
}

/**
 * One finding in a sentence or two, naming the key type and its redacted preview (or, for repo
 * rules, the occurrence and the commands that fix it), and the commit for history scans.
 */
export function describeFinding(f: Finding): string {
  let text: string;
  if (f.keyTypeLabel) {
    text = `${f.title} found: ${f.keyTypeLabel} ${f.preview}.`;
    if (f.revokeUrl) text += ` Revoke it at ${f.revokeUrl}, where it is listed as ${f.preview}.`;
  } else if (f.message) {
    text = f.message;
    if (f.fixCommands?.length) text += ` Fix: ${f.fixCommands.map((c) => `\`${c}\``).join(', then ')}.`;
  } else {
    text = `${f.title} found: ${f.preview}.`;
    if (f.revokeUrl) text += ` Revoke it at ${f.revokeUrl}.`;
  }
  if (f.commit) text += ` Added in commit ${f.commit.slice(0, 12)}${f.date ? ` (${f.date})` : ''}.`;
  if (f.exposure) text += ` ${exposureText(f.exposure, f.commit !== undefined)}`;
  if (f.verification) text += ` ${verificationText(f.verification)}`;
  return text;
}

/** What the key's exposure means the user must do, in one sentence. */
export function exposureText(exposure: NonNullable<Finding['exposure']>, inHistory: boolean): string {
  switch (exposure) {
    case 'pushed':
      return 'It is in a commit a remote-tracking branch holds, so it has left this machine: revoke it now (rewriting history does not un-leak a pushed key).';
    case 'local':
      return inHistory
        ? 'That commit is on no remote-tracking branch yet: rewrite it before pushing (git rebase -i), and revoke the key to be safe.'
        : 'The same key is already in a local commit that is not pushed: rewrite that commit before pushing (git commit --amend or git rebase -i), and revoke the key to be safe.';
    default:
      return 'It is only staged: the commit was stopped before the key entered history; revoke it only if it was shared some other way.';
  }
}

/** What --verify learnt, in one sentence. */
export function verificationText(v: NonNullable<Finding['verification']>): string {
  switch (v.status) {
    case 'live':
      return `Live check: the key works (${v.detail}), so anyone holding it can use it until it is revoked.`;
    case 'invalid':
      return `Live check: the key is rejected (${v.detail}): it was revoked or deleted, or never issued.`;
    default:
      return `Live check: could not tell (${v.detail}).`;
  }
}

/** A finding's path as forward-slash, without a leading `./` (paths are repository- or cwd-relative). */
export function displayPath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** What the scan read, for the closing line of a report (DESIGN §3: every run says what it read). */
export function scannedWhat(stats: ScanStats): string {
  const accepted = acceptedWhat(stats);
  const skipped = skippedWhat(stats);
  return `${readWhat(stats)}${skipped ? `; ${skipped}` : ''}${accepted ? `; ${accepted}` : ''}`;
}

/** `2 skipped (binary: 1, too-large: 1)`, or '' when nothing was skipped. */
export function skippedWhat(stats: ScanStats): string {
  const total = stats.skippedFiles.length;
  if (total === 0) return '';
  return `${total} skipped (${Object.entries(stats.skipped).map(([reason, count]) => `${reason}: ${count}`).join(', ')})`;
}

/**
 * A path with control characters is shown C-quoted, as git shows it: a file name must never start
 * a line of its own (in a CI log that could be read as a workflow command).
 */
export function showPath(path: string): string {
  return /[\x00-\x1f\x7f]/.test(path) ? JSON.stringify(path) : path;
}

/**
 * Lines naming the files a scan could not vouch for, with what to do: files over the size limit
 * and unresolved merge conflicts. Printed even with --quiet, and by baseline and revoke too.
 */
export function unreadNotes(stats: ScanStats): string[] {
  const out: string[] = [];
  const list = (skips: Skip[], size: boolean) => {
    const shown = skips.slice(0, 10).map((s) => `    ${showPath(s.path)}${size && s.bytes !== undefined ? ` (${sizeBeside(s.bytes, stats)})` : ''}`);
    if (skips.length > shown.length) shown.push(`    … and ${skips.length - shown.length} more (all in --format json, stats.skippedFiles)`);
    return shown;
  };
  const big = stats.skippedFiles.filter((s) => s.reason === 'too-large');
  if (big.length > 0) {
    const limit = formatSize(stats.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    out.push(`  ! ${big.length} ${big.length === 1 ? 'file' : 'files'} larger than the ${limit} limit ${big.length === 1 ? 'was' : 'were'} not scanned:`, ...list(big, true));
    out.push(`    To scan ${big.length === 1 ? 'it' : 'them'}, raise the limit with --max-file-size (at most 256MB) or "maxFileSize" in the config.`);
  }
  const conflicts = stats.skippedFiles.filter((s) => s.reason === 'unmerged');
  if (conflicts.length > 0) {
    out.push(`  ! ${conflicts.length} ${conflicts.length === 1 ? 'path has' : 'paths have'} an unresolved merge conflict and ${conflicts.length === 1 ? 'was' : 'were'} not scanned:`, ...list(conflicts, false));
    out.push('    Resolve the conflict and `git add` the result (git commits nothing before that), then scan again.');
  }
  return out;
}

/** A size printed next to the limit: in bytes when rounding would make it look equal to the limit. */
function sizeBeside(bytes: number, stats: ScanStats): string {
  const shown = formatSize(bytes);
  return shown.replace('.0 ', ' ') === formatSize(stats.maxFileSize ?? DEFAULT_MAX_FILE_SIZE) ? `${bytes.toLocaleString('en-US')} bytes` : shown;
}

/** Why one file was not scanned, in words. */
export function skipText(skip: Skip, stats: ScanStats): string {
  switch (skip.reason) {
    case 'too-large':
      return `larger than the ${formatSize(stats.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)} limit${skip.bytes === undefined ? '' : ` (${sizeBeside(skip.bytes, stats)})`}; raise it with --max-file-size or "maxFileSize" in the config`;
    case 'binary':
      return 'binary (a NUL byte in its first 8000 bytes)';
    case 'lfs-pointer':
      return 'a Git LFS pointer (the content lives outside the repository)';
    case 'deleted-in-worktree':
      return 'tracked but missing from the working tree';
    case 'not-a-file':
      return 'not a regular file';
    case 'outside-sparse-checkout':
      return 'tracked but outside the sparse checkout, so not in the working tree (keyguard scan --all reads its history)';
    case 'unmerged':
      return 'an unresolved merge conflict (resolve it and git add the file, then scan again)';
    default:
      return `a ${skip.reason}, not followed`;
  }
}

function readWhat(stats: ScanStats): string {
  switch (stats.source) {
    case 'stdin':
      return 'standard input';
    case 'staged':
      return n(stats.files, 'staged file');
    case 'range':
    case 'all':
      return `${n(stats.commits ?? 0, 'commit')} (${n(stats.files, 'file')})`;
    default:
      return n(stats.files, 'file');
  }
}

/** Findings left out on purpose, so a report never hides that something was suppressed. */
export function acceptedWhat(stats: ScanStats): string {
  const s = stats.suppressed;
  const parts = [s.inline && `${s.inline} by keyguard:allow`, s.allowlist && `${s.allowlist} by the config allowlist`, s.baseline && `${s.baseline} by the baseline`].filter(Boolean);
  return parts.length ? `${parts.join(', ')} accepted` : '';
}

const n = (count: number, word: string) => `${count} ${count === 1 ? word : `${word}s`}`;

