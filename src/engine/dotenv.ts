import { entropy } from './redact.js';

/**
 * What counts as a dotenv file, and what in one looks like a real secret. Pure: names and text in.
 *
 * `.env`, `.env.local`, `.env.production`, any `.env.*`, at any depth (monorepo packages). Templates
 * are the files meant to be committed: a `.env.*` name with an `example`, `sample` or `template`
 * segment (`.env.example`, `.env.production.sample`). `.envrc` (direnv) is not a dotenv file.
 */
const TEMPLATE_SEGMENTS = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'schema']);
/** `.env.vault` is dotenv-vault's encrypted file, meant to be committed; `.env.ts` and the like are code. */
const NOT_DOTENV = /\.(?:vault|[cm]?[jt]sx?|py|rb|go|rs|java|kt|php|sh|md)$/i;

export type DotenvKind = 'dotenv' | 'template';

export function dotenvKind(path: string): DotenvKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name !== '.env' && !name.startsWith('.env.')) return undefined;
  if (NOT_DOTENV.test(name)) return undefined;
  const segments = name.slice('.env'.length).split('.').filter(Boolean);
  return segments.some((s) => TEMPLATE_SEGMENTS.has(s.toLowerCase())) ? 'template' : 'dotenv';
}

export interface DotenvEntry {
  name: string;
  value: string;
  /** 1-based line of the assignment. */
  line: number;
  /** 1-based column where the value starts (after any opening quote). */
  column: number;
}

/**
 * `KEY=value`, `export KEY=value`, quoted values (a double- or single-quoted value may run over
 * several lines, as private keys do: its body lines are value, never names), `#` comments; enough of
 * the dotenv grammar to find names and values.
 */
export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (let index = 0; index < lines.length; index++) {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*)(.*)$/.exec(lines[index] ?? '');
    if (!m) continue;
    const [, lead = '', name = '', sep = '', rest = ''] = m;
    let value = rest;
    let offset = lead.length + name.length + sep.length;
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const end = value.indexOf(quote, 1);
      offset += 1;
      if (end !== -1) value = value.slice(1, end);
      else {
        // The value goes on until a line that holds the closing quote.
        const body = [value.slice(1)];
        let j = index + 1;
        for (; j < lines.length; j++) {
          const line = lines[j] ?? '';
          const close = line.indexOf(quote);
          if (close !== -1) {
            body.push(line.slice(0, close));
            break;
          }
          body.push(line);
        }
        value = body.join('\n');
        entries.push({ name, value, line: index + 1, column: offset + 1 });
        index = j;
        continue;
      }
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    entries.push({ name, value, line: index + 1, column: offset + 1 });
  }
  return entries;
}

const SECRET_WORDS = new Set(['KEY', 'APIKEY', 'TOKEN', 'SECRET', 'SECRETS', 'PASSWORD', 'PASSWD', 'PASS', 'PWD', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATE', 'PRIVATEKEY', 'AUTH', 'DSN']);
/** Last words that make a name a setting about a credential, not the credential: S3_KEY_PREFIX, TOKEN_ENDPOINT. */
const SETTING_WORDS = new Set(['URL', 'URI', 'DOMAIN', 'HOST', 'ENDPOINT', 'PREFIX', 'SUFFIX', 'PATH', 'FILE', 'DIR', 'ID', 'NAME', 'ISSUER', 'ALGORITHM', 'ALG', 'REGION', 'PORT', 'USER', 'USERNAME', 'EXPIRY', 'EXPIRES', 'TTL', 'LENGTH', 'SIZE', 'TYPE', 'VERSION', 'MODE', 'ENABLED', 'HEADER', 'FORMAT', 'SCOPE', 'SCOPES', 'AUDIENCE', 'PROVIDER', 'STRATEGY', 'TIMEOUT']);

/** A variable whose name says it holds a credential, word by word: OPENAI_API_KEY yes, KEYCLOAK_URL and S3_KEY_PREFIX no. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const last = words[words.length - 1] ?? '';
  return words.some((w) => SECRET_WORDS.has(w)) && !SETTING_WORDS.has(last);
}

const PLACEHOLDER =
  /^(?:|<[^>]*>|\[[^\]]*\]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*\}\}|%[A-Za-z_]+%|[x*.…_-]+|(?:sk|pk|rk|gsk|hf|r8|pplx|xai|tgp)[-_](?:[x*.…]+|\.\.\.|your.*|xxx.*|proj-\.\.\.|proj-[x*.…]+)|.*(?:your|my)[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password).*|.*[-_ ]here|change[-_ ]?me|replace[-_ ]?me|todo|tbd|fixme|none|null|nil|undefined|false|true|empty|secret|password|token|api[-_]?key|example.*|dummy.*|placeholder.*|fake.*|test.*|sample.*|insert.*|enter.*|put[-_ ].*|add[-_ ].*)$/is;

/**
 * Whether a template value is a placeholder rather than something that could be a real secret.
 * A value that is none of the known placeholder shapes and looks random (12+ characters, 3+ bits of
 * entropy per character) is treated as real.
 */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (PLACEHOLDER.test(v)) return true;
  // A description in words (a-long-random-string, generate_with_openssl_rand): no secret looks like that.
  if (/^[a-z]+(?:[-_ .][a-z]+){2,}$/i.test(v)) return true;
  // A URL is judged by the password or key in its user part alone; without one it is an address.
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:([^:@/\s]*)(?::([^@/\s]*))?@)?/i.exec(v);
  if (url) return secretInUrl(v) === undefined;
  return !(v.length >= 12 && entropy(v) >= 3);
}

/**
 * The credential in a URL's user part, if it is not a placeholder: the password of
 * `postgres://user:pass@host`, or a long random user such as a Sentry DSN's key.
 */
export function secretInUrl(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^:@/\s]*)(?::([^@/\s]*))?@/i.exec(value.trim());
  if (!m) return undefined;
  const [, user = '', password] = m;
  const candidate = password ?? (user.length >= 16 ? user : undefined);
  if (candidate === undefined || candidate === '') return undefined;
  if (PLACEHOLDER.test(candidate) || /^[a-z]+(?:[-_ .][a-z]+){1,}$/i.test(candidate)) return undefined;
  // A short word password is still a password in a committed file; only obvious placeholders pass.
  return /^(?:password|pass|secret|postgres|root|admin|user|changeme)$/i.test(candidate) ? undefined : candidate;
}

/** The .gitignore line that ignores this file wherever it sits: its name, with no slash. */
export function ignoreLine(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Commands that fix a dotenv file, correct wherever the user runs them when `from` is `top` (paths
 * from the top level, as in a hook: `:/path`, the top-level .gitignore). The ignore line is written
 * after a newline, so a .gitignore without a final newline is not glued onto.
 */
export function ignoreCommand(path: string, from: 'top' | 'cwd'): string {
  const file = from === 'top' ? '"$(git rev-parse --show-toplevel)/.gitignore"' : '.gitignore';
  return `printf '\\n%s\\n' ${shellQuote(ignoreLine(path))} >> ${file}`;
}

export function untrackCommand(path: string, from: 'top' | 'cwd'): string {
  return `git rm --cached -- ${shellQuote(from === 'top' ? `:/${path}` : path)}`;
}

/** Quotes a path for a copy-pasted shell command. */
export function shellQuote(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
