/**
 * The text keyguard puts into hook files, and the pure edits on it. keyguard's lines always sit
 * between two marker comments, so `keyguard uninstall` removes exactly them and nothing a user or
 * another tool wrote. Everything here is LF: a hook with CRLF endings fails under sh with
 * `$'\r': command not found` (research/ecosystem.md §1.2, desktop/desktop#19921).
 */
import { analyseShell, type CallProblem, type ScanCall, type Terminator } from './shell.js';

export type { CallProblem, ScanCall, Terminator } from './shell.js';

export const BEGIN = '# >>> keyguard >>> added by `keyguard install`; `keyguard uninstall` removes this block';
export const END = '# <<< keyguard <<<';

const BEGIN_RE = /^# >>> keyguard\b/;
const END_RE = /^# <<< keyguard\b/;

/** What a hook runs. `--staged` is explicit even though keyguard defaults to it under GIT_INDEX_FILE. */
export const SCAN_ARGS = 'scan --staged';

/**
 * Said by a hook that cannot find keyguard. It fails the commit: an unscanned commit must not pass
 * for a clean one. `pkgDir`: the package (relative to the top level) whose node_modules is searched first.
 */
export function notFoundLines(pkgDir?: string): readonly [string, string] {
  const where = pkgDir ? `${pkgDir}/node_modules/.bin, node_modules/.bin` : 'node_modules/.bin';
  return [
    `keyguard: not found in ${where} or on PATH, so this commit was not scanned for secrets and is stopped.`,
    `keyguard: run \`npm install\`${pkgDir ? ` in ${pkgDir}` : ''} (keyguard is a devDependency) and commit again.`,
  ];
}

export const NOT_FOUND_LINES = notFoundLines();

/**
 * The lookup both hook forms start with: node_modules/.bin at the top level of the worktree the
 * commit happens in (linked worktrees share one hooks directory but each has its own node_modules),
 * or first in `pkgDir` under it when keyguard was installed in a package of a monorepo. The
 * `keyguard_pkg=` line records that directory, so a later install or `keyguard doctor` reads it back.
 */
function lookupLines(pkgDir?: string): string[] {
  if (!pkgDir) return ['keyguard_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard"'];
  return [
    `keyguard_pkg=${shellWord(pkgDir)}`,
    'keyguard_bin="$(git rev-parse --show-toplevel)/$keyguard_pkg/node_modules/.bin/keyguard"',
    '[ -x "$keyguard_bin" ] || keyguard_bin="$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard"',
  ];
}

/**
 * The block for a hook file git runs itself (plain hooks, legacy husky). Git gives a hook no
 * node_modules/.bin on PATH, so the block looks there first (lookupLines), then on PATH. Never
 * `npx`: it costs ~0.4 s per commit and may download. It never `exec`s: with --append the hook's
 * own commands follow it.
 */
