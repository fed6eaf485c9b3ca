import pc from 'picocolors';
import type { Reporter } from './types.js';
import type { ScanResult } from '../engine/types.js';
import { acceptedWhat, exposureText, showPath, unreadNotes, verificationText } from './text.js';
import { isFailing } from '../engine/severity.js';

/**
 * For people: each finding as `path:line:col  rule-id  title  (preview, key type)`, then why, where
 * to revoke, and numbered steps; one summary line at the end (the only line when clean).
 */
export const pretty: Reporter = (result, context) => {
  const c = pc.createColors(context.color);
  const out: string[] = [];
  const rules = new Map(context.rules.map((r) => [r.id, r]));
  for (const f of result.findings) {
    const rule = rules.get(f.ruleId);
    const sev = f.severity === 'error' ? c.red('error') : c.yellow('warning');
    const what = [f.preview, f.keyTypeLabel].filter(Boolean).join(', ');
    out.push(`${c.bold(`${showPath(f.path)}:${f.line}:${f.column}`)}  ${sev}  ${c.dim(f.ruleId)}  ${f.title}  (${what})`);
    if (f.commit) {
      const where = `  added in commit ${f.commit.slice(0, 12)}${f.date ? ` (${f.date})` : ''}`;
      out.push(f.exposure ? `${where}. ${exposureText(f.exposure, true)}` : `${where}: it is in history, so revoke it now.`);
    } else if (f.exposure) out.push(`  ${f.exposure === 'pushed' ? c.red(exposureText(f.exposure, false)) : exposureText(f.exposure, false)}`);
    if (f.verification) out.push(`  ${f.verification.status === 'live' ? c.red(verificationText(f.verification)) : verificationText(f.verification)}`);
    if (f.message) out.push(`  ${f.message}`);
    if (rule) out.push(`  ${rule.why}`);
    if (f.revokeUrl) out.push(`  ${c.bold('Revoke at')} ${c.cyan(f.revokeUrl)} (listed there as ${f.preview}).`);
    if (rule) {
      out.push(`  ${c.bold('What to do now:')}`);
      rule.fix.forEach((step, i) => out.push(`    ${i + 1}. ${step}`));
    }
    for (const command of f.fixCommands ?? []) out.push(`    ${c.cyan(`$ ${command}`)}`);
    out.push('');
  }
  const summary = summarize(result);
  // Files too large to read are named even with --quiet: nobody should take them for scanned.
  const unread = unreadNote(result, c);
  if (result.findings.length === 0) {
    return `${context.quiet ? '' : `${c.green('✔')} keyguard: no secrets found in ${summary}\n`}${unread}`;
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const counts = [errors && `${errors} ${plural(errors, 'error')}`, warnings && `${warnings} ${plural(warnings, 'warning')}`]
    .filter(Boolean)
    .join(', ');
  out.push(`${c.red('✖')} keyguard: ${result.findings.length} ${plural(result.findings.length, 'secret')} found (${counts}) in ${summary}`);
  // Key findings carry no message; repo findings (dotenv files) say their own consequence.
  const failOn = context.failOn ?? 'error';
  if (!isFailing(result.findings.map((f) => f.severity), failOn)) {
    out.push(`  Nothing here is at or above the fail-on level (${failOn}), so keyguard exits 0${result.stats.source === 'staged' ? ' and the commit goes ahead' : ''}.`);
  } else if (result.stats.source === 'staged' && result.findings.some((f) => f.message === undefined && f.exposure === undefined)) {
    out.push('  The commit was stopped. keyguard could not tell whether the same key is already in a pushed commit (a shallow clone, or history too long to read in time): if it might be, revoke it.');
  }
  const ids = [...new Set(result.findings.map((f) => f.ruleId))];
  const history = result.stats.source === 'range' || result.stats.source === 'all';
  const fileLevel = result.findings.every((f) => f.ruleId === 'dotenv-committed' || f.ruleId === 'dotenv-not-ignored');
  out.push(c.dim(`  Not a real key? \`keyguard rules ${ids.join(' ')}\` explains what the rule matches. To accept a finding:`));
  out.push(
    c.dim(
      `  ${fileLevel ? `an "allow": { "paths": […] } under "rules": { "${ids[0]}": … } in the config` : `a \`keyguard:allow ${ids[0]} -- <reason>\` comment on its line, an "allow" entry in the config`},` +
        ` or \`keyguard baseline${history ? ' --all' : ''}\`${history ? ' (history scans need --all: the key lives in old commits)' : ''}.`,
    ),
  );
  return `${out.join('\n')}\n${unread}`;
};

/** The files the scan could not vouch for (too large, in an unresolved conflict), by name. */
function unreadNote({ stats }: ScanResult, c: ReturnType<typeof pc.createColors>): string {
  const lines = unreadNotes(stats);
  return lines.length === 0 ? '' : `${lines.map((l) => (l.startsWith('  !') ? c.yellow(l) : l)).join('\n')}\n`;
}

function summarize({ stats }: ScanResult): string {
  const what =
    stats.source === 'range' || stats.source === 'all'
      ? `${stats.commits ?? 0} ${plural(stats.commits ?? 0, 'commit')}${stats.source === 'range' ? ` in ${stats.range}` : ' of every ref'} (${stats.files} file ${plural(stats.files, 'change')}, ${size(stats.bytes)} added)`
      : stats.source === 'stdin'
      ? `standard input (${size(stats.bytes)})`
      : stats.source === 'staged'
        ? `${stats.files} staged ${plural(stats.files, 'file')} (${stats.mode === 'full' ? 'whole files' : 'added lines'}, ${size(stats.bytes)})`
        : `${stats.files} ${plural(stats.files, 'file')} (${size(stats.bytes)})`;
  const reasons = Object.entries(stats.skipped).map(([reason, n]) => `${reason}: ${n}`);
  const total = stats.skippedFiles.length;
  const accepted = acceptedWhat(stats);
  return `${total > 0 ? `${what}; ${total} skipped (${reasons.join(', ')})` : what}${accepted ? `; ${accepted}` : ''}`;
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
