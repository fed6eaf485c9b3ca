/**
 * `keyguard install` / `keyguard uninstall`: put `keyguard scan --staged` where git will really run
 * it before each commit, and take exactly that out again.
 *
 * Where hooks live is git's answer, not a guess (readHookSetup: core.hooksPath, husky, linked
 * worktrees). Each command first plans every change, refusing before anything is touched, then
 * applies the plan unless it is a dry run. keyguard's lines sit between marker comments
 * (install/block.ts), so a second install changes nothing and uninstall leaves other hooks intact.
 */
import { access, chmod, constants, lstat, mkdir, readFile, readlink, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { KeyguardError } from '../errors.js';
import { gitAtLeast, packageDirFor, readHookSetup, sharedHooksPath, type HookSetup } from '../install/hooks.js';
import {
  analyseHook,
  appendBlock,
  callsKeyguard,
  configMentionsKeyguard,
  findBlock,
  gitConfigCommand,
  huskyBlock,
  insertAfterShebang,
  isEmptyScript,
  isShellScript,
  plainBlock,
  recordedPackageDir,
  removeBlock,
  replaceBlock,
  toLf,
} from '../install/block.js';
import { analyseShell } from '../install/shell.js';
import {
  CONFIG_HOOK,
  changes as say,
  installErrors,
  lefthookSnippet,
  notes as note,
  preCommitSnippet,
  type Change,
  type Snippet,
} from '../install/messages.js';
import { runGit, runGitRaw } from '../sources/git.js';

export { renderInstallResult } from '../install/messages.js';

export type InstallMode = 'auto' | 'husky' | 'hooks' | 'git-config';

export interface InstallOptions {
  cwd: string;
  mode?: InstallMode;
  /** Replace an existing pre-commit hook that does not call keyguard. */
  force?: boolean;
  /** Add keyguard to an existing pre-commit hook. */
  append?: boolean;
  /** Say what would change, change nothing. */
  dryRun?: boolean;
}

export interface InstallResult {
  /** The mode actually used. */
  mode: InstallMode | 'lefthook' | 'pre-commit';
  /** Human sentences, one per change made (or that would be made with dryRun). Empty: already installed. */
  changes: string[];
  /** For lefthook / the pre-commit framework: the snippet to paste; nothing was edited. */
  snippet?: string;
  /** The hook file or config key keyguard now runs from. */
  hookPath?: string;
  /** Which command produced this result (renderInstallResult words it accordingly). */
  action: 'install' | 'uninstall';
  dryRun: boolean;
  /** Things the user should know or do next (a worktree without husky's runner, keyguard not installed…). */
  notes: string[];
  /** One per hook manager found, each with the file it belongs in. `snippet` is their texts joined. */
  snippets: Snippet[];
  /** Where keyguard runs from, as shown to the user (a path relative to the top level, or a config key). */
  where?: string;
}

const MODES: readonly InstallMode[] = ['auto', 'husky', 'hooks', 'git-config'];
const GIT_CONFIG_HOOKS: readonly [number, number, number] = [2, 54, 0];
const HOOK = 'pre-commit';
const BACKUP_SUFFIX = '.keyguard-backup';

export function install(options: InstallOptions): Promise<InstallResult> {
  return explainFsErrors(runInstall(options));
}

export function uninstall(options: Omit<InstallOptions, 'mode' | 'force' | 'append'>): Promise<InstallResult> {
  return explainFsErrors(runUninstall(options));
}

/** An fs error names its file: say which one could not be read or changed, and why (EACCES, EROFS, ENOTDIR…). */
async function explainFsErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (!(error instanceof KeyguardError) && typeof e.code === 'string' && typeof e.path === 'string') throw installErrors.cannotChange(e.path, e.code);
    throw error;
  }
}

