/**
 * Expands rule-example templates into concrete text, so no key-shaped literal is ever stored.
 * `{alnum:20}` `{b64url:74}` `{hex:64}` `{lower:8}` `{upper:8}` `{digit:4}` → seeded random characters;
 * `{x*20}` → twenty `x`; `{=text}` → `text`; `⟪…⟫` marks the secret (removed from the text, reported as `secrets`).
 */
const CHARSETS: Record<string, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  hex: '0123456789abcdef',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
};

export interface Expanded {
  text: string;
  /** Each ⟪…⟫ span: the secret and its offset in `text`. */
  secrets: { value: string; offset: number }[];
}

/** mulberry32: small, fast, good enough to make test strings reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFrom(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const TOKEN = new RegExp(`\\{(?:(${Object.keys(CHARSETS).join('|')}):(\\d+)|(.)\\*(\\d+)|=([^}]*))\\}|⟪|⟫`, 'g');

export function expandTemplate(template: string, random: () => number = seededRandom(seedFrom(template))): Expanded {
  let text = '';
  let last = 0;
  let open = -1;
  const secrets: Expanded['secrets'] = [];
  for (const m of template.matchAll(TOKEN)) {
    text += template.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '⟪') open = text.length;
    else if (m[0] === '⟫') {
      if (open < 0) throw new Error(`unbalanced ⟫ in template ${template}`);
      secrets.push({ value: text.slice(open), offset: open });
      open = -1;
    } else if (m[1] !== undefined) {
      const set = CHARSETS[m[1]];
      if (!set) throw new Error(`unknown charset {${m[1]}:…} in template ${template}`);
      for (let i = 0; i < Number(m[2]); i++) text += set[Math.floor(random() * set.length)];
    } else if (m[5] !== undefined) {
      text += m[5];
    } else {
      text += (m[3] ?? '').repeat(Number(m[4]));
    }
  }
  if (open >= 0) throw new Error(`unbalanced ⟪ in template ${template}`);
  return { text: text + template.slice(last), secrets };
}
