import { defineRepoRule } from '../src/engine/rule.js';
import { isPlaceholderValue, isSecretName, parseDotenv } from '../src/engine/dotenv.js';

/**
 * A committed template (.env.example, .env.sample, .env.template) whose credential-named variable
 * has a value that is no placeholder. Key-shaped values are also reported by the key rules.
 */
export default defineRepoRule({
  id: 'dotenv-template-secret',
  title: 'real-looking secret in a dotenv template',
  severity: 'error',
  why: 'Templates are committed on purpose; a real value copied into one is a leaked secret with a harmless-looking name.',
  fix: [
    'Replace the value with a placeholder (e.g. your-openai-api-key-here) and keep the real one in the ignored .env.',
    'If the value is a real credential that was committed, rotate it.',
  ],
  check: (state) =>
    state.templates.flatMap((t) =>
      parseDotenv(t.text)
        .filter((e) => isSecretName(e.name) && !isPlaceholderValue(e.value))
        .map((e) => ({
          path: t.path,
          line: e.line,
          column: e.column,
          preview: e.name,
          message: `${e.name} in ${t.path} has a value that does not look like a placeholder.`,
          fixCommands: [`edit ${t.path}:${e.line} and set ${e.name}=your-${e.name.toLowerCase().replace(/_/g, '-')}-here`],
        })),
    ),
  examples: {
    positive: [
      { state: { dotenv: [], templates: [{ path: '.env.example', text: 'OPENAI_API_KEY=Zq3vX9tLm2Pw8RkYc4Hn\n' }] }, paths: ['.env.example'], note: 'random-looking value' },
      { state: { dotenv: [], templates: [{ path: 'api/.env.template', text: 'PORT=3000\nexport DB_PASSWORD="h7Gk2pQw9xVt4LmZ"\n' }] }, paths: ['api/.env.template'], note: 'quoted, with export' },
    ],
    negative: [
      {
        state: {
          dotenv: [],
          templates: [{ path: '.env.example', text: 'OPENAI_API_KEY=\nSTRIPE_KEY=sk_test_xxx\nTOKEN=<your token>\nSECRET=${SECRET}\nAPI_KEY=your-api-key-here\nAUTH_SECRET=changeme\n' }],
        },
        reason: 'empty values and placeholders',
      },
      { state: { dotenv: [], templates: [{ path: '.env.example', text: 'DATABASE_URL=postgres://localhost:5432/app\nNODE_ENV=development\n' }] }, reason: 'variables whose names are not credentials' },
      { state: { dotenv: [], templates: [{ path: '.env.example', text: 'OPENAI_API_KEY=sk-...\n# OPENAI_API_KEY=Zq3vX9tLm2Pw8RkYc4Hn\n' }] }, reason: 'a prefix-only placeholder; commented lines are not assignments' },
    ],
  },
});
