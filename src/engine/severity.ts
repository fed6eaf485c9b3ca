import type { Severity } from './types.js';

export type FailOn = 'error' | 'warning' | 'never';

/** Whether findings of these severities make the run fail (exit 1) under `failOn`. */
export function isFailing(severities: Iterable<Severity>, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  for (const s of severities) if (s === 'error' || failOn === 'warning') return true;
  return false;
}
