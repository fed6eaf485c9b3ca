import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotenv } from '../../engine/dotenv.js';
import dotenvTemplateSecret from '../../../rules/dotenv-template-secret.js';
import { engine, keyguardCommand, readText } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import { createTemplate, placeholderFor } from '../repair.js';
import type { CheckOutcome, DoctorCheck, RepoContext } from '../types.js';

/** Template names in the order they are looked for; `.env.example` is the one --fix creates. */
const TEMPLATES = ['.env.example', '.env.sample', '.env.template', '.env.dist'];

/**
 * The committed template next to .env: it exists, holds placeholders only (the template rule plus
 * every key rule: a key under a harmless name is still a key), and names the variables .env sets.
 * Reports variable names and line numbers, never a value.
 */
export const envExampleCheck: DoctorCheck = {
  id: 'env-example',
  title: '.env.example',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo as RepoContext;
    const envText = readText(join(repo.top, '.env'));
    const template = TEMPLATES.find((t) => existsSync(join(repo.top, t)));
    if (!template) {
      if (envText === undefined) return { status: 'ok', message: m.template.none };
      return {
        status: 'warn',
        message: m.template.missing(TEMPLATES[0] as string),
        fix: m.template.missingFix(keyguardCommand(ctx)),
        repair: () => createTemplate(repo.top, TEMPLATES[0] as string),
      };
    }
    const text = readText(join(repo.top, template)) ?? '';
    const entries = parseDotenv(text);
    const nameAt = (line: number) => entries.find((e) => e.line === line)?.name;

    // One report per line: a key's type says more than "does not look like a placeholder".
    const bad = new Map<number, string>();
    for (const f of engine.scan({ path: template, text, origin: 'stdin', bytes: Buffer.byteLength(text) })) {
      const what = f.keyTypeLabel ? `${f.title}, ${f.keyTypeLabel}` : f.title;
      if (!bad.has(f.line)) bad.set(f.line, m.template.keyValue(f.line, nameAt(f.line), what));
    }
    for (const hit of dotenvTemplateSecret.check({ dotenv: [], templates: [{ path: template, text }] })) {
      const line = hit.line ?? 0;
      if (!bad.has(line)) bad.set(line, m.template.realValue(line, hit.preview));
    }

    const results: CheckOutcome[] = [];
    if (bad.size > 0) {
      const lines = [...bad.keys()].sort((a, b) => a - b);
      const name = lines.map(nameAt).find((n) => n !== undefined);
      const example = name === undefined ? undefined : `${name}=${placeholderFor(name) || `your-${name.toLowerCase().replace(/_/g, '-')}-here`}`;
      results.push({
        status: 'fail',
        message: m.template.secrets(template, lines.map((l) => bad.get(l) ?? '')),
        fix: m.template.secretsFix(template, example),
      });
    }
    if (envText !== undefined) {
      const envNames = new Set(parseDotenv(envText).map((e) => e.name));
      const templateNames = new Set(entries.map((e) => e.name));
      const missing = [...envNames].filter((n) => !templateNames.has(n));
      const extra = [...templateNames].filter((n) => !envNames.has(n));
      if (missing.length > 0 || extra.length > 0) {
        results.push({
          status: 'warn',
          message: m.template.mismatch(template, missing, extra),
          fix: m.template.mismatchFix(template, missing, extra),
        });
      }
      if (results.length === 0) return { status: 'ok', message: m.template.ok(template, envNames.size) };
    }
    if (results.length === 0) return { status: 'ok', message: m.template.okNoEnv(template) };
    return {
      status: results.some((r) => r.status === 'fail') ? 'fail' : 'warn',
      message: results.map((r) => r.message).join('; '),
      fix: results.map((r) => r.fix).join('; '),
    };
  },
};
