import type { SourceEvent } from './events.js';
import { bigFileThreshold, isNotARepo, runGitRaw, streamGit, unquoteGitPath } from './git.js';
import { AddedLinesParser, LineSplitter } from './patch.js';
import { decodeContent, hasUtf16Bom, isLfsPointer } from '../engine/content.js';
import type { Candidate } from '../engine/types.js';
import { readBlobs } from './catfile.js';
import { messages } from '../messages.js';

/**
 * Commit history: the patch of every commit in `A..B` (`--range`) or reachable from any ref
 * (`--all`), streamed from one `git log -p -U1` (the context line is for `keyguard:allow-next-line`) so memory stays flat however long the history is.
 * A key added in one commit and deleted in a later one is still found, with the commit that added
 * it. A merge shows only what it added beyond git's own merge of its parents (`--diff-merges=remerge`):
 * a key slipped into a merge resolution, or a stash, is found, and a branch's changes are not
 * reported again through the merge that brought them in. Files git calls binary are re-read as blobs
 * and judged here, so a `.gitattributes` in the scanned commit cannot hide a text file.
 *
 * A shallow clone cannot show what lies past its boundary, so it is refused rather than passed.
 */
export interface HistoryOptions {
  cwd: string;
  /** `A..B` (or `A...B`); absent: every ref. */
  range?: string;
  /** Revision arguments for git log instead of a range (`--remotes`), unchecked: for the exposure check. */
  revisions?: readonly string[];
  onProgress?: (commits: number) => void;
  /** Files larger than this are skipped as too-large, unread (default: no limit). */
  maxFileSize?: number;
}

const LOG_FORMAT = '%x00commit %H %cI';

export async function* readHistory({ cwd, range, revisions, onProgress, maxFileSize }: HistoryOptions): AsyncGenerator<SourceEvent> {
  if (!revisions) await checkHistoryReadable(cwd, range);
  const args = [
    // Replace refs could swap a commit that added a key for a clean one.
    // core.bigFileThreshold: a file over the size limit shows as binary and is judged by its blob size.
    '--no-replace-objects', '-c', 'core.quotePath=false', ...bigFileThreshold(maxFileSize), 'log', '-p', '-U1', '--inter-hunk-context=0', '--no-color',
    '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '--submodule=short',
    // -M, as in the staged scan: a renamed file adds only its changed lines, so the hook and CI agree
    // on a rename (a baselined key moved with its file is judged by its new path in tree scans only).
    '-M', '--full-index',
    // --root: log.showRoot=false would hide the first commit's patch. remerge: a merge shows what it
    // added beyond git's own merge of its parents (an "evil merge", a stash), and nothing for a clean
    // merge, so a branch's changes are not reported twice (git >= 2.36; older git fails, exit 2).
    '--root', '--diff-merges=remerge',
    `--format=${LOG_FORMAT}`, ...(revisions ?? (range ? [range] : ['--all'])), '--',
  ];
  const { child, exited } = streamGit(args, cwd);
  child.stdin.end();

  let commit = '';
  let date = '';
  let commits = 0;
  const pending: SourceEvent[] = [];
  // Files git shows as binary (a NUL byte, or a .gitattributes `-diff` that the commit itself may
  // carry) are read as blobs after the log and judged by keyguard: text is scanned whole, UTF-16 decoded.
  let blobId = '';
  let renamedTo: string | undefined;
  const binaries: { path: string; sha: string; commit: string; date: string; hunks?: Candidate }[] = [];
  const parser = new AddedLinesParser((path, added) => {
    if (added.lines.length === 0) return;
    const text = added.lines.join('\n');
    const candidate: Candidate = { path, text, origin: 'commit', lineNumbers: added.numbers, context: added.context, bytes: Buffer.byteLength(text), commit, date };
    if (text.includes('\0') && blobId && !/^0+$/.test(blobId)) {
      // A NUL in added lines: UTF-16 that a `diff` attribute made git show as UTF-8 text is
      // decoded from the blob; any other file keeps its added lines (judged after the log).
      binaries.push({ path, sha: blobId, commit, date, hunks: candidate });
      return;
    }
    if (isLfsPointer(text)) {
      pending.push({ kind: 'skip', skip: { path, reason: 'lfs-pointer' } });
      return;
    }
    pending.push({ kind: 'candidate', candidate });
  });

  const handle = (line: string) => {
    if (!parser.inHunk && line.startsWith('index ')) blobId = /\.\.([0-9a-f]+)/.exec(line)?.[1] ?? '';
    if (!parser.inHunk && line.charCodeAt(0) === 0 && line.startsWith('\0commit ')) {
      parser.finish();
      [, commit = '', date = ''] = line.slice(1).split(' ');
      commits++;
      pending.push({ kind: 'commit', id: commit });
      return;
    }
    if (!parser.inHunk && (line.startsWith('rename to ') || line.startsWith('copy to '))) renamedTo = unquoteGitPath(line.slice(line.indexOf(' to ') + 4));
    if (!parser.inHunk && line.startsWith('Binary files ')) {
      const path = binaryPath(line, renamedTo);
      if (path !== undefined && blobId && !/^0+$/.test(blobId)) binaries.push({ path, sha: blobId, commit, date });
      return;
    }
    if (!parser.inHunk && line.startsWith('diff --git ')) {
      parser.finish(); // the previous file, while blobId is still its own
      blobId = '';
      renamedTo = undefined;
    }
    parser.push(line);
  };
  try {
    const splitter = new LineSplitter(handle);
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      for (const event of pending.splice(0)) {
        if (event.kind === 'commit') onProgress?.(commits);
        yield event;
      }
    }
    splitter.end();
    parser.finish();
    yield* pending.splice(0);
    const end = await exited;
    if (end.spawnError) throw end.spawnError;
    if (end.code !== 0) throw messages.gitFailed(args.slice(args.indexOf('log'), args.indexOf('log') + 2), end.code, end.stderr, end.signal);
  } finally {
    if (child.exitCode === null) child.kill();
  }
  let i = 0;
  for await (const blob of readBlobs(binaries.map((b) => b.sha), cwd, maxFileSize, 'history')) {
    const entry = binaries[i++]!;
    if (entry.hunks && (!blob.bytes || !hasUtf16Bom(blob.bytes))) {
      yield { kind: 'candidate', candidate: entry.hunks };
      continue;
    }
    if (!blob.bytes) {
      yield { kind: 'skip', skip: { path: entry.path, reason: 'too-large', bytes: blob.size } };
      continue;
    }
    const decoded = decodeContent(blob.bytes);
    if ('skip' in decoded) yield { kind: 'skip', skip: { path: entry.path, reason: decoded.skip } };
    else {
      yield {
        kind: 'candidate',
        candidate: { path: entry.path, text: decoded.text, origin: 'commit', bytes: blob.bytes.length, commit: entry.commit, date: entry.date },
      };
    }
  }
}

