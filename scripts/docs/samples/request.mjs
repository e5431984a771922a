// What every plain-HTTP sample of an operation or event sends, in one language-neutral shape:
// the base URL (read from an environment variable, the sandbox by default), the path and query
// from the spec's examples, the credential, the extra headers, whether a fresh Idempotency-Key is
// made, and the JSON body. The language templates (scripts.mjs, compiled.mjs) only print it.

export const SANDBOX = 'https://sandbox.api.coveton.com/v1';
/** Where the event samples deliver a test event: the reader's own endpoint. */
export const EVENT_ENDPOINT = 'https://your-app.example.com/webhooks/coveton';
/** The environment variables the samples read. */
export const ENV = { base: 'COVETON_BASE_URL', key: 'COVETON_API_KEY', endpoint: 'WEBHOOK_URL' };

/** `createApiKey` -> `CreateApiKey`: the class or file name of a sample. */
export const typeName = (id) => id[0].toUpperCase() + id.slice(1);

/**
 * `{ name, method, baseEnv, baseDefault, target, auth, headers, idempotent, json, redirect }`:
 * `target` is the path and query after the base URL; `auth` is `{ kind: 'bearer' }` (the key from
 * COVETON_API_KEY), `{ kind: 'header', name, value }` (a provider's signature, the spec's example)
 * or `{ kind: 'none' }`; `json` is the pretty-printed body or undefined.
 */
export function sampleRequest(spec, entry) {
  const event = entry.kind === 'event';
  const scheme = entry.schemes[0];
  let auth = { kind: 'none' };
  if (scheme?.type === 'http' && scheme.scheme === 'bearer') auth = { kind: 'bearer' };
  else if (scheme?.type === 'apiKey' && scheme.in === 'header') {
    const param = entry.params.find((p) => p.in === 'header' && p.name.toLowerCase() === scheme.name.toLowerCase());
    auth = { kind: 'header', name: scheme.name, value: String(param?.example ?? `<${scheme.name}>`) };
  }
  const taken = new Set(['idempotency-key', auth.name?.toLowerCase()]);
  const headers = entry.headers.filter(([name]) => !taken.has(name.toLowerCase()));
  let target = '';
  if (!event) {
    const path = entry.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(entry.pathValues[name])));
    const search = new URLSearchParams(Object.entries(entry.query).map(([k, v]) => [k, String(v)])).toString();
    target = `${path}${search ? `?${search}` : ''}`;
  }
  return {
    name: typeName(entry.operationId),
    method: entry.method,
    baseEnv: event ? ENV.endpoint : ENV.base,
    baseDefault: event ? EVENT_ENDPOINT : spec.servers.find((s) => /sandbox/i.test(s.url))?.url ?? SANDBOX,
    target,
    auth,
    headers,
    idempotent: entry.idempotent,
    json: entry.body === undefined ? undefined : JSON.stringify(entry.body, null, 2),
    redirect: /^3/.test(entry.success ?? ''),
  };
}

/** The headers as `[name, kind, value]`: kind `text` (a literal), `key` (Bearer + env key), `uuid`. */
export function headerList(req) {
  const out = [];
  if (req.auth.kind === 'bearer') out.push(['Authorization', 'key']);
  if (req.auth.kind === 'header') out.push([req.auth.name, 'text', req.auth.value]);
  for (const [name, value] of req.headers) out.push([name, 'text', value]);
  if (req.idempotent) out.push(['Idempotency-Key', 'uuid']);
  if (req.json !== undefined) out.push(['Content-Type', 'text', 'application/json']);
  return out;
}

/** The dependency line every sample opens with. */
export function needsLine(comment, text, req) {
  const reads = req.baseEnv === ENV.base ? `${ENV.base} (default: the sandbox)` : `${req.baseEnv} (your endpoint)`;
  return `${comment} Needs: ${text}. Reads ${reads}${req.auth.kind === 'bearer' ? ` and ${ENV.key}` : ''}.`;
}

/** Indents every line but the first. */
export const indentRest = (text, pad) => text.split('\n').map((line, i) => (i === 0 ? line : pad + line)).join('\n');
