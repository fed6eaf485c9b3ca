import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { createEngine, retainedSecret } from '../engine/engine.js';
import type { RepoRuleDefinition, RepoState, RuleDefinition } from '../engine/rule.js';
import { checkRepo } from '../engine/repo.js';
import type { Finding, ScanResult, ScanStats, Skip, SkipReason } from '../engine/types.js';
import type { SourceEvent } from '../sources/events.js';
import { readStaged } from '../sources/staged.js';
import { readFiles } from '../sources/files.js';
import { readStdin } from '../sources/stdin.js';
import { readHistory } from '../sources/history.js';
import { listDotenvFiles, readStagedRepoState, readTreeRepoState } from '../sources/dotenv.js';
import { builtinRules, repoRules } from '../../rules/index.js';
import type { Allowlist } from '../suppress/allowlist.js';
import { applyBaseline, type BaselineEntry } from '../suppress/baseline.js';
import type { Project } from '../config/project.js';
import { markHistoryExposure, markStagedExposure } from '../sources/exposure.js';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/size.js';

export type ScanSource =
  | { kind: 'staged'; full?: boolean }
  | { kind: 'paths'; paths: readonly string[] }
  | { kind: 'stdin'; stdin: Readable }
  | { kind: 'range'; range: string }
  | { kind: 'all' };

export interface ScanOptions {
  source: ScanSource;
  /**
   * The repository and its configuration (`openProject`): supplies `root`, the rules and the
   * suppressions below unless they are given explicitly.
   */
  project?: Project;
  /** Where git runs and relative paths resolve; defaults to process.cwd(). */
  cwd?: string;
  rules?: readonly RuleDefinition[];
  /** Rules about files and git state (dotenv); run for --staged and tree scans inside a repository. */
  repoRules?: readonly RepoRuleDefinition[];
  /** History scans: called as each commit starts, with the count so far. */
  onProgress?: (commits: number) => void;
  /**
   * The repository top level: fingerprints, allowlist globs and baseline entries use paths relative
   * to it, from whichever directory the scan runs. Without it, paths as reported.
   */
  root?: string;
  /** Config allowlists (src/suppress/allowlist.ts). */
  allow?: Allowlist;
  /** Honour `keyguard:allow` comments (default true). */
  inlineAllow?: boolean;
  /** Every rule id an inline comment may name (default: the rules given). */
  knownRuleIds?: readonly string[];
  /** Accepted findings: those whose fingerprint is here are left out and counted. */
  baseline?: readonly BaselineEntry[];
  /** Keep raw secrets in memory for the caller (keyguard revoke), via retainedSecret(finding). */
  retainSecrets?: boolean;
  /**
   * Opt-in network check (`--verify`): each distinct OpenAI key found is sent to OpenAI's API, and
   * nowhere else, to learn whether it is live. `baseUrl` overrides https://api.openai.com/v1 (tests).
   */
  verify?: { baseUrl?: string; timeoutMs?: number; concurrency?: number };
  /**
   * Say for each key whether it is only staged, in a local commit, or pushed (default true). Runs
   * only when a staged scan found a key (it reads the history of HEAD and the remote-tracking refs)
   * or for history findings (one `git rev-list --remotes`).
   */
  exposure?: boolean;
  /** Files larger than this many bytes are skipped as too-large, unread (default DEFAULT_MAX_FILE_SIZE). */
  maxFileSize?: number;
}

