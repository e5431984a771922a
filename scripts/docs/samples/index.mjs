// Every sample of an operation or event, one per language of ../languages.mjs.
import { LANGUAGES } from '../languages.mjs';
import { httpSamples } from './http.mjs';
import { typescriptEventSample, typescriptOperationSample } from './typescript.mjs';

/** `[{ lang, label, highlight, code }]` in switcher order. */
export function samplesFor(spec, entry) {
  const http = httpSamples(spec, entry, LANGUAGES);
  const typescript = entry.kind === 'event' ? typescriptEventSample(entry) : typescriptOperationSample(entry);
  return LANGUAGES.map((lang) => ({ lang: lang.id, label: lang.label, highlight: lang.highlight, code: lang.id === 'typescript' ? typescript : http[lang.id] }));
}
