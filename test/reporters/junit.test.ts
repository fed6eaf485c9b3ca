/**
 * --format junit: well-formed XML (checked by the small strict parser below, which refuses what an
 * XML 1.0 parser refuses), one failed test case per finding, one passing case when clean, and
 * every value escaped.
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, junit } from '../../src/reporters/junit.js';
import { reporterContext, scanFixture } from '../helpers/findings.js';

const context = reporterContext;


interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict little XML 1.0 reader for what the reporter writes: one prolog, one root, matched tags,
 * quoted unique attributes, no raw `<` or stray `&`, only the five predefined entities and
 * character references, no character XML forbids. Throws on anything else.
 */
function parseXml(xml: string): XmlElement {
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (forbidden) throw new Error(`character U+${forbidden[0].charCodeAt(0).toString(16)} is not allowed in XML`);
  const decode = (raw: string, where: string): string =>
    raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (!whole.endsWith(';')) throw new Error(`unterminated & in ${where}`);
      if (ref in named) return named[ref]!;
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (!num) throw new Error(`unknown entity &${ref}; in ${where}`);
      return String.fromCodePoint(parseInt(num[1] ?? num[2]!, num[1] ? 16 : 10));
    });
  let i = 0;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!prolog) throw new Error('missing XML declaration');
  i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.includes(']]>')) throw new Error(']]> in text');
    if (stack.length > 0) stack.at(-1)!.text += decode(text, 'text');
    else if (text.trim()) throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
    if (lt === -1) break;
    if (xml.startsWith('</', lt)) {
      const gt = xml.indexOf('>', lt);
      const name = xml.slice(lt + 2, gt);
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      i = gt + 1;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(lt));
    if (!tag) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const el: XmlElement = { name: tag[1]!, attrs: {}, children: [], text: '' };
    for (const [, name, value] of tag[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (name! in el.attrs) throw new Error(`duplicate attribute ${name}`);
      el.attrs[name!] = decode(value!, `attribute ${name}`);
    }
    if (stack.length > 0) stack.at(-1)!.children.push(el);
    else if (root) throw new Error('a second root element');
    else root = el;
    if (!tag[3]) stack.push(el);
    i = lt + tag[0].length;
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const suiteOf = (xml: string) => {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  expect(root.children).toHaveLength(1);
  const suite = root.children[0]!;
  expect(suite.name).toBe('testsuite');
  expect(suite.attrs.name).toBe('keyguard');
  return { root, suite };
};

describe('the XML checker', () => {
  it.each([
    ['an unescaped &', '<a>x & y</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a mismatched tag', '<a><b></a></b>'],
    ['an unclosed tag', '<a><b></b>'],
    ['a raw < in an attribute', '<a x="<"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a control character', '<a>\u0001</a>'],
    ['two roots', '<a/><b/>'],
  ])('rejects %s', (_, body) => {
    expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`)).toThrow();
  });
});

describe('junit', () => {
  it('is well-formed, with one failed test case per finding', () => {
    const { result } = scanFixture();
    const xml = junit(result, context);
    const { root, suite } = suiteOf(xml);
    const n = String(result.findings.length);
    for (const el of [root, suite]) expect(el.attrs).toMatchObject({ tests: n, failures: n, errors: '0', time: '1.234' });
    expect(suite.children).toHaveLength(result.findings.length);
    result.findings.forEach((f, i) => {
      const tc = suite.children[i]!;
      expect(tc.name).toBe('testcase');
      expect(tc.attrs).toMatchObject({ classname: f.ruleId, name: `${f.path}:${f.line}:${f.column}`, file: f.path, line: String(f.line) });
      expect(tc.children).toHaveLength(1);
      const failure = tc.children[0]!;
      expect(failure.name).toBe('failure');
      expect(failure.attrs.type).toBe(f.ruleId);
      expect(failure.attrs.message).toContain(f.preview);
      if (f.keyTypeLabel) expect(failure.attrs.message).toBe(`${f.title}: ${f.keyTypeLabel} ${f.preview}`);
      const rule = context.rules.find((r) => r.id === f.ruleId)!;
      expect(failure.text).toContain(rule.why);
      rule.fix.forEach((step, k) => expect(failure.text).toContain(`${k + 1}. ${step}`));
      if (f.revokeUrl) expect(failure.text).toContain(f.revokeUrl);
      for (const command of f.fixCommands ?? []) expect(failure.text).toContain(command);
    });
  });

  it('shows a clean scan as one passing test', () => {
    const xml = junit({ findings: [], stats: { source: 'staged', files: 2, bytes: 10, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 7 } }, context);
    const { root, suite } = suiteOf(xml);
    for (const el of [root, suite]) expect(el.attrs).toMatchObject({ tests: '1', failures: '0', errors: '0' });
    expect(suite.children).toHaveLength(1);
    const tc = suite.children[0]!;
    expect(tc.attrs).toMatchObject({ classname: 'keyguard', name: 'keyguard scan' });
    expect(tc.children.map((c) => c.name)).toEqual(['system-out']);
    expect(tc.children[0]!.text).toBe('No secrets found in 2 staged files.');
  });

  it('escapes markup, quotes, line breaks and characters XML cannot hold, in attributes and text', () => {
    const { result } = scanFixture();
    const path = `a&b<c>"d"'e'\u0001\n\tz.ts`;
    result.findings = [{ ...result.findings.find((f) => f.ruleId === 'dotenv-committed')!, path, message: `${path} is staged ]]> <!-- x -->` }];
    const xml = junit(result, context);
    expect(xml).toContain('name="a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;\uFFFD&#10;&#9;z.ts:1:1"');
    const tc = suiteOf(xml).suite.children[0]!;
    expect(tc.attrs.file).toBe(`a&b<c>"d"'e'\uFFFD\n\tz.ts`);
    expect(tc.children[0]!.text).toContain(`a&b<c>"d"'e'\uFFFD\n\tz.ts is staged ]]> <!-- x -->`);
    expect(escapeXml('\uD800 lone, \uD83D\uDD11 paired')).toBe('\uFFFD lone, \uD83D\uDD11 paired');
  });

  it('keeps the same place in different commits apart', () => {
    const { result } = scanFixture();
    const f = result.findings[0]!;
    result.findings = [
      { ...f, commit: 'a'.repeat(40), date: '2025-01-01T00:00:00Z' },
      { ...f, commit: 'b'.repeat(40), date: '2025-02-01T00:00:00Z' },
    ];
    const names = suiteOf(junit(result, context)).suite.children.map((tc) => tc.attrs.name);
    expect(names).toEqual([`${f.path}:${f.line}:${f.column}@${'a'.repeat(12)}`, `${f.path}:${f.line}:${f.column}@${'b'.repeat(12)}`]);
  });

  it('never holds a secret', () => {
    const { keys, result } = scanFixture();
    const xml = junit(result, context);
    for (const key of keys) expect(xml.includes(key), 'a generated secret is in the JUnit report').toBe(false);
  });
});
