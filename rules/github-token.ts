import { defineRule } from '../src/engine/rule.js';

/**
 * GitHub tokens (gitleaks `github-pat`, `github-oauth`, `github-app-token`, `github-refresh-token`,
 * `github-fine-grained-pat`):
 *   ghp_  personal access token (classic)      gho_  OAuth app access token
 *   ghu_  GitHub App user-to-server token      ghs_  GitHub App installation token (GITHUB_TOKEN)
 *   ghr_  GitHub App refresh token             each followed by 36 base62 (30 random + CRC32)
 *   github_pat_  fine-grained PAT: 22 base62, `_`, 59 base62
 * The checksum is not verified: example templates are random, and a token edited by hand is
 * still worth a look. Boundaries as in groq-api-key: not glued to a token character, except after
 * an escape that ends one (`\n`, `%3D`, `\x22`, `\u0022`).
 */
export default defineRule({
  id: 'github-token',
  title: 'GitHub token (classic or fine-grained PAT, OAuth, App, Actions)',
  severity: 'error',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  keywordWindow: { before: 8, after: 100 },
  pattern:
    /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_-])/g,
  minEntropy: 3,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)(?:token|TOKEN|Token|pat|PAT)|example|EXAMPLE|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^(?:github_pat_|gh[pousr]_)/,
  revokeUrl: 'https://github.com/settings/tokens',
  why: 'A GitHub token acts as its owner: anyone who can read this repository, now or in its history, can read and push to the repositories, packages and organizations it reaches, and plant code in them.',
  fix: [
    'Take the token out of the file: in GitHub Actions use the built-in GITHUB_TOKEN or a repository secret (${{ secrets.NAME }}), elsewhere read it from the environment or `gh auth token`; then stage the file again.',
    'If it was ever committed, pushed or shared, revoke it now. Classic PATs (ghp_): https://github.com/settings/tokens; fine-grained PATs (github_pat_): https://github.com/settings/personal-access-tokens; OAuth app tokens (gho_): the app at https://github.com/settings/applications; GitHub App tokens (ghu_, ghr_): https://github.com/settings/apps/authorizations. Any ghp_, github_pat_, gho_, ghu_ or ghr_ token can also be revoked without signing in: POST it to https://api.github.com/credentials/revoke (https://docs.github.com/en/rest/credentials/revoke).',
    'A ghs_ installation token expires within an hour; if the App\'s private key leaked too, generate a new one and delete the old one in the App\'s settings (https://github.com/settings/apps).',
    'Create a replacement with the fewest scopes and an expiry, deploy it, and review the security log (https://github.com/settings/security-log) and the audit log of affected organizations for actions you did not take.',
  ],
  examples: {
    positive: [
      { text: 'GITHUB_TOKEN=⟪ghp_{alnum:36}⟫', note: 'classic PAT in a dotenv file' },
      { text: 'export GH_TOKEN="⟪github_pat_{alnum:22}_{alnum:59}⟫"', note: 'fine-grained PAT in a shell profile' },
      { text: '{"access_token": "⟪gho_{alnum:36}⟫", "token_type": "bearer", "scope": "repo"}', note: 'OAuth token response saved as JSON' },
      { text: 'url = https://x-access-token:⟪ghs_{alnum:36}⟫@github.com/acme/app.git', note: 'installation token in a git remote URL' },
      { text: '  token: ⟪ghu_{alnum:36}⟫', note: 'user-to-server token in YAML' },
      { text: 'refresh_token=⟪ghr_{alnum:36}⟫&expires_in=15897600', note: 'refresh token in a form-encoded body' },
      { text: '"text": "token:\\n⟪ghp_{alnum:36}⟫\\n"', note: 'right after an escaped \\n' },
      { text: 'curl -H "Authorization: token ⟪ghp_{alnum:36}⟫" https://api.github.com/user', note: 'curl header' },
    ],
    negative: [
      { text: 'GITHUB_TOKEN=ghp_{x*36}', reason: 'placeholder of x' },
      { text: 'GITHUB_TOKEN=ghp_1234567890abcdef{alnum:20}', reason: 'documentation sample with a sequential run' },
      { text: 'token: ${{ secrets.GITHUB_TOKEN }}', reason: 'a GitHub Actions expression, not a value' },
      { text: 'GITHUB_TOKEN=ghp_{alnum:20}', reason: 'too short: truncated' },
      { text: 'GITHUB_TOKEN=ghp_{alnum:40}', reason: 'too long: part of a longer token' },
      { text: 'id = "abcghp_{alnum:36}"', reason: 'glued to a word: inside a longer identifier' },
      { text: 'token = "ghx_{alnum:36}"; other = "gh_{alnum:36}"', reason: 'no GitHub token prefix' },
      { text: 'token = "github_pat_{alnum:22}{alnum:59}"', reason: 'fine-grained shape without its inner underscore' },
      { text: 'Token ghp_…{alnum:4} was revoked', reason: 'the redacted form GitHub shows' },
      { text: 'GITLAB_TOKEN=glpat-{alnum:20}', reason: 'a GitLab token, not GitHub' },
    ],
  },
});