export function plainBlock(pkgDir?: string): string {
  return [
    BEGIN,
    ...lookupLines(pkgDir),
    'if [ -x "$keyguard_bin" ]; then',
    `  "$keyguard_bin" ${SCAN_ARGS} || exit $?`,
    'elif command -v keyguard >/dev/null 2>&1; then',
    `  keyguard ${SCAN_ARGS} || exit $?`,
    'else',
    ...notFoundLines(pkgDir).map((line) => `  echo ${shellWord(line)} >&2`),
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
export function gitConfigCommand(pkgDir?: string): string {
  return [
    ...lookupLines(pkgDir).map((line) => `${line};`),
    `if [ -x "$keyguard_bin" ]; then exec "$keyguard_bin" ${SCAN_ARGS};`,
    `elif command -v keyguard >/dev/null 2>&1; then exec keyguard ${SCAN_ARGS};`,
    `else ${notFoundLines(pkgDir).map((line) => `echo ${shellWord(line)} >&2;`).join(' ')} exit 1; fi`,
  ].join(' ');
}

/** The package directory a block or config command recorded (`keyguard_pkg='…'`), if any. */
export function recordedPackageDir(text: string): string | undefined {
  const m = /(?:^|[\s;])keyguard_pkg='((?:[^']|'\\'')*)'/m.exec(text);
  return m ? (m[1] as string).replace(/'\\''/g, "'") : undefined;
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

/** Where keyguard's block sits, as 1-based lines. */
function blockLines(text: string, block: Block): { from: number; to: number } {
  const from = text.slice(0, block.start).split('\n').length;
  return { from, to: from + block.text.replace(/\n$/, '').split('\n').length - 1 };
}

export interface HookAnalysis {
  /** keyguard's own block: the line it starts on, and why it does not run, if it does not. */
  own?: { line: number; problem?: CallProblem };
  /** `keyguard scan` invocations someone else wrote. */
  foreign: ScanCall[];
  /** The first top-level `exit` or `exec <program>`: nothing after it runs. */
  terminator?: Terminator;
  /** Some invocation (keyguard's block or another) runs keyguard and lets it stop the commit. */
  runs: boolean;
  /** When keyguard is invoked but never stops a commit: the first reason. */
  problem?: CallProblem;
}

/**
 * What a hook does with keyguard (shell.ts): only an uncommented `keyguard scan` in command
 * position counts (`…/keyguard scan`, `npx keyguard scan`, …), and only if a failing scan fails
 * the hook: not after a top-level `exit`/`exec`, not followed by `|| true`, not piped, not
 * overwritten by a later command's status when the hook does not run under `set -e`.
 * errexit: the file runs under `sh -e` (husky's runner does that).
 */
export function analyseHook(raw: string, options: { errexit?: boolean } = {}): HookAnalysis {
  const text = toLf(raw);
  const block = findBlock(text);
  const lines = block ? blockLines(text, block) : undefined;
  const shell = analyseShell(text, lines ? { ...options, skip: lines } : options);
  const result: HookAnalysis = { foreign: shell.calls, runs: false };
  if (shell.terminator) result.terminator = shell.terminator;
  if (lines) {
    const stop = shell.terminator && shell.terminator.line < lines.from ? shell.terminator : undefined;
    result.own = stop
      ? { line: lines.from, problem: { kind: 'after-exit', line: lines.from, stopLine: stop.line, stop: stop.text } }
      : { line: lines.from };
  }
  const all = [...(result.own ? [result.own] : []), ...shell.calls];
  result.runs = all.some((c) => !c.problem);
  const problem = all.find((c) => c.problem)?.problem;
  if (!result.runs && problem) result.problem = problem;
  return result;
}

/**
 * A line outside keyguard's block that runs keyguard so that it can stop the commit: such a hook
 * already does the job and is left alone. A mention that does not (a comment, an echo, a call
 * after `exit 0` or followed by `|| true`) does not count.
 */
export function callsKeyguard(text: string, options: { errexit?: boolean } = {}): boolean {
  return analyseHook(text, options).foreign.some((c) => !c.problem);
}

/** A hook manager's config (YAML, TOML, JSON) names keyguard on a line that is not a comment. */
export function configMentionsKeyguard(text: string): boolean {
  return text.split('\n').some((line) => !/^\s*#/.test(line) && /\bkeyguard\b/.test(line));
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

/**
 * Adds the block as the last commands (husky files are command lists; a `cd` earlier in them must
 * still apply), or, when a top-level `exit`/`exec` ends the file early, right before that line:
 * after it keyguard would never run.
 */
export function appendBlock(text: string, block: string, terminator?: Terminator): string {
  if (terminator) {
    const lines = text.split('\n');
    return [...lines.slice(0, terminator.line - 1), block.replace(/\n$/, ''), ...lines.slice(terminator.line - 1)].join('\n');
  }
  if (text === '') return block;
  return text.endsWith('\n') ? text + block : `${text}\n${block}`;
}

/** A single-quoted shell word. */
export function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
