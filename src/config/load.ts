import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KeyguardError } from '../errors.js';
import { messages } from '../messages.js';
import { configSchema, type KeyguardConfig } from './schema.js';
import { validate, type Schema } from './validate.js';

/**
 * Finds and loads the configuration with cosmiconfig, from the repository top level (so a scan
 * from any subdirectory sees the same config), and validates it against the schema.
 *
 * Where cosmiconfig looks, in this order; the first file found wins.
 */
export const SEARCH_PLACES: readonly string[] = [
  'package.json',
  ...rcNames('.keyguardrc'),
  ...rcNames('.config/keyguardrc'),
  ...['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `keyguard.config.${ext}`),
];

function rcNames(base: string): string[] {
  return [base, ...['json', 'yaml', 'yml', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `${base}.${ext}`)];
}

export interface LoadedConfig {
  config: KeyguardConfig;
  /** Absolute path of the file it came from; undefined when there is none (defaults). */
  file?: string;
  /** The file as the user reads it in messages: relative to cwd. */
  shown?: string;
}

export interface LoadOptions {
  /** Where to search: the repository top level, or the working directory outside a repository. */
  root: string;
  cwd: string;
  /** --config: this file, and no search. */
  configFile?: string;
}

export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const explicit = options.configFile === undefined ? undefined : resolve(options.cwd, options.configFile);
  if (explicit !== undefined && !existsSync(explicit)) throw messages.configNotFound(options.configFile ?? explicit);
  // Measured: loading cosmiconfig and searching costs ~12 ms, 7% of a commit hook's run. With no
  // candidate file at the top level (the common case) there is nothing for it to find.
  const candidate = explicit ?? firstCandidate(options.root);
  if (candidate === undefined) return { config: {} };

  const shown = (file: string) => {
    const rel = relative(options.cwd, file);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  };
  const { cosmiconfig } = await import('cosmiconfig');
  const loaders = {
    '.json': loadJson,
    '.js': loadModule,
    '.mjs': loadModule,
    '.cjs': loadModule,
    '.ts': loadModule,
    '.mts': loadModule,
    '.cts': loadModule,
  };
  const explorer = cosmiconfig('keyguard', { searchPlaces: [...SEARCH_PLACES], searchStrategy: 'none', loaders, cache: false });
  let result;
  try {
    // The candidate is the file cosmiconfig's search would find (same places, same order), so it is
    // loaded directly: one read instead of a probe per search place.
    result = await explorer.load(candidate);
  } catch (error) {
    if (error instanceof KeyguardError) throw error;
    if (error instanceof TypeScriptUnsupported) throw messages.configTypeScript(shown(error.filepath), process.versions.node);
    const file = (error as { filepath?: string }).filepath ?? candidate;
    throw messages.configUnloadable(shown(file), loaderMessage(error));
  }
  if (!result || (result.isEmpty && /(^|[\\/])package\.json$/.test(result.filepath))) {
    // --config named a package.json without a "keyguard" key.
    if (explicit !== undefined) throw messages.configNotFound(`the "keyguard" key of ${shown(explicit)}`);
    return { config: {} };
  }
  const name = shown(result.filepath);
  const config: unknown = result.isEmpty ? {} : result.config;
  const issues = validate(config, configSchema as Schema);
  if (issues.length > 0) throw messages.configInvalid(name, issues);
  return { config: config as KeyguardConfig, file: result.filepath, shown: name };
}

/**
 * The first search place that exists at the root (package.json only with a "keyguard" key): the
 * file cosmiconfig will load, named in its errors, which do not always say which file failed.
 */
function firstCandidate(root: string): string | undefined {
  const names = new Set(list(root));
  if (names.has('.config')) for (const name of list(join(root, '.config'))) names.add(`.config/${name}`);
  const place = SEARCH_PLACES.find((place) => {
    if (!names.has(place)) return false;
    if (place !== 'package.json') return true;
    try {
      const pkg = JSON.parse(readFileSync(join(root, place), 'utf8')) as unknown;
      return typeof pkg === 'object' && pkg !== null && 'keyguard' in pkg;
    } catch {
      return true; // unreadable or broken: let cosmiconfig say what is wrong with it
    }
  });
  return place === undefined ? undefined : join(root, place);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

class TypeScriptUnsupported extends Error {
  constructor(readonly filepath: string) {
    super('TypeScript config on a Node without type stripping');
  }
}

/**
 * JavaScript and TypeScript configs load with `import()`, which takes ESM and CommonJS alike.
 * cosmiconfig 9's own loader retries a failed import with import-fresh, which needs `__filename`
 * and so fails inside keyguard's ESM bundle, hiding the config's real error behind its own.
 * TypeScript loads through Node's type stripping (Node >= 22.18, or 23.6), the way lint-staged and
 * cosmiconfig 10 load it: no compiler, no temporary files; older Nodes get a plain message.
 */
async function loadModule(filepath: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(filepath).href)) as { default?: unknown };
    return 'default' in module ? module.default : module;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (/\.[cm]?ts$/.test(filepath) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_NO_TYPESCRIPT')) throw new TypeScriptUnsupported(filepath);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { filepath });
  }
}

/**
 * JSON (package.json included) through JSON.parse: cosmiconfig's own JSON loader pulls in
 * parse-json and @babel/code-frame, ~5 ms of module code on every configured run (measured), to
 * print a code frame. The line and column are enough to find the mistake.
 */
function loadJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (!at) throw Object.assign(new Error(message), { filepath });
    const before = content.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw Object.assign(new Error(`${message.replace(/ in JSON at position \d+.*$/s, '')} at line ${line}, column ${column}`), { filepath });
  }
}

function loaderMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // cosmiconfig prefixes "JSON Error in /abs/path:\n"; the message names the file already.
  return text.replace(/^(JSON|YAML) Error in [^\n]*:\n/, '').split('\n').filter((l) => l.trim() !== '').slice(0, 6).join('\n    ');
}
