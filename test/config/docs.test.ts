import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { renderConfigReference } from '../../src/config/reference.js';
import type { Schema } from '../../src/config/validate.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

/** The published schema and the README reference are generated from src/config/schema.ts (`npm run docs`). */
describe('configuration docs', () => {
  it('schema/config.schema.json is the schema the validator uses', () => {
    const published = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema', 'config.schema.json'), 'utf8')) as unknown;
    expect(published, 'run npm run docs').toEqual(JSON.parse(JSON.stringify(configSchema)));
  });

  it('README.md holds the reference generated from the schema', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme)?.[1];
    expect(section, 'run npm run docs').toBe(renderConfigReference(configSchema as Schema));
  });

  it('documents every option of the schema in the reference', () => {
    const reference = renderConfigReference(configSchema as Schema);
    for (const key of Object.keys(configSchema.properties).filter((k) => k !== '$schema')) expect(reference).toContain(`| \`${key}\` |`);
    for (const key of ['allow.paths', 'allow.values', 'allow.stopwords', 'customRules[].examples', 'rules.<rule-id>.allow', 'doctor.envVars']) {
      expect(reference).toContain(`| \`${key}\` |`);
    }
  });

  it('the example config in the README is valid', async () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const example = /```js\n\/\/ keyguard\.config\.mjs\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const { default: config } = (await import(`data:text/javascript,${encodeURIComponent(example ?? '')}`)) as { default: unknown };
    const { validate } = await import('../../src/config/validate.js');
    const { resolveConfig } = await import('../../src/config/resolve.js');
    const { loadGlobEngine } = await import('../../src/suppress/allowlist.js');
    expect(validate(config, configSchema as Schema)).toEqual([]);
    const resolved = resolveConfig(config as never, 'README example', await loadGlobEngine());
    expect(resolved.rules.map((r) => r.id)).toContain('acme-api-token');
  });
});
