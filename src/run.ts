import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { KeyguardError } from './errors.js';
import { HELP, messages, usage } from './messages.js';
import { checkSize, formatSize, MAX_MAX_FILE_SIZE, parseSize } from './engine/size.js';
import { unreadNotes } from './reporters/text.js';
import { scan, type ScanSource } from './commands/scan.js';
import { renderRule, renderRuleList } from './commands/rules.js';
import { install, uninstall, renderInstallResult, type InstallMode } from './commands/install.js';
import { doctor } from './commands/doctor.js';
import { reporters, formatNames, type FormatName } from './reporters/index.js';
import { writeStepSummary } from './reporters/github.js';
import { isFailing } from './engine/severity.js';
import { builtinRules, repoRules } from '../rules/index.js';
import { defaultProject, openProject, type Project } from './config/project.js';
import { BASELINE_FILE, readBaseline, type BaselineEntry } from './suppress/baseline.js';
import { writeBaseline, renderBaselineResult } from './commands/baseline.js';
import { writeAtomically } from './output.js';

declare const __KEYGUARD_VERSION__: string;
export const VERSION = typeof __KEYGUARD_VERSION__ === 'string' ? __KEYGUARD_VERSION__ : '0.0.0-dev';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const FAIL_ON = ['error', 'warning', 'never'] as const;
const INSTALL_MODES = ['auto', 'husky', 'hooks', 'git-config'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** The whole CLI as a function: argv in, exit code out. Only cli.ts touches process. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const e = error instanceof KeyguardError ? error : messages.internal(error);
    io.stderr.write(`keyguard: ${e.message}\n  why: ${e.why}\n  fix: ${e.fix}\n`);
    if (io.env.KEYGUARD_DEBUG && error instanceof Error && !(error instanceof KeyguardError)) io.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        staged: { type: 'boolean' },
        range: { type: 'string' },
        all: { type: 'boolean' },
        'github-event': { type: 'boolean' },
        stdin: { type: 'boolean' },
        full: { type: 'boolean' },
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        'no-color': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        mode: { type: 'string' },
        force: { type: 'boolean' },
        append: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        fix: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        baseline: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        prune: { type: 'boolean' },
        verify: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'max-file-size': { type: 'string' },
      },
    });
  } catch (e) {
    throw usage(e instanceof Error ? e.message.replace(/\. To specify a positional.*$/s, '') : String(e));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const config = values.config === undefined ? {} : { configFile: values.config };
  if (values['max-file-size'] !== undefined && ['rules', 'doctor', 'install', 'uninstall'].includes(command)) {
    throw usage(`--max-file-size is an option of keyguard scan, baseline and revoke, not of keyguard ${command}.`);
  }
  const sizeLimit = values['max-file-size'] === undefined ? {} : { maxFileSize: maxFileSizeOption(values['max-file-size']) };
  if (command === 'rules') {
    const [id] = rest;
    // The rule list is what a user reads to fix a config, so a broken config does not hide it.
    const project = await openProject({ cwd: io.cwd, ...config }).catch(async (error: unknown) => {
      if (!(error instanceof KeyguardError) || !error.code.startsWith('CONFIG_')) throw error;
      io.stderr.write(`keyguard: ${error.message.split('\n')[0]?.replace(/:$/, '.')} These are the built-in rules; run keyguard doctor to see what is wrong with it.\n`);
      return defaultProject(io.cwd);
    });
    // Rules the config turned off are still listed (and documented), marked off.
    const active = new Map([...project.config.rules, ...project.config.repoRules].map((r) => [r.id, r] as const));
    const builtin = new Map([...builtinRules, ...repoRules].map((r) => [r.id, r] as const));
    const all = project.config.knownRuleIds.flatMap((ruleId) => {
      const rule = active.get(ruleId) ?? builtin.get(ruleId);
      return rule ? [rule] : [];
    });
    const off = new Set(all.filter((r) => !active.has(r.id)).map((r) => r.id));
    if (id === undefined) io.stdout.write(renderRuleList(all, off));
    else {
      const rule = all.find((r) => r.id === id);
      if (!rule) throw messages.unknownRule(id, all.map((r) => r.id));
      io.stdout.write(renderRule(rule, off.has(id) ? (project.configFile ?? 'the config') : undefined));
    }
    return 0;
  }
  if (command === 'doctor') {
    if (rest.length > 0) throw usage(`keyguard doctor takes no arguments, not "${rest.join(' ')}".`);
    const { output, exitCode } = await doctor({
      ...config,
      cwd: io.cwd,
      env: io.env,
      fix: values.fix ?? false,
      json: values.json ?? false,
      color: useColor(values['no-color'] ?? false, io.env, io.stdout),
    });
    io.stdout.write(output);
    return exitCode;
  }
  if (command === 'install' || command === 'uninstall') {
    if (rest.length > 0) throw usage(`keyguard ${command} takes no arguments, not "${rest[0]}".`);
    const dryRun = values['dry-run'] ?? false;
    const result =
      command === 'install'
        ? await install({
            cwd: io.cwd,
            mode: choice('mode', values.mode ?? 'auto', INSTALL_MODES) as InstallMode,
            force: values.force ?? false,
            append: values.append ?? false,
            dryRun,
          })
        : await uninstall({ cwd: io.cwd, dryRun });
    io.stdout.write(renderInstallResult(result));
    return 0;
  }
  if (command === 'baseline') {
    if (rest.length > 0) throw usage(`keyguard baseline takes no paths, not "${rest[0]}": it records the findings of the whole repository.`);
    for (const option of ['staged', 'range', 'stdin', 'github-event', 'full', 'format', 'fail-on', 'baseline', 'no-baseline', 'mode', 'force', 'append', 'dry-run', 'json', 'fix'] as const) {
      if (values[option] !== undefined) throw usage(`--${option} is not an option of keyguard baseline (see keyguard --help).`);
    }
    const project = await openProject({ cwd: io.cwd, ...config });
    const result = await writeBaseline({ project, all: values.all ?? false, prune: values.prune ?? false, ...(values.output ? { output: values.output } : {}), ...sizeLimit });
    io.stdout.write(renderBaselineResult(result));
    return 0;
  }
  if (command === 'revoke') {
    for (const option of ['format', 'output', 'fail-on', 'baseline', 'no-baseline', 'verify', 'mode', 'force', 'append', 'dry-run', 'json', 'fix', 'prune'] as const) {
      if (values[option] !== undefined) throw usage(`--${option} is not an option of keyguard revoke (see keyguard --help).`);
    }
    const project = await openProject({ cwd: io.cwd, ...config });
    const source = await chooseSource(values, rest, io);
    if (source.kind === 'stdin' && !values.yes) throw usage('keyguard revoke --stdin needs --yes: standard input carries the text to scan, so it cannot also answer the confirmation.');
    // Keys are matched by their redacted value: the raw secret is not needed, and not kept.
    const result = await scan({ source, cwd: io.cwd, project, exposure: false, ...sizeLimit });
    const keys = result.findings.filter((f) => f.ruleId === 'openai-api-key');
    // Files too large to read (or in a conflict) may hold keys nobody looked for: say so, by name.
    const unread = unreadNotes(result.stats);
    if (unread.length > 0) io.stdout.write(`${unread.join('\n')}\n`);
    if (keys.length === 0) {
      const others = result.findings.filter((f) => f.message === undefined);
      io.stdout.write(
        unread.length > 0
          ? `keyguard: no OpenAI key found in the ${result.stats.files} ${result.stats.files === 1 ? 'file' : 'files'} scanned, but not everything could be read (above): nothing revoked.\n`
          : `keyguard: no OpenAI key found in what was scanned (${result.stats.files} ${result.stats.files === 1 ? 'file' : 'files'}); nothing to revoke.\n`,
      );
      if (unread.length > 0) return 1;
      if (others.length > 0) {
        const ids = [...new Set(others.map((f) => f.ruleId))];
        io.stdout.write(`  ${others.length} ${others.length === 1 ? 'secret' : 'secrets'} of other providers found (${ids.join(', ')}): keyguard revoke handles OpenAI keys only; \`keyguard scan\` lists where each is revoked.\n`);
        return 1;
      }
      return 0;
    }
    const { revoke } = await import('./commands/revoke.js');
    // Standard input is read only when a question is asked, and let go afterwards: a terminal
    // left in flowing mode would keep keyguard from exiting.
    let answers: ReturnType<typeof lineReader> | undefined;
    try {
      const outcome = await revoke({
      findings: result.findings.filter((f) => f.message === undefined),
      env: io.env,
      yes: values.yes ?? false,
      confirm: async (question) => {
        io.stdout.write(`${question} [y/N] `);
        answers ??= lineReader(io.stdin);
        const answer = await answers.next();
        io.stdout.write('\n');
        return /^y(es)?$/i.test(answer?.trim() ?? '');
      },
      write: (text) => io.stdout.write(text),
      ...(io.env.KEYGUARD_OPENAI_BASE_URL ? { baseUrl: io.env.KEYGUARD_OPENAI_BASE_URL } : {}),
      });
      return outcome.exitCode;
    } finally {
      answers?.close();
    }
  }
  if (command !== 'scan') throw messages.unknownCommand(command);
  if (values.yes) throw usage('--yes is an option of keyguard revoke, not of keyguard scan.');
  for (const option of ['mode', 'force', 'append', 'dry-run', 'json', 'fix', 'prune'] as const) {
    if (values[option] !== undefined) throw usage(`--${option} is not an option of keyguard scan (see keyguard --help).`);
  }
  if (values.baseline !== undefined && values['no-baseline']) throw usage('--baseline and --no-baseline contradict each other: choose one.');

  const format = choice('format', values.format ?? 'pretty', formatNames) as FormatName;
  // Workflow commands act only on a step's standard output; written to a file they do nothing.
  if (format === 'github' && values.output) throw messages.githubNeedsStdout();
  if (values['fail-on'] !== undefined) choice('fail-on', values['fail-on'], FAIL_ON);
  const project = await openProject({ cwd: io.cwd, ...config });
  const failOn = (values['fail-on'] ?? project.config.failOn ?? 'error') as FailOn;
  const baseline = values['no-baseline'] ? undefined : loadBaseline(project, values.baseline);
  const source = await chooseSource(values, rest, io);

  // History scans show commits done on a terminal only: never in CI logs or when piped.
  const showProgress = (source.kind === 'range' || source.kind === 'all') && io.stderr.isTTY === true && !io.env.CI;
  let lastProgress = 0;
  const onProgress = (commits: number) => {
    const now = Date.now();
    if (now - lastProgress < 100) return;
    lastProgress = now;
    io.stderr.write(`\rkeyguard: ${commits} commits scanned…`);
  };
  const { config: resolved } = project;
  if (values.verify) {
    // A base URL keyguard would refuse is an error before anything is scanned, not after.
    const { resolveBaseUrl } = await import('./openai/client.js');
    resolveBaseUrl({ env: io.env });
    io.stderr.write(messages.verifying(io.env.KEYGUARD_OPENAI_BASE_URL));
  }
  const verify = values.verify ? { ...(io.env.KEYGUARD_OPENAI_BASE_URL ? { baseUrl: io.env.KEYGUARD_OPENAI_BASE_URL } : {}) } : undefined;
  const result = await scan({ source, cwd: io.cwd, project, ...sizeLimit, ...(baseline ? { baseline } : {}), ...(verify ? { verify } : {}), ...(showProgress ? { onProgress } : {}) });
  if (showProgress && lastProgress > 0) io.stderr.write('\r\x1b[K');
  const target = values.output ? undefined : io.stdout;
  const context = {
    color: target && format === 'pretty' ? useColor(values['no-color'] ?? false, io.env, target) : false,
    quiet: values.quiet ?? false,
    failOn,
    rules: [...resolved.rules, ...resolved.repoRules],
    version: VERSION,
  };
  const report = reporters[format](result, context);
  if (values.output) await writeAtomically(values.output, report, io.cwd);
  else io.stdout.write(report);
  if (format === 'github') {
    try {
      await writeStepSummary(result, context, io.env);
    } catch (e) {
      io.stderr.write(messages.stepSummaryUnwritable((e as Error).message));
    }
  }
  return isFailing(result.findings.map((f) => f.severity), failOn) ? 1 : 0;
}

