// One reference page per operation or outbound event. On wide screens two columns: what it does,
// the request, the responses, its errors and rules and the try-it console (operations only) on
// the left; the twelve samples behind one switcher and the response examples (success and each
// error) on the right, beside them.
import { deref } from '../contract.mjs';
import { errorExamples, rulesSections } from '../rules.mjs';
import { proofSentence } from '../languages.mjs';
import { ENV } from '../samples/request.mjs';
import { sdkLine } from '../samples/typescript.mjs';
import { field, schemaBody, schemaLink, typeLabel } from './schema.mjs';
import { cell, fence, htmlText, inlineCode, safeMarkdown, table } from './text.mjs';

const TRY_IT_NOTE =
  'Sends the request below from your browser to the base URL you set (kept for your next visit). `npx coveton mock` runs a local mock on port 4010 that accepts any well-formed `ak_test_` key (24 or more letters and digits after the prefix). The credential you type stays in this tab\'s memory and goes to that base URL only.';

export const pagePath = (entry) => `/reference/${entry.tag}/${entry.operationId}`;

function authLine(entry) {
  if (entry.kind === 'event') return 'Sent by Coveton to your endpoint, signed with `X-Coveton-Signature` (see the [webhooks guide](/guides/webhooks)).';
  const scheme = entry.schemes[0];
  if (!scheme) return 'Public: no credentials.';
  if (scheme.type === 'http') return 'Authentication: `Authorization: Bearer <token>` (an access token or an API key secret), or `X-API-Key: <secret>`.';
  return `Authentication: the provider's ${inlineCode(scheme.name)} header, checked by Coveton.`;
}

/** What the try-it console starts from; read by the page's `<TryIt />` through its frontmatter. */
export function tryItData(spec, entry) {
  const scheme = entry.schemes[0];
  const auth = !scheme ? { kind: 'none' } : scheme.type === 'http' ? { kind: 'bearer' } : { kind: 'header', header: scheme.name };
  const query = Object.fromEntries(entry.params.filter((p) => p.in === 'query').map((p) => [p.name, p.name in entry.query ? String(entry.query[p.name]) : '']));
  const headers = Object.fromEntries(entry.headers.filter(([n]) => !scheme || n.toLowerCase() !== String(scheme.name).toLowerCase()).map(([n, v]) => [n, v]));
  if (entry.idempotent) headers['Idempotency-Key'] = '';
  return {
    method: entry.method,
    path: entry.path,
    pathParams: Object.fromEntries(Object.entries(entry.pathValues).map(([k, v]) => [k, String(v)])),
    query,
    headers,
    auth,
    body: entry.body === undefined ? null : JSON.stringify(entry.body, null, 2),
  };
}

function requestSection(spec, entry) {
  const parts = [entry.kind === 'event' ? '## Delivery {#request}' : '## Request {#request}'];
  for (const [where, title] of [['path', 'Path parameters'], ['query', 'Query parameters'], ['header', 'Headers']]) {
    const params = entry.params.filter((p) => p.in === where);
    if (params.length === 0) continue;
    const fields = params.map((p) => field({ name: p.name, type: typeLabel(spec, p.schema), required: p.required, description: safeMarkdown(p.description ?? '') }));
    parts.push('', `### ${title}`, '', '<div class="fields">', '', ...fields.flatMap((f) => [f, '']), '</div>');
  }
  const media = entry.requestBody?.content?.['application/json'];
  if (media) {
    parts.push('', `### Body${entry.bodyRequired ? '' : ' (optional)'}`, '');
    if (entry.requestBody.description) parts.push(safeMarkdown(entry.requestBody.description), '');
    const ref = media.schema?.$ref;
    if (ref) parts.push(`Schema: ${schemaLink(ref.split('/').pop())}`, '');
    parts.push(schemaBody(spec, media.schema));
  }
  if (parts.length === 1) parts.push('', 'No parameters and no body.');
  return parts.join('\n');
}

/** The success responses: status, what it means, its schema and headers (the example is beside). */
function responsesSection(spec, entry, withRules) {
  const parts = [entry.kind === 'event' ? '## Your answer {#responses}' : '## Responses {#responses}'];
  const errors = [];
  for (const [status, raw] of Object.entries(entry.responses)) {
    const response = deref(spec, raw) ?? {};
    const media = response.content?.['application/json'];
    const ref = media?.schema?.$ref?.split('/').pop();
    if (/^[45]/.test(status)) {
      errors.push([inlineCode(status), cell(response.description ?? ''), ref ? schemaLink(ref) : '']);
      continue;
    }
    parts.push('', `### ${status}`, '', safeMarkdown(response.description ?? ''));
    if (media) parts.push('', ref ? `Schema: ${schemaLink(ref)}` : `Type: ${typeLabel(spec, media.schema)}`);
    const headers = Object.keys(response.headers ?? {});
    if (headers.length > 0) parts.push('', `Headers: ${headers.map(inlineCode).join(', ')}.`);
  }
  // An operation's own errors table (from its rules) replaces the generic list of statuses.
  if (errors.length > 0 && !withRules) {
    parts.push('', '### Errors', '', 'Every error has the body `{ "error": { "code", "message", "details"?, "reason"?, "requestId"? } }` (see the [errors guide](/guides/errors)).', '');
    parts.push(table(['Status', 'When', 'Body'], errors));
  }
  return parts.join('\n');
}

