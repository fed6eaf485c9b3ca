import type { RepoRuleDefinition, RuleDefinition } from '../src/engine/rule.js';
import openaiApiKey from './openai-api-key.js';
import dotenvCommitted from './dotenv-committed.js';
import dotenvNotIgnored from './dotenv-not-ignored.js';
import dotenvTemplateSecret from './dotenv-template-secret.js';

/** Every built-in rule. A test checks that each file in rules/ is listed here and that ids match file names. */
export const builtinRules: readonly RuleDefinition[] = [openaiApiKey];

/** Rules about files and git state (run in --staged and in tree scans inside a repository). */
export const repoRules: readonly RepoRuleDefinition[] = [dotenvCommitted, dotenvNotIgnored, dotenvTemplateSecret];
