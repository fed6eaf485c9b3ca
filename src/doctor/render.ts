import pc from 'picocolors';
import { doctorMessages as m } from './messages.js';
import type { CheckStatus, DoctorReport } from './types.js';

const SYMBOL: Record<CheckStatus, string> = { ok: '✔', warn: '!', fail: '✖' };

/**
 * For people: what --fix changed, then one line per check (`✔ git  repository at …`), a `fix:` line
 * under each warning and failure, and a count. `--json` prints the report itself instead.
 */
export function renderDoctor(report: DoctorReport, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red };
  const out: string[] = [];
  if (report.fixed) {
    if (report.fixed.length === 0) out.push(m.render.nothingFixed, '');
    else out.push(c.bold(m.render.fixHeading), ...report.fixed.map((f) => `  - ${f}`), '');
  }
  const width = Math.max(0, ...report.checks.map((check) => check.title.length));
  const indent = ' '.repeat(width + 4);
  for (const check of report.checks) {
    out.push(`${paint[check.status](SYMBOL[check.status])} ${c.bold(check.title.padEnd(width))}  ${check.message}`);
    if (check.fix && check.status !== 'ok') {
      // A multi-line fix (a config snippet) keeps its own indentation under the `fix:` line.
      const [first, ...more] = check.fix.split('\n');
      out.push(`${indent}${c.dim(m.render.fix)} ${first}`, ...more.map((line) => `${indent}  ${line}`));
    }
  }
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  out.push('', m.render.summary(count('ok'), count('warn'), count('fail')));
  return `${out.join('\n')}\n`;
}