/** The success example, then an example body of each error the operation returns, as tabs. */
function responseExamples(spec, entry) {
  const blocks = [];
  const raw = entry.responses[entry.success];
  const media = (deref(spec, raw) ?? {}).content?.['application/json'];
  const first = media?.examples ? deref(spec, Object.values(media.examples)[0])?.value : media?.example;
  if (first !== undefined) blocks.push(fence('json', JSON.stringify(first, null, 2), entry.success));
  for (const { status, body } of errorExamples(spec, entry)) blocks.push(fence('json', JSON.stringify(body, null, 2), status));
  if (blocks.length === 0) return '';
  return ['### Response example {#response-example}', '', '::: code-group', ...blocks, ':::'].join('\n');
}

function samplesSection(samples) {
  const blocks = samples.map((s) => fence(s.highlight, s.code, s.label));
  return ['## Samples {#samples}', '', '::: code-group', ...blocks, ':::'].join('\n');
}

export function operationPage(spec, entry, samples) {
  const front = {
    title: entry.summary,
    description: `${entry.kind === 'event' ? 'Event' : entry.method} ${entry.path}`,
    // Two columns on wide screens: the page's own, so no outline column beside them.
    pageClass: 'op-page',
    aside: false,
    outline: [2, 3],
    ...(entry.kind === 'operation' ? { tryit: tryItData(spec, entry) } : {}),
  };
  const method = entry.kind === 'event' ? 'event' : entry.method.toLowerCase();
  const rules = rulesSections(spec, entry);
  const note =
    entry.kind === 'event'
      ? `The TypeScript sample verifies a delivery with the SDK; the others post this example delivery to your endpoint. Its signature was made with the spec's example secret, so for a delivery your handler accepts, run \`npx coveton webhooks trigger ${entry.path} --to <your endpoint> --secret <its signing secret>\` (see [testing webhook handlers](/guides/webhooks)).`
      : `Each sample is a complete program: its first line says what it needs. It sends the spec's example request to the sandbox, or to \`$${ENV.base}\` when set (\`http://127.0.0.1:4010\` for a local \`npx coveton mock\`), with the key in \`$${ENV.key}\`; it prints the response body and exits non-zero on an error status. Samples that create something send a fresh Idempotency-Key each run. ${proofSentence()}`;
  const lines = [
    '---',
    ...Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
    '---',
    '',
    `# ${safeMarkdown(entry.summary)} {#${entry.operationId}}`,
    '',
    `<p class="op-line"><span class="op-method op-${method}">${htmlText(entry.kind === 'event' ? 'EVENT' : entry.method)}</span> ${inlineCode(entry.path)}</p>`,
    '',
    // Intro, samples, then the rest: the reading order on a phone. From 1280 px the samples
    // column sits to the right of both (custom.css places the three in a grid).
    '<div class="op-layout">',
    '<div class="op-intro">',
    '',
    entry.deprecated ? '::: warning Deprecated\nThis operation is deprecated.\n:::\n' : '',
    safeMarkdown(entry.description),
    '',
    authLine(entry),
    entry.kind === 'operation' ? `${sdkLine(entry)} Operation id: ${inlineCode(entry.operationId)}.` : `Operation id: ${inlineCode(entry.operationId)}.`,
    '',
    '</div>',
    '<div class="op-aside">',
    '',
    samplesSection(samples),
    '',
    `<p class="op-note">${note.replace(/`([^`]+)`/g, (_, c) => inlineCode(c)).replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')}</p>`,
    '',
    responseExamples(spec, entry),
    '',
    '</div>',
    '<div class="op-main">',
    '',
    requestSection(spec, entry),
    '',
    responsesSection(spec, entry, rules !== ''),
    '',
    rules,
    ...(entry.kind === 'operation' ? ['## Try it {#try-it}', '', TRY_IT_NOTE, '', '<TryIt />', ''] : []),
    '</div>',
    '</div>',
    '',
  ];
  return lines.join('\n');
}
