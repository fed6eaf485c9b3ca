import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';
import type { Severity } from '../engine/types.js';
import { checkRuleExamples } from '../engine/examples.js';
import { escapeRegex } from '../engine/engine.js';
import { compileAllowlist, type Allowlist, type loadGlobEngine } from '../suppress/allowlist.js';
import { messages } from '../messages.js';
import { builtinRules, repoRules as builtinRepoRules } from '../../rules/index.js';
import type { AllowlistConfig, CustomRuleConfig, KeyguardConfig } from './schema.js';
import { closest, formatPath, quote, type ValidationIssue } from './validate.js';

import type { FailOn } from '../engine/severity.js';
import { checkSize, formatSize, MAX_MAX_FILE_SIZE, parseSize } from '../engine/size.js';

/** A validated config turned into what a scan runs: rules, suppressions, defaults. */
export interface ResolvedConfig {
  /** Content rules: built-in ones not turned off, with severity overrides, then custom rules. */
  rules: RuleDefinition[];
  repoRules: RepoRuleDefinition[];
  /** Every rule id known, including those turned off (an inline comment may still name them). */
  knownRuleIds: string[];
  failOn?: FailOn;
  allow?: Allowlist;
  inlineAllow: boolean;
  /** The baseline file from the config, relative to the repository top level. */
  baseline?: string;
  /** The size limit in bytes, when the config sets one. */
  maxFileSize?: number;
  envVars: string[];
}

/**
 * Checks what the schema cannot (rule ids that exist, regexes that compile, custom rules whose
 * examples pass) and builds the rule set. Every problem is reported at once, with its key path.
 */
export function resolveConfig(config: KeyguardConfig, shown = 'the config', picomatch?: Awaited<ReturnType<typeof loadGlobEngine>>): ResolvedConfig {
  const issues: ValidationIssue[] = [];
  const custom: RuleDefinition[] = [];
  const builtinIds = new Set([...builtinRules, ...builtinRepoRules].map((r) => r.id));
  const declared = new Set<string>();
  // Before any user-written pattern is compiled or run (custom rules with their examples, allow.values).
  if (hasUserRegexes(config)) guardBacktracking();
  (config.customRules ?? []).forEach((rule, index) => {
    const at = (...path: (string | number)[]) => formatPath(['customRules', index, ...path]);
    // Every problem of every rule is reported at once: an id problem does not hide a pattern problem.
    if (builtinIds.has(rule.id)) {
      issues.push({ path: at('id'), expected: 'an id no built-in rule uses', found: `"${rule.id}", a built-in rule (turn it off or change its severity under "rules")` });
    } else if (declared.has(rule.id)) {
      issues.push({ path: at('id'), expected: 'an id no other custom rule uses', found: `"${rule.id}" a second time` });
    }
    declared.add(rule.id);
    const compiled = compileCustomRule(rule, (path, expected, found) => issues.push({ path: at(...path), expected, found }));
    if (!compiled) return;
    for (const failure of checkRuleExamples(compiled)) {
      issues.push({ path: at('examples', failure.kind, failure.index), expected: failure.kind === 'positive' ? 'an example the rule finds' : 'an example the rule does not find', found: `one where ${failure.problem}` });
    }
    custom.push(compiled);
  });

  // Ids of custom rules that failed to compile still count: `rules` may name them.
  const allIds = [...new Set([...builtinIds, ...declared])];
  const settings = new Map<string, { severity?: Severity | 'off'; allow?: AllowlistConfig }>();
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (!allIds.includes(id)) {
      const guess = closest(id, allIds);
      issues.push({ path: formatPath(['rules', id]), expected: `a rule id: ${allIds.join(', ')}`, found: `${quote(id)}, which no rule has${guess ? ` (did you mean "${guess}"?)` : ''}` });
      continue;
    }
    settings.set(id, typeof setting === 'string' ? { severity: setting } : { ...(setting.severity ? { severity: setting.severity } : {}), ...(setting.allow ? { allow: setting.allow } : {}) });
  }
  const maxFileSize = config.maxFileSize === undefined ? undefined : parseSize(config.maxFileSize);
  if (config.maxFileSize !== undefined && checkSize(maxFileSize) !== 'ok') {
    issues.push({ path: 'maxFileSize', expected: `a size of at most ${formatSize(MAX_MAX_FILE_SIZE)} (what one file's text can be in memory)`, found: quote(String(config.maxFileSize)) });
  }
  if (issues.length > 0) throw messages.configInvalid(shown, issues);

  const apply = <R extends { id: string; severity: Severity }>(rules: readonly R[]): R[] =>
    rules.flatMap((rule) => {
      const severity = settings.get(rule.id)?.severity;
      if (severity === 'off') return [];
      return [severity && severity !== rule.severity ? { ...rule, severity } : rule];
    });
  const perRule = new Map([...settings].flatMap(([id, s]) => (s.allow ? [[id, s.allow] as const] : [])));
  const hasAllow = config.allow !== undefined || perRule.size > 0;
  const resolved: ResolvedConfig = {
    rules: apply([...builtinRules, ...custom]),
    repoRules: apply(builtinRepoRules),
    knownRuleIds: allIds,
    inlineAllow: config.inlineAllow ?? true,
    envVars: config.doctor?.envVars ?? [],
  };
  if (config.failOn) resolved.failOn = config.failOn;
  if (hasAllow) resolved.allow = compileAllowlist(config.allow, perRule, picomatch);
  if (config.baseline) resolved.baseline = config.baseline;
  if (maxFileSize !== undefined) resolved.maxFileSize = maxFileSize;
  return resolved;
}

