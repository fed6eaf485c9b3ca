import type { Candidate, Skip } from '../engine/types.js';

/**
 * What every source yields: text to scan, a counted reason for not scanning something, (staged
 * source, once) the entries the staged change adds or modifies, for the repo rules, or (history
 * source) the start of each commit read.
 */
export type SourceEvent =
  | { kind: 'candidate'; candidate: Candidate }
  | { kind: 'skip'; skip: Skip }
  | { kind: 'staged'; entries: readonly { path: string; sha: string }[] }
  | { kind: 'commit'; id: string };
