import { defineRepoRule } from '../src/engine/rule.js';
import { ignoreCommand, untrackCommand } from '../src/engine/dotenv.js';

/** A dotenv file on disk that .gitignore does not cover: the next `git add .` commits it. */
export default defineRepoRule({
  id: 'dotenv-not-ignored',
  title: 'dotenv file not ignored',
  severity: 'error',
  why: 'A .env file that git does not ignore is one `git add .` or `git commit -a` away from history.',
  fix: ['Add the line shown to .gitignore (or `.env*` with `!.env.example` to cover every variant at once).'],
  check: (state) =>
    state.dotenv
      .filter((f) => f.kind === 'dotenv' && f.state === 'untracked')
      .map((f) => ({
        path: f.path,
        preview: f.path.slice(f.path.lastIndexOf('/') + 1),
        message: `${f.path} is not ignored: \`git add .\` would commit it.`,
        fixCommands: [ignoreCommand(f.path, state.from ?? 'cwd')],
      })),
  examples: {
    positive: [
      { state: { dotenv: [{ path: '.env', kind: 'dotenv', state: 'untracked' }], templates: [] }, paths: ['.env'] },
      { state: { dotenv: [{ path: 'apps/web/.env.development.local', kind: 'dotenv', state: 'untracked' }], templates: [] }, paths: ['apps/web/.env.development.local'], note: 'nested' },
    ],
    negative: [
      { state: { dotenv: [{ path: '.env.sample', kind: 'template', state: 'untracked' }], templates: [] }, reason: 'a template may be committed' },
      { state: { dotenv: [{ path: '.env', kind: 'dotenv', state: 'staged' }], templates: [] }, reason: 'staged files are the committed rule\'s' },
    ],
  },
});
