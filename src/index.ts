/** The programmatic API: the same scan the CLI runs, returning the findings it prints. */
export { scan } from './commands/scan.js';
export type { ScanOptions, ScanSource } from './commands/scan.js';
export type { Finding, ScanResult, ScanStats, Skip, SkipReason, KeyType, Severity } from './engine/types.js';
export type { RuleDefinition } from './engine/rule.js';
export { KeyguardError } from './errors.js';
export { builtinRules } from '../rules/index.js';
export { openProject } from './config/project.js';
export type { Project, ProjectOptions } from './config/project.js';
export type { KeyguardConfig, CustomRuleConfig, AllowlistConfig, RuleSetting } from './config/schema.js';
export { readBaseline, BASELINE_FILE } from './suppress/baseline.js';
export type { BaselineEntry } from './suppress/baseline.js';

import type { KeyguardConfig } from './config/schema.js';
/** Types a JavaScript config: `export default defineConfig({ ... })` in keyguard.config.mjs. */
export function defineConfig(config: KeyguardConfig): KeyguardConfig {
  return config;
}
