import { defineRule } from '../src/engine/rule.js';

/**
 * Slack tokens and incoming-webhook URLs (gitleaks `slack-bot-token`, `slack-user-token`,
 * `slack-legacy-bot-token`, `slack-legacy-workspace-token`, `slack-legacy-token`,
 * `slack-webhook-url`), one flat alternative per shape, every repetition bounded:
 *   xoxb-<team>-<bot>-<24 alnum>                   bot token
 *   xoxb-<id>-<18..26 alnum>                       legacy bot token
 *   xox[pas]-[<digit>-]<id>-<id>-<id>-<alnum>     user, workspace-app (xoxa-2-…) and legacy session tokens
 *   xox[ar]-[<digit>-]<16..48 alnum>              legacy workspace and refresh tokens
 *   xapp-<digit>-A…-<digits>-<hex>                 app-level token (Socket Mode), gitleaks `slack-app-token`
 *   xoxe.xox[bp]-<digit>-<160..170 alnum>, xoxe-<digit>-<140..150 alnum>   rotating access and refresh tokens
 *   https://hooks.slack.com/services/T…/B…/<secret>, …/workflows/T…/…, …/triggers/T…/…
 * Ids are 8 to 14 digits, so documentation forms such as `xoxp-1234-1234-1234-…` stay out. The
 * whole webhook URL is the secret: it is what posts to the channel.
 */
const TOKEN = [
  String.raw`xoxb-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{24,34}`,
  String.raw`xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26}`,
  String.raw`xox[pas]-(?:[0-9]-)?[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{10,64}`,
  String.raw`xox[ar]-(?:[0-9]-)?[A-Za-z0-9]{16,48}`,
  String.raw`xapp-[0-9]-A[A-Z0-9]{7,13}-[0-9]{10,16}-[a-f0-9]{32,80}`,
  String.raw`xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170}`,
  String.raw`xoxe-[0-9]-[A-Za-z0-9]{140,150}`,
].join('|');
const WEBHOOK = String.raw`(?:https?://)?hooks\.slack\.com/(?:services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32}|(?:workflows|triggers)/T[A-Z0-9]{6,12}/[A-Za-z0-9/]{20,120})`;
const START = String.raw`(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))`;

export default defineRule({
  id: 'slack-token',
  title: 'Slack token or webhook URL',
  severity: 'error',
  keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xapp-', 'xoxe', 'hooks.slack.com'],
  keywordWindow: { before: 16, after: 200 },
  pattern: new RegExp(String.raw`${START}(?:${TOKEN}|${WEBHOOK})(?![A-Za-z0-9_/-])`, 'g'),
  // Real tokens mix 20 or more digits with a random tail (about 4.5 bits per character).
  minEntropy: 3,
  placeholder: /(.)\1{7}|abcdef|ABCDEF|123456789|(?:your|YOUR|Your)(?:token|TOKEN|Token)|example|EXAMPLE|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^xoxe\.xox[bp]-|^xox[a-z]-|^xapp-|^(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\//,
  revokeUrl: 'https://api.slack.com/apps',
  why: 'A Slack token reads and posts as its bot or user in your workspace (messages, files, channel history); a webhook URL lets anyone post into its channel, a ready-made phishing channel inside your company.',
  fix: [
    'Take the token or URL out of the file and read it from the environment or a secret manager (e.g. SLACK_BOT_TOKEN, SLACK_WEBHOOK_URL); then stage the file again.',
    'If it was ever committed, pushed or shared, revoke it now: open the app at https://api.slack.com/apps → OAuth & Permissions → Revoke All OAuth Tokens (or Reinstall to get new ones); for a webhook, Incoming Webhooks → Remove the URL and add a new one. A token can also revoke itself: https://api.slack.com/methods/auth.revoke.',
    'Deploy the replacement, then check the workspace\'s access logs (https://slack.com/help/articles/360002084807) and the app\'s activity for use you did not make.',
  ],
  examples: {
    positive: [
      { text: 'SLACK_BOT_TOKEN=⟪xoxb-{digit:11}-{digit:13}-{alnum:24}⟫', note: 'bot token in a dotenv file' },
      { text: '{"ok": true, "access_token": "⟪xoxp-{digit:11}-{digit:12}-{digit:13}-{hex:32}⟫"}', note: 'user token in an OAuth response' },
      { text: 'SLACK_WEBHOOK_URL=⟪https://hooks.slack.com/services/T{upper:8}/B{upper:10}/{alnum:24}⟫', note: 'incoming webhook URL' },
      { text: '  webhook_url: ⟪https://hooks.slack.com/services/T{upper:10}/B{upper:11}/{alnum:24}⟫', note: 'webhook in YAML' },
      { text: 'requests.post("⟪https://hooks.slack.com/workflows/T{upper:9}/A{upper:10}/{digit:18}/{alnum:24}⟫", json=msg)', note: 'workflow webhook' },
      { text: 'slack = WebClient(token="⟪xoxb-{digit:12}-{alnum:24}⟫")', note: 'legacy bot token' },
      { text: 'token: "⟪xoxa-2-{digit:9}-{digit:11}-{digit:13}-{hex:18}⟫"', note: 'workspace app token' },
      { text: 'SLACK_REFRESH_TOKEN=⟪xoxr-{alnum:40}⟫', note: 'refresh token' },
      { text: 'SLACK_SESSION=⟪xoxs-{digit:10}-{digit:10}-{digit:10}-{hex:64}⟫', note: 'legacy session token' },
      { text: 'SLACK_APP_TOKEN=⟪xapp-1-A{upper:10}-{digit:13}-{hex:64}⟫', note: 'app-level token (Socket Mode, Bolt)' },
      { text: '"token": "⟪xoxe.xoxp-1-{alnum:165}⟫"', note: 'rotating access token' },
      { text: 'refresh_token=⟪xoxe-1-{alnum:146}⟫', note: 'rotating refresh token' },
    ],
    negative: [
      { text: 'SLACK_BOT_TOKEN=xoxb-your-bot-token', reason: 'placeholder' },
      { text: 'SLACK_APP_TOKEN=xapp-your-app-level-token', reason: 'placeholder app token' },
      { text: 'SLACK_BOT_TOKEN=xoxb-{0*11}-{0*13}-{x*24}', reason: 'placeholder of zeros and x' },
      { text: 'token = "xoxp-1234-1234-1234-{hex:32}"', reason: 'documentation form: ids too short' },
      { text: 'token = "xoxb-{digit:12}-{alnum:10}"', reason: 'too short: truncated' },
      { text: 'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T{0*8}/B{0*8}/{X*24}', reason: 'Slack\'s documentation placeholder webhook' },
      { text: 'see https://hooks.slack.com/services/ for details', reason: 'the webhook base URL without a secret' },
      { text: 'token = "axoxb-{digit:11}-{digit:13}-{alnum:24}"', reason: 'glued to a letter: inside a longer token' },
      { text: 'token = "xoxb-{digit:11}-{digit:13}-{alnum:24}-{alnum:8}"', reason: 'a longer dashed string, not a bot token' },
      { text: 'SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}', reason: 'template variable' },
    ],
  },
});