async function runInstall(options: InstallOptions): Promise<InstallResult> {
  const mode = options.mode ?? 'auto';
  if (!MODES.includes(mode)) throw installErrors.badMode(String(mode));
  if (options.force && options.append) throw installErrors.forceAndAppend();
  const setup = await setupFor('install', options.cwd);
  const plan = new Plan(setup.topLevel, options.dryRun ?? false);
  // A monorepo package below the top level that has keyguard in its own node_modules.
  const pkgDir = packageDirFor(setup.topLevel, options.cwd);
  const flags = { force: options.force ?? false, append: options.append ?? false };

  let used: InstallResult['mode'];
  let hookPath: string | undefined;
  let where: string | undefined;
  const snippets: Snippet[] = [];
  // husky first: when core.hooksPath is husky's, husky's files are what git runs, whatever
  // other config files lie around. Otherwise lefthook or pre-commit own .git/hooks.
  const chosen = mode !== 'auto' ? mode : setup.husky ? 'husky' : managerOf(setup) ? 'managers' : 'hooks';
  if (chosen === 'managers') {
    const { lefthook, preCommit } = setup.managers;
    if (lefthook) await snippetFor(setup, lefthook, lefthookSnippet(lefthook), snippets);
    if (preCommit) await snippetFor(setup, preCommit, preCommitSnippet(preCommit), snippets);
    used = lefthook ? 'lefthook' : 'pre-commit';
    where = [lefthook, preCommit].filter(Boolean).join(' and ');
  } else if (chosen === 'git-config') {
    if (!gitAtLeast(setup.gitVersion, GIT_CONFIG_HOOKS)) throw installErrors.gitTooOld(setup.gitVersion);
    await planGitConfig(plan, setup.topLevel, pkgDir);
    used = 'git-config';
    hookPath = `${CONFIG_HOOK}.command`;
    where = hookPath;
  } else if (chosen === 'husky') {
    hookPath = await planHusky(plan, setup, flags, pkgDir);
    used = 'husky';
    where = plan.show(hookPath);
  } else {
    if (setup.husky) throw installErrors.huskyOwnsHooksDir(plan.show(join(setup.hooksDir, HOOK)));
    if (sharedHooksPath(setup)) {
      throw installErrors.sharedHooksPath(
        setup.hooksPath ?? '',
        setup.hooksPathScope ?? '',
        plan.show(join(setup.hooksDir, HOOK)),
        gitAtLeast(setup.gitVersion, GIT_CONFIG_HOOKS),
      );
    }
    hookPath = await planPlainHook(plan, setup, flags, pkgDir);
    used = 'hooks';
    where = plan.show(hookPath);
  }
  if (used === 'hooks' || used === 'husky' || used === 'git-config') {
    if (!(await keyguardReachable(setup.topLevel, pkgDir ?? plan.recordedPkgDir))) plan.notes.push(note.keyguardNotFound());
  }

  await plan.apply();
  const result: InstallResult = { mode: used, action: 'install', dryRun: plan.dryRun, changes: plan.sentences(), notes: plan.notes, snippets };
  if (snippets.length > 0) result.snippet = snippets.map((s) => s.text).join('\n');
  if (hookPath) result.hookPath = hookPath;
  if (where) result.where = where;
  return result;
}

