// `npm run bench`: keyguard against its floors and peers, measured in one run (DESIGN §8).
// Builds deterministic corpora in a temporary directory, times every command with warm-up and
// repetitions, prints medians and ratios with the targets, and writes bench-results.json.
// Absolute times drift on shared machines; the ratios are what is compared.
//
// Environment: BENCH_RUNS (repetitions, default 7), KEYGUARD_BENCH_REPO (a real checkout to scan too).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WORK = mkdtempSync(join(tmpdir(), 'keyguard-bench-'));
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.test' };
for (const k of Object.keys(GIT_ENV)) if (k.startsWith('GIT_') && !k.startsWith('GIT_CONFIG') && !k.startsWith('GIT_AUTHOR') && !k.startsWith('GIT_COMMITTER')) delete GIT_ENV[k];

// The OpenAI pattern keyguard's rule uses, for ripgrep. The marker is split so this file holds no key shape.
const MARKER = 'T3Blbk' + 'FJ';
const RG_PATTERN = `sk-[A-Za-z0-9_-]{16,100}?${MARKER}[A-Za-z0-9_-]{16,}`;

// ---------------------------------------------------------------- corpora (seeded, deterministic)
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const WORDS = ['user', 'order', 'invoice', 'client', 'config', 'render', 'fetch', 'value', 'items', 'result', 'token', 'payload', 'status', 'handler'];
function makeText(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chars = (n, set = B64) => Array.from({ length: n }, () => set[Math.floor(random() * set.length)]).join('');
  const key = () => `sk-proj-${chars(74)}${MARKER}${chars(73)}A`;
  return {
    key,
    ts: (lines, planted) => {
      const out = [`import { ${pick(WORDS)} } from './${pick(WORDS)}';`];
      for (let i = 0; i < lines; i++) out.push(`export function ${pick(WORDS)}${i}(${pick(WORDS)}: string) { return ${pick(WORDS)}.${pick(WORDS)}(${i}); }`);
      if (planted) out.splice(Math.floor(lines / 2), 0, `const apiKey = "${key()}";`);
      return `${out.join('\n')}\n`;
    },
    json: (n) => `${JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`${pick(WORDS)}_${i}`, { id: chars(12), count: i, tags: [pick(WORDS), pick(WORDS)] }])), null, 2)}\n`,
    lock: (n) => `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: Object.fromEntries(Array.from({ length: n }, (_, i) => [`node_modules/${pick(WORDS)}-${i}`, { version: `1.${i}.0`, resolved: `https://registry.npmjs.org/x/-/x-1.${i}.0.tgz`, integrity: `sha512-${chars(86)}==` }])) }, null, 2)}\n`,
    bundle: (n) => `${Array.from({ length: n }, (_, i) => `function ${chars(2, 'abcdefghij')}${i}(a,b){return a.${pick(WORDS)}(b)+"${chars(8)}"}`).join(';')}\n`,
    notebook: (n, planted) => `${JSON.stringify({ cells: Array.from({ length: n }, (_, i) => ({ cell_type: 'code', source: [`${pick(WORDS)} = ${i}\\n`, planted && i === 1 ? `client = OpenAI(api_key="${key()}")\\n` : `print(${pick(WORDS)})\\n`], outputs: [] })), nbformat: 4 }, null, 1)}\n`,
  };
}

/** A repository-shaped tree of `files` files; every 250th file holds a planted key. */
function writeCorpus(dir, files, seed) {
  const random = prng(seed);
  const t = makeText(random);
  let planted = 0;
  for (let i = 0; i < files; i++) {
    const plant = i % 250 === 125;
    if (plant) planted++;
    const kind = i % 20;
    const sub = join(dir, `pkg${i % 17}`, ['src', 'lib', 'test', 'data'][i % 4]);
    mkdirSync(sub, { recursive: true });
    let name;
    let text;
    if (kind === 0) [name, text] = [`package-lock-${i}.json`, t.lock(40)];
    else if (kind === 1) [name, text] = [`bundle-${i}.min.js`, t.bundle(120)];
    else if (kind === 2) [name, text] = [`analysis-${i}.ipynb`, t.notebook(12, plant)];
    else if (kind < 6) [name, text] = [`fixture-${i}.json`, t.json(30)];
    else [name, text] = [`module-${i}.ts`, t.ts(60, plant)];
    if (plant && kind < 6 && kind !== 2) text += `${t.key()}\n`;
    writeFileSync(join(sub, name), text);
  }
  return planted;
}

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
}

