import { defineRule } from '../src/engine/rule.js';

/**
 * Perplexity API keys: `pplx-` and 48 alphanumerics, 53 in all (../shared/research/key-formats.md §4;
 * gitleaks `perplexity-api-key`; GitHub user-alert pattern `perplexity_api_key`). Perplexity's own
 * docs print a 16-character sample after `pplx-`, which is too short to be a key. Boundaries as in
 * anthropic-api-key.
 */
export default defineRule({
  id: 'perplexity-api-key',
  title: 'Perplexity API key',
  severity: 'error',
  keywords: ['pplx-'],
  keywordWindow: { before: 8, after: 52 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^pplx-/,
  revokeUrl: 'https://console.perplexity.ai',
  why: 'Anyone who can read this repository, now or in its history, can run Perplexity searches and models on your prepaid API credits with this key.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.PERPLEXITY_API_KEY, which the Perplexity SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, revoke it now in the API Keys tab at https://console.perplexity.ai (or with POST /revoke_auth_token, https://docs.perplexity.ai/guides/api-key-management). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key, deploy it, and confirm the old one now fails with 401.',
    'Check usage and the credit balance on the billing page of https://console.perplexity.ai for requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'PERPLEXITY_API_KEY=⟪pplx-{alnum:48}⟫', note: 'dotenv line' },
      { text: 'const client = new OpenAI({ apiKey: "⟪pplx-{alnum:48}⟫", baseURL: "https://api.perplexity.ai" });', note: 'quoted in JavaScript' },
      { text: '{"perplexity": {"api_key": "⟪pplx-{alnum:48}⟫"}}', note: 'JSON config' },
      { text: 'curl https://api.perplexity.ai/chat/completions -H "Authorization: Bearer ⟪pplx-{alnum:48}⟫"', note: 'bearer header' },
    ],
    negative: [
      { text: 'PERPLEXITY_API_KEY=pplx-...', reason: 'the documentation form' },
      { text: '{"auth_token": "pplx-{=1234567890abcdef}"}', reason: 'the short sample in Perplexity\'s API reference' },
      { text: 'PERPLEXITY_API_KEY=pplx-{x*48}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'PERPLEXITY_API_KEY=pplx-your-api-key-here', reason: 'placeholder' },
      { text: 'key = "pplx-{alnum:40}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "pplx-{alnum:56}"', reason: 'too long: part of a longer token' },
      { text: 'key = "PPLX-{alnum:48}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "xpplx-{alnum:48}"', reason: 'glued to a word character: inside a longer token' },
    ],
  },
});
