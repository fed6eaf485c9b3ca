import { KeyguardError } from '../../errors.js';
import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck } from '../types.js';
import type { ResolvedConfig } from '../../config/resolve.js';

/** The configuration a scan would load: found where, and valid (DESIGN §6). The same loader as `keyguard scan`. */
export const configCheck: DoctorCheck = {
  id: 'config',
  title: 'config',
  needsRepo: true,
  async run(ctx) {
    const loaded = ctx.project;
    if (!loaded) return { status: 'ok', message: m.config.ok };
    if ('error' in loaded) {
      const e = loaded.error;
      if (e instanceof KeyguardError) return { status: 'fail', message: m.config.invalid(e.message), fix: e.fix };
      throw e;
    }
    const { project } = loaded;
    if (project.configFile === undefined) return { status: 'ok', message: m.config.ok };
    return { status: 'ok', message: m.config.valid(project.configFile, summary(project.config)) };
  },
};

function summary(config: ResolvedConfig): string[] {
  const active = [...config.rules, ...config.repoRules].map((r) => r.id);
  const off = config.knownRuleIds.filter((id) => !active.includes(id));
  return [
    `${active.length} rule${active.length === 1 ? '' : 's'} on`,
    ...(off.length ? [`off: ${off.join(', ')}`] : []),
    ...(config.allow ? ['allowlists set'] : []),
    ...(config.inlineAllow ? [] : ['keyguard:allow comments ignored']),
  ];
}
