import createClient, { type Client } from 'openapi-fetch';
import { idempotentOperations, operations, type Resources } from '../generated/resources.js';
import type { paths } from '../generated/schema.js';
import { apiKeyAuth } from './auth.js';
import { CovetonInputError } from './errors/base.js';
import { errorFromResponse } from './errors/from-response.js';
import { fileHelpers, type FileHelpers } from './files.js';
import { idempotencyMiddleware } from './idempotency.js';
import { resolveOptions, type CovetonOptions } from './options.js';
import type { RateLimitInfo } from './rate-limit-headers.js';
import { RateLimiter } from './rate-limiter.js';
import { bindResources, type Invoke } from './resources.js';
import { sessionAuth } from './session/auth-layer.js';
import { refreshExchange } from './session/exchange.js';
import { sessionHelpers, type SessionHelpers } from './session/helpers.js';
import { createRefresher } from './session/refresh.js';
import { memoryTokenStore, type SessionTokens } from './session/tokens.js';
import { createTransport } from './transport.js';

/** The client: the typed openapi-fetch methods (`GET`, `POST`, ...) plus one object per resource. */
export type Coveton = Client<paths> &
  Omit<Resources, 'files'> & {
    /** The files operations, plus `upload` and `download` that move the bytes to and from storage. */
    readonly files: Resources['files'] & FileHelpers;
    /** The rate-limit figures of the last response, or undefined before the first. */
    readonly rateLimit: RateLimitInfo | undefined;
    /** Sign in, out, and read the current token pair. */
    readonly session: SessionHelpers;
  };

function initialTokens(options: CovetonOptions): SessionTokens | undefined {
  if (options.accessToken === undefined && options.refreshToken === undefined) return undefined;
  if (!options.accessToken || !options.refreshToken) {
    throw new CovetonInputError(options.accessToken ? 'refreshToken' : 'accessToken', 'accessToken and refreshToken go together');
  }
  return { accessToken: options.accessToken, refreshToken: options.refreshToken };
}

/**
 * Creates a Coveton client.
 * @example
 * const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY, environment: 'sandbox' });
 * const key = await coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
 * for await (const k of coveton.apiKeys.list({ status: 'active' })) console.log(k.name);
 */
export function createCoveton(options: CovetonOptions = {}): Coveton {
  const config = resolveOptions(options);
  const origin = new URL(config.baseUrl).origin;
  const store = options.tokenStore ?? memoryTokenStore(initialTokens(options));
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit);
  let known: SessionTokens | undefined;
  const secrets = () => [config.apiKey, known?.accessToken, known?.refreshToken];

  // The refresh goes through the same retry loop but carries no credential. It skips the
  // rate-limit queue: it runs inside a request that already holds a turn, and with
  // `maxConcurrent: 1` waiting for a second turn would never end.
  const bare = createTransport(config, { layers: [], gate: undefined, secrets });
  const refresher = createRefresher({
    store: {
      get: async () => (known = await store.get()),
      set: async (tokens) => {
        known = tokens;
        await store.set(tokens);
      },
      ...(store.lock ? { lock: store.lock.bind(store) } : {}),
    },
    exchange: refreshExchange(bare, config.baseUrl, secrets),
    onTokens: options.onTokens,
    onSessionExpired: options.onSessionExpired,
    margin: options.refreshMargin ?? 60_000,
  });
  const transport = createTransport(config, {
    layers: [sessionAuth(refresher, origin), apiKeyAuth(config)],
    gate: limiter,
    secrets,
  });
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
        secrets: secrets(),
      });
    }
    return redirected ? { location: response.headers.get('location') ?? '' } : data;
  };

  const resources = bindResources(operations, invoke) as unknown as Resources;
  // Presigned storage URLs get the bytes and nothing else: no credential, no SDK header.
  const storage = createTransport(config, { layers: [], gate: undefined, secrets, plain: true });
  Object.assign(resources.files, fileHelpers(resources.files, storage, secrets));
  const session = sessionHelpers(resources.auth, {
    get: () => store.get(),
    set: async (tokens) => {
      known = tokens;
      await store.set(tokens);
    },
  }, options.onTokens);
  return Object.defineProperties(Object.assign(Object.create(null) as object, client, resources), {
    rateLimit: { get: () => limiter?.figures, enumerable: true },
    session: { value: session, enumerable: true },
  }) as unknown as Coveton;
}