async function runUninstall(options: Omit<InstallOptions, 'mode' | 'force' | 'append'>): Promise<InstallResult> {
  const setup = await setupFor('uninstall', options.cwd);
  const plan = new Plan(setup.topLevel, options.dryRun ?? false);
  const found: InstallResult['mode'][] = [];

  // Every place an install may have written, including the default hooks directory in case
  // core.hooksPath changed since (husky set up later, say).
  const common = (await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], setup.topLevel)).toString('utf8').trim();
  const files = new Map<string, InstallResult['mode']>();
  const hooksDirFile = join(setup.hooksDir, HOOK);
  if (!sharedHooksPath(setup)) files.set(hooksDirFile, setup.husky ? 'husky' : 'hooks');
  else if (findBlock(toLf(await readText(hooksDirFile).catch(() => '')))) {
    // A global core.hooksPath: its hook runs for every repository, not this one's to change.
    plan.notes.push(note.sharedHooksDir(plan.show(hooksDirFile), setup.hooksPathScope ?? ''));
  }
  files.set(join(common, 'hooks', HOOK), 'hooks');
  files.set(join(huskyDirOf(setup).dir, HOOK), 'husky');
  const seen = new Set<string>();
  for (const [file, kind] of files) {
    // The same file may be reached by two spellings (a symlinked temp dir, say): edit it once.
    const real = await realpath(file).catch(() => undefined);
    if (!real || seen.has(real)) continue;
    seen.add(real);
    if (await planRemoveBlock(plan, file, kind === 'husky')) found.push(kind);
  }

  const keys = await runGitRaw(['config', '--local', '--get-regexp', `^${CONFIG_HOOK.replace(/\./g, '\\.')}\\.`], setup.topLevel);
  if (keys.code === 0 && keys.stdout.length > 0) {
    found.push('git-config');
    plan.change(say.configRemoved(CONFIG_HOOK), () => runGit(['config', '--local', '--remove-section', CONFIG_HOOK], setup.topLevel).then(() => {}));
  }

  for (const file of [setup.managers.lefthook, setup.managers.preCommit]) {
    if (file && configMentionsKeyguard(await readText(join(setup.topLevel, file)).catch(() => ''))) plan.notes.push(note.managerStillRuns(file));
  }

  await plan.apply();
  return { mode: found[0] ?? 'auto', action: 'uninstall', dryRun: plan.dryRun, changes: plan.sentences(), notes: plan.notes, snippets: [] };
}

/** readHookSetup, with "not a repository" worded for this command. */
async function setupFor(command: 'install' | 'uninstall', cwd: string): Promise<HookSetup> {
  try {
    return await readHookSetup(cwd);
  } catch (error) {
    if (error instanceof KeyguardError && error.code === 'NOT_A_GIT_REPO') throw installErrors.notAGitRepo(command, cwd);
    throw error;
  }
}

function managerOf(setup: HookSetup): string | undefined {
  return setup.managers.lefthook ?? setup.managers.preCommit;
}

/** Changes are collected first and run only once every check has passed, so a refusal leaves nothing half done. */
class Plan {
  readonly notes: string[] = [];
  /** The package directory an existing block recorded (plainBlock), for the reachability note. */
  recordedPkgDir: string | undefined;
  private readonly steps: { change: Change; run: () => Promise<void> }[] = [];

  constructor(
    readonly topLevel: string,
    readonly dryRun: boolean,
  ) {}

  change(change: Change, run: () => Promise<void>): void {
    this.steps.push({ change, run });
  }

  sentences(): string[] {
    return this.steps.map((s) => (this.dryRun ? s.change.planned : s.change.done));
  }

  async apply(): Promise<void> {
    if (this.dryRun) return;
    for (const step of this.steps) {
      await step.run();
    }
  }

