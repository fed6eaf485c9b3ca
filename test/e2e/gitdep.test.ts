import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, cleanEnv, tempDir } from '../helpers/repo.js';

/**
 * The pre-commit framework (4.6.1+) and `npm install github:…` install keyguard as a git
 * dependency: npm clones the repository, installs its devDependencies and runs `prepare`, which
 * must build dist/. This installs the committed HEAD of this checkout that way (the registry is
 * needed for the devDependencies) and runs the binary it built.
 */
describe('installed as a git dependency', () => {
  it('builds dist/ through prepare and runs', () => {
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(head.status, 'this test needs the project to be a git checkout').toBe(0);
    const project = tempDir('keyguard-gitdep-');
    writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
    const env = cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
    for (const key of Object.keys(env)) if (/^npm_(package_|lifecycle_)|^INIT_CWD$/.test(key)) delete env[key];
    const r = spawnSync('npm', ['install', '--prefer-offline', `git+file://${PROJECT_ROOT}#${head.stdout.trim()}`], {
      cwd: project,
      env,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const bin = join(project, 'node_modules', '.bin', 'keyguard');
    expect(existsSync(join(project, 'node_modules', 'keyguard', 'dist', 'cli.js'))).toBe(true);
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 300_000);
});
