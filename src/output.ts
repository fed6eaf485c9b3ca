import { lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { messages } from './messages.js';

/**
 * Writes the report through a temporary file and a rename, so a reader never sees half a report.
 * A target that exists and is not a regular file (a device, a FIFO, a symlink) is written in place:
 * renaming over it would replace `/dev/stdout` or a link with a file. A missing parent directory
 * is created (`--output reports/keyguard.sarif` in a fresh CI checkout).
 */
export async function writeAtomically(path: string, text: string, cwd: string, shown = path): Promise<void> {
  const target = resolve(cwd, path);
  const existing = await lstat(target).catch(() => undefined);
  const temp = `${target}.keyguard-${process.pid}.tmp`;
  try {
    if (existing && !existing.isFile()) {
      await writeFile(target, text);
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, text);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw messages.outputUnwritable(shown, (e as NodeJS.ErrnoException).code ?? String(e));
  }
}
