import { defineRule } from '../src/engine/rule.js';

/**
 * AWS access keys: an access key id WITH its secret access key nearby.
 *
 * The id (`AKIA` long-term, `ASIA` temporary STS, `ABIA`/`ACCA` other services, then 16 base32
 * characters; gitleaks `aws-access-token`) names a key but grants nothing: it is printed in
 * CloudTrail, IAM listings and every documentation page. The credential is the pair, so the rule
 * fires only when a secret access key (exactly 40 of `[A-Za-z0-9/+]`, standing alone) lies within
 * GAP characters after the id or before it (the `aws iam create-access-key` JSON prints the secret
 * first). An id on its own reports nothing.
 *
 * What is reported is the id, not the secret: the IAM console lists keys by id, so the preview
 * (`AKIA…WXYZ`) is what the user looks for on the page where the key is deactivated, and not a
 * single character of the secret leaves the engine. The fingerprint and `allow.values` therefore
 * follow the id.
 *
 * The secret must be a whole token (no letter, digit, `/`, `+`, `_`, `-` on either side, no `=`
 * after it: not a slice of a longer base64 run) with both letter cases (git SHAs and other hex
 * strings have one) and without `EXAMPLE` (AWS's documentation pair ends in EXAMPLE and
 * EXAMPLEKEY). The id's own placeholders are left to `placeholder` below.
 *
 * Backtracking: the id is fixed-length; each side condition is one lazy bounded gap followed by a
 * secret that fails at its first character unless a token boundary is there, so an id costs at
 * most GAP small checks in each direction.
 */
const ID = String.raw`(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}`;
// Not glued to a token character, except after an escape (\n \r \t, %XX, \xXX, \uXXXX) that ends one.
const ESCAPE = String.raw`(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})`;
// Cheap checks at both ends: read forwards (after the id) the left boundary and the length come
// first; read backwards (inside the look-behind, before the id) the right boundary does. The
// letter-case and EXAMPLE checks then run only on whole 40-character tokens.
const SECRET = String.raw`(?:(?<![A-Za-z0-9/+_-])|${ESCAPE})(?=[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-]))(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?![A-Za-z0-9/+]{0,33}EXAMPLE)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])`;
const GAP = 200;

