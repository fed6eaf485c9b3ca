import { defineRule } from '../src/engine/rule.js';

/**
 * Anthropic Admin API keys: `sk-ant-admin01-`, 93 base64url characters, `AA`; 110 in all
 * (../shared/research/key-formats.md §4; gitleaks `anthropic-admin-api-key`, trufflehog `anthropic`;
 * GitHub secret scanning partner pattern `anthropic_admin_api_key`). An admin key manages the
 * organization (members, workspaces, API keys), so it is a separate rule with its own revocation page.
 * Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'anthropic-admin-key',
  title: 'Anthropic Admin API key',
  severity: 'error',
  keywords: ['sk-ant-admin01-'],
  keywordWindow: { before: 8, after: 100 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))sk-ant-admin01-[A-Za-z0-9_-]{93}AA(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|admin|ADMIN|Admin)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^sk-ant-admin01-/,
  revokeUrl: 'https://console.anthropic.com/settings/admin-keys',
  why: 'An Admin API key controls your whole Anthropic organization: whoever reads it can list, create and disable API keys, invite or remove members and change workspaces.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.ANTHROPIC_ADMIN_KEY), keeping the value in an ignored .env file or a secret manager; then stage the file again. Admin keys belong in automation that manages the organization, never in application code.',
    'If the key was ever committed, pushed or shared, delete it now at https://console.anthropic.com/settings/admin-keys (organization admins only). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement admin key only if automation needs one, deploy it, and confirm the old one now fails with 401.',
    'An admin key can mint API keys: review https://console.anthropic.com/settings/keys and the organization\'s members for anything you did not create, delete it, and check usage at https://console.anthropic.com/usage.',
  ],
  examples: {
    positive: [
      { text: 'ANTHROPIC_ADMIN_KEY=⟪sk-ant-admin01-{b64url:93}AA⟫', note: 'dotenv line' },
      { text: 'headers: { "x-api-key": "⟪sk-ant-admin01-{b64url:93}AA⟫", "anthropic-version": "2023-06-01" }', note: 'quoted in JavaScript' },
      { text: '{"admin_key": "⟪sk-ant-admin01-{b64url:93}AA⟫"}', note: 'JSON config' },
      { text: 'admin_key: ⟪sk-ant-admin01-{b64url:93}AA⟫ # rotate me', note: 'YAML, followed by a comment' },
    ],
    negative: [
      { text: 'export ANTHROPIC_ADMIN_KEY="sk-ant-admin01-..."', reason: 'the documentation form' },
      { text: 'ANTHROPIC_ADMIN_KEY=sk-ant-admin01-{x*93}AA', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'ANTHROPIC_ADMIN_KEY=<your-admin-key>', reason: 'placeholder without the prefix' },
      { text: 'key = "sk-ant-admin01-{b64url:80}AA"', reason: 'truncated: too short to be a key' },
      { text: 'key = "sk-ant-admin01-{b64url:93}AA{b64url:4}"', reason: 'embedded in a longer token' },
      { text: 'key = "sk-ant-admin02-{b64url:93}AA"', reason: 'an unknown version of the prefix' },
      { text: 'key = "Sk-Ant-Admin01-{b64url:93}AA"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "sk-ant-api03-{b64url:93}AA"', reason: 'an ordinary API key: reported by anthropic-api-key, not this rule' },
    ],
  },
});
