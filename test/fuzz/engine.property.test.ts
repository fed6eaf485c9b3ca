/**
 * Property tests of the pure engine (issue 8): random bytes and random text, with keys expanded from
 * every built-in rule's own positive examples planted anywhere. fast-check picks a seed per run and
 * prints it with the shrunk counterexample on failure; replay with FC_SEED=<seed> FC_PATH=<path>.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { decodeContent, isBinary } from '../../src/engine/content.js';
import { createEngine, indexLines } from '../../src/engine/engine.js';
import { redact } from '../../src/engine/redact.js';
import { expandTemplate, seededRandom } from '../../src/engine/template.js';
import type { Finding, ScanResult } from '../../src/engine/types.js';
import { formatNames, reporters } from '../../src/reporters/index.js';
import { reporterContext } from '../helpers/findings.js';
import { arbDoc, arbKeyPiece, arbNoise, type Doc, EXAMPLES, fcParams, leak, leakProbes, locationProblem, position } from './arbitraries.js';

const engine = createEngine(builtinRules);
const rulesById = new Map(builtinRules.map((r) => [r.id, r]));
/** A scan that takes this long on inputs of at most a few hundred kB is a hang, not a slow machine. */
const HANG_MS = 3000;

function scan(text: string, path = 'src/fuzz.txt'): Finding[] {
  const started = performance.now();
  const findings = engine.scan({ path, text, origin: 'file', bytes: text.length });
  const ms = performance.now() - started;
  if (ms > HANG_MS) throw new Error(`scan of ${text.length} characters took ${Math.round(ms)} ms`);
  return findings;
}

/**
 * The properties every scan of `doc` must have: each planted key reported exactly once, by its
 * rule, at its line and column, with its redacted preview; every finding inside the text; no other
 * finding starting inside a planted key.
 */
function checkFindings(doc: Doc, findings: Finding[], shift = 0): void {
  const lineStarts = indexLines(doc.text);
  for (const f of findings) {
    const problem = locationProblem(doc.text, f, lineStarts);
    if (problem) throw new Error(`${f.ruleId} reported outside the input: ${problem}`);
  }
  const spans = doc.planted.map((p) => ({ p, at: position(doc.text, p.offset - shift) }));
  for (const { p, at } of spans) {
    const rule = rulesById.get(p.ruleId)!;
    const hits = findings.filter((f) => f.ruleId === p.ruleId && f.line === at.line && f.column === at.column);
    if (hits.length !== 1) {
      const got = findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).join(', ') || 'nothing';
      throw new Error(`planted ${p.ruleId} key (${p.secret.length} chars) at ${at.line}:${at.column} reported ${hits.length} times; findings: ${got}`);
    }
    expect(hits[0]!.preview).toBe(redact(p.secret, rule.previewPrefix));
  }
  // A finding of another key must not start inside a planted one (a rule reporting part of a key as its own).
  for (const f of findings) {
    const fOffset = lineStarts[f.line - 1]! + f.column - 1;
    for (const { p } of spans) {
      const start = p.offset - shift;
      if (fOffset > start && fOffset < start + p.secret.length) throw new Error(`${f.ruleId} reported at ${f.line}:${f.column}, inside a planted ${p.ruleId} key`);
    }
  }
}

/** Each lone surrogate as U+FFFD, as any encoder writes it (String#toWellFormed, ES2024). */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const result = (findings: Finding[], text: string): ScanResult => ({
  findings,
  stats: { source: 'paths', files: 1, bytes: text.length, skipped: {}, skippedFiles: [], suppressed: { inline: 0, allowlist: 0, baseline: 0 }, durationMs: 1 },
});