  /** A path as the user thinks of it: relative to the top level when inside it. */
  show(path: string): string {
    const rel = relative(this.topLevel, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
  }
}

interface Existing {
  /** The file with LF endings. */
  text: string;
  crlf: boolean;
  executable: boolean;
}

async function readExisting(file: string): Promise<Existing | undefined> {
  let raw: string;
  try {
    raw = await readText(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const text = toLf(raw);
  const executable = await access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
  return { text, crlf: text !== raw, executable };
}

function readText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

async function writeHook(file: string, text: string, mode?: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, mode === undefined ? {} : { mode });
  // writeFile's mode applies only to a new file, and through the umask: set it explicitly.
  if (mode !== undefined) await chmod(file, mode);
}

/** A hook file that is a symbolic link: where it points, and whether that exists. */
interface Link {
  target: string;
  dangling: boolean;
}

async function linkAt(file: string): Promise<Link | undefined> {
  const st = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!st?.isSymbolicLink()) return undefined;
  const real = await realpath(file).catch(() => undefined);
  return { target: real ?? resolve(dirname(file), await readlink(file)), dangling: real === undefined };
}

/** Whether anything (a file, a directory, a link even to nothing) is at this path. */
function lexists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * A hook that is a symbolic link is never written through: the file behind it may be a tracked
 * script or another repository's hook, and a dangling link would make keyguard create a file
 * wherever it points. If the target already runs keyguard nothing changes; otherwise install
 * refuses, and --force replaces the link itself (kept as the backup, which uninstall restores).
 * Returns true when the link was dealt with.
 */
async function planLink(plan: Plan, file: string, fresh: string, mode: number, flags: { force: boolean }, errexit: boolean): Promise<boolean> {
  const link = await linkAt(file);
  if (!link) return false;
  const shown = plan.show(file);
  const target = plan.show(link.target);
  const existing = link.dangling ? undefined : await readExisting(file);
  if (existing && analyseHook(existing.text, { errexit }).runs) {
    plan.notes.push(note.linkAlreadyCalls(shown, target));
    return true;
  }
  if (!flags.force) throw installErrors.symlinkedHook(shown, target, link.dangling);
  const backup = freeBackupName(file);
  plan.change(say.replacedLink(shown, target, plan.show(backup)), async () => {
    await rename(file, backup);
    await writeHook(file, fresh, mode);
  });
  return true;
}

/** Plain hooks: `<hooks dir>/pre-commit`, `#!/bin/sh`, LF, 0755. */
async function planPlainHook(plan: Plan, setup: HookSetup, flags: { force: boolean; append: boolean }, pkgDir: string | undefined): Promise<string> {
  const file = join(setup.hooksDir, HOOK);
  const shown = plan.show(file);
  if (setup.hooksPathMissing) plan.change(say.createdHooksDir(plan.show(setup.hooksDir)), async () => {});
  if (await planLink(plan, file, `#!/bin/sh\n${plainBlock(pkgDir)}`, 0o755, flags, false)) return file;
  const existing = await readExisting(file);
  const found = existing ? findBlock(existing.text) : undefined;
  const dir = pkgDir ?? (found ? recordedPackageDir(found.text) : undefined);
  plan.recordedPkgDir = dir;
  const block = plainBlock(dir);
  const fresh = `#!/bin/sh\n${block}`;

  if (!existing || isEmptyScript(existing.text)) {
    plan.change(say.createdHook(shown), () => writeHook(file, fresh, 0o755));
    return file;
  }
  if (found) {
    const own = analyseHook(existing.text).own?.problem;
    if (own?.kind === 'after-exit') {
      // keyguard's lines below an `exit`/`exec` never run: keyguard's place in a plain hook is the top.
      const moved = insertAfterShebang(removeBlock(existing.text, found), block);
      planRefresh(plan, file, existing, moved, 0o755, say.movedBlock(shown, own.stopLine, own.stop));
    } else planRefresh(plan, file, existing, replaceBlock(existing.text, found, block), 0o755);
    return file;
  }
  if (callsKeyguard(existing.text)) {
    plan.notes.push(note.alreadyCalls(shown));
    return file;
  }
  if (flags.append) {
    const { shell, interpreter } = isShellScript(existing.text);
    if (!shell) throw installErrors.notShell(shown, interpreter ?? 'non-shell');
    plan.change(say.addedTo(shown, 'top'), () => writeHook(file, insertAfterShebang(existing.text, block), 0o755));
    if (existing.crlf) plan.change(say.convertedLf(shown), async () => {});
    return file;
  }
  if (flags.force) {
    const backup = freeBackupName(file);
    plan.change(say.replaced(shown, plan.show(backup)), async () => {
      await rename(file, backup);
      await writeHook(file, fresh, 0o755);
    });
    return file;
  }
  throw installErrors.hookExists(shown, analyseHook(existing.text).problem);
}

/** keyguard's block is there: bring it, the line endings and the mode up to date, or change nothing. */
function planRefresh(plan: Plan, file: string, existing: Existing, updated: string, mode: number | undefined, change?: Change): void {
  const shown = plan.show(file);
  const textChanged = updated !== existing.text;
  if (textChanged) plan.change(change ?? say.updatedBlock(shown), () => writeHook(file, updated, mode));
  if (existing.crlf) plan.change(say.convertedLf(shown), textChanged ? async () => {} : () => writeHook(file, updated, mode));
  if (mode !== undefined && !existing.executable) plan.change(say.madeExecutable(shown), () => chmod(file, mode));
}

function huskyDirOf(setup: HookSetup): { dir: string; legacy: boolean } {
  if (!setup.husky) return { dir: join(setup.topLevel, '.husky'), legacy: false };
  // husky 9 points core.hooksPath at <dir>/_ (its generated runner); husky 4–8 at <dir> itself.
  const v9 = /[\\/]_$/.test(setup.hooksDir);
  return { dir: v9 ? dirname(setup.hooksDir) : setup.hooksDir, legacy: !v9 };
}

/**
 * husky: keyguard's lines go at the end of `.husky/pre-commit`, a command list the user owns and
 * that husky's runner executes with `sh -e` and node_modules/.bin on PATH; when a top-level `exit`
 * or `exec` ends the list earlier, they go right before that line (after it they would never run). husky 9 needs no shebang
 * and no exec bit there; husky 4–8 (core.hooksPath = .husky) has git run the file directly, so it
 * gets the plain hook's lookup and 0755.
 */
async function planHusky(plan: Plan, setup: HookSetup, flags: { force: boolean }, pkgDir: string | undefined): Promise<string> {
  const { dir, legacy } = huskyDirOf(setup);
  const file = join(dir, HOOK);
  const shown = plan.show(file);
  const mode = legacy ? 0o755 : undefined;
  // husky 9's runner runs the file with `sh -e`; husky 5–8's husky.sh re-runs it so (analyseShell sees that line).
  const errexit = !legacy;
  if (!setup.husky) plan.notes.push(note.huskyNotActive(shown));
  else if (setup.hooksPathMissing) plan.notes.push(note.huskyMissingHere(plan.show(setup.hooksDir)));
  const existing = await readExisting(file);
  const found = existing ? findBlock(existing.text) : undefined;
  const pkg = pkgDir ?? (found ? recordedPackageDir(found.text) : undefined);
  plan.recordedPkgDir = pkg;
  const block = legacy ? plainBlock(pkg) : huskyBlock();
  const fresh = legacy ? `#!/bin/sh\n${block}` : block;
  if (await planLink(plan, file, fresh, mode ?? 0o644, flags, errexit)) return file;

  if (!existing || existing.text.trim() === '') {
    plan.change(say.createdHook(shown), () => writeHook(file, fresh, mode ?? 0o644));
    return file;
  }
  if (found) {
    const own = analyseHook(existing.text, { errexit }).own?.problem;
    if (own?.kind === 'after-exit') {
      const rest = removeBlock(existing.text, found);
      const stop = analyseShell(rest, { errexit }).terminator;
      planRefresh(plan, file, existing, appendBlock(rest, block, stop), mode, say.movedBlock(shown, own.stopLine, own.stop));
    } else planRefresh(plan, file, existing, replaceBlock(existing.text, found, block), mode);
    return file;
  }
  if (callsKeyguard(existing.text, { errexit })) {
    plan.notes.push(note.alreadyCalls(shown));
    return file;
  }
  // husky's file is the user's command list: keyguard goes last, unless an `exit`/`exec` ends it earlier.
  const stop = analyseHook(existing.text, { errexit }).terminator;
  const change = stop ? say.addedBefore(shown, stop.line, stop.text) : say.addedTo(shown, 'end');
  plan.change(change, () => writeHook(file, appendBlock(existing.text, block, stop), mode));
  if (existing.crlf) plan.change(say.convertedLf(shown), async () => {});
  return file;
}

/**
 * git >= 2.54 runs hooks declared in config: `hook.<name>.event` + `hook.<name>.command`, the name
 * following pre-commit's `<tool>.<event>` scheme (git-scm.com/docs/git-hook/2.54.0;
 * pre-commit.com sections/advanced.md "usage with git 2.54+ hook configuration"). Local scope only:
 * a global hook would also run in repositories the user does not trust.
 */
async function planGitConfig(plan: Plan, topLevel: string, pkgDir: string | undefined): Promise<void> {
  const get = async (key: string) => {
    const r = await runGitRaw(['config', '--local', '--get-all', `${CONFIG_HOOK}.${key}`], topLevel);
    return r.code === 0 ? r.stdout.toString('utf8').replace(/\n$/, '').split('\n') : [];
  };
  const dir = pkgDir ?? recordedPackageDir((await get('command')).join('\n'));
  plan.recordedPkgDir = dir;
  const wanted: [string, string][] = [
    ['event', HOOK],
    ['command', gitConfigCommand(dir)],
  ];
  for (const [key, value] of wanted) {
    const current = await get(key);
    if (current.length === 1 && current[0] === value) continue;
    const shownValue = key === 'command' ? 'keyguard scan --staged (found in node_modules/.bin or on PATH)' : value;
    plan.change(say.configSet(`${CONFIG_HOOK}.${key}`, shownValue), () =>
      runGit(['config', '--local', '--replace-all', `${CONFIG_HOOK}.${key}`, value], topLevel).then(() => {}),
    );
  }
}

/** Removes keyguard's block from one hook file; deletes a file left empty and puts a --force backup back. */
async function planRemoveBlock(plan: Plan, file: string, errexit: boolean): Promise<boolean> {
  const existing = await readExisting(file);
  if (!existing) return false;
  const found = findBlock(existing.text);
  const shown = plan.show(file);
  if (!found) {
    if (callsKeyguard(existing.text, { errexit })) plan.notes.push(note.notOurs(shown));
    return false;
  }
  const link = await linkAt(file);
  if (link) {
    plan.notes.push(note.linkedBlock(shown, plan.show(link.target)));
    return false;
  }
  const rest = removeBlock(existing.text, found);
  if (!isEmptyScript(rest)) {
    plan.change(say.removedFrom(shown), () => writeFile(file, rest));
    return true;
  }
  plan.change(say.deleted(shown), () => unlink(file));
  const backup = `${file}${BACKUP_SUFFIX}`;
  if (lexists(backup)) plan.change(say.restored(plan.show(backup), shown), () => rename(backup, file));
  return true;
}

async function snippetFor(setup: HookSetup, file: string, snippet: Snippet, out: Snippet[]): Promise<void> {
  const text = await readText(join(setup.topLevel, file)).catch(() => '');
  // A config that already names keyguard is taken as installed: nothing to paste.
  if (configMentionsKeyguard(text)) return;
  out.push(snippet);
}

function freeBackupName(file: string): string {
  let candidate = `${file}${BACKUP_SUFFIX}`;
  for (let i = 2; lexists(candidate); i++) candidate = `${file}${BACKUP_SUFFIX}-${i}`;
  return candidate;
}

/** Whether the hook will find keyguard: the package's node_modules/.bin, the worktree's, else PATH. */
async function keyguardReachable(topLevel: string, pkgDir: string | undefined): Promise<boolean> {
  const candidates = [join(topLevel, 'node_modules', '.bin', 'keyguard')];
  if (pkgDir) candidates.unshift(join(topLevel, pkgDir, 'node_modules', '.bin', 'keyguard'));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'keyguard'));
  for (const file of candidates) {
    const ok = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (ok) return true;
  }
  return false;
}
