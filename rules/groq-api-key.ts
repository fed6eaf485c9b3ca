import { defineRule } from '../src/engine/rule.js';

/**
 * Groq API keys: `gsk_` and 52 alphanumerics, 56 in all (../shared/research/key-formats.md §4;
 * trufflehog `groq`, secretlint `groq`, betterleaks; GitHub partner pattern `groq_api_key`).
 * Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'groq-api-key',
  title: 'Groq API key',
  severity: 'error',
  keywords: ['gsk_'],
  keywordWindow: { before: 8, after: 56 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^gsk_/,
  revokeUrl: 'https://console.groq.com/keys',
  why: 'Anyone who can read this repository, now or in its history, can run models on your Groq account with this key, using your rate limits and, on a paid plan, your money.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.GROQ_API_KEY, which the Groq SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now at https://console.groq.com/keys. Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key, deploy it, and confirm the old one now fails with 401 invalid_api_key.',
    'Check usage and billing in the Groq console (https://console.groq.com) for requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'GROQ_API_KEY=⟪gsk_{alnum:52}⟫', note: 'dotenv line' },
      { text: 'const groq = new Groq({ apiKey: "⟪gsk_{alnum:52}⟫" });', note: 'quoted in JavaScript' },
      { text: '{"providers": {"groq": {"apiKey": "⟪gsk_{alnum:52}⟫"}}}', note: 'JSON config' },
      { text: 'curl https://api.groq.com/openai/v1/models -H "Authorization: Bearer ⟪gsk_{alnum:52}⟫"', note: 'bearer header' },
    ],
    negative: [
      { text: 'GROQ_API_KEY=gsk_...', reason: 'the documentation form' },
      { text: 'GROQ_API_KEY=gsk_{x*52}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'GROQ_API_KEY=gsk_your_api_key_here', reason: 'placeholder' },
      { text: 'key = "gsk_{alnum:40}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "gsk_{alnum:60}"', reason: 'too long: part of a longer token' },
      { text: 'key = "GSK_{alnum:52}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "mgsk_{alnum:52}"', reason: 'glued to a word character: inside a longer token' },
      { text: 'key = "gsk-{alnum:52}"', reason: 'wrong separator: Groq keys use gsk_' },
    ],
  },
});
