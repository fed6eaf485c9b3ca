import { expandTemplate } from '../../engine/template.js';
import { display } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck } from '../types.js';

/** OpenAI's marker, base64 of "OpenAI", kept apart so that no key-shaped literal sits in this file. */
const MARKER = 'T3Blbk' + 'FJ';
const CANARY_TEMPLATE = 'sk-proj-{b64url:74}' + MARKER + '{b64url:73}A';
const TIMEOUT_MS = 20_000;

/** A fresh project-key-shaped string that no account has ever issued. */
export function makeCanary(): string {
  return expandTemplate(CANARY_TEMPLATE, Math.random).text;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  error?: string;
}

function runScan(command: string, args: readonly string[], input: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    // Fetched on use, as in sources/git.ts: commands that never spawn do not pay to load it.
    const cp = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
    const child = cp.spawn(command, [...args, 'scan', '--stdin'], { cwd, env, stdio: 'pipe' });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => {
      error = `no answer after ${TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.stdin.on('error', () => {}); // a scanner that exits without reading stdin: judged by its exit code
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const outcome: Outcome = { code, signal, output: Buffer.concat(chunks).toString('utf8') };
      if (error !== undefined) outcome.error = error;
      resolve(outcome);
    });
    child.stdin.end(`const client = new OpenAI({ apiKey: "${input}" });\n`);
  });
}

/**
 * The self-test: a generated key through the keyguard the hook would run (node_modules/.bin or
 * PATH; if neither, the running CLI, said so). It must exit 1 and must not print the key.
 */
export const canaryCheck: DoctorCheck = {
  id: 'canary',
  title: 'canary',
  needsRepo: true,
  async run(ctx) {
    const repo = ctx.repo;
    const installed = repo?.keyguard();
    const cli = ctx.cli ?? process.argv[1];
    if (!installed && !cli) return { status: 'fail', message: m.canary.failed('keyguard', 'not found', ''), fix: m.keyguard.notFoundFix };
    const command = installed ? installed.path : process.execPath;
    const args = installed ? [] : [cli as string];
    const shown = installed && repo ? display(repo, installed.path) : (cli as string);
    const canary = makeCanary();
    const r = await runScan(command, args, canary, repo?.top ?? ctx.cwd, ctx.env);
    const how = r.error ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
    const detail = r.output.trim().split('\n')[0] ?? '';
    // The whole key, or enough of its tail to matter: a preview's last four are expected.
    if (r.output.includes(canary) || r.output.includes(canary.slice(-16))) return { status: 'fail', message: m.canary.leaked(shown), fix: m.canary.leakedFix };
    if (r.error === undefined && r.code === 0) {
      // The config may be why: a rule turned off, or OpenAI keys lowered below failOn.
      const loaded = ctx.project && 'project' in ctx.project ? ctx.project.project : undefined;
      const rule = loaded?.config.rules.find((x) => x.id === 'openai-api-key');
      if (loaded?.configFile && (!rule || rule.severity === 'warning' || loaded.config.failOn === 'never')) {
        return { status: 'fail', message: m.canary.missedByConfig(shown, loaded.configFile, rule ? rule.severity : 'off'), fix: m.canary.missedByConfigFix(loaded.configFile) };
      }
      return { status: 'fail', message: m.canary.missed(shown), fix: m.canary.missedFix };
    }
    if (r.error !== undefined || r.code !== 1) return { status: 'fail', message: m.canary.failed(shown, how, detail), fix: m.canary.failedFix(shown) };
    return { status: 'ok', message: installed ? m.canary.ok(shown) : m.canary.okFallback(shown) };
  },
};
