import { defineRule } from '../src/engine/rule.js';

/**
 * Azure OpenAI keys in the 84-character "identifiable" format (Microsoft's common annotated security
 * keys): 52 random alphanumerics, the fixed signature `JQQJ99` (`JQQJ9D`/`JQQJ9H` for derived and
 * hashed keys), two date characters (year, then month `A`-`L`), 12 platform characters, the service
 * `AAAB` and provider `ACOG` (Cognitive Services), and a 4-character checksum; a long form appends two
 * characters and `==` (../shared/research/key-formats.md §4; microsoft/security-utilities
 * `SEC101/206 AzureOpenAILegacyCommonAnnotatedSecurityKey`, layout in
 * src/Microsoft.Security.Utilities.Core/LegacyCommonAnnotatedSecurityKey.cs). Other Azure AI services
 * share the layout with another service code (`AAAA` AI Services, `AAAE`, `AAAb` …): not this rule.
 *
 * The key has no prefix, so the keyword is the `AAABACOG` signature and the window reaches back over
 * the 72 characters before it. Older Azure OpenAI keys are 32 hex digits, indistinguishable from a
 * hash without context: rule azure-openai-legacy-key looks for those next to Azure OpenAI names.
 * Every repetition is fixed-length; the left boundary fails at once inside a longer run of key
 * characters.
 */
export default defineRule({
  id: 'azure-openai-key',
  title: 'Azure OpenAI API key',
  severity: 'error',
  keywords: ['AAABACOG'],
  // 72 characters before the signature, plus 8 for the boundary look-behind; after it 4, an optional 4, and the look-ahead.
  keywordWindow: { before: 80, after: 12 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{12}AAABACOG[A-Za-z0-9]{4}(?:[A-Za-z0-9]{2}==)?(?![A-Za-z0-9_-])/g,
  // Measured without the AAABACOG keyword: 76 characters, about 5.2 bits each for a real key.
  minEntropy: 3.5,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api|azure|AZURE|Azure)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  revokeUrl: 'https://portal.azure.com',
  why: 'Anyone who can read this repository, now or in its history, can call the model deployments of your Azure OpenAI resource with this key, billed to your Azure subscription, until the key is regenerated.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.AZURE_OPENAI_API_KEY, which the OpenAI SDKs\' Azure clients read by default), keeping the value in an ignored .env file or a secret manager; better, use Microsoft Entra ID (keyless) authentication. Then stage the file again.',
    'If the key was ever committed, pushed or shared, regenerate it now: at https://portal.azure.com open the Azure OpenAI resource, Keys and Endpoint, Regenerate Key 1 or Key 2 (whichever this is), or run az cognitiveservices account keys regenerate (https://learn.microsoft.com/azure/ai-services/rotate-keys). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Deploy the new key and confirm the old one now fails with 401 access denied.',
    'Check the resource\'s metrics and your subscription\'s cost analysis in https://portal.azure.com for calls you did not make.',
  ],
  examples: {
    positive: [
      { text: 'AZURE_OPENAI_API_KEY=⟪{alnum:52}JQQJ99BF{alnum:12}AAABACOG{alnum:4}⟫', note: 'dotenv line' },
      { text: 'const client = new AzureOpenAI({ endpoint: "https://demo.openai.azure.com", apiKey: "⟪{alnum:52}JQQJ99CA{alnum:12}AAABACOG{alnum:4}⟫" });', note: 'quoted in JavaScript' },
      { text: '{"AzureOpenAI": {"Endpoint": "https://demo.openai.azure.com/", "ApiKey": "⟪{alnum:52}JQQJ99AL{alnum:12}AAABACOG{alnum:4}⟫"}}', note: 'appsettings.json' },
      { text: 'headers = {"api-key": "⟪{alnum:52}JQQJ99BC{alnum:12}AAABACOG{alnum:4}{alnum:2}==⟫"}', note: 'long form ending in ==' },
      { text: 'az_key: ⟪{alnum:52}JQQJ9DBF{alnum:12}AAABACOG{alnum:4}⟫', note: 'derived key (JQQJ9D)' },
    ],
    negative: [
      { text: 'AZURE_OPENAI_API_KEY=<your-azure-openai-key>', reason: 'placeholder' },
      { text: 'AZURE_OPENAI_API_KEY={x*52}JQQJ99BF{x*12}AAABACOG{x*4}', reason: 'placeholder of x around the signature: too little entropy to be a key' },
      { text: 'translator_key = "{alnum:52}JQQJ99BF{alnum:12}{=AAAbACOG}{alnum:4}"', reason: 'another Azure AI service (Translator, AAAb): not an Azure OpenAI key' },
      { text: 'speech_key = "{alnum:52}JQQJ99BF{alnum:12}{=AAAEACOG}{alnum:4}"', reason: 'another Azure AI service (AAAE): not an Azure OpenAI key' },
      { text: 'key = "{alnum:40}JQQJ99BF{alnum:12}AAABACOG{alnum:4}"', reason: 'truncated: too short before the signature' },
      { text: 'key = "{alnum:60}JQQJ99BF{alnum:12}AAABACOG{alnum:4}"', reason: 'too long: part of a longer token' },
      { text: 'key = "{alnum:52}JQQJ99BF{alnum:12}AAABACOG{alnum:4}{alnum:3}"', reason: 'too long after the checksum' },
      { text: 'key = "{alnum:52}JQQJ98BF{alnum:12}AAABACOG{alnum:4}"', reason: 'wrong fixed signature' },
      { text: 'AZURE_OPENAI_API_KEY={hex:32}', reason: 'a legacy 32-hex key: reported by azure-openai-legacy-key, which needs the Azure OpenAI context, not this rule' },
    ],
  },
});
