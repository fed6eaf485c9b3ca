/**
 * resolveConfig: what the schema cannot check (rule ids that exist, custom rules that compile and
 * pass their own examples) and the rule set, severities and allowlists a scan then runs with.
 * Every key-shaped string is made at test time from a template; none is written here.
 */
import { describe, expect, it } from 'vitest';
import { hasPathGlobs, resolveConfig, type ResolvedConfig } from '../../src/config/resolve.js';
import type { CustomRuleConfig, KeyguardConfig } from '../../src/config/schema.js';
import { createEngine } from '../../src/engine/engine.js';
import type { Finding } from '../../src/engine/types.js';
import { KeyguardError } from '../../src/errors.js';
import { loadGlobEngine } from '../../src/suppress/allowlist.js';
import { builtinRules, repoRules } from '../../rules/index.js';
import { expand, genKey } from '../helpers/keys.js';

const FILE = 'keyguard.config.mjs';
const BUILTIN_IDS = [...builtinRules, ...repoRules].map((r) => r.id);

/** A custom rule that passes its examples; `over` replaces fields. */
const acme = (over: Partial<CustomRuleConfig> = {}): CustomRuleConfig => ({
  id: 'acme-key',
  title: 'Acme API key',
  keywords: ['ACME_'],
  pattern: 'ACME_[A-Za-z0-9]{32}',
  minEntropy: 2,
  examples: {
    positive: ['const token = "⟪ACME_{alnum:32}⟫";', 'ACME_TOKEN=⟪ACME_{alnum:32}⟫'],
    negative: [
      { text: 'ACME_TOKEN=ACME_{x*32}', reason: 'a placeholder: one character repeated' },
      { text: 'ACME_TOKEN=ACME_{alnum:8}', reason: 'too short' },
    ],
  },
  ...over,
});

/** The KeyguardError resolveConfig throws for `config` (fails the test when it throws none). */
function resolveError(config: KeyguardConfig): KeyguardError {
  try {
    resolveConfig(config, FILE);
  } catch (error) {
    if (error instanceof KeyguardError) return error;
    throw error;
  }
  throw new Error(`resolveConfig accepted ${JSON.stringify(config)}`);
}

/** The issue lines of a CONFIG_INVALID message: `path: expected …; found …`. */
function issueLines(error: KeyguardError): string[] {
  expect(error.code).toBe('CONFIG_INVALID');
  const [head, ...lines] = error.message.split('\n');
  expect(head).toBe(`${FILE} is not a valid keyguard config:`);
  return lines.map((l) => l.trim());
}

/** The one issue line for `path` (fails when there is none or several). */
function issueAt(error: KeyguardError, path: string): string {
  const lines = issueLines(error).filter((l) => l.startsWith(`${path}: `));
  expect(lines, error.message).toHaveLength(1);
  return lines[0] as string;
}

function scan(resolved: ResolvedConfig, text: string, path = 'src/app.js'): Finding[] {
  const engine = createEngine(resolved.rules, { inlineAllow: resolved.inlineAllow, knownRuleIds: resolved.knownRuleIds, ...(resolved.allow ? { allow: resolved.allow } : {}) });
  return engine.scan({ path, text, origin: 'file', bytes: text.length });
}

describe('defaults', () => {
  it('an empty config runs every built-in rule with nothing suppressed', () => {
    const r = resolveConfig({}, FILE);
    expect(r.rules).toEqual([...builtinRules]);
    r.rules.forEach((rule, i) => expect(rule).toBe(builtinRules[i]));
    expect(r.repoRules).toEqual([...repoRules]);
    expect(r.knownRuleIds).toEqual(BUILTIN_IDS);
    expect(r.inlineAllow).toBe(true);
    expect(r.allow).toBeUndefined();
    expect(r.failOn).toBeUndefined();
    expect(r.baseline).toBeUndefined();
    expect(r.envVars).toEqual([]);
    expect(BUILTIN_IDS).toContain('openai-api-key');
    expect(BUILTIN_IDS).toContain('dotenv-committed');
  });

  it('the file name is optional', () => {
    expect(resolveConfig({}).rules).toHaveLength(builtinRules.length);
    expect(() => resolveConfig({ rules: { 'no-such-rule': 'off' } })).toThrow(/^the config is not a valid keyguard config:/);
  });

  it('passes failOn, inlineAllow, baseline and doctor env vars through', () => {
    const r = resolveConfig({ failOn: 'warning', inlineAllow: false, baseline: 'ci/baseline.json', doctor: { envVars: ['ACME_TOKEN'] } }, FILE);
    expect(r.failOn).toBe('warning');
    expect(r.inlineAllow).toBe(false);
    expect(r.baseline).toBe('ci/baseline.json');
    expect(r.envVars).toEqual(['ACME_TOKEN']);
    expect(resolveConfig({ failOn: 'never' }, FILE).failOn).toBe('never');
  });

  it('the built-in OpenAI rule finds a generated key', () => {
    const key = genKey();
    const [f] = scan(resolveConfig({}, FILE), `const k = "${key}";`);
    expect(f?.ruleId).toBe('openai-api-key');
    expect(f?.column).toBe(12);
  });
});

