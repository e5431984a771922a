// Builds and sends a try-it request. Only the base URL the reader set is ever contacted:
// redirects are not followed (a redirect could carry the credential elsewhere), no cookies
// are sent, and no referrer.

export interface TryItSpec {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  auth: { kind: 'none' } | { kind: 'bearer' } | { kind: 'header'; header: string };
  body: string | null;
}

export interface TryItInput {
  baseUrl: string;
  credential: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

export interface TryItResult {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
  ms: number;
}

/** The URL a request goes to, or an error message naming what is wrong. */
export function requestUrl(spec: TryItSpec, input: TryItInput): URL | string {
  let base: URL;
  try {
    base = new URL(input.baseUrl);
  } catch {
    return `The base URL "${input.baseUrl}" is not a URL.`;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return 'The base URL must start with http:// or https://.';
  let path = spec.path;
  for (const name of Object.keys(spec.pathParams)) {
    const value = input.pathParams[name] ?? '';
    if (value === '') return `The path parameter "${name}" is empty.`;
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const url = new URL(`${base.href.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(input.query)) if (value !== '') url.searchParams.set(name, value);
  return url;
}

export async function sendTryIt(spec: TryItSpec, input: TryItInput, url: URL): Promise<TryItResult> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(input.headers)) if (value !== '') headers.set(name, value);
  if (input.credential) {
    if (spec.auth.kind === 'bearer') headers.set('Authorization', `Bearer ${input.credential}`);
    if (spec.auth.kind === 'header') headers.set(spec.auth.header, input.credential);
  }
  const hasBody = spec.body !== null && input.body.trim() !== '';
  if (hasBody) headers.set('Content-Type', 'application/json');
  const started = performance.now();
  const response = await fetch(url, {
    method: spec.method,
    headers,
    body: hasBody ? input.body : undefined,
    redirect: 'manual',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
  });
  const text = response.type === 'opaqueredirect' ? '(a redirect: not followed, so that nothing is sent to another address)' : await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: shown as it came.
  }
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    body,
    ms: Math.round(performance.now() - started),
  };
}
