import { defineRule } from '../src/engine/rule.js';

/**
 * OpenAI API keys: every format in ../shared/research/key-formats.md §1.2.
 * All of them carry `T3BlbkFJ`, base64 of the bytes "OpenAI"
 * @see https://github.com/gitleaks/gitleaks/pull/1148
 * so the marker is the prefilter keyword and the one thing the pattern insists on. Around it the
 * pattern is deliberately loose (any `sk-…` prefix of 16 to 100 characters, any tail of 16 or more),
 * so truncated, hand-edited and future variants are still caught; the key type is then decided by
 * the exact shapes below. No left boundary: the marker is specific enough, and a boundary would miss
 * keys glued to `\n`, `%3D` or `\x22` in escaped and encoded text. The tail is a single greedy class
 * run and the prefix is bounded, so the regex cannot backtrack catastrophically.
 */
const BODY74 = '[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}';
const BODY58 = '[A-Za-z0-9_-]{58}T3BlbkFJ[A-Za-z0-9_-]{58}';
const BODY46 = '[A-Za-z0-9_-]{46}T3BlbkFJ[A-Za-z0-9_-]{46}';
const BODY20 = '[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}';
// A shape bounded by non-alphanumerics, found anywhere in a match: `task-sk-…` and `KEY_OLD` still classify.
const exact = (prefix: string, ...bodies: string[]) =>
  new RegExp(`(?<![A-Za-z0-9])${prefix}(?:${bodies.join('|')})(?![A-Za-z0-9])`);

const API_KEYS_PAGE = 'https://platform.openai.com/api-keys';
const ADMIN_KEYS_PAGE = 'https://platform.openai.com/settings/organization/admin-keys';
const PROJECTS_PAGE = 'https://platform.openai.com/settings/organization/projects';

