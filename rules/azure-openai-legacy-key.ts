import { defineRule } from '../src/engine/rule.js';

/**
 * Azure OpenAI (Azure AI services) keys of the legacy form: 32 hex characters with no prefix
 * (../shared/research/key-formats.md §4, confidence C; trufflehog `azure_openai` requires an
 * `api[_.-]?key` name and a `*.openai.azure.com` host). This rule fires when a 32-hex value is
 * assigned to an Azure OpenAI name (`AZURE_OPENAI_API_KEY=…`, `AzureOpenAI(api_key="…")`) or to a
 * plain api-key name (`api_key`, `api-key:` header, `OPENAI_API_KEY`) within 300 characters of an
 * Azure OpenAI keyword or host (`AZURE_OPENAI…`, `AzureOpenAI`, `….openai.azure.com`). A plain name
 * must stand alone (`AZURE_SEARCH_API_KEY` is another service's key). Severity warning.
 *
 * The newer 84-character keys carry a fixed signature: rule azure-openai-key.
 */
export default defineRule({
  id: 'azure-openai-legacy-key',
  title: 'Azure OpenAI key, legacy 32-hex form (next to Azure OpenAI)',
  severity: 'warning',
  keywords: ['AZURE_OPENAI', 'azure_openai', 'AzureOpenAI', 'openai.azure.com'],
  keywordWindow: { before: 300, after: 300 },
  pattern:
    /(?:AZURE_OPENAI|azure_openai|AzureOpenAI|(?<![A-Za-z0-9_])(?:[Aa]pi[_-]?[Kk]ey|API[_-]?KEY|OPENAI_API_KEY|openai_api_key))[\w.()[\]{}"' -]{0,30}\s{0,3}(?:=>?|:=?|\()\s{0,3}['"\x60]?([a-fA-F0-9]{32})(?![A-Za-z0-9_-])/g,
  secretGroup: 1,
  minEntropy: 3,
  placeholder: /(.)\1{5}|0123456789|123456|234567|345678|456789|abcdef|ABCDEF|fedcba|FEDCBA/,
  revokeUrl: 'https://portal.azure.com',
  why: 'Anyone who can read this repository, now or in its history, can call the models deployed on your Azure OpenAI resource with this key, billed to your subscription.',
  fix: [
    'Take the key out of the file: use Microsoft Entra ID (DefaultAzureCredential / managed identity) instead of keys where you can, or read AZURE_OPENAI_API_KEY from the environment or Key Vault; then stage the file again.',
    'If it was ever committed, pushed or shared, regenerate it now: in https://portal.azure.com open the resource → Resource Management → Keys and Endpoint → Regenerate the key that leaked (KEY1 or KEY2). Move your apps to the other key first so they keep working: https://learn.microsoft.com/azure/ai-services/rotate-keys',
    'Check the resource\'s Metrics and your subscription\'s Cost Management in the portal for usage you did not cause.',
    'If the value is not an Azure OpenAI key, mark it with a keyguard:allow comment or an allow entry in the config.',
  ],
  examples: {
    positive: [
      { text: 'AZURE_OPENAI_API_KEY=⟪{hex:32}⟫', note: 'dotenv' },
      {
        text: 'client = AzureOpenAI(api_key="⟪{hex:32}⟫", azure_endpoint="https://contoso.openai.azure.com/", api_version="2024-06-01")',
        note: 'Python client with its host',
      },
      { text: 'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01" -H "api-key: ⟪{hex:32}⟫"', note: 'api-key header after the host' },
      { text: '{"api_key": "⟪{hex:32}⟫", "endpoint": "https://contoso.openai.azure.com"}', note: 'JSON, host after the key' },
      { text: 'azure_openai_key: ⟪{hex:32}⟫', note: 'YAML' },
    ],
    negative: [
      { text: 'API_KEY={hex:32}', reason: 'no Azure OpenAI context: a bare 32-hex value proves nothing' },
      { text: 'AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com\nAZURE_SEARCH_API_KEY={hex:32}', reason: 'another Azure service\'s key next to an Azure OpenAI endpoint' },
      { text: 'AZURE_OPENAI_API_KEY={0*32}', reason: 'placeholder of zeros' },
      { text: 'AZURE_OPENAI_API_KEY=<your-azure-openai-key>', reason: 'placeholder' },
      { text: 'AZURE_OPENAI_API_KEY=${AZURE_OPENAI_API_KEY}', reason: 'template variable' },
      { text: 'AZURE_OPENAI_CLIENT_ID={hex:8}-{hex:4}-{hex:4}-{hex:4}-{hex:12}', reason: 'a GUID with dashes: an id' },
      { text: 'AZURE_OPENAI_API_KEY={hex:64}', reason: 'too long: not a 32-hex key' },
      { text: 'api_key = "{hex:32}"  # https://api.openai.com/v1', reason: 'api key next to a non-Azure host' },
    ],
  },
});
