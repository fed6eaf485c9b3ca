import type { Reporter } from './types.js';
import { pretty } from './pretty.js';
import { json } from './json.js';

/** Reporters by --format name. */
export const reporters = { pretty, json } satisfies Record<string, Reporter>;
export type FormatName = keyof typeof reporters;
export const formatNames = Object.keys(reporters) as FormatName[];
