/**
 * `keyguard install` / `keyguard uninstall` (CONTRACT STUB: the install work fills this in; the
 * signatures below are what run.ts and doctor --fix call).
 */
export type InstallMode = 'auto' | 'husky' | 'hooks' | 'git-config';

export interface InstallOptions {
  cwd: string;
  mode?: InstallMode;
  /** Replace an existing pre-commit hook that does not call keyguard. */
  force?: boolean;
  /** Add keyguard to an existing pre-commit hook. */
  append?: boolean;
  /** Say what would change, change nothing. */
  dryRun?: boolean;
}

export interface InstallResult {
  /** The mode actually used. */
  mode: InstallMode | 'lefthook' | 'pre-commit';
  /** Human sentences, one per change made (or that would be made with dryRun). Empty: already installed. */
  changes: string[];
  /** For lefthook / the pre-commit framework: the snippet to paste; nothing was edited. */
  snippet?: string;
  /** The hook file or config key keyguard now runs from. */
  hookPath?: string;
}

export async function install(_options: InstallOptions): Promise<InstallResult> {
  throw new Error('not implemented yet');
}

export async function uninstall(_options: Omit<InstallOptions, 'mode' | 'force' | 'append'>): Promise<InstallResult> {
  throw new Error('not implemented yet');
}
