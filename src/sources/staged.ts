import type { SourceEvent } from './events.js';
import { bigFileThreshold, isNotARepo, runGit, streamGit } from './git.js';
import { messages } from '../messages.js';
import { readBlobs } from './catfile.js';
import { AddedLinesParser, LineSplitter, type AddedLines } from './patch.js';
import { decodeContent, hasUtf16Bom, isLfsPointer } from '../engine/content.js';
import type { Candidate } from '../engine/types.js';

/**
 * The staged change: exactly what `git commit` is about to record, read from the index named by
 * GIT_INDEX_FILE (git sets it in hooks, to a temporary index for `commit -a` and `commit <path>`).
 * Never the working tree.
 *
 * Default (added lines): one `git diff --cached -U1` gives the added lines of changed files with their
 * line numbers in the staged blob (and the unchanged line around each hunk, for inline allow comments). New files are added lines from first to last, so their blobs are
 * read whole through `git cat-file --batch`, and so are changed files git treats as binary (no text
 * hunks), judged here so that a `.gitattributes` `-diff` cannot hide a text file.
 * `full`: every staged blob through `git cat-file --batch`.
 *
 * Both git commands pin every option that user config could change (diff.noprefix,
 * diff.mnemonicPrefix, diff.relative, diff.external, color.ui, core.quotePath, interHunkContext,
 * diff.submodule, textconv), so a developer's ~/.gitconfig cannot break parsing.
 */
export interface StagedOptions {
  cwd: string;
  full?: boolean;
  /** Blobs larger than this are skipped as too-large, unread (default: no limit). */
  maxFileSize?: number;
}

interface StagedEntry {
  status: string;
  srcMode: string;
  dstMode: string;
  srcSha: string;
  dstSha: string;
  path: string;
}

const COMMON = ['--cached', '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative', '-M'];
const MODE_SYMLINK = '120000';
const MODE_GITLINK = '160000';

export async function* readStaged({ cwd, full = false, maxFileSize }: StagedOptions): AsyncGenerator<SourceEvent> {
  // New files (a: excluded) are all added lines: their blobs are cheaper to read whole than as a patch.
  // core.bigFileThreshold: git shows a file over the size limit as binary instead of diffing it, so
  // it is judged by its blob size below. The patch streams file by file: a commit of many large
  // files is never held whole (one string of it could pass V8's 512 MB limit).
  const patch = full
    ? undefined
    : streamAddedLines(
        ['--no-replace-objects', '-c', 'core.quotePath=false', ...bigFileThreshold(maxFileSize), 'diff', ...COMMON, '-U1', '--inter-hunk-context=0',
          '--src-prefix=a/', '--dst-prefix=b/', '--submodule=short', '--ignore-submodules=all', '--diff-filter=ad'],
        cwd,
      );
  try {
    const entries = parseRawListing(await runGit(['--no-replace-objects', 'diff', ...COMMON, '--raw', '-z', '--no-abbrev', '--ignore-submodules=none'], cwd));
    yield* readEntries(entries, patch, cwd, maxFileSize);
  } finally {
    patch?.stop(); // a failed listing, or a reader that stops early, must not leave git blocked on a full pipe
  }
}

