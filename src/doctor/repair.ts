import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { install, type InstallMode } from '../commands/install.js';
import { isSecretName, parseDotenv } from '../engine/dotenv.js';
import { readText } from './context.js';
import { doctorMessages as m } from './messages.js';

/**
 * The safe fixes `doctor --fix` applies: they add files and lines, never remove or rewrite what the
 * user wrote, and never touch the index (`git rm --cached` is left to the user, as a command).
 */

/** Appends the lines .gitignore lacks (creating it if needed). */
export async function appendIgnoreLines(top: string, lines: readonly string[]): Promise<string[]> {
  const path = join(top, '.gitignore');
  const text = readText(path);
  const present = new Set((text ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = [...new Set(lines)].filter((l) => !present.has(l));
  if (missing.length === 0) return [];
  const lead = text && !text.endsWith('\n') ? '\n' : '';
  writeFileSync(path, `${text ?? ''}${lead}${missing.join('\n')}\n`);
  return [m.fix.gitignoreAdded(missing, text === undefined)];
}

/** What a template holds for a variable: a placeholder for credential names, empty otherwise. */
export function placeholderFor(name: string): string {
  return isSecretName(name) ? `your-${name.toLowerCase().replace(/_/g, '-')}-here` : '';
}

/**
 * A template from a dotenv text: a fixed header, then each variable once, its value replaced, in
 * .env's order. Nothing else of .env is copied: not its comments (free text such as "# db password
 * is …" or a pasted key would be committed with the template), and not the body lines of a
 * multi-line value (parseDotenv does not report them as variables).
 */
export function templateFrom(text: string): { text: string; count: number } {
  const entries = new Map(parseDotenv(text).map((e) => [e.line, e]));
  const seen = new Set<string>();
  const out: string[] = [m.fix.templateHeader, ''];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const entry = entries.get(index + 1);
    if (entry) {
      if (seen.has(entry.name)) return;
      seen.add(entry.name);
      const lead = /^\s*export\s/.test(line) ? 'export ' : '';
      out.push(`${lead}${entry.name}=${placeholderFor(entry.name)}`);
    } else if (line.trim() === '' && out[out.length - 1] !== '') {
      out.push(''); // .env's grouping, blank lines only
    }
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return { text: `${out.join('\n')}\n`, count: seen.size };
}

/** Creates the template next to .env; never overwrites one. */
export async function createTemplate(top: string, template: string): Promise<string[]> {
  const { text, count } = templateFrom(readFileSync(join(top, '.env'), 'utf8'));
  try {
    writeFileSync(join(top, template), text, { flag: 'wx' });
  } catch (e) {
    return [m.fix.notApplied(template, (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists' : String(e))];
  }
  return [m.fix.templateCreated(template, count)];
}

/**
 * `keyguard install` (auto mode unless told: `hooks` or `husky` to repair keyguard's own hook file
 * there); whatever it throws is reported, not raised.
 */
export async function installHook(cwd: string, mode: InstallMode = 'auto'): Promise<string[]> {
  try {
    const result = await install({ cwd, mode });
    if (result.snippet) return [m.fix.hookSnippet(result.snippet)];
    return [result.changes.length > 0 ? m.fix.hookInstalled(result.changes) : m.fix.hookUnchanged];
  } catch (e) {
    return [m.fix.notApplied('pre-commit hook', (e instanceof Error ? e.message : String(e)).replace(/\.$/, ''))];
  }
}
