import type { RepoRuleDefinition, RepoState } from './rule.js';
import type { Finding } from './types.js';
import { fingerprint } from './engine.js';

/** Runs repo rules on a repository state: pure, like the content engine. */
export function checkRepo(state: RepoState, rules: readonly RepoRuleDefinition[], repoPath: (path: string) => string = (p) => p): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(state)) {
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        path: hit.path,
        line: hit.line ?? 1,
        column: hit.column ?? 1,
        preview: hit.preview,
        // Keyed on what is wrong, not where: the same file flagged again after an edit is the same finding.
        fingerprint: fingerprint(rule.id, repoPath(hit.path), hit.preview),
        message: hit.message,
        fixCommands: hit.fixCommands,
      });
    }
  }
  return findings;
}