/** Refuses what cannot be read in full: not a repository, a shallow clone, a missing base or tip. */
async function checkHistoryReadable(cwd: string, range: string | undefined): Promise<void> {
  const shallow = await runGitRaw(['rev-parse', '--is-shallow-repository'], cwd);
  if (shallow.code !== 0) {
    if (isNotARepo(shallow)) throw messages.notAGitRepoHistory(cwd);
    throw messages.gitFailed(['rev-parse', '--is-shallow-repository'], shallow.code, shallow.stderr, shallow.signal);
  }
  if (shallow.stdout.toString('utf8').trim() === 'true') throw messages.shallowClone();
  if (range === undefined) return;
  const ends = range.split(/\.\.\.?/);
  if (ends.length !== 2 || !range.includes('..')) throw messages.badRange(range);
  for (const end of ends) {
    if (end === '') continue; // `A..` means A..HEAD
    const r = await runGitRaw(['rev-parse', '--verify', '--quiet', `${end}^{commit}`], cwd);
    if (r.code !== 0) throw messages.missingRevision(end, range);
  }
}

/**
 * The new path of "Binary files a/x and b/y differ"; none for a deletion. The line alone is
 * ambiguous when a name holds " and b/", so: a rename or copy names its new path on its own line;
 * a new file is everything after "/dev/null and "; otherwise old and new are the same path, C-quoted
 * by git (both or neither) when needed, so the line splits in the middle.
 */
function binaryPath(line: string, renamedTo: string | undefined): string | undefined {
  const body = line.slice('Binary files '.length, -' differ'.length);
  if (body.endsWith(' and /dev/null')) return undefined;
  if (renamedTo !== undefined) return renamedTo;
  const newSide = body.startsWith('/dev/null and ')
    ? body.slice('/dev/null and '.length)
    : body.startsWith('"')
      ? body.slice(closingQuote(body) + 1 + ' and '.length)
      : body.slice((body.length - ' and '.length) / 2 + ' and '.length);
  const path = unquoteGitPath(newSide);
  if (path.startsWith('b/')) return path.slice(2);
  const plain = body.lastIndexOf(' and b/'); // not expected; the last separator is the likeliest
  return plain === -1 ? undefined : body.slice(plain + 7);
}

/** The index of the quote that closes a C-quoted name starting at 0. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
