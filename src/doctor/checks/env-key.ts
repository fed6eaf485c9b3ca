import { join } from 'node:path';
import { parseDotenv } from '../../engine/dotenv.js';
import { engine, readText } from '../context.js';
import { doctorMessages as m } from '../messages.js';
import type { CheckStatus, DoctorCheck } from '../types.js';

export type KeyShape =
  | { shape: 'valid'; keyType: string; label: string }
  | { shape: 'unknown' | 'invalid' | 'padded' }
  /** Set, and not judged: a variable from the config's doctor.envVars, whose format keyguard does not know. */
  | { shape: 'present' };

/**
 * The shape of a value, judged by the same engine that scans commits. Only the key type leaves
 * this function: not the value, not the engine's redacted preview (which holds the last four).
 */
export function keyShape(value: string): KeyShape {
  const trimmed = value.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (trimmed !== value) return keyShape(trimmed).shape === 'invalid' ? { shape: 'invalid' } : { shape: 'padded' };
  const findings = engine
    .scan({ path: '<env>', text: value, origin: 'stdin', bytes: Buffer.byteLength(value) })
    .filter((f) => f.ruleId === 'openai-api-key');
  const [hit] = findings;
  if (!hit || findings.length !== 1 || hit.column !== 1 || !/^[A-Za-z0-9_-]+$/.test(value)) return { shape: 'invalid' };
  if (!hit.keyType || hit.keyType === 'unknown') return { shape: 'unknown' };
  return { shape: 'valid', keyType: hit.keyType, label: hit.keyTypeLabel ?? hit.keyType };
}

function describe(shape: KeyShape): string {
  switch (shape.shape) {
    case 'valid':
      return m.envKey.valid(shape.label, shape.keyType);
    case 'unknown':
      return m.envKey.unknown;
    case 'padded':
      return m.envKey.padded;
    case 'present':
      return m.envKey.present;
    default:
      return m.envKey.invalid;
  }
}

/**
 * One check per key name: is it set (in the environment or the top-level .env), and does it have
 * the shape of an OpenAI key? Presence and shape only, never the value (DESIGN §6).
 */
export function envKeyCheck(name: string, judgeShape = true): DoctorCheck {
  return {
    id: `env-key:${name}`,
    title: name,
    needsRepo: true,
    async run(ctx) {
      const found: { place: string; shape: KeyShape }[] = [];
      const fromEnv = ctx.env[name];
      const shapeOf = (value: string): KeyShape => (judgeShape ? keyShape(value) : value.trim() === value ? { shape: 'present' } : { shape: 'padded' });
      if (fromEnv) found.push({ place: m.envKey.fromEnv, shape: shapeOf(fromEnv) });
      const dotenv = ctx.repo ? readText(join(ctx.repo.top, '.env')) : undefined;
      // Last assignment wins, as in dotenv's parser.
      const entry = dotenv === undefined ? undefined : parseDotenv(dotenv).filter((e) => e.name === name && e.value !== '').pop();
      if (entry) found.push({ place: m.envKey.fromDotenv(entry.line), shape: shapeOf(entry.value) });
      if (found.length === 0) return { status: 'warn', message: m.envKey.missing(name), fix: m.envKey.missingFix(name) };
      const places = found.map((f) => m.envKey.where(f.place, describe(f.shape)));
      const message = m.envKey.summary(name, places) + (found.length > 1 ? ` (${m.envKey.bothSet})` : '');
      const status: CheckStatus = found.every((f) => f.shape.shape === 'valid' || f.shape.shape === 'present') ? 'ok' : 'warn';
      return status === 'ok' ? { status, message } : { status, message, fix: judgeShape ? m.envKey.badShapeFix(name) : m.envKey.paddedFix(name) };
    },
  };
}
