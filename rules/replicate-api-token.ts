import { defineRule } from '../src/engine/rule.js';

/**
 * Replicate API tokens: "40-character strings that always start with r8_"
 * (https://replicate.com/docs/topics/security/api-tokens): `r8_` and 37 characters
 * (../shared/research/key-formats.md §4; trufflehog `replicate` allows `[0-9A-Za-z_-]`, betterleaks
 * alphanumerics only; the wider class is kept). GitHub partner pattern `replicate_api_token`.
 * `r8_` is short, so the left boundary matters (`ver8_…`, `var8_…`). Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'replicate-api-token',
  title: 'Replicate API token',
  severity: 'error',
  keywords: ['r8_'],
  keywordWindow: { before: 8, after: 40 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))r8_[A-Za-z0-9_-]{37}(?![A-Za-z0-9_-])/g,
  // 37 random alphanumerics carry about 4.7 bits each (under 3.9 in none of 300,000 draws).
  minEntropy: 3.2,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|replicate|REPLICATE)[_-]?)?(?:key|KEY|Key|token|TOKEN|Token)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^r8_/,
  revokeUrl: 'https://replicate.com/account/api-tokens',
  why: 'Anyone who can read this repository, now or in its history, can run models on your Replicate account with this token, billed to you, and read your predictions and private models.',
  fix: [
    'Take the token out of the file and read it from the environment (process.env.REPLICATE_API_TOKEN, which the Replicate clients read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the token was ever committed, pushed or shared, disable it now at https://replicate.com/account/api-tokens. Rotation is mandatory once it was pushed: rewriting history does not un-leak it (https://replicate.com/docs/topics/security/api-tokens).',
    'Create a replacement token, deploy it, and confirm the old one now fails with 401.',
    'Check your recent predictions and billing on https://replicate.com for runs you did not start.',
  ],
  examples: {
    positive: [
      { text: 'REPLICATE_API_TOKEN=⟪r8_{alnum:37}⟫', note: 'dotenv line' },
      { text: 'const replicate = new Replicate({ auth: "⟪r8_{alnum:37}⟫" });', note: 'quoted in JavaScript' },
      { text: '{"replicate_token": "⟪r8_{alnum:37}⟫"}', note: 'JSON config' },
      { text: 'curl -H "Authorization: Bearer ⟪r8_{alnum:37}⟫" https://api.replicate.com/v1/account', note: 'bearer header' },
    ],
    negative: [
      { text: 'REPLICATE_API_TOKEN=r8_...', reason: 'the documentation form' },
      { text: 'REPLICATE_API_TOKEN=r8_{x*37}', reason: 'placeholder of x: too little entropy to be a token' },
      { text: 'REPLICATE_API_TOKEN=r8_YOUR_API_TOKEN', reason: 'placeholder' },
      { text: 'token = "r8_{alnum:30}"', reason: 'truncated: too short to be a token' },
      { text: 'token = "r8_{alnum:45}"', reason: 'too long: part of a longer token' },
      { text: 'token = "R8_{alnum:37}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'const ver8_{lower:37} = 1;', reason: 'an identifier ending in r8_: glued to a word character' },
    ],
  },
});
