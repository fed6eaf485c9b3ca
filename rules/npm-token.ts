import { defineRule } from '../src/engine/rule.js';

/**
 * npm access tokens: `npm_` and 36 base62 (30 random + checksum), classic and granular alike
 * (gitleaks `npm-access-token`). Tokens from before 2021 were bare UUIDs and are not covered:
 * without a prefix they cannot be told from any other UUID. Boundaries as in groq-api-key, so
 * `npm_config_cache` and `pnpm_…` never match.
 *
 * revokeUrl: npm's token page lives at /settings/<your username>/tokens; `~` stands for the
 * username here and the fix says so (npmjs.com also reaches it from the avatar menu → Access Tokens).
 */
export default defineRule({
  id: 'npm-token',
  title: 'npm access token',
  severity: 'error',
  keywords: ['npm_'],
  keywordWindow: { before: 8, after: 48 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_-])/g,
  minEntropy: 3,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)(?:token|TOKEN|Token)|example|EXAMPLE|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^npm_/,
  revokeUrl: 'https://www.npmjs.com/settings/~/tokens',
  why: 'An npm token publishes as you: anyone who can read this repository, now or in its history, can push a malicious version of every package you maintain, the usual start of a supply-chain attack.',
  fix: [
    'Take the token out of the file: in .npmrc write `//registry.npmjs.org/:_authToken=${NPM_TOKEN}` and set NPM_TOKEN in the environment or CI secrets (better: publish from CI with trusted publishing, https://docs.npmjs.com/trusted-publishers); then stage the file again.',
    'If it was ever committed, pushed or shared, revoke it now: `npm token revoke <token>` accepts the full token, or delete it on your tokens page, https://www.npmjs.com/settings/<your username>/tokens (avatar → Access Tokens); npm\'s guide: https://docs.npmjs.com/revoking-access-tokens.',
    'Create a granular token with only the packages it needs and an expiry, deploy it, and check the recent versions of your packages (`npm view <package> time`) for releases you did not publish.',
  ],
  examples: {
    positive: [
      { text: '//registry.npmjs.org/:_authToken=⟪npm_{alnum:36}⟫', note: '.npmrc' },
      { text: '          NODE_AUTH_TOKEN: ⟪npm_{alnum:36}⟫', note: 'GitHub Actions step env' },
      { text: 'NPM_TOKEN="⟪npm_{alnum:36}⟫"', note: 'dotenv' },
      { text: '{"token": "⟪npm_{alnum:36}⟫", "readonly": false}', note: 'JSON' },
    ],
    negative: [
      { text: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}', reason: 'environment reference: the recommended form' },
      { text: 'npm_config_cache=/tmp/.npm npm_config_update_notifier=false', reason: 'npm configuration variables' },
      { text: 'NPM_TOKEN=npm_{x*36}', reason: 'placeholder of x' },
      { text: 'NPM_TOKEN=npm_{alnum:20}', reason: 'too short: truncated' },
      { text: 'NPM_TOKEN=npm_{alnum:40}', reason: 'too long: part of a longer token' },
      { text: 'PNPM_HOME=/home/me/.local/share/pnpm; id = pnpm_{alnum:36}', reason: 'glued to a letter: another identifier' },
      { text: 'NPM_TOKEN=npm_...', reason: 'the documentation form' },
    ],
  },
});