export default defineRule({
  id: 'openai-api-key',
  title: 'OpenAI API key',
  severity: 'error',
  keywords: ['T3BlbkFJ'],
  // The prefix is at most 103 characters before the marker; 1000 after it is past any real tail.
  keywordWindow: { before: 103, after: 1000 },
  pattern: /sk-[A-Za-z0-9_-]{16,100}?T3BlbkFJ[A-Za-z0-9_-]{16,}/g,
  // Real keys are random base62/base64url (about 5 bits per character); `sk-xxxx…T3BlbkFJxxxx…` is a placeholder.
  minEntropy: 3,
  // Sequential runs, six equal characters and template words; each is below one in a million for random keys.
  placeholder: /(.)\1{5}|abcdef|bcdefg|cdefgh|123456|234567|345678|456789|your_?(?:api_?)?key|example|placeholder|redacted/i,
  previewPrefix: /^sk-(?:proj|svcacct|service|admin|None)-|^sk-/,
  keyTypes: [
    { id: 'admin', label: 'admin key', match: exact('sk-admin-', BODY58), revokeUrl: ADMIN_KEYS_PAGE },
    { id: 'project', label: 'project key', match: exact('sk-proj-', BODY74, BODY58, BODY20), revokeUrl: API_KEYS_PAGE },
    {
      id: 'service-account',
      label: 'service account key',
      match: exact('sk-(?:svcacct|service)-', BODY74, BODY46, BODY20),
      revokeUrl: PROJECTS_PAGE,
    },
    // `sk-None-` keys belong to a project but to no user (langflow-ai/langflow#12122); revoked like project keys.
    { id: 'project', label: 'project key (sk-None-, owned by no user)', match: exact('sk-None-', BODY74, BODY20), revokeUrl: API_KEYS_PAGE },
    { id: 'user', label: 'user key (legacy)', match: exact('sk-', BODY20), revokeUrl: API_KEYS_PAGE },
    // Early service-account keys carried the account's name: sk-<name>-<20>T3BlbkFJ<20> (trufflehog PR #2863).
    {
      id: 'service-account',
      label: 'named service account key',
      match: exact('sk-[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?-', BODY20),
      revokeUrl: PROJECTS_PAGE,
    },
  ],
  unknownKeyType: { label: 'OpenAI key of an unrecognised shape', revokeUrl: API_KEYS_PAGE },
  why: 'Anyone who can read this repository, now or in its history, can spend your OpenAI credits and reach your organization\'s data with this key.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.OPENAI_API_KEY), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, revoke it now on the page above, where it is listed by its redacted value. Rewriting history does not un-leak a pushed key.',
    'Create a replacement key, deploy it, and confirm the old one now fails with 401 invalid_api_key.',
    'Check usage at https://platform.openai.com/usage and set spending limits at https://platform.openai.com/settings/organization/limits.',
  ],
  examples: {
    positive: [
      { text: 'const openai = new OpenAI({ apiKey: "⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫" });', keyType: 'project', note: 'current project key, 74/74' },
      { text: "OPENAI_API_KEY='⟪sk-proj-{b64url:58}T3BlbkFJ{b64url:57}A⟫'", keyType: 'project', note: 'project key, 58/58' },
      { text: 'key = "⟪sk-proj-{alnum:20}T3BlbkFJ{alnum:20}⟫"', keyType: 'project', note: 'early short project key, 20/20' },
      { text: 'key: ⟪sk-svcacct-{b64url:74}T3BlbkFJ{b64url:73}A⟫', keyType: 'service-account', note: 'service account key' },
      { text: 'key: ⟪sk-svcacct-{b64url:46}T3BlbkFJ{b64url:45}A⟫', keyType: 'service-account', note: 'service account key, 46/46' },
      { text: 'export OPENAI_API_KEY=⟪sk-svcacct-{alnum:20}T3BlbkFJ{alnum:20}⟫', keyType: 'service-account', note: 'short service account key' },
      { text: 'api_key="⟪sk-None-{b64url:74}T3BlbkFJ{b64url:73}A⟫"', keyType: 'project', note: 'sk-None- key' },
      { text: 'api_key="⟪sk-None-{alnum:20}T3BlbkFJ{alnum:20}⟫"', keyType: 'project', note: 'short sk-None- key' },
      { text: 'ADMIN = "⟪sk-admin-{b64url:58}T3BlbkFJ{b64url:57}A⟫"', keyType: 'admin', note: 'admin key' },
      { text: 'openai.api_key = "⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫"', keyType: 'user', note: 'legacy user key' },
      { text: 'key = "⟪sk-billing-bot-{alnum:20}T3BlbkFJ{alnum:20}⟫"', keyType: 'service-account', note: 'named service account key' },
      { text: 'key = "⟪sk-proj-{b64url:59}T3BlbkFJ{b64url:60}⟫"', keyType: 'unknown', note: 'hand-edited or future length: caught by the marker' },
      { text: '"source": ["openai.api_key = \\"⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫\\"\\n"]', note: 'JSON-escaped string in a notebook cell' },
      { text: '{"text": "Authorization: Bearer\\n⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫\\n"}', note: 'right after an escaped \\n' },
      { text: '"outputs": [{"text": ["OPENAI_API_KEY=⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫\\n"]}]', note: 'Jupyter output' },
      { text: 'https://proxy.example.test/v1?key=⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫&model=gpt-4o', note: 'URL query followed by &' },
      { text: 'OPENAI_API_KEY=⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫\r', note: 'CRLF line ending' },
      { text: '!function(){var e={a:1},t="⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫",n=[t,e];fetch(n)}();', note: 'minified bundle' },
      { text: 'client = OpenAI(api_key=⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫)', note: 'followed by )' },
      { text: 'keys = [⟪sk-proj-{alnum:20}T3BlbkFJ{alnum:20}⟫, 1]', note: 'followed by ,' },
      { text: 'keys = [⟪sk-proj-{alnum:20}T3BlbkFJ{alnum:20}⟫]', note: 'followed by ]' },
      { text: 'cfg = {k: ⟪sk-proj-{alnum:20}T3BlbkFJ{alnum:20}⟫}', note: 'followed by }' },
      { text: '<apiKey>⟪sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A⟫</apiKey>', note: 'followed by <' },
      { text: '<input value=⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫>', note: 'followed by >' },
      { text: 'value=%3D⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫', note: 'glued to percent-encoding' },
      { text: 'OLD_KEY=⟪sk-admin-{b64url:58}T3BlbkFJ{b64url:57}A⟫_OLD', keyType: 'admin', note: 'glued to a suffix: still an admin key, suffix not part of it' },
      { text: 'task-⟪sk-{alnum:20}T3BlbkFJ{alnum:20}⟫', keyType: 'user', note: 'after a word ending in sk-' },
    ],
    negative: [
      { text: 'OPENAI_API_KEY=sk-{x*48}', reason: 'placeholder of x, no marker' },
      { text: 'OPENAI_API_KEY=sk-your-key-here', reason: 'placeholder' },
      { text: 'OPENAI_API_KEY=<OPENAI_API_KEY>', reason: 'placeholder' },
      { text: 'apiKey: process.env.OPENAI_API_KEY ?? "${OPENAI_API_KEY}"', reason: 'template variable' },
      { text: 'key = "sk-{x*20}T3BlbkFJ{x*20}"', reason: 'placeholder that keeps the marker: too little entropy to be a key' },
      { text: 'Incorrect API key provided: sk-proj-***************************************abcd', reason: 'the redacted form in an OpenAI error message' },
      { text: 'Your key sk-…abcd was revoked', reason: 'the dashboard\'s redacted form' },
      { text: 'redacted_value: sk-abc...def', reason: 'the Admin API\'s redacted form' },
      { text: '<div class="sk-proj-card sk-admin-panel">', reason: 'CSS class names with an OpenAI-like prefix' },
      { text: 'stripe.secret = "sk_live_{alnum:24}"; test = "sk_test_{alnum:24}"', reason: 'Stripe keys use sk_ with an underscore' },
      { text: 'organization: "org-{alnum:24}", project: "proj_{alnum:24}"', reason: 'organization and project ids are identifiers, not secrets' },
      { text: 'sha256 = "{hex:64}"; id = "{hex:8}-{hex:4}-{hex:4}-{hex:4}-{hex:12}"', reason: 'hashes and UUIDs' },
      { text: 'relay = "sk-{alnum:48}"', reason: 'OpenAI-compatible relay keys have the legacy length but no marker' },
      { text: 'key = "sk-{alnum:20}T4BlbkFJ{alnum:20}"', reason: 'documentation keys with a deliberately broken marker' },
      { text: '.task-none-border, .risk-none-bg { color: red }', reason: 'words that contain sk-' },
      { text: 'k = "sk-1234567890abcdefghij{=T3BlbkFJ}1234567890abcdefghij"', reason: 'sequential placeholder that keeps the marker' },
      { text: 'k = "sk-YOUR_KEY_HERE_XXXXXX{=T3BlbkFJ}YOUR_KEY_HERE_XXXXXX"', reason: 'template words around the marker' },
      { text: 'k = "sk-proj-{alnum:20}{=T3BlbkFJ}{x*20}"', reason: 'one side random, the other a run of x' },
      { text: 'k = "sk-abc123{=T3BlbkFJ}xyz789abc"', reason: 'too short on both sides of the marker to be a key' },
    ],
  },
});
