import { createHash } from 'node:crypto';
import type { RuleDefinition } from './rule.js';
import type { Candidate, Finding, KeyType } from './types.js';
import { entropy, redact } from './redact.js';

/**
 * The pure core: text in, findings out. Knows nothing of git or disk. The raw secret stays inside
 * this module; a Finding carries only its redacted preview and a fingerprint.
 */
export interface Engine {
  scan(candidate: Candidate): Finding[];
  readonly rules: readonly RuleDefinition[];
}

export function createEngine(rules: readonly RuleDefinition[]): Engine {
  for (const rule of rules) {
    if (!rule.pattern.global) throw new Error(`rule ${rule.id}: pattern must have the g flag`);
  }
  return {
    rules,
    scan(candidate) {
      const findings: Finding[] = [];
      let lineStarts: number[] | undefined;
      for (const rule of rules) {
        if (!rule.keywords.some((k) => candidate.text.includes(k))) continue;
        // matchAll works on a copy of the regex, so no lastIndex is shared between calls.
        for (const m of candidate.text.matchAll(rule.pattern)) {
          const group = rule.secretGroup ?? 0;
          const secret = m[group];
          if (!secret) continue;
          if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
          const offset = m.index + (group === 0 ? 0 : m[0].indexOf(secret));
          lineStarts ??= indexLines(candidate.text);
          const { line, column } = locate(lineStarts, offset);
          const realLine = candidate.lineNumbers ? (candidate.lineNumbers[line - 1] ?? line) : line;
          findings.push(makeFinding(rule, candidate.path, realLine, column, secret));
        }
      }
      return findings;
    },
  };
}

function makeFinding(rule: RuleDefinition, path: string, line: number, column: number, secret: string): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    path,
    line,
    column,
    preview: redact(secret, rule.previewPrefix),
    fingerprint: fingerprint(rule.id, path, secret),
  };
  if (rule.keyTypes) {
    const type = rule.keyTypes.find((t) => t.match.test(secret));
    const keyType: KeyType = type?.id ?? 'unknown';
    finding.keyType = keyType;
    const label = type?.label ?? rule.unknownKeyType?.label;
    const revokeUrl = type?.revokeUrl ?? rule.unknownKeyType?.revokeUrl;
    if (label) finding.keyTypeLabel = label;
    if (revokeUrl) finding.revokeUrl = revokeUrl;
  }
  return finding;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Hash of (rule, path, sha256(secret)): survives line moves, changes when the secret does (DESIGN §4). */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  return sha256(`${ruleId}\0${path}\0${sha256(secret)}`);
}

function indexLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function locate(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}
