// The eleven plain-HTTP samples of an operation or event: one request (request.mjs) printed by
// each language's template (scripts.mjs, compiled.mjs).
import * as compiled from './compiled.mjs';
import { sampleRequest } from './request.mjs';
import * as scripts from './scripts.mjs';

const TEMPLATES = { ...scripts, ...compiled };

/** One sample per language that is written from the HTTP request (all but TypeScript). */
export function httpSamples(spec, entry, languages) {
  const req = sampleRequest(spec, entry);
  const out = {};
  for (const lang of languages) {
    if (lang.id === 'typescript') continue;
    const template = TEMPLATES[lang.id];
    if (!template) throw new Error(`no sample template for ${lang.label}`);
    out[lang.id] = template(req);
  }
  return out;
}
