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
  // Overlapping arguments (`app app/key.env`) must not scan or report a file twice.
  const seen = new Set<string>();
  const addFile = (abs: string, named: boolean) => {
    if (!seen.has(abs)) files.push({ abs, display: display(cwd, abs), named });
    seen.add(abs);
  };
  const addSkip = (event: SourceEvent) => {
    const key = event.kind === 'skip' ? resolve(cwd, event.skip.path) : '';
    if (!seen.has(key)) skips.push(event);
    seen.add(key);
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    const stat = await lstat(abs).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw messages.pathNotFound(given);
      throw messages.pathUnreadable(given, e.code ?? e.message);
    });
    if (stat.isSymbolicLink()) addSkip(skip(display(cwd, abs), 'symlink'));
    else if (stat.isFile()) addFile(abs, true);
    else if (stat.isDirectory()) {
      for await (const event of listDirectory(abs, cwd)) {
        if (event.kind === 'file') addFile(event.abs, false);
        else addSkip(event.event);
      }
    } else addSkip(skip(display(cwd, abs), 'not-a-file'));
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
  // The directory's own ignore status tells a named, ignored directory (`keyguard scan build/`) from
  // one whose ignored parts should be left out; a named directory is never skipped silently.
  const [result, ignored] = await Promise.all([
    runGitRaw(['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], dir),
    runGitRaw(['check-ignore', '-q', '.'], dir),
  ]).catch(() => [undefined, undefined] as const); // no git on PATH: read everything (more, never less)
  if (result && result.code === 0 && ignored?.code !== 0) {
    // ls-files exits 0 even when it could not open a directory; that is unread input, not a clean one.
    const denied = /could not open directory '(.*)': (.*)/.exec(result.stderr);
    if (denied) throw messages.pathUnreadable(display(cwd, join(dir, denied[1] ?? '')), denied[2] ?? 'permission denied');
    for (const rel of result.stdout.toString('utf8').split('\0')) {
      if (!rel) continue;
      const abs = join(dir, rel);
      const stat = await lstat(abs).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
        throw messages.pathUnreadable(display(cwd, abs), e.code ?? e.message);
      });
      if (!stat) yield { kind: 'skip', event: skip(display(cwd, abs), 'deleted-in-worktree') };
      else if (stat.isSymbolicLink()) yield { kind: 'skip', event: skip(display(cwd, abs), 'symlink') };
      else if (stat.isDirectory()) yield { kind: 'skip', event: skip(display(cwd, abs), 'submodule') };
      else if (stat.isFile()) yield { kind: 'file', abs };
      else yield { kind: 'skip', event: skip(display(cwd, abs), 'not-a-file') };
    }
    return;
  }
  if (result && result.code !== 0 && !isNotARepo(result)) throw messages.gitFailed(['ls-files'], result.code, result.stderr);
  // Outside a repository, or a directory git ignores that was named: every file below, `.git`
  // folders aside, links not followed.
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
