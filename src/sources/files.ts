import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceEvent } from './events.js';
import type { SkipReason } from '../engine/types.js';
import { runGitRaw, isNotARepo } from './git.js';
import { decodeContent } from '../engine/content.js';
import { messages } from '../messages.js';

/**
 * Files and directories on disk. A file named on the command line is always scanned, even when
 * .gitignore covers it (a named file silently skipped is a missed key). A directory inside a
 * repository is listed by git itself (`git ls-files --cached --others --exclude-standard`), so
 * every .gitignore, .git/info/exclude and core.excludesFile rule applies exactly as git applies it;
 * outside a repository every file below it is read, `.git` folders aside, by a small walker rather
 * than fast-glob (ARCHITECTURE.md: 190 KB of bundle for one unfiltered walk). Symlinks are never followed.
 */
export interface FilesOptions {
  cwd: string;
  paths: readonly string[];
}

const READ_CONCURRENCY = 16;

export async function* readFiles({ cwd, paths }: FilesOptions): AsyncGenerator<SourceEvent> {
  const files: { abs: string; display: string; named: boolean }[] = [];
  const skips: SourceEvent[] = [];
  for (const given of paths) {
    const abs = resolve(cwd, given);
    const stat = await lstat(abs).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw messages.pathNotFound(given);
      throw messages.pathUnreadable(given, e.code ?? e.message);
    });
    if (stat.isSymbolicLink()) skips.push(skip(display(cwd, abs), 'symlink'));
    else if (stat.isFile()) files.push({ abs, display: display(cwd, abs), named: true });
    else if (stat.isDirectory()) {
      for await (const event of listDirectory(abs, cwd)) {
        if (event.kind === 'file') files.push({ abs: event.abs, display: display(cwd, event.abs), named: false });
        else skips.push(event.event);
      }
    } else skips.push(skip(display(cwd, abs), 'not-a-file'));
  }
  yield* skips;

  // Read with bounded concurrency; yield in completion order.
  const queue = files.slice();
  const done: SourceEvent[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let active = 0;
  const pump = () => {
    while (active < READ_CONCURRENCY && queue.length > 0 && failure === undefined) {
      const file = queue.shift()!;
      active++;
      readOne(file.abs, file.display, file.named)
        .then((e) => done.push(e), (e) => (failure ??= e))
        .finally(() => {
          active--;
          wake?.();
        });
    }
  };
  pump();
  while (active > 0 || done.length > 0 || (queue.length > 0 && failure === undefined)) {
    if (failure !== undefined) break;
    if (done.length === 0) {
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
      pump();
      continue;
    }
    yield done.shift()!;
    pump();
  }
  if (failure !== undefined) throw failure;
}

async function readOne(abs: string, shown: string, named: boolean): Promise<SourceEvent> {
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A file git listed but the working tree lacks (deleted, or outside a sparse checkout).
    if (err.code === 'ENOENT' && !named) return skip(shown, 'deleted-in-worktree');
    throw messages.pathUnreadable(shown, err.code ?? err.message);
  }
  const decoded = decodeContent(bytes);
  if ('skip' in decoded) return skip(shown, decoded.skip);
  return { kind: 'candidate', candidate: { path: shown, text: decoded.text, origin: 'file', bytes: bytes.length } };
}

type Listed = { kind: 'file'; abs: string } | { kind: 'skip'; event: SourceEvent };

async function* listDirectory(dir: string, cwd: string): AsyncGenerator<Listed> {
  const result = await runGitRaw(
    ['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'],
    dir,
  ).catch(() => undefined); // no git on PATH: fall back to reading everything (more, never less)
  if (result && result.code === 0) {
    for (const rel of result.stdout.toString('utf8').split('\0')) {
      if (!rel) continue;
      const abs = join(dir, rel);
      const stat = await lstat(abs).catch(() => undefined);
      if (!stat) yield { kind: 'skip', event: skip(display(cwd, abs), 'deleted-in-worktree') };
      else if (stat.isSymbolicLink()) yield { kind: 'skip', event: skip(display(cwd, abs), 'symlink') };
      else if (stat.isDirectory()) yield { kind: 'skip', event: skip(display(cwd, abs), 'submodule') };
      else if (stat.isFile()) yield { kind: 'file', abs };
      else yield { kind: 'skip', event: skip(display(cwd, abs), 'not-a-file') };
    }
    return;
  }
  if (result && !isNotARepo(result)) throw messages.gitFailed(['ls-files'], result.code, result.stderr);
  // Outside a repository: every file below, `.git` folders aside, links not followed.
  yield* walk(dir, cwd);
}

async function* walk(dir: string, cwd: string): AsyncGenerator<Listed> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    throw messages.pathUnreadable(display(cwd, dir), e.code ?? e.message);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    if (entry.isSymbolicLink()) yield { kind: 'skip', event: skip(display(cwd, abs), 'symlink') };
    else if (entry.isDirectory()) {
      if (entry.name !== '.git') yield* walk(abs, cwd);
    } else if (entry.isFile()) yield { kind: 'file', abs };
    else yield { kind: 'skip', event: skip(display(cwd, abs), 'not-a-file') };
  }
}

function skip(path: string, reason: SkipReason): SourceEvent {
  return { kind: 'skip', skip: { path, reason } };
}

/** Paths are shown relative to where keyguard runs, with forward slashes. */
function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs) || '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}
