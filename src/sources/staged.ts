import type { SourceEvent } from './events.js';
import { runGit, unquoteGitPath } from './git.js';
import { readBlobs } from './catfile.js';
import { parseAddedLines } from './patch.js';
import { decodeContent, isLfsPointer } from '../engine/content.js';

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
  const [listing, patch] = await Promise.all([
    runGit(['--no-replace-objects', 'diff', ...COMMON, '--raw', '-z', '--no-abbrev', '--ignore-submodules=none'], cwd),
    full
      ? undefined
      : runGit(
          // New files (a: excluded) are all added lines: their blobs are cheaper to read whole than as a patch.
          // core.bigFileThreshold: git shows a file over the size limit as binary instead of diffing
          // it, so it is judged by its blob size below and the patch stays bounded.
          ['--no-replace-objects', '-c', 'core.quotePath=false', ...bigFileThreshold(maxFileSize), 'diff', ...COMMON, '-U1', '--inter-hunk-context=0', '--src-prefix=a/',
            '--dst-prefix=b/', '--submodule=short', '--ignore-submodules=all', '--diff-filter=ad'],
          cwd,
        ),
  ]);
  const entries = parseRawListing(listing);
  const added = patch ? parseAddedLines(patch.toString('utf8')) : undefined;
  yield {
    kind: 'staged',
    entries: entries.filter((e) => e.status !== 'D' && e.status !== 'U').map((e) => ({ path: e.path, sha: e.dstSha })),
  };

  const toRead: StagedEntry[] = [];
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
    if (!added || entry.status === 'A') {
      toRead.push(entry);
      continue;
    }
    const file = added.get(entry.path);
    if (file) {
      if (file.lines.length === 0) continue; // only deletions
      const text = file.lines.join('\n');
      if (isLfsPointer(text)) yield { kind: 'skip', skip: { path: entry.path, reason: 'lfs-pointer' } };
      else
        yield {
          kind: 'candidate',
          candidate: { path: entry.path, text, origin: 'staged', lineNumbers: file.numbers, context: file.context, bytes: Buffer.byteLength(text) },
        };
    } else if (entry.srcSha !== entry.dstSha) {
      // Content changed but git showed no text hunks: git judged it binary. Judge the blob ourselves.
      toRead.push(entry);
    }
    // Same blob (a pure rename or a mode change): nothing was added.
  }

  let i = 0;
  for await (const blob of readBlobs(toRead.map((e) => e.dstSha), cwd, maxFileSize)) {
    const entry = toRead[i++] as StagedEntry;
    if (!blob.bytes) {
      yield { kind: 'skip', skip: { path: entry.path, reason: 'too-large', bytes: blob.size } };
      continue;
    }
    const decoded = decodeContent(blob.bytes);
    if ('skip' in decoded) yield { kind: 'skip', skip: { path: entry.path, reason: decoded.skip } };
    else yield { kind: 'candidate', candidate: { path: entry.path, text: decoded.text, origin: 'staged', bytes: blob.bytes.length } };
  }
}

/** `-c core.bigFileThreshold=N`: files over N bytes are binary to git's diff and log. */
export function bigFileThreshold(maxFileSize: number | undefined): string[] {
  return maxFileSize === undefined || !Number.isFinite(maxFileSize) ? [] : ['-c', `core.bigFileThreshold=${maxFileSize}`];
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

export { parseAddedLines, type AddedLines } from './patch.js';