export default defineRule({
  id: 'aws-access-key',
  title: 'AWS access key (id with its secret)',
  severity: 'error',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  // The secret may start GAP + 40 characters before the id, or end GAP + 40 after it; a few more on
  // each side so the boundary checks see the real neighbours, not the window's edge.
  keywordWindow: { before: GAP + 60, after: GAP + 80 },
  pattern: new RegExp(
    String.raw`(?:(?<![A-Za-z0-9_-])|${ESCAPE})(${ID})(?![A-Za-z0-9_-])(?:(?=[\s\S]{1,${GAP}}?${SECRET})|(?<=${SECRET}[\s\S]{1,${GAP}}?${ID}))`,
    'g',
  ),
  secretGroup: 1,
  // Measured on the 16 characters after the prefix: random base32 is about 3.5 bits per character.
  minEntropy: 2.5,
  placeholder: /EXAMPLE|(.)\1{4}|ABCDEF|BCDEFG|234567/,
  previewPrefix: /^A(?:KIA|SIA|BIA|CCA)/,
  revokeUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
  why: 'An access key id with its secret signs AWS API calls as its IAM user or role: anyone who can read this repository, now or in its history, can use your account with its permissions, and leaked AWS keys are found and abused by automated scanners within minutes.',
  fix: [
    'Take both values out of the file: use an IAM role (instance profile, ECS task role, IRSA, GitHub Actions OIDC) or `aws configure sso`, or keep them in ~/.aws/credentials or a secret manager outside the repository; then stage the file again.',
    'If the key was ever committed, pushed or shared, deactivate it now: your own keys at https://console.aws.amazon.com/iam/home#/security_credentials, an IAM user\'s keys under Users → the user → Security credentials at https://console.aws.amazon.com/iam/home#/users (the preview shows the access key id to look for). Or run `aws iam update-access-key --access-key-id <id> --status Inactive --user-name <user>`.',
    'An ASIA key is temporary (STS): it cannot be deactivated, so revoke the role\'s sessions (the role → Revoke sessions, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html) and stop whatever issued it.',
    'Create a replacement key, deploy it, then delete the old key. Check CloudTrail (https://console.aws.amazon.com/cloudtrail/home#/events, filter on the access key id) and Billing for activity you did not cause; AWS\'s guide: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
  ],
  examples: {
    positive: [
      { text: 'aws_access_key_id = ⟪AKIA{upper:16}⟫\naws_secret_access_key = {alnum:20}/{alnum:19}', note: '~/.aws/credentials profile: id, then secret on the next line' },
      { text: 'AWS_ACCESS_KEY_ID=⟪ASIA{upper:16}⟫\nAWS_SECRET_ACCESS_KEY={alnum:30}+{alnum:9}\nAWS_SESSION_TOKEN={alnum:300}', note: 'dotenv with temporary STS credentials' },
      {
        text: '{"AccessKey": {"UserName": "deploy", "Status": "Active", "SecretAccessKey": "{alnum:18}/{alnum:21}", "AccessKeyId": "⟪AKIA{upper:16}⟫"}}',
        note: '`aws iam create-access-key` output: the secret comes before the id',
      },
      { text: 'const s3 = new S3Client({ credentials: { accessKeyId: \'⟪AKIA{upper:16}⟫\', secretAccessKey: \'{alnum:40}\' } });', note: 'JavaScript SDK client' },
      { text: 'provider "aws" { region = "eu-west-1", access_key = "⟪AKIA{upper:16}⟫", secret_key = "{alnum:12}+{alnum:27}" }', note: 'Terraform provider block' },
      { text: 'deploy-bot,,⟪AKIA{upper:16}⟫,{alnum:19}/{alnum:20},https://{digit:12}.signin.aws.amazon.com/console', note: 'row of the credentials CSV the console downloads' },
      { text: '"source": ["creds = \\"⟪AKIA{upper:16}⟫\\n{alnum:40}\\n\\""]', note: 'JSON-escaped notebook cell, secret right after an escaped \\n' },
      { text: 's3 = boto3.client("s3", aws_access_key_id="⟪ABIA{upper:16}⟫", aws_secret_access_key="{alnum:40}")', note: 'boto3 client with an ABIA id' },
    ],
    negative: [
      { text: 'aws_access_key_id = AKIA{upper:16}', reason: 'an access key id alone is an identifier, not a credential' },
      { text: 'aws_access_key_id = AKIA{upper:9}EXAMPLE\naws_secret_access_key = {alnum:30}EXAMPLEKEY', reason: 'AWS\'s documentation pair (ends in EXAMPLE / EXAMPLEKEY)' },
      { text: 'aws_access_key_id = AKIA{upper:16}\naws_secret_access_key = {alnum:30}EXAMPLEKEY', reason: 'documentation secret next to a real-looking id' },
      { text: 'aws_access_key_id = AKIA{upper:16}\naws_secret_access_key = {x*40}', reason: 'placeholder secret: one letter case only' },
      { text: 'aws_access_key_id = AKIA{upper:16}\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}', reason: 'the secret is a template variable' },
      { text: 'AWS_ACCESS_KEY_ID=AKIA{upper:16}\n# {x*250}\nAWS_SECRET_ACCESS_KEY={alnum:40}', reason: 'secret too far from the id (over 200 characters) to be its pair' },
      { text: 'rotated AKIA{upper:16} in commit {hex:40}', reason: 'a git SHA next to an id is hex, not a secret' },
      { text: 'id = "AKIA{upper:20}", secret = "{alnum:40}"', reason: 'too long: not an access key id' },
      { text: 'id = "XAKIA{upper:16}", secret = "{alnum:40}"', reason: 'glued to a letter: inside a longer token' },
      { text: 'id = "AKIA{upper:16}", blob = "{alnum:60}"', reason: 'a 40-character slice of a longer base64 value is not a secret key' },
      { text: '"UserId": "AIDA{upper:16}", "Arn": "arn:aws:iam::{digit:12}:user/deploy", "Tag": "{alnum:40}"', reason: 'AIDA… is an IAM user id, not an access key id' },
      { text: 'aws_access_key_id = AKIA{X*16}\naws_secret_access_key = {alnum:40}', reason: 'placeholder id' },
    ],
  },
});
