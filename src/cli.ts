import { run } from './run.js';

// The only place that touches argv, the real streams and the exit code.
run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keyguard: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
