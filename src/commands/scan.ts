import type { Readable } from 'node:stream';
import { createEngine } from '../engine/engine.js';
import type { RepoRuleDefinition, RepoState, RuleDefinition } from '../engine/rule.js';
import { checkRepo } from '../engine/repo.js';
import type { Finding, ScanResult, ScanStats, Skip, SkipReason } from '../engine/types.js';
import type { SourceEvent } from '../sources/events.js';
import { readStaged } from '../sources/staged.js';
import { readFiles } from '../sources/files.js';
import { readStdin } from '../sources/stdin.js';
import { listDotenvFiles, readStagedRepoState, readTreeRepoState } from '../sources/dotenv.js';
import { builtinRules, repoRules } from '../../rules/index.js';

export type ScanSource = { kind: 'staged'; full?: boolean } | { kind: 'paths'; paths: readonly string[] } | { kind: 'stdin'; stdin: Readable };

export interface ScanOptions {
  source: ScanSource;
  /** Where git runs and relative paths resolve; defaults to process.cwd(). */
  cwd?: string;
  rules?: readonly RuleDefinition[];
  /** Rules about files and git state (dotenv); run for --staged and tree scans inside a repository. */
  repoRules?: readonly RepoRuleDefinition[];
}

/** Runs one scan: source → engine → sorted findings and stats. Throws KeyguardError when input could not be read. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const cwd = options.cwd ?? process.cwd();
  const engine = createEngine(options.rules ?? builtinRules);
  const { source } = options;
  const events: AsyncIterable<SourceEvent> =
    source.kind === 'staged'
      ? readStaged({ cwd, full: source.full ?? false })
      : source.kind === 'paths'
        ? readFiles({ cwd, paths: source.paths })
        : readStdin(source.stdin);

  const rules = options.repoRules ?? repoRules;
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
  for await (const event of events) {
    if (event.kind === 'staged') {
      if (dotenvFiles) repoState = readStagedRepoState(cwd, dotenvFiles, event.entries);
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
  if (state) for (const finding of checkRepo(state, rules)) findings.push(finding);
  findings.sort(byLocation);
  skippedFiles.sort((a, b) => compare(a.path, b.path));
  const stats: ScanStats = {
    source: source.kind,
    files,
    bytes,
    skipped,
    skippedFiles,
    durationMs: Date.now() - started,
  };
  if (source.kind === 'staged') stats.mode = source.full ? 'full' : 'added-lines';
  return { findings, stats };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byLocation = (a: Finding, b: Finding) => compare(a.path, b.path) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId);
