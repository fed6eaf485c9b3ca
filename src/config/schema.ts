/**
 * The configuration file's JSON Schema: the one source for validation (src/config/validate.ts),
 * editor completion (`npm run docs` writes it to schema/config.schema.json) and the README's
 * configuration reference. Draft-07, the draft editors complete best.
 *
 * The validator implements the keywords used here and nothing more; a test runs ajv on the same
 * schema and fails if the two ever disagree about a config.
 */
import { MAX_MAX_FILE_SIZE, SIZE_PATTERN } from '../engine/size.js';

export const SCHEMA_ID = 'https://unpkg.com/keyguard/schema/config.schema.json';

const severity = { enum: ['error', 'warning'], description: 'How serious a finding is: `error` fails the commit or build; `warning` only with failOn `warning`.' };
const ruleId = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' };
const regex = { type: 'string', format: 'regex', minLength: 1 };

const allowlist = {
  type: 'object',
  additionalProperties: false,
  properties: {
    paths: {
      type: 'array',
      // A leading `!` would make picomatch match every file but the one named.
      items: { type: 'string', minLength: 1, pattern: '^[^!]' },
      description:
        'Globs, relative to the repository top level, whose files are not reported (`test/fixtures/**`, `*.snap`). `*` stays within a directory, `**` crosses directories; a pattern without `/` matches a file name at any depth; a directory covers everything in it.',
    },
    values: {
      type: 'array',
      items: regex,
      description: 'Regular expressions tested against the secret itself (not the line); a match is not reported. In a JavaScript config a RegExp works too.',
    },
    stopwords: {
      type: 'array',
      items: { type: 'string', minLength: 4 },
      description: 'Words of 4 or more characters that mark a secret as a placeholder: a secret containing one (case-insensitive) is not reported. Shorter ones would occur by chance in real keys.',
    },
  },
};

const ruleSetting = {
  anyOf: [
    { enum: ['off', 'error', 'warning'] },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        severity: { enum: ['off', 'error', 'warning'], description: '`off` disables the rule.' },
        allow: { ...allowlist, description: 'Allowlist for this rule only.' },
      },
    },
  ],
};

const example = { type: 'string', minLength: 1 };

const customRule = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'keywords', 'pattern', 'examples'],
  properties: {
    id: { ...ruleId, description: 'kebab-case, different from every built-in rule id.' },
    title: { type: 'string', minLength: 1, description: 'What the rule finds, e.g. "Acme API key".' },
    severity: { ...severity, default: 'error' },
    keywords: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'Case-sensitive literals; the pattern runs only on text holding one of them, which keeps scans fast.',
    },
    pattern: {
      ...regex,
      description: 'The regular expression (JavaScript syntax) that matches the secret; keyguard adds the `g` flag. In a JavaScript config a RegExp works too.',
    },
    flags: { type: 'string', pattern: '^[imsu]*$', description: 'Flags for a string pattern: any of `i`, `m`, `s`, `u`.' },
    secretGroup: { type: 'integer', minimum: 0, description: 'The capture group that holds the secret; 0 (the whole match) by default.' },
    minEntropy: { type: 'number', minimum: 0, maximum: 8, description: 'Matches with fewer bits of Shannon entropy per character are placeholders and not reported.' },
    why: { type: 'string', description: 'Why a finding matters, shown with each finding.' },
    fix: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Ordered steps to fix a finding, each with its official link.' },
    revokeUrl: { type: 'string', pattern: '^https?://', description: 'The page where a leaked secret of this kind is revoked.' },
    examples: {
      type: 'object',
      additionalProperties: false,
      required: ['positive', 'negative'],
      description:
        'The rule\'s own test cases, checked every time the config loads: a positive example must be found, a negative one must not. Templates keep key-shaped text out of the config: `{alnum:32}`, `{hex:40}`, `{b64url:20}`, `{lower:8}`, `{upper:8}`, `{digit:4}` expand to random characters; `⟪…⟫` marks the exact secret a positive must report.',
      properties: {
        positive: { type: 'array', minItems: 1, items: example, description: 'Texts holding a secret the rule must report (at least one).' },
        negative: {
          type: 'array',
          minItems: 1,
          description: 'Near misses the rule must not report (at least one), each with why.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['text', 'reason'],
            properties: {
              text: { ...example, description: 'The text, a template like the positives.' },
              reason: { type: 'string', minLength: 1, description: 'Why it is not a secret, e.g. "a placeholder".' },
            },
          },
        },
      },
    },
  },
};

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCHEMA_ID,
  title: 'keyguard configuration',
  description: 'keyguard.config.{js,mjs,cjs,ts}, .keyguardrc(.json|.yaml|.yml), or the "keyguard" key of package.json.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'The schema this file follows, for editor completion.' },
    failOn: {
      enum: ['error', 'warning', 'never'],
      default: 'error',
      description: 'The lowest severity that makes the exit code 1. `--fail-on` overrides it.',
    },
    rules: {
      type: 'object',
      propertyNames: ruleId,
      additionalProperties: ruleSetting,
      description: 'Per rule id: `off`, a severity, or `{ severity, allow }`. Ids must name a built-in or custom rule.',
    },
    customRules: {
      type: 'array',
      items: customRule,
      description: 'Rules of your own, in the built-in rules\' shape, each with examples that must pass. Required in each: `id`, `title`, `keywords`, `pattern`, `examples`.',
    },
    allow: { ...allowlist, description: 'Allowlist for every rule.' },
    inlineAllow: {
      type: 'boolean',
      default: true,
      description: '`false` ignores `keyguard:allow` comments, so only the config and the baseline can suppress a finding.',
    },
    maxFileSize: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: MAX_MAX_FILE_SIZE },
        { type: 'string', pattern: SIZE_PATTERN },
      ],
      default: '50MB',
      description:
        'Files larger than this are not read: they are skipped as `too-large`, named in the summary and counted in JSON stats. Bytes, or a size with a K, M or G suffix in powers of 1024 (`50MB`, `512K`); at most 256MB. `--max-file-size` overrides it.',
    },
    baseline: {
      type: 'string',
      minLength: 1,
      default: '.keyguard-baseline.json',
      description: 'The baseline file, relative to the repository top level. `--baseline` overrides it.',
    },
    doctor: {
      type: 'object',
      additionalProperties: false,
      description: 'Settings for `keyguard doctor`.',
      properties: {
        envVars: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          description: 'More environment variables doctor checks for presence (never printing them), besides OPENAI_API_KEY.',
        },
      },
    },
  },
} as const;

/** The configuration as written by a user (after validation). */
export interface KeyguardConfig {
  $schema?: string;
  failOn?: 'error' | 'warning' | 'never';
  rules?: Record<string, RuleSetting>;
  customRules?: CustomRuleConfig[];
  allow?: AllowlistConfig;
  inlineAllow?: boolean;
  maxFileSize?: number | string;
  baseline?: string;
  doctor?: { envVars?: string[] };
}

export type RuleSetting = 'off' | 'error' | 'warning' | { severity?: 'off' | 'error' | 'warning'; allow?: AllowlistConfig };

export interface AllowlistConfig {
  paths?: string[];
  values?: (string | RegExp)[];
  stopwords?: string[];
}

export interface CustomRuleConfig {
  id: string;
  title: string;
  severity?: 'error' | 'warning';
  keywords: string[];
  pattern: string | RegExp;
  flags?: string;
  secretGroup?: number;
  minEntropy?: number;
  why?: string;
  fix?: string[];
  revokeUrl?: string;
  examples: { positive: string[]; negative: { text: string; reason: string }[] };
}
