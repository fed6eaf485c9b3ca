/**
 * --format gitlab: a gl-secret-detection-report.json that GitLab's own schema (15.2.4, vendored,
 * see test/fixtures/schemas/README.md) accepts — GitLab drops a report that fails it — with stable
 * ids, the commit when known, and no secret and no source extract.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { GITLAB_SCHEMA_VERSION, NO_COMMIT, gitlab, gitlabReport } from '../../src/reporters/gitlab.js';
import { PROJECT_ROOT } from '../helpers/repo.js';
import { reporterContext, scanFixture } from '../helpers/findings.js';

const SCHEMA_FILE = join(PROJECT_ROOT, 'test', 'fixtures', 'schemas', 'secret-detection-report-format.json');
const SCHEMA_SHA256 = 'a394576ebb6f598d07f2b355a333f01b338fed818c200ef5f392d3d9ba35bd1a';
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(schemaText) as { self: { version: string }; $schema: string };

// `self` is GitLab's annotation of the schema's own version, unknown to JSON Schema.
const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true }).addKeyword('self');
const validate = ajv.compile(schema);

const context = reporterContext;
const NOW = new Date('2026-05-06T07:08:09.876Z');

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(ok, ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
}


type Json = Record<string, any>;

describe('the vendored GitLab schema', () => {
  it('is the secret detection report schema, unmodified, of the version the reporter declares', () => {
    expect(createHash('sha256').update(schemaText).digest('hex')).toBe(SCHEMA_SHA256);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.self.version).toBe(GITLAB_SCHEMA_VERSION);
  });
});

describe('gitlab', () => {
  it('is a valid secret detection report for real findings of every key type and every dotenv rule', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    const text = gitlab(result, context);
    expect(text.endsWith('}\n')).toBe(true);
    const report = JSON.parse(text) as Json;
    expectValid(report);
    expect(report.version).toBe(GITLAB_SCHEMA_VERSION);
    expect(report.scan).toMatchObject({
      analyzer: { id: 'keyguard', name: 'keyguard', version: '1.4.0', vendor: { name: 'keyguard' } },
      scanner: { id: 'keyguard', name: 'keyguard', version: '1.4.0', vendor: { name: 'keyguard' } },
      type: 'secret_detection',
      status: 'success',
    });
    expect(report.vulnerabilities).toHaveLength(result.findings.length);
  });

  it('a clean scan is a valid report with no vulnerabilities', () => {
    const report = gitlabReport({ findings: [], stats: { source: 'staged', files: 0, bytes: 0, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 3 } }, context, NOW);
    expectValid(report);
    expect(report.vulnerabilities).toEqual([]);
  });

  it('rejects broken reports (the validator is not a rubber stamp)', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    const broken = [
      (r: Json) => delete r.vulnerabilities[0].location.commit,
      (r: Json) => delete r.vulnerabilities[0].id,
      (r: Json) => (r.vulnerabilities[0].severity = 'critical'),
      (r: Json) => (r.vulnerabilities[0].identifiers = []),
      (r: Json) => (r.scan.start_time = '2026-05-06T07:08:09.876Z'),
      (r: Json) => (r.scan.type = 'sast'),
      (r: Json) => delete r.scan.analyzer,
    ];
    for (const breakIt of broken) {
      const report = JSON.parse(gitlab(result, context)) as Json;
      breakIt(report);
      expect(validate(report), `${breakIt}`).toBe(false);
    }
  });

  it('describes each finding: rule title as name, why and numbered fix steps, severity, location and rule identifier', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    const { vulnerabilities } = gitlabReport(result, context, NOW);
    result.findings.forEach((f, i) => {
      const v = vulnerabilities[i]!;
      const rule = context.rules.find((r) => r.id === f.ruleId)!;
      expect(v.name).toBe(f.title);
      expect(v.category).toBe('secret_detection');
      expect(v.severity).toBe('Critical');
      expect(v.description).toContain(rule.why);
      rule.fix.forEach((step, n) => expect(v.description).toContain(`${n + 1}. ${step}`));
      expect(v.description).toContain(f.preview);
      if (f.keyTypeLabel) {
        expect(v.description).toContain(`${f.keyTypeLabel} ${f.preview}`);
        expect(v.links).toEqual([{ name: `Revoke this ${f.keyTypeLabel}`, url: f.revokeUrl }]);
      }
      expect(v.location).toEqual({ file: f.path, start_line: f.line, end_line: f.line, commit: { sha: NO_COMMIT } });
      expect(v.identifiers[0]).toEqual({ type: 'keyguard_rule_id', name: `keyguard rule ${f.ruleId}`, value: f.ruleId });
      expect(v).not.toHaveProperty('raw_source_code_extract');
    });
  });

  it('gives every vulnerability a UUID-shaped id, unique in the report and the same in every run', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    // The same key twice in one file: one fingerprint, two vulnerabilities.
    result.findings.push({ ...result.findings[0]!, line: 99 });
    const ids = gitlabReport(result, context, NOW).vulnerabilities.map((v) => v.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(gitlabReport(result, context, new Date()).vulnerabilities.map((v) => v.id)).toEqual(ids);
  });

  it('records the commit and date of a history finding', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    const commit = 'c0ffee'.padEnd(40, '0');
    result.findings[0] = { ...result.findings[0]!, commit, date: '2025-03-04T05:06:07+02:00' };
    const report = gitlabReport(result, context, NOW);
    expectValid(report);
    expect(report.vulnerabilities[0]!.location.commit).toEqual({ sha: commit, date: '2025-03-04T05:06:07+02:00' });
    expect(report.vulnerabilities[0]!.details.commit).toEqual({ name: 'Commit', type: 'commit', value: commit });
  });

  it('times the scan from its duration, in the only format the schema takes', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    const { scan } = gitlabReport(result, context, NOW);
    expect(scan.end_time).toBe('2026-05-06T07:08:09');
    expect(scan.start_time).toBe('2026-05-06T07:07:08');
  });

  it('says which files it did not scan', () => {
    const { result } = scanFixture({ stats: { durationMs: 61_500 } });
    result.stats = { ...result.stats, skipped: { binary: 2, symlink: 1 }, skippedFiles: [{ path: 'a.png', reason: 'binary' }, { path: 'b.png', reason: 'binary' }, { path: 'l', reason: 'symlink' }] };
    const report = gitlabReport(result, context, NOW);
    expectValid(report);
    expect(report.scan.messages).toEqual([{ level: 'info', value: '3 files were not scanned (binary: 2, symlink: 1).' }]);
  });

  it('never holds a secret', () => {
    const { keys, result } = scanFixture({ stats: { durationMs: 61_500 } });
    const text = gitlab(result, context);
    for (const key of keys) expect(text.includes(key), 'a generated secret is in the GitLab report').toBe(false);
  });
});
