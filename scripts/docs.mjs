// Regenerates the generated parts of README.md from the rule files (`npm run docs`).
// test/rules.test.ts fails when README.md is out of step.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-docs-'));
const out = join(dir, 'docs.mjs');
await build({
  stdin: {
    contents: "export { renderRuleTable } from './src/commands/rules.ts'; export { builtinRules, repoRules } from './rules/index.ts';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
});
const { renderRuleTable, builtinRules, repoRules } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });
const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(
  /(<!-- rules-table:start -->\n)[\s\S]*?(\n<!-- rules-table:end -->)/,
  `$1${renderRuleTable([...builtinRules, ...repoRules])}$2`,
);
if (next !== readme) writeFileSync('README.md', next);
console.log(next === readme ? 'README.md is up to date' : 'README.md rules table updated');
