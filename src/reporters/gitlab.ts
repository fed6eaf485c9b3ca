import type { Finding, ScanResult } from '../engine/types.js';
import type { ReportContext, Reporter } from './types.js';
import { INFORMATION_URI, describeFinding, displayPath, type AnyRule } from './text.js';

/**
 * The GitLab secret detection report (`artifacts: reports: secret_detection:
 * gl-secret-detection-report.json`), schema 15.2.4. GitLab rejects a report that fails its schema,
 * so the test suite validates this output against a vendored copy of it.
 * @see https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/blob/master/dist/secret-detection-report-format.json
 * @see https://docs.gitlab.com/development/integrations/secure/
 *
 * No raw_source_code_extract: the line around a key is the key.
 */
export const GITLAB_SCHEMA_VERSION = '15.2.4';

/**
 * The schema requires `location.commit.sha`. Outside a history scan there is no commit to name, and
 * GitLab's own analyzer writes this placeholder for such scans.
 */
export const NO_COMMIT = '0000000';

const SEVERITY = { error: 'Critical', warning: 'Medium' } as const;

const analyzer = (version: string) => ({
  id: 'keyguard',
  name: 'keyguard',
  url: INFORMATION_URI,
  version,
  vendor: { name: 'keyguard' },
});

/** `YYYY-MM-DDTHH:MM:SS` in UTC, the only form the schema accepts. */
const gitlabTime = (date: Date) => date.toISOString().slice(0, 19);

/** A UUID-shaped id from the finding: the same finding gets the same id in every run. */
function vulnerabilityId(f: Finding): string {
  const crypto = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  const hex = crypto.createHash('sha256').update(`${f.fingerprint}\0${f.line}\0${f.column}\0${f.commit ?? ''}`).digest('hex');
  // Version 8 (custom) and the RFC 4122 variant, so tools that parse UUIDs accept it.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function description(f: Finding, rule: AnyRule | undefined): string {
  const parts = [describeFinding(f)];
  if (rule) {
    parts.push(rule.why);
    parts.push(['What to do now:', ...rule.fix.map((step, i) => `${i + 1}. ${step}`)].join('\n'));
  }
  return parts.join('\n\n');
}

/** Shown as a list of named fields on the vulnerability page (the schema's `details` is named_list's `items`). */
function details(f: Finding) {
  const items: Record<string, unknown> = {};
  if (f.keyTypeLabel) items.key_type = { name: 'Key type', type: 'text', value: f.keyTypeLabel };
  items.preview = { name: f.keyTypeLabel ? 'Redacted key' : 'What', type: 'text', value: f.preview };
  if (f.revokeUrl) items.revoke = { name: 'Revoke at', type: 'url', href: f.revokeUrl };
  if (f.fixCommands?.length) items.fix = { name: 'Commands that fix it', type: 'code', value: f.fixCommands.join('\n'), lang: 'sh' };
  if (f.commit) items.commit = { name: 'Commit', type: 'commit', value: f.commit };
  return items;
}

/** The report as an object. `now` is when the scan ended (the result carries only its duration). */
export function gitlabReport(result: ScanResult, context: ReportContext, now: Date = new Date()) {
  const rules = new Map(context.rules.map((r) => [r.id, r]));
  const vulnerabilities = result.findings.map((f) => {
    const rule = rules.get(f.ruleId);
    const commit: { sha: string; date?: string } = { sha: f.commit ?? NO_COMMIT };
    if (f.date) commit.date = f.date;
    return {
      id: vulnerabilityId(f),
      // Dropped from the schema in 15.0 but still written by GitLab's own analyzer; harmless to readers of older reports.
      category: 'secret_detection',
      name: f.title,
      description: description(f, rule),
      severity: SEVERITY[f.severity],
      location: { file: displayPath(f.path), start_line: f.line, end_line: f.line, commit },
      // The first identifier is the primary one GitLab tracks a vulnerability by.
      identifiers: [{ type: 'keyguard_rule_id', name: `keyguard rule ${f.ruleId}`, value: f.ruleId }],
      details: details(f),
      ...(f.revokeUrl ? { links: [{ name: `Revoke this ${f.keyTypeLabel ?? 'key'}`, url: f.revokeUrl }] } : {}),
    };
  });
  const skipped = result.stats.skippedFiles.length;
  const reasons = Object.entries(result.stats.skipped).map(([reason, n]) => `${reason}: ${n}`);
  return {
    version: GITLAB_SCHEMA_VERSION,
    schema: `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SCHEMA_VERSION}/dist/secret-detection-report-format.json`,
    scan: {
      analyzer: analyzer(context.version),
      scanner: analyzer(context.version),
      type: 'secret_detection',
      start_time: gitlabTime(new Date(now.getTime() - result.stats.durationMs)),
      end_time: gitlabTime(now),
      // A scan that could not read its input exits 2 and writes no report (DESIGN §3), so a written report succeeded.
      status: 'success',
      ...(skipped > 0
        ? { messages: [{ level: 'info', value: `${skipped} ${skipped === 1 ? 'file was' : 'files were'} not scanned (${reasons.join(', ')}).` }] }
        : {}),
    },
    vulnerabilities,
  };
}

export const gitlab: Reporter = (result, context) => `${JSON.stringify(gitlabReport(result, context), null, 2)}\n`;
