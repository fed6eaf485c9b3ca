import { defineRule } from '../src/engine/rule.js';

/**
 * Anthropic (Claude) API keys: `sk-ant-api03-`, 93 base64url characters, `AA`; 108 in all
 * (../shared/research/key-formats.md §4). Same shape in gitleaks `anthropic-api-key`, trufflehog
 * `anthropic` and secretlint; GitHub secret scanning partner pattern `anthropic_api_key`.
 *
 * Left boundary: not glued to a word character, except the end of an escape (`\n`, `%3D`, `\x22`,
 * `\u0022`), so keys inside JSON-escaped or URL-encoded text are still found. Right boundary: no
 * further key character, so a longer token is not cut down to a key. Fixed length, one class run:
 * nothing to backtrack over.
 */
export default defineRule({
  id: 'anthropic-api-key',
  title: 'Anthropic API key',
  severity: 'error',
  keywords: ['sk-ant-api03-'],
  // 8 characters before the prefix for the boundary look-behind; 95 after it plus one for the look-ahead.
  keywordWindow: { before: 8, after: 100 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))sk-ant-api03-[A-Za-z0-9_-]{93}AA(?![A-Za-z0-9_-])/g,
  // 93 random base64url characters carry about 5.4 bits each; `sk-ant-api03-xxxx…AA` carries almost none.
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^sk-ant-api03-/,
  revokeUrl: 'https://console.anthropic.com/settings/keys',
  why: 'Anyone who can read this repository, now or in its history, can call Claude on your organization\'s bill with this key, up to its workspace\'s limits.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.ANTHROPIC_API_KEY, which the Anthropic SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now at https://console.anthropic.com/settings/keys (the key\'s "…" menu, Delete API key), where it is listed by its name and last characters. Rotation is mandatory once it was pushed: rewriting history does not un-leak it (https://support.claude.com/en/articles/8384961-what-should-i-do-if-i-suspect-my-api-key-has-been-compromised).',
    'Create a replacement key, deploy it, and confirm the old one now fails with 401 authentication_error.',
    'Check usage and cost at https://console.anthropic.com/usage for calls you did not make, and set spend limits for the workspace.',
  ],
  examples: {
    positive: [
      { text: 'ANTHROPIC_API_KEY=⟪sk-ant-api03-{b64url:93}AA⟫', note: 'dotenv line' },
      { text: 'const anthropic = new Anthropic({ apiKey: "⟪sk-ant-api03-{b64url:93}AA⟫" });', note: 'quoted in JavaScript' },
      { text: '{"anthropic": {"api_key": "⟪sk-ant-api03-{b64url:93}AA⟫"}}', note: 'JSON config' },
      { text: "client = anthropic.Anthropic(api_key='⟪sk-ant-api03-{b64url:93}AA⟫')", note: 'Python, followed by a quote and )' },
      { text: 'curl https://api.anthropic.com/v1/messages -H "x-api-key: ⟪sk-ant-api03-{b64url:93}AA⟫"', note: 'curl header' },
      { text: '"source": ["import os\\nos.environ[\\"KEY\\"] = \\"x\\"\\n⟪sk-ant-api03-{b64url:93}AA⟫\\n"]', note: 'notebook cell, right after an escaped \\n' },
      { text: 'https://proxy.example.test/?key%3D⟪sk-ant-api03-{b64url:93}AA⟫&v=1', note: 'URL-encoded, glued to %3D' },
    ],
    negative: [
      { text: 'export ANTHROPIC_API_KEY="sk-ant-api03-..."', reason: 'the documentation form' },
      { text: 'ANTHROPIC_API_KEY=sk-ant-api03-{x*93}AA', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'ANTHROPIC_API_KEY=your-key-here', reason: 'placeholder without the prefix' },
      { text: 'partial_key_hint: "sk-ant-api03-{alnum:3}...{alnum:2}AA"', reason: 'the redacted hint the Console and Admin API show' },
      { text: 'key = "sk-ant-api03-{b64url:60}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "sk-ant-api03-{b64url:93}AA{alnum:6}"', reason: 'embedded in a longer token' },
      { text: 'key = "sk-ant-api03-{b64url:93}{=AB}"', reason: 'does not end in AA' },
      { text: 'key = "SK-ANT-API03-{b64url:93}AA"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "task-ant-api03-{b64url:93}AA"', reason: 'a longer word ending in sk-, not the key prefix' },
      { text: 'admin = "sk-ant-admin01-{b64url:93}AA"', reason: 'an Admin API key: reported by anthropic-admin-key, not this rule' },
    ],
  },
});
