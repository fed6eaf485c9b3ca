import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';
import type { ScanResult } from '../engine/types.js';
import type { FailOn } from '../engine/severity.js';

export interface ReportContext {
  color: boolean;
  quiet: boolean;
  /** Content and repo rules, for their why and fix text. */
  rules: readonly (RuleDefinition | RepoRuleDefinition)[];
  version: string;
  /** The run's --fail-on (default error): whether the findings stop the commit or build. */
  failOn?: FailOn;
}

/** A reporter turns a result into the text written to stdout or --output. It never sees a raw secret. */
export type Reporter = (result: ScanResult, context: ReportContext) => string;
