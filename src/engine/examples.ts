import { createEngine } from './engine.js';
import { redact } from './redact.js';
import type { RuleDefinition } from './rule.js';
import { expandTemplate } from './template.js';

export interface ExampleFailure {
  kind: 'positive' | 'negative';
  index: number;
  problem: string;
}

/**
 * Runs a rule on its own examples, as the rule tester does for built-in rules: a positive must be
 * found (at the ⟪marked⟫ secret, when one is marked), a negative must not be. Custom rules from
 * the config go through this on every load, so a rule that cannot find its own example never runs.
 */
export function checkRuleExamples(rule: RuleDefinition): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  const engine = createEngine([rule], { inlineAllow: false });
  const scan = (text: string) => engine.scan({ path: 'example', text, origin: 'stdin', bytes: text.length });
  const run = (template: string) => {
    const problem = templateProblem(template);
    if (problem) throw new Error(problem);
    const { text, secrets } = expandTemplate(template);
    return { text, secrets, findings: scan(text) };
  };
  rule.examples.positive.forEach((example, index) => {
    try {
      const { text, secrets, findings } = run(example.text);
      if (findings.length === 0) {
        const keyword = rule.keywords.some((k) => text.includes(k));
        failures.push({ kind: 'positive', index, problem: keyword ? 'the rule finds nothing in it' : `none of the rule's keywords (${rule.keywords.map((k) => JSON.stringify(k)).join(', ')}) occurs in it, so the pattern never runs` });
        return;
      }
      // In a real file the example has lines around it: a pattern anchored with ^ or $ and no m
      // flag would pass its example and miss every key in a file.
      if (scan(`first line\n${text}\nlast line\n`).length === 0) {
        failures.push({ kind: 'positive', index, problem: 'the rule finds it only when it is the whole text, not between other lines (a ^ or $ without the m flag?)' });
        return;
      }
      for (const secret of secrets) {
        const before = text.slice(0, secret.offset);
        const line = before.split('\n').length;
        const column = secret.offset - before.lastIndexOf('\n');
        const preview = redact(secret.value, rule.previewPrefix);
        if (!findings.some((f) => f.line === line && f.column === column && f.preview === preview)) {
          failures.push({ kind: 'positive', index, problem: `the rule does not report the ⟪marked⟫ secret at line ${line}, column ${column} (it reports ${findings.map((f) => `${f.preview} at ${f.line}:${f.column}`).join(', ')})` });
        }
      }
    } catch (error) {
      failures.push({ kind: 'positive', index, problem: (error as Error).message });
    }
  });
  rule.examples.negative.forEach((example, index) => {
    try {
      const { findings } = run(example.text);
      if (findings.length > 0) failures.push({ kind: 'negative', index, problem: `the rule reports ${findings.map((f) => f.preview).join(', ')} in it` });
    } catch (error) {
      failures.push({ kind: 'negative', index, problem: (error as Error).message });
    }
  });
  return failures;
}

const TOKENS = /\{([a-z0-9]+):(\d+)\}|\{(.)\*(\d+)\}/gi;
const CHARSETS = new Set(['alnum', 'b64url', 'hex', 'lower', 'upper', 'digit']);
const MAX_REPEAT = 10_000;

/** What is wrong with a template, without quoting it (it may hold a real key pasted by mistake). */
function templateProblem(template: string): string | undefined {
  for (const m of template.matchAll(TOKENS)) {
    if (m[1] !== undefined && !CHARSETS.has(m[1])) return `it uses {${m[1]}:…}, which is no template token (known: ${[...CHARSETS].join(', ')})`;
    if (Number(m[2] ?? m[4]) > MAX_REPEAT) return `a template token asks for more than ${MAX_REPEAT} characters`;
  }
  let open = false;
  for (const ch of template) {
    if (ch === '⟪') {
      if (open) return 'its ⟪ ⟫ marks are not balanced';
      open = true;
    } else if (ch === '⟫') {
      if (!open) return 'its ⟪ ⟫ marks are not balanced';
      open = false;
    }
  }
  return open ? 'its ⟪ ⟫ marks are not balanced' : undefined;
}
