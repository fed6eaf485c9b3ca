import type { RuleDefinition } from '../../src/engine/rule.js';
import awsAccessKey from '../aws-access-key.js';
import githubToken from '../github-token.js';
import slackToken from '../slack-token.js';
import stripeSecretKey from '../stripe-secret-key.js';
import npmToken from '../npm-token.js';
import privateKey from '../private-key.js';
import mistralApiKey from '../mistral-api-key.js';
import cohereApiKey from '../cohere-api-key.js';
import azureOpenaiLegacyKey from '../azure-openai-legacy-key.js';

/** Classic high-confidence credentials (cloud, code hosting, chat, payments, registries, private keys), and context-only AI keys. */
export const classicRules: readonly RuleDefinition[] = [
  awsAccessKey,
  githubToken,
  slackToken,
  stripeSecretKey,
  npmToken,
  privateKey,
  mistralApiKey,
  cohereApiKey,
  azureOpenaiLegacyKey,
];
