import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SourceEvent } from './events.js';
import type { SkipReason } from '../engine/types.js';
import { isOutsideWorkTree, runGitRaw } from './git.js';
import { decodeContent } from '../engine/content.js';
import { messages } from '../messages.js';

/**
 * Files and directories on disk.
 *
 * A path named on the command line is always read, even when .gitignore covers it (a named file
 * silently skipped is a missed key); a named symlink, FIFO or `/dev/stdin` is read as what it
 * points at. A directory inside a repository is listed by git itself (`git ls-files`), so every
 * .gitignore, .git/info/exclude and core.excludesFile rule applies exactly as git applies it; a
 * named directory that git ignores, or one outside any repository, is read whole, `.git` folders
 * aside. Inside a directory, symlinks are never followed. Anything keyguard was asked to read and
 * could not is an error (exit 2), never a skip.
 *
 * Reads are synchronous: for many small files one blocking read each is several times faster than
 * fs.promises.readFile, which makes four thread-pool round trips per file.
 */
export interface FilesOptions {
  cwd: string;
  paths: readonly string[];
  /** Files larger than this are skipped as too-large, unread (default: no limit). */
  maxFileSize?: number;
}

type Listed = { kind: 'file'; abs: string; mode?: string; sparse?: boolean } | { kind: 'skip'; abs: string; reason: SkipReason };

export async function* readFiles({ cwd, paths, maxFileSize = Infinity }: FilesOptions): AsyncGenerator<SourceEvent> {
  // Overlapping arguments (`app app/key.env`) must not scan or report a file twice.
  const seen = new Set<string>();
  for (const given of paths) {
    const abs = resolve(cwd, given);
    let stat;
    try {
      stat = statSync(abs);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw messages.pathNotFound(given);
      throw messages.pathUnreadable(given, err.code ?? err.message);
    }
    const entries: Listed[] = stat.isDirectory()
      ? await listNamedDirectory(abs, cwd)
      : stat.isFile() || stat.isFIFO() || stat.isCharacterDevice()
        ? [{ kind: 'file', abs }]
        : [];
    if (entries.length === 0 && !stat.isDirectory()) throw messages.pathUnreadable(given, 'not a file, directory or pipe');
    for (const entry of entries) {
      if (seen.has(entry.abs)) continue;
      seen.add(entry.abs);
      const shown = display(cwd, entry.abs);
      if (entry.kind === 'skip') yield skip(shown, entry.reason);
      else yield readOne(entry.abs, shown, entry.abs === abs, maxFileSize, entry.sparse ?? false);
    }
  }
}

