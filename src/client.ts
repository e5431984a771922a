import createClient, { type Client } from 'openapi-fetch';
import { idempotentOperations, operations, type Resources } from '../generated/resources.js';
import type { paths } from '../generated/schema.js';
import type { Layer } from './auth.js';
import { errorFromResponse } from './errors/from-response.js';
import { idempotencyMiddleware } from './idempotency.js';
import { resolveOptions, type CovetonOptions } from './options.js';
import { readRateLimit, type RateLimitInfo } from './rate-limit-headers.js';
import { bindResources, type Invoke } from './resources.js';
import { createTransport } from './transport.js';

/** The client: the typed openapi-fetch methods (`GET`, `POST`, ...) plus one object per resource. */
export type Coveton = Client<paths> &
  Resources & {
    /** The rate-limit figures of the last response, or undefined before the first. */
    readonly rateLimit: RateLimitInfo | undefined;
  };

/**
 * Creates a Coveton client.
 * @example
 * const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY, environment: 'sandbox' });
 * const key = await coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
 * for await (const k of coveton.apiKeys.list({ status: 'active' })) console.log(k.name);
 */
export function createCoveton(options: CovetonOptions = {}): Coveton {
  const config = resolveOptions(options);
  let rateLimit: RateLimitInfo | undefined;
  const trackRateLimit: Layer = (next) => async (request) => {
    const response = await next(request);
    rateLimit = readRateLimit(response.headers) ?? rateLimit;
    return response;
  };
  const transport = createTransport(config, [trackRateLimit]);
  const client = createClient<paths>({ baseUrl: config.baseUrl, fetch: (request) => transport(request) });
  client.use(idempotencyMiddleware(idempotentOperations));

  // openapi-fetch's generic `request`, typed loosely: the resource method's own signature is
  // what callers see, generated from the same spec.
  const send = client.request as unknown as (
    method: string,
    path: string,
    init: Record<string, unknown>,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  const invoke: Invoke = async ({ op, path, query, body, call }) => {
    const headers: Record<string, string> = { ...call.headers };
    if (op.idempotent && call.idempotencyKey !== undefined) headers['Idempotency-Key'] = call.idempotencyKey;
    const { data, error, response } = await send(op.method.toLowerCase(), op.path, {
      params: { path, query },
      body,
      headers,
      signal: call.signal,
      redirect: op.redirect ? 'manual' : 'follow',
      fetch: (request: Request) => transport(request, call),
    });
    const redirected = op.redirect && response.status >= 300 && response.status < 400;
    if (!response.ok && !redirected) {
      throw errorFromResponse(response.status, response.statusText, response.headers, error, {
        method: op.method,
        path: op.path,
        secrets: [config.apiKey],
      });
    }
    return redirected ? { location: response.headers.get('location') ?? '' } : data;
  };

  const resources = bindResources(operations, invoke);
  return Object.defineProperties(Object.assign(Object.create(null) as object, client, resources), {
    rateLimit: { get: () => rateLimit, enumerable: true },
  }) as unknown as Coveton;
}