describe('engine properties', () => {
  it('plants keys from every rule: each rule has examples, and the generator reaches them all', () => {
    const seen = new Set(fc.sample(arbKeyPiece, { numRuns: 2000, seed: 1 }).map((d) => d.planted[0]!.ruleId));
    expect([...seen].sort()).toEqual(builtinRules.map((r) => r.id).sort());
    expect(EXAMPLES.length).toBeGreaterThan(builtinRules.length);
  });

  it('decodeContent of random bytes never throws and returns text or a skip reason; the text scans cleanly', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }),
      // Byte-order marks in front: UTF-16 LE/BE (decoded before the NUL test), UTF-8 (dropped).
      fc.tuple(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]), fc.uint8Array({ maxLength: 2048 })).map(([bom, rest]) => Uint8Array.from([...bom, ...rest])),
      // A NUL only past git's first 8000 bytes: text.
      fc.tuple(fc.uint8Array({ min: 1, minLength: 8000, maxLength: 8100 }), fc.uint8Array({ maxLength: 64 })).map(([head, tail]) => Uint8Array.from([...head, 0, ...tail])),
      arbNoise({ maxUnits: 10 }).map((t) => new TextEncoder().encode(t)),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const decoded = decodeContent(b);
        const utf16 = b.length >= 2 && b.length % 2 === 0 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
        if ('skip' in decoded) {
          expect(['binary', 'lfs-pointer']).toContain(decoded.skip);
          if (decoded.skip === 'binary') expect(!utf16 && isBinary(b)).toBe(true);
          return;
        }
        expect(typeof decoded.text).toBe('string');
        expect(utf16 || !isBinary(b)).toBe(true);
        checkFindings({ text: decoded.text, planted: [] }, scan(decoded.text));
      }),
      fcParams(300),
    );
  });

  it('random text with keys planted anywhere: every key found once, by its rule, at its line and column', () => {
    fc.assert(
      fc.property(arbDoc(), (doc) => {
        checkFindings(doc, scan(doc.text));
      }),
      fcParams(400),
    );
  });

  it('random bytes with keys planted between them: decoded as UTF-8, every key found where it lies in the decoded text', () => {
    // Random bytes without NUL (that would make the file binary) and not opening with a UTF-16 BOM.
    const junk = fc.uint8Array({ min: 1, maxLength: 600 });
    const arb = fc
      .tuple(junk, fc.array(fc.tuple(arbKeyPiece, junk), { maxLength: 5 }))
      .filter(([head]) => !(head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))));
    const utf8 = new TextDecoder('utf-8');
    fc.assert(
      fc.property(arb, ([head, rest]) => {
        const parts: Uint8Array[] = [head];
        const plantedAt: { bytes: number; planted: Doc['planted'][number] }[] = [];
        let length = head.length;
        for (const [piece, tail] of rest) {
          const encoded = new TextEncoder().encode(piece.text);
          // Pieces are ASCII, so a planted offset is also a byte offset within the piece.
          for (const p of piece.planted) plantedAt.push({ bytes: length + p.offset, planted: p });
          parts.push(encoded, tail);
          length += encoded.length + tail.length;
        }
        const bytes = new Uint8Array(length);
        let at = 0;
        for (const part of parts) {
          bytes.set(part, at);
          at += part.length;
        }
        const decoded = decodeContent(bytes);
        if (!('text' in decoded)) throw new Error(`decoded as ${decoded.skip}`);
        // Where each key lies in the decoded text: the length of everything before it, decoded.
        const planted = plantedAt.map(({ bytes: b, planted: p }) => ({ ...p, offset: utf8.decode(bytes.subarray(0, b)).length }));
        for (const p of planted) expect(decoded.text.slice(p.offset, p.offset + p.secret.length)).toBe(p.secret);
        checkFindings({ text: decoded.text, planted }, scan(decoded.text));
      }),
      fcParams(200),
    );
  });

  it('UTF-16 (LE or BE, with BOM) and UTF-8 with BOM: the same keys at the same lines and columns as the text itself', () => {
    const encodings = fc.constantFrom('utf16le', 'utf16be', 'utf8bom');
    fc.assert(
      fc.property(arbDoc({ maxUnits: 8 }), encodings, (doc, encoding) => {
        let bytes: Uint8Array;
        if (encoding === 'utf8bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc.text, 'utf8')]);
        else {
          const le = Buffer.from(`\ufeff${doc.text}`, 'utf16le');
          bytes = encoding === 'utf16le' ? le : Buffer.from(le).swap16();
        }
        const decoded = decodeContent(bytes);
        if (!('text' in decoded)) {
          // Only a UTF-8 file with a NUL in its first 8000 bytes may be judged binary.
          expect(encoding === 'utf8bom' && isBinary(bytes)).toBe(true);
          return;
        }
        // Lone surrogates cannot be encoded; each decodes as one U+FFFD, so offsets do not move.
        expect(decoded.text).toBe(wellFormed(doc.text));
        checkFindings({ text: decoded.text, planted: doc.planted }, scan(decoded.text));
      }),
      fcParams(150),
    );
  });

  // Shrunk from the property above: a UTF-16 file whose text starts with U+FEFF (after its BOM)
  // loses that character too, so every column on line 1 is one short; UTF-8 keeps it.
  it('a UTF-16 BOM is dropped once, like a UTF-8 one: a U+FEFF after it stays in the text', () => {
    const { text, secrets } = expandTemplate(EXAMPLES.find((e) => e.rule.id === 'openai-api-key')!.template, seededRandom(8));
    const content = `\ufeff ${secrets[0]!.value}`;
    for (const bytes of [Buffer.from(`\ufeff${content}`, 'utf16le'), Buffer.from(Buffer.from(`\ufeff${content}`, 'utf16le')).swap16(), Buffer.from(`\ufeff${content}`, 'utf8')]) {
      const decoded = decodeContent(bytes);
      expect(decoded).toEqual({ text: content });
      const [f] = scan(content);
      expect([f?.line, f?.column]).toEqual([1, 3]);
    }
    expect(text).toContain(secrets[0]!.value);
  });

  it('no reporter ever prints a key or a 16-character slice of one', () => {
    const path = fc.oneof(fc.constant('src/config.ts'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => `dir/${s.replace(/[\0\n\r]/g, '_')}.txt`));
    fc.assert(
      fc.property(arbDoc({ maxUnits: 10, longRuns: false }), path, fc.boolean(), fc.boolean(), (doc, p, color, quiet) => {
        const findings = engine.scan({ path: p, text: doc.text, origin: 'file', bytes: doc.text.length });
        const probes = leakProbes(doc.planted);
        const context = { ...reporterContext, color, quiet };
        for (const name of formatNames) {
          const output = reporters[name](result(findings, doc.text), context);
          expect(typeof output).toBe('string');
          const leaked = leak(output, probes);
          if (leaked) throw new Error(`--format ${name} printed ${leaked}`);
          if (name === 'json' || name === 'sarif' || name === 'gitlab') JSON.parse(output);
        }
        // The findings themselves are what every reporter sees: no secret in them either.
        const leaked = leak(JSON.stringify(findings), probes);
        if (leaked) throw new Error(`a finding holds ${leaked}`);
      }),
      fcParams(120),
    );
  });
});