/** Reads one file; a file found inside a directory is opened without following a final symlink. */
function readOne(abs: string, shown: string, named: boolean, maxFileSize: number, sparse = false): SourceEvent {
  let bytes: Buffer;
  try {
    if (named) {
      const fd = openSync(abs, constants.O_RDONLY);
      try {
        const stat = fstatSync(fd);
        if (stat.isFile()) {
          if (stat.size > maxFileSize) return tooLarge(shown, stat.size);
          bytes = readFileSync(fd);
        } else {
          // A pipe (`<(…)`, /dev/stdin) has no size until it is read: past the limit the rest is
          // drained unread, so memory stays bounded and the writer is not left blocked.
          const read = readAtMost(fd, maxFileSize);
          if (read.bytes === undefined) return tooLarge(shown, read.total);
          bytes = read.bytes;
        }
      } finally {
        closeSync(fd);
      }
    } else {
      // O_NONBLOCK: a FIFO found in a tree must not wait for a writer; on files it changes nothing.
      const fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) return skip(shown, 'not-a-file');
        if (stat.size > maxFileSize) return tooLarge(shown, stat.size);
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A file git listed but the working tree lacks (deleted, or outside a sparse checkout).
    // A skip-worktree file that is on disk (`update-index --skip-worktree` on a local config) was read above.
    if (!named && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return skip(shown, sparse ? 'outside-sparse-checkout' : 'deleted-in-worktree');
    if (!named && err.code === 'ELOOP') return skip(shown, 'symlink');
    throw messages.pathUnreadable(shown, err.code ?? err.message);
  }
  const decoded = decodeContent(bytes);
  if ('skip' in decoded) return skip(shown, decoded.skip);
  return { kind: 'candidate', candidate: { path: shown, text: decoded.text, origin: 'file', bytes: bytes.length } };
}

/**
 * Lists a directory through git when it is inside a repository. git runs from where keyguard runs,
 * with the directory as a literal pathspec, so a GIT_DIR exported without GIT_WORK_TREE (as git
 * does for hooks in linked worktrees) still resolves paths against the right top level.
 */
async function listDirectory(dir: string, cwd: string): Promise<Listed[]> {
  // Inside a `.git` directory: plain files, whatever GIT_DIR says (git would list nothing there).
  if (dir.split(sep).includes('.git')) return walk(dir, cwd);
  const inside = within(dir, cwd);
  const where = inside ? cwd : dir;
  const spec = inside ? relative(cwd, dir) || '.' : '.';
  const lsFiles = (args: string[]) =>
    runGitRaw(['--literal-pathspecs', '-c', 'core.quotePath=false', 'ls-files', '-z', ...args, '--', spec], where);
  const results = await Promise.all([
    // -t tags skip-worktree entries (S): outside a sparse checkout, or kept local on purpose.
    lsFiles(['-s', '-t', '--cached']),
    lsFiles(['--others', '--exclude-standard']),
    // A named directory that git ignores is read whole: naming it is asking for it. (check-ignore
    // takes plain paths and refuses pathspec magic.)
    runGitRaw(['check-ignore', '-q', '--', spec], where),
    // GIT_DIR and GIT_WORK_TREE exported while keyguard runs elsewhere: git would list its own work
    // tree, not this directory. Only a directory inside the work tree is listed through git.
    runGitRaw(['rev-parse', '--show-toplevel'], where),
    // The repository the directory itself is in: a submodule, a nested repository or `.git` is not
    // the one keyguard runs in, and the outer git lists nothing inside it.
    dir === where ? undefined : runGitRaw(['rev-parse', '--is-inside-git-dir', '--show-toplevel'], dir),
  ]).catch(() => undefined); // no git on PATH: read everything (more, never less)
  if (!results) return walk(dir, cwd);
  const [cached, others, ignored, top, own] = results;
  // Outside a work tree (no repository, a bare one, inside .git): every file below is read.
  if (isOutsideWorkTree(cached) || isOutsideWorkTree(others)) return walk(dir, cwd);
  const topLevel = top.code === 0 ? top.stdout.toString('utf8').replace(/\n$/, '') : '';
  if (topLevel !== '' && !within(realpathSync(where), realpathSync(topLevel))) return walk(dir, cwd);
  if (own) {
    const [insideGitDir, ownTop = ''] = own.stdout.toString('utf8').split('\n');
    if (insideGitDir === 'true') return walk(dir, cwd);
    // With GIT_DIR exported every git call sees that repository; there is no other one to ask.
    if (own.code === 0 && ownTop !== '' && topLevel !== '' && !process.env.GIT_DIR && realpathSync(ownTop) !== realpathSync(topLevel)) {
      return listDirectory(dir, dir);
    }
  }
  for (const r of [cached, others]) {
    if (r.code !== 0) throw messages.gitFailed(['ls-files'], r.code, r.stderr, r.signal);
    // ls-files exits 0 even when it could not open a directory: that is unread input, not a clean one.
    const denied = /could not open directory '(.*)': (.*)/.exec(r.stderr);
    if (denied) throw messages.pathUnreadable(denied[1] ?? dir, denied[2] ?? 'permission denied');
  }
  if (ignored.code === 0) return walk(dir, cwd);

  const listed: Listed[] = [];
  for (const record of cached.stdout.toString('utf8').split('\0')) {
    // `<tag> <mode> <sha> <stage>\t<path>`; unmerged paths appear once per stage and are deduplicated later.
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const mode = record.slice(2, 8);
    const abs = join(where, record.slice(tab + 1));
    if (mode === '120000') listed.push({ kind: 'skip', abs, reason: 'symlink' });
    else if (mode === '160000') listed.push({ kind: 'skip', abs, reason: 'submodule' });
    else listed.push({ kind: 'file', abs, mode, ...(record.startsWith('S ') ? { sparse: true } : {}) });
  }
  for (const path of others.stdout.toString('utf8').split('\0')) {
    if (!path) continue;
    // An untracked nested repository is listed as `dir/`; its files belong to that repository.
    if (path.endsWith('/')) listed.push({ kind: 'skip', abs: join(where, path.slice(0, -1)), reason: 'submodule' });
    else listed.push({ kind: 'file', abs: join(where, path) });
  }
  return listed;
}

/**
 * A directory named on the command line. Named through a symlink, it is listed where the link
 * points (git would list the link itself) and shown under the name the user gave.
 */
async function listNamedDirectory(dir: string, cwd: string): Promise<Listed[]> {
  const real = realpathSync(dir);
  // The directory itself, or a folder on the way to it, is a link (`scan linksrc/deep`): git lists
  // nothing "beyond a symbolic link", so list the real directory.
  if (real === dir) return listDirectory(dir, cwd);
  const listed = await listDirectory(real, cwd);
  return listed.map((entry) => ({ ...entry, abs: join(dir, relative(real, entry.abs)) }));
}

/** Every file below `dir`, `.git` folders aside, symlinks counted and not followed. */
function walk(dir: string, cwd: string, into: Listed[] = []): Listed[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw messages.pathUnreadable(display(cwd, dir), err.code ?? err.message);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    if (entry.isSymbolicLink()) into.push({ kind: 'skip', abs, reason: 'symlink' });
    else if (entry.isDirectory()) {
      if (entry.name !== '.git') walk(abs, cwd, into);
    } else if (entry.isFile()) into.push({ kind: 'file', abs });
    else into.push({ kind: 'skip', abs, reason: 'not-a-file' });
  }
  return into;
}

function skip(path: string, reason: SkipReason): SourceEvent {
  return { kind: 'skip', skip: { path, reason } };
}

function readAtMost(fd: number, max: number): { bytes?: Buffer; total: number } {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
    total += n;
    if (total <= max) chunks.push(Buffer.from(buffer.subarray(0, n)));
    else chunks.length = 0;
  }
  return total > max ? { total } : { bytes: Buffer.concat(chunks), total };
}

function tooLarge(path: string, bytes: number): SourceEvent {
  return { kind: 'skip', skip: { path, reason: 'too-large', bytes } };
}

/** Whether `path` is `dir` or below it (both absolute). */
function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Paths are shown relative to where keyguard runs, with forward slashes. */
function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs) || '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}
