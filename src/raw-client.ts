// The typed openapi-fetch client (`coveton.GET('/api-keys/{id}', ...)`) on the same pipeline as
// the resource methods: its fetch is the pipeline, its path parameters pass the same guard,
// and each request is matched to its row of the operation table, so that the same rules apply
// (idempotency key, public operations without a session token, one-time credentials).
// It keeps openapi-fetch's contract: an HTTP error comes back as `{ error }`, not thrown.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { lowerCaseHeaders, type Reply } from './http/outgoing.js';
import type { Pipeline } from './pipeline/index.js';
import { checkPathParam, newIdempotencyKey } from './resources.js';
import type { OperationSpec, OperationTable } from './types.js';

/** The raw client without `use`/`eject`: middleware would run for it alone, not for resource methods. */
export type RawClient = Omit<Client<paths>, 'use' | 'eject'>;

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toResponse(reply: Reply, text: string | undefined): Response {
  // A Response cannot carry status 0 (a hidden browser redirect) or 1xx.
  const status = reply.status < 200 ? 502 : reply.status;
  return new Response(NULL_BODY.has(status) ? null : (text ?? ''), { status, statusText: reply.statusText, headers: reply.toHeaders() });
}

export function rawClient(pipeline: Pipeline, baseUrl: string, table: OperationTable): RawClient {
  const byRoute = new Map<string, OperationSpec>();
  for (const ops of Object.values(table)) for (const op of Object.values(ops)) byRoute.set(`${op.method} ${op.path}`, op);
  const routed = new WeakMap<Request, OperationSpec>();

  const client = createClient<paths>({
    baseUrl,
    pathSerializer: (template: string, params: Record<string, unknown>) =>
      template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(checkPathParam(`path parameter ${name}`, params[name]))),
    fetch: async (request: Request) => {
      const op = routed.get(request);
      const answer = await pipeline(
        {
          url: request.url,
          method: request.method,
          headers: lowerCaseHeaders(request.headers),
          body: request.body === null ? null : await request.arrayBuffer(),
        },
        {
          endpoint: op ? `${op.method} ${op.path}` : `${request.method} ${new URL(request.url).pathname}`,
          signal: request.signal,
          returnErrors: true,
          anonymous: op?.public ?? false,
          manualRedirect: op?.redirect ?? false,
          ...(op?.repeat ? { repeat: op.repeat } : {}),
        },
      );
      return toResponse(answer.reply, answer.text);
    },
  } as Parameters<typeof createClient<paths>>[0]);
  client.use({
    onRequest({ request, schemaPath }) {
      const op = byRoute.get(`${request.method} ${schemaPath}`);
      if (!op) return undefined;
      routed.set(request, op);
      if (op.idempotent && !request.headers.has('idempotency-key')) request.headers.set('Idempotency-Key', newIdempotencyKey());
      return undefined;
    },
  });
  const { use: _use, eject: _eject, ...methods } = client;
  return methods;
}
