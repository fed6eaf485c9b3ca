import type { RepoRuleDefinition, RepoState } from './rule.js';
import type { Finding } from './types.js';
import { fingerprint, indexLines, lineSpan, lineText } from './engine.js';
import type { Allowlist } from '../suppress/allowlist.js';
import { isAllowedAt } from '../suppress/inline.js';

export interface RepoCheckOptions {
  /** Path from the top level, for fingerprints and path globs (see EngineOptions.repoPath). */
  repoPath?: (path: string) => string;
  allow?: Allowlist;
  /** Honour `keyguard:allow` comments in the dotenv templates the rules read (default true). */
  inlineAllow?: boolean;
  knownRuleIds?: Iterable<string>;
  /** Counts of findings left out, added to as they are suppressed. */
  suppressed?: { inline: number; allowlist: number };
}

/**
 * Runs repo rules on a repository state: pure, like the content engine. The same suppressions
 * apply as to keys: path globs to every finding; a `keyguard:allow` comment and value allowlists
 * to findings on a line of a file keyguard read (a dotenv template), the value never leaving here.
 */
export function checkRepo(state: RepoState, rules: readonly RepoRuleDefinition[], options: RepoCheckOptions = {}): Finding[] {
  const repoPath = options.repoPath ?? ((p: string) => p);
  const known = new Set(options.knownRuleIds ?? rules.map((r) => r.id));
  const texts = new Map(state.templates.map((t) => [t.path, t.text]));
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(state)) {
      const path = repoPath(hit.path);
      const text = texts.get(hit.path);
      if ((options.inlineAllow ?? true) && text !== undefined && hit.line !== undefined && allowedInline(rule.id, text, hit.line, hit.column ?? 1, hit.value?.length ?? 0, known)) {
        if (options.suppressed) options.suppressed.inline++;
        continue;
      }
      if (options.allow && (options.allow.path(path, rule.id) || (hit.value !== undefined && options.allow.value(hit.value, rule.id)))) {
        if (options.suppressed) options.suppressed.allowlist++;
        continue;
      }
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        path: hit.path,
        line: hit.line ?? 1,
        column: hit.column ?? 1,
        preview: hit.preview,
        // Keyed on what is wrong, not where: the same file flagged again after an edit is the same finding.
        fingerprint: fingerprint(rule.id, path, hit.preview),
        message: hit.message,
        fixCommands: hit.fixCommands,
      });
    }
  }
  return findings;
}

function allowedInline(ruleId: string, text: string, line: number, column: number, length: number, known: ReadonlySet<string>): boolean {
  const starts = indexLines(text);
  const lineStart = starts[line - 1];
  if (lineStart === undefined) return false;
  const start = lineStart + column - 1;
  const previous = line > 1 ? lineText(text, starts, line - 1) : undefined;
  return isAllowedAt(ruleId, text, lineSpan(starts, line, start, length, text.length), previous, known);
}
