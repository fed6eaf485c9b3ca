import { defineRule } from '../src/engine/rule.js';

/**
 * Stripe live secret keys (`sk_live_`) and restricted keys (`rk_live_`). Test-mode keys
 * (`sk_test_`, `rk_test_`) cannot move money and publishable keys (`pk_`) are meant to be public,
 * so neither is reported. Older keys have 24 base62 characters after the prefix, current ones
 * about 99; Stripe told GitLab that live keys may be up to 128 long
 * (https://gitlab.com/gitlab-org/gitlab/-/issues/458019: `(sk|rk)_live_[0-9a-z]{10,128}`), so the
 * tail is 24 to 128, bounded. Boundaries as in groq-api-key.
 */
export default defineRule({
  id: 'stripe-secret-key',
  title: 'Stripe live secret or restricted key',
  severity: 'error',
  keywords: ['sk_live_', 'rk_live_'],
  keywordWindow: { before: 8, after: 140 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))[sr]k_live_[A-Za-z0-9]{24,128}(?![A-Za-z0-9_-])/g,
  minEntropy: 3,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)(?:key|KEY|Key|secret|SECRET|Secret)|example|EXAMPLE|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^[sr]k_live_/,
  revokeUrl: 'https://dashboard.stripe.com/apikeys',
  why: 'A live secret key moves real money: anyone who can read this repository, now or in its history, can create charges and refunds, trigger payouts and read your customers\' data; a restricted key can do whatever it was granted.',
  fix: [
    'Take the key out of the file and read it from the environment (STRIPE_SECRET_KEY) or a secret manager; use sk_test_ keys in development and tests; then stage the file again.',
    'If it was ever committed, pushed or shared, roll it now at https://dashboard.stripe.com/apikeys (… → Roll key, expiring the old key immediately); Stripe\'s guide: https://docs.stripe.com/keys#rolling-keys.',
    'Deploy the new key, prefer a restricted key with only the permissions the service needs (https://docs.stripe.com/keys#limit-access), and review the Dashboard logs (https://dashboard.stripe.com/logs) and recent payments, refunds and payouts for activity you did not cause.',
  ],
  examples: {
    positive: [
      { text: 'STRIPE_SECRET_KEY=⟪sk_live_{alnum:24}⟫', note: 'older 24-character live key in a dotenv file' },
      { text: 'stripe.api_key = "⟪sk_live_51{alnum:97}⟫"', note: 'current-length live key in Python' },
      { text: 'const stripe = new Stripe(\'⟪rk_live_51{alnum:97}⟫\', { apiVersion: \'2024-06-20\' });', note: 'restricted key in JavaScript' },
      { text: '  secret_key: ⟪sk_live_{alnum:48}⟫', note: 'YAML' },
      { text: 'curl https://api.stripe.com/v1/charges -u ⟪sk_live_{alnum:32}⟫:', note: 'curl basic auth, followed by a colon' },
    ],
    negative: [
      { text: 'STRIPE_SECRET_KEY=sk_test_{alnum:24}', reason: 'test-mode key: cannot move money' },
      { text: 'STRIPE_PUBLISHABLE_KEY=pk_live_{alnum:24}', reason: 'publishable key: meant to be public' },
      { text: 'STRIPE_RESTRICTED_KEY=rk_test_{alnum:24}', reason: 'test-mode restricted key' },
      { text: 'STRIPE_SECRET_KEY=sk_live_{alnum:12}', reason: 'too short: truncated' },
      { text: 'STRIPE_SECRET_KEY=sk_live_{x*24}', reason: 'placeholder of x' },
      { text: 'STRIPE_SECRET_KEY=sk_live_YOUR_SECRET_KEY', reason: 'placeholder' },
      { text: 'STRIPE_SECRET_KEY=sk_live_...', reason: 'the documentation form' },
      { text: 'mask_live_{alnum:24}', reason: 'glued to a word: contains sk_live_ but is another identifier' },
      { text: 'key = "sk-live-{alnum:24}"', reason: 'hyphens: not a Stripe key' },
    ],
  },
});
