/**
 * The configuration end to end: the built CLI (dist/cli.js) run as a child process in real
 * temporary git repositories. Discovery in every search place, from the top level only, precedence,
 * --config, validation and loading errors, TypeScript configs, failOn, rules, custom rules and the
 * doctor's config and envVars checks.
 *
 * Keys and custom-rule tokens are generated at test time (test/helpers/keys.ts); no key-shaped
 * literal is written anywhere in this file.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createRepo, runCli, tempDir, type CliResult, type Repo } from '../helpers/repo.js';
import { expand, genKey } from '../helpers/keys.js';
import type { JsonReport } from '../helpers/report.js';
import type { DoctorReport, ReportedCheck } from '../../src/doctor/types.js';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

/** A readable failure message: the whole CLI result. */
const show = (r: CliResult) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function expectExit(r: CliResult, code: number): void {
  expect(r.status, show(r)).toBe(code);
}

function writeFile(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** git stops looking for a repository above `dir`: the temporary directory is in none. */
const outsideGit = (dir: string) => cleanEnv({ GIT_CEILING_DIRECTORIES: dirname(dir) });

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Config bodies with an effect a scan shows: the staged key becomes a warning, or is not reported. */
const WARN = { rules: { 'openai-api-key': 'warning' } };
const OFF = { rules: { 'openai-api-key': 'off' } };
const WARN_YAML = 'rules:\n  openai-api-key: warning\n';
const WARN_JS = "{ rules: { 'openai-api-key': 'warning' } }";
const OFF_JS = "{ rules: { 'openai-api-key': 'off' } }";

/** A repository with a generated OpenAI key staged in app.js; `files` are written, not staged. */
function keyRepo(files: Record<string, string> = {}): Repo {
  const repo = createRepo(files);
  repo.write('app.js', `const key = '${genKey()}';\n`);
  repo.git('add', 'app.js');
  return repo;
}

/** The staged key was found and reported as a warning, which does not fail the scan. */
function expectWarned(r: CliResult): void {
  expectExit(r, 0);
  expect(r.stdout, show(r)).toMatch(/app\.js:1:\d+\s+warning\s+openai-api-key\b/);
  expect(r.stdout, show(r)).not.toMatch(/\berror\s+openai-api-key\b/);
}

/** The staged key was reported with the built-in severity: the config did not apply. */
function expectDefaults(r: CliResult): void {
  expectExit(r, 1);
  expect(r.stdout, show(r)).toMatch(/app\.js:1:\d+\s+error\s+openai-api-key\b/);
}

/** The staged key was not reported at all. */
function expectNotReported(r: CliResult): void {
  expectExit(r, 0);
  expect(r.stdout, show(r)).not.toContain('openai-api-key');
  expect(r.stdout, show(r)).toContain('no secrets found');
}

/**
 * A config problem: exit 2, the what/why/fix triple on stderr, no report on stdout, nothing
 * claimed clean, and no stack trace.
 */
function expectConfigFailure(r: CliResult, ...mentions: string[]): void {
  expectExit(r, 2);
  expect(r.stdout, show(r)).toBe('');
  expect(r.stderr, show(r)).toMatch(/^keyguard: /);
  expect(r.stderr, show(r)).toMatch(/^ {2}why: \S/m);
  expect(r.stderr, show(r)).toMatch(/^ {2}fix: \S/m);
  expect(r.stderr, show(r)).not.toMatch(/no secrets found/i);
  expect(r.stderr, show(r)).not.toMatch(/^\s+at .*[:(]\d+/m);
  for (const mention of mentions) expect(r.stderr, show(r)).toContain(mention);
}

describe('discovery: every search place at the top level is found and applied', () => {
  it('without a config the staged key is an error (the baseline the other tests change)', () => {
    expectDefaults(keyRepo().keyguard(['scan', '--staged']));
  });

  const ESM_PKG = json({ name: 'app', type: 'module' });
  const cases: { place: string; files: Record<string, string> }[] = [
    { place: 'package.json "keyguard" key', files: { 'package.json': json({ name: 'app', version: '1.0.0', keyguard: WARN }) } },
    { place: '.keyguardrc (YAML, no extension)', files: { '.keyguardrc': WARN_YAML } },
    { place: '.keyguardrc (JSON content)', files: { '.keyguardrc': json(WARN) } },
    { place: '.keyguardrc.json', files: { '.keyguardrc.json': json(WARN) } },
    { place: '.keyguardrc.yaml', files: { '.keyguardrc.yaml': WARN_YAML } },
    { place: '.keyguardrc.yml', files: { '.keyguardrc.yml': WARN_YAML } },
    { place: '.keyguardrc.js (ESM, "type": "module")', files: { 'package.json': ESM_PKG, '.keyguardrc.js': `export default ${WARN_JS};\n` } },
    { place: '.keyguardrc.js (CommonJS, no package.json)', files: { '.keyguardrc.js': `module.exports = ${WARN_JS};\n` } },
    { place: '.keyguardrc.mjs', files: { '.keyguardrc.mjs': `export default ${WARN_JS};\n` } },
    { place: '.keyguardrc.cjs', files: { '.keyguardrc.cjs': `module.exports = ${WARN_JS};\n` } },
    { place: 'keyguard.config.js (ESM, "type": "module")', files: { 'package.json': ESM_PKG, 'keyguard.config.js': `export default ${WARN_JS};\n` } },
    { place: 'keyguard.config.js (CommonJS, no package.json)', files: { 'keyguard.config.js': `module.exports = ${WARN_JS};\n` } },
    { place: 'keyguard.config.mjs', files: { 'keyguard.config.mjs': `const config = ${WARN_JS};\nexport default config;\n` } },
    { place: 'keyguard.config.cjs (in a "type": "module" package)', files: { 'package.json': ESM_PKG, 'keyguard.config.cjs': `module.exports = ${WARN_JS};\n` } },
    { place: '.config/keyguardrc.json', files: { '.config/keyguardrc.json': json(WARN) } },
    { place: '.config/keyguardrc (YAML)', files: { '.config/keyguardrc': WARN_YAML } },
  ];
  it.each(cases)('$place', ({ files }) => {
    expectWarned(keyRepo(files).keyguard(['scan', '--staged']));
  });

  it('failOn from a discovered config applies too: failOn "warning" fails on a warning', () => {
    const repo = keyRepo({ '.keyguardrc.yml': `failOn: warning\n${WARN_YAML}` });
    const r = repo.keyguard(['scan', '--staged']);
    expectExit(r, 1);
    expect(r.stdout).toMatch(/\bwarning\s+openai-api-key\b/);
  });
});

describe('discovery: where the search starts and which file wins', () => {
  it('from a subdirectory deep in the repository, the config at the top level is used', () => {
    const repo = keyRepo({ '.keyguardrc.json': json(WARN), 'packages/app/src/lib/index.js': '\n' });
    const r = repo.keyguard(['scan', '--staged'], { cwd: join(repo.dir, 'packages/app/src/lib') });
    expectExit(r, 0);
    expect(r.stdout, show(r)).toMatch(/\bwarning\s+openai-api-key\b/);
  });

  it('a config in a subdirectory (not the top level) is not used, even when run from there', () => {
    const repo = keyRepo({ 'packages/app/.keyguardrc.json': json(OFF), 'packages/app/keyguard.config.mjs': `export default ${OFF_JS};\n` });
    expectDefaults(repo.keyguard(['scan', '--staged'], { cwd: join(repo.dir, 'packages/app') }));
    expectDefaults(repo.keyguard(['scan', '--staged']));
  });

  it('a package.json without a "keyguard" key is ignored and the next search place is used', () => {
    const pkg = json({ name: 'app', version: '1.0.0', scripts: { test: 'vitest' } });
    expectWarned(keyRepo({ 'package.json': pkg, '.keyguardrc.json': json(WARN) }).keyguard(['scan', '--staged']));
    // Alone, it is no config at all: the defaults apply.
    expectDefaults(keyRepo({ 'package.json': pkg }).keyguard(['scan', '--staged']));
  });

  // The winner turns the key into a warning; the loser would turn it off (or fail to load).
  const pairs: { first: string; second: string; files: Record<string, string> }[] = [
    { first: 'package.json', second: '.keyguardrc.json', files: { 'package.json': json({ name: 'app', keyguard: WARN }), '.keyguardrc.json': json(OFF) } },
    { first: '.keyguardrc', second: '.keyguardrc.json', files: { '.keyguardrc': WARN_YAML, '.keyguardrc.json': json(OFF) } },
    { first: '.keyguardrc.json', second: '.keyguardrc.yaml', files: { '.keyguardrc.json': json(WARN), '.keyguardrc.yaml': 'rules:\n  openai-api-key: "off"\n' } },
    { first: '.keyguardrc.yml', second: '.keyguardrc.cjs', files: { '.keyguardrc.yml': WARN_YAML, '.keyguardrc.cjs': `module.exports = ${OFF_JS};\n` } },
    { first: '.keyguardrc.cjs', second: '.config/keyguardrc.json', files: { '.keyguardrc.cjs': `module.exports = ${WARN_JS};\n`, '.config/keyguardrc.json': json(OFF) } },
    { first: '.config/keyguardrc.json', second: 'keyguard.config.mjs', files: { '.config/keyguardrc.json': json(WARN), 'keyguard.config.mjs': `export default ${OFF_JS};\n` } },
    // The second is never loaded: a broken one does not matter.
    { first: '.keyguardrc.json', second: 'a keyguard.config.mjs that throws', files: { '.keyguardrc.json': json(WARN), 'keyguard.config.mjs': "throw new Error('never loaded');\n" } },
  ];
  it.each(pairs)('precedence: $first wins over $second', ({ files }) => {
    expectWarned(keyRepo(files).keyguard(['scan', '--staged']));
  });

  it('outside a git repository, `keyguard scan <dir>` uses the config in the working directory', () => {
    const dir = tempDir();
    writeFile(dir, '.keyguardrc.json', json(WARN));
    writeFile(dir, 'src/app.js', `const key = '${genKey()}';\n`);
    const r = runCli(['scan', 'src'], dir, { env: outsideGit(dir) });
    expectExit(r, 0);
    expect(r.stdout, show(r)).toMatch(/src\/app\.js:1:\d+\s+warning\s+openai-api-key\b/);

    // Control: the same scan without the config fails on the key.
    const plain = tempDir();
    writeFile(plain, 'src/app.js', `const key = '${genKey()}';\n`);
    expectExit(runCli(['scan', 'src'], plain, { env: outsideGit(plain) }), 1);
  });
});

describe('--config / -c: exactly that file, no search', () => {
  it('--config FILE (relative to cwd) is used instead of the config at the top level', () => {
    const repo = keyRepo({ '.keyguardrc.json': json(OFF), 'config/keyguard.json': json(WARN) });
    expectWarned(repo.keyguard(['scan', '--staged', '--config', 'config/keyguard.json']));
    expectWarned(repo.keyguard(['scan', '--staged', '--config=config/keyguard.json']));
    // Control: without --config the top level's file applies.
    expectNotReported(repo.keyguard(['scan', '--staged']));
  });

  it('-c FILE is relative to the working directory, not to the top level', () => {
    const repo = keyRepo({ '.keyguardrc.json': json(OFF), 'tools/keyguard.yml': WARN_YAML, 'keyguard.yml': 'rules:\n  openai-api-key: "off"\n' });
    expectWarned(repo.keyguard(['scan', '--staged', '-c', 'keyguard.yml'], { cwd: join(repo.dir, 'tools') }));
    expectWarned(repo.keyguard(['scan', '--staged', '-c', '../tools/keyguard.yml'], { cwd: join(repo.dir, 'tools') }));
  });

  it('--config names a package.json with a "keyguard" key: that key is used', () => {
    const repo = keyRepo({ '.keyguardrc.json': json(OFF), 'shared/package.json': json({ name: 'shared', keyguard: WARN }) });
    expectWarned(repo.keyguard(['scan', '--staged', '--config', 'shared/package.json']));
  });

  it('--config naming a file that does not exist: exit 2, no fallback to the config found by search', () => {
    const repo = keyRepo({ '.keyguardrc.json': json(OFF) });
    const r = repo.keyguard(['scan', '--staged', '--config', 'nope/keyguard.json']);
    expectConfigFailure(r, '--config names nope/keyguard.json, which does not exist.', 'will not fall back');
    const short = repo.keyguard(['scan', '--staged', '-c', 'missing.yml']);
    expectConfigFailure(short, '--config names missing.yml, which does not exist.');
  });

  it('--config package.json without a "keyguard" key: exit 2', () => {
    const repo = keyRepo({ 'package.json': json({ name: 'app', version: '1.0.0' }) });
    const r = repo.keyguard(['scan', '--staged', '--config', 'package.json']);
    expectConfigFailure(r, '--config names the "keyguard" key of package.json, which does not exist.');
  });

  it('--config applies to `keyguard rules` as well', () => {
    const repo = keyRepo({ 'config/keyguard.json': json(OFF) });
    const r = repo.keyguard(['rules', '--config', 'config/keyguard.json']);
    expectExit(r, 0);
    // Turned off: left out, or listed as off, but never with a severity that runs.
    expect(r.stdout).not.toMatch(/^openai-api-key\s+(error|warning)\b/m);
    expect(r.stdout).toMatch(/^dotenv-committed\s+error\b/m);
    expect(repo.keyguard(['rules']).stdout).toMatch(/^openai-api-key\s+error\b/m);
  });
});

describe('invalid configs: exit 2, naming the file, the key path, what was expected and what was found', () => {
  const INVALID = 'is not a valid keyguard config:';

  it('an unknown key, with a did-you-mean', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ failon: 'warning' }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`, 'failon: expected one of the keys', '"failOn"', 'found unknown key "failon" (did you mean "failOn"?)');
    expect(r.stderr).toMatch(/^keyguard: \.keyguardrc\.json is not a valid/);
  });

  it('a value outside an enum', () => {
    const r = keyRepo({ '.keyguardrc.yml': 'failOn: sometimes\n' }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.yml ${INVALID}`, 'failOn: expected one of "error", "warning", "never"; found "sometimes"');
  });

  it('a rule severity outside the enum, with the key path of the rule', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ rules: { 'openai-api-key': 'warn' } }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`, 'rules["openai-api-key"]: expected', '"warning"', 'found "warn"');
  });

  it('an invalid regular expression', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ allow: { values: ['ok', '(unclosed'] } }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`, 'allow.values[1]: expected a valid regular expression; found "(unclosed"');
    expect(r.stderr).toMatch(/Unterminated group/i);
  });

  it('a custom rule whose positive example is not found', () => {
    const rule = customRule({ positive: ['token = acme_{alnum:8}'] });
    const r = keyRepo({ '.keyguardrc.json': json({ customRules: [rule] }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`, 'customRules[0].examples.positive[0]: expected a text the rule finds; found an example where the rule finds nothing in it');
  });

  it('a custom rule whose negative example is found', () => {
    const rule = customRule({ negative: [{ text: 'token = acme_{alnum:32}', reason: 'not really negative' }] });
    const r = keyRepo({ '.keyguardrc.json': json({ customRules: [rule] }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, 'customRules[0].examples.negative[0]: expected a text the rule does not find; found an example where the rule reports');
  });

  it('an unknown rule id under "rules"', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ rules: { 'openai-key': 'off' } }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`, 'rules["openai-key"]: expected a rule id: openai-api-key, dotenv-committed', 'found "openai-key", which no rule has (see keyguard rules)');
  });

  it('every problem is reported at once', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ failOn: 'sometimes', inlineAlow: false }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, 'failOn: expected', 'inlineAlow: expected', 'did you mean "inlineAllow"?');
  });

  it('a config invalid in package.json names package.json and the key inside "keyguard"', () => {
    const r = keyRepo({ 'package.json': json({ name: 'app', keyguard: { failOn: 'sometimes' } }) }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `package.json ${INVALID}`, 'failOn: expected one of');
  });

  it('`keyguard rules` refuses an invalid config too', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ failon: 'warning' }) }).keyguard(['rules']);
    expectConfigFailure(r, `.keyguardrc.json ${INVALID}`);
  });

  it('run from a subdirectory, the message names the file by a path the user can open', () => {
    const repo = keyRepo({ '.keyguardrc.json': json({ failon: 'warning' }), 'src/index.js': '\n' });
    const r = repo.keyguard(['scan', '--staged'], { cwd: join(repo.dir, 'src') });
    expectConfigFailure(r, `${join(repo.dir, '.keyguardrc.json')} ${INVALID}`);
  });
});

