/**
 * Every sentence `keyguard doctor` prints (STYLE.md "Messages"): what was found and why it matters;
 * the fix is a command or an edit, kept apart so the renderer can show it on its own line. No
 * function here takes a secret value: names, paths, line numbers and key types only.
 */
import { scopeName } from '../install/messages.js';

const list = (items: readonly string[]) => items.join(', ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const doctorMessages = {
  checkCrashed: (reason: string) => `this check could not run: ${reason}`,
  checkCrashedFix: 'run again with KEYGUARD_DEBUG=1 and report the output',

  git: {
    ok: (top: string, prefix: string, version: string) =>
      prefix ? `repository at ${top} (run from ${prefix}; git ${version})` : `repository at ${top} (git ${version})`,
    notARepo: (cwd: string) =>
      `not inside a git repository: ${cwd} belongs to none, so there are no commits for keyguard to guard and the other checks cannot run`,
    notARepoFix: 'cd into your project\'s repository, or make this directory one: git init',
    noWorkTree: (cwd: string, detail: string) =>
      `${cwd} is inside a git repository but not in its working tree (${detail}); the other checks need the working tree`,
    noWorkTreeFix: 'cd into the working tree (the directory that holds .git)',
    gitMissing: (reason: string) => `git could not be run (${reason}); keyguard reads staged changes and hook settings through git`,
    gitMissingFix: 'install git (https://git-scm.com/downloads) and check that `git --version` works in this shell',
    old: (version: string) =>
      `git ${version} is older than 2.31, which cannot report where hooks live (rev-parse --path-format); the hook checks may be wrong`,
    oldFix: 'upgrade git (https://git-scm.com/downloads)',
  },

  hook: {
    ok: (file: string, manager: string) => `${file} runs keyguard${manager}`,
    configHookOk: (names: readonly string[]) => `git config hook ${list(names)} runs keyguard at pre-commit`,
    configHookOld: (names: readonly string[], version: string) =>
      `git config hook ${list(names)} runs keyguard, but git ${version} ignores config hooks (they need git 2.54): nothing runs keyguard before a commit`,
    configHookOldFix: (install: string) => `upgrade git to 2.54 or later, or install a file hook: ${install}`,
    hooksPathMissing: (hooksPath: string) =>
      `core.hooksPath is ${hooksPath}, which does not exist: git then silently runs no hook at all, keyguard's included`,
    huskyMissing: (hooksDir: string) =>
      `husky is configured (core.hooksPath ${hooksDir}) but ${hooksDir} does not exist in this worktree: git runs no hook at all until husky sets it up`,
    huskyStubMissing: (stub: string) => `${stub} is missing: husky's runner for pre-commit is not set up, so .husky/pre-commit never runs`,
    huskyStubNotExecutable: (stub: string) =>
      `${stub} (husky's runner for pre-commit) is not executable, so git skips it with only a hint and .husky/pre-commit never runs`,
    shadowed: (installed: string, hooksPath: string, dir: string) =>
      `keyguard's hook ${installed} is installed but never runs: core.hooksPath (${hooksPath}) makes git read hooks from ${dir} instead`,
    missing: (dir: string) => `no pre-commit hook in ${dir}: nothing runs keyguard before a commit`,
    notCalling: (file: string) => `${file} does not call keyguard, so commits are not scanned`,
    notRunning: (file: string, reason: string) => `${file} mentions keyguard, but keyguard never stops a commit there: ${reason}`,
    notRunningFix: (file: string, append: string) =>
      `make ${file} fail when keyguard fails (e.g. \`keyguard scan --staged || exit $?\` before any exit), or let keyguard add its own lines at the top: ${append}`,
    sharedNote: (scope: string) => ` (core.hooksPath comes from your ${scopeName(scope)}, so that directory's hooks run for every repository on this machine that does not set its own)`,
    sharedNotCalling: (hooksPath: string, scope: string, file: string) =>
      `core.hooksPath comes from your ${scopeName(scope)} (${hooksPath}): git runs ${file} for this and every other repository that does not set its own, and it does not run keyguard`,
    sharedRuns: (file: string, hooksPath: string, scope: string) =>
      `${file} runs keyguard, but it is the hook of core.hooksPath in your ${scopeName(scope)} (${hooksPath}): it runs for every repository on this machine that does not set its own, and keyguard install will not change it`,
    sharedFix: (keyguard: string, gitConfig: boolean, file: string) =>
      [
        ...(gitConfig ? [`${keyguard} install --mode git-config (a hook in this repository's own config)`] : []),
        `git config core.hooksPath .githooks (this repository only; the shared hooks then no longer run here), then ${keyguard} install`,
        `or, for every repository, add \`keyguard scan --staged || exit $?\` to ${file} yourself`,
      ].join('; '),
    crlf: (file: string) => `${file} has Windows (CRLF) line endings: sh reads a stray \\r on every line, so the hook breaks before keyguard can scan`,
    crlfFix: (file: string) => `sed -i 's/\\r$//' ${file}`,
    notExecutable: (file: string) => `${file} is not executable, so git skips it (with only a hint, if that)`,
    notExecutableFix: (file: string) => `chmod +x ${file}`,
    huskyOff: (file: string, where: string) => `${file} runs keyguard, but HUSKY=0 is set ${where}, so husky skips every hook and nothing scans a commit`,
    huskyOffEnv: 'in the environment',
    huskyOffEnvFix: 'unset HUSKY (and remove HUSKY=0 from your shell profile)',
    huskyOffInit: (file: string) => `in ${file}, which husky sources before every hook`,
    huskyOffInitFix: (file: string) => `remove the HUSKY=0 line from ${file}`,
    managerMissing: (config: string, manager: string) => `${config} does not run keyguard, so ${manager} does not scan commits`,
    managerNotInstalled: (config: string, manager: string, dir: string) =>
      `${config} runs keyguard, but ${manager}'s git hook is not installed in ${dir}: nothing runs before a commit`,
    managerOk: (config: string, manager: string) => `${manager} runs keyguard (${config})`,
    managerFix: (config: string, next: string, snippet: string) => `add this to ${config}${next}:\n${snippet.replace(/\n$/, '')}`,
  },

  keyguard: {
    local: (path: string, husky: boolean) =>
      `${path}${husky ? ' (husky puts node_modules/.bin first on the hook\'s PATH)' : ''}`,
    onPath: (path: string) => `${path} (on PATH)`,
    byPath: (path: string) => `${path} (the hook calls it by this path)`,
    notFound: (dirs: readonly string[]) =>
      `keyguard is not installed where the hook looks: neither ${dirs.join(', ')} nor PATH has it, so the hook fails with "keyguard: command not found"`,
    notFoundFix: 'npm install --save-dev keyguard',
    notFoundInPackageFix: (dir: string) => `npm install --save-dev keyguard (in ${dir})`,
    bareCall: (file: string, path: string) =>
      `${file} calls keyguard by name, but a plain git hook runs with your shell's PATH, which lacks ${path}`,
    bareCallFix: 'call ./node_modules/.bin/keyguard in the hook (git runs hooks from the top level), or install keyguard on PATH: npm install -g keyguard',
  },

  envKey: {
    missing: (name: string) => `${name} is set neither in the environment nor in .env (fine if this checkout never calls the API)`,
    missingFix: (name: string) => `add ${name}=<your key> to .env (ignored by git), or export ${name} in your shell profile`,
    where: (place: string, shape: string) => `${place}: ${shape}`,
    fromEnv: 'in the environment',
    fromDotenv: (line: number) => `in .env line ${line}`,
    valid: (label: string, type: string) => `shape of an OpenAI ${label} (type ${type})`,
    unknown: 'has the OpenAI marker but no known key shape (type unknown: truncated, extended or a new format)',
    invalid: 'not the shape of an OpenAI API key',
    padded: 'has spaces or quotes around it, which are sent as part of the key',
    present: 'set (its format is not checked)',
    paddedFix: (name: string) => `set ${name} to the value alone, without spaces or quotes around it`,
    summary: (name: string, places: readonly string[]) => `${name} is set ${places.join('; and ')}`,
    bothSet: 'most loaders, dotenv included, keep the environment\'s value over .env\'s',
    badShapeFix: (name: string) => `copy the key again from https://platform.openai.com/api-keys and set ${name} to exactly that`,
  },

  dotenv: {
    ok: 'no dotenv file is tracked, staged, or present without being ignored',
    committedFix: 'then rotate every key it held: untracking a file does not remove it from history',
  },

  template: {
    none: 'no .env at the top level, so no template is needed',
    missing: (template: string) => `.env exists but ${template} does not: whoever clones the repository cannot tell which variables to set`,
    missingFix: (keyguard: string) => `${keyguard} doctor --fix (creates .env.example from .env, every value replaced by a placeholder)`,
    realValue: (line: number, name: string) => `line ${line} (${name})`,
    keyValue: (line: number, name: string | undefined, what: string) => `line ${line} (${name ? `${name}: ` : ''}${what})`,
    secrets: (template: string, where: readonly string[]) =>
      `${template} holds real-looking values at ${list(where)}; a template is committed, so a real value in it is a leaked secret`,
    secretsFix: (template: string, example: string | undefined) =>
      `replace each value in ${template} with a placeholder${example ? ` (e.g. ${example})` : ''}, and rotate any key that was committed`,
    mismatch: (template: string, missing: readonly string[], extra: readonly string[]) =>
      `${template} does not name the same variables as .env: ${[
        missing.length ? `missing ${list(missing)}` : '',
        extra.length ? `not in .env: ${list(extra)}` : '',
      ].filter(Boolean).join('; ')}`,
    mismatchFix: (template: string, missing: readonly string[], extra: readonly string[]) =>
      [
        missing.length ? `add ${missing.map((n) => `${n}=`).join(' ')} to ${template}` : '',
        extra.length ? `remove ${list(extra)} from ${template} if the code no longer reads ${extra.length === 1 ? 'it' : 'them'}` : '',
      ].filter(Boolean).join('; '),
    ok: (template: string, count: number) => `${template} holds placeholders only and names the same ${plural(count, 'variable')} as .env`,
    okNoEnv: (template: string) => `${template} holds placeholders only`,
  },

  config: {
    ok: 'no configuration file; using defaults',
    valid: (file: string, details: readonly string[]) => `${file} is valid${details.length ? `: ${details.join(', ')}` : ''}`,
    invalid: (message: string) => message,
  },

  canary: {
    ok: (bin: string) => `${bin} caught a generated key (exit 1) without printing it`,
    okFallback: (bin: string) =>
      `the running keyguard (${bin}) caught a generated key (exit 1) without printing it; no installed keyguard was found to test`,
    missed: (bin: string) => `the installed keyguard does not catch a key: ${bin} exited 0 on a generated OpenAI key`,
    missedFix: 'npm install --save-dev keyguard@latest, then run keyguard doctor again',
    missedByConfig: (bin: string, config: string, setting: string) =>
      `${bin} exited 0 on a generated OpenAI key because ${config} sets openai-api-key to ${setting === 'off' ? '"off"' : `"${setting}"`} or failOn to "never": commits with OpenAI keys go through`,
    missedByConfigFix: (config: string) => `remove the openai-api-key setting (and failOn "never") from ${config}; accept single findings with keyguard:allow or the baseline instead`,
    leaked: (bin: string) => `${bin} caught a generated key but printed it in full: its output would leak the keys it stops`,
    leakedFix: 'npm install --save-dev keyguard@latest, then run keyguard doctor again',
    failed: (bin: string, how: string, detail: string) => `${bin} did not finish the self-test (${how})${detail ? `: ${detail}` : ''}`,
    failedFix: (bin: string) => `run it by hand to see why: ${bin} --version, then echo test | ${bin} scan --stdin`,
  },

  fix: {
    gitignoreAdded: (lines: readonly string[], created: boolean) =>
      `${created ? 'created .gitignore with' : 'added to .gitignore:'} ${lines.join(', ')}`,
    templateCreated: (template: string, count: number) =>
      `created ${template} from .env (${plural(count, 'variable')}, every value replaced by a placeholder)`,
    hookInstalled: (changes: readonly string[]) => `pre-commit hook: ${changes.join('; ')}`,
    templateHeader: '# The variables .env sets, without their values: copy this file to .env and fill them in.',
    hookUnchanged: 'pre-commit hook: keyguard install changed nothing (already installed)',
    hookSnippet: (snippet: string) => `not applied: pre-commit hook: this hook manager's config is edited by hand; add ${snippet}`,
    notApplied: (what: string, reason: string) => `not applied: ${what}: ${reason}`,
  },

  render: {
    fixHeading: 'doctor --fix:',
    nothingFixed: '--fix found nothing it can change safely.',
    fix: 'fix:',
    summary: (ok: number, warn: number, fail: number) => `${ok} ok, ${plural(warn, 'warning')}, ${fail} failed`,
  },
};
