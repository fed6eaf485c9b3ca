import type { RuleDefinition } from '../../src/engine/rule.js';

/** Classic high-confidence credentials (cloud, code hosting, chat, payments, registries, private keys), and context-only AI keys. */
export const classicRules: readonly RuleDefinition[] = [];