describe('configs that cannot be loaded: exit 2, "could not be loaded", no stack trace', () => {
  it('broken JSON in .keyguardrc.json', () => {
    const repo = keyRepo({ '.keyguardrc.json': '{ "failOn": "warning", }\n' });
    const r = repo.keyguard(['scan', '--staged']);
    expectConfigFailure(r, '.keyguardrc.json could not be loaded:');
    expect(r.stderr).toMatch(/^keyguard: \.keyguardrc\.json could not be loaded:/);
  });

  it('broken JSON: the parser\'s "JSON Error in <absolute path>" prefix is dropped, as load.ts intends', () => {
    const repo = keyRepo({ '.keyguardrc.json': '{ "failOn": "warning", }\n' });
    const r = repo.keyguard(['scan', '--staged']);
    expectExit(r, 2);
    expect(r.stderr, show(r)).not.toContain('JSON Error in');
    expect(r.stderr, show(r)).not.toContain(repo.dir);
  });

  it('broken YAML in .keyguardrc.yml', () => {
    const r = keyRepo({ '.keyguardrc.yml': 'rules: [unclosed\nfailOn: warning\n' }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, '.keyguardrc.yml could not be loaded:');
  });

  it('a .mjs config that throws at import', () => {
    const r = keyRepo({ 'keyguard.config.mjs': "throw new Error('config exploded on purpose');\nexport default {};\n" }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, 'keyguard.config.mjs could not be loaded:');
  });

  // The reason is the config's own error, not one from keyguard's loader machinery.
  const reasons: { name: string; files: Record<string, string>; reason: RegExp }[] = [
    { name: 'a .mjs config that throws at import', files: { 'keyguard.config.mjs': "throw new Error('config exploded on purpose');\nexport default {};\n" }, reason: /config exploded on purpose/ },
    { name: 'a .cjs config with a syntax error', files: { '.keyguardrc.cjs': 'module.exports = { failOn: ;\n' }, reason: /Unexpected token|SyntaxError/ },
    { name: 'CommonJS in a .js config of a "type": "module" package', files: { 'package.json': json({ type: 'module' }), '.keyguardrc.js': 'module.exports = { failOn: "warning" };\n' }, reason: /module is not defined/ },
  ];
  it.each(reasons)('$name: the reason shown is its own error', ({ files, reason }) => {
    const r = keyRepo(files).keyguard(['scan', '--staged']);
    expectConfigFailure(r, 'could not be loaded:');
    expect(r.stderr, show(r)).toMatch(reason);
    expect(r.stderr, show(r)).not.toContain('__filename');
  });

  it('a .cjs config with a syntax error', () => {
    const r = keyRepo({ '.keyguardrc.cjs': 'module.exports = { failOn: ;\n' }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, '.keyguardrc.cjs could not be loaded:');
  });
});

