import { defineRule } from '../src/engine/rule.js';

/**
 * OpenRouter API keys: `sk-or-v1-` and 64 lower-case hex digits, 73 in all
 * (../shared/research/key-formats.md §4; trufflehog `openrouter`, betterleaks; GitHub partner pattern
 * `openrouter_api_key`). They start with `sk-` like OpenAI keys but never carry OpenAI's `T3BlbkFJ`
 * marker, so openai-api-key does not report them, and this rule does not report OpenAI keys.
 * Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'openrouter-api-key',
  title: 'OpenRouter API key',
  severity: 'error',
  keywords: ['sk-or-v1-'],
  keywordWindow: { before: 8, after: 70 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))sk-or-v1-[0-9a-f]{64}(?![A-Za-z0-9_-])/g,
  // 64 random hex digits carry about 3.8 bits each (under 3.3 in none of 2 million draws).
  minEntropy: 3,
  // Hex keys: eight equal digits, or eight in sequence, are below one in a million for random keys.
  placeholder: /(.)\1{7}|01234567|12345678|23456789|3456789a|456789ab|56789abc|6789abcd|789abcde|89abcdef|9abcdef0|abcdef01|bcdef012|cdef0123|def01234|ef012345|f0123456|deadbeef/,
  previewPrefix: /^sk-or-v1-/,
  revokeUrl: 'https://openrouter.ai/settings/keys',
  why: 'Anyone who can read this repository, now or in its history, can spend your OpenRouter credits on any model with this key, up to its credit limit.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.OPENROUTER_API_KEY), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now at https://openrouter.ai/settings/keys. Rotation is mandatory once it was pushed: rewriting history does not un-leak it (https://openrouter.ai/docs/api-keys).',
    'Create a replacement key with a credit limit, deploy it, and confirm the old one now fails with 401.',
    'Check https://openrouter.ai/activity for requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'OPENROUTER_API_KEY=⟪sk-or-v1-{hex:64}⟫', note: 'dotenv line' },
      { text: 'const client = new OpenAI({ baseURL: "https://openrouter.ai/api/v1", apiKey: "⟪sk-or-v1-{hex:64}⟫" });', note: 'OpenAI SDK pointed at OpenRouter' },
      { text: '{"openrouter": {"key": "⟪sk-or-v1-{hex:64}⟫"}}', note: 'JSON config' },
      { text: "headers = {'Authorization': f'Bearer ⟪sk-or-v1-{hex:64}⟫'}", note: 'Python f-string header' },
    ],
    negative: [
      { text: 'OPENROUTER_API_KEY=sk-or-v1-...', reason: 'the documentation form' },
      { text: 'OPENROUTER_API_KEY=sk-or-v1-{0*64}', reason: 'placeholder of zeros' },
      { text: 'OPENROUTER_API_KEY=sk-or-v1-{=01234567}{=89abcdef}{=01234567}{=89abcdef}{=01234567}{=89abcdef}{=01234567}{=89abcdef}', reason: 'sequential placeholder' },
      { text: 'OPENROUTER_API_KEY=sk-or-v1-{x*64}', reason: 'placeholder of x: not hex' },
      { text: 'key = "sk-or-v1-{hex:48}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "sk-or-v1-{hex:64}{hex:2}"', reason: 'too long: part of a longer token' },
      { text: 'key = "sk-or-v1-{upper:64}"', reason: 'wrong alphabet: OpenRouter keys are lower-case hex' },
      { text: 'key = "sk-or-v2-{hex:64}"', reason: 'an unknown version of the prefix' },
      { text: 'key = "sk-{alnum:20}T3BlbkFJ{alnum:20}"', reason: 'an OpenAI key: reported by openai-api-key, not this rule' },
    ],
  },
});
