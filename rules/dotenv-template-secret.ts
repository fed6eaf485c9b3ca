import { defineRepoRule } from '../src/engine/rule.js';
import { isPlaceholderValue, isSecretName, parseDotenv, secretInUrl } from '../src/engine/dotenv.js';

/**
 * A committed template (.env.example, .env.sample, .env.template) whose credential-named variable
 * (OPENAI_API_KEY, DB_PASSWORD; not KEYCLOAK_URL or S3_KEY_PREFIX) has a value that is no
 * placeholder, or any variable whose URL carries a password or key (DATABASE_URL, SENTRY_DSN).
 * Key-shaped values are also reported by the key rules.
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
        .filter((e) => (isSecretName(e.name) && !isPlaceholderValue(e.value)) || secretInUrl(e.value) !== undefined)
        .map((e) => ({
          path: t.path,
          line: e.line,
          column: e.column,
          preview: e.name,
          value: e.value,
          message: `${e.name} in ${t.path} has a value that does not look like a placeholder.`,
          fixCommands: [`edit ${t.path}:${e.line} and set ${e.name}=your-${e.name.toLowerCase().replace(/_/g, '-')}-here`],
        })),
    ),
  examples: {
    positive: [
      { state: { dotenv: [], templates: [{ path: '.env.example', text: 'OPENAI_API_KEY=Zq3vX9tLm2Pw8RkYc4Hn\n' }] }, paths: ['.env.example'], note: 'random-looking value' },
      { state: { dotenv: [], templates: [{ path: 'api/.env.template', text: 'PORT=3000\nexport DB_PASSWORD="h7Gk2pQw9xVt4LmZ"\n' }] }, paths: ['api/.env.template'], note: 'quoted, with export' },
      {
        state: { dotenv: [], templates: [{ path: '.env.example', text: 'DATABASE_URL=postgres://admin:Xk9mQ2vLp7w@db.internal:5432/app\nSENTRY_DSN=https://3f2a9c1e7b5d4a8f9e0c1b2a3d4e5f60@o123.ingest.sentry.io/1\n' }] },
        paths: ['.env.example', '.env.example'],
        note: 'a password or key inside a URL, whatever the variable is called',
      },
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
      {
        state: {
          dotenv: [],
          templates: [
            {
              path: '.env.example',
              text: 'NEXTAUTH_URL=http://localhost:3000\nKEYCLOAK_URL=http://localhost:8080/realms/x\nAUTH0_DOMAIN=your-tenant.us.auth0.com\nTOKEN_ENDPOINT=https://oauth2.googleapis.com/token\nS3_KEY_PREFIX=uploads/images/\nSESSION_SECRET=a-long-random-string\nDATABASE_URL=postgres://user:password@localhost:5432/app\n',
            },
          ],
        },
        reason: 'settings about credentials (URLs, domains, prefixes), a described value, and a URL with a placeholder password',
      },
      {
        state: { dotenv: [], templates: [{ path: '.env.example', text: 'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\nyour key here\n-----END PRIVATE KEY-----"\nPORT=3000\n' }] },
        reason: 'a multi-line placeholder: its body lines are value, not variables',
      },
      { state: { dotenv: [], templates: [{ path: '.env.example', text: 'OPENAI_API_KEY=sk-...\n# OPENAI_API_KEY=Zq3vX9tLm2Pw8RkYc4Hn\n' }] }, reason: 'a prefix-only placeholder; commented lines are not assignments' },
    ],
  },
});
