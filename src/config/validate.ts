/**
 * Checks a value against the subset of JSON Schema draft-07 that src/config/schema.ts uses, and
 * says what is wrong the way a user fixes it: the key path, what was expected, what was found.
 * A test runs ajv on the same schema and configs, so the two cannot drift apart.
 *
 * Why not ajv at run time: it costs ~39 ms to import and its messages name schema keywords
 * ("must NOT have additional properties"), not the user's typo (ARCHITECTURE.md "Configuration").
 */
export interface Schema {
  type?: string;
  enum?: readonly unknown[];
  properties?: Readonly<Record<string, Schema>>;
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  required?: readonly string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: readonly Schema[];
  description?: string;
  default?: unknown;
}

export interface ValidationIssue {
  /** Where, as a user writes it: `rules["openai-api-key"].severity`, `customRules[0].pattern`. */
  path: string;
  expected: string;
  found: string;
}

export function validate(value: unknown, schema: Schema): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(value, schema, [], issues);
  return issues;
}

type Path = readonly (string | number)[];

function check(value: unknown, schema: Schema, path: Path, issues: ValidationIssue[]): void {
  const report = (expected: string, found = describe(value), at: Path = path) => issues.push({ path: formatPath(at), expected, found });
  if (schema.anyOf) {
    // The branch made for this kind of value explains the problem best; with none, list them all.
    const branch = schema.anyOf.find((b) => kindFits(value, b));
    if (branch) check(value, branch, path, issues);
    else report(schema.anyOf.map(expectation).join(' or '));
    return;
  }
  if (schema.enum) {
    if (!schema.enum.includes(value as never)) report(expectation(schema));
    return;
  }
  if (schema.type && !typeFits(value, schema)) {
    report(expectation(schema));
    return;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) report(schema.minLength === 1 ? 'a non-empty string' : `a string of at least ${schema.minLength} characters`);
    else if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) report(patternExpectation(schema));
    else if (schema.format === 'regex') {
      const problem = regexProblem(value);
      if (problem) report('a valid regular expression', `${describe(value)} (${problem})`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) report(`a number >= ${schema.minimum}`);
    else if (schema.maximum !== undefined && value > schema.maximum) report(`a number <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) report(`at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`, 'an empty array');
    if (schema.items) value.forEach((item, i) => check(item, schema.items as Schema, [...path, i], issues));
  }
  if (isPlainObject(value) && schema.type === 'object') {
    const known = Object.keys(schema.properties ?? {});
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) report(`a "${key}" key`, 'none', path);
    }
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      if (schema.propertyNames) {
        const before = issues.length;
        check(key, schema.propertyNames, at, issues);
        if (issues.length > before) {
          const issue = issues[issues.length - 1] as ValidationIssue;
          issue.expected = issue.expected.startsWith('a string matching') ? `a key that ${issue.expected.replace(/^a string matching/, 'matches')}` : `a key that is ${issue.expected}`;
          continue;
        }
      }
      // Own properties only: `constructor` or `__proto__` must not find Object's members as a schema.
      const propertySchema = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      // A JavaScript config may set a known option to undefined (`failOn: process.env.CI ? 'warning' : undefined`):
      // absent, as ajv sees it. An unknown key stays a typo whatever its value.
      if (propertySchema && child === undefined) continue;
      if (propertySchema) check(child, propertySchema, at, issues);
      else if (schema.additionalProperties === false) {
        const guess = closest(key, known);
        report(`one of the keys ${known.map((k) => `"${k}"`).join(', ')}`, `unknown key ${quote(key)}${guess ? ` (did you mean "${guess}"?)` : ''}`, at);
      } else if (typeof schema.additionalProperties === 'object') check(child, schema.additionalProperties, at, issues);
    }
  }
}

function typeFits(value: unknown, schema: Schema): boolean {
  switch (schema.type) {
    case 'string':
      // A JavaScript config may give a RegExp where the JSON form takes a pattern string.
      return typeof value === 'string' || (schema.format === 'regex' && value instanceof RegExp);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return true;
  }
}

function kindFits(value: unknown, schema: Schema): boolean {
  if (schema.enum) return schema.enum.some((e) => typeof e === typeof value);
  return typeFits(value, schema);
}

function expectation(schema: Schema): string {
  if (schema.enum) return schema.enum.length === 1 ? JSON.stringify(schema.enum[0]) : `one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  switch (schema.type) {
    case 'string':
      return schema.format === 'regex' ? 'a regular expression (a string, or a RegExp in a JavaScript config)' : schema.pattern ? patternExpectation(schema) : 'a string';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return schema.items ? `an array of ${plural(expectation(schema.items))}` : 'an array';
    case 'object':
      return schema.properties ? `an object with ${Object.keys(schema.properties).map((k) => `"${k}"`).join(', ')}` : 'an object';
    default:
      return 'a value';
  }
}

function patternExpectation(schema: Schema): string {
  const known: Record<string, string> = {
    '^[a-z0-9]+(-[a-z0-9]+)*$': 'a kebab-case id (lower-case letters, digits and single dashes)',
    '^[A-Za-z_][A-Za-z0-9_]*$': 'an environment variable name (letters, digits, underscores)',
    '^https?://': 'an http(s) URL',
    '^[imsu]*$': 'regular expression flags from "imsu"',
    '^[^!]': 'a glob that does not start with "!" (negation is not supported: list what to allow)',
  };
  return known[schema.pattern ?? ''] ?? `a string matching /${schema.pattern}/`;
}

function plural(expected: string): string {
  return expected.replace(/^an? /, '').replace(/^(string|number|object|array|whole number)\b/, '$1s').replace(/^regular expression\b/, 'regular expressions');
}

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    // V8 repeats the whole pattern ("/…/: Unterminated group"); keep only the reason.
    return (e as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (value instanceof RegExp) return `the RegExp ${String(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    const name = proto && proto !== Object.prototype ? proto.constructor?.name : undefined;
    return name ? `a ${name} (not a plain object)` : 'an object';
  }
  if (typeof value === 'string') return quote(value);
  return String(value);
}

/**
 * A string as a message shows it: whole when short, else its start and its length. A config value
 * may be a key pasted in the wrong place, and an error message must not print it.
 */
export function quote(value: string): string {
  return value.length <= 24 ? JSON.stringify(value) : `${JSON.stringify(`${value.slice(0, 12)}…`)} (${value.length} characters)`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `failOn`, `rules["openai-api-key"]`, `customRules[0].examples.positive[1]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part.length > 40) out += `[${quote(part)}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(the whole config)';
}

/** The known key a typo most likely meant: case-insensitive equal, or within edit distance 2. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
