/** The programmatic API: the same scan the CLI runs, returning the findings it prints. */
export { scan } from './commands/scan.js';
export type { ScanOptions, ScanSource } from './commands/scan.js';
export type { Finding, ScanResult, ScanStats, Skip, SkipReason, KeyType, Severity } from './engine/types.js';
export type { RuleDefinition } from './engine/rule.js';
export { KeyguardError } from './errors.js';
export { builtinRules } from '../rules/index.js';
