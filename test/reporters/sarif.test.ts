/**
 * --format sarif: valid against the official OASIS SARIF 2.1.0 schema (vendored, see
 * test/fixtures/schemas/README.md), every rule documented the way GitHub code scanning shows it,
 * one result per finding, and no secret anywhere in the log.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { artifactLocation, sarif, sarifLog } from '../../src/reporters/sarif.js';
import { builtinRules, repoRules } from '../../rules/index.js';
import openaiApiKey from '../../rules/openai-api-key.js';
import { PROJECT_ROOT } from '../helpers/repo.js';
import { reporterContext, scanFixture } from '../helpers/findings.js';

const SCHEMA_FILE = join(PROJECT_ROOT, 'test', 'fixtures', 'schemas', 'sarif-schema-2.1.0.json');
const SCHEMA_SHA256 = 'ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949';
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
const official = JSON.parse(schemaText) as { id: string; $schema: string } & Record<string, unknown>;

/** RFC 3986 URI-reference: only characters a URI may hold, every % starting a percent-encoding. */
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const formats = {
  'uri-reference': (s: string) => URI_REFERENCE.test(s),
  uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_REFERENCE.test(s),
  'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
};

/** Ajv 8 has no draft-04 meta-schema; the keywords this schema uses mean the same in draft-07 (checked below). */
const { id, $schema: _draft04, ...body } = official;
// strictRequired off: the schema's anyOf branches require properties declared by the parent object, which Ajv's strict mode flags.
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true, formats });
const validate = ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...body });

const context = reporterContext;

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(ok, ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
}


type Json = Record<string, any>;

