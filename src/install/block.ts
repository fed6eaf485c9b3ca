/**
 * The text keyguard puts into hook files, and the pure edits on it. keyguard's lines always sit
 * between two marker comments, so `keyguard uninstall` removes exactly them and nothing a user or
 * another tool wrote. Everything here is LF: a hook with CRLF endings fails under sh with
 * `$'\r': command not found` (research/ecosystem.md §1.2, desktop/desktop#19921).
 */

export const BEGIN = '# >>> keyguard >>> added by `keyguard install`; `keyguard uninstall` removes this block';
export const END = '# <<< keyguard <<<';

const BEGIN_RE = /^# >>> keyguard\b/;
const END_RE = /^# <<< keyguard\b/;

/** What a hook runs. `--staged` is explicit even though keyguard defaults to it under GIT_INDEX_FILE. */
export const SCAN_ARGS = 'scan --staged';

/** Said by a hook that cannot find keyguard. It fails the commit: an unscanned commit must not pass for a clean one. */
export const NOT_FOUND_LINES = [
  'keyguard: not found in node_modules/.bin or on PATH, so this commit was not scanned for secrets and is stopped.',
  'keyguard: run `npm install` (keyguard is a devDependency) and commit again.',
] as const;

/**
 * The block for a hook file git runs itself (plain hooks, legacy husky). Git gives a hook no
 * node_modules/.bin on PATH, so the block looks there first, at the top level of the worktree the
 * commit happens in (linked worktrees share one hooks directory but each has its own
 * node_modules), then on PATH. Never `npx`: it costs ~0.4 s per commit and may download.
 * It never `exec`s: with --append the hook's own commands follow it.
 */
export function plainBlock(): string {
  return [
    BEGIN,
    'keyguard_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard"',
    'if [ -x "$keyguard_bin" ]; then',
    `  "$keyguard_bin" ${SCAN_ARGS} || exit $?`,
    'elif command -v keyguard >/dev/null 2>&1; then',
    `  keyguard ${SCAN_ARGS} || exit $?`,
    'else',
    ...NOT_FOUND_LINES.map((line) => `  echo ${shellWord(line)} >&2`),
    '  exit 1',
    'fi',
    END,
    '',
  ].join('\n');
}

/**
 * The block for `.husky/pre-commit` (husky 9). husky's runner prepends node_modules/.bin to PATH and
 * runs the file with `sh -e`, so one command is enough; a missing keyguard exits 127 and husky
 * prints "command not found in PATH" (typicode/husky@0692639 husky/husky).
 */
export function huskyBlock(): string {
  return [BEGIN, `keyguard ${SCAN_ARGS}`, END, ''].join('\n');
}

/** The same lookup as plainBlock, as one shell command for git's config-based hooks (git >= 2.54). */
export function gitConfigCommand(): string {
  return [
    'keyguard_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard";',
    `if [ -x "$keyguard_bin" ]; then exec "$keyguard_bin" ${SCAN_ARGS};`,
    `elif command -v keyguard >/dev/null 2>&1; then exec keyguard ${SCAN_ARGS};`,
    `else ${NOT_FOUND_LINES.map((line) => `echo ${shellWord(line)} >&2;`).join(' ')} exit 1; fi`,
  ].join(' ');
}

export function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export interface Block {
  /** Index of the first character of the begin line. */
  start: number;
  /** Index just past the end line's newline (or the end of the text). */
  end: number;
  text: string;
}

/** keyguard's block in an LF text: a begin marker line up to the next end marker line. */
export function findBlock(text: string): Block | undefined {
  let offset = 0;
  let start: number | undefined;
  for (const line of text.split('\n')) {
    const next = offset + line.length + 1;
    if (start === undefined && BEGIN_RE.test(line)) start = offset;
    else if (start !== undefined && END_RE.test(line)) {
      const end = Math.min(next, text.length);
      return { start, end, text: text.slice(start, end) };
    }
    offset = next;
  }
  return undefined;
}

export function replaceBlock(text: string, block: Block, replacement: string): string {
  return text.slice(0, block.start) + replacement + text.slice(block.end);
}

export function removeBlock(text: string, block: Block): string {
  return text.slice(0, block.start) + text.slice(block.end);
}

/**
 * A line outside keyguard's block that runs keyguard (`keyguard scan`, `npx keyguard`,
 * `node_modules/.bin/keyguard`): such a hook already does the job and is left alone.
 */
export function callsKeyguard(text: string): boolean {
  const block = findBlock(text);
  const rest = block ? removeBlock(text, block) : text;
  return rest.split('\n').some((line) => !/^\s*#/.test(line) && /(^|[\s/"'`;(])keyguard(\.js|\.cmd)?\b(?![-.\w])/.test(line));
}

/** Nothing left but a shebang and blank lines: the file can go. */
export function isEmptyScript(text: string): boolean {
  return text.split('\n').every((line, i) => line.trim() === '' || (i === 0 && line.startsWith('#!')));
}

/**
 * Whether shell lines can be added to this script. Without a shebang git runs a hook through
 * /bin/sh (run-command.c retries ENOEXEC with the shell); with one, only sh-family interpreters.
 */
export function isShellScript(text: string): { shell: boolean; interpreter?: string } {
  const first = text.split('\n', 1)[0] ?? '';
  if (!first.startsWith('#!')) return { shell: true };
  const words = first.slice(2).trim().split(/\s+/);
  let program = words[0] ?? '';
  if (/(^|\/)env$/.test(program)) program = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  const name = program.replace(/^.*\//, '');
  return /^(sh|bash|dash|zsh|ksh|mksh|ash|busybox)$/.test(name) ? { shell: true, interpreter: name } : { shell: false, interpreter: name || first };
}

/** Puts the block right after the shebang (or at the top), so a hook ending in `exec …` or `exit` still runs it. */
export function insertAfterShebang(text: string, block: string): string {
  if (!text.startsWith('#!')) return block + text;
  const nl = text.indexOf('\n');
  if (nl === -1) return `${text}\n${block}`;
  return text.slice(0, nl + 1) + block + text.slice(nl + 1);
}

/** Adds the block as the last commands (husky files are command lists; a `cd` earlier in them must still apply). */
export function appendBlock(text: string, block: string): string {
  if (text === '') return block;
  return text.endsWith('\n') ? text + block : `${text}\n${block}`;
}

/** A single-quoted shell word. */
export function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
