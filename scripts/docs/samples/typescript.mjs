// The TypeScript sample: the SDK's resource method for the operation (named by the operation
// table the SDK binds, see ../contract.mjs), filled in from the spec's examples; for an event,
// verifying a delivery with `@coveton/sdk/webhooks`.
import { literal, lowerFirst, singular } from '../literal.mjs';

function resultName(entry) {
  const ref = entry.responses[entry.success]?.content?.['application/json']?.schema?.$ref;
  return ref ? lowerFirst(ref.split('/').pop()) : 'result';
}

export function typescriptOperationSample(entry) {
  const { sdk } = entry;
  const args = sdk.pathParams.map((name) => literal(entry.pathValues[name]));
  if (sdk.body !== 'none') args.push(literal(entry.body ?? {}));
  if (sdk.query !== 'none' && (Object.keys(entry.query).length > 0 || sdk.query === 'required')) args.push(literal(entry.query));
  const extra = entry.headers.filter(([name]) => name.toLowerCase() !== 'idempotency-key');
  if (extra.length > 0) args.push(literal({ headers: Object.fromEntries(extra) }));
  const call = `coveton.${sdk.resource}.${sdk.name}(${args.join(', ')})`;
  const bearer = entry.schemes[0]?.type === 'http';
  const lines = [
    "import { createCoveton } from '@coveton/sdk';",
    '',
    bearer ? 'const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY });' : 'const coveton = createCoveton();',
    '',
  ];
  if (sdk.idempotent) lines.push('// Sent with an Idempotency-Key, reused on retries.');
  const hasContent = !!entry.responses[entry.success]?.content || !!entry.responses[entry.success]?.$ref;
  if (sdk.paginated) {
    const item = singular(sdk.name.startsWith('list') && sdk.name.length > 4 ? lowerFirst(sdk.name.slice(4)) : sdk.resource);
    lines.push(`for await (const ${item} of ${call}) {`, `  console.log(${item}.id);`, '}');
  } else if (sdk.redirect) {
    lines.push(`const { location } = await ${call};`, "// Send the user's browser to `location`.");
  } else if (hasContent) {
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
