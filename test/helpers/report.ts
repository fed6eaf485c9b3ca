import type { Finding, ScanStats } from '../../src/engine/types.js';

/** The `--format json` document, typed from the engine's own types so tests and code cannot drift. */
export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  findings: Finding[];
  stats: ScanStats;
}
