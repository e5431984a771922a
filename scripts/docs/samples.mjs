// Code samples for the docs, generated from the bundled spec: for every operation a TypeScript
// sample that calls the SDK's resource method (named by scripts/codegen, as the SDK binds it) and
// a curl sample, both filled in from the spec's own examples. They go into `x-codeSamples`, the
// extension Redoc renders next to each operation; nothing here is written per operation.
import { collectOperations, resolve as deref } from '../codegen/resources.mjs';
import { literal, shellQuote, singular, lowerFirst } from './literal.mjs';

const PAGE_PARAMS = new Set(['limit', 'before']);

/** A parameter's example: its own, else its schema's, else a placeholder. */
function paramExample(spec, param) {
  const first = param.examples && Object.values(param.examples)[0];
  const schema = deref(spec, param.schema) ?? {};
  return param.example ?? deref(spec, first)?.value ?? schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0] ?? `<${param.name}>`;
}

/** The first example of a JSON request body or webhook payload. */
function bodyExample(spec, requestBody) {
  const media = deref(spec, requestBody)?.content?.['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = media.examples && Object.values(media.examples)[0];
  return deref(spec, first)?.value ?? deref(spec, media.schema)?.example ?? {};
}

/** Everything a sample needs about one operation, next to what collectOperations gives. */
function describe(spec, op) {
  const item = spec.paths[op.path];
  const raw = item[op.method.toLowerCase()];
  const params = [...(item.parameters ?? []), ...(raw.parameters ?? [])].map((p) => deref(spec, p));
  const pathValues = op.pathParams.map((name) => paramExample(spec, params.find((p) => p.in === 'path' && p.name === name) ?? { name }));
  // The query a caller would write: every required parameter, else the first optional filter.
  const queryParams = params.filter((p) => p.in === 'query' && !PAGE_PARAMS.has(p.name));
  const chosen = queryParams.some((p) => p.required) ? queryParams.filter((p) => p.required) : queryParams.slice(0, 1);
  const query = Object.fromEntries(chosen.map((p) => [p.name, paramExample(spec, p)]));
  const security = raw.security ?? spec.security ?? [];
  const schemes = security.flatMap((req) => Object.keys(req)).map((name) => spec.components.securitySchemes[name]);
  const auth = schemes[0];
  const headers = params.filter((p) => p.in === 'header' && p.required).map((p) => [p.name, paramExample(spec, p)]);
  if (auth?.type === 'apiKey' && auth.in === 'header') headers.unshift([auth.name, `<${auth.name}>`]);
  const schemaRef = raw.responses[op.success]?.content?.['application/json']?.schema?.$ref;
  const body = op.body === 'none' ? undefined : bodyExample(spec, raw.requestBody);
  return { pathValues, query, body, auth, headers, resultName: schemaRef ? lowerFirst(schemaRef.split('/').pop()) : 'result' };
}

/** Session-only operations (`x-sdk-access: session`) as users reach them: `coveton.session.*`. */
const SESSION_HELPERS = { registerAccount: 'register', login: 'login', completeOAuth: 'completeOAuth', logout: 'logout' };

export function typescriptSample(spec, op) {
  if (op.access === 'none') return '// Payment processors call this endpoint; it is not part of the SDK.';
  if (op.access === 'session' && !SESSION_HELPERS[op.operationId]) {
    return "// The SDK sends this itself (the single-flight token refresh): there is nothing to call.";
  }
  const d = describe(spec, op);
  const args = d.pathValues.map((v) => literal(v));
  if (op.body !== 'none') args.push(literal(d.body ?? {}));
  if (op.query !== 'none' && (Object.keys(d.query).length > 0 || op.query === 'required')) args.push(literal(d.query));
  const extra = d.headers.filter(([name]) => name.toLowerCase() !== 'idempotency-key');
  if (extra.length > 0) args.push(literal({ headers: Object.fromEntries(extra) }));
  const helper = op.access === 'session' ? SESSION_HELPERS[op.operationId] : undefined;
  // logout takes no argument: it sends the session's own refresh token.
  const call = helper ? `coveton.session.${helper}(${helper === 'logout' ? '' : args.join(', ')})` : `coveton.${op.resource}.${op.name}(${args.join(', ')})`;
  const bearer = d.auth?.type === 'http' && d.auth.scheme === 'bearer';
  const lines = [
    "import { createCoveton } from '@coveton/sdk';",
    '',
    bearer ? 'const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY });' : 'const coveton = createCoveton();',
    '',
  ];
  if (op.idempotent) lines.push('// Sent with an Idempotency-Key, reused on retries.');
  if (op.paginated) {
    const item = singular(op.name.startsWith('list') && op.name.length > 4 ? lowerFirst(op.name.slice(4)) : op.resource);
    lines.push(`for await (const ${item} of ${call}) {`, `  console.log(${item}.id);`, '}');
  } else if (op.redirect) {
    lines.push(`const { location } = await ${call};`, "// Send the user's browser to `location`.");
  } else if (op.hasContent) {
    lines.push(`const ${d.resultName} = await ${call};`);
  } else {
    lines.push(`await ${call};`);
  }
  return lines.join('\n');
}

export function curlSample(spec, op) {
  const d = describe(spec, op);
  let path = op.path;
  op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, encodeURIComponent(String(d.pathValues[i])))));
  const search = new URLSearchParams(Object.entries(d.query).map(([k, v]) => [k, String(v)])).toString();
  const url = `${spec.servers[0].url}${path}${search ? `?${search}` : ''}`;
  const lines = [`curl ${op.redirect ? '-i ' : ''}${op.method === 'GET' ? '' : `-X ${op.method} `}${shellQuote(url)}`];
  if (d.auth?.type === 'http' && d.auth.scheme === 'bearer') lines.push('-H "Authorization: Bearer $COVETON_API_KEY"');
  if (op.idempotent) lines.push('-H "Idempotency-Key: $(uuidgen)"');
  for (const [name, value] of d.headers) if (name.toLowerCase() !== 'idempotency-key') lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (op.body !== 'none') lines.push("-H 'Content-Type: application/json'", `-d ${shellQuote(JSON.stringify(d.body ?? {}, null, 2))}`);
  return lines.join(' \\\n  ');
}

