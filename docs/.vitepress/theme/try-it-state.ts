// What the try-it console remembers. The base URL is kept in localStorage (it is not a secret);
// the credential lives in memory only, shared by the pages of one visit and never stored, so it
// reaches nothing but the base URL the reader set.
import { reactive } from 'vue';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:4010';
const BASE_URL_KEY = 'coveton-docs:try-it-base-url';

export const tryItState = reactive({ baseUrl: DEFAULT_BASE_URL, credential: '', loaded: false });

/** Called after hydration: reads the saved base URL once. */
export function loadTryItState(): void {
  if (tryItState.loaded) return;
  tryItState.loaded = true;
  try {
    tryItState.baseUrl = localStorage.getItem(BASE_URL_KEY) || DEFAULT_BASE_URL;
  } catch {
    // Storage can be disabled; the default stays.
  }
}

export function saveBaseUrl(value: string): void {
  tryItState.baseUrl = value;
  try {
    localStorage.setItem(BASE_URL_KEY, value);
  } catch {
    // Not persisted; the value still applies to this visit.
  }
}