type Values = Record<string, string | boolean | undefined>;

/** `--max-file-size 50MB`: bytes, or exit 2 with what a size looks like. */
function maxFileSizeOption(given: string): number {
  const bytes = parseSize(given);
  const check = checkSize(bytes);
  if (check === 'ok') return bytes as number;
  if (check === 'too-big') {
    throw usage(`--max-file-size ${given} is over the ceiling of ${formatSize(MAX_MAX_FILE_SIZE)}: one file's text must fit in memory as one string. Use at most --max-file-size 256MB.`);
  }
  throw usage(`--max-file-size expects a size such as 50MB, 512K or 1048576 (bytes; K, M and G are powers of 1024), not "${given}".`);
}

/** The scan source chosen by the options (one of them), shared by scan and revoke. */
async function chooseSource(values: Values, rest: readonly string[], io: Io): Promise<ScanSource> {
  const chosen = [values.staged, values.stdin, values.range !== undefined, values.all, values['github-event'], rest.length > 0].filter(Boolean).length;
  if (chosen > 1) throw messages.sourcesConflict();
  let source: ScanSource;
  if (values['github-event']) {
    const { readGithubEvent, planGithubScan } = await import('./ci/github.js');
    const { eventName, payload } = readGithubEvent(io.env);
    const plan = planGithubScan(eventName, payload);
    io.stderr.write(`keyguard: ${plan.reason}\n`);
    source = plan.kind === 'range' ? { kind: 'range', range: plan.range } : plan.kind === 'all' ? { kind: 'all' } : { kind: 'range', range: 'HEAD..HEAD' };
  } else if (values.stdin) source = { kind: 'stdin', stdin: io.stdin };
  else if (typeof values.range === 'string') source = { kind: 'range', range: values.range };
  else if (values.all) source = { kind: 'all' };
  else if (rest.length > 0) source = { kind: 'paths', paths: rest };
  // Inside a git hook git exports GIT_INDEX_FILE: a bare `keyguard scan` there means the staged change.
  else if (values.staged || io.env.GIT_INDEX_FILE) source = { kind: 'staged', full: values.full === true };
  else source = { kind: 'paths', paths: ['.'] };
  if (values.full && source.kind !== 'staged') throw messages.fullNeedsStaged();
  return source;
}