describe('TypeScript config (keyguard.config.ts)', () => {
  const features = process.features as unknown as { typescript?: string | false };
  const canStripTypes = Boolean(features.typescript);
  const TS = "const config: { rules: Record<string, string>; failOn: string } = { rules: { 'openai-api-key': 'warning' }, failOn: 'error' };\nexport default config;\n";

  it.runIf(canStripTypes)(`Node ${process.versions.node} strips the types: it loads and applies`, () => {
    const r = keyRepo({ 'keyguard.config.ts': TS }).keyguard(['scan', '--staged']);
    expectWarned(r);
    const failOn = keyRepo({ 'keyguard.config.ts': "const config: { failOn: string } = { failOn: 'never' };\nexport default config;\n" }).keyguard(['scan', '--staged']);
    expectExit(failOn, 0);
    expect(failOn.stdout).toMatch(/\berror\s+openai-api-key\b/);
  });

  it.skipIf(canStripTypes)(`Node ${process.versions.node} cannot strip types: exit 2, saying so and suggesting the rename`, () => {
    const r = keyRepo({ 'keyguard.config.ts': TS }).keyguard(['scan', '--staged']);
    expectConfigFailure(r, `is TypeScript, and Node ${process.versions.node} cannot load TypeScript.`, 'rename the file to keyguard.config.js', 'remove its type annotations', '22.18');
  });

  it.skipIf(canStripTypes)('the TypeScript message names the file relative to cwd, like every other config message', () => {
    const r = keyRepo({ 'keyguard.config.ts': TS }).keyguard(['scan', '--staged']);
    expectExit(r, 2);
    expect(r.stderr, show(r)).toMatch(/^keyguard: keyguard\.config\.ts is TypeScript/);
  });
});

