import type { Reporter } from './types.js';
import { pretty } from './pretty.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { junit } from './junit.js';

/** Reporters by --format name. */
export const reporters = { pretty, json, sarif, github, gitlab, junit } satisfies Record<string, Reporter>;
export type FormatName = keyof typeof reporters;
export const formatNames = Object.keys(reporters) as FormatName[];
