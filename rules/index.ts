import type { RepoRuleDefinition, RuleDefinition } from '../src/engine/rule.js';
import openaiApiKey from './openai-api-key.js';
import dotenvCommitted from './dotenv-committed.js';
import dotenvNotIgnored from './dotenv-not-ignored.js';
import dotenvTemplateSecret from './dotenv-template-secret.js';
import { aiProviderRules } from './sets/ai-providers.js';
import { classicRules } from './sets/classic.js';

/**
 * Every built-in content rule: OpenAI first, then the other AI providers, then classic credentials
 * (each set lists its rule files in rules/sets/). A test checks that each file in rules/ is listed
 * and that ids match file names.
 */
export const builtinRules: readonly RuleDefinition[] = [openaiApiKey, ...aiProviderRules, ...classicRules];

/** Rules about files and git state (run in --staged and in tree scans inside a repository). */
export const repoRules: readonly RepoRuleDefinition[] = [dotenvCommitted, dotenvNotIgnored, dotenvTemplateSecret];
