/**
 * A fatal error the user can act on: what happened, why, and the command that fixes it.
 * Every KeyguardError ends the run with exit 2 (DESIGN §3); nothing turns one into a clean pass.
 */
export type ErrorCode =
  | 'USAGE'
  | 'NOT_A_GIT_REPO'
  | 'GIT_NOT_FOUND'
  | 'GIT_FAILED'
  | 'PATH_NOT_FOUND'
  | 'PATH_UNREADABLE'
  | 'OUTPUT_UNWRITABLE'
  | 'SHALLOW_CLONE'
  | 'MISSING_REVISION'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'BASELINE_INVALID'
  | 'BASELINE_NOT_FOUND'
  | 'INTERNAL';

export class KeyguardError extends Error {
  readonly code: ErrorCode;
  readonly why: string;
  readonly fix: string;

  constructor(code: ErrorCode, what: string, why: string, fix: string) {
    super(what);
    this.name = 'KeyguardError';
    this.code = code;
    this.why = why;
    this.fix = fix;
  }
}
