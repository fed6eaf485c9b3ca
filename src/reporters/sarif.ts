import type { RepoRuleDefinition, RuleDefinition } from '../engine/rule.js';
import type { Finding, ScanResult, ScanStats, Severity } from '../engine/types.js';
import type { ReportContext, Reporter } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, every rule described
 * (why, fix steps, where each key type is revoked), one result per finding. Like every reporter it
 * sees only redacted previews and fingerprints, never a secret.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 *
 * The helpers below (rule text, finding sentence, paths) are shared with the gitlab, junit and
 * github reporters so the four say the same thing.
 */

export type AnyRule = RuleDefinition | RepoRuleDefinition;

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://www.npmjs.com/package/keyguard';

/**
 * GitHub ranks alerts by `security-severity`: 9.0 and up is critical, 4.0 to 6.9 medium. An error
 * here is a credential that is (or is about to be) readable by anyone with the repository.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '9.0', warning: '5.0' };

const isRepoRule = (rule: AnyRule): rule is RepoRuleDefinition => 'check' in rule;

/** Where each kind of key a rule finds is revoked, one entry per key type label (as `keyguard rules ID` lists them). */
export function revocationPages(rule: AnyRule | undefined): { label: string; url: string }[] {
  if (!rule || isRepoRule(rule) || !rule.keyTypes) return [];
  const pages: { label: string; url: string }[] = [];
  for (const t of [...rule.keyTypes, ...(rule.unknownKeyType ? [rule.unknownKeyType] : [])]) {
    if (!pages.some((p) => p.label === t.label)) pages.push({ label: t.label, url: t.revokeUrl });
  }
  return pages;
}

/** The rule's documentation as plain text: why, where to revoke each key type, then the numbered steps. */
export function ruleHelpText(rule: AnyRule): string {
  const lines = [rule.why];
  const pages = revocationPages(rule);
  if (pages.length > 0) lines.push('', 'Where each key type is revoked:', ...pages.map((p) => `  - ${p.label}: ${p.url}`));
  lines.push('', 'What to do now:', ...rule.fix.map((step, i) => `  ${i + 1}. ${step}`));
  return lines.join('\n');
}

/** The same documentation as GitHub-flavoured Markdown (shown by code scanning as the rule's help). */
export function ruleHelpMarkdown(rule: AnyRule): string {
  const lines = [rule.why];
  const pages = revocationPages(rule);
  if (pages.length > 0) lines.push('', '**Where each key type is revoked**', '', ...pages.map((p) => `- ${p.label}: <${p.url}>`));
  lines.push('', '**What to do now**', '', ...rule.fix.map((step, i) => `${i + 1}. ${step}`));
  return lines.join('\n');
}

/**
 * One finding in a sentence or two, naming the key type and its redacted preview (or, for repo
 * rules, the occurrence and the commands that fix it), and the commit for history scans.
 */
export function describeFinding(f: Finding): string {
  let text: string;
  if (f.keyTypeLabel) {
    text = `${f.title} found: ${f.keyTypeLabel} ${f.preview}.`;
    if (f.revokeUrl) text += ` Revoke it at ${f.revokeUrl}, where it is listed as ${f.preview}.`;
  } else if (f.message) {
    text = f.message;
    if (f.fixCommands?.length) text += ` Fix: ${f.fixCommands.map((c) => `\`${c}\``).join(', then ')}.`;
  } else {
    text = `${f.title} found: ${f.preview}.`;
  }
  if (f.commit) text += ` Added in commit ${f.commit.slice(0, 12)}${f.date ? ` (${f.date})` : ''}.`;
  return text;
}

/** A finding's path as forward-slash, without a leading `./` (paths are repository- or cwd-relative). */
export function displayPath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** What the scan read, for the closing line of a report (DESIGN §3: every run says what it read). */
export function scannedWhat(stats: ScanStats): string {
  const n = (count: number, word: string) => `${count} ${count === 1 ? word : `${word}s`}`;
  switch (stats.source) {
    case 'stdin':
      return 'standard input';
    case 'staged':
      return n(stats.files, 'staged file');
    case 'range':
    case 'all':
      return `${n(stats.commits ?? 0, 'commit')} (${n(stats.files, 'file')})`;
    default:
      return n(stats.files, 'file');
  }
}

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
  properties: { tags: string[]; precision: 'very-high' | 'high'; 'security-severity': string };
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
      precision: isRepoRule(rule) ? 'high' : 'very-high',
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
      },
    ],
  };
}

export const sarif: Reporter = (result, context) => `${JSON.stringify(sarifLog(result, context), null, 2)}\n`;