function initRepo(dir) {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
}

/** `commits` commits through fast-import, each editing 3 of 60 files; every 100th adds a key. */
function writeHistory(dir, commits, seed) {
  initRepo(dir);
  const random = prng(seed);
  const t = makeText(random);
  const files = Array.from({ length: 60 }, (_, i) => `src/file${i}.ts`);
  const contents = new Map(files.map((f) => [f, t.ts(20, false)]));
  let stream = '';
  for (let c = 1; c <= commits; c++) {
    const message = `commit ${c}`;
    stream += `commit refs/heads/main\ncommitter b <b@example.test> ${1700000000 + c * 60} +0000\ndata ${message.length}\n${message}\n`;
    for (let k = 0; k < 3; k++) {
      const file = files[Math.floor(random() * files.length)];
      let text = contents.get(file) + t.ts(3, false).split('\n').slice(1).join('\n');
      if (c % 100 === 50 && k === 0) text += `const leaked${c} = "${t.key()}";\n`;
      contents.set(file, text);
      stream += `M 100644 inline ${file}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, env: GIT_ENV, maxBuffer: 1 << 30 });
  git(dir, 'reset', '-q', '--hard', 'main');
}

// ---------------------------------------------------------------- measuring
function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Median wall time (ms) of `runs` runs after one warm-up; a failed run (exit >= 2) aborts. */
function time(label, command, args, cwd, okCodes = [0, 1], runs = RUNS) {
  const once = () => {
    const started = process.hrtime.bigint();
    const r = spawnSync(command, args, { cwd, env: GIT_ENV, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!okCodes.includes(r.status ?? -1)) throw new Error(`${label}: ${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return ms;
  };
  once();
  const samples = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Peak resident memory (MB) of keyguard on `args`, read from the process itself at exit. */
function peakMemory(args, cwd) {
  const wrapper = join(WORK, 'rss.mjs');
  writeFileSync(wrapper, `process.on('exit', () => process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));\nawait import(${JSON.stringify(CLI)});\n`);
  const r = spawnSync(process.execPath, [wrapper, ...args], { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  const kb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
  return kb / 1024;
}

const rows = [];
function row(name, keyguardMs, baselineName, baselineMs, target, meets) {
  const ratio = keyguardMs / baselineMs;
  rows.push({ name, keyguardMs: round(keyguardMs), baseline: baselineName, baselineMs: round(baselineMs), ratio: round(ratio, 2), target, met: meets(ratio) });
}
const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const kg = (...args) => [CLI, ...args];

// ---------------------------------------------------------------- the run
try {
  console.error(`keyguard bench: corpora in ${WORK}, ${RUNS} runs each after a warm-up`);
  const small = join(WORK, 'tree-1x');
  const large = join(WORK, 'tree-4x');
  initRepo(small);
  initRepo(large);
  const plantedSmall = writeCorpus(small, 2000, 1);
  const plantedLarge = writeCorpus(large, 8000, 1);
  for (const dir of [small, large]) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'corpus');
  }

  // Staged: 20 and 2,000 changed files, against `node -e 0` + `git diff --cached --name-only`.
  const nodeFloor = time('node -e 0', process.execPath, ['-e', '0'], small);
  for (const count of [20, 2000]) {
    const files = git(small, 'ls-files').trim().split('\n').slice(0, count);
    for (const f of files) execFileSync('sh', ['-c', `echo "// edit" >> "${f}"`], { cwd: small });
    git(small, 'add', '-A');
    const floor = nodeFloor + time('git diff --cached', 'git', ['diff', '--cached', '--name-only'], small);
    row(`scan --staged, ${files.length} files`, time('staged', process.execPath, kg('scan', '--staged'), small), 'node -e 0 + git diff --cached --name-only', floor, count <= 20 ? '≤ 1.5x' : 'report', (r) => (count <= 20 ? r <= 1.5 : true));
    git(small, 'reset', '-q', '--hard', 'HEAD');
  }

  // Tree scan: ripgrep with the same OpenAI pattern, and secretlint's recommended preset.
  const tree = time('tree', process.execPath, kg('scan', '.', '-q'), small);
  if (which('rg')) row('tree scan, 2,000 files', tree, 'ripgrep, same OpenAI pattern', time('rg', 'rg', ['-c', '--no-messages', RG_PATTERN, '.'], small), '≤ 2x', (r) => r <= 2);
  else console.error('ripgrep not installed (apt-get install ripgrep): skipped');
  const secretlint = join(ROOT, 'node_modules', '.bin', 'secretlint');
  if (which(secretlint)) {
    writeFileSync(join(small, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    // ~20 s a run: three runs are enough to see a 40x difference.
    const sl = time('secretlint', secretlint, ['--secretlintrc', join(small, '.secretlintrc.json'), '**/*'], small, [0, 1], Math.min(RUNS, 3));
    rows.push({ name: 'tree scan, 2,000 files', keyguardMs: round(tree), baseline: 'secretlint 10, preset-recommend', baselineMs: round(sl), ratio: round(tree / sl, 3), target: '≥ 10x faster (≤ 0.1x)', met: tree / sl <= 0.1 });
  } else console.error('secretlint not installed (npm install): skipped');

  // History: --range over 1,000 commits against `git log -p` piped to ripgrep.
  const history = join(WORK, 'history');
  writeHistory(history, 1000, 2);
  const first = git(history, 'rev-list', '--max-parents=0', 'HEAD').trim();
  const range = `${first}..HEAD`;
  const historyMs = time('range', process.execPath, kg('scan', '--range', range, '-q'), history);
  if (which('rg')) {
    const floor = time('git log | rg', 'sh', ['-c', `git log -p ${range} | rg -c '${RG_PATTERN}'`], history);
    row('scan --range, 1,000 commits', historyMs, 'git log -p | ripgrep', floor, '≤ 1.5x', (r) => r <= 1.5);
  }

  // Peak memory at 1x and 4x input.
  const mem1 = peakMemory(['scan', '.', '-q'], small);
  const mem4 = peakMemory(['scan', '.', '-q'], large);
  rows.push({ name: 'peak memory, tree scan', keyguardMs: null, baseline: '1x → 4x input', baselineMs: null, ratio: round(mem4 / mem1, 2), target: '4x within 1.3x of 1x', met: mem4 / mem1 <= 1.3, memoryMb: { '1x': round(mem1), '4x': round(mem4) } });

  if (process.env.KEYGUARD_BENCH_REPO) {
    const real = resolve(process.env.KEYGUARD_BENCH_REPO);
    const ms = time('real checkout', process.execPath, kg('scan', '.', '-q'), real);
    if (which('rg')) row(`tree scan, ${real}`, ms, 'ripgrep, same OpenAI pattern', time('rg', 'rg', ['-c', '--no-messages', RG_PATTERN, '.'], real), 'report', () => true);
  }

  // Every planted key must be found, or the speed means nothing.
  const found = JSON.parse(spawnSync(process.execPath, kg('scan', '.', '--format', 'json'), { cwd: small, encoding: 'utf8', maxBuffer: 1 << 30 }).stdout).findings.length;
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memGb: round(totalmem() / 2 ** 30), node: process.versions.node, date: new Date().toISOString() };
  const result = { machine, runs: RUNS, planted: { '1x': plantedSmall, '4x': plantedLarge }, foundIn1x: found, rows };
  writeFileSync(join(process.cwd(), 'bench-results.json'), `${JSON.stringify(result, null, 2)}\n`);

  const table = [
    '| measurement | keyguard | baseline | baseline time | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      r.memoryMb
        ? `| ${r.name} | ${r.memoryMb['1x']} MB → ${r.memoryMb['4x']} MB | ${r.baseline} | | ${r.ratio}x | ${r.target} | ${r.met ? 'yes' : 'no'} |`
        : `| ${r.name} | ${r.keyguardMs} ms | ${r.baseline} | ${r.baselineMs} ms | ${r.ratio}x | ${r.target} | ${r.met ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
  console.log(`${table}\n\n${machine.cpus} × ${machine.cpu}, ${machine.memGb} GB, Node ${machine.node}, ${machine.date}; medians of ${RUNS} runs.`);
  console.log(`Planted keys found in the 1x tree: ${found} of ${plantedSmall}. Results: bench-results.json`);
  if (found < plantedSmall) process.exitCode = 1;
} finally {
  rmSync(WORK, { recursive: true, force: true });
}
