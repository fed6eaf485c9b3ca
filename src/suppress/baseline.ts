import { readFileSync } from 'node:fs';
import type { Finding } from '../engine/types.js';
import { messages } from '../messages.js';

/**
 * The baseline: findings a team has accepted, so that only new ones fail (DESIGN §2).
 *
 * Each entry is a finding's fingerprint, sha256(rule, path, sha256(secret)), with its rule and
 * path in clear so a reviewer can read the file. No line numbers: a baselined key that moves lines
 * stays suppressed; a changed key or a key copied to another file is a new finding. No secret, no
 * preview, no date or version: entries are sorted, one per line, so two branches that each add
 * entries merge without conflict and regenerating an unchanged baseline changes no byte.
 */
export interface BaselineEntry {
  rule: string;
  path: string;
  fingerprint: string;
}

export const BASELINE_FILE = '.keyguard-baseline.json';
const VERSION = 1;

/** The entries of a baseline file; undefined when it does not exist. Anything unreadable is an error. */
export function readBaseline(file: string, shown: string): BaselineEntry[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw messages.baselineInvalid(shown, `it could not be read (${code ?? String(e)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw messages.baselineInvalid(shown, `it is not JSON (${(e as Error).message})`);
  }
  const doc = data as { version?: unknown; findings?: unknown };
  if (typeof data !== 'object' || data === null || doc.version !== VERSION || !Array.isArray(doc.findings)) {
    throw messages.baselineInvalid(shown, `expected {"version": ${VERSION}, "findings": [...]}`);
  }
  return doc.findings.map((entry: unknown, i: number) => {
    const e = entry as Partial<BaselineEntry> | null;
    if (typeof e?.rule !== 'string' || typeof e.path !== 'string' || typeof e.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(e.fingerprint)) {
      throw messages.baselineInvalid(shown, `findings[${i}] must be {"rule", "path", "fingerprint" (64 hex digits)}`);
    }
    return { rule: e.rule, path: e.path, fingerprint: e.fingerprint };
  });
}

export function renderBaseline(entries: readonly BaselineEntry[]): string {
  const lines = sortEntries(entries).map((e) => `    ${JSON.stringify({ rule: e.rule, path: e.path, fingerprint: e.fingerprint })}`);
  const body = lines.length === 0 ? '[]' : `[\n${lines.join(',\n')}\n  ]`;
  return `{\n  "version": ${VERSION},\n  "findings": ${body}\n}\n`;
}

export function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const unique = new Map(entries.map((e) => [e.fingerprint, e]));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...unique.values()].sort((a, b) => cmp(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
}

export function entryOf(finding: Finding, repoPath: string): BaselineEntry {
  return { rule: finding.ruleId, path: repoPath, fingerprint: finding.fingerprint };
}

/** Splits findings into new ones and those the baseline accepts. */
export function applyBaseline(findings: readonly Finding[], entries: readonly BaselineEntry[]): { findings: Finding[]; baselined: number } {
  const known = new Set(entries.map((e) => e.fingerprint));
  const fresh = findings.filter((f) => !known.has(f.fingerprint));
  return { findings: fresh, baselined: findings.length - fresh.length };
}
