import type { Reporter } from './types.js';

/**
 * Stable machine output, schema in schema/scan-result.schema.json (`version` changes only when a
 * field is removed or changes meaning; new fields may be added).
 */
export const json: Reporter = (result, context) =>
  `${JSON.stringify(
    {
      version: 1,
      tool: { name: 'keyguard', version: context.version },
      findings: result.findings,
      stats: result.stats,
    },
    null,
    2,
  )}\n`;
