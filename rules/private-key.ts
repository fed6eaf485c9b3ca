import { defineRule } from '../src/engine/rule.js';

/**
 * PEM / OpenSSH / PGP private key blocks: the whole armoured block, BEGIN line to END line, is the
 * secret (a BEGIN line alone is code that handles keys, not a key).
 *
 *   -----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )PRIVATE KEY( BLOCK)-----
 *   [armour headers: `Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, PGP `Version: …`, `Comment: …`]
 *   base64 body lines
 *   -----END <the same type>-----
 *
 * The body is one run of base64, whitespace and backslashes, so the same pattern reads the block
 * as a file holds it, indented inside a YAML block scalar, with its newlines escaped inside a JSON
 * string (service-account files: `"private_key": "-----BEGIN PRIVATE KEY-----\nMII…"`), or joined on
 * one line in an environment variable. 64 characters at least (an Ed25519 PKCS#8 body), 40,000 at
 * most (PGP blocks with several subkeys). The staged scan joins the added lines with \n, so a block
 * added in one go is contiguous.
 *
 * Backtracking: the body run cannot contain `-`, so it stops at the END line (or at the next BEGIN)
 * and backs off at most its own length; the header group is bounded and each header needs `: `,
 * which the body cannot contain. Cost is linear in the text.
 *
 * Placeholders: `...`, `<your key>`, `${KEY}` and other bodies with punctuation never match the
 * body run; a line of prose (two words separated by a space, which a base64 line never holds) is
 * a placeholder, and so is a body with too little entropy (`xxxx…`, `AAAA…`).
 */
const TYPE = String.raw`(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?`;
const HEADER = String.raw`(?:\r?\n|\\r?\\n)[A-Z][A-Za-z-]{1,30}: [^\r\n\\]{1,200}`;
const BODY = String.raw`[A-Za-z0-9+/=\\ \t\r\n]{64,40000}`;

