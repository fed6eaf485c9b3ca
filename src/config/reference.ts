import type { Schema } from './validate.js';

/**
 * The README's configuration reference, generated from the schema (`npm run docs`); a test fails
 * when README.md and the schema disagree, so the reference cannot drift from what is validated.
 */
export function renderConfigReference(schema: Schema): string {
  const rows: string[] = ['| key | type | default | what it does |', '|---|---|---|---|'];
  walk(schema, '', rows);
  return rows.join('\n');
}

function walk(schema: Schema, prefix: string, rows: string[]): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (key === '$schema') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push(row(path, child));
    if (child.type === 'object' && child.properties) walk(child, path, rows);
    if (child.type === 'array' && child.items?.properties) walk(child.items, `${path}[]`, rows);
    const setting = typeof child.additionalProperties === 'object' ? child.additionalProperties : undefined;
    const objectForm = setting?.anyOf?.find((b) => b.type === 'object');
    if (objectForm) walk(objectForm, `${path}.<rule-id>`, rows);
  }
}

function row(path: string, schema: Schema): string {
  const required = schema.type === 'object' && schema.required?.length ? ` Required: ${schema.required.map((k) => `\`${k}\``).join(', ')}.` : '';
  const def = schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``;
  return `| \`${path}\` | ${type(schema)} | ${def} | ${escape((schema.description ?? '') + required)} |`;
}

function type(schema: Schema): string {
  if (schema.anyOf) return schema.anyOf.map(type).join(' or ');
  if (schema.enum) return schema.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  if (schema.type === 'array') return `${schema.items ? type(schema.items) : 'value'}[]`;
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') return `{ <rule-id>: ${type(schema.additionalProperties)} }`;
  if (schema.format === 'regex') return 'regex';
  return schema.type ?? 'value';
}

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
