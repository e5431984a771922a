// The TypeScript sample: the SDK's resource method for the operation (named by the operation
// table the SDK binds, see ../contract.mjs), filled in from the spec's examples; for an event,
// verifying a delivery with `@coveton/sdk/webhooks`.
import { literal, lowerFirst, singular } from '../literal.mjs';
import { SANDBOX } from './request.mjs';

function resultName(entry) {
  const ref = entry.responses[entry.success]?.content?.['application/json']?.schema?.$ref;
  return ref ? lowerFirst(ref.split('/').pop()) : 'result';
}

/**
 * The sign-in operations, as users call them: through `coveton.session`, which installs the
 * returned token pair (and, for logout, spends the current refresh token). Hand-kept, like the
 * helpers in src/session/helpers.ts; the samples test compiles every sample against the SDK.
 */
const SESSION_HELPERS = { registerAccount: 'register', login: 'login', completeOAuth: 'completeOAuth', logout: 'logout' };

/** How the SDK reaches an operation, for the page's text: `coveton.apiKeys.create()`, or why not. */
export function sdkLine(entry) {
  const helper = entry.sdk ? SESSION_HELPERS[entry.operationId] : undefined;
  if (helper) return `SDK: \`coveton.session.${helper}()\`, which keeps the token pair it returns.`;
  if (entry.sdk?.session) return 'SDK: sent by the SDK itself when an access token needs renewing; there is no method to call.';
  if (entry.sdk) return `SDK: \`coveton.${entry.sdk.resource}.${entry.sdk.name}()\`.`;
  return 'SDK: none; this endpoint is called by a third party, not by your code.';
}

function notInSdk(entry) {
  const why = entry.sdk?.session
    ? 'The SDK sends this itself, from its session layer (the single-flight token refresh): there is nothing to call.'
    : 'Not a method of the SDK: this endpoint is called by a third party, not by your code. The other samples send it a test request.';
  return `// ${entry.summary}\n// ${why}`;
}

export function typescriptOperationSample(entry) {
  const helper = entry.sdk ? SESSION_HELPERS[entry.operationId] : undefined;
  if (!entry.sdk || (entry.sdk.session && !helper)) return notInSdk(entry);
  const { shape } = entry;
  const args = shape.pathParams.map((name) => literal(entry.pathValues[name]));
  if (shape.body !== 'none') args.push(literal(entry.body ?? {}));
  if (shape.query !== 'none' && (Object.keys(entry.query).length > 0 || shape.query === 'required')) args.push(literal(entry.query));
  const extra = entry.headers.filter(([name]) => name.toLowerCase() !== 'idempotency-key');
  if (extra.length > 0) args.push(literal({ headers: Object.fromEntries(extra) }));
  // logout takes no argument: it sends the session's own refresh token.
  const call = helper ? `coveton.session.${helper}(${helper === 'logout' ? '' : args.join(', ')})` : `coveton.${entry.sdk.resource}.${entry.sdk.name}(${args.join(', ')})`;
  const bearer = entry.schemes[0]?.type === 'http';
  const lines = [
    `// Needs: Node.js 20 or later and \`npm install @coveton/sdk\`. Reads COVETON_BASE_URL (default: the sandbox)${bearer && !helper ? ' and COVETON_API_KEY' : ''}. Run \`npx tsx sample.ts\`; an error status throws, so the process exits non-zero.`,
    "import { createCoveton } from '@coveton/sdk';",
    '',
    // COVETON_BASE_URL (a mock, say) is the code's choice here: an explicit environment would win over it.
    `const coveton = createCoveton({ baseUrl: process.env.COVETON_BASE_URL ?? '${SANDBOX}' });`,
    '',
  ];
  if (entry.idempotent) lines.push('// Sent with an Idempotency-Key, reused on retries.');
  const hasContent = !!entry.responses[entry.success]?.content || !!entry.responses[entry.success]?.$ref;
  if (shape.paginated) {
    const name = entry.sdk.name;
    const item = singular(name.startsWith('list') && name.length > 4 ? lowerFirst(name.slice(4)) : entry.sdk.resource);
    lines.push(`for await (const ${item} of ${call}) {`, `  console.log(${item}.id);`, '}');
  } else if (shape.redirect) {
    lines.push(`const { location } = await ${call};`, "// Send the user's browser to `location`.", 'console.log(location);');
  } else if (hasContent && helper !== 'logout') {
    const name = resultName(entry);
    lines.push(`const ${name} = await ${call};`, `console.log(${name});`);
  } else {
    lines.push(`await ${call};`);
  }
  return lines.join('\n');
}

export function typescriptEventSample(entry) {
  const header = entry.params.find((p) => p.in === 'header')?.name ?? 'X-Coveton-Signature';
  return [
    '// Needs: `npm install @coveton/sdk` and a runtime with Web-standard Request/Response (Node.js 20, Deno, Bun, Workers). Reads COVETON_WEBHOOK_SECRET.',
    "import { constructEvent } from '@coveton/sdk/webhooks';",
    '',
    '// Your endpoint (a Web-standard handler): verify the raw body before trusting it.',
    'export async function POST(request: Request): Promise<Response> {',
    '  let event;',
    '  try {',
    '    event = await constructEvent(',
    '      await request.text(),',
    `      request.headers.get(${literal(header.toLowerCase())}),`,
    '      process.env.COVETON_WEBHOOK_SECRET!,',
    '    );',
    '  } catch {',
    "    return new Response('invalid signature', { status: 400 });",
    '  }',
    `  if (event.type === ${literal(entry.path)}) {`,
    '    console.log(event.id, event.data);',
    '  }',
    '  return new Response(null, { status: 204 });',
    '}',
  ].join('\n');
}
