import type { RuleDefinition } from '../src/engine/rule.js';
import openaiApiKey from './openai-api-key.js';

/** Every built-in rule. A test checks that each file in rules/ is listed here and that ids match file names. */
export const builtinRules: readonly RuleDefinition[] = [openaiApiKey];
