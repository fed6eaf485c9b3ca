import { entropy } from './redact.js';

/**
 * What counts as a dotenv file, and what in one looks like a real secret. Pure: names and text in.
 *
 * `.env`, `.env.local`, `.env.production`, any `.env.*`, at any depth (monorepo packages). Templates
 * are the files meant to be committed: a `.env.*` name with an `example`, `sample` or `template`
 * segment (`.env.example`, `.env.production.sample`). `.envrc` (direnv) is not a dotenv file.
 */
const TEMPLATE_SEGMENTS = new Set(['example', 'sample', 'template', 'dist']);

export type DotenvKind = 'dotenv' | 'template';

export function dotenvKind(path: string): DotenvKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name !== '.env' && !name.startsWith('.env.')) return undefined;
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

/** `KEY=value`, `export KEY=value`, quoted values, `#` comments; enough of the dotenv grammar to find values. */
export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*)(.*)$/.exec(raw.replace(/\r$/, ''));
    if (!m) return;
    const [, lead = '', name = '', sep = '', rest = ''] = m;
    let value = rest;
    let offset = lead.length + name.length + sep.length;
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const end = value.indexOf(quote, 1);
      value = end === -1 ? value.slice(1) : value.slice(1, end);
      offset += 1;
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    entries.push({ name, value, line: index + 1, column: offset + 1 });
  });
  return entries;
}

/** A variable whose name says it holds a credential. */
export function isSecretName(name: string): boolean {
  return /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIAL|PRIVATE|AUTH/i.test(name);
}

const PLACEHOLDER =
  /^(?:|<[^>]*>|\[[^\]]*\]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*\}\}|%[A-Za-z_]+%|[x*.…_-]+|(?:sk|pk|rk|gsk|hf|r8|pplx|xai|tgp)[-_](?:[x*.…]+|\.\.\.|your.*|xxx.*|proj-\.\.\.|proj-[x*.…]+)|.*(?:your|my)[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password).*|.*[-_ ]here|change[-_ ]?me|replace[-_ ]?me|todo|tbd|fixme|none|null|nil|undefined|false|true|empty|secret|password|token|api[-_]?key|example.*|dummy.*|placeholder.*|fake.*|test.*|sample.*|insert.*|enter.*|put[-_ ].*|add[-_ ].*)$/i;

/**
 * Whether a template value is a placeholder rather than something that could be a real secret.
 * A value that is none of the known placeholder shapes and looks random (12+ characters, 3+ bits of
 * entropy per character) is treated as real.
 */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (PLACEHOLDER.test(v)) return true;
  return !(v.length >= 12 && entropy(v) >= 3);
}

/** The .gitignore line that ignores this file wherever it sits: its name, with no slash. */
export function ignoreLine(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Quotes a path for a copy-pasted shell command. */
export function shellQuote(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
