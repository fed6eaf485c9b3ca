import { KeyguardError } from './errors.js';

/** Every sentence a user reads, in one place (STYLE.md "Messages"). */

export const HELP = `keyguard — stops OpenAI API keys (and other credentials) from entering a git repository

Usage
  keyguard scan [--staged | --range A..B | --all | --stdin | <paths…>] [options]
  keyguard doctor [--json] [--fix]
  keyguard install [--mode auto|husky|hooks|git-config] [--force | --append] [--dry-run]
  keyguard uninstall [--dry-run]
  keyguard revoke [--staged | --range A..B | --all | <paths…>] [--yes]
  keyguard baseline [--all] [--prune] [--output <file>]
  keyguard rules [<rule-id>]
  keyguard --version | --help

Scan sources (one of)
  --staged            the change about to be committed: blobs in the git index, never the working
                      tree (honours GIT_INDEX_FILE). The default when GIT_INDEX_FILE is set,
                      as git sets it for pre-commit and the other commit hooks.
  <paths…>            files and directories on disk; inside a repository a directory is walked the
                      way git sees it (.gitignore honoured); a path named here is always read.
                      The default otherwise: the current directory.
  --range <A..B>      every commit in the range, patch by patch (a key added and later deleted is
                      still found, with its commit); merges are not reported twice
  --all               the whole history of every ref
  --github-event      in GitHub Actions: the range from the event (a pull request's commits,
                      a push's before..after, a new branch's commits not on the default branch)
  --stdin             standard input

Options
  --full              with --staged: scan whole staged files, not only the added lines
  --format <name>     pretty (default) | json | sarif | github | gitlab | junit
                      (github: workflow annotations plus a job summary; gitlab: a
                      secret-detection report)
  --output <file>     write the report to a file instead of standard output
  --fail-on <level>   error (default) | warning | never: the lowest severity that makes the exit code 1
                      (overrides "failOn" in the config)
  -c, --config <file> use this config file instead of searching the repository top level for
                      keyguard.config.{js,mjs,cjs,ts}, .keyguardrc[.json|.yaml|.yml|.js|…], or
                      package.json "keyguard"
  --baseline <file>   report only findings not in this baseline (default: .keyguard-baseline.json
                      at the top level, when it exists)
  --no-baseline       report every finding, the baselined ones too
  --max-file-size <n> skip files larger than n (default 50MB, at most 256MB; K, M, G are powers of
                      1024); skipped files are named in the report, never passed over silently
                      (overrides "maxFileSize" in the config; also for baseline and revoke)
  --verify            opt-in network check: send each distinct OpenAI key found to OpenAI's API
                      (admin keys to the admin endpoint), and nowhere else, to report it live,
                      invalid (revoked or never issued) or unknown; one request per key, 10 s
                      timeout. Off by default: keyguard makes no network request without it.
  --no-color          no ANSI colours (NO_COLOR and FORCE_COLOR are honoured too)
  -q, --quiet         print nothing when nothing is found
  -h, --help          this help
  -v, --version       the version

Doctor
  checks this repository's setup (hook installed and running, keyguard reachable from it,
  OPENAI_API_KEY present and well-formed (never printed), .env ignored, .env.example with
  placeholders only, a canary key caught); exit 1 if a check fails
  --json              the checklist as JSON
  --fix               apply the safe fixes (ignore lines, .env.example, the hook) and list them

Suppressing a finding (a test fixture, a documented example)
  same line           … // keyguard:allow [rule-id, …] [-- reason]
  line above          # keyguard:allow-next-line [rule-id, …] [-- reason]
  config              "allow": { "paths": [globs], "values": [regexes], "stopwords": [words] },
                      per rule under "rules": { "<rule-id>": { "allow": {…} } }
  baseline            keyguard baseline: accept today's findings so that only new ones fail

Revoke (OpenAI project, service account and admin keys)
  finds the OpenAI keys in what the source options select (default: the staged change in a hook,
  else the current directory), looks each one up among the organization's keys by its redacted
  value with the admin key in OPENAI_ADMIN_KEY, and deletes it after you confirm; user keys are
  explained, not deleted (the Admin API cannot). KEYGUARD_OPENAI_BASE_URL overrides the API address.
  -y, --yes           delete without asking (scripts); a key matching several entries is never deleted

Baseline options
  --all               record the findings of every commit, not only of the working tree (use it
                      when CI scans history with --all or --range)
  --prune             remove entries that are no longer found
  --output <file>     where to write (default: "baseline" in the config, else .keyguard-baseline.json)

Install options
  --mode <mode>       auto (default: husky when core.hooksPath is husky's; a snippet to paste for
                      lefthook or the pre-commit framework; else a plain .git/hooks hook) | husky |
                      hooks | git-config (git >= 2.54 config hooks)
  --force             replace a pre-commit hook that does not run keyguard (kept as a backup)
  --append            add keyguard to such a hook instead
  --dry-run           say what would change, change nothing

Exit codes
  0  nothing found at or above --fail-on
  1  findings
  2  usage, config, baseline, git or internal error; also any input keyguard was told to scan but could not read
     (a shallow clone or a missing --range end included)

Examples
  keyguard scan --staged                 what a pre-commit hook runs
  keyguard scan src config.json          files and directories
  git show HEAD:app.js | keyguard scan --stdin
  keyguard scan --range origin/main..HEAD --format json   a pull request's commits, in CI
  keyguard rules openai-api-key          what the rule finds and how to fix a finding
`;

