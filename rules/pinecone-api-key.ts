import { defineRule } from '../src/engine/rule.js';

/**
 * Pinecone API keys (current format): `pcsk_`, a 5- or 6-character key id, `_`, 63 alphanumerics;
 * 74 or 75 in all (../shared/research/key-formats.md §4; trufflehog `pinecone`; GitHub user-alert
 * pattern `pinecone_api_key`). Legacy Pinecone keys are bare UUIDs and cannot be told from any other
 * UUID without context, so this rule leaves them out. `{5,6}` is bounded and ends at a literal `_`,
 * so it cannot backtrack. Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'pinecone-api-key',
  title: 'Pinecone API key',
  severity: 'error',
  keywords: ['pcsk_'],
  keywordWindow: { before: 8, after: 75 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{63}(?![A-Za-z0-9_-])/g,
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|pinecone|PINECONE)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^pcsk_/,
  revokeUrl: 'https://app.pinecone.io/organizations/-/projects',
  why: 'Anyone who can read this repository, now or in its history, can read, overwrite and delete the vectors in your Pinecone project with this key (within its permissions), and run up usage on your plan.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.PINECONE_API_KEY, which the Pinecone clients read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete it now: open https://app.pinecone.io/organizations/-/projects, select the project, API keys, and delete the key (https://docs.pinecone.io/guides/projects/manage-api-keys). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key with only the permissions it needs, deploy it, and confirm the old one now fails with 401.',
    'Check the project\'s indexes for deleted or changed records and its usage for requests you did not make.',
  ],
  examples: {
    positive: [
      { text: 'PINECONE_API_KEY=⟪pcsk_{alnum:6}_{alnum:63}⟫', note: 'dotenv line, 6-character key id' },
      { text: 'const pc = new Pinecone({ apiKey: "⟪pcsk_{alnum:5}_{alnum:63}⟫" });', note: 'quoted in JavaScript, 5-character key id' },
      { text: 'pc = Pinecone(api_key="⟪pcsk_{alnum:6}_{alnum:63}⟫")', note: 'Python client' },
      { text: '{"vectorStore": {"pineconeApiKey": "⟪pcsk_{alnum:6}_{alnum:63}⟫"}}', note: 'JSON config' },
    ],
    negative: [
      { text: 'PINECONE_API_KEY=pcsk_...', reason: 'the documentation form' },
      { text: 'PINECONE_API_KEY=pcsk_{x*6}_{x*63}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'PINECONE_API_KEY=YOUR_API_KEY', reason: 'placeholder without the prefix' },
      { text: 'key = "pcsk_{alnum:4}_{alnum:63}"', reason: 'key id too short' },
      { text: 'key = "pcsk_{alnum:6}_{alnum:50}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "pcsk_{alnum:6}_{alnum:70}"', reason: 'too long: part of a longer token' },
      { text: 'key = "PCSK_{alnum:6}_{alnum:63}"', reason: 'wrong case: the prefix is lower-case' },
      { text: 'PINECONE_API_KEY={hex:8}-{hex:4}-{hex:4}-{hex:4}-{hex:12}', reason: 'a bare UUID (the legacy key format): indistinguishable from any other UUID without context' },
    ],
  },
});
