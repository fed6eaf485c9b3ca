import type { RuleDefinition } from '../../src/engine/rule.js';
import anthropicApiKey from '../anthropic-api-key.js';
import anthropicAdminKey from '../anthropic-admin-key.js';
import googleApiKey from '../google-api-key.js';
import groqApiKey from '../groq-api-key.js';
import huggingfaceToken from '../huggingface-token.js';
import openrouterApiKey from '../openrouter-api-key.js';
import xaiApiKey from '../xai-api-key.js';
import perplexityApiKey from '../perplexity-api-key.js';
import replicateApiToken from '../replicate-api-token.js';
import langsmithApiKey from '../langsmith-api-key.js';
import pineconeApiKey from '../pinecone-api-key.js';
import togetherApiKey from '../together-api-key.js';
import azureOpenaiKey from '../azure-openai-key.js';

/** AI providers other than OpenAI: one rule file each under rules/, listed here. */
export const aiProviderRules: readonly RuleDefinition[] = [
  anthropicApiKey,
  anthropicAdminKey,
  googleApiKey,
  groqApiKey,
  huggingfaceToken,
  openrouterApiKey,
  xaiApiKey,
  perplexityApiKey,
  replicateApiToken,
  langsmithApiKey,
  pineconeApiKey,
  togetherApiKey,
  azureOpenaiKey,
];
