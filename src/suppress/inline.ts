/**
 * Inline suppression: `keyguard:allow` on the line of a finding, or `keyguard:allow-next-line` on
 * the line above it, in whatever comment syntax the file uses (`#`, `//`, `/* *\/`, `<!-- -->`,
 * `--`, `;`). Rule ids may follow, comma separated, then an optional reason after `--`, as in eslint:
 *
 *   const sample = '…'; // keyguard:allow openai-api-key -- documented test key
 *
 * Words after the marker that are not rule ids are the reason: with no rule id named, every rule
 * is allowed on that line. A word shaped like a rule id (`openai-api-keys`) that names no rule
 * makes the marker allow nothing: a typo must not widen what is allowed. The marker is a whole
 * word: `keyguard:allowed` is not one.
 *
 * A marker reaches only so far: on the finding's line, within MARKER_REACH characters of the
 * secret; on the line above, only when that line is at most MAX_MARKER_LINE characters. So one
 * marker in a minified bundle (or a file with CR line ends, one long "line") cannot hide every
 * key in it, and checking costs the same however long the line is.
 */
const MARKER = /keyguard:allow(-next-line)?(?!\w|-(?!->))((?:(?!keyguard:allow)[^\n])*)/g;
const ID_SHAPED = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

export const MARKER_REACH = 200;
export const MAX_MARKER_LINE = 1000;

export type InlineScope = 'line' | 'next-line';

/**
 * The rule ids a marker of the given scope in `text` allows: an empty set allows all, undefined
 * means no marker of that scope (or one that allows nothing).
 */
export function allowedBy(text: string, scope: InlineScope, knownRuleIds: ReadonlySet<string>): Set<string> | undefined {
  if (!text.includes('keyguard:allow')) return undefined;
  for (const m of text.matchAll(MARKER)) {
    if ((m[1] === undefined) !== (scope === 'line')) continue;
    const ids = new Set<string>();
    const rest = (m[2] ?? '').split(/\s--\s|\s--$|\*\/|-->/)[0] ?? '';
    for (const word of rest.split(/[\s,]+/)) {
      if (knownRuleIds.has(word)) ids.add(word);
      else if (ID_SHAPED.test(word)) return undefined;
    }
    return ids;
  }
  return undefined;
}

/** Whether a finding of `ruleId` is allowed by `near` (its line, around the secret) or `previous` (the line above). */
export function isAllowedInline(ruleId: string, near: string, previous: string | undefined, knownRuleIds: ReadonlySet<string>): boolean {
  for (const ids of [allowedBy(near, 'line', knownRuleIds), previous === undefined ? undefined : allowedBy(previous, 'next-line', knownRuleIds)]) {
    if (ids && (ids.size === 0 || ids.has(ruleId))) return true;
  }
  return false;
}

/**
 * Checks a finding in `text` whose secret spans [start, end) on the line [lineStart, lineEnd),
 * with the line above given (or undefined when unknown). Reads at most a few hundred characters.
 */
export function isAllowedAt(
  ruleId: string,
  text: string,
  span: { start: number; end: number; lineStart: number; lineEnd: number },
  previous: string | undefined,
  knownRuleIds: ReadonlySet<string>,
): boolean {
  const near = text.slice(Math.max(span.lineStart, span.start - MARKER_REACH), Math.min(span.lineEnd, span.end + MARKER_REACH));
  const above = previous !== undefined && previous.length <= MAX_MARKER_LINE ? previous : undefined;
  return isAllowedInline(ruleId, near, above, knownRuleIds);
}
