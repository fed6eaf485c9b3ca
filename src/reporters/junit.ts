import type { Finding } from '../engine/types.js';
import type { Reporter } from './types.js';
import { describeFinding, displayPath, scannedWhat, type AnyRule } from './text.js';

/**
 * JUnit XML, for CI test views (GitLab `artifacts: reports: junit`, Jenkins, Azure, CircleCI): one
 * test suite "keyguard", one failed test case per finding (classname = rule id, name =
 * path:line:col), and one passing case "keyguard scan" when there is nothing to report, so the
 * pipeline shows a green test rather than no tests.
 * @see https://github.com/testmoapp/junitxml
 */

/**
 * Characters XML 1.0 cannot hold at all, even as references: C0 controls other than tab, LF and
 * CR, lone surrogates, U+FFFE and U+FFFF. They become U+FFFD.
 * @see https://www.w3.org/TR/xml/#charsets
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Element text: the five predefined entities, so the same function serves text and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values also keep tab, LF and CR as references: a parser would turn them into spaces. */
const attr = (text: string) => escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

function testCase(f: Finding, rule: AnyRule | undefined): string {
  const where = `${displayPath(f.path)}:${f.line}:${f.column}`;
  // History scans can report the same place in several commits; the commit keeps the names apart.
  const name = f.commit ? `${where}@${f.commit.slice(0, 12)}` : where;
  const body = [describeFinding(f)];
  if (rule) body.push('', rule.why, '', 'What to do now:', ...rule.fix.map((step, i) => `  ${i + 1}. ${step}`));
  return [
    `    <testcase classname="${attr(f.ruleId)}" name="${attr(name)}" file="${attr(displayPath(f.path))}" line="${f.line}" time="0">`,
    `      <failure message="${attr(`${f.title}: ${f.keyTypeLabel ? `${f.keyTypeLabel} ${f.preview}` : f.preview}`)}" type="${attr(f.ruleId)}">${escapeXml(body.join('\n'))}</failure>`,
    '    </testcase>',
  ].join('\n');
}

export const junit: Reporter = (result, context) => {
  const rules = new Map(context.rules.map((r) => [r.id, r]));
  const failures = result.findings.length;
  const tests = Math.max(failures, 1);
  const time = (result.stats.durationMs / 1000).toFixed(3);
  const cases =
    failures > 0
      ? result.findings.map((f) => testCase(f, rules.get(f.ruleId)))
      : [`    <testcase classname="keyguard" name="keyguard scan" time="${time}">`, `      <system-out>${escapeXml(`No secrets found in ${scannedWhat(result.stats)}.`)}</system-out>`, '    </testcase>'];
  const counts = `tests="${tests}" failures="${failures}" errors="0" skipped="0" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="keyguard" ${counts}>`,
    `  <testsuite name="keyguard" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
