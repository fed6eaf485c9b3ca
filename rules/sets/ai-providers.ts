import type { RuleDefinition } from '../../src/engine/rule.js';

/** AI providers other than OpenAI: one rule file each under rules/, listed here. */
export const aiProviderRules: readonly RuleDefinition[] = [];
