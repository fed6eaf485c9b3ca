import { run } from './run.js';

// The only place that touches argv, the real streams and the exit code.
let outputFailed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A reader that stopped early (`| head`) does not change the verdict; any other write error means
  // the report was lost, which must not pass for a result.
  if (error.code === 'EPIPE') return;
  outputFailed = true;
  process.stderr.write(`keyguard: could not write the report to standard output (${error.code ?? error.message}).\n`);
  process.exitCode = 2;
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // process.stdin is created on first access (~6 ms); only --stdin needs it.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    if (!outputFailed) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keyguard: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
