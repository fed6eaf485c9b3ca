import { readFileSync } from 'node:fs';
import type { Finding } from '../engine/types.js';
import { messages } from '../messages.js';

/**
 * The baseline: findings a team has accepted, so that only new ones fail (DESIGN §2).
 *
 * Each entry is a finding's fingerprint, sha256(rule, path, sha256(secret)), with its rule and
 * path in clear so a reviewer can read the file. No line numbers: a baselined key that moves lines
 * stays suppressed; a changed key or a key copied to another file is a new finding. No secret, no
 * preview, no date or version: entries are sorted, one per line, so regenerating an unchanged
 * baseline changes no byte and branches adding entries far apart merge cleanly; entries added at
 * the same place conflict, and `keyguard baseline` resolves that conflict by keeping both sides.
 */
export interface BaselineEntry {
  rule: string;
  path: string;
  fingerprint: string;
}

export const BASELINE_FILE = '.keyguard-baseline.json';
const VERSION = 1;

const CONFLICT = /^(<{7}|={7}|>{7}|\|{7})( |$)/m;

/**
 * The entries of a baseline file; undefined when it does not exist. Anything unreadable is an
 * error. With `mergeConflicts` (keyguard baseline), a file left with git conflict markers by two
 * branches that each added entries is read as the union of both sides' entries.
 */
export function readBaseline(file: string, shown: string, options: { mergeConflicts?: boolean } = {}): BaselineEntry[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, ''); // a BOM some Windows editors add
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw messages.baselineInvalid(shown, `it could not be read (${code ?? String(e)})`);
  }
  if (CONFLICT.test(text)) {
    if (!options.mergeConflicts) throw messages.baselineConflicted(shown);
    return unionOfSides(text, shown);
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

/** Every entry line of a conflicted baseline (one entry per line, as keyguard writes it), both sides kept. */
function unionOfSides(text: string, shown: string): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{"rule"')) continue;
    let e: Partial<BaselineEntry>;
    try {
      e = JSON.parse(line) as Partial<BaselineEntry>;
    } catch {
      throw messages.baselineInvalid(shown, `a line between its conflict markers is not an entry: ${line.slice(0, 80)}`);
    }
    if (typeof e.rule !== 'string' || typeof e.path !== 'string' || typeof e.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(e.fingerprint)) {
      throw messages.baselineInvalid(shown, `a line between its conflict markers is not an entry: ${line.slice(0, 80)}`);
    }
    entries.push({ rule: e.rule, path: e.path, fingerprint: e.fingerprint });
  }
  return entries;
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
