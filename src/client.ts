import createClient, { type Client } from 'openapi-fetch';
import { idempotentOperations, operations, type Resources } from '../generated/resources.js';
import type { paths } from '../generated/schema.js';
import { apiKeyAuth } from './auth.js';
import { CovetonError, CovetonInputError } from './errors/base.js';
import { errorFromResponse } from './errors/from-response.js';
import { fileHelpers, type FileHelpers } from './files.js';
import { idempotencyMiddleware, newIdempotencyKey } from './idempotency.js';
import { leveled } from './logger.js';
import { resolveOptions, type CovetonOptions } from './options.js';
import type { RateLimitInfo } from './rate-limit-headers.js';
import { RateLimiter } from './rate-limiter.js';
import { lowerCaseHeaders, parseBody } from './outgoing.js';
import { bindResources, type Invoke } from './resources.js';
import { sessionAuth } from './session/auth-layer.js';
import { refreshExchange } from './session/exchange.js';
import { sessionHelpers, type SessionHelpers } from './session/helpers.js';
import { createRefresher } from './session/refresh.js';
import { memoryTokenStore, type SessionTokens, type TokenStore } from './session/tokens.js';
import { createTransport } from './transport.js';
import { buildUrl } from './url.js';

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
  const limiter =
    options.rateLimit === false ? undefined : new RateLimiter({ ...options.rateLimit, maxPause: config.maxRetryAfter, logger: leveled(config.logger, config.logLevel) });
  let known: SessionTokens | undefined;
  const secrets = () => [config.apiKey, known?.accessToken, known?.refreshToken];

  // The refresh goes through the same retry loop but carries no credential. It skips the
  // rate-limit queue: it runs inside a request that already holds a turn, and with
  // `maxConcurrent: 1` waiting for a second turn would never end.
  const bare = createTransport(config, { layers: [], gate: undefined, secrets });
  // The caller's store, watched so that the current tokens are known to the redaction.
  const tracked: TokenStore = {
    get: () => {
      const stored = store.get();
      if (stored instanceof Promise) return stored.then((tokens) => (known = tokens));
      return (known = stored);
    },
    set: async (tokens) => {
      known = tokens;
      await store.set(tokens);
    },
    ...(store.lock ? { lock: store.lock.bind(store) } : {}),
    ...(store.claim ? { claim: store.claim.bind(store) } : {}),
  };
  const storeTimeout = options.storeTimeout ?? 10_000;
  const refresher = createRefresher({
    store: tracked,
    exchange: refreshExchange(bare, config.baseUrl, secrets),
    onTokens: options.onTokens,
    onSessionExpired: options.onSessionExpired,
    margin: options.refreshMargin ?? 60_000,
    storeTimeout,
    logger: leveled(config.logger, config.logLevel),
  });
  const transport = createTransport(config, {
    layers: [sessionAuth(refresher, origin), apiKeyAuth(config)],
    gate: limiter,
    secrets,
  });
  const client = createClient<paths>({ baseUrl: config.baseUrl, fetch: transport.fetch });
  client.use(idempotencyMiddleware(idempotentOperations));

  // Resource methods build their request directly and share the transport with the raw client.
  const invoke: Invoke = async ({ op, path, query, body, call }) => {
    const headers = call.headers ? lowerCaseHeaders(call.headers) : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (op.idempotent && !('idempotency-key' in headers)) headers['idempotency-key'] = call.idempotencyKey ?? newIdempotencyKey();
    const { response, text } = await transport.send(
      {
        url: buildUrl(config.baseUrl, op.path, path, query),
        method: op.method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        redirect: op.redirect ? 'manual' : 'follow',
        anonymous: op.public,
      },
      op.repeat ? { ...call, repeat: op.repeat } : call,
    );
    if (response.type === 'opaqueredirect') {
      // Browsers hide a redirect's Location from scripts: send the browser to the URL instead.
      throw new CovetonError(
        `${op.operationId} answers with a redirect, which a browser does not let scripts read: navigate to ${config.baseUrl}${op.path} instead.`,
      );
    }
    const redirected = op.redirect && response.status >= 300 && response.status < 400;
    if (redirected) return { location: response.headers.get('location') ?? '' };
    if (!response.ok) {
      throw errorFromResponse(response.status, response.statusText, response.headers, parseBody(text), {
        method: op.method,
        path: op.path,
        secrets: secrets(),
      });
    }
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CovetonError(`${op.method} ${op.path} answered ${response.status} with a body that is not JSON.`, { cause: error });
    }
  };

  const resources = bindResources(operations, invoke) as unknown as Resources;
  // Presigned storage URLs get the bytes and nothing else: no credential, no SDK header.
  const storage = createTransport(config, { layers: [], gate: undefined, secrets, plain: true });
  Object.assign(resources.files, fileHelpers(resources.files, storage, secrets));
  const session = sessionHelpers(resources.auth, { settled: refresher.settled, set: tracked.set, arrived: refresher.arrived }, options.onTokens, storeTimeout);
  return Object.defineProperties(Object.assign(Object.create(null) as object, client, resources), {
    rateLimit: { get: () => limiter?.figures, enumerable: true },
    session: { value: session, enumerable: true },
  }) as unknown as Coveton;
}
