/**
 * --format github: one workflow command per finding, escaped the way the runner parses it, capped
 * at what GitHub keeps per step, and a job summary (appended, never truncated) listing everything.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/engine/types.js';
import { ANNOTATION_LIMIT, SUMMARY_BUDGET, escapeData, escapeProperty, github, stepSummary, writeStepSummary } from '../../src/reporters/github.js';
import { reporterContext, scanFixture } from '../helpers/findings.js';

const context = reporterContext;
const stats = (files = 3): ScanResult['stats'] => ({ source: 'paths', files, bytes: 100, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 5 });


/** A table cell's Markdown escaping, for comparing cells with the values they show. */
const md = (text: string) => text.replace(/[\\`*_[\]~$]/g, '\\$&');

/** Parses one workflow command line the way the runner does (actions/runner ActionCommand.TryParseV2). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } | undefined {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: m[1]!, properties, message: m[3]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

describe('github annotations', () => {
  it('prints one ::error per finding, at its place, naming the key type, preview, revocation page and fix', () => {
    const { result } = scanFixture({ stats: stats() });
    // One finding per key type label and per repo rule: fewer than GitHub's cap, so all are annotated.
    result.findings = result.findings.filter((f, i, all) => all.findIndex((g) => g.ruleId === f.ruleId && g.keyTypeLabel === f.keyTypeLabel) === i);
    expect(result.findings.length).toBeLessThanOrEqual(ANNOTATION_LIMIT);
    const lines = github(result, context).trimEnd().split('\n');
    const commands = lines.map(parseCommand).filter((c) => c !== undefined);
    expect(commands).toHaveLength(result.findings.length);
    result.findings.forEach((f, i) => {
      const c = commands[i]!;
      expect(c.command).toBe('error');
      expect(c.properties).toEqual({ file: f.path, line: String(f.line), col: String(f.column), title: `${f.title} (${f.ruleId})` });
      expect(c.message).toContain(f.preview);
      if (f.keyTypeLabel) expect(c.message).toContain(`${f.keyTypeLabel} ${f.preview}. Revoke it at ${f.revokeUrl}`);
      const rule = context.rules.find((r) => r.id === f.ruleId)!;
      expect(c.message).toContain(rule.why);
      rule.fix.forEach((step, n) => expect(c.message).toContain(`\n${n + 1}. ${step}`));
    });
    expect(lines.at(-1)).toBe(`keyguard: ${result.findings.length} secrets found (${result.findings.length} errors) in 3 files.`);
  });

  it('escapes data and properties as the Actions toolkit does', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
  });

  it('keeps a path with , : % and a newline inside its file= property', () => {
    const { result } = scanFixture({ stats: stats() });
    const path = 'we,ird:%dir/new\nline.ts';
    result.findings = [{ ...result.findings[0]!, path }];
    const out = github(result, context);
    const [line] = out.split('\n');
    expect(line).toMatch(/^::error file=we%2Cird%3A%25dir\/new%0Aline\.ts,line=\d+,col=\d+,title=OpenAI API key \(openai-api-key\)::/);
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
    expect(parseCommand(line!)!.properties.file).toBe(path);
  });

  it(`annotates at most ${ANNOTATION_LIMIT} errors and ${ANNOTATION_LIMIT} warnings, then says how many more there are`, () => {
    const { result } = scanFixture({ stats: stats() });
    const base = result.findings[0]!;
    const errors = Array.from({ length: 13 }, (_, i) => ({ ...base, line: i + 1 }));
    const warnings = Array.from({ length: 12 }, (_, i): Finding => ({ ...base, severity: 'warning', line: 100 + i }));
    result.findings = [...errors.slice(0, 5), ...warnings, ...errors.slice(5)];
    const commands = github(result, context)
      .split('\n')
      .map(parseCommand)
      .filter((c) => c !== undefined);
    expect(commands.filter((c) => c.command === 'error').map((c) => c.properties.line)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(commands.filter((c) => c.command === 'warning').map((c) => c.properties.line)).toEqual(Array.from({ length: 10 }, (_, i) => String(100 + i)));
    const notices = commands.filter((c) => c.command === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toContain('5 more findings are not annotated');
    expect(notices[0]!.message).toContain('job summary lists all 25');
    expect(commands.at(-1)!.command).toBe('notice');
  });

  it('prints no notice when every finding fits', () => {
    const { result } = scanFixture({ stats: stats() });
    result.findings = Array.from({ length: ANNOTATION_LIMIT }, (_, i) => ({ ...result.findings[0]!, line: i + 1 }));
    const out = github(result, context);
    expect(out).not.toContain('::notice');
    expect(out.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(ANNOTATION_LIMIT);
  });

  it('a clean scan prints one line saying what it read, and nothing with --quiet', () => {
    const clean: ScanResult = { findings: [], stats: { ...stats(), source: 'range', commits: 4, files: 9 } };
    expect(github(clean, context)).toBe('keyguard: no secrets found in 4 commits (9 files).\n');
    expect(github(clean, { ...context, quiet: true })).toBe('');
  });

  it('never holds a secret', () => {
    const { keys, result } = scanFixture({ stats: stats() });
    const out = github(result, context) + stepSummary(result, context);
    for (const key of keys) expect(out.includes(key), 'a generated secret is in the GitHub output').toBe(false);
  });
});

describe('github step summary', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const summaryFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-summary-'));
    dirs.push(dir);
    return join(dir, 'step_summary.md');
  };

  it('appends a table of every finding to $GITHUB_STEP_SUMMARY, after what other steps wrote', async () => {
    const { result } = scanFixture({ stats: stats() });
    const file = summaryFile();
    writeFileSync(file, '## an earlier step\n');
    expect(await writeStepSummary(result, context, { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(await writeStepSummary(result, context, { GITHUB_STEP_SUMMARY: file })).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('## an earlier step\n### keyguard:')).toBe(true);
    expect(text.split('### keyguard:')).toHaveLength(3);
    const summary = stepSummary(result, context);
    expect(summary).toContain('| Location | Rule | Key type | Preview | Revoke at / fix |');
    const rows = summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Location') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(result.findings.length);
    result.findings.forEach((f, i) => {
      const row = rows[i]!;
      expect(row).toContain(`| ${md(f.path)}:${f.line}:${f.column} |`);
      expect(row).toContain(f.ruleId);
      expect(row).toContain(` ${md(f.preview)} `);
      if (f.keyTypeLabel) expect(row).toContain(` ${f.keyTypeLabel} `);
      if (f.revokeUrl) expect(row).toContain(`](${f.revokeUrl})`);
      else expect(row.split('<code>')).toHaveLength((f.fixCommands?.length ?? 0) + 1);
    });
    for (const id of new Set(result.findings.map((f) => f.ruleId))) expect(summary).toContain(`(\`${id}\`)`);
  });

  it('does nothing outside GitHub Actions, and nothing for a clean --quiet scan', async () => {
    const { result } = scanFixture({ stats: stats() });
    expect(await writeStepSummary(result, context, {})).toBe(false);
    const file = summaryFile();
    const clean: ScanResult = { findings: [], stats: stats() };
    expect(await writeStepSummary(clean, { ...context, quiet: true }, { GITHUB_STEP_SUMMARY: file })).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(await writeStepSummary(clean, context, { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('### keyguard: no secrets found\n\nScanned 3 files.\n\n');
  });

  it('keeps hostile paths inside their table cell', () => {
    const { result } = scanFixture({ stats: stats() });
    result.findings = [{ ...result.findings[0]!, path: 'a|b/<img src=x>_*[x](y)*`c`\nd $x$.ts' }];
    const row = stepSummary(result, context)
      .split('\n')
      .find((l) => l.includes('openai-api-key |'))!;
    // Six pipes delimit five cells; none comes from the path.
    expect(row.match(/\|/g)).toHaveLength(6);
    expect(row).not.toContain('<img');
    expect(row).toContain('a&#124;b/&lt;img src=x&gt;\\_\\*\\[x\\](y)\\*\\`c\\` d \\$x\\$.ts');
  });

  it('stays under the 1 MiB GitHub accepts, saying how many findings it left out', () => {
    const { result } = scanFixture({ stats: stats() });
    result.findings = Array.from({ length: 20_000 }, (_, i) => ({ ...result.findings[0]!, path: `packages/p${i}/src/config.ts` }));
    const summary = stepSummary(result, context);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_BUDGET);
    const listed = summary.split('\n').filter((l) => l.startsWith('| packages/')).length;
    expect(listed).toBeGreaterThan(1000);
    expect(summary).toContain(`…and ${20_000 - listed} more not listed here`);
  });
});
