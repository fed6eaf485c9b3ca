/**
 * Inline suppression: `keyguard:allow` on the line of a finding, or `keyguard:allow-next-line` on
 * the line above it, in whatever comment syntax the file uses (`#`, `//`, `/* *\/`, `<!-- -->`,
 * `--`, `;`). Rule ids may follow, comma separated, then an optional reason after `--`, as in eslint:
 *
 *   const sample = '…'; // keyguard:allow openai-api-key -- documented test key
 *
 * Words after the marker that are not rule ids are the reason: with no rule id named, every rule
 * is allowed on that line. The marker matches whole words only: `keyguard:allowed` is not one.
 */
const MARKER = /keyguard:allow(-next-line)?(?![\w-])((?:(?!keyguard:allow)[^\n])*)/g;

export type InlineScope = 'line' | 'next-line';

/** The rule ids a line's marker of the given scope allows (empty: all), or undefined if it has none. */
export function allowedBy(line: string, scope: InlineScope, knownRuleIds: ReadonlySet<string>): Set<string> | undefined {
  if (!line.includes('keyguard:allow')) return undefined;
  for (const m of line.matchAll(MARKER)) {
    if ((m[1] === undefined) !== (scope === 'line')) continue;
    const ids = new Set<string>();
    const rest = (m[2] ?? '').split(/\s--\s|\*\/|-->/)[0] ?? '';
    for (const word of rest.split(/[\s,]+/)) if (knownRuleIds.has(word)) ids.add(word);
    return ids;
  }
  return undefined;
}

/** Whether a finding of `ruleId` on `line` (with `previous`, the line above, if known) is allowed inline. */
export function isAllowedInline(ruleId: string, line: string, previous: string | undefined, knownRuleIds: ReadonlySet<string>): boolean {
  for (const ids of [allowedBy(line, 'line', knownRuleIds), previous === undefined ? undefined : allowedBy(previous, 'next-line', knownRuleIds)]) {
    if (ids && (ids.size === 0 || ids.has(ruleId))) return true;
  }
  return false;
}
