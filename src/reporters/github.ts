import { appendFile } from 'node:fs/promises';
import type { Finding, ScanResult } from '../engine/types.js';
import type { ReportContext, Reporter } from './types.js';
import { describeFinding, displayPath, scannedWhat, skipText, type AnyRule } from './text.js';

/**
 * GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding, shown on
 * the file in the pull request and the run's summary.
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 *
 * GitHub keeps at most 10 error and 10 warning annotations per step (the rest are dropped
 * silently), so only the first 10 of each are printed and a closing notice says how many more
 * there are; writeStepSummary() puts every finding in the job summary.
 */
export const ANNOTATION_LIMIT = 10;

/**
 * Escaping of a command's message, as @actions/core does it.
 * @see https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
 */
export const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Escaping of a command property (file=, title=): the message's, plus `:` and `,`, which end a property. */
export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function annotation(f: Finding, rule: AnyRule | undefined): string {
  const properties = [
    `file=${escapeProperty(displayPath(f.path))}`,
    `line=${f.line}`,
    `col=${f.column}`,
    `title=${escapeProperty(`${f.title} (${f.ruleId})`)}`,
  ].join(',');
  const lines = [describeFinding(f)];
  if (rule) lines.push(rule.why, 'What to do now:', ...rule.fix.map((step, i) => `${i + 1}. ${step}`));
  return `::${f.severity} ${properties}::${escapeData(lines.join('\n'))}`;
}

export const github: Reporter = (result, context) => {
  const rules = new Map(context.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  const shown = { error: 0, warning: 0 };
  for (const f of result.findings) {
    if (shown[f.severity] >= ANNOTATION_LIMIT) continue;
    shown[f.severity]++;
    out.push(annotation(f, rules.get(f.ruleId)));
  }
  const total = result.findings.length;
  const hidden = total - shown.error - shown.warning;
  if (hidden > 0) {
    out.push(
      `::notice::${escapeData(
        `keyguard: ${hidden} more ${hidden === 1 ? 'finding is' : 'findings are'} not annotated (GitHub shows at most ${ANNOTATION_LIMIT} error and ${ANNOTATION_LIMIT} warning annotations per step). The job summary lists all ${total}, and so does --format json.`,
      )}`,
    );
  }
  // Notices have their own limit of 10, so these never crowd out a finding's annotation.
  const big = result.stats.skippedFiles.filter((s) => s.reason === 'too-large');
  for (const skip of big.slice(0, ANNOTATION_LIMIT)) {
    out.push(`::notice file=${escapeProperty(displayPath(skip.path))},title=${escapeProperty('keyguard: not scanned')}::${escapeData(`Not scanned: ${skipText(skip, result.stats)}.`)}`);
  }
  if (total > 0) out.push(`keyguard: ${total} ${total === 1 ? 'secret' : 'secrets'} found (${counts(result)}) in ${scannedWhat(result.stats)}.`);
  else if (!context.quiet) out.push(`keyguard: no secrets found in ${scannedWhat(result.stats)}.`);
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};

function counts(result: ScanResult): string {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  return [errors && `${errors} ${errors === 1 ? 'error' : 'errors'}`, warnings && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`]
    .filter(Boolean)
    .join(', ');
}

/** GitHub refuses a step summary over 1 MiB (and then shows none of it): stop listing well before. */
export const SUMMARY_BUDGET = 1000 * 1024;

/**
 * Text for a Markdown table cell: one line, HTML and `|` as entities, inline Markdown (and `$`,
 * which GitHub reads as math) escaped, so a path like `a|b_[x](y)` is shown as written and cannot
 * break the table. Also used inside <code>, whose content GitHub still parses as Markdown.
 */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/[\\`*_[\]~$]/g, '\\$&');
}

/**
 * The job summary as GitHub-flavoured Markdown: every finding in a table (location, rule, key type,
 * redacted preview, where to revoke it or the command that fixes it), then each rule's fix steps.
 * Empty for a clean --quiet run.
 */
export function stepSummary(result: ScanResult, context: ReportContext): string {
  const total = result.findings.length;
  if (total === 0) return context.quiet ? '' : `### keyguard: no secrets found\n\nScanned ${scannedWhat(result.stats)}.\n\n`;
  const rules = new Map(context.rules.map((r) => [r.id, r]));
  const head = [
    `### keyguard: ${total} ${total === 1 ? 'secret' : 'secrets'} found`,
    '',
    `${counts(result)} in ${scannedWhat(result.stats)}.`,
    '',
    '| Location | Rule | Key type | Preview | Revoke at / fix |',
    '| --- | --- | --- | --- | --- |',
  ];
  const ids = [...new Set(result.findings.map((f) => f.ruleId))];
  const tail = ['', '#### What to do now', ''];
  for (const id of ids) {
    const rule = rules.get(id);
    if (!rule) continue;
    // Rule text is the project's own, written with Markdown code spans in mind.
    tail.push(`**${cell(rule.title)}** (\`${id}\`): ${rule.why}`, '');
    rule.fix.forEach((step, i) => tail.push(`${i + 1}. ${step}`));
    tail.push('');
  }
  // Room for the head, the fix steps and the closing "…and N more" line.
  let size = Buffer.byteLength(head.join('\n')) + Buffer.byteLength(tail.join('\n')) + 256;
  const rows: string[] = [];
  for (const f of result.findings) {
    const row = tableRow(f);
    size += Buffer.byteLength(row) + 1;
    if (size > SUMMARY_BUDGET) break;
    rows.push(row);
  }
  if (rows.length < total) {
    const rest = total - rows.length;
    rows.push('', `…and ${rest} more not listed here: GitHub limits a step summary to 1 MiB. \`keyguard scan --format json\` lists every finding.`);
  }
  return `${[...head, ...rows, ...tail].join('\n')}\n`;
}

function tableRow(f: Finding): string {
  const where = `${displayPath(f.path)}:${f.line}:${f.column}${f.commit ? ` @ ${f.commit.slice(0, 12)}` : ''}`;
  const action = f.revokeUrl
    ? `[${cell(f.revokeUrl.replace(/^https?:\/\//, ''))}](${f.revokeUrl})`
    : (f.fixCommands ?? []).map((c) => `<code>${cell(c)}</code>`).join('<br>');
  // How far it went, and what --verify learnt, ride along with the action: they decide the urgency.
  const notes = [f.exposure ? `**${f.exposure}**` : '', f.verification ? `live check: **${f.verification.status}** (${cell(f.verification.detail)})` : ''].filter(Boolean).join('<br>');
  return `| ${[cell(where), cell(f.ruleId), cell(f.keyTypeLabel ?? '—'), cell(f.preview), [action, notes].filter(Boolean).join('<br>') || '—'].join(' | ')} |`;
}

/**
 * Appends the job summary to the file GitHub names in GITHUB_STEP_SUMMARY (append, never
 * truncate: other steps' summaries share it). Does nothing outside GitHub Actions or when there
 * is nothing to say. Resolves to whether it wrote.
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary
 */
export async function writeStepSummary(
  result: ScanResult,
  context: ReportContext,
  env: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  const markdown = stepSummary(result, context);
  if (!markdown) return false;
  await appendFile(file, markdown, 'utf8');
  return true;
}
