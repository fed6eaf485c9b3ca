/** Plain values handed from stage to stage (DESIGN §4). No stage reaches back into an earlier one. */

export type Severity = 'error' | 'warning';

/** Who owns an OpenAI key, which decides where it is revoked. */
export type KeyType = 'user' | 'project' | 'service-account' | 'admin' | 'unknown';

/** Where a candidate came from. */
export type Origin = 'staged' | 'file' | 'stdin' | 'commit';

/** Text for the engine to scan, produced by a source. */
export interface Candidate {
  path: string;
  text: string;
  origin: Origin;
  /**
   * When the text holds only some lines of a file (the added lines of a staged change), the real
   * 1-based line number of each of its lines. Absent when the text is the whole file.
   */
  lineNumbers?: readonly number[];
  /**
   * With `lineNumbers`: unchanged lines next to the added ones, by real line number, so that a
   * `keyguard:allow-next-line` above an edited line still applies. Never scanned.
   */
  context?: ReadonlyMap<number, string>;
  /** Bytes read for this candidate (for stats). */
  bytes: number;
  /** History scans: the commit that added these lines, and its committer date (ISO 8601). */
  commit?: string;
  date?: string;
}

/** Why a source or the engine did not scan something. Every skip is counted and reported. */
export type SkipReason = 'binary' | 'symlink' | 'submodule' | 'lfs-pointer' | 'not-a-file' | 'deleted-in-worktree' | 'too-large' | 'unmerged' | 'outside-sparse-checkout';

export interface Skip {
  path: string;
  reason: SkipReason;
  /** too-large only: the file's size in bytes. */
  bytes?: number;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  path: string;
  /** 1-based line in the scanned file (the staged blob for --staged). */
  line: number;
  /** 1-based column of the first character of the key. */
  column: number;
  /** History scans: the commit that added the line, and its committer date (ISO 8601). */
  commit?: string;
  date?: string;
  /** The key redacted the way the OpenAI dashboard lists it: known prefix, an ellipsis, last 4. */
  preview: string;
  /** sha256 of (ruleId, path, sha256(secret)): stable across line moves, holds no secret. */
  fingerprint: string;
  keyType?: KeyType;
  /** Human name of the key type, e.g. "project key". */
  keyTypeLabel?: string;
  /** Official page where this key is revoked. */
  revokeUrl?: string;
  /** Repo rules: this occurrence in one sentence. */
  message?: string;
  /** Repo rules: the commands that fix this occurrence, in order. */
  fixCommands?: string[];
  /** Keys: how far the key has travelled (src/sources/exposure.ts); absent when git could not say. */
  exposure?: Exposure;
  /** --verify: what the provider's API said about the key. */
  verification?: Verification;
}

/** `staged`: only in the index; `local`: in a commit no remote-tracking ref reaches; `pushed`: in one that a remote-tracking ref reaches. */
export type Exposure = 'staged' | 'local' | 'pushed';

export interface Verification {
  /** live: the API accepted the key; invalid: 401 invalid_api_key (revoked, deleted or never issued); unknown: anything else. */
  status: 'live' | 'invalid' | 'unknown';
  /** Why, in a few words (never the key): "HTTP 200", "timed out after 10 s". */
  detail: string;
}

export interface ScanStats {
  source: 'staged' | 'paths' | 'stdin' | 'range' | 'all';
  /** History scans: commits read. */
  commits?: number;
  /** --range: the range as given. */
  range?: string;
  /** Staged mode: 'added-lines' (default) or 'full'. */
  mode?: 'added-lines' | 'full';
  /** Files (or staged blobs) whose text was scanned. */
  files: number;
  /** Bytes of text scanned. */
  bytes: number;
  /** Count of skipped files per reason. */
  skipped: Partial<Record<SkipReason, number>>;
  skippedFiles: Skip[];
  /** Findings left out, by what left them out: `keyguard:allow` comments, config allowlists, the baseline. */
  suppressed: { inline: number; allowlist: number; baseline: number };
  /** The size limit in bytes: larger files were skipped as too-large (always set by scan()). */
  maxFileSize?: number;
  durationMs: number;
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
}
