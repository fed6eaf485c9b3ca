import { runDoctor } from '../doctor/index.js';
import { renderDoctor } from '../doctor/render.js';
import type { DoctorReport } from '../doctor/types.js';

export interface DoctorCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  fix: boolean;
  json: boolean;
  color: boolean;
  /** --config */
  configFile?: string;
}

/** `keyguard doctor [--json] [--fix]`: the report, its text, and exit 1 when any check failed. */
export async function doctor(options: DoctorCommandOptions): Promise<{ report: DoctorReport; output: string; exitCode: number }> {
  const report = await runDoctor({ cwd: options.cwd, env: options.env, fix: options.fix, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) });
  const output = options.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report, { color: options.color });
  return { report, output, exitCode: report.checks.some((c) => c.status === 'fail') ? 1 : 0 };
}
