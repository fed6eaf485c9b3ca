import { defineRule } from '../src/engine/rule.js';

/**
 * Hugging Face user access tokens: `hf_` and 34 characters, 37 in all; legacy organization API
 * tokens: `api_org_` and 34 (../shared/research/key-formats.md §4). gitleaks allows letters only
 * after the prefix, trufflehog letters and digits; the wider class is used so no token is missed.
 * GitHub partner patterns `hf_user_access_token` and `hf_org_api_key`. Org API tokens were deprecated
 * in 2023 (gitleaks `huggingface-organization-api-token`) but still turn up in old code and may still
 * be live, so they are reported too.
 *
 * `hf_` also starts identifiers (`hf_hub_download`, `hf_token`): the boundaries, the exact length and
 * the entropy gate keep those out. Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'huggingface-token',
  title: 'Hugging Face access token',
  severity: 'error',
  keywords: ['hf_', 'api_org_'],
  keywordWindow: { before: 8, after: 40 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))(?:hf_|api_org_)[A-Za-z0-9]{34}(?![A-Za-z0-9_-])/g,
  // 34 random letters carry about 4.5 bits each (under 3.7 in none of 2 million draws).
  minEntropy: 3.2,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|hf|HF|access|ACCESS|Access)[_-]?)?(?:key|KEY|Key|token|TOKEN|Token)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^(?:hf_|api_org_)/,
  revokeUrl: 'https://huggingface.co/settings/tokens',
  why: 'Anyone who can read this repository, now or in its history, can act as you on Hugging Face with this token: download your private models and datasets and, with a write token, push to your repositories and Spaces or spend on Inference.',
  fix: [
    'Take the token out of the file and read it from the environment (process.env.HF_TOKEN, which huggingface_hub and transformers read by default), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the token was ever committed, pushed or shared, invalidate or delete it now at https://huggingface.co/settings/tokens (a legacy api_org_ token: in the organization\'s settings). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement fine-grained token with only the scopes it needs, deploy it, and confirm the old one now fails with 401 at https://huggingface.co/api/whoami-v2.',
    'Check your models, datasets and Spaces for commits you did not make, and Inference usage at https://huggingface.co/settings/billing.',
  ],
  examples: {
    positive: [
      { text: 'HF_TOKEN=⟪hf_{alnum:34}⟫', note: 'dotenv line' },
      { text: 'login(token="⟪hf_{alnum:34}⟫")', note: 'Python huggingface_hub login' },
      { text: 'model = AutoModel.from_pretrained("org/private", token=\'⟪hf_{upper:10}{lower:24}⟫\')', note: 'letters only, as tokens are issued' },
      { text: '{"hf_token": "⟪hf_{alnum:34}⟫"}', note: 'JSON config; the key name itself is not a token' },
      { text: '"source": ["    hf_token = \\"⟪hf_{alnum:34}⟫\\"\\n",', note: 'JSON-escaped notebook cell' },
      { text: 'HUGGINGFACEHUB_API_TOKEN=⟪api_org_{alnum:34}⟫', note: 'legacy organization API token' },
    ],
    negative: [
      { text: 'HF_TOKEN=hf_...', reason: 'the documentation form' },
      { text: 'HF_TOKEN=hf_{x*34}', reason: 'placeholder of x: too little entropy to be a token' },
      { text: 'HF_TOKEN=hf_YOUR_TOKEN_HERE_xxxxxxxxxxxxxxxxx', reason: 'placeholder' },
      { text: 'from huggingface_hub import hf_hub_download; path = hf_hub_download(repo_id="org/model", filename="config.json")', reason: 'identifiers that start with hf_' },
      { text: 'token = "hf_{alnum:30}"', reason: 'truncated: too short to be a token' },
      { text: 'token = "hf_{alnum:40}"', reason: 'too long: part of a longer token' },
      { text: 'token = "my_hf_{alnum:34}"', reason: 'glued to a word character: inside a longer identifier' },
      { text: 'token = "HF_{alnum:34}"', reason: 'wrong case: the prefix is lower-case' },
    ],
  },
});
