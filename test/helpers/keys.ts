import { randomInt } from 'node:crypto';
import { expandTemplate } from '../../src/engine/template.js';

/**
 * Key-shaped strings made at test time, so the repository holds no literal a scanner would flag.
 * Each call draws fresh random characters.
 */
export const KEY_TEMPLATES = {
  legacy: 'sk-{alnum:20}T3BlbkFJ{alnum:20}',
  'proj-short': 'sk-proj-{alnum:20}T3BlbkFJ{alnum:20}',
  proj: 'sk-proj-{b64url:74}T3BlbkFJ{b64url:73}A',
  'proj-58': 'sk-proj-{b64url:58}T3BlbkFJ{b64url:57}A',
  svcacct: 'sk-svcacct-{b64url:74}T3BlbkFJ{b64url:73}A',
  'svcacct-short': 'sk-svcacct-{alnum:20}T3BlbkFJ{alnum:20}',
  none: 'sk-None-{b64url:74}T3BlbkFJ{b64url:73}A',
  admin: 'sk-admin-{b64url:58}T3BlbkFJ{b64url:57}A',
  named: 'sk-ci-deploy-bot-{alnum:20}T3BlbkFJ{alnum:20}',
} as const;

export type KeyKind = keyof typeof KEY_TEMPLATES;

const fresh = () => {
  return () => randomInt(0, 2 ** 32) / 2 ** 32;
};

export function genKey(kind: KeyKind = 'proj'): string {
  return expandTemplate(KEY_TEMPLATES[kind], fresh()).text;
}

/** Expands an example template with fresh randomness. */
export function expand(template: string) {
  return expandTemplate(template, fresh());
}
