/**
 * The file-size limit (`--max-file-size`, config `maxFileSize`): a file larger than this is not
 * read, and is skipped as `too-large`, named in the summary and in JSON stats.
 *
 * The default is generous because a missed key is worse than a slow commit: 50 MB of minified
 * JavaScript scans in about 0.5 s (a source map's `sourcesContent` can carry a key). The ceiling
 * keeps a file's text within what one V8 string can hold (2^29 characters).
 *
 * Sizes are written the way git writes them: a number of bytes, or with a K, M or G suffix
 * (optionally KB/MB/GB or KiB/MiB/GiB), all powers of 1024, as the summary line prints them.
 */
export const MiB = 1024 * 1024;
export const DEFAULT_MAX_FILE_SIZE = 50 * MiB;
export const MAX_MAX_FILE_SIZE = 256 * MiB;

/** The schema's pattern for a size string (the config also takes an integer number of bytes). */
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]([iI]?[bB])?|[bB])?$';

const UNITS: Record<string, number> = { b: 1, k: 1024, m: MiB, g: 1024 * MiB };

/** Bytes for `50MB`, `512k`, `1.5 MiB`, `1048576`; undefined for anything else. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const m = new RegExp(SIZE_PATTERN).exec(value.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? 'b').charAt(0).toLowerCase()] ?? 1;
  const bytes = Math.floor(Number.parseFloat(value) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** `50 MB`, `1.5 KB`, `12 B`: how the summary and messages print a size. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let n = bytes / 1024;
  let unit = 0;
  // A value that rounds to 1024 moves up a unit: 1048575 bytes is "1.0 MB", not "1024.0 KB".
  while (unit < 2 && Number(n.toFixed(1)) >= 1024) {
    n /= 1024;
    unit++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${['KB', 'MB', 'GB'][unit]}`;
}

/** Whether a size is one keyguard can honour: positive and at most the ceiling. */
export function checkSize(bytes: number | undefined): 'ok' | 'invalid' | 'too-big' {
  if (bytes === undefined) return 'invalid';
  return bytes > MAX_MAX_FILE_SIZE ? 'too-big' : 'ok';
}
