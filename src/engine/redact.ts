/**
 * The key as the OpenAI dashboard lists it: the known prefix, an ellipsis, the last four characters
 * (e.g. `sk-proj-…abcd`), enough to find it in the key list and nothing more. Short secrets keep
 * only the prefix, so a preview never reveals more than a quarter of a secret.
 */
export function redact(secret: string, prefix?: RegExp): string {
  const kept = prefix?.exec(secret)?.[0] ?? secret.slice(0, Math.min(3, Math.floor(secret.length / 4)));
  const tail = secret.length - kept.length >= 16 ? secret.slice(-4) : '';
  return `${kept}…${tail}`;
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
