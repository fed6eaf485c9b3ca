import { defineRule } from '../src/engine/rule.js';

/**
 * Google API keys: `AIza` and 35 base64url characters, 39 in all (../shared/research/key-formats.md §4;
 * gitleaks `gcp-api-key`, trufflehog `googlegemini`; GitHub partner pattern `google_api_key`).
 * Gemini / Google AI Studio keys have this shape, and so do Maps, Firebase and every other Google
 * Cloud API key: the shape alone cannot tell which APIs a key unlocks (kingfisher keeps its rule
 * generic for this reason), so the title names Gemini but the fix tells the user to check.
 * Boundaries as in anthropic-api-key.
 */
export default defineRule({
  id: 'google-api-key',
  title: 'Google API key (Gemini / Google AI Studio, also Maps and Firebase)',
  severity: 'error',
  keywords: ['AIza'],
  keywordWindow: { before: 8, after: 40 },
  pattern: /(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}))AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  // 35 random base64url characters carry about 4.6 bits each (under 3.9 in none of 2 million draws).
  minEntropy: 3.2,
  placeholder: /(.)\1{5}|abcdef|ABCDEF|123456|234567|345678|456789|(?:your|YOUR|Your)[_-]?(?:(?:api|API|Api)[_-]?)?(?:key|KEY|Key)|example|EXAMPLE|Example|placeholder|PLACEHOLDER|redacted|REDACTED/,
  previewPrefix: /^AIza/,
  revokeUrl: 'https://console.cloud.google.com/apis/credentials',
  why: 'Anyone who can read this repository, now or in its history, can call every Google API this key is allowed to use (Gemini, Maps, …) and bill it to your Google Cloud project; Google also blocks Gemini keys it finds leaked.',
  fix: [
    'Take the key out of the file and read it from the environment (process.env.GEMINI_API_KEY or GOOGLE_API_KEY), keeping the value in an ignored .env file or a secret manager; then stage the file again.',
    'If the key was ever committed, pushed or shared, delete or regenerate it now at https://console.cloud.google.com/apis/credentials in the key\'s project (keys made in Google AI Studio are listed at https://aistudio.google.com/app/apikey with their project). Rotation is mandatory once it was pushed: rewriting history does not un-leak it.',
    'Create a replacement key restricted to the APIs it needs (and, for browser keys such as Firebase or Maps, to your app\'s referrers), deploy it, and confirm the old one now fails with 400 API_KEY_INVALID.',
    'Check the project\'s API traffic at https://console.cloud.google.com/apis/dashboard and its billing at https://console.cloud.google.com/billing for calls you did not make.',
  ],
  examples: {
    positive: [
      { text: 'GEMINI_API_KEY=⟪AIza{b64url:35}⟫', note: 'dotenv line' },
      { text: 'const genAI = new GoogleGenerativeAI("⟪AIza{b64url:35}⟫");', note: 'quoted in JavaScript' },
      { text: 'curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=⟪AIza{b64url:35}⟫&alt=sse"', note: 'URL query, followed by &' },
      { text: '{"apiKey": "⟪AIza{b64url:35}⟫", "authDomain": "demo.firebaseapp.com"}', note: 'Firebase web config (JSON)' },
      { text: 'genai.configure(api_key=⟪AIza{b64url:35}⟫)', note: 'followed by )' },
      { text: '"outputs": [{"text": ["key:\\n⟪AIza{b64url:35}⟫\\n"]}]', note: 'notebook output, right after an escaped \\n' },
    ],
    negative: [
      { text: 'GEMINI_API_KEY=AIza...', reason: 'the documentation form' },
      { text: 'GOOGLE_API_KEY=AIza{x*35}', reason: 'placeholder of x: too little entropy to be a key' },
      { text: 'apiKey: "YOUR_API_KEY"', reason: 'placeholder without the prefix' },
      { text: 'key = "AIza{b64url:30}"', reason: 'truncated: too short to be a key' },
      { text: 'key = "AIza{b64url:36}"', reason: 'one character too long: part of a longer token' },
      { text: 'key = "xAIza{b64url:35}"', reason: 'glued to a word character: inside a longer token' },
      { text: 'key = "aiza{b64url:35}"', reason: 'wrong case: the prefix is AIza' },
      { text: 'key = "AIzaSy{=abcdefghijklmnopqrstuvwxyz0123456}"', reason: 'sequential placeholder' },
    ],
  },
});
