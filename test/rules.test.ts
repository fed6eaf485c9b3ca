import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules, repoRules } from '../rules/index.js';
import { checkRepo } from '../src/engine/repo.js';
import { createEngine } from '../src/engine/engine.js';
import { redact } from '../src/engine/redact.js';
import { expandTemplate, seededRandom, seedFrom } from '../src/engine/template.js';
import { renderRuleTable } from '../src/commands/rules.js';
import type { Candidate } from '../src/engine/types.js';
import { PROJECT_ROOT } from './helpers/repo.js';

/**
 * The rule tester (eslint/gitleaks style): every rule's own examples run here. A positive must
 * report exactly its marked secret, at the marked place, with the declared key type; a negative must
 * report nothing; a rule without negatives fails. Several seeds per example, so a pattern that only
 * works for some random draws is caught.
 */
const SEEDS = 8;
const candidate = (text: string): Candidate => ({ path: 'example.txt', text, origin: 'stdin', bytes: text.length });

describe('rule files', () => {
  const files = readdirSync(join(PROJECT_ROOT, 'rules')).filter((f) => f !== 'index.ts' && f.endsWith('.ts'));

  const all = [...builtinRules, ...repoRules];

  it('every rule file is registered and its id is its file name', () => {
    expect(all.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort());
  });

  it('ids are unique kebab-case', () => {
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('the README rules table is generated from the rule files', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = /<!-- rules-table:start -->\n([\s\S]*?)\n<!-- rules-table:end -->/.exec(readme)?.[1];
    expect(table, 'README.md needs the rules table between rules-table markers').toBeDefined();
    expect(table, 'run `npm run docs`').toBe(renderRuleTable(all));
  });
});

for (const rule of builtinRules) {
  describe(`rule ${rule.id}`, () => {
    const engine = createEngine([rule]);

    it('has the fields a user needs: why, fix steps with links, keywords', () => {
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(0);
      expect(rule.fix.join(' ')).toMatch(/https:\/\//);
      expect(rule.keywords.length).toBeGreaterThan(0);
      expect(rule.pattern.flags).toContain('g');
    });

    it('has negative examples, each with a reason', () => {
      expect(rule.examples.negative.length).toBeGreaterThan(0);
      for (const n of rule.examples.negative) expect(n.reason.trim()).not.toBe('');
    });

    it('has positive examples that each mark one secret', () => {
      expect(rule.examples.positive.length).toBeGreaterThan(0);
      for (const p of rule.examples.positive) expect(expandTemplate(p.text).secrets).toHaveLength(1);
    });

    rule.examples.positive.forEach((example, index) => {
      it(`positive #${index + 1} (${example.note ?? example.text}) reports exactly its secret`, () => {
        for (let seed = 0; seed < SEEDS; seed++) {
          const { text, secrets } = expandTemplate(example.text, seededRandom(seedFrom(example.text) + seed));
          const secret = secrets[0]!;
          const findings = engine.scan(candidate(`first line\n${text}\nlast line`));
          expect(findings, text).toHaveLength(1);
          const f = findings[0]!;
          expect(f.ruleId).toBe(rule.id);
          expect(f.line).toBe(2);
          expect(f.column).toBe(secret.offset + 1);
          expect(f.preview).toBe(redact(secret.value, rule.previewPrefix));
          expect(f.preview.endsWith(secret.value.slice(-4))).toBe(true);
          expect(JSON.stringify(f)).not.toContain(secret.value);
          if (example.keyType) expect(f.keyType).toBe(example.keyType);
        }
      });
    });

    rule.examples.negative.forEach((example, index) => {
      it(`negative #${index + 1} (${example.reason}) reports nothing`, () => {
        for (let seed = 0; seed < SEEDS; seed++) {
          const { text } = expandTemplate(example.text, seededRandom(seedFrom(example.text) + seed));
          expect(engine.scan(candidate(text)), text).toEqual([]);
        }
      });
    });

    // JavaScript regexes backtrack; a pattern that is fine on keys can take minutes on a crafted line.
    // Each adversarial 1 MB line is built from the rule's own keywords and examples.
    it('finishes a pathological 1 MB line well under a second', () => {
      const MB = 1 << 20;
      const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
      const sample = expandTemplate(rule.examples.positive[0]!.text).secrets[0]!.value;
      const half = sample.slice(0, Math.floor(sample.length / 2));
      const lines = [
        fill('A'),
        fill('sk-'),
        fill('-'),
        ...rule.keywords.map((k) => fill(k)),
        ...rule.keywords.map((k) => fill(`sk-${k}`)),
        ...rule.keywords.map((k) => fill(`sk-A-${k}A`)),
        ...rule.keywords.map((k) => `${fill('sk-')}${k}${'A'.repeat(20)}`),
        ...rule.keywords.map((k) => `${fill('sk-a-')}${k}`),
        fill(half),
        fill(sample.slice(0, -1) + '-'),
        `${sample.slice(0, 12)}${fill('a')}${rule.keywords[0] ?? ''}`,
        `${fill(sample)}`,
      ];
      for (const line of lines) {
        const started = performance.now();
        engine.scan(candidate(line));
        const ms = performance.now() - started;
        expect(ms, `line starting ${JSON.stringify(line.slice(0, 24))}`).toBeLessThan(1000);
      }
    });
  });
}

for (const rule of repoRules) {
  describe(`repo rule ${rule.id}`, () => {
    it('has why, fix steps and negative examples with reasons', () => {
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(0);
      expect(rule.examples.negative.length).toBeGreaterThan(0);
      for (const n of rule.examples.negative) expect(n.reason.trim()).not.toBe('');
    });

    rule.examples.positive.forEach((example, index) => {
      it(`positive #${index + 1} (${example.note ?? example.paths.join(', ')}) reports exactly its paths, each with a fix command`, () => {
        const findings = checkRepo(example.state, [rule]);
        expect(findings.map((f) => f.path)).toEqual(example.paths);
        for (const f of findings) {
          expect(f.ruleId).toBe(rule.id);
          expect(f.fixCommands?.length).toBeGreaterThan(0);
          expect(f.message).toContain(f.path);
        }
      });
    });

    rule.examples.negative.forEach((example, index) => {
      it(`negative #${index + 1} (${example.reason}) reports nothing`, () => {
        expect(checkRepo(example.state, [rule])).toEqual([]);
      });
    });
  });
}