/** Whether the config has path globs (which need the glob engine loaded first). */
export function hasPathGlobs(config: KeyguardConfig): boolean {
  return allowlists(config).some((l) => (l.paths?.length ?? 0) > 0);
}

function compileCustomRule(rule: CustomRuleConfig, fail: (path: (string | number)[], expected: string, found: string) => void): RuleDefinition | undefined {
  if (typeof rule.pattern !== 'string' && rule.flags !== undefined) {
    fail(['flags'], 'no "flags" next to a RegExp pattern (put them on the RegExp: /…/i)', quote(rule.flags));
    return undefined;
  }
  if (rule.flags !== undefined) {
    try {
      new RegExp('', rule.flags);
    } catch {
      fail(['flags'], 'each of the flags "imsu" at most once', quote(rule.flags));
      return undefined;
    }
  }
  let pattern: RegExp;
  try {
    pattern =
      typeof rule.pattern === 'string'
        ? new RegExp(rule.pattern, `g${rule.flags ?? ''}`)
        : new RegExp(rule.pattern.source, `g${rule.pattern.flags.replace(/[gy]/g, '')}`);
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
    fail(['pattern'], 'a valid regular expression', `${quote(String(rule.pattern))} (${reason})`);
    return undefined;
  }
  const groups = new RegExp(`${pattern.source}|`, pattern.flags.replace('g', '')).exec('')?.length ?? 1;
  if (rule.secretGroup !== undefined && rule.secretGroup >= groups) {
    fail(['secretGroup'], `a capture group of the pattern (0 to ${groups - 1})`, String(rule.secretGroup));
    return undefined;
  }
  if (pattern.test('')) {
    fail(['pattern'], 'a pattern that needs at least one character', `${quote(String(rule.pattern))}, which matches the empty string`);
    return undefined;
  }
  pattern.lastIndex = 0;
  const definition: RuleDefinition = {
    id: rule.id,
    title: rule.title,
    severity: rule.severity ?? 'error',
    keywords: rule.keywords,
    pattern,
    why: rule.why ?? messages.customRuleWhy(rule.title),
    fix: rule.fix ?? messages.customRuleFix(rule.revokeUrl),
    examples: {
      positive: rule.examples.positive.map((text) => ({ text })),
      negative: rule.examples.negative,
    },
  };
  // The preview keeps a keyword the secret starts with (`acme_…wxyz`), as OpenAI previews keep `sk-proj-`.
  definition.previewPrefix = new RegExp(`^(?:${[...rule.keywords].sort((a, b) => b.length - a.length).map(escapeRegex).join('|')})`);
  if (rule.secretGroup !== undefined) definition.secretGroup = rule.secretGroup;
  if (rule.minEntropy !== undefined) definition.minEntropy = rule.minEntropy;
  if (rule.revokeUrl) definition.revokeUrl = rule.revokeUrl;
  return definition;
}

/** Every allowlist in a config: the global one and each rule's. */
function allowlists(config: KeyguardConfig): AllowlistConfig[] {
  const perRule = Object.values(config.rules ?? {}).map((s) => (typeof s === 'object' ? s.allow : undefined));
  return [config.allow, ...perRule].filter((l): l is AllowlistConfig => l !== undefined);
}

function hasUserRegexes(config: KeyguardConfig): boolean {
  return (config.customRules ?? []).length > 0 || allowlists(config).some((l) => (l.values?.length ?? 0) > 0);
}

/**
 * A custom pattern could backtrack catastrophically (`(a+)+$`) and hang a commit. V8 can switch a
 * regex to its linear-time engine once backtracking gets excessive; measured on Node 20, `(a+)+$`
 * on 33 characters went from minutes to 2 ms. The built-in rules are written not to need it.
 */
function guardBacktracking(): void {
  const v8 = process.getBuiltinModule('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}