describe('failOn', () => {
  it('config failOn "never": exit 0, with the finding still printed', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ failOn: 'never' }) }).keyguard(['scan', '--staged']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/app\.js:1:\d+\s+error\s+openai-api-key\b/);
    expect(r.stdout).toMatch(/1 secret found \(1 error\)/);
  });

  it('--fail-on error on the command line overrides the config\'s failOn "warning"', () => {
    const repo = keyRepo({ '.keyguardrc.json': json({ failOn: 'warning', ...WARN }) });
    const fromConfig = repo.keyguard(['scan', '--staged']);
    expectExit(fromConfig, 1);
    expect(fromConfig.stdout).toMatch(/\bwarning\s+openai-api-key\b/);
    expectWarned(repo.keyguard(['scan', '--staged', '--fail-on', 'error']));
  });

  it('--fail-on warning overrides the config\'s failOn "never"', () => {
    const repo = keyRepo({ '.keyguardrc.json': json({ failOn: 'never' }) });
    expectExit(repo.keyguard(['scan', '--staged', '--fail-on', 'warning']), 1);
  });

  it('a staged finding that does not fail the scan does not claim the commit was stopped', () => {
    const r = keyRepo({ '.keyguardrc.json': json({ failOn: 'never' }) }).keyguard(['scan', '--staged']);
    expectExit(r, 0);
    expect(r.stdout, show(r)).not.toContain('The commit was stopped');
  });
});

