import type { SkipReason } from './types.js';

/**
 * Decides whether bytes are text to scan. Binary means a NUL byte in the first 8000 bytes, git's
 * own heuristic (xdiff-interface.c buffer_is_binary, FIRST_FEW_BYTES = 8000).
 * @see https://github.com/git/git/blob/master/xdiff-interface.c
 */
const FIRST_FEW_BYTES = 8000;
/**
 * The whole pointer file, exactly as the spec writes it; anything else (a README that starts with
 * the version line, a pointer with a key appended) is text and gets scanned. Scanning a real
 * pointer is harmless, skipping a look-alike would not be.
 * @see https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md
 */
const LFS_POINTER = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:ext-\d+-\w+ sha256:[0-9a-f]{64}\n)*oid sha256:[0-9a-f]{64}\nsize \d+\n?$/;

export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, FIRST_FEW_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A Git LFS pointer holds only an oid and a size; the real content lives outside the repository. */
export function isLfsPointer(text: string): boolean {
  return text.length < 1024 && LFS_POINTER.test(text);
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