/** Runs one scan: source → engine → sorted findings and stats. Throws KeyguardError when input could not be read. */
export async function scan(given: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const options = given.project ? { ...fromProject(given.project), ...given } : given;
  const cwd = options.cwd ?? process.cwd();
  const { source } = options;
  const contentRules = options.rules ?? builtinRules;
  const rules = options.repoRules ?? repoRules;
  // Sources report paths from the top level (index, history) or from cwd (files on disk).
  const fromCwd = repoPathFrom(options.root, cwd);
  const fromTop = repoPathFrom(options.root, options.root ?? cwd);
  const knownRuleIds = options.knownRuleIds ?? [...contentRules, ...rules].map((r) => r.id);
  const engine = createEngine(contentRules, {
    repoPath: source.kind === 'paths' ? fromCwd : fromTop,
    inlineAllow: options.inlineAllow ?? true,
    knownRuleIds,
    ...(options.allow ? { allow: options.allow } : {}),
    ...(options.verify || options.retainSecrets ? { retainSecrets: true } : {}),
  });
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const events: AsyncIterable<SourceEvent> =
    source.kind === 'staged'
      ? readStaged({ cwd, full: source.full ?? false, maxFileSize })
      : source.kind === 'paths'
        ? readFiles({ cwd, paths: source.paths, maxFileSize })
        : source.kind === 'range'
          ? readHistory({ cwd, range: source.range, maxFileSize, ...progress })
          : source.kind === 'all'
            ? readHistory({ cwd, maxFileSize, ...progress })
            : readStdin(source.stdin, undefined, maxFileSize);

  // The dotenv listing needs nothing from the source, so it runs alongside it.
  const dotenvFiles = source.kind === 'staged' && rules.length > 0 ? listDotenvFiles(cwd) : undefined;
  dotenvFiles?.catch(() => {}); // judged below, after the source has reported its own errors
  let repoState: Promise<RepoState | undefined> | undefined =
    source.kind === 'paths' && rules.length > 0 ? readTreeRepoState(cwd, source.paths) : undefined;
  repoState?.catch(() => {});

  const findings: Finding[] = [];
  const skippedFiles: Skip[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  let files = 0;
  let bytes = 0;
  let commits = 0;
  for await (const event of events) {
    if (event.kind === 'commit') {
      commits++;
      continue;
    }
    if (event.kind === 'staged') {
      if (dotenvFiles) {
        repoState = readStagedRepoState(cwd, dotenvFiles, event.entries);
        repoState.catch(() => {}); // awaited after the source: its own errors come first
      }
      continue;
    }
    if (event.kind === 'skip') {
      skippedFiles.push(event.skip);
      skipped[event.skip.reason] = (skipped[event.skip.reason] ?? 0) + 1;
      continue;
    }
    files++;
    bytes += event.candidate.bytes;
    for (const finding of engine.scan(event.candidate)) findings.push(finding);
  }
  const state = await repoState;
  const repoSuppressed = { inline: 0, allowlist: 0 };
  if (state) {
    const checked = checkRepo(state, rules, {
      repoPath: state.from === 'top' ? fromTop : fromCwd,
      inlineAllow: options.inlineAllow ?? true,
      knownRuleIds,
      suppressed: repoSuppressed,
      ...(options.allow ? { allow: options.allow } : {}),
    });
    for (const finding of checked) findings.push(finding);
  }
  const { findings: reported, baselined } = options.baseline ? applyBaseline(findings, options.baseline) : { findings, baselined: 0 };
  if (options.verify) await verifyFindings(reported, options.verify);
  if (options.exposure !== false) {
    if (source.kind === 'staged') await markStagedExposure(cwd, reported, contentRules);
    else if (source.kind === 'range' || source.kind === 'all') await markHistoryExposure(cwd, reported);
  }
  reported.sort(byLocation);
  skippedFiles.sort((a, b) => compare(a.path, b.path));
  const stats: ScanStats = {
    source: source.kind,
    files,
    bytes,
    skipped,
    skippedFiles,
    suppressed: {
      inline: engine.suppressed.inline + repoSuppressed.inline,
      allowlist: engine.suppressed.allowlist + repoSuppressed.allowlist,
      baseline: baselined,
    },
    maxFileSize,
    durationMs: Date.now() - started,
  };
  if (source.kind === 'staged') stats.mode = source.full ? 'full' : 'added-lines';
  if (source.kind === 'range' || source.kind === 'all') stats.commits = commits;
  if (source.kind === 'range') stats.range = source.range;
  return { findings: reported, stats };
}

/** --verify: one request per distinct OpenAI key, through src/openai/client.ts (loaded only here). */
async function verifyFindings(findings: readonly Finding[], options: NonNullable<ScanOptions['verify']>): Promise<void> {
  const keys = findings.flatMap((f) => {
    const key = f.ruleId === 'openai-api-key' ? retainedSecret(f) : undefined;
    return key === undefined ? [] : [{ id: f.fingerprint, key, keyType: f.keyType ?? 'unknown' }];
  });
  if (keys.length === 0) return;
  const { verifyAll } = await import('../openai/client.js');
  const results = await verifyAll(keys, options);
  for (const f of findings) {
    const result = results.get(f.fingerprint);
    if (result) f.verification = { status: result.status, detail: result.detail };
  }
}

function fromProject(project: Project): Partial<ScanOptions> {
  const { config } = project;
  return {
    root: project.root,
    rules: config.rules,
    repoRules: config.repoRules,
    knownRuleIds: config.knownRuleIds,
    inlineAllow: config.inlineAllow,
    ...(config.allow ? { allow: config.allow } : {}),
    ...(config.maxFileSize !== undefined ? { maxFileSize: config.maxFileSize } : {}),
  };
}

/** Maps a path relative to `base` to the path relative to `root`, with `/` separators. */
function repoPathFrom(root: string | undefined, base: string): (path: string) => string {
  if (root === undefined || root === base) return (path) => path;
  return (path) => {
    if (path.startsWith('<')) return path; // <stdin>
    const rel = relative(root, resolve(base, path));
    return isAbsolute(rel) ? rel : rel.split(sep).join('/');
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byLocation = (a: Finding, b: Finding) =>
  compare(a.path, b.path) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId) || compare(a.date ?? '', b.date ?? '');
