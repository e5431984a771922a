// The eleven plain-HTTP samples of an operation or event, written by httpsnippet (Kong's
// snippet library) from one HAR request built out of the spec's examples.
import { createRequire } from 'node:module';
import { applyHttpsnippetFixes, fixSample } from './httpsnippet-fixes.mjs';

const require = createRequire(import.meta.url);
const { HTTPSnippet } = require('httpsnippet');

/** Where the event samples deliver a test event: the reader's own endpoint. */
export const EVENT_ENDPOINT = 'https://your-app.example.com/webhooks/coveton';
export const API_KEY_PLACEHOLDER = 'YOUR_API_KEY';

/** The credential header a caller sends: the first security scheme that applies. */
function credentialHeader(entry) {
  const scheme = entry.schemes[0];
  if (!scheme) return undefined;
  if (scheme.type === 'http' && scheme.scheme === 'bearer') return ['Authorization', `Bearer ${API_KEY_PLACEHOLDER}`];
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const param = entry.params.find((p) => p.in === 'header' && p.name.toLowerCase() === scheme.name.toLowerCase());
    return [scheme.name, String(param?.example ?? `<${scheme.name}>`)];
  }
  return undefined;
}

/** The request an operation's samples send (events: the delivery a test sends to you). */
export function harRequest(spec, entry) {
  let url;
  if (entry.kind === 'event') {
    url = EVENT_ENDPOINT;
  } else {
    const path = entry.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(entry.pathValues[name])));
    const search = new URLSearchParams(Object.entries(entry.query).map(([k, v]) => [k, String(v)])).toString();
    url = `${spec.servers[0].url}${path}${search ? `?${search}` : ''}`;
  }
  const headers = [];
  const credential = credentialHeader(entry);
  if (credential) headers.push(credential);
  for (const [name, value] of entry.headers) if (!headers.some(([n]) => n.toLowerCase() === name.toLowerCase())) headers.push([name, value]);
  if (entry.idempotent) headers.push(['Idempotency-Key', String(entry.params.find((p) => p.name.toLowerCase() === 'idempotency-key')?.example ?? 'a-uuid-v4')]);
  const har = { method: entry.method, url, httpVersion: 'HTTP/1.1', headers: headers.map(([name, value]) => ({ name, value })), queryString: [], cookies: [] };
  if (entry.body !== undefined) {
    har.headers.push({ name: 'Content-Type', value: 'application/json' });
    har.postData = { mimeType: 'application/json', text: JSON.stringify(entry.body) };
  }
  return har;
}

/** One sample per language that has an httpsnippet target. */
export function httpSamples(spec, entry, languages) {
  applyHttpsnippetFixes();
  const snippet = new HTTPSnippet(harRequest(spec, entry));
  const out = {};
  for (const lang of languages) {
    if (!lang.snippet) continue;
    const [target, client] = lang.snippet;
    let code = snippet.convert(target, client, { indent: '  ', pretty: true, prettifyJson: true });
    if (typeof code !== 'string') throw new Error(`httpsnippet wrote no ${lang.label} sample for ${entry.operationId}`);
    code = fixSample(target, code.trimEnd());
    // In a shell the key comes from the environment, as in the guides.
    if (lang.id === 'curl') code = code.replace(`'Authorization: Bearer ${API_KEY_PLACEHOLDER}'`, '"Authorization: Bearer $COVETON_API_KEY"');
    out[lang.id] = code;
  }
  return out;
}
