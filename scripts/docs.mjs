// Regenerates what is generated from code (`npm run docs`): the README rules table (from the rule
// files), the README configuration reference and schema/config.schema.json (from
// src/config/schema.ts). test/rules.test.ts and test/config/docs.test.ts fail when they are stale.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-docs-'));
const out = join(dir, 'docs.mjs');
await build({
  stdin: {
    contents: [
      "export { renderRuleTable } from './src/commands/rules.ts';",
      "export { builtinRules, repoRules } from './rules/index.ts';",
      "export { configSchema } from './src/config/schema.ts';",
      "export { renderConfigReference } from './src/config/reference.ts';",
    ].join(' '),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
});
const { renderRuleTable, builtinRules, repoRules, configSchema, renderConfigReference } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });
const readme = readFileSync('README.md', 'utf8');
const next = readme
  .replace(/(<!-- rules-table:start -->\n)[\s\S]*?(\n<!-- rules-table:end -->)/, `$1${renderRuleTable([...builtinRules, ...repoRules])}$2`)
  .replace(/(<!-- config-reference:start -->\n)[\s\S]*?(\n<!-- config-reference:end -->)/, `$1${renderConfigReference(configSchema)}$2`);
if (next !== readme) writeFileSync('README.md', next);
console.log(next === readme ? 'README.md is up to date' : 'README.md updated');
const schemaFile = 'schema/config.schema.json';
const schemaText = `${JSON.stringify(configSchema, null, 2)}\n`;
let current = '';
try {
  current = readFileSync(schemaFile, 'utf8');
} catch {}
if (current !== schemaText) writeFileSync(schemaFile, schemaText);
console.log(current === schemaText ? `${schemaFile} is up to date` : `${schemaFile} written`);
