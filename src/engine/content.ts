import type { SkipReason } from './types.js';

/**
 * Decides whether bytes are text to scan. Binary means a NUL byte in the first 8000 bytes, git's
 * own heuristic (xdiff-interface.c buffer_is_binary, FIRST_FEW_BYTES = 8000).
 * @see https://github.com/git/git/blob/master/xdiff-interface.c
 */
const FIRST_FEW_BYTES = 8000;
const LFS_POINTER = 'version https://git-lfs.github.com/spec/';

export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, FIRST_FEW_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A Git LFS pointer holds only an oid and a size; the real content lives outside the repository. */
export function isLfsPointer(text: string): boolean {
  return text.length < 1024 && text.startsWith(LFS_POINTER);
}

const decoder = new TextDecoder('utf-8');

export type Decoded = { text: string } | { skip: SkipReason };

/** Bytes → text to scan, or the reason not to. UTF-8 (a BOM is dropped); invalid bytes become U+FFFD. */
export function decodeContent(bytes: Uint8Array): Decoded {
  if (isBinary(bytes)) return { skip: 'binary' };
  const text = decoder.decode(bytes);
  if (isLfsPointer(text)) return { skip: 'lfs-pointer' };
  return { text };
}
