import { createEngine } from '../../src/engine/engine.js';
import { checkRepo } from '../../src/engine/repo.js';
import type { Finding, ScanResult, ScanStats } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/reporters/types.js';
import { builtinRules, repoRules } from '../../rules/index.js';
import { KEY_TEMPLATES, expand, genKey, type KeyKind } from './keys.js';

/** The context every reporter test renders with: all rules, no colour. */
export const reporterContext: ReportContext = { color: false, quiet: false, rules: [...builtinRules, ...repoRules], version: '1.4.0' };

/**
 * Real findings for reporter tests: every key shape the generator knows (and one of no known shape)
 * in one file through the engine, plus every repo rule. `keys` are the raw secrets, so a test can
 * assert that none of them reaches a report.
 */
export function scanFixture(options: { stats?: Partial<ScanStats>; templateText?: (value: string) => string } = {}): {
  keys: string[];
  result: ScanResult;
} {
  const keys = [...(Object.keys(KEY_TEMPLATES) as KeyKind[]).map((k) => genKey(k)), expand('sk-proj-{b64url:59}T3BlbkFJ{b64url:60}').text];
  const templateValue = expand('{alnum:20}').text;
  const text = keys.map((k, i) => `export const KEY_${i} = "${k}";`).join('\n');
  const templateText = options.templateText ?? ((v: string) => `OPENAI_API_KEY=${v}\n`);
  const findings: Finding[] = [
    ...createEngine(builtinRules).scan({ path: 'src/config.ts', text, origin: 'file', bytes: text.length }),
    ...checkRepo(
      {
        dotenv: [
          { path: '.env', kind: 'dotenv', state: 'staged' },
          { path: 'apps/web/.env.local', kind: 'dotenv', state: 'untracked' },
        ],
        templates: [{ path: '.env.example', text: templateText(templateValue) }],
      },
      repoRules,
    ),
  ];
  const stats: ScanStats = { source: 'paths', files: 3, bytes: text.length, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 1234, ...options.stats };
  return { keys: [...keys, templateValue], result: { findings, stats } };
}
