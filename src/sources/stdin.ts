import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { SourceEvent } from './events.js';
import { decodeContent } from '../engine/content.js';
import { messages } from '../messages.js';

/**
 * Standard input. Reading a directory redirected to stdin (`< dir`) yields no bytes and no error
 * in Node, which would look like clean input; the descriptor is checked first.
 */
export async function* readStdin(stdin: Readable, path = '<stdin>', maxFileSize = Infinity): AsyncGenerator<SourceEvent> {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd === 'number' && fstatSync(fd).isDirectory()) throw messages.stdinIsDirectory();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    // Past the limit the rest is drained unread, so the writer is not left blocked on a full pipe.
    if (total <= maxFileSize) chunks.push(buf);
    else chunks.length = 0;
  }
  if (total > maxFileSize) {
    yield { kind: 'skip', skip: { path, reason: 'too-large', bytes: total } };
    return;
  }
  const bytes = Buffer.concat(chunks);
  const decoded = decodeContent(bytes);
  if ('skip' in decoded) yield { kind: 'skip', skip: { path, reason: decoded.skip } };
  else yield { kind: 'candidate', candidate: { path, text: decoded.text, origin: 'stdin', bytes: bytes.length } };
}