/** Answers read from standard input, one line per question; undefined once it ends. `close` lets go of the stream. */
function lineReader(stream: Readable): { next: () => Promise<string | undefined>; close: () => void } {
  let buffered = '';
  let ended = false;
  const waiting: (() => void)[] = [];
  const wakeAll = () => waiting.splice(0).forEach((wake) => wake());
  const onData = (chunk: string | Buffer) => {
    buffered += chunk.toString();
    wakeAll();
  };
  const onEnd = () => {
    ended = true;
    wakeAll();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onEnd);
  const close = () => {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onEnd);
    stream.pause();
    if ((stream as { isTTY?: boolean }).isTTY) stream.destroy();
  };
  const next = async () => {
    for (;;) {
      const newline = buffered.indexOf('\n');
      if (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      if (ended) {
        const rest = buffered;
        buffered = '';
        return rest === '' ? undefined : rest;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  return { next, close };
}

/**
 * The baseline's entries: --baseline FILE (from cwd), the config's "baseline" (from the top level),
 * or .keyguard-baseline.json at the top level if it exists. A baseline that was named and is
 * missing is an error; the default one is optional.
 */
function loadBaseline(project: Project, flag: string | undefined): BaselineEntry[] | undefined {
  const named = flag ?? project.config.baseline;
  const file = flag !== undefined ? resolve(project.cwd, flag) : resolve(project.root, project.config.baseline ?? BASELINE_FILE);
  const shown = named ?? BASELINE_FILE;
  const entries = readBaseline(file, shown);
  if (entries === undefined && named !== undefined) throw messages.baselineNotFound(shown);
  return entries;
}

function choice(option: string, value: string, choices: readonly string[]): string {
  if (!choices.includes(value)) throw messages.badChoice(option, value, choices);
  return value;
}

/** NO_COLOR (no-color.org) and --no-color turn colour off; FORCE_COLOR turns it on (0/false: off); else only on a TTY. */
export function useColor(noColorFlag: boolean, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (noColorFlag || env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
