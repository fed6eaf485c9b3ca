import { unquoteGitPath } from './git.js';

/**
 * Reads the added lines of a `-U1` patch, one line at a time, so a history of any length streams
 * through in bounded memory. Hunks are read by the counts in their headers, never by the look of a
 * line: an added line may itself read `+++ b/x` or `diff --git`.
 */
export interface AddedLines {
  lines: string[];
  numbers: number[];
  /**
   * The unchanged lines the patch shows around them (one each side with -U1), by line number: a
   * `keyguard:allow-next-line` comment above an edited line lives there. Never scanned.
   */
  context: Map<number, string>;
}

export class AddedLinesParser {
  private current: { path: string; added: AddedLines } | undefined;
  private oldLeft = 0;
  private newLeft = 0;
  private next = 0;

  /** Called with each file's added lines when its section ends (also for a text diff with none). */
  constructor(private readonly onFile: (path: string, added: AddedLines) => void) {}

  /** Inside a hunk every line is content; a caller may only look for its own markers outside one. */
  get inHunk(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  push(line: string): void {
    if (this.inHunk) {
      const c = line.charCodeAt(0);
      if (c === 43 /* + */) {
        // A UTF-8 byte-order mark opens line 1 of the file, not its text: columns count, as when a
        // whole file is decoded, from the first visible character.
        this.current?.added.lines.push(this.next === 1 && line.charCodeAt(1) === 0xfeff ? line.slice(2) : line.slice(1));
        this.current?.added.numbers.push(this.next++);
        this.newLeft--;
      } else if (c === 45 /* - */) {
        this.oldLeft--;
      } else if (c !== 92 /* "\ No newline at end of file" */) {
        this.current?.added.context.set(this.next++, line.slice(1));
        this.oldLeft--;
        this.newLeft--;
      }
      return;
    }
    if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (m && this.current) {
        this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
        this.next = Number(m[2]);
        this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
      }
    } else if (line.startsWith('diff --git ')) {
      this.finish();
    } else if (line.startsWith('+++ ')) {
      this.finish();
      const name = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      if (name.startsWith('b/')) this.current = { path: name.slice(2), added: { lines: [], numbers: [], context: new Map() } };
    }
  }

  /** Ends the current file section, if any (at a new file, a new commit, or the end). */
  finish(): void {
    if (this.current) this.onFile(this.current.path, this.current.added);
    this.current = undefined;
  }
}

/**
 * Splits a stream of git output into lines. A line longer than a chunk (a 20 MB minified bundle on
 * one line) is kept as a list of parts and joined once, never re-scanned chunk after chunk (that
 * made a 20 MB line take 3.9 s). Bytes are decoded as a stream, so a character split between chunks
 * survives.
 */
export class LineSplitter {
  private parts: string[] = [];
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.decoder.decode(chunk, { stream: true });
    let nl = text.indexOf('\n');
    if (nl === -1) {
      if (text) this.parts.push(text);
      return;
    }
    const first = text.slice(0, nl);
    this.onLine(this.parts.length > 0 ? this.parts.join('') + first : first);
    this.parts = [];
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) this.parts.push(text.slice(start));
  }

  /** The last line, when the output does not end with a newline. */
  end(): void {
    const tail = this.parts.join('') + this.decoder.decode();
    this.parts = [];
    if (tail) this.onLine(tail);
  }
}