export const usage = (what: string) =>
  new KeyguardError('USAGE', what, 'the command line could not be understood.', 'keyguard --help');

export const messages = {
  notAGitRepo: (cwd: string) =>
    new KeyguardError(
      'NOT_A_GIT_REPO',
      `--staged needs a git repository, and ${cwd} is not inside one.`,
      'the staged change lives in a repository\'s index; outside a repository there is nothing staged to scan.',
      'cd into the repository (or run `git init`), or scan files directly: keyguard scan <paths…>',
    ),
  gitNotFound: () =>
    new KeyguardError(
      'GIT_NOT_FOUND',
      'git was not found on PATH.',
      'keyguard reads staged content and .gitignore rules through git itself.',
      'install git (https://git-scm.com/downloads) and check that `git --version` works in this shell',
    ),
  gitFailed: (args: readonly string[], code: number | null, stderr: string, signal?: string | null) =>
    new KeyguardError(
      'GIT_FAILED',
      `\`git ${shownGitArgs(args)}\` failed (${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`}): ${firstLine(stderr) || 'no message'}.`,
      'keyguard could not read what it was asked to scan, so it cannot say the change is clean.',
      /lazy fetching disabled|promisor/i.test(stderr)
        ? 'this is a partial clone (--filter) and keyguard does not download missing objects: fetch them first (`git fetch --refetch origin`, or clone without --filter; actions/checkout: filter unset, fetch-depth: 0), then run keyguard again'
        : CORRUPT_OBJECT.test(stderr)
        ? 'run `git fsck` to find the damaged objects (restore them from a clone or a backup), then run keyguard again'
        : 'run `git status` to see what git reports, fix that, then run keyguard again',
    ),
  gitStreamBroken: (detail: string, source: 'staged' | 'history' = 'staged') =>
    source === 'staged'
      ? new KeyguardError(
          'GIT_FAILED',
          `git cat-file stopped before returning every staged blob (${detail}).`,
          'keyguard could not read all of the staged content, so it cannot say the change is clean.',
          'run `git fsck` to check the repository, then commit again',
        )
      : new KeyguardError(
          'GIT_FAILED',
          `git cat-file stopped before returning every file of the scanned commits (${detail}).`,
          'keyguard could not read all of the history it was asked to scan, so it cannot say it is clean.',
          'run `git fsck` to check the repository, then run keyguard again',
        ),
  pathNotFound: (path: string) =>
    new KeyguardError(
      'PATH_NOT_FOUND',
      `${path} does not exist.`,
      'keyguard was told to scan it and will not report a path it could not read as clean.',
      `check the path, e.g. \`ls -la ${shellQuote(path)}\``,
    ),
  pathUnreadable: (path: string, reason: string) =>
    new KeyguardError(
      'PATH_UNREADABLE',
      `${path} could not be read (${reason}).`,
      'keyguard was told to scan it and will not report a file it could not read as clean.',
      `give your user read access, e.g. \`chmod u+r ${shellQuote(path)}\`, or leave it out of the command`,
    ),
  notAGitRepoHistory: (cwd: string) =>
    new KeyguardError(
      'NOT_A_GIT_REPO',
      `--range and --all read commit history, and ${cwd} is not inside a git repository.`,
      'there is no history to scan outside a repository.',
      'cd into the repository, or scan files directly: keyguard scan <paths…>',
    ),
  shallowClone: () =>
    new KeyguardError(
      'SHALLOW_CLONE',
      'this is a shallow clone: the history before its boundary is missing.',
      'a scan of a partial history could pass a key that sits in the commits it cannot see, so keyguard refuses instead of reporting clean.',
      'fetch the full history: `git fetch --unshallow`; in GitHub Actions set `fetch-depth: 0` on actions/checkout, in GitLab CI set `GIT_DEPTH: 0`',
    ),
  githubNeedsStdout: () =>
    usage('--format github writes workflow commands, which GitHub reads only from standard output: drop --output (or use --format sarif/json/junit with --output).'),
  stepSummaryUnwritable: (reason: string) => `keyguard: could not append to the GitHub job summary (${reason}); the annotations above are complete.\n`,
  badRange: (range: string) => usage(`--range needs A..B (or A...B), not "${range}".`),
  missingRevision: (rev: string, range: string) =>
    new KeyguardError(
      'MISSING_REVISION',
      `${rev} (from --range ${range}) is not a commit in this repository.`,
      'keyguard cannot tell which commits the range holds without both ends, and will not call an unread range clean.',
      'fetch it (`git fetch origin`; in CI use `fetch-depth: 0` / `GIT_DEPTH: 0`), or check the name with `git rev-parse --verify <rev>`',
    ),
  stdinIsDirectory: () =>
    new KeyguardError(
      'PATH_UNREADABLE',
      'standard input is a directory, not text.',
      'keyguard --stdin reads what is piped or redirected into it; a directory gives no bytes, which must not pass for clean input.',
      'pipe the content in (e.g. `git show HEAD:app.js | keyguard scan --stdin`), or scan the directory: keyguard scan <dir>',
    ),
  outputUnwritable: (path: string, reason: string) =>
    new KeyguardError(
      'OUTPUT_UNWRITABLE',
      `the report could not be written to ${path} (${reason}).`,
      'a report that was not written would hide the findings.',
      'choose a writable path for --output, or drop --output to print to standard output',
    ),
  unknownRule: (id: string, known: readonly string[]) =>
    usage(`there is no rule "${id}". Known rules: ${known.join(', ')}.`),
  sourcesConflict: () => usage('choose one source: --staged, --range, --all, --github-event, --stdin, or paths.'),
  fullNeedsStaged: () => usage('--full applies to --staged scans only.'),
  badChoice: (option: string, value: string, choices: readonly string[]) =>
    usage(`--${option} must be one of ${choices.join(', ')}, not "${value}".`),
  unknownCommand: (name: string) => usage(`unknown command "${name}".`),
  configInvalid: (file: string, issues: readonly { path: string; expected: string; found: string }[]) =>
    new KeyguardError(
      'CONFIG_INVALID',
      `${file} is not a valid keyguard config:\n${issues.map((i) => `    ${i.path}: expected ${i.expected}; found ${i.found}`).join('\n')}`,
      'keyguard will not run on a config it cannot trust: a mistyped option could silently turn a rule off, and a custom rule that misses its own example would miss real keys too.',
      `edit ${file} as above (the options: README "Configuration"; for completion in your editor add "$schema": "./node_modules/keyguard/schema/config.schema.json"), then check it with: keyguard doctor`,
    ),
  configUnloadable: (file: string, reason: string) =>
    new KeyguardError(
      'CONFIG_INVALID',
      `${file} could not be loaded:\n    ${reason}`,
      'keyguard will not scan with a configuration it could not read: the rules and allowlists in it would be missing.',
      `correct ${file} as the message says (keyguard reads JSON, YAML, .js/.mjs/.cjs and, on Node 22.18 or later, .ts configs), or move it aside to scan with the defaults; then check it with: keyguard doctor`,
    ),
  configNotFound: (file: string) =>
    new KeyguardError(
      'CONFIG_NOT_FOUND',
      `--config names ${file}, which does not exist.`,
      'keyguard was told to use that configuration and will not fall back to another one.',
      'check the path given to --config, or drop --config to use the keyguard.config.* / .keyguardrc* / package.json "keyguard" found at the repository top level',
    ),
  configTypeScript: (file: string, node: string) =>
    new KeyguardError(
      'CONFIG_INVALID',
      `${file} is TypeScript, and Node ${node} cannot load TypeScript.`,
      'keyguard loads a .ts config with Node\'s built-in type stripping, which needs Node 22.18 or later (23.6 or later on the 23 line).',
      `upgrade Node, or rename the file to ${file.replace(/\.([cm]?)ts$/, '.$1js').replace(/^.*[\\/]/, '')} and remove its type annotations`,
    ),
  baselineInvalid: (file: string, reason: string) =>
    new KeyguardError(
      'BASELINE_INVALID',
      `the baseline ${file} cannot be used: ${reason}.`,
      'a baseline keyguard cannot read would either hide findings or report accepted ones; it does neither.',
      `restore it from git (\`git checkout -- ${file}\`), or delete it and record today's findings again: \`keyguard baseline\``,
    ),
  baselineConflicted: (file: string) =>
    new KeyguardError(
      'BASELINE_INVALID',
      `the baseline ${file} has git conflict markers: two branches each added entries at the same place.`,
      'keyguard will not guess which side\'s entries count, and will not read a half-merged file as empty.',
      `run \`keyguard baseline\`: it keeps the entries of both sides, checks them against the repository and rewrites the file; then \`git add ${file}\``,
    ),
  baselineNotFound: (file: string) =>
    new KeyguardError(
      'BASELINE_NOT_FOUND',
      `the baseline ${file} does not exist.`,
      'keyguard was told to filter findings through that baseline and will not pretend it is empty.',
      'create it with `keyguard baseline`, or check the path given to --baseline (or "baseline" in the config)',
    ),
  baselineWritten: (r: { file: string; usedByDefault: boolean; total: number; added: readonly { rule: string; path: string }[]; stale: readonly { rule: string; path: string }[]; pruned: boolean; scanned: { files: number; commits?: number } }) => {
    const scanned = r.scanned.commits === undefined ? `${r.scanned.files} ${r.scanned.files === 1 ? 'file' : 'files'}` : `${r.scanned.commits} ${r.scanned.commits === 1 ? 'commit' : 'commits'}`;
    const lines = [`keyguard: wrote ${r.file}: ${r.total} ${r.total === 1 ? 'finding' : 'findings'} accepted (${r.added.length} new), from ${scanned} scanned.`];
    for (const e of r.added) lines.push(`  + ${e.path}  ${e.rule}`);
    if (r.stale.length > 0) {
      lines.push(r.pruned ? `  removed ${r.stale.length} stale ${r.stale.length === 1 ? 'entry' : 'entries'} (no longer found):` : `  ${r.stale.length} stale ${r.stale.length === 1 ? 'entry' : 'entries'} (no longer found), kept:`);
      for (const e of r.stale) lines.push(`  ${r.pruned ? '-' : '?'} ${e.path}  ${e.rule}`);
      if (!r.pruned) lines.push('  remove them with: keyguard baseline --prune   (if CI scans history, build the baseline with --all, or keys left in old commits come back)');
    }
    lines.push(
      r.usedByDefault
        ? `  Scans now report only findings not in it. It holds hashes, never keys: commit it with  git add ${r.file}`
        : `  Scans use it when told: keyguard scan --baseline ${r.file}, or "baseline": "<its path from the top level>" in the config. It holds hashes, never keys: commit it with  git add ${r.file}`,
    );
    return `${lines.join('\n')}\n`;
  },
  verifying: (baseUrl: string | undefined) =>
    `keyguard: --verify: each distinct OpenAI key found is sent to ${baseUrl ?? 'https://api.openai.com/v1'} (and nowhere else) to learn whether it is live.\n`,
  customRuleWhy: (title: string) => `${title}: anyone who can read the repository, or any copy of it, can use it.`,
  customRuleFix: (revokeUrl: string | undefined) => [
    'Remove it from the file and load it from an environment variable or a secret manager instead.',
    revokeUrl ? `If it was ever pushed or shared, revoke it and create a new one: ${revokeUrl}` : 'If it was ever pushed or shared, revoke it and create a new one.',
  ],
  internal: (error: unknown) =>
    new KeyguardError(
      'INTERNAL',
      `keyguard hit an internal error: ${error instanceof Error ? error.message : String(error)}.`,
      'this is a bug in keyguard, and the scan did not finish, so nothing is reported clean.',
      'run again with KEYGUARD_DEBUG=1 for a stack trace and report it with that output',
    ),
};

/** What git says about a damaged or missing object. */
const CORRUPT_OBJECT = /corrupt|bad object|unable to read|missing (?:blob|tree|commit) object|invalid object|packed object .* is corrupt|inflate/i;

/** A git command as a user would type it: without keyguard's `-c` settings, at most 5 words. */
function shownGitArgs(args: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (args[i] !== '--no-replace-objects') words.push(args[i] as string);
  }
  return words.length > 5 ? `${words.slice(0, 5).join(' ')} …` : words.join(' ');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.replace(/^(fatal|error): /, '') ?? '';
}

function shellQuote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