async function* readEntries(
  entries: StagedEntry[],
  patch: ReturnType<typeof streamAddedLines> | undefined,
  cwd: string,
  maxFileSize: number | undefined,
): AsyncGenerator<SourceEvent> {
  yield {
    kind: 'staged',
    entries: entries.filter((e) => e.status !== 'D' && e.status !== 'U').map((e) => ({ path: e.path, sha: e.dstSha })),
  };

  const toRead: StagedEntry[] = [];
  const hunksOf = new Map<StagedEntry, Candidate>();
  // Changed files whose added lines come from the patch, by new path.
  const changed = new Map<string, StagedEntry>();
  for (const entry of entries) {
    if (entry.status === 'D') continue;
    if (entry.status === 'U') {
      // A conflict not yet resolved: git refuses to commit it, so no hook sees it, but a scan run by
      // hand must not call it clean. Its sides are in the index (`git show :2:<path>`, `:3:<path>`).
      yield { kind: 'skip', skip: { path: entry.path, reason: 'unmerged' } };
      continue;
    }
    if (entry.dstMode === MODE_GITLINK) {
      yield { kind: 'skip', skip: { path: entry.path, reason: 'submodule' } };
      continue;
    }
    if (entry.dstMode === MODE_SYMLINK) {
      yield { kind: 'skip', skip: { path: entry.path, reason: 'symlink' } };
      continue;
    }
    if (!patch || entry.status === 'A') toRead.push(entry);
    else changed.set(entry.path, entry);
  }

  if (patch) {
    const shown = new Set<string>();
    for await (const { path, added } of patch.files) {
      const entry = changed.get(path);
      if (!entry) continue;
      shown.add(path);
      if (added.lines.length === 0) continue; // only deletions
      const text = added.lines.join('\n');
      const candidate: Candidate = { path, text, origin: 'staged', lineNumbers: added.numbers, context: added.context, bytes: Buffer.byteLength(text) };
      if (text.includes('\0')) {
        // A NUL in added lines: UTF-16 that a `diff` attribute made git show as UTF-8 text is
        // decoded from the blob; any other file keeps its added lines (see the blob loop below).
        toRead.push(entry);
        hunksOf.set(entry, candidate);
      } else if (isLfsPointer(text)) yield { kind: 'skip', skip: { path, reason: 'lfs-pointer' } };
      else yield { kind: 'candidate', candidate };
    }
    for (const [path, entry] of changed) {
      // Content changed but git showed no text hunks: git judged it binary. Judge the blob ourselves.
      // (The same blob is a pure rename or a mode change: nothing was added.)
      if (!shown.has(path) && entry.srcSha !== entry.dstSha) toRead.push(entry);
    }
  }

  let i = 0;
  for await (const blob of readBlobs(toRead.map((e) => e.dstSha), cwd, maxFileSize)) {
    const entry = toRead[i++] as StagedEntry;
    const hunks = hunksOf.get(entry);
    if (hunks && (!blob.bytes || !hasUtf16Bom(blob.bytes))) {
      yield { kind: 'candidate', candidate: hunks };
      continue;
    }
    if (!blob.bytes) {
      yield { kind: 'skip', skip: { path: entry.path, reason: 'too-large', bytes: blob.size } };
      continue;
    }
    const decoded = decodeContent(blob.bytes);
    if ('skip' in decoded) yield { kind: 'skip', skip: { path: entry.path, reason: decoded.skip } };
    else yield { kind: 'candidate', candidate: { path: entry.path, text: decoded.text, origin: 'staged', bytes: blob.bytes.length } };
  }
}

/**
 * Starts a git command that prints a patch (at once, so it runs alongside the listing) and yields
 * each file's added lines as its section ends. A git that fails, dies or cannot start is an error
 * after the last file, never a shorter list. `stop()` ends git when the patch is not wanted.
 */
function streamAddedLines(args: readonly string[], cwd: string): { files: AsyncGenerator<{ path: string; added: AddedLines }>; stop(): void } {
  const { child, exited } = streamGit(args, cwd);
  child.stdin.end();
  // Node resumes (and so discards) a child's unread stdout when the child exits; a 'readable'
  // listener marks it as read, keeps it paused, and lets git block until the patch is consumed.
  child.stdout.on('readable', () => {});
  const stop = () => {
    if (child.exitCode === null) child.kill();
  };
  async function* files(): AsyncGenerator<{ path: string; added: AddedLines }> {
    const done: { path: string; added: AddedLines }[] = [];
    const parser = new AddedLinesParser((path, added) => done.push({ path, added }));
    const splitter = new LineSplitter((line) => parser.push(line));
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        splitter.push(chunk);
        yield* done.splice(0);
      }
      splitter.end();
      parser.finish();
      const end = await exited;
      if (end.spawnError) throw end.spawnError;
      if (isNotARepo(end)) throw messages.notAGitRepo(cwd);
      if (end.code !== 0) throw messages.gitFailed(args, end.code, end.stderr, end.signal);
      yield* done.splice(0);
    } finally {
      stop();
    }
  }
  return { files: files(), stop };
}

/**
 * `git diff --raw -z`: `:srcMode dstMode srcSha dstSha STATUS\0path\0` (two paths for renames/copies).
 * @see https://git-scm.com/docs/git-diff#_raw_output_format
 */
export function parseRawListing(buf: Buffer): StagedEntry[] {
  const fields = buf.toString('utf8').split('\0');
  const entries: StagedEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const meta = fields[i++];
    if (!meta) continue;
    const [srcMode, dstMode, srcSha, dstSha, statusScore] = meta.slice(1).split(' ');
    const status = (statusScore ?? '').charAt(0);
    let path = fields[i++] ?? '';
    if (status === 'R' || status === 'C') path = fields[i++] ?? path;
    entries.push({ status, srcMode: srcMode ?? '', dstMode: dstMode ?? '', srcSha: srcSha ?? '', dstSha: dstSha ?? '', path });
  }
  return entries;
}

