import { describe, expect, it } from 'vitest';
import { renderDoctor } from '../../src/doctor/render.js';
import type { DoctorReport } from '../../src/doctor/types.js';

const ANSI = /\u001b\[/;

const report: DoctorReport = {
  version: 1,
  checks: [
    { id: 'git', title: 'git', status: 'ok', message: 'repository at /r (git 2.39.5)' },
    { id: 'hook', title: 'hook', status: 'fail', message: 'no pre-commit hook in .git/hooks', fix: 'keyguard install' },
    { id: 'env-key:OPENAI_API_KEY', title: 'OPENAI_API_KEY', status: 'warn', message: 'OPENAI_API_KEY is not set', fix: 'add it to .env' },
    { id: 'lefthook', title: 'x', status: 'warn', message: 'lefthook.yml does not run keyguard', fix: 'add this to lefthook.yml:\npre-commit:\n  commands:' },
  ],
};

describe('renderDoctor', () => {
  it('prints a checklist with aligned titles, fix lines under problems, and a count', () => {
    expect(renderDoctor(report, { color: false })).toBe(
      [
        '✔ git             repository at /r (git 2.39.5)',
        '✖ hook            no pre-commit hook in .git/hooks',
        '                  fix: keyguard install',
        '! OPENAI_API_KEY  OPENAI_API_KEY is not set',
        '                  fix: add it to .env',
        '! x               lefthook.yml does not run keyguard',
        '                  fix: add this to lefthook.yml:',
        '                    pre-commit:',
        '                      commands:',
        '',
        '1 ok, 2 warnings, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('lists what --fix changed first, or says it changed nothing', () => {
    const fixed = renderDoctor({ ...report, fixed: ['created .gitignore with .env'] }, { color: false });
    expect(fixed.startsWith('doctor --fix:\n  - created .gitignore with .env\n\n✔ git')).toBe(true);
    expect(renderDoctor({ ...report, fixed: [] }, { color: false })).toMatch(/^--fix found nothing it can change safely\.\n\n/);
  });

  it('colours only when asked', () => {
    expect(renderDoctor(report, { color: false })).not.toMatch(ANSI);
    expect(renderDoctor(report, { color: true })).toMatch(ANSI);
  });

  it('singular warning', () => {
    expect(renderDoctor({ version: 1, checks: [report.checks[2]!] }, { color: false })).toContain('0 ok, 1 warning, 0 failed');
  });
});