/** Samples for an outbound event: verify the delivery with `@coveton/sdk/webhooks`, and a test delivery. */
export function webhookSamples(spec, name, operation) {
  const params = (operation.parameters ?? []).map((p) => deref(spec, p));
  const header = params.find((p) => p.in === 'header') ?? { name: 'X-Coveton-Signature', example: 't=<unix seconds>,v1=<hex>' };
  const body = bodyExample(spec, operation.requestBody) ?? {};
  const typescript = [
    "import { constructEvent } from '@coveton/sdk/webhooks';",
    '',
    '// Your endpoint (a Web-standard handler): verify the raw body before trusting it.',
    'export async function POST(request: Request): Promise<Response> {',
    '  let event;',
    '  try {',
    '    event = await constructEvent(',
    '      await request.text(),',
    `      request.headers.get(${literal(header.name.toLowerCase())}),`,
    '      process.env.COVETON_WEBHOOK_SECRET!,',
    '    );',
    '  } catch {',
    "    return new Response('invalid signature', { status: 400 });",
    '  }',
    `  if (event.type === ${literal(name)}) {`,
    '    console.log(event.id, event.data);',
    '  }',
    '  return new Response(null, { status: 204 });',
    '}',
  ].join('\n');
  const curl = [
    "curl -X POST 'https://your-app.example.com/webhooks/coveton'",
    `-H ${shellQuote(`${header.name}: ${paramExample(spec, header)}`)}`,
    "-H 'Content-Type: application/json'",
    `-d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join(' \\\n  ');
  return [
    { lang: 'TypeScript', label: 'TypeScript', source: typescript },
    { lang: 'Shell', label: 'curl (test delivery)', source: curl },
  ];
}

/**
 * A copy of `spec` with `x-codeSamples` on every operation and every webhook. The input is
 * left untouched: spec/ and generated/ are the contract.
 */
export function withCodeSamples(spec) {
  const out = structuredClone(spec);
  for (const op of collectOperations(out)) {
    out.paths[op.path][op.method.toLowerCase()]['x-codeSamples'] = [
      { lang: 'TypeScript', label: 'TypeScript', source: typescriptSample(out, op) },
      { lang: 'Shell', label: 'curl', source: curlSample(out, op) },
    ];
  }
  for (const [name, item] of Object.entries(out.webhooks ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object' && operation.operationId) operation['x-codeSamples'] = webhookSamples(out, name, operation);
    }
  }
  return out;
}
