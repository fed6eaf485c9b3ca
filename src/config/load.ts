import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KeyguardError } from '../errors.js';
import { messages } from '../messages.js';
import { configSchema, type KeyguardConfig } from './schema.js';
import { validate, type Schema } from './validate.js';

/**
 * Finds the configuration in cosmiconfig's search places, at the repository top level only (so a
 * scan from any subdirectory sees the same config), loads it with cosmiconfig's YAML loader or
 * keyguard's own for JSON and modules, and validates it against the schema.
 *
 * Why not a cosmiconfig explorer (ARCHITECTURE.md "Configuration"): constructing one reads a
 * "meta config" from process.cwd() (package.json#cosmiconfig, .config/config.*) with its own JSON
 * parser, so a BOM-prefixed or broken package.json in whatever directory the user stands in made
 * every run an internal error, and a .config/config.json there could redirect the search; its
 * `$import` merges other files in unvalidated; its JS loader retries a failed import with
 * import-fresh, which needs `__filename` and so hid every config error in the ESM bundle.
 *
 * The search places, in cosmiconfig 9's order (`getDefaultSearchPlaces('keyguard')`, checked by a
 * test), plus `.mts`/`.cts`; the first one present wins.
 */
export const SEARCH_PLACES: readonly string[] = [
  'package.json',
  ...rcNames('.keyguardrc'),
  ...rcNames('.config/keyguardrc'),
  ...['js', 'ts', 'cjs', 'mjs', 'mts', 'cts'].map((ext) => `keyguard.config.${ext}`),
];

function rcNames(base: string): string[] {
  return [base, ...['json', 'yaml', 'yml', 'js', 'ts', 'cjs', 'mjs', 'mts', 'cts'].map((ext) => `${base}.${ext}`)];
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '']);

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
  const shown = (file: string) => {
    const rel = relative(options.cwd, file);
    return rel === '' || isAbsolute(rel) ? file : rel;
  };
  const explicit = options.configFile === undefined ? undefined : resolve(options.cwd, options.configFile);
  if (explicit !== undefined) {
    if (options.configFile === '' || !existsSync(explicit)) throw messages.configNotFound(options.configFile || '""');
    if (statSync(explicit).isDirectory()) throw messages.configUnloadable(shown(explicit), 'it is a directory; --config takes a file');
  }
  const file = explicit ?? firstCandidate(options.root);
  if (file === undefined) return { config: {} };
  const name = shown(file);

  let config: unknown;
  try {
    config = await loadFile(file);
  } catch (error) {
    if (error instanceof KeyguardError) throw error;
    if (error instanceof TypeScriptUnsupported) throw messages.configTypeScript(name, process.versions.node);
    throw messages.configUnloadable(name, loaderMessage(error));
  }
  if (basename(file) === 'package.json') {
    const pkg = config as Record<string, unknown> | null;
    if (typeof pkg !== 'object' || pkg === null || !Object.hasOwn(pkg, 'keyguard')) {
      if (explicit !== undefined) throw messages.configNotFound(`the "keyguard" key of ${name}`);
      return { config: {} };
    }
    config = pkg.keyguard;
  }
  // An empty file means "defaults", as in cosmiconfig; `null` written out is a mistake.
  if (config === undefined) config = {};
  let issues;
  try {
    issues = validate(config, configSchema as Schema);
  } catch (error) {
    // A JavaScript config's getter can throw while it is read.
    throw messages.configUnloadable(name, loaderMessage(error));
  }
  if (issues.length > 0) throw messages.configInvalid(name, issues);
  return { config: config as KeyguardConfig, file, shown: name };
}

