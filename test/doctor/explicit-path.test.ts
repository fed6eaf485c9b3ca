import { describe, expect, it } from 'vitest';
import { explicitKeyguardPath } from '../../src/doctor/checks/keyguard.js';

describe('a hook that calls keyguard by path', () => {
  it.each([
    ['bin/keyguard scan --staged', 'bin/keyguard'],
    ['./node_modules/.bin/keyguard scan --staged', './node_modules/.bin/keyguard'],
    ['set -e; tools/bin/keyguard scan', 'tools/bin/keyguard'],
    ['keyguard scan --staged', undefined],
    ['# bin/keyguard scan --staged', undefined],
    ['"$(git rev-parse --show-toplevel)/node_modules/.bin/keyguard" scan --staged', undefined],
    ['bin/keyguard --version', undefined],
  ])('%s → %s', (text, path) => {
    expect(explicitKeyguardPath(text)).toBe(path);
  });
});
