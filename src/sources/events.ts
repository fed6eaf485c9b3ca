import type { Candidate, Skip } from '../engine/types.js';

/** What every source yields: text to scan, or a counted reason for not scanning something. */
export type SourceEvent = { kind: 'candidate'; candidate: Candidate } | { kind: 'skip'; skip: Skip };