describe('the vendored SARIF schema', () => {
  it('is the OASIS SARIF 2.1.0 (errata 01) schema, unmodified', () => {
    expect(createHash('sha256').update(schemaText).digest('hex')).toBe(SCHEMA_SHA256);
    expect(id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
  });

  it('uses no keyword whose meaning differs between draft-04 and draft-07, so validating as draft-07 is exact', () => {
    const changed: string[] = [];
    const walk = (node: unknown, where: string, root: boolean): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`, false));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum' || (key === 'id' && !root) || key === '$id') changed.push(`${where}/${key}`);
        if (key === 'properties' || key === 'definitions' || key === 'patternProperties') {
          for (const [name, sub] of Object.entries(value as Json)) walk(sub, `${where}/${key}/${name}`, false);
        } else if (['items', 'additionalProperties', 'not', 'anyOf', 'oneOf', 'allOf'].includes(key)) walk(value, `${where}/${key}`, false);
      }
    };
    walk(official, '#', true);
    expect(changed).toEqual([]);
  });
});

describe('sarif', () => {
  it('is a valid SARIF 2.1.0 log for real findings of every key type and every dotenv rule', () => {
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    expect(new Set(result.findings.map((f) => f.keyType).filter(Boolean))).toEqual(new Set(['user', 'project', 'service-account', 'admin', 'unknown']));
    expect(new Set(result.findings.map((f) => f.ruleId))).toEqual(new Set(['openai-api-key', ...repoRules.map((r) => r.id)]));
    const text = sarif(result, context);
    expect(text.endsWith('}\n')).toBe(true);
    const log = JSON.parse(text) as Json;
    expectValid(log);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'keyguard', version: '1.4.0', semanticVersion: '1.4.0', informationUri: 'https://www.npmjs.com/package/keyguard' });
  });

  it('a clean scan is a valid log with every rule and no results', () => {
    const log = sarifLog({ findings: [], stats: { source: 'staged', files: 0, bytes: 0, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 1 } }, context);
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(context.rules.map((r) => r.id));
  });

  it('rejects broken logs (the validator is not a rubber stamp)', () => {
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    const broken = [
      (l: Json) => delete l.runs[0].tool.driver.name,
      (l: Json) => (l.runs[0].results[0].level = 'critical'),
      (l: Json) => (l.version = '2.0.0'),
      (l: Json) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0),
      (l: Json) => (l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'src/a file.ts'),
      (l: Json) => (l.runs[0].tool.driver.informationUri = 'not a uri'),
      (l: Json) => (l.runs[0].results[0].secret = 'x'),
    ];
    for (const breakIt of broken) {
      const log = JSON.parse(sarif(result, context)) as Json;
      breakIt(log);
      expect(validate(log), `${breakIt}`).toBe(false);
    }
  });

  it('documents every rule: descriptions, help with why, numbered fix steps and each key type\'s revocation page', () => {
    const log = sarifLog(scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` }).result, context);
    const rules = log.runs[0]!.tool.driver.rules;
    for (const rule of context.rules) {
      const d = rules.find((r) => r.id === rule.id)!;
      expect(d.shortDescription.text).toBe(rule.title);
      expect(d.fullDescription.text).toBe(rule.why);
      expect(d.defaultConfiguration.level).toBe(rule.severity);
      expect(d.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      for (const help of [d.help!.text, d.help!.markdown]) {
        expect(help).toContain(rule.why);
        rule.fix.forEach((step, i) => expect(help).toContain(`${i + 1}. ${step}`));
      }
      expect(d.properties.tags).toEqual(['security', 'secret']);
      expect(d.properties['security-severity']).toBe(rule.severity === 'error' ? '9.0' : '5.0');
      expect(d.properties.precision).toBe('check' in rule ? 'high' : rule.severity === 'warning' ? 'medium' : 'very-high');
    }
    const key = rules.find((r) => r.id === 'openai-api-key')!;
    for (const t of openaiApiKey.keyTypes!) {
      expect(key.help!.text).toContain(`${t.label}: ${t.revokeUrl}`);
      expect(key.help!.markdown).toContain(`${t.label}: <${t.revokeUrl}>`);
    }
    // "the page above": the revocation pages come before the steps.
    expect(key.help!.markdown.indexOf('admin-keys')).toBeLessThan(key.help!.markdown.indexOf('1. '));
  });

  it('reports each finding once, at its place, with its key type, preview and fingerprint', () => {
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    const run = sarifLog(result, context).runs[0]!;
    expect(run.results).toHaveLength(result.findings.length);
    expect(run.columnKind).toBe('utf16CodeUnits');
    result.findings.forEach((f, i) => {
      const r = run.results[i]!;
      expect(r.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(f.ruleId);
      expect(r.level).toBe(f.severity);
      expect(r.message.text).toContain(f.preview);
      if (f.keyTypeLabel) {
        expect(r.message.text).toContain(`${f.keyTypeLabel} ${f.preview}`);
        expect(r.message.text).toContain(f.revokeUrl);
      } else expect(r.message.text).toContain(f.message);
      expect(r.locations[0]!.physicalLocation).toEqual({
        artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
        region: { startLine: f.line, startColumn: f.column },
      });
      expect(r.partialFingerprints).toEqual({ 'keyguard/v1': f.fingerprint });
      expect(r.properties?.commit).toBeUndefined();
    });
  });

  it('carries the commit and date of a history finding', () => {
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    const commit = 'c0ffee'.padEnd(40, '0');
    result.findings[0] = { ...result.findings[0]!, commit, date: '2025-03-04T05:06:07+02:00' };
    const log = sarifLog(result, context);
    expectValid(log);
    const r = log.runs[0]!.results[0]!;
    expect(r.properties).toMatchObject({ commit, date: '2025-03-04T05:06:07+02:00' });
    expect(r.message.text).toContain(`commit ${commit.slice(0, 12)}`);
  });

  it('describes a finding of a rule it was not given, so ruleIndex never dangles', () => {
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    result.findings.push({ ...result.findings[0]!, ruleId: 'custom-token', title: 'custom token', keyTypeLabel: undefined, revokeUrl: undefined, keyType: undefined });
    const log = sarifLog(result, context);
    expectValid(log);
    const last = log.runs[0]!.results.at(-1)!;
    expect(log.runs[0]!.tool.driver.rules[last.ruleIndex]).toMatchObject({ id: 'custom-token', shortDescription: { text: 'custom token' } });
  });

  it('turns paths into repository-relative URIs with forward slashes, percent-encoding what a URI cannot hold', () => {
    expect(artifactLocation('src\\win\\app.ts')).toEqual({ uri: 'src/win/app.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./a/./b.ts')).toEqual({ uri: 'a/./b.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('docs/100% done #1?.md')).toEqual({ uri: 'docs/100%25%20done%20%231%3F.md', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('c:odd/é.txt')).toEqual({ uri: 'c%3Aodd/%C3%A9.txt', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/home/u/repo/.env')).toEqual({ uri: 'file:///home/u/repo/.env' });
    expect(artifactLocation('C:\\repo\\.env')).toEqual({ uri: 'file:///C:/repo/.env' });
    const { result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    result.findings[0] = { ...result.findings[0]!, path: 'we,ird:%dir/new\nline [x].ts' };
    expectValid(sarifLog(result, context));
  });

  it('never holds a secret', () => {
    const { keys, result } = scanFixture({ stats: { durationMs: 42 }, templateText: (v) => `PORT=3000\nOPENAI_API_KEY=${v}\n` });
    const text = sarif(result, context);
    for (const key of keys) expect(text.includes(key), 'a generated secret is in the SARIF log').toBe(false);
  });
});
