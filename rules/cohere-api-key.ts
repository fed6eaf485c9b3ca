import { defineRule } from '../src/engine/rule.js';

/**
 * Cohere API keys: 40 alphanumerics with no prefix (../shared/research/key-formats.md §4,
 * confidence C; gitleaks `cohere-api-token` requires `cohere` or `CO_API_KEY` before the value), so
 * this rule fires only when the value is assigned to a name that says Cohere: `COHERE_API_KEY=…`,
 * `CO_API_KEY=…`, `cohere.ClientV2(api_key="…")`, `cohere.Client("…")`, `new CohereClient({ token: '…' })`.
 * Name and value are at most 30 characters apart, on one line; the value must hold both letter
 * cases, which rules out git SHAs (40 hex) next to the name. Severity warning, as for
 * mistral-api-key.
 */
export default defineRule({
  id: 'cohere-api-key',
  title: 'Cohere API key (next to a Cohere name)',
  severity: 'warning',
  keywords: ['cohere', 'Cohere', 'COHERE', 'CO_API_KEY'],
  keywordWindow: { before: 0, after: 100 },
  pattern:
    /(?:COHERE|[Cc]ohere|CO_API_KEY)[\w.()[\]{}"' -]{0,30}\s{0,3}(?:=>?|:=?|\()\s{0,3}['"\x60]?((?=[A-Za-z0-9]{0,39}[A-Z])(?=[A-Za-z0-9]{0,39}[a-z])[A-Za-z0-9]{40})(?![A-Za-z0-9_-])/g,
  secretGroup: 1,
  minEntropy: 3.5,
  placeholder: /(.)\1{4}|abcdef|ABCDEF|123456|234567|345678|456789|[Yy]our|YOUR|[Ee]xample|EXAMPLE|[Pp]laceholder|PLACEHOLDER|[Rr]edacted|REDACTED|[Cc]ohere|COHERE/,
  revokeUrl: 'https://dashboard.cohere.com/api-keys',
  why: 'Anyone who can read this repository, now or in its history, can call Cohere\'s models on your account with this key, using your trial quota or your money.',
  fix: [
    'Take the key out of the file and read it from the environment (CO_API_KEY, which the Cohere SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If it was ever committed, pushed or shared, delete it now at https://dashboard.cohere.com/api-keys and create a replacement.',
    'Deploy the new key, and check usage and billing in https://dashboard.cohere.com for requests you did not make.',
    'If the value is not a Cohere key, mark it with a keyguard:allow comment or an allow entry in the config.',
  ],
  examples: {
    positive: [
      { text: 'COHERE_API_KEY=⟪{alnum:40}⟫', note: 'dotenv' },
      { text: 'export CO_API_KEY="⟪{alnum:40}⟫"', note: 'the SDKs\' default variable' },
      { text: 'co = cohere.ClientV2(api_key="⟪{alnum:40}⟫")', note: 'Python client' },
      { text: 'co = cohere.Client("⟪{alnum:40}⟫")', note: 'positional argument' },
      { text: 'const cohere = new CohereClient({ token: \'⟪{alnum:40}⟫\' });', note: 'TypeScript client' },
      { text: '{"cohere": "⟪{alnum:40}⟫"}', note: 'JSON map of provider keys' },
    ],
    negative: [
      { text: 'API_KEY={alnum:40}', reason: 'no Cohere name: a bare 40-character value proves nothing' },
      { text: 'cohere_commit = "{hex:40}"', reason: 'a git SHA: hex has one letter case' },
      { text: 'COHERE_API_KEY=<your-cohere-api-key>', reason: 'placeholder' },
      { text: 'CO_API_KEY={x*40}', reason: 'placeholder of x' },
      { text: 'COHERE_API_KEY=${COHERE_API_KEY}', reason: 'template variable' },
      { text: 'COHERE_MODEL=command-r-plus\nOTHER_TOKEN={alnum:40}', reason: 'the value is not assigned to the Cohere name' },
      { text: 'COHERE_API_KEY={alnum:32}', reason: 'too short for a Cohere key' },
      { text: 'COHERE_API_KEY={alnum:48}', reason: 'too long for a Cohere key' },
    ],
  },
});
