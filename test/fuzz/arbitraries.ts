/**
 * Generators shared by the property and fuzz tests (issue 8). Every key is expanded at test time
 * from a built-in rule's own positive examples (rules/*.ts), so the expected rule of each planted
 * secret is known and this file holds no key-shaped literal.
 */
import fc from 'fast-check';
import { builtinRules } from '../../rules/index.js';
import type { RuleDefinition } from '../../src/engine/rule.js';
import { expandTemplate, seededRandom } from '../../src/engine/template.js';
import { indexLines } from '../../src/engine/engine.js';

/**
 * What may stand right before and after a key. The rules refuse a key glued to identifier
 * characters on either side (`task_sk-…`, `…KEY_OLD` aside, which the rules trim on purpose), so
 * every planted key is fenced by one of these; the text around the fence is anything.
 */
export const DELIMITERS = [' ', '"', "'", '`', '=', ':', ',', '(', '\n', '\r\n', '\t', '<', '>'] as const;

/**
 * Rules whose secret alone is not a finding: the severity-warning rules, which need a keyword such
 * as `MISTRAL_API_KEY=` in front (mistral-api-key, cohere-api-key, azure-openai-legacy-key), and
 * aws-access-key, which needs the 40-character secret access key within 200 characters after the
 * key id. Their examples are always planted whole, context included; every other rule's secret is
 * planted either bare or inside its whole example.
 */
export const CONTEXT_RULE_IDS: ReadonlySet<string> = new Set([
  ...builtinRules.filter((r) => r.severity === 'warning').map((r) => r.id),
  'aws-access-key',
]);

export interface Example {
  rule: RuleDefinition;
  index: number;
  template: string;
}

/** Every positive example of every built-in content rule. */
export const EXAMPLES: readonly Example[] = builtinRules.flatMap((rule) =>
  rule.examples.positive.map((p, index) => ({ rule, index, template: p.text })),
);

/** A secret planted in a text: its rule, value, offset, and which of its characters were drawn at random. */
export interface Planted {
  ruleId: string;
  secret: string;
  offset: number;
  /** random[i]: character i came from a `{charset:n}` token (the rest is the template's literal text). */
  random: boolean[];
}

export interface Doc {
  text: string;
  planted: Planted[];
}

/**
 * Positions of an expanded template that came from its random tokens: expanded once with every
 * draw at the first character of its charset and once at the last, the two differ exactly there.
 */
function randomMask(template: string): boolean[] {
  const low = expandTemplate(template, () => 0);
  const high = expandTemplate(template, () => 0.999999);
  const secret = low.secrets[0]!;
  const other = high.secrets[0]!;
  return [...secret.value].map((_, i) => secret.value.charCodeAt(i) !== other.value.charCodeAt(i));
}
const masks = new Map(EXAMPLES.map((e) => [e.template, randomMask(e.template)]));

/** A planted key: `delim + (secret | whole example) + delim`, with its secret's place in that piece. */
export const arbKeyPiece: fc.Arbitrary<Doc> = fc
  .record({
    example: fc.constantFrom(...EXAMPLES),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    bare: fc.boolean(),
    before: fc.constantFrom(...DELIMITERS),
    after: fc.constantFrom(...DELIMITERS),
  })
  .map(({ example, seed, bare, before, after: fence }) => {
    const { text, secrets } = expandTemplate(example.template, seededRandom(seed));
    const secret = secrets[0]!;
    const whole = !bare || CONTEXT_RULE_IDS.has(example.rule.id);
    // aws-access-key examples end with the 40-character secret access key, which is base64: an `=`
    // glued to it continues it (the rule's boundary there is `[A-Za-z0-9/+=_-]`), so fence it otherwise.
    const after = whole && example.rule.id === 'aws-access-key' && fence === '=' ? ' ' : fence;
    const body = whole ? text : secret.value;
    const offset = before.length + (whole ? secret.offset : 0);
    return {
      text: `${before}${body}${after}`,
      planted: [{ ruleId: example.rule.id, secret: secret.value, offset, random: masks.get(example.template)! }],
    };
  });

/** Literals that steer the rules' prefilter and windows: every keyword, and near misses of keys. */
const FRAGMENTS = [
  ...new Set(builtinRules.flatMap((r) => r.keywords)),
  'sk-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-', 'sk-ant-', 'AKIA', 'xoxb-', 'ghp_', 'AIza',
  '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----',
  'https://hooks.slack.com/services/T', 'OPENAI_API_KEY=', 'api_key=', '\\n', '\\u0041', '%3D', '\\x41',
];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-';

