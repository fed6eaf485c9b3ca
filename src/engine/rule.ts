import type { KeyType, Severity } from './types.js';

/**
 * One rule, as data (DESIGN §5). Rule files under rules/ default-export `defineRule({...})`.
 *
 * Example texts are templates so that the repository never holds a key-shaped literal:
 * `{alnum:20}` `{b64url:74}` `{hex:64}` `{lower:8}` `{upper:8}` `{digit:4}` expand to seeded random
 * characters, `{x*20}` to twenty `x`, and `⟪…⟫` marks the secret a positive example must report.
 */
export interface RuleDefinition {
  /** kebab-case, equal to the file name. */
  id: string;
  title: string;
  severity: Severity;
  /** Case-sensitive literals; the pattern runs only on text holding at least one. */
  keywords: readonly string[];
  /** Must be global (`g`). Designed not to backtrack: every repetition bounded or unambiguous. */
  pattern: RegExp;
  /**
   * Every match lies within `before` characters ahead of a keyword and `after` characters past its
   * end. The engine then runs the pattern only on those windows, so a line of a million near-misses
   * (`sk-sk-sk-…`) costs one pass of indexOf, not a regex attempt at every position.
   */
  keywordWindow?: { before: number; after: number };
  /** Capture group that holds the secret; 0 (the whole match) by default. */
  secretGroup?: number;
  /**
   * Matches whose Shannon entropy (bits per char) is below this are placeholders, not keys. Measured
   * on the random part only: the secret without its `previewPrefix` and keywords.
   */
  minEntropy?: number;
  /** Tested on the random part too: a hit marks a placeholder (`…1234567890abcdef…`, `YOUR_KEY`). */
  placeholder?: RegExp;
  /** Prefix kept in the redacted preview, e.g. /^sk-(?:proj|admin)-/; the rest shows only its last 4. */
  previewPrefix?: RegExp;
  /**
   * Classifier: the first entry whose `match` (not global) occurs in the matched text wins, and the
   * secret is trimmed to what it matched, so `KEY_OLD` is reported as KEY; no entry: `unknown`,
   * untrimmed.
   */
  keyTypes?: readonly KeyTypeDefinition[];
  /** Label and revocation page for secrets no keyType accepts. */
  unknownKeyType?: { label: string; revokeUrl: string };
  /** Rules without key types: the official page where a leaked secret of this kind is revoked. */
  revokeUrl?: string;
  why: string;
  /** Ordered steps for the user; each names an official link where one exists. */
  fix: readonly string[];
  examples: {
    positive: readonly PositiveExample[];
    negative: readonly NegativeExample[];
  };
}

export interface KeyTypeDefinition {
  id: KeyType;
  label: string;
  match: RegExp;
  revokeUrl: string;
}

export interface PositiveExample {
  text: string;
  keyType?: KeyType;
  /** Why this example matters (the context it proves). */
  note?: string;
}

export interface NegativeExample {
  text: string;
  reason: string;
}

export function defineRule(rule: RuleDefinition): RuleDefinition {
  return rule;
}

/**
 * The repository as repo rules see it: file paths and git state, never file contents except the
 * dotenv templates they judge. Built by the sources, judged by pure rules.
 */
export interface RepoState {
  dotenv: readonly { path: string; kind: 'dotenv' | 'template'; state: 'staged' | 'tracked' | 'untracked' }[];
  /** Text of the dotenv templates to judge (staged ones in --staged, every one found in a tree scan). */
  templates: readonly { path: string; text: string }[];
  /** Paths are from the top level (--staged, whose output a user reads in any subdirectory) or from cwd (default). */
  from?: 'top' | 'cwd';
}

/** What a repo rule reports; the engine turns it into a Finding. */
export interface RepoFinding {
  path: string;
  line?: number;
  column?: number;
  /** This occurrence in one sentence, e.g. "`.env` is staged: …". Holds no secret value. */
  message: string;
  /** Shown where a key preview would be: a variable name, never its value. */
  preview: string;
  /** Commands that fix this occurrence, in order. */
  fixCommands: string[];
  /** The value judged (a template's secret), for allow.values and stopwords; never leaves checkRepo. */
  value?: string;
}

/** A rule about files and git state rather than text (DESIGN §5), with its own examples. */
export interface RepoRuleDefinition {
  id: string;
  title: string;
  severity: Severity;
  why: string;
  fix: readonly string[];
  check(state: RepoState): RepoFinding[];
  examples: {
    positive: readonly { state: RepoState; paths: readonly string[]; note?: string }[];
    negative: readonly { state: RepoState; reason: string }[];
  };
}

export function defineRepoRule(rule: RepoRuleDefinition): RepoRuleDefinition {
  return rule;
}
