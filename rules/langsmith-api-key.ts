import { defineRule } from '../src/engine/rule.js';

/**
 * LangSmith (LangChain) API keys: `lsv2_pt_` (personal access token) or `lsv2_sk_` (service key),
 * 32 hex digits, `_`, 10 hex digits; 51 in all (../shared/research/key-formats.md §4; trufflehog
 * `langsmith`, betterleaks separate `lsv2_pt_`/`lsv2_sk_` rules; GitHub user-alert patterns
 * `langchain_api_personal_key`, `langchain_api_server_key`). Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'langsmith-api-key',
  title: 'LangSmith API key (personal access token or service key)',
  severity: 'error',
  keywords: ['lsv2_pt_', 'lsv2_sk_'],
  keywordWindow: { before: 8, after: 48 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}(?![A-Za-z0-9_-])/g,
  // 42 random hex digits carry about 3.8 bits each (under 3.1 in none of 2 million draws).
  minEntropy: 2.8,
  // Hex keys: eight equal digits, or eight in sequence, are below one in a million for random keys.
  placeholder: /(.)\1{7}|01234567|12345678|23456789|3456789a|456789ab|56789abc|6789abcd|789abcde|89abcdef|9abcdef0|abcdef01|bcdef012|cdef0123|def01234|ef012345|f0123456|deadbeef/,
  previewPrefix: /^lsv2_(?:pt|sk)_/,
  revokeUrl: 'https://smith.langchain.com/settings',
  why: 'Anyone who can read this repository, now or in its history, can read the traces this key can reach (your prompts, model outputs and datasets) and write to your LangSmith workspaces; a service key may reach the whole organization.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.LANGSMITH_API_KEY, or LANGCHAIN_API_KEY in older setups), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now in the API Keys section of https://smith.langchain.com/settings (EU: https://eu.smith.langchain.com/settings; https://docs.langchain.com/langsmith/create-account-api-key). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key with an expiry (a service key scoped to the workspaces it needs), deploy it, and confirm the old one now fails with 401.',
    'Check your projects and datasets in LangSmith (https://smith.langchain.com) for runs, exports or changes you did not make.',
  ],
  examples: {
    positive: [
      { text: 'LANGSMITH_API_KEY=⟪lsv2_pt_{hex:32}_{hex:10}⟫', note: 'personal access token in a dotenv file' },
      { text: 'LANGCHAIN_API_KEY="⟪lsv2_sk_{hex:32}_{hex:10}⟫"', note: 'service key, older variable name' },
      { text: 'const client = new Client({ apiKey: "⟪lsv2_pt_{hex:32}_{hex:10}⟫" });', note: 'quoted in JavaScript' },
      { text: '{"env": {"LANGSMITH_API_KEY": "⟪lsv2_sk_{hex:32}_{hex:10}⟫", "LANGSMITH_TRACING": "true"}}', note: 'JSON config' },
      { text: "os.environ['LANGSMITH_API_KEY'] = '⟪lsv2_pt_{hex:32}_{hex:10}⟫'", note: 'Python notebook setup' },
    ],
    negative: [
      { text: 'LANGSMITH_API_KEY=lsv2_pt_...', reason: 'the documentation form' },
      { text: 'LANGSMITH_API_KEY=lsv2_pt_{0*32}_{0*10}', reason: 'placeholder of zeros' },
      { text: 'LANGSMITH_API_KEY=<your-api-key>', reason: 'placeholder without the prefix' },
      { text: 'key = "lsv2_pt_{hex:32}"', reason: 'truncated: the _ and last 10 digits are missing' },
      { text: 'key = "lsv2_sk_{hex:32}_{hex:12}"', reason: 'too long: part of a longer token' },
      { text: 'key = "lsv2_xx_{hex:32}_{hex:10}"', reason: 'unknown key kind: only pt and sk exist' },
      { text: 'key = "LSV2_PT_{hex:32}_{hex:10}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'key = "lsv2_pt_{upper:32}_{upper:10}"', reason: 'wrong alphabet: the body is lower-case hex' },
    ],
  },
});
