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

const utf8 = new TextDecoder('utf-8');
// ignoreBOM: the mark is cut off below; a U+FEFF after it is text and keeps its column.
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: true });

export type Decoded = { text: string } | { skip: SkipReason };

/**
 * Bytes → text to scan, or the reason not to. UTF-16 with a byte-order mark (what Windows
 * PowerShell 5 writes by default) is decoded before the NUL test that would call it binary;
 * everything else is read as UTF-8 (a BOM is dropped; invalid bytes become U+FFFD).
 */
export function decodeContent(bytes: Uint8Array): Decoded {
  const text = decodeUtf16(bytes) ?? (isBinary(bytes) ? undefined : utf8.decode(bytes));
  if (text === undefined) return { skip: 'binary' };
  if (isLfsPointer(text)) return { skip: 'lfs-pointer' };
  return { text };
}

/** Whether bytes open with a UTF-16 byte-order mark (LE or BE). */
export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

function decodeUtf16(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return utf16le.decode(swapped);
  }
  return undefined;
}
