import type picomatchType from 'picomatch';
import type { AllowlistConfig } from '../config/schema.js';

type Picomatch = typeof picomatchType;

/**
 * picomatch, loaded only when a config has path globs: bundled CommonJS runs its module code on
 * first use, and most scans have no globs to match.
 */
export async function loadGlobEngine(): Promise<Picomatch> {
  return (await import('picomatch')).default;
}

/**
 * Config allowlists, compiled once: path globs, value regexes and stopwords, for every rule
 * (`allow`) or one rule (`rules.<id>.allow`). Paths are relative to the repository top level with
 * `/` separators; values and stopwords are tested against the secret itself, never the whole line,
 * so a stopword in a comment cannot hide a real key next to it.
 */
export interface Allowlist {
  /** The finding's file is allowed (for every rule, or for `ruleId`). */
  path(path: string, ruleId?: string): boolean;
  /** The secret is allowed for this rule: a value regex matches it or it holds a stopword. */
  value(secret: string, ruleId: string): boolean;
  /** Whether any path globs exist (globally), so a source can skip whole files. */
  readonly hasGlobalPaths: boolean;
}

interface Compiled {
  paths: ((path: string) => boolean)[];
  values: RegExp[];
  stopwords: string[];
}

export function compileAllowlist(
  global: AllowlistConfig | undefined,
  perRule: ReadonlyMap<string, AllowlistConfig> = new Map(),
  picomatch?: Picomatch,
): Allowlist {
  const compile = (list: AllowlistConfig): Compiled => compileOne(list, picomatch);
  const all = compile(global ?? {});
  const byRule = new Map([...perRule].map(([id, list]) => [id, compile(list)]));
  const matchPath = (c: Compiled | undefined, path: string) => c !== undefined && c.paths.some((m) => m(path));
  const matchValue = (c: Compiled | undefined, secret: string) => {
    if (!c) return false;
    if (c.values.some((r) => r.test(secret))) return true;
    if (c.stopwords.length === 0) return false;
    const lower = secret.toLowerCase();
    return c.stopwords.some((w) => lower.includes(w));
  };
  return {
    hasGlobalPaths: all.paths.length > 0,
    path: (path, ruleId) => matchPath(all, path) || (ruleId !== undefined && matchPath(byRule.get(ruleId), path)),
    value: (secret, ruleId) => matchValue(all, secret) || matchValue(byRule.get(ruleId), secret),
  };
}

function compileOne(list: AllowlistConfig, picomatch: Picomatch | undefined): Compiled {
  const paths = list.paths ?? [];
  if (paths.length > 0 && !picomatch) throw new Error('compileAllowlist: path globs need picomatch (loadGlobEngine)');
  return {
    paths: paths.map((glob) => globMatcher(glob, picomatch as Picomatch)),
    // No g or y flag: test() on a sticky or global regex would carry lastIndex from one secret to the next.
    values: (list.values ?? []).map((v) => (typeof v === 'string' ? new RegExp(v) : new RegExp(v.source, v.flags.replace(/[gy]/g, '')))),
    stopwords: (list.stopwords ?? []).map((w) => w.toLowerCase()),
  };
}

/**
 * A path glob with .gitignore's habits: a pattern without `/` matches a file name at any depth
 * (`*.snap`); a pattern naming a directory (`test/fixtures`, `fixtures/`) covers everything in it;
 * dot files are matched like any other (`**` covers `.env.test`).
 */
export function globMatcher(glob: string, picomatch: Picomatch): (path: string) => boolean {
  // `/x` and `./x` anchor at the top level, as in .gitignore: so does any pattern with a slash.
  // Parentheses are literal in file names (`a (copy)/`), except after an extglob sign: `+(a|b)`.
  const pattern = glob
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '')
    .replace(/(?<![@!?*+\\])\(/g, '\\(')
    .replace(/(?<!\\)\)/g, (paren, at: number, all: string) => (isExtglobClose(all, at) ? paren : '\\)'));
  const anchored = pattern.includes('/') || glob.startsWith('/') ? pattern : `**/${pattern}`;
  const isMatch = picomatch([anchored, `${anchored}/**`], { dot: true });
  return (path) => isMatch(path);
}

/** Whether the `)` at `at` closes an extglob group `@(`, `!(`, `?(`, `*(` or `+(`. */
function isExtglobClose(text: string, at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    if (text[i] === ')' && text[i - 1] !== '\\') depth++;
    else if (text[i] === '(' && text[i - 1] !== '\\') {
      if (depth === 0) return i > 0 && '@!?*+'.includes(text[i - 1] ?? '');
      depth--;
    }
  }
  return false;
}