describe('rules', () => {
  it('"openai-api-key": "off": the staged key is not reported', () => {
    expectNotReported(keyRepo({ '.keyguardrc.json': json(OFF) }).keyguard(['scan', '--staged']));
  });

  it('"dotenv-committed": "off": a staged .env is not reported', () => {
    const repo = createRepo({ '.env': 'PORT=3000\n' });
    repo.git('add', '.env');
    const before = repo.keyguard(['scan', '--staged']);
    expectExit(before, 1);
    expect(before.stdout).toMatch(/\.env:1:1\s+error\s+dotenv-committed\b/);

    repo.write('.keyguardrc.json', json({ rules: { 'dotenv-committed': 'off' } }));
    const after = repo.keyguard(['scan', '--staged']);
    expectExit(after, 0);
    expect(after.stdout, show(after)).not.toContain('dotenv-committed');
    expect(after.stdout).toContain('no secrets found');
  });

  it('`keyguard rules` shows a changed severity, and a rule turned off as not running', () => {
    const repo = createRepo({ '.keyguardrc.json': json({ rules: { 'openai-api-key': 'warning', 'dotenv-committed': 'off' } }) });
    const r = repo.keyguard(['rules']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^openai-api-key\s+warning\s/m);
    // Left out, or listed as off, but never with a severity that runs.
    expect(r.stdout).not.toMatch(/^dotenv-committed\s+(error|warning)\b/m);
    expect(r.stdout).toMatch(/^dotenv-not-ignored\s+error\b/m);
  });
});

