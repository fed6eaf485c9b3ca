import { KeyguardError } from '../errors.js';
import { usage } from '../messages.js';
import { SCAN_ARGS, shellWord, type CallProblem } from './block.js';

/** Every sentence `keyguard install` and `keyguard uninstall` say (STYLE.md "Messages"). */

declare const __KEYGUARD_VERSION__: string;
const VERSION = typeof __KEYGUARD_VERSION__ === 'string' ? __KEYGUARD_VERSION__ : '0.0.0-dev';

export const CONFIG_HOOK = 'hook.keyguard.pre-commit';

/** One change, in the two tenses a user may read it in. */
export interface Change {
  done: string;
  planned: string;
}

export const changes = {
  createdHook: (path: string): Change => ({ done: `created ${path}`, planned: `create ${path}` }),
  createdHooksDir: (dir: string): Change => ({
    done: `created ${dir} (core.hooksPath points there; while it was missing git ran no hook at all)`,
    planned: `create ${dir} (core.hooksPath points there; while it is missing git runs no hook at all)`,
  }),
  addedTo: (path: string, where: 'top' | 'end'): Change => ({
    done: `added keyguard to ${path} (${where === 'top' ? 'before' : 'after'} the commands already in it)`,
    planned: `add keyguard to ${path} (${where === 'top' ? 'before' : 'after'} the commands already in it)`,
  }),
  addedBefore: (path: string, line: number, stop: string): Change => ({
    done: `added keyguard to ${path}, before \`${stop}\` on line ${line} (nothing after that line runs)`,
    planned: `add keyguard to ${path}, before \`${stop}\` on line ${line} (nothing after that line runs)`,
  }),
  movedBlock: (path: string, line: number, stop: string): Change => ({
    done: `moved keyguard's lines in ${path} before \`${stop}\` on line ${line} (after it they never ran)`,
    planned: `move keyguard's lines in ${path} before \`${stop}\` on line ${line} (after it they never run)`,
  }),
  replacedLink: (path: string, target: string, backup: string): Change => ({
    done: `replaced the link ${path} (to ${target}) with keyguard's own hook; the link is kept as ${backup} and \`keyguard uninstall\` puts it back`,
    planned: `replace the link ${path} (to ${target}) with keyguard's own hook, keeping the link as ${backup}`,
  }),
  updatedBlock: (path: string): Change => ({
    done: `updated keyguard's lines in ${path}`,
    planned: `update keyguard's lines in ${path}`,
  }),
  madeExecutable: (path: string): Change => ({
    done: `made ${path} executable (git skips a hook that is not)`,
    planned: `make ${path} executable (git skips a hook that is not)`,
  }),
  convertedLf: (path: string): Change => ({
    done: `converted ${path} to LF line endings (sh cannot run a script with CRLF endings)`,
    planned: `convert ${path} to LF line endings (sh cannot run a script with CRLF endings)`,
  }),
  replaced: (path: string, backup: string): Change => ({
    done: `replaced ${path}; the previous hook is kept as ${backup} and \`keyguard uninstall\` puts it back`,
    planned: `replace ${path}, keeping the previous hook as ${backup}`,
  }),
  configSet: (key: string, value: string): Change => ({
    done: `set ${key} = ${value} in the repository's git config`,
    planned: `set ${key} = ${value} in the repository's git config`,
  }),
  removedFrom: (path: string): Change => ({ done: `removed keyguard's lines from ${path}`, planned: `remove keyguard's lines from ${path}` }),
  deleted: (path: string): Change => ({
    done: `deleted ${path} (nothing but keyguard was in it)`,
    planned: `delete ${path} (nothing but keyguard is in it)`,
  }),
  restored: (backup: string, path: string): Change => ({ done: `restored ${path} from ${backup}`, planned: `restore ${path} from ${backup}` }),
  configRemoved: (section: string): Change => ({
    done: `removed ${section}.* from the repository's git config`,
    planned: `remove ${section}.* from the repository's git config`,
  }),
};

export const notes = {
  huskyNotActive: (file: string) =>
    `husky is not active in this repository (core.hooksPath is not .husky/_), so git will not run ${file}: run \`npx husky\` to set it up.`,
  huskyMissingHere: (dir: string) =>
    `${dir} is missing in this worktree, so git runs no hook here at all: run \`npx husky\` (or \`npm install\`, whose prepare script runs it).`,
  keyguardNotFound: () =>
    'keyguard is neither in node_modules/.bin nor on PATH, so the hook will stop every commit until it is installed: npm install --save-dev keyguard',
  alreadyCalls: (path: string) => `${path} already runs keyguard (a line keyguard did not write); it was left as it is.`,
  managerStillRuns: (file: string) => `${file} still mentions keyguard: remove that entry yourself (keyguard does not edit it).`,
  notOurs: (path: string) => `${path} runs keyguard from a line keyguard did not write; remove that line yourself.`,
  linkAlreadyCalls: (path: string, target: string) =>
    `${path} is a link to ${target}, which already runs keyguard; it was left as it is.`,
  linkedBlock: (path: string, target: string) =>
    `${path} is a link to ${target}, which holds keyguard's lines; keyguard does not edit through a link: remove them from ${target} yourself.`,
  sharedHooksDir: (path: string, scope: string) =>
    `${path} holds keyguard's lines, but core.hooksPath comes from your ${scopeName(scope)}, so that hook runs for every repository using it; keyguard uninstall leaves it alone: remove the lines yourself if no repository should run keyguard.`,
};

