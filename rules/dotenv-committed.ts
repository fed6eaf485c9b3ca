import { defineRepoRule } from '../src/engine/rule.js';
import { ignoreCommand, untrackCommand } from '../src/engine/dotenv.js';

/** A dotenv file in the index: staged now, or committed before. Force-added files (`git add -f`) included. */
export default defineRepoRule({
  id: 'dotenv-committed',
  title: 'dotenv file in git',
  severity: 'error',
  why: 'A .env file holds the real values of a machine\'s secrets; once committed, every key in it is in the repository\'s history for anyone who can clone it.',
  fix: [
    'Stop tracking the file (it stays on disk) and ignore it, with the commands shown.',
    'If it was ever committed or pushed, rotate every key it held: removing the file does not remove it from history.',
    'Commit a template with placeholders instead (.env.example), so others know which variables to set.',
  ],
  check: (state) =>
    state.dotenv
      .filter((f) => f.kind === 'dotenv' && f.state !== 'untracked')
      .map((f) => ({
        path: f.path,
        preview: f.path.slice(f.path.lastIndexOf('/') + 1),
        message:
          f.state === 'staged'
            ? `${f.path} is staged: committing it puts every value in it into history.`
            : `${f.path} is tracked by git: its values are already in the repository's history, so rotate every key in it.`,
        fixCommands: [untrackCommand(f.path, state.from ?? 'cwd'), ignoreCommand(f.path, state.from ?? 'cwd')],
      })),
  examples: {
    positive: [
      { state: { dotenv: [{ path: '.env', kind: 'dotenv', state: 'staged' }], templates: [] }, paths: ['.env'], note: 'staged' },
      { state: { dotenv: [{ path: 'packages/api/.env.local', kind: 'dotenv', state: 'tracked' }], templates: [] }, paths: ['packages/api/.env.local'], note: 'tracked in a monorepo package' },
      {
        state: { dotenv: [{ path: '.env.production', kind: 'dotenv', state: 'tracked' }, { path: '.env', kind: 'dotenv', state: 'staged' }], templates: [] },
        paths: ['.env.production', '.env'],
        note: 'every one is reported',
      },
    ],
    negative: [
      { state: { dotenv: [{ path: '.env.example', kind: 'template', state: 'tracked' }], templates: [] }, reason: 'templates are meant to be committed' },
      { state: { dotenv: [{ path: '.env', kind: 'dotenv', state: 'untracked' }], templates: [] }, reason: 'not in git (the not-ignored rule covers it)' },
      { state: { dotenv: [], templates: [] }, reason: 'no dotenv files (ignored ones are not listed at all)' },
    ],
  },
});