export default defineRule({
  id: 'private-key',
  title: 'Private key (PEM, OpenSSH, PGP)',
  severity: 'error',
  keywords: ['PRIVATE KEY'],
  // `-----BEGIN ENCRYPTED ` is 21 characters before the keyword; the block ends within the body's bound.
  keywordWindow: { before: 32, after: 42000 },
  pattern: new RegExp(String.raw`-----BEGIN (${TYPE})-----(?:${HEADER}){0,8}${BODY}-----END \1-----`, 'g'),
  // Measured without the BEGIN line and the keyword: random base64 is close to 6 bits per character.
  minEntropy: 4,
  // A line of prose, alone on its line (after a real or an escaped newline): never a base64 line.
  placeholder: /(?:^|[\n\\])[ \t]*[A-Za-z][a-z]* [A-Za-z][a-z]*/,
  previewPrefix: /^-----BEGIN [A-Z ]{0,24}PRIVATE KEY(?: BLOCK)?-----/,
  why: 'A private key is an identity: whoever reads it in this repository, now or in its history, can log in to the servers that trust it, impersonate your TLS site, sign commits, packages or tokens as you, or decrypt what was encrypted to it. It cannot be un-leaked, only replaced.',
  fix: [
    'Take the key out of the repository (keep it in ~/.ssh, a secret manager, or your CI\'s secret store, and reference its path or variable); add its file name to .gitignore; then stage again.',
    'If it was ever committed, pushed or shared, replace it: generate a new key pair and remove the old public key everywhere it is trusted. SSH: authorized_keys on your servers and https://github.com/settings/keys (or the repository\'s deploy keys). TLS: reissue the certificate with a new key and have the CA revoke the old one. Cloud service-account keys (e.g. Google\'s `"private_key"` JSON): delete the key at https://console.cloud.google.com/iam-admin/serviceaccounts and create a new one.',
    'PGP: publish the revocation certificate for the old key (`gpg --gen-revoke`, https://www.gnupg.org/documentation/manuals/gnupg/OpenPGP-Key-Management.html) and remove it from https://github.com/settings/keys; GitHub App keys: generate a new one and delete the old one in the App\'s settings (https://github.com/settings/apps).',
    'Review what the key could reach (server auth logs, certificate transparency at https://crt.sh, signed releases) for use you did not make.',
  ],
  examples: {
    positive: [
      { text: '⟪-----BEGIN RSA PRIVATE KEY-----\n{alnum:64}\n{alnum:64}\n{alnum:64}\n{alnum:38}==\n-----END RSA PRIVATE KEY-----⟫', note: 'PKCS#1 key file' },
      { text: '⟪-----BEGIN OPENSSH PRIVATE KEY-----\n{alnum:70}\n{alnum:70}\n{alnum:70}\n{alnum:12}\n-----END OPENSSH PRIVATE KEY-----⟫', note: 'OpenSSH key (id_ed25519)' },
      {
        text: '  "private_key": "⟪-----BEGIN PRIVATE KEY-----\\n{alnum:64}\\n{alnum:64}\\n{alnum:24}=\\n-----END PRIVATE KEY-----⟫\\n",',
        note: 'service-account JSON: newlines escaped inside a string',
      },
      { text: '    ⟪-----BEGIN EC PRIVATE KEY-----\n    {alnum:64}\n    {alnum:64}\n    {alnum:34}==\n    -----END EC PRIVATE KEY-----⟫', note: 'indented inside a YAML block scalar' },
      { text: '⟪-----BEGIN ENCRYPTED PRIVATE KEY-----\n{alnum:64}\n{alnum:64}\n{alnum:40}\n-----END ENCRYPTED PRIVATE KEY-----⟫', note: 'passphrase-protected PKCS#8: still a leak' },
      {
        text: '⟪-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{hex:32}\n\n{alnum:64}\n{alnum:64}\n{alnum:20}\n-----END RSA PRIVATE KEY-----⟫',
        note: 'legacy encrypted PEM with armour headers',
      },
      {
        text: '⟪-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: Exported by the release pipeline\n\n{alnum:64}\n{alnum:64}\n{alnum:64}\n={alnum:4}\n-----END PGP PRIVATE KEY BLOCK-----⟫',
        note: 'PGP block with a Comment header and a checksum line',
      },
      { text: 'SSH_KEY="⟪-----BEGIN PRIVATE KEY-----{alnum:64}{alnum:60}-----END PRIVATE KEY-----⟫"', note: 'newlines stripped into one environment variable' },
      { text: '⟪-----BEGIN PRIVATE KEY-----\r\n{alnum:64}\r\n{alnum:40}\r\n-----END PRIVATE KEY-----⟫\r', note: 'CRLF file' },
    ],
    negative: [
      { text: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', reason: 'documentation placeholder body' },
      { text: 'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\nyour key here\n-----END PRIVATE KEY-----"', reason: 'placeholder in a dotenv template' },
      {
        text: '-----BEGIN RSA PRIVATE KEY-----\nreplace this line with the contents of the key file the admin sent you\n-----END RSA PRIVATE KEY-----',
        reason: 'a line of prose: long enough, but not base64',
      },
      { text: '-----BEGIN PRIVATE KEY-----\n{x*64}\n{x*64}\n-----END PRIVATE KEY-----', reason: 'placeholder body of x: too little entropy' },
      { text: '-----BEGIN PRIVATE KEY-----\n{alnum:20}\n-----END PRIVATE KEY-----', reason: 'body too short to be a key' },
      { text: '-----BEGIN PUBLIC KEY-----\n{alnum:64}\n{alnum:64}\n{alnum:30}\n-----END PUBLIC KEY-----', reason: 'a public key is meant to be shared' },
      { text: '-----BEGIN CERTIFICATE-----\n{alnum:64}\n{alnum:64}\n{alnum:30}\n-----END CERTIFICATE-----', reason: 'a certificate is public' },
      { text: "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) return parsePkcs8(pem);", reason: 'code that handles keys: a BEGIN line alone' },
      { text: 'const pem = `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----`;', reason: 'code that builds a PEM from a variable' },
      { text: '-----BEGIN RSA PRIVATE KEY-----\n{alnum:64}\n{alnum:64}\n-----END EC PRIVATE KEY-----', reason: 'BEGIN and END lines of different types: not one block' },
      { text: '-----BEGIN PRIVATE KEY-----\n{alnum:40}...\n-----END PRIVATE KEY-----', reason: 'truncated documentation sample (`...`)' },
    ],
  },
});
