import type { Finding, ScanResult, Severity } from '../engine/types.js';
import { displayPath, describeFinding, isRepoRule, ruleHelpMarkdown, ruleHelpText, INFORMATION_URI, skipText, type AnyRule } from './text.js';
import type { ReportContext, Reporter } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, every rule described
 * (why, fix steps, where each key type is revoked), one result per finding. Like every reporter it
 * sees only redacted previews and fingerprints, never a secret.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export { INFORMATION_URI } from './text.js';

/**
 * GitHub ranks alerts by `security-severity`: 9.0 and up is critical, 4.0 to 6.9 medium. An error
 * here is a credential that is (or is about to be) readable by anyone with the repository.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '9.0', warning: '5.0' };

/** Bytes SARIF allows unencoded in a path segment (RFC 3986 pchar less ':', which could read as a scheme). */
const SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=@]$/;

function encodeSegment(segment: string): string {
  let out = '';
  for (const ch of segment) {
    if (SAFE.test(ch)) out += ch;
    else {
      try {
        out += encodeURIComponent(ch);
      } catch {
        out += '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a decoder would show it
      }
    }
  }
  return out;
}

/**
 * The artifactLocation of a path: repository-relative with uriBaseId %SRCROOT% (what GitHub
 * resolves against the checkout), or an absolute file URI when the path is absolute.
 */
export function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  const p = displayPath(path);
  const drive = /^[A-Za-z]:\//.exec(p)?.[0];
  if (drive) return { uri: `file:///${drive}${p.slice(drive.length).split('/').map(encodeSegment).join('/')}` };
  if (p.startsWith('/')) return { uri: `file://${p.split('/').map(encodeSegment).join('/')}` };
  return { uri: p.split('/').map(encodeSegment).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A SARIF reportingDescriptor, as keyguard fills it. */
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: Severity };
  properties: { tags: string[]; precision: 'very-high' | 'high' | 'medium'; 'security-severity': string };
}

function descriptor(rule: AnyRule): SarifRule {
  return {
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: ruleHelpText(rule), markdown: ruleHelpMarkdown(rule) },
    defaultConfiguration: { level: rule.severity },
    properties: {
      tags: ['security', 'secret'],
      // A key rule matches an exact, marker-bearing format; repo rules judge names and values, so they can misfire more.
      // A key with a provider's own prefix is near-certain; a context-only rule (a 32-character value next to a provider's name) less so.
      precision: isRepoRule(rule) ? 'high' : rule.severity === 'warning' ? 'medium' : 'very-high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

/** A finding from a rule the context does not know (e.g. a config rule not handed in): described by the finding alone. */
function fallbackDescriptor(f: Finding): SarifRule {
  return {
    id: f.ruleId,
    name: pascalCase(f.title),
    shortDescription: { text: f.title },
    fullDescription: { text: f.title },
    defaultConfiguration: { level: f.severity },
    properties: { tags: ['security', 'secret'], precision: 'high', 'security-severity': SECURITY_SEVERITY[f.severity] },
  };
}

function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The SARIF log as an object (the reporter prints it as JSON). */
export function sarifLog(result: ScanResult, context: ReportContext) {
  // Every rule that ran, not only those with results: the log then records what was checked (a
  // clean run lists the rules that found nothing) and each rule keeps its ruleIndex from run to run.
  const rules = context.rules.map(descriptor);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of result.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push(fallbackDescriptor(f));
    }
  }
  const results = result.findings.map((f) => {
    const properties: Record<string, string> = {};
    if (f.keyType) properties.keyType = f.keyType;
    if (f.commit) properties.commit = f.commit;
    if (f.date) properties.date = f.date;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: f.severity,
      message: { text: describeFinding(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(f.path),
            region: { startLine: f.line, startColumn: f.column },
          },
        },
      ],
      // Hash of (rule, path, sha256(secret)): follows the finding across line moves. GitHub adds its own
      // primaryLocationLineHash on upload (github/codeql-action upload-sarif).
      partialFingerprints: { 'keyguard/v1': f.fingerprint },
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });
  const driver = {
    name: 'keyguard',
    version: context.version,
    ...(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(context.version) ? { semanticVersion: context.version } : {}),
    informationUri: INFORMATION_URI,
    rules,
  };
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver },
        // The engine's columns count UTF-16 code units (JavaScript string offsets).
        columnKind: 'utf16CodeUnits' as const,
        results,
        ...(result.stats.skippedFiles.length > 0 ? { invocations: [invocation(result)] } : {}),
      },
    ],
  };
}

/**
 * Files that were not scanned, as notifications of the run: a too-large file is a warning (it may
 * hold a key nobody checked), the other reasons are notes.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html#_Toc141790917
 */
function invocation({ stats }: ScanResult) {
  return {
    executionSuccessful: true,
    toolExecutionNotifications: stats.skippedFiles.map((skip) => ({
      level: skip.reason === 'too-large' ? ('warning' as const) : ('note' as const),
      descriptor: { id: `skipped/${skip.reason}` },
      message: { text: `Not scanned: ${skipText(skip, stats)}.` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(skip.path) } }],
    })),
  };
}

export const sarif: Reporter = (result, context) => `${JSON.stringify(sarifLog(result, context), null, 2)}\n`;