/** A config scope as a user reads it. */
export function scopeName(scope: string): string {
  if (scope === 'command') return 'command line or environment (git -c, GIT_CONFIG_PARAMETERS)';
  return `${scope} git config`;
}

/**
 * Why a `keyguard scan` in a hook does not stop a commit, as a clause (shell.ts finds these).
 * Line numbers are the hook file's.
 */
export function describeProblem(problem: CallProblem): string {
  switch (problem.kind) {
    case 'after-exit':
      return `\`${problem.stop}\` on line ${problem.stopLine} ends the hook before keyguard (line ${problem.line}) runs`;
    case 'ignored':
      return `\`${problem.how}\` after keyguard on line ${problem.line} throws its exit status away, so a secret it finds does not stop the commit`;
    case 'piped':
      return `line ${problem.line} pipes keyguard into another command, and a pipeline fails only if its last command does`;
    case 'background':
      return `line ${problem.line} runs keyguard in the background (&), so the commit does not wait for it`;
    case 'unchecked':
      return `keyguard's exit status on line ${problem.line} is not checked: the hook goes on to line ${problem.next}, and without \`set -e\` a hook fails only if its last command does`;
  }
}

export interface Snippet {
  manager: 'lefthook' | 'pre-commit';
  file: string;
  text: string;
}

/**
 * What to add to another hook manager's config. keyguard never rewrites those files: their
 * formatting, comments and order belong to the user.
 */
export function lefthookSnippet(file: string): Snippet {
  // lefthook runs commands from the repository root with the user's PATH: call the local binary directly.
  const run = `node_modules/.bin/keyguard ${SCAN_ARGS}`;
  let body: string;
  if (file.endsWith('.toml')) body = `[pre-commit.commands.keyguard]\nrun = "${run}"\n`;
  else if (file.endsWith('.json')) body = `{\n  "pre-commit": {\n    "commands": {\n      "keyguard": { "run": "${run}" }\n    }\n  }\n}\n`;
  else body = `pre-commit:\n  commands:\n    keyguard:\n      run: ${run}\n`;
  return { manager: 'lefthook', file, text: body };
}

/**
 * A local hook with this package's hook id (.pre-commit-hooks.yaml) and the npm package as its
 * dependency: pre-commit builds the node environment from the registry, no repository URL needed.
 */
export function preCommitSnippet(file: string): Snippet {
  const text = [
    '  - repo: local',
    '    hooks:',
    '      - id: keyguard',
    '        name: keyguard (secrets in the staged change)',
    `        entry: keyguard ${SCAN_ARGS}`,
    '        language: node',
    `        additional_dependencies: ['keyguard@${VERSION}']`,
    '        pass_filenames: false',
    '        stages: [pre-commit]',
    '',
  ].join('\n');
  return { manager: 'pre-commit', file, text };
}

const LEAD_IN: Record<Snippet['manager'], (file: string) => string> = {
  lefthook: (file) => `Add this to ${file}, then run \`npx lefthook install\`:`,
  'pre-commit': (file) => `Add this to ${file} under \`repos:\`, then run \`pre-commit install\`:`,
};