describe('rules: severities and turning rules off', () => {
  it('"off" removes a rule, which stays a known id', () => {
    const r = resolveConfig({ rules: { 'openai-api-key': 'off' } }, FILE);
    expect(r.rules.map((x) => x.id)).not.toContain('openai-api-key');
    expect(r.knownRuleIds).toContain('openai-api-key');
    expect(scan(r, `k = "${genKey()}"`)).toEqual([]);
  });

  it('"warning" changes the severity without touching the built-in rule', () => {
    const builtin = builtinRules.find((x) => x.id === 'openai-api-key');
    expect(builtin?.severity).toBe('error');
    const r = resolveConfig({ rules: { 'openai-api-key': 'warning' } }, FILE);
    const rule = r.rules.find((x) => x.id === 'openai-api-key');
    expect(rule?.severity).toBe('warning');
    expect(rule).not.toBe(builtin);
    expect(rule?.pattern).toBe(builtin?.pattern);
    expect(builtin?.severity).toBe('error');
    expect(resolveConfig({}, FILE).rules.find((x) => x.id === 'openai-api-key')?.severity).toBe('error');
    const [f] = scan(r, `k = "${genKey()}"`);
    expect(f?.severity).toBe('warning');
  });

  it('the object form: severity, or nothing at all', () => {
    expect(resolveConfig({ rules: { 'openai-api-key': { severity: 'warning' } } }, FILE).rules[0]?.severity).toBe('warning');
    expect(resolveConfig({ rules: { 'openai-api-key': { severity: 'off' } } }, FILE).rules).toEqual(builtinRules.filter((r) => r.id !== 'openai-api-key'));
    const same = resolveConfig({ rules: { 'openai-api-key': {} } }, FILE);
    expect(same.rules[0]).toBe(builtinRules[0]);
    expect(resolveConfig({ rules: { 'openai-api-key': 'error' } }, FILE).rules[0]).toBe(builtinRules[0]);
  });

  it('repo rules: off and severity', () => {
    const off = resolveConfig({ rules: { 'dotenv-committed': { severity: 'off' } } }, FILE);
    expect(off.repoRules.map((x) => x.id)).toEqual(repoRules.map((x) => x.id).filter((id) => id !== 'dotenv-committed'));
    expect(off.rules).toEqual([...builtinRules]);
    expect(off.knownRuleIds).toContain('dotenv-committed');
    const warn = resolveConfig({ rules: { 'dotenv-committed': 'warning' } }, FILE);
    const committed = repoRules.find((x) => x.id === 'dotenv-committed');
    expect(warn.repoRules.find((x) => x.id === 'dotenv-committed')?.severity).toBe('warning');
    expect(committed?.severity).not.toBe('warning');
  });

  it('an unknown rule id is an error naming the file, the key and every known id', () => {
    const error = resolveError({ rules: { 'no-such-rule': 'off' } });
    expect(error).toBeInstanceOf(KeyguardError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(issueAt(error, 'rules["no-such-rule"]')).toBe(
      `rules["no-such-rule"]: expected a rule id: ${BUILTIN_IDS.join(', ')}; found "no-such-rule", which no rule has`,
    );
    expect(error.fix).toContain(FILE);
  });

  it('an unknown rule id close to a known one gets a did-you-mean, custom rule ids included', () => {
    expect(issueAt(resolveError({ rules: { 'openai-api-kye': 'off' } }), 'rules["openai-api-kye"]')).toBe(
      `rules["openai-api-kye"]: expected a rule id: ${BUILTIN_IDS.join(', ')}; found "openai-api-kye", which no rule has (did you mean "openai-api-key"?)`,
    );
    expect(issueAt(resolveError({ rules: { 'dotenv-commited': 'off' } }), 'rules["dotenv-commited"]')).toMatch(/found "dotenv-commited", which no rule has \(did you mean "dotenv-committed"\?\)$/);
    expect(issueAt(resolveError({ customRules: [acme()], rules: { 'acme-kye': 'warning' } }), 'rules["acme-kye"]')).toMatch(
      /; found "acme-kye", which no rule has \(did you mean "acme-key"\?\)$/,
    );
  });

  it('a long unknown rule id is shortened in what was found', () => {
    const id = 'a-rule-id-that-is-much-too-long';
    const line = issueAt(resolveError({ rules: { [id]: 'off' } }), `rules["${id}"]`);
    expect(line.endsWith(`; found "${id.slice(0, 12)}…" (${id.length} characters), which no rule has`)).toBe(true);
  });

  it('an unknown one-word rule id is named rules.nope', () => {
    const error = resolveError({ rules: { nope: 'warning' } });
    const line = issueAt(error, 'rules.nope');
    expect(line).toContain('found "nope"');
    for (const id of BUILTIN_IDS) expect(line).toContain(id);
  });
});

describe('custom rules', () => {
  it('a valid custom rule is appended after the built-in rules and finds a key', () => {
    const r = resolveConfig({ customRules: [acme()] }, FILE);
    expect(r.rules.map((x) => x.id)).toEqual([...builtinRules.map((x) => x.id), 'acme-key']);
    expect(r.knownRuleIds).toEqual([...BUILTIN_IDS, 'acme-key']);
    const rule = r.rules.at(-1);
    expect(rule).toMatchObject({ id: 'acme-key', title: 'Acme API key', severity: 'error', keywords: ['ACME_'], minEntropy: 2 });
    expect(rule?.pattern.flags).toBe('g');
    expect(rule?.why).toContain('Acme API key');
    expect(rule?.keyTypes).toBeUndefined();

    const key = expand('ACME_{alnum:32}').text;
    const openai = genKey();
    const findings = scan(r, `const a = "${key}";\nconst b = "${openai}";\n`);
    expect(findings.map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual([
      ['openai-api-key', 2, 12, 'error'],
      ['acme-key', 1, 12, 'error'],
    ]);
    const acmeFinding = findings.find((f) => f.ruleId === 'acme-key');
    expect(acmeFinding?.title).toBe('Acme API key');
    // The preview keeps the keyword the secret starts with and its last four characters.
    expect(acmeFinding?.preview).toBe(`ACME_…${key.slice(-4)}`);
    expect(acmeFinding?.preview).not.toContain(key.slice(5, 20));
    expect(acmeFinding?.revokeUrl).toBeUndefined();
    // The negative examples really are not reported.
    expect(scan(r, 'ACME_TOKEN=ACME_' + 'x'.repeat(32))).toEqual([]);
    expect(scan(r, expand('ACME_TOKEN=ACME_{alnum:8}').text)).toEqual([]);
  });

  it('a custom rule takes severity, why and fix from the config, and a severity override under rules', () => {
    const r = resolveConfig({ customRules: [acme({ severity: 'warning', why: 'It opens the Acme account.', fix: ['Revoke it.'] })] }, FILE);
    expect(r.rules.at(-1)).toMatchObject({ severity: 'warning', why: 'It opens the Acme account.', fix: ['Revoke it.'] });
    const up = resolveConfig({ customRules: [acme({ severity: 'warning' })], rules: { 'acme-key': 'error' } }, FILE);
    expect(up.rules.at(-1)?.severity).toBe('error');
    const off = resolveConfig({ customRules: [acme()], rules: { 'acme-key': 'off' } }, FILE);
    expect(off.rules.map((x) => x.id)).not.toContain('acme-key');
    expect(off.knownRuleIds).toContain('acme-key');
  });

  it('a custom rule with a built-in id is an error', () => {
    const error = resolveError({ customRules: [acme({ id: 'openai-api-key' })] });
    expect(issueAt(error, 'customRules[0].id')).toBe(
      'customRules[0].id: expected an id no built-in rule uses; found "openai-api-key", a built-in rule (turn it off or change its severity under "rules")',
    );
    expect(issueAt(resolveError({ customRules: [acme({ id: 'dotenv-committed' })] }), 'customRules[0].id')).toContain('a built-in rule');
  });

  it('two custom rules with one id are an error on the second', () => {
    const error = resolveError({ customRules: [acme(), acme({ title: 'Acme key again' })] });
    expect(issueLines(error)).toEqual(['customRules[1].id: expected an id no other custom rule uses; found "acme-key" a second time']);
  });

  it('an invalid regular expression names customRules[0].pattern', () => {
    const error = resolveError({ customRules: [acme({ pattern: 'ACME_[A-Z' })] });
    expect(issueAt(error, 'customRules[0].pattern')).toBe('customRules[0].pattern: expected a valid regular expression; found "ACME_[A-Z" (Unterminated character class)');
    // Valid alone, invalid with the flags the config adds.
    const withFlags = resolveError({ customRules: [acme({ pattern: 'ACME_\\-[A-Za-z0-9]{32}', flags: 'u' })] });
    expect(issueAt(withFlags, 'customRules[0].pattern')).toContain('expected a valid regular expression');
  });

  it('a pattern that matches the empty string is an error', () => {
    const error = resolveError({ customRules: [acme({ pattern: '(?:ACME_[A-Za-z0-9]{32})?' })] });
    expect(issueAt(error, 'customRules[0].pattern')).toBe(
      'customRules[0].pattern: expected a pattern that needs at least one character; found "(?:ACME_[A-Z…" (25 characters), which matches the empty string',
    );
    expect(issueAt(resolveError({ customRules: [acme({ pattern: /x*/ })] }), 'customRules[0].pattern')).toBe(
      'customRules[0].pattern: expected a pattern that needs at least one character; found "/x*/", which matches the empty string',
    );
  });

  it('secretGroup must name a capture group of the pattern', () => {
    const none = resolveError({ customRules: [acme({ secretGroup: 1 })] });
    expect(issueAt(none, 'customRules[0].secretGroup')).toBe('customRules[0].secretGroup: expected a capture group of the pattern (0 to 0); found 1');
    const beyond = resolveError({ customRules: [acme({ pattern: 'ACME_([A-Za-z0-9]{32})', secretGroup: 2 })] });
    expect(issueAt(beyond, 'customRules[0].secretGroup')).toBe('customRules[0].secretGroup: expected a capture group of the pattern (0 to 1); found 2');
  });

  it('secretGroup reports the group only', () => {
    const r = resolveConfig(
      {
        customRules: [
          acme({
            pattern: 'token=(ACME_[A-Za-z0-9]{32})',
            secretGroup: 1,
            examples: { positive: ['token=⟪ACME_{alnum:32}⟫'], negative: [{ text: 'ACME_{alnum:32}', reason: 'no token= before it' }] },
          }),
        ],
      },
      FILE,
    );
    const key = expand('ACME_{alnum:32}').text;
    const [f] = scan(r, `  token=${key}`);
    expect(f?.column).toBe(9);
    expect(f?.preview.endsWith(key.slice(-4))).toBe(true);
  });

  it('a positive example the rule does not find is an error naming it', () => {
    const error = resolveError({ customRules: [acme({ examples: { positive: ['ACME_TOKEN=ACME_{alnum:31}'], negative: [{ text: 'nothing', reason: 'no key' }] } })] });
    expect(issueLines(error)).toEqual(['customRules[0].examples.positive[0]: expected an example the rule finds; found one where the rule finds nothing in it']);
    // The placeholder filter counts too: a positive below minEntropy is not found.
    const low = resolveError({ customRules: [acme({ minEntropy: 4, examples: { positive: ['ok ⟪ACME_{alnum:32}⟫', 'ACME_{=ab}{a*30}'], negative: [{ text: 'x', reason: 'y' }] } })] });
    expect(issueLines(low).map((l) => l.split(':')[0])).toEqual(['customRules[0].examples.positive[1]']);
  });

  it('a negative example the rule finds is an error naming it', () => {
    const error = resolveError({
      customRules: [acme({ examples: { positive: ['ACME_{alnum:32}'], negative: [{ text: 'ACME_TOKEN=ACME_{alnum:32}', reason: 'looks like a key but it is not' }] } })],
    });
    const line = issueAt(error, 'customRules[0].examples.negative[0]');
    expect(line).toMatch(/^customRules\[0\]\.examples\.negative\[0\]: expected an example the rule does not find; found one where the rule reports ACME_…[A-Za-z0-9]{4} in it$/);
  });

  it('a ⟪marked⟫ secret that differs from what the rule reports is an error', () => {
    const wider = resolveError({ customRules: [acme({ examples: { positive: ['⟪token=ACME_{alnum:32}⟫'], negative: [{ text: 'x', reason: 'y' }] } })] });
    expect(issueAt(wider, 'customRules[0].examples.positive[0]')).toMatch(
      /expected an example the rule finds; found one where the rule does not report the ⟪marked⟫ secret at line 1, column 1 \(it reports ACME_…[A-Za-z0-9]{4} at 1:7\)$/,
    );
    const narrower = resolveError({ customRules: [acme({ examples: { positive: ['x\nACME_⟪{alnum:32}⟫'], negative: [{ text: 'x', reason: 'y' }] } })] });
    expect(issueAt(narrower, 'customRules[0].examples.positive[0]')).toContain('the ⟪marked⟫ secret at line 2, column 6');
    const longer = resolveError({
      customRules: [acme({ pattern: 'ACME_[A-Za-z0-9]{32,}', examples: { positive: ['⟪ACME_{alnum:32}⟫{alnum:8}'], negative: [{ text: 'x', reason: 'y' }] } })],
    });
    expect(issueAt(longer, 'customRules[0].examples.positive[0]')).toContain('the ⟪marked⟫ secret at line 1, column 1');
  });

  it('a RegExp pattern keeps its flags and gets g (and loses y)', () => {
    const r = resolveConfig({ customRules: [acme({ pattern: /ACME_[a-z0-9]{32}/iy })] }, FILE);
    const rule = r.rules.at(-1);
    expect(rule?.pattern.flags).toBe('gi');
    expect(rule?.pattern.source).toBe('ACME_[a-z0-9]{32}');
    const key = expand('ACME_{upper:16}{digit:16}').text;
    expect(scan(r, `x ${key}`).map((f) => f.column)).toEqual([3]);
    // Without the i flag the same rule cannot find its own (mixed-case) positive examples.
    const error = resolveError({ customRules: [acme({ pattern: /ACME_[a-z0-9]{32}/ })] });
    expect(issueLines(error).map((l) => l.split(':')[0])).toEqual(['customRules[0].examples.positive[0]', 'customRules[0].examples.positive[1]']);
  });

  it('flags apply to a string pattern', () => {
    const r = resolveConfig({ customRules: [acme({ pattern: 'ACME_[a-z0-9]{32}', flags: 'i' })] }, FILE);
    expect(r.rules.at(-1)?.pattern.flags).toBe('gi');
    expect(resolveError({ customRules: [acme({ pattern: 'ACME_[a-z0-9]{32}' })] }).code).toBe('CONFIG_INVALID');
  });

  it('flags next to a RegExp pattern are an error at .flags, not silently dropped', () => {
    const error = resolveError({ customRules: [acme({ pattern: /ACME_[a-z0-9]{32}/, flags: 'i' })] });
    expect(issueLines(error)).toEqual(['customRules[0].flags: expected no "flags" next to a RegExp pattern (put them on the RegExp: /…/i); found "i"']);
    // Even empty flags: the RegExp's own flags are the only ones.
    expect(issueAt(resolveError({ customRules: [acme({ pattern: /ACME_[A-Za-z0-9]{32}/, flags: '' })] }), 'customRules[0].flags')).toMatch(/found ""$/);
  });

  it('a flag given twice is an error at .flags, not at .pattern', () => {
    const error = resolveError({ customRules: [acme({ flags: 'ii' })] });
    expect(issueLines(error)).toEqual(['customRules[0].flags: expected each of the flags "imsu" at most once; found "ii"']);
    expect(issueAt(resolveError({ customRules: [acme({ flags: 'imi' })] }), 'customRules[0].flags')).toMatch(/found "imi"$/);
  });

  it('revokeUrl puts the revocation page on findings and in the fix', () => {
    const url = 'https://acme.example/settings/keys';
    const r = resolveConfig({ customRules: [acme({ revokeUrl: url })] }, FILE);
    expect(r.rules.at(-1)?.fix.join('\n')).toContain(url);
    const [f] = scan(r, expand('ACME_{alnum:32}').text);
    expect(f).toMatchObject({ ruleId: 'acme-key', revokeUrl: url });
    // No OpenAI-style key type: the page is the rule's own.
    expect(f?.keyType).toBeUndefined();
  });

  it('every problem in one config is listed in one error', () => {
    const error = resolveError({
      rules: { 'no-such-rule': 'off', 'openai-api-key': 'warning' },
      customRules: [
        acme({ pattern: 'ACME_(' }),
        acme({ id: 'openai-api-key' }),
        acme({ id: 'acme-second', secretGroup: 3 }),
        acme({ id: 'acme-third', examples: { positive: ['nothing here'], negative: [{ text: 'ACME_{alnum:32}', reason: 'x' }] } }),
      ],
    });
    expect(issueLines(error).map((l) => l.slice(0, l.indexOf(': ')))).toEqual([
      'customRules[0].pattern',
      'customRules[1].id',
      'customRules[2].secretGroup',
      'customRules[3].examples.positive[0]',
      'customRules[3].examples.negative[0]',
      'rules["no-such-rule"]',
    ]);
  });

  it('a broken template in an example is reported, not thrown, without quoting the template', () => {
    const error = resolveError({ customRules: [acme({ examples: { positive: ['ACME_{alnum:32}⟫'], negative: [{ text: '⟪ACME_', reason: 'x' }] } })] });
    expect(issueLines(error)).toEqual([
      'customRules[0].examples.positive[0]: expected an example the rule finds; found one where its ⟪ ⟫ marks are not balanced',
      'customRules[0].examples.negative[0]: expected an example the rule does not find; found one where its ⟪ ⟫ marks are not balanced',
    ]);
    const nested = resolveError({ customRules: [acme({ examples: { positive: ['⟪ACME_⟪{alnum:32}⟫⟫'], negative: [{ text: 'x', reason: 'y' }] } })] });
    expect(issueAt(nested, 'customRules[0].examples.positive[0]')).toMatch(/found one where its ⟪ ⟫ marks are not balanced$/);
  });

  it('an unknown template token is an error naming the token and the known ones, not the template', () => {
    const template = 'token = ACME_{alnm:32}';
    const error = resolveError({ customRules: [acme({ examples: { positive: [template], negative: [{ text: 'ACME_{Hex:8}', reason: 'short' }] } })] });
    expect(issueLines(error)).toEqual([
      'customRules[0].examples.positive[0]: expected an example the rule finds; found one where it uses {alnm:…}, which is no template token (known: alnum, b64url, hex, lower, upper, digit)',
      'customRules[0].examples.negative[0]: expected an example the rule does not find; found one where it uses {Hex:…}, which is no template token (known: alnum, b64url, hex, lower, upper, digit)',
    ]);
    expect(error.message).not.toContain(template);
  });

  it('a template token over 10,000 characters is an error, in either token form', () => {
    for (const token of ['{alnum:99999}', '{x*10001}']) {
      const template = `ACME_${token}`;
      const error = resolveError({ customRules: [acme({ examples: { positive: [template], negative: [{ text: 'x', reason: 'y' }] } })] });
      expect(issueLines(error)).toEqual(['customRules[0].examples.positive[0]: expected an example the rule finds; found one where a template token asks for more than 10000 characters']);
      expect(error.message).not.toContain(token);
    }
    // 10,000 exactly is allowed.
    const ok = acme({ pattern: 'ACME_[A-Za-z0-9]{32,}', examples: { positive: ['ACME_{alnum:10000}'], negative: [{ text: 'ACME_{alnum:8}', reason: 'short' }] } });
    expect(resolveConfig({ customRules: [ok] }, FILE).rules.at(-1)?.id).toBe('acme-key');
  });

  it('a positive example without any of the keywords says the pattern never runs', () => {
    const error = resolveError({ customRules: [acme({ keywords: ['ACME_', 'acme-'], pattern: '[A-Za-z0-9]{32}', examples: { positive: ['key = {alnum:32}'], negative: [{ text: 'x', reason: 'y' }] } })] });
    expect(issueLines(error)).toEqual([
      'customRules[0].examples.positive[0]: expected an example the rule finds; found one where none of the rule\'s keywords ("ACME_", "acme-") occurs in it, so the pattern never runs',
    ]);
  });

  it('a pattern anchored with ^…$ and no m flag, which finds its example only as the whole text, is an error', () => {
    const rule = acme({ keywords: ['TOKEN='], pattern: '^TOKEN=([A-Za-z0-9]{32})$', examples: { positive: ['TOKEN={alnum:32}'], negative: [{ text: 'TOKEN={alnum:8}', reason: 'too short' }] } });
    expect(issueLines(resolveError({ customRules: [rule] }))).toEqual([
      'customRules[0].examples.positive[0]: expected an example the rule finds; found one where the rule finds it only when it is the whole text, not between other lines (a ^ or $ without the m flag?)',
    ]);
    // With m it loads, and finds a token on any line of a file.
    const r = resolveConfig({ customRules: [{ ...rule, flags: 'm' }] }, FILE);
    const token = expand('{alnum:32}').text;
    const findings = scan(r, `# settings\nTOKEN=${token}\nPORT=3000\n`, '.env.production').filter((f) => f.ruleId === 'acme-key');
    expect(findings.map((f) => [f.line, f.column])).toEqual([[2, 1]]);
    expect(findings[0]?.preview.endsWith(token.slice(-4))).toBe(true);
  });

  it('no message quotes a key written into an example, a pattern or a rule id', () => {
    const key = genKey();
    const configs: KeyguardConfig[] = [
      { customRules: [acme({ examples: { positive: [`⟪${key}`], negative: [{ text: 'x', reason: 'y' }] } })] },
      { customRules: [acme({ examples: { positive: ['ACME_{alnum:32}'], negative: [{ text: `${key}⟫`, reason: 'y' }] } })] },
      { customRules: [acme({ examples: { positive: [`${key}{alnm:32}`], negative: [{ text: 'x', reason: 'y' }] } })] },
      { customRules: [acme({ examples: { positive: [`${key}{x*20000}`], negative: [{ text: 'x', reason: 'y' }] } })] },
      { customRules: [acme({ pattern: `(${key}` })] },
      { customRules: [acme({ pattern: `(?:${key})?` })] },
      { customRules: [acme({ flags: key })] },
    ];
    for (const config of configs) {
      const error = resolveError(config);
      expect(error.message).not.toContain(key);
      expect(error.message).not.toContain(key.slice(-12));
    }
  });

  it('a severity for a custom rule that failed to compile reports the rule, not an unknown id', () => {
    const error = resolveError({ customRules: [acme({ pattern: 'ACME_(' })], rules: { 'acme-key': 'warning' } });
    expect(issueLines(error).map((l) => l.slice(0, l.indexOf(': ')))).toEqual(['customRules[0].pattern']);
  });

  it('a second rule with the id of a broken first one is still reported as a duplicate', () => {
    const error = resolveError({ customRules: [acme({ pattern: 'ACME_(' }), acme()] });
    expect(issueLines(error).map((l) => l.slice(0, l.indexOf(': ')))).toEqual(['customRules[0].pattern', 'customRules[1].id']);
  });
});

describe('allowlists', () => {
  it('path globs need the glob engine', async () => {
    expect(hasPathGlobs({ allow: { paths: ['test/**'] } })).toBe(true);
    expect(hasPathGlobs({ rules: { 'openai-api-key': { allow: { paths: ['x'] } } } })).toBe(true);
    expect(hasPathGlobs({ allow: { paths: [], values: ['x'] }, rules: { 'openai-api-key': 'off' } })).toBe(false);
    expect(() => resolveConfig({ allow: { paths: ['test/**'] } }, FILE)).toThrow(/loadGlobEngine/);
    const picomatch = await loadGlobEngine();
    expect(resolveConfig({ allow: { paths: ['test/**'] } }, FILE, picomatch).allow?.hasGlobalPaths).toBe(true);
  });

  it('global path globs', async () => {
    const picomatch = await loadGlobEngine();
    const allow = resolveConfig({ allow: { paths: ['test/fixtures', '**/*.snap', 'docs/*.md'] } }, FILE, picomatch).allow;
    expect(allow).toBeDefined();
    expect(allow?.path('test/fixtures/a.js')).toBe(true);
    expect(allow?.path('test/fixtures/deep/b.env', 'openai-api-key')).toBe(true);
    expect(allow?.path('test/fixtures')).toBe(true);
    expect(allow?.path('test/fixtures-old/a.js')).toBe(false);
    expect(allow?.path('src/fixtures/a.js')).toBe(false);
    expect(allow?.path('a/b/c.snap')).toBe(true);
    expect(allow?.path('docs/a.md')).toBe(true);
    expect(allow?.path('docs/sub/a.md')).toBe(false);
    expect(allow?.path('src/app.js')).toBe(false);
  });

  it('global path globs suppress findings in a scan', async () => {
    const picomatch = await loadGlobEngine();
    const r = resolveConfig({ allow: { paths: ['test/fixtures/**'] } }, FILE, picomatch);
    const text = `k = "${genKey()}"`;
    expect(scan(r, text, 'test/fixtures/a.js')).toEqual([]);
    expect(scan(r, text, 'src/a.js')).toHaveLength(1);
  });

  it('per-rule paths apply only to that rule', async () => {
    const picomatch = await loadGlobEngine();
    const r = resolveConfig({ customRules: [acme()], rules: { 'openai-api-key': { allow: { paths: ['test/fixtures/**'] } } } }, FILE, picomatch);
    const allow = r.allow;
    expect(allow?.hasGlobalPaths).toBe(false);
    expect(allow?.path('test/fixtures/a.js', 'openai-api-key')).toBe(true);
    expect(allow?.path('test/fixtures/a.js', 'acme-key')).toBe(false);
    expect(allow?.path('test/fixtures/a.js')).toBe(false);
    expect(allow?.path('src/a.js', 'openai-api-key')).toBe(false);
    // The rule's severity is untouched by an object setting with only an allowlist.
    expect(r.rules[0]).toBe(builtinRules[0]);

    const text = `a = "${genKey()}"\nb = "${expand('ACME_{alnum:32}').text}"`;
    expect(scan(r, text, 'test/fixtures/a.js').map((f) => f.ruleId)).toEqual(['acme-key']);
    expect(scan(r, text, 'src/a.js').map((f) => f.ruleId)).toEqual(['openai-api-key', 'acme-key']);
  });

  it('value regexes are tested against the secret', () => {
    const r = resolveConfig({ customRules: [acme()], allow: { values: ['^ACME_TEST', /DUMMY$/gi] } }, FILE);
    const allow = r.allow;
    expect(allow?.hasGlobalPaths).toBe(false);
    expect(allow?.value('ACME_TEST0123', 'acme-key')).toBe(true);
    expect(allow?.value('ACME_TEST0123', 'openai-api-key')).toBe(true);
    expect(allow?.value('xACME_TEST0123', 'acme-key')).toBe(false);
    // String regexes are case-sensitive; a RegExp keeps its own flags (but not g: no lastIndex carries over).
    expect(allow?.value('acme_test0123', 'acme-key')).toBe(false);
    expect(allow?.value('ACME_abcdummy', 'acme-key')).toBe(true);
    expect(allow?.value('ACME_abcdummy', 'acme-key')).toBe(true);
    expect(allow?.value('ACME_abcdummyx', 'acme-key')).toBe(false);

    const real = expand('ACME_{alnum:32}').text;
    const test = expand('ACME_TEST{alnum:28}').text;
    expect(scan(r, `a = "${test}"\nb = "${real}" // ACME_TEST`).map((f) => f.line)).toEqual([2]);
  });

  it('stopwords match the secret case-insensitively, never the rest of the line', () => {
    const r = resolveConfig({ customRules: [acme()], allow: { stopwords: ['Dummy'] } }, FILE);
    expect(r.allow?.value('ACME_xxDUMMYxx', 'acme-key')).toBe(true);
    expect(r.allow?.value('ACME_xxdummyxx', 'openai-api-key')).toBe(true);
    expect(r.allow?.value('ACME_xxDumyxx', 'acme-key')).toBe(false);

    const placeholder = expand('ACME_dUmMy{alnum:27}').text;
    const real = expand('ACME_{alnum:32}').text;
    const findings = scan(r, `a = "${placeholder}"\nb = "${real}" // dummy value\nc = "${genKey()}" // DUMMY`);
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['openai-api-key', 3],
      ['acme-key', 2],
    ]);
  });

  it('per-rule values and stopwords apply only to that rule', () => {
    const r = resolveConfig({ customRules: [acme()], rules: { 'acme-key': { allow: { values: ['^ACME_TEST'], stopwords: ['sample'] } } } }, FILE);
    expect(r.allow?.value('ACME_TEST123', 'acme-key')).toBe(true);
    expect(r.allow?.value('ACME_TEST123', 'openai-api-key')).toBe(false);
    expect(r.allow?.value('xxSAMPLExx', 'acme-key')).toBe(true);
    expect(r.allow?.value('xxSAMPLExx', 'openai-api-key')).toBe(false);
  });

  it('no allowlist at all unless the config has one', () => {
    expect(resolveConfig({ rules: { 'openai-api-key': 'warning' } }, FILE).allow).toBeUndefined();
    expect(resolveConfig({ rules: { 'openai-api-key': { severity: 'warning' } } }, FILE).allow).toBeUndefined();
    expect(resolveConfig({ allow: {} }, FILE).allow).toBeDefined();
  });
});
