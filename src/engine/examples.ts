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
  const run = (template: string) => {
    const { text, secrets } = expandTemplate(template);
    return { text, secrets, findings: engine.scan({ path: 'example', text, origin: 'stdin', bytes: text.length }) };
  };
  rule.examples.positive.forEach((example, index) => {
    try {
      const { text, secrets, findings } = run(example.text);
      if (findings.length === 0) {
        failures.push({ kind: 'positive', index, problem: 'the rule finds nothing in it' });
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