/** Reads one config file by its extension; `$import` (cosmiconfig's file merging) is refused. */
async function loadFile(file: string): Promise<unknown> {
  const ext = extname(file) === '' || basename(file) === '.keyguardrc' ? '' : extname(file);
  let value: unknown;
  if (MODULE_EXTENSIONS.has(ext)) value = await loadModule(file);
  else {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') return undefined;
    if (ext === '.json') value = loadJson(text);
    else if (YAML_EXTENSIONS.has(ext)) {
      // cosmiconfig's own YAML loader (js-yaml), loaded only for a YAML config.
      const { defaultLoaders } = await import('cosmiconfig');
      value = await defaultLoaders['.yaml'](file, text);
    } else throw new Error(`keyguard reads .json, .yaml, .yml, .js, .mjs, .cjs and .ts configs, not "${ext}"`);
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, '$import')) {
    throw new Error('"$import" is not supported: keyguard validates one file, so keep the whole configuration in it');
  }
  return value;
}

/**
 * The first search place that exists at the root (package.json only with a "keyguard" key):
 * one directory listing, so a run with no config reads nothing more and never loads a parser.
 */
function firstCandidate(root: string): string | undefined {
  const names = new Set(list(root));
  if (names.has('.config')) for (const name of list(join(root, '.config'))) names.add(`.config/${name}`);
  const place = SEARCH_PLACES.find((place) => {
    if (!names.has(place)) return false;
    // An empty file is skipped, as cosmiconfig's search skips it: a later place may hold the config.
    if (place !== 'package.json') return sizeOf(join(root, place)) !== 0;
    let text = '';
    try {
      text = readFileSync(join(root, place), 'utf8').replace(/^\uFEFF/, '');
      const pkg = JSON.parse(text) as unknown;
      return typeof pkg === 'object' && pkg !== null && Object.hasOwn(pkg, 'keyguard');
    } catch {
      // A package.json that does not parse is npm's problem, not keyguard's, unless it names keyguard's key.
      return /"keyguard"\s*:\s*[{[n]/.test(text); // a config object, not a dependency's version string
    }
  });
  return place === undefined ? undefined : join(root, place);
}

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
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
 * JavaScript and TypeScript configs load with `import()`, which takes ESM and CommonJS alike; a
 * default export (or `module.exports`) is the config, and a promise is awaited. TypeScript loads
 * through Node's type stripping (Node >= 22.18, or 23.6), the way lint-staged and cosmiconfig 10
 * load it: no compiler, no temporary files; older Nodes get a plain message.
 */
async function loadModule(filepath: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(filepath).href)) as { default?: unknown };
    return await ('default' in module ? module.default : module);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (/\.[cm]?ts$/.test(filepath) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_NO_TYPESCRIPT')) throw new TypeScriptUnsupported(filepath);
    throw error;
  }
}

/**
 * JSON (package.json included) through JSON.parse: cosmiconfig's JSON loader pulls in parse-json
 * and @babel/code-frame (~5 ms of module code, measured) to print a code frame that also echoes the
 * file's text. The line and column are enough to find the mistake.
 */
function loadJson(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const offset = errorOffset(message, content);
    // V8 quotes the text around the mistake ("…" is not valid JSON): it may be a secret.
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
    if (offset === undefined) throw new Error(`${reason} (not valid JSON)`);
    const before = content.slice(0, offset);
    throw new Error(`${reason} at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`);
  }
}

/**
 * Where JSON.parse stopped: "at position N" when V8 says so; otherwise V8 (Node 20) quotes up to
 * 10 characters either side of the unexpected token, and the quote is found in the text.
 */
function errorOffset(message: string, content: string): number | undefined {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  const quoted = /^Unexpected token '(.)', (\.\.\.)?"(.*?)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (!quoted) return undefined;
  const [, token = '', cut, context = ''] = quoted;
  const start = content.indexOf(context);
  if (start === -1) return undefined;
  return start + (cut ? 10 : Math.max(0, context.indexOf(token)));
}

/** The first line of a loader's message: YAML and JSON errors go on to quote the file, which may hold a secret. */
function loaderMessage(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/^(JSON|YAML) Error in [^\n]*:\s*\n/, '');
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
}