/**
 * One unit of noise: any code point (astral ones included), lone surrogates, line ends (CR alone,
 * CRLF, U+2028), tabs, BOMs, keyword fragments, runs of base64 characters, and long runs of one
 * character. `nul` allows U+0000 (text handed to the engine directly, never a file on disk).
 */
export function noiseUnit({ nul = true, longRuns = true }: { nul?: boolean; longRuns?: boolean } = {}): fc.Arbitrary<string> {
  const units: fc.Arbitrary<string>[] = [
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 16 }),
    fc.constantFrom('\r', '\n', '\r\n', '\r\r\n', '\t', '\u2028', '\ufeff', '\\', '\u00e9', '\u{1F600}', '\u{10FFFF}'),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    fc.constantFrom(...FRAGMENTS),
    fc.string({ unit: fc.constantFrom(...B64), minLength: 1, maxLength: 120 }),
  ];
  if (longRuns) {
    units.push(
      fc
        .tuple(fc.constantFrom('a', 'A', '0', '=', '/', '+', '-', '_', ' ', '\r', '\n', '\u00e9', '\u{1F600}', 'sk-', 'AKIA'), fc.integer({ min: 50, max: 4000 }))
        .map(([c, n]) => c.repeat(n)),
    );
  }
  const unit = fc.oneof(...units);
  return nul ? unit : unit.map((s) => s.replace(/\0/g, '\u2400'));
}

export const arbNoise = (options: { nul?: boolean; longRuns?: boolean; maxUnits?: number } = {}): fc.Arbitrary<string> =>
  fc.array(noiseUnit(options), { maxLength: options.maxUnits ?? 20 }).map((units) => units.join(''));

/** Noise, then any number of planted keys each followed by more noise. */
export function arbDoc(options: { nul?: boolean; longRuns?: boolean; maxKeys?: number; maxUnits?: number } = {}): fc.Arbitrary<Doc> {
  const noise = arbNoise(options);
  return fc
    .tuple(noise, fc.array(fc.tuple(arbKeyPiece, noise), { maxLength: options.maxKeys ?? 5 }))
    .map(([head, rest]) => {
      let text = head;
      const planted: Planted[] = [];
      for (const [piece, tail] of rest) {
        for (const p of piece.planted) planted.push({ ...p, offset: p.offset + text.length });
        text += piece.text + tail;
      }
      return { text, planted };
    });
}

/** Line (1-based) and column (1-based, UTF-16 code units) of an offset, lines split at \n only, as the engine counts. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: offset - nl };
}

/** Every finding's line and column lie inside the text: a real line, a column at most one past its end. */
export function locationProblem(text: string, f: { line: number; column: number }, lineStarts = indexLines(text)): string | undefined {
  if (!Number.isInteger(f.line) || f.line < 1 || f.line > lineStarts.length) return `line ${f.line} of ${lineStarts.length}`;
  const start = lineStarts[f.line - 1]!;
  const next = lineStarts[f.line];
  const length = (next === undefined ? text.length : next - 1) - start;
  if (!Number.isInteger(f.column) || f.column < 1 || f.column > length + 1) return `column ${f.column} on line ${f.line} of length ${length}`;
  return undefined;
}

/**
 * The strings no output may hold: each whole key, and every 16-character slice of it that holds at
 * least one randomly drawn character (a slice of the template's fixed text, such as the tail of
 * `PRIVATE KEY-----`, is no secret and may well appear in a rule's documentation).
 */
export function leakProbes(planted: readonly Planted[]): string[] {
  const probes = new Set<string>();
  for (const p of planted) {
    probes.add(p.secret);
    for (let i = 0; i + 16 <= p.secret.length; i++) {
      if (p.random.slice(i, i + 16).some(Boolean)) probes.add(p.secret.slice(i, i + 16));
    }
  }
  return [...probes];
}

/** The first probe found in `output`, described without quoting it. */
export function leak(output: string, probes: readonly string[]): string | undefined {
  for (const probe of probes) {
    const at = output.indexOf(probe);
    if (at !== -1) return `a ${probe.length}-character slice of a planted key at output offset ${at}`;
  }
  return undefined;
}

/** fast-check parameters: FC_SEED (and FC_PATH) replay a reported failure; FC_RUNS_SCALE multiplies the run counts. */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    endOnFailure: false,
  };
}
