import { defineRule } from '../src/engine/rule.js';

/**
 * Together AI API keys (current format): `tgp_v1_` and 43 base64url characters, 50 in all
 * (../shared/research/key-formats.md §4; betterleaks `togetherai`; the 43-character body was measured
 * on public samples). Older Together keys were unprefixed hex and are left out: without context they
 * look like any hash. Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'together-api-key',
  title: 'Together AI API key',
  severity: 'error',
  keywords: ['tgp_v1_'],
  keywordWindow: { before: 8, after: 48 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))tgp_v1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|together|TOGETHER)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^tgp_v1_/,
  revokeUrl: 'https://api.together.ai/settings/api-keys',
  why: 'Anyone who can read this repository, now or in its history, can run inference, fine-tuning and dedicated endpoints on your Together AI account with this key, billed to you.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.TOGETHER_API_KEY, which the Together SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, revoke it now at https://api.together.ai/settings/api-keys; the account\'s default key cannot be deleted, only regenerated (https://docs.together.ai/docs/multiple-api-keys). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key, deploy it, and confirm the old one now fails with 401.',
    'Check usage and billing in the Together dashboard (https://api.together.ai) for jobs and requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'TOGETHER_API_KEY=⟪tgp_v1_{b64url:43}⟫', note: 'dotenv line' },
      { text: 'const together = new Together({ apiKey: "⟪tgp_v1_{b64url:43}⟫" });', note: 'quoted in JavaScript' },
      { text: '{"together": {"api_key": "⟪tgp_v1_{b64url:43}⟫"}}', note: 'JSON config' },
      { text: 'client = Together(api_key=\'⟪tgp_v1_{b64url:43}⟫\')', note: 'Python client' },
    ],
    negative: [
      { text: 'TOGETHER_API_KEY=tgp_v1_...', reason: 'the documentation form' },
      { text: 'TOGETHER_API_KEY=tgp_v1_{x*43}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'TOGETHER_API_KEY=your-together-api-key', reason: 'placeholder without the prefix' },
      { text: 'key = "tgp_v1_{b64url:30}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "tgp_v1_{b64url:43}{alnum:5}"', reason: 'too long: part of a longer token' },
      { text: 'key = "TGP_V1_{b64url:43}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "tgp_v2_{b64url:43}"', reason: 'an unknown version of the prefix' },
    ],
  },
});
