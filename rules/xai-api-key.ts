import { defineRule } from '../src/engine/rule.js';

/**
 * xAI (Grok) API keys: `xai-` and 80 characters, 84 in all (../shared/research/key-formats.md §4;
 * trufflehog and kingfisher `xai` allow `[0-9a-zA-Z_]{80}`; betterleaks a looser 70 to 120). The
 * exact length of trufflehog/kingfisher is kept, with `_` allowed in the body as they do.
 * GitHub partner pattern `xai_api_key`. Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'xai-api-key',
  title: 'xAI (Grok) API key',
  severity: 'error',
  keywords: ['xai-'],
  keywordWindow: { before: 8, after: 84 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))xai-[A-Za-z0-9_]{80}(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|xai|XAI)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^xai-/,
  revokeUrl: 'https://console.x.ai',
  why: 'Anyone who can read this repository, now or in its history, can call Grok models on your xAI team\'s credits with this key.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.XAI_API_KEY), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now in the xAI Console at https://console.x.ai (your team, API Keys). Rotation is mandatory once it was pushed: rewriting history does not un-leak it (https://docs.x.ai/console/faq/security).',
    'Create a replacement key limited to the models and endpoints it needs, deploy it, and confirm the old one now fails with 400 or 401.',
    'Check usage and the audit log in the xAI Console (https://console.x.ai) for requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'XAI_API_KEY=⟪xai-{alnum:80}⟫', note: 'dotenv line' },
      { text: 'const client = new OpenAI({ baseURL: "https://api.x.ai/v1", apiKey: "⟪xai-{alnum:80}⟫" });', note: 'OpenAI SDK pointed at xAI' },
      { text: '{"xai": {"api_key": "⟪xai-{alnum:80}⟫"}}', note: 'JSON config' },
      { text: "client = Client(api_key='⟪xai-{alnum:40}_{alnum:39}⟫')", note: 'an underscore in the body' },
    ],
    negative: [
      { text: 'XAI_API_KEY=xai-...', reason: 'the documentation form' },
      { text: 'XAI_API_KEY=xai-{x*80}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'XAI_API_KEY=xai-your-api-key', reason: 'placeholder' },
      { text: 'key = "xai-{alnum:60}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "xai-{alnum:90}"', reason: 'too long: part of a longer token' },
      { text: 'key = "XAI-{alnum:80}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'id = "grok_xai-{alnum:80}"', reason: 'glued to a word character: inside a longer identifier' },
      { text: 'import { createXai } from "@ai-sdk/xai"; const xai = createXai({ apiKey: process.env.XAI_API_KEY });', reason: 'code that reads the key from the environment' },
    ],
  },
});
