// Bundles the CLI and the API into one ESM file each, so start-up stays close to bare Node
// (ARCHITECTURE.md "Build"). Declarations for the API come from tsc.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  legalComments: 'none',
  define: { __KEYGUARD_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies (cosmiconfig, picomatch) call require(); give ESM one.
  banner: { js: "import { createRequire as __keyguardRequire } from 'node:module'; const require = __keyguardRequire(import.meta.url);" },
  logLevel: 'warning',
  // cosmiconfig 9 require()s the optional `typescript` for .ts configs; keyguard loads those with
  // Node's type stripping instead (src/config/load.ts), so that require is never reached.
  external: ['typescript'],
};
await build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
execFileSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