/** A custom rule in the config's shape; its examples are templates, expanded when the config loads. */
function customRule(examples: { positive?: string[]; negative?: { text: string; reason: string }[] } = {}) {
  return {
    id: 'acme-token',
    title: 'Acme API token',
    keywords: ['acme_'],
    pattern: 'acme_[A-Za-z0-9]{32}',
    minEntropy: 3,
    why: 'An Acme token opens the Acme account it belongs to.',
    revokeUrl: 'https://acme.example/settings/tokens',
    examples: {
      positive: examples.positive ?? ['token = acme_{alnum:32}', 'ACME_TOKEN="⟪acme_{alnum:32}⟫"'],
      negative: examples.negative ?? [
        { text: 'token = acme_{x*32}', reason: 'a run of one character is a placeholder' },
        { text: 'token = acme_{alnum:12}', reason: 'too short to be a token' },
      ],
    },
  };
}

describe('custom rules from the config', () => {
  const token = () => expand('acme_{alnum:32}').text;

  function acmeRepo(): { repo: Repo; secret: string } {
    const repo = createRepo({ '.keyguardrc.json': json({ customRules: [customRule()] }) });
    const secret = token();
    repo.write('deploy.sh', `export ACME_TOKEN=${secret}\n`);
    repo.git('add', 'deploy.sh');
    return { repo, secret };
  }

  it('finds a generated token in a staged file, without printing it', () => {
    const { repo, secret } = acmeRepo();
    const r = repo.keyguard(['scan', '--staged']);
    expectExit(r, 1);
    expect(r.stdout).toMatch(/deploy\.sh:1:\d+\s+error\s+acme-token\s+Acme API token/);
    expect(r.stdout).toContain('https://acme.example/settings/tokens');
    expect(r.stdout).not.toContain(secret);

    const report = JSON.parse(repo.keyguard(['scan', '--staged', '--format', 'json']).stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.path, f.severity])).toEqual([['acme-token', 'deploy.sh', 'error']]);
  });

  it('a placeholder the rule\'s minEntropy rejects is not reported', () => {
    const repo = createRepo({ '.keyguardrc.json': json({ customRules: [customRule()] }) });
    repo.write('deploy.sh', `export ACME_TOKEN=acme_${'x'.repeat(32)}\n`);
    repo.git('add', 'deploy.sh');
    expectExit(repo.keyguard(['scan', '--staged']), 0);
  });

  it('its severity can be changed under "rules", by its id', () => {
    const repo = createRepo({ '.keyguardrc.json': json({ customRules: [customRule()], rules: { 'acme-token': 'warning' } }) });
    repo.write('deploy.sh', `export ACME_TOKEN=${token()}\n`);
    repo.git('add', 'deploy.sh');
    const r = repo.keyguard(['scan', '--staged']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/\bwarning\s+acme-token\b/);
  });

  it('is listed by `keyguard rules` with the built-in rules, and `keyguard rules acme-token` describes it', () => {
    const { repo } = acmeRepo();
    const list = repo.keyguard(['rules']);
    expectExit(list, 0);
    expect(list.stdout).toMatch(/^acme-token\s+error\s+Acme API token$/m);
    expect(list.stdout).toMatch(/^openai-api-key\s+error\s/m);

    const one = repo.keyguard(['rules', 'acme-token']);
    expectExit(one, 0);
    expect(one.stdout).toMatch(/^acme-token — Acme API token \(error\)$/m);
    expect(one.stdout).toContain('An Acme token opens the Acme account it belongs to.');
    expect(one.stdout).toContain('https://acme.example/settings/tokens');
    expect(one.stdout).toContain('a run of one character is a placeholder');
    expect(one.stdout).toContain('too short to be a token');

    // Without the config the rule does not exist.
    const none = createRepo().keyguard(['rules', 'acme-token']);
    expectExit(none, 2);
    expect(none.stderr).toContain('there is no rule "acme-token"');
  });

  it('appears in the SARIF rule metadata, described by the rule itself', () => {
    const { repo } = acmeRepo();
    const r = repo.keyguard(['scan', '--staged', '--format', 'sarif']);
    expectExit(r, 1);
    const log = JSON.parse(r.stdout) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
    };
    const [run] = log.runs;
    const rules = run!.tool.driver.rules;
    const index = rules.findIndex((rule) => rule.id === 'acme-token');
    expect(index, JSON.stringify(rules.map((rule) => rule.id))).toBeGreaterThanOrEqual(0);
    expect(rules[index]).toMatchObject({
      shortDescription: { text: 'Acme API token' },
      fullDescription: { text: 'An Acme token opens the Acme account it belongs to.' },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules.map((rule) => rule.id)).toContain('openai-api-key');
    expect(run!.results).toEqual([expect.objectContaining({ ruleId: 'acme-token', ruleIndex: index })]);
  });
});

