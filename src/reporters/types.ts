import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';
import type { ScanResult } from '../engine/types.js';

export interface ReportContext {
  color: boolean;
  quiet: boolean;
  /** Content and repo rules, for their why and fix text. */
  rules: readonly (RuleDefinition | RepoRuleDefinition)[];
  version: string;
}

/** A reporter turns a result into the text written to stdout or --output. It never sees a raw secret. */
export type Reporter = (result: ScanResult, context: ReportContext) => string;
