import { defineRule } from '../src/engine/rule.js';

/**
 * Mistral AI API keys: 32 alphanumerics with no prefix (../shared/research/key-formats.md §4,
 * confidence C; betterleaks and kingfisher `mistral` rules), so a bare 32-character string proves
 * nothing and this rule fires only when the value is assigned to a name that says Mistral:
 * `MISTRAL_API_KEY=…`, `"mistral_api_key": "…"`, `Mistral(api_key="…")`, `new Mistral({ apiKey: '…' })`.
 * The name and the value are at most 30 characters of name, brackets and quotes apart, on one line.
 *
 * The value must hold both letter cases (hashes, UUIDs without dashes and other hex never do; a
 * random key lacks one with odds below one in ten million) and pass the entropy and placeholder
 * checks. Severity warning: the shape is not Mistral's alone.
 *
 * Backtracking: one bounded gap before a fixed operator set, then a fixed-length value.
 */
export default defineRule({
  id: 'mistral-api-key',
  title: 'Mistral AI API key (next to a Mistral name)',
  severity: 'warning',
  keywords: ['MISTRAL', 'mistral', 'Mistral'],
  keywordWindow: { before: 0, after: 90 },
  pattern:
    /(?:MISTRAL|[Mm]istral)[\w.()[\]{}"' -]{0,30}\s{0,3}(?:=>?|:=?|\()\s{0,3}['"\x60]?((?=[A-Za-z0-9]{0,31}[A-Z])(?=[A-Za-z0-9]{0,31}[a-z])[A-Za-z0-9]{32})(?![A-Za-z0-9_-])/g,
  secretGroup: 1,
  minEntropy: 3.5,
  placeholder: /(.)\1{4}|abcdef|ABCDEF|123456|234567|345678|456789|[Yy]our|YOUR|[Ee]xample|EXAMPLE|[Pp]laceholder|PLACEHOLDER|[Rr]edacted|REDACTED|[Mm]istral|MISTRAL/,
  revokeUrl: 'https://console.mistral.ai/api-keys',
  why: 'Anyone who can read this repository, now or in its history, can run Mistral models on your account with this key, at your cost and under your rate limits.',
  fix: [
    'Take the key out of the file and read it from the environment (MISTRAL_API_KEY, which the Mistral SDKs read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If it was ever committed, pushed or shared, delete it now at https://console.mistral.ai/api-keys and create a replacement.',
    'Deploy the new key, and check usage and billing in https://console.mistral.ai for requests you did not make.',
    'If the value is not a Mistral key (a model hash, an id), mark it with a keyguard:allow comment or an allow entry in the config.',
  ],
  examples: {
    positive: [
      { text: 'MISTRAL_API_KEY=⟪{alnum:32}⟫', note: 'dotenv' },
      { text: 'client = Mistral(api_key="⟪{alnum:32}⟫")', note: 'Python client' },
      { text: 'const mistral = new Mistral({ apiKey: \'⟪{alnum:32}⟫\' });', note: 'TypeScript client' },
      { text: '{"mistral_api_key": "⟪{alnum:32}⟫", "model": "mistral-large-latest"}', note: 'JSON config' },
      { text: '  mistral_api_key: ⟪{alnum:32}⟫', note: 'YAML' },
      { text: 'os.environ["MISTRAL_API_KEY"] = "⟪{alnum:32}⟫"', note: 'set in Python code' },
    ],
    negative: [
      { text: 'API_KEY={alnum:32}', reason: 'no Mistral name: a bare 32-character value proves nothing' },
      { text: 'MISTRAL_MODEL=mistral-large-latest\nLOG_LEVEL=debug\nSESSION_SECRET={alnum:32}', reason: 'the value is not assigned to the Mistral name' },
      { text: 'MISTRAL_API_KEY=your-mistral-api-key', reason: 'placeholder' },
      { text: 'MISTRAL_API_KEY=YourMistralApiKeyGoesHere{x*7}', reason: 'placeholder words' },
      { text: 'MISTRAL_API_KEY={X*32}', reason: 'placeholder of X' },
      { text: 'MISTRAL_API_KEY=${MISTRAL_API_KEY}', reason: 'template variable' },
      { text: 'mistral_weights_md5 = "{hex:32}"', reason: 'a hash: hex has one letter case' },
      { text: 'MISTRAL_API_KEY={alnum:40}', reason: 'too long for a Mistral key' },
      { text: 'MISTRAL_API_KEY={alnum:24}', reason: 'too short for a Mistral key' },
    ],
  },
});