describe('doctor and the config', () => {
  /** An empty XDG config directory: the developer's ~/.config/husky/init.sh stays out of the tests. */
  const XDG_CONFIG_HOME = tempDir();

  /** A PATH with node, git and sh but no keyguard, $NODE for the shim, and no key variables. */
  function doctorEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const e = cleanEnv({ PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'), NODE: process.execPath, XDG_CONFIG_HOME, ...extra });
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) if (!(name in extra)) delete e[name];
    return e;
  }

  /** A repository whose hook runs keyguard from node_modules/.bin (a shim to the built CLI): every check but the config's can pass. */
  function doctorRepo(files: Record<string, string>): Repo {
    const repo = createRepo({ '.gitignore': 'node_modules\n', ...files });
    repo.write('node_modules/.bin/keyguard', `#!/bin/sh\nexec "$NODE" "${CLI}" "$@"\n`);
    chmodSync(join(repo.dir, 'node_modules/.bin/keyguard'), 0o755);
    repo.write('.git/hooks/pre-commit', '#!/bin/sh\nexec ./node_modules/.bin/keyguard scan --staged\n');
    chmodSync(join(repo.dir, '.git/hooks/pre-commit'), 0o755);
    return repo;
  }

  function doctorJson(repo: Repo, args: string[] = [], env = doctorEnv()): { r: CliResult; report: DoctorReport } {
    const r = repo.keyguard(['doctor', '--json', ...args], { env });
    let report: DoctorReport;
    try {
      report = JSON.parse(r.stdout) as DoctorReport;
    } catch {
      throw new Error(`doctor --json printed no JSON:\n${show(r)}`);
    }
    return { r, report };
  }

  function check(report: DoctorReport, id: string): ReportedCheck {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
    return found;
  }

  const ENV_VARS = { doctor: { envVars: ['ANTHROPIC_API_KEY'] } };

  it('the canary names the config when it turns the OpenAI rule off, instead of blaming the install', () => {
    for (const [config, setting] of [[{ rules: { 'openai-api-key': 'off' } }, '"off"'], [{ rules: { 'openai-api-key': 'warning' } }, '"warning"'], [{ failOn: 'never' }, '"error"']] as const) {
      const { r, report } = doctorJson(doctorRepo({ '.keyguardrc.json': json(config) }));
      const canary = check(report, 'canary');
      expect(canary.status, show(r)).toBe('fail');
      expect(canary.message).toContain(`because .keyguardrc.json sets openai-api-key to ${setting} or failOn to "never"`);
      expect(canary.fix).toContain('remove the openai-api-key setting');
      expectExit(r, 1);
    }
  });

  it('doctor.envVars adds a check for the variable: warn when it is missing', () => {
    const { r, report } = doctorJson(doctorRepo({ '.keyguardrc.json': json(ENV_VARS) }));
    const anthropic = check(report, 'env-key:ANTHROPIC_API_KEY');
    expect(anthropic.title).toBe('ANTHROPIC_API_KEY');
    expect(anthropic.status).toBe('warn');
    expect(anthropic.message).toContain('ANTHROPIC_API_KEY is set neither in the environment nor in .env');
    // OPENAI_API_KEY is still checked, and a warning does not fail doctor.
    expect(check(report, 'env-key:OPENAI_API_KEY').status).toBe('warn');
    expect(report.checks.filter((c) => c.status === 'fail'), show(r)).toEqual([]);
    expectExit(r, 0);
  });

  it('doctor.envVars: ok when the variable is set, and its value is never printed', () => {
    const repo = doctorRepo({ '.keyguardrc.json': json(ENV_VARS) });
    const value = expand('anthropic-{alnum:40}').text;
    const env = doctorEnv({ ANTHROPIC_API_KEY: value });
    const { r, report } = doctorJson(repo, [], env);
    const anthropic = check(report, 'env-key:ANTHROPIC_API_KEY');
    expect(anthropic.status).toBe('ok');
    expect(anthropic.message).toContain('ANTHROPIC_API_KEY is set in the environment');
    expect(r.stdout).not.toContain(value);
    expect(r.stdout).not.toContain(value.slice(-8));
    expect(r.stderr).not.toContain(value);
    const text = repo.keyguard(['doctor'], { env });
    expect(text.stdout).toContain('ANTHROPIC_API_KEY');
    expect(text.stdout).not.toContain(value);
    expect(text.stdout).not.toContain(value.slice(-8));
  });

  it('without doctor.envVars there is no check for other variables', () => {
    const { report } = doctorJson(doctorRepo({ '.keyguardrc.json': json({ failOn: 'error' }) }));
    expect(report.checks.map((c) => c.id)).not.toContain('env-key:ANTHROPIC_API_KEY');
  });

  it('the config check is ok and names the file when the config is valid', () => {
    const { r, report } = doctorJson(doctorRepo({ '.keyguardrc.yml': 'rules:\n  dotenv-committed: "off"\n' }));
    const config = check(report, 'config');
    expect(config.status).toBe('ok');
    expect(config.message).toMatch(/^\.keyguardrc\.yml is valid/);
    expect(config.message).toContain('off: dotenv-committed');
    expectExit(r, 0);
  });

  it('the config check fails with the validation message when the config is invalid; the other checks still run; exit 1', () => {
    const { r, report } = doctorJson(doctorRepo({ '.keyguardrc.json': json({ failon: 'warning' }) }));
    const config = check(report, 'config');
    expect(config.status).toBe('fail');
    expect(config.message).toContain('.keyguardrc.json is not a valid keyguard config');
    expect(config.message).toContain('did you mean "failOn"?');
    expect(config.fix).toContain('.keyguardrc.json');
    for (const id of ['git', 'hook', 'keyguard', 'dotenv-files', 'env-example']) expect(check(report, id).status, id).toBe('ok');
    expect(check(report, 'env-key:OPENAI_API_KEY').status).toBe('warn');
    expectExit(r, 1);
  });

  it('the config check fails when the config cannot be loaded', () => {
    const { r, report } = doctorJson(doctorRepo({ '.keyguardrc.yml': 'rules: [unclosed\n' }));
    const config = check(report, 'config');
    expect(config.status).toBe('fail');
    expect(config.message).toContain('.keyguardrc.yml could not be loaded');
    expect(check(report, 'git').status).toBe('ok');
    expectExit(r, 1);
  });

  it('doctor --config FILE checks that file, as scan --config does', () => {
    const repo = doctorRepo({ 'config/keyguard.json': json(ENV_VARS) });
    const { report } = doctorJson(repo, ['--config', 'config/keyguard.json']);
    const config = check(report, 'config');
    expect(config.message, JSON.stringify(config)).toMatch(/^config\/keyguard\.json is valid/);
    expect(report.checks.map((c) => c.id)).toContain('env-key:ANTHROPIC_API_KEY');
  });

  it('doctor --config naming a missing file fails the config check', () => {
    const { r, report } = doctorJson(doctorRepo({}), ['--config', 'nope.json']);
    const config = check(report, 'config');
    expect(config.status, JSON.stringify(config)).toBe('fail');
    expect(config.message).toContain('nope.json');
    expectExit(r, 1);
  });
});