export const installErrors = {
  notAGitRepo: (command: 'install' | 'uninstall', cwd: string) =>
    new KeyguardError(
      'NOT_A_GIT_REPO',
      `there is no git repository at ${cwd} to ${command === 'install' ? 'install a hook into' : 'remove a hook from'}.`,
      'a pre-commit hook belongs to a repository; outside one there is nothing to hook into.',
      'cd into the repository (or run `git init` first), then run the command again',
    ),
  badMode: (mode: string) => usage(`--mode must be one of auto, husky, hooks, git-config, not "${mode}".`),
  forceAndAppend: () => usage('choose one of --force (replace the existing hook) and --append (keep it and add keyguard).'),
  hookExists: (path: string, problem?: CallProblem) =>
    new KeyguardError(
      'USAGE',
      problem
        ? `${path} already exists and calls keyguard, but keyguard never stops a commit there: ${describeProblem(problem)}.`
        : `${path} already exists and does not run keyguard.`,
      'keyguard does not overwrite a hook it did not write: that would silently switch off whatever the hook does now.',
      `keyguard install --append (keep the hook, run keyguard first), or keyguard install --force (replace it; the old one is kept as ${path}.keyguard-backup)`,
    ),
  notShell: (path: string, interpreter: string) =>
    new KeyguardError(
      'USAGE',
      `${path} is a ${interpreter} script, so keyguard cannot add shell lines to it.`,
      'with --append keyguard adds sh commands to the hook, which only an sh-family script can run.',
      `make the hook run \`keyguard ${SCAN_ARGS}\` and fail when it fails, or replace it: keyguard install --force`,
    ),
  huskyOwnsHooksDir: (path: string) =>
    new KeyguardError(
      'USAGE',
      `--mode hooks would write ${path}, a file husky generates.`,
      'core.hooksPath is .husky/_, so git runs husky\'s hooks, and husky rewrites that directory on every `npm install`.',
      'keyguard install --mode husky (adds keyguard to .husky/pre-commit)',
    ),
  cannotChange: (path: string, reason: string) =>
    new KeyguardError(
      'OUTPUT_UNWRITABLE',
      `${path} could not be read or changed (${reason}).`,
      'keyguard stopped at that file, so the hook may not be (un)installed.',
      `check the path and its permissions (\`ls -la ${quotePath(path)}\`), fix them, then run the command again`,
    ),
  sharedHooksPath: (hooksPath: string, scope: string, file: string, gitConfig: boolean) =>
    new KeyguardError(
      'USAGE',
      `core.hooksPath is set in your ${scopeName(scope)} (${hooksPath}), so git runs ${file} for every repository that does not set its own.`,
      'keyguard install writes a hook for this repository; writing it there would turn it on in every other repository on this machine, which keyguard does not do unasked.',
      [
        ...(gitConfig ? ['keyguard install --mode git-config (a hook in this repository\'s own config)'] : []),
        'git config core.hooksPath .githooks (a hooks directory for this repository only; the shared hooks then no longer run here), then keyguard install',
        `or, to run keyguard in every repository, add \`keyguard ${SCAN_ARGS} || exit $?\` to ${file} yourself`,
      ].join('; '),
    ),
  symlinkedHook: (path: string, target: string, dangling: boolean) =>
    new KeyguardError(
      'USAGE',
      `${path} is a symbolic link to ${target}${dangling ? ', which does not exist' : ''}.`,
      dangling
        ? 'writing through the link would create a hook outside the hooks directory, in a file git may track or another repository may use.'
        : 'keyguard does not edit through a link: the file it points to may be a tracked script or shared with other repositories, and they would change too.',
      `${dangling ? `remove the link (rm ${quotePath(path)}) and run keyguard install again` : `add \`keyguard ${SCAN_ARGS} || exit $?\` near the top of ${target} yourself`}, or replace the link with keyguard's own hook: keyguard install --force (the link is kept as ${path}.keyguard-backup and \`keyguard uninstall\` puts it back)`,
    ),
  gitTooOld: (version: readonly number[]) =>
    new KeyguardError(
      'USAGE',
      `--mode git-config needs git 2.54 or newer, and this is git ${version.join('.')}.`,
      'git runs hooks declared in its config (hook.<name>.command) only since 2.54; an older git ignores them, so every commit would go unscanned.',
      'upgrade git (https://git-scm.com/downloads), or install a hook file instead: keyguard install',
    ),
};

function quotePath(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : shellWord(path);
}

/** The part of an install or uninstall result the renderer needs. */
export interface RenderableResult {
  action: 'install' | 'uninstall';
  dryRun: boolean;
  mode: string;
  changes: string[];
  notes: string[];
  snippets: Snippet[];
  hookPath?: string;
  where?: string;
}

const MODE_NAMES: Record<string, string> = {
  hooks: 'a git hook',
  husky: 'husky',
  'git-config': "git's config-based hooks",
};

/** The text `keyguard install` / `keyguard uninstall` print on standard output (exit 0). */
export function renderInstallResult(result: RenderableResult): string {
  const out: string[] = [];
  const list = (items: readonly string[]) => items.forEach((c) => out.push(`  - ${c}`));
  if (result.snippets.length > 0) {
    const managers = result.snippets.map((s) => `${s.manager} (${s.file})`).join(' and ');
    out.push(`keyguard: this repository's hooks are managed by ${managers}, so keyguard changed no file.`);
    for (const s of result.snippets) {
      out.push('', LEAD_IN[s.manager](s.file), '', ...s.text.replace(/\n$/, '').split('\n'));
    }
    if (result.notes.length > 0) out.push('');
  } else if (result.action === 'install') {
    if (result.changes.length === 0) out.push(`keyguard: already installed${result.where ? ` (${result.where})` : ''}; nothing changed.`);
    else if (result.dryRun) out.push('keyguard: dry run, nothing changed. keyguard install would:');
    else out.push(`keyguard: installed with ${MODE_NAMES[result.mode] ?? result.mode}; every commit now runs \`keyguard ${SCAN_ARGS}\` first.`);
    if (result.changes.length > 0) list(result.changes);
  } else {
    if (result.changes.length === 0) out.push('keyguard: no hook of keyguard\'s was found here; nothing changed.');
    else if (result.dryRun) out.push('keyguard: dry run, nothing changed. keyguard uninstall would:');
    else out.push('keyguard: uninstalled; commits are no longer scanned by keyguard.');
    if (result.changes.length > 0) list(result.changes);
  }
  for (const note of result.notes) out.push(`  note: ${note}`);
  return `${out.join('\n')}\n`;
}
