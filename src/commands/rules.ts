import { EXPOSURE_GUIDE, REVOKE_COMMAND_NOTE } from '../reporters/text.js';
import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';

type AnyRule = RuleDefinition | RepoRuleDefinition;

/** `keyguard rules`: one line per rule. Also the source of the README rules table. */
export function renderRuleList(rules: readonly AnyRule[], off: ReadonlySet<string> = new Set()): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  return `${rules.map((r) => `${r.id.padEnd(width)}  ${(off.has(r.id) ? 'off' : r.severity).padEnd(7)}  ${r.title}`).join('\n')}\n`;
}

/** `keyguard rules ID`: what the rule finds, why it matters, and the fix, from the rule file itself. */
export function renderRule(rule: AnyRule, offBy?: string): string {
  const lines = [`${rule.id} — ${rule.title} (${offBy ? `off in ${offBy}` : rule.severity})`, '', rule.why, ''];
  if ('keyTypes' in rule && rule.keyTypes) {
    lines.push('Key types and where each is revoked:');
    const seen = new Set<string>();
    for (const t of rule.keyTypes) {
      if (seen.has(t.label)) continue;
      seen.add(t.label);
      lines.push(`  - ${t.label}: ${t.revokeUrl}`);
    }
    if (rule.unknownKeyType) lines.push(`  - ${rule.unknownKeyType.label}: ${rule.unknownKeyType.revokeUrl}`);
    lines.push('');
  }
  if ('revokeUrl' in rule && rule.revokeUrl) lines.push(`Revoke a leaked one at: ${rule.revokeUrl}`, '');
  if (!('check' in rule)) {
    lines.push('How far the key went decides what to do (each finding says which):');
    for (const g of EXPOSURE_GUIDE) lines.push(`  - ${g.when}: ${g.what}`);
    lines.push('');
  }
  lines.push('What to do when it fires:');
  rule.fix.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  if (rule.id === 'openai-api-key') lines.push('', REVOKE_COMMAND_NOTE);
  lines.push('', 'Not reported (cases the rule is tested against):');
  for (const n of rule.examples.negative) lines.push(`  - ${n.reason}`);
  return `${lines.join('\n')}\n`;
}

/** The README rules table (between the rules-table markers); a test keeps the README in step. */
export function renderRuleTable(rules: readonly AnyRule[]): string {
  const where = (r: AnyRule) =>
    'keyTypes' in r && r.keyTypes
      ? [...new Set(r.keyTypes.map((t) => t.label))].join(', ') + ' (each with its page: `keyguard rules ' + r.id + '`)'
      : 'revokeUrl' in r && r.revokeUrl
        ? `<${r.revokeUrl}>`
        : '';
  const rows = rules.map((r) => `| \`${r.id}\` | ${r.title} | ${r.severity} | ${where(r)} |`);
  return ['| id | finds | severity | key types / where to revoke |', '|---|---|---|---|', ...rows].join('\n');
}
