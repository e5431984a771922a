import { operations, sessionOperations, type Resources, type SessionOperations } from '../generated/resources.js';
import { CovetonInputError } from './errors/base.js';
import { lazyFileHelpers } from './resources/lazy-files.js';
import { fetchSend } from './transport/fetch.js';
import type { Send } from './transport/outgoing.js';
import { lazyMethods } from './util/lazy.js';
import { leveled } from './util/logger.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { apiKeyAuth, sessionAuth, watchedStore } from './session/credentials.js';
import { identity } from './pipeline/identity.js';
import { createPipeline } from './pipeline/index.js';
import { createRateLimiter } from './pipeline/rate-limit/limiter.js';
import { bindResources, createInvoke } from './resources/bind.js';
import { sessionHelpers } from './session/helpers.js';
import { createRefresher } from './session/refresh.js';
import { memoryTokenStore } from './session/tokens.js';
import type { FileHelpers } from './public/files.js';
import type { CovetonOptions } from './public/options.js';
import type { RateLimitInfo } from './public/rate-limit.js';
import type { RawClient } from './public/client.js';
import type { SessionHelpers, SessionTokens } from './public/session.js';
import type { Authenticator } from './public/auth.js';
import type { Coveton } from './public/client.js';

/** Makes the bottom hop for a client where the runtime has its own (Node), a fetch the caller gave included. */
export type TransportFactory = (options: ResolvedOptions) => Send;

function initialTokens(options: CovetonOptions): SessionTokens | undefined {
  if (options.accessToken === undefined && options.refreshToken === undefined) return undefined;
  // A given store is the session's one source: tokens beside it were silently never used.
  if (options.tokenStore) throw new CovetonInputError('tokenStore', 'holds the pair: save accessToken and refreshToken in it, not beside it');
  if (!options.accessToken || !options.refreshToken) {
    throw new CovetonInputError(options.accessToken ? 'refreshToken' : 'accessToken', 'accessToken and refreshToken go together');
  }
  return { accessToken: options.accessToken, refreshToken: options.refreshToken };
}

const RAW_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

/** Builds a client on the given default transport (fetch here; undici in the Node entry). */
export function buildClient(options: CovetonOptions, platform: TransportFactory | undefined): Coveton {
  const config = resolveOptions(options);
  const send = platform ? platform(config) : fetchSend(config.fetch, config.customFetch);
  const logger = leveled(config.logger, config.logLevel);
  const tokens = initialTokens(options);
  const store = options.tokenStore ?? memoryTokenStore(tokens);
  const limiter =
    options.rateLimit === false ? undefined : createRateLimiter({ ...options.rateLimit, maxPause: config.maxRetryAfter, logger });
  const stamp = identity(config);
  // A session another tab or process on the store ended (its refresh refused, a sign-out there)
  // is told to onSessionExpired once, when this client next reads the store (./session/rotate.ts).
  const tracked = watchedStore(store, () => void refresher.endedElsewhere().catch(() => undefined));
  const storeTimeout = options.storeTimeout ?? 10_000;
  // The refresh carries no credential and skips the rate-limit queue: it runs inside a request
  // that already holds a turn, and with `maxConcurrent: 1` a second turn would never come.
  // Every secret the redaction knows comes from the authenticator that holds it.
  let auth: Authenticator | undefined;
  const secrets = () => auth!.secrets();
  const bare = createPipeline(config, { send, target: 'api', identity: stamp, secrets, logger });
  const sessionOptions = {
    store: tracked,
    pipeline: bare,
    baseUrl: config.baseUrl,
    onTokens: options.onTokens,
    onSessionExpired: options.onSessionExpired,
    margin: options.refreshMargin ?? 60_000,
    storeTimeout,
    logger,
  };
  const refresher = createRefresher(sessionOptions);
  auth = sessionAuth(refresher, tracked, config.auth ?? (config.apiKey ? apiKeyAuth(config.apiKey, { header: config.apiKeyHeader }) : undefined), logger);
  const pipeline = createPipeline(config, {
    send,
    target: 'api',
    identity: stamp,
    auth,
    gate: limiter,
    secrets,
    logger,
  });
  // Presigned storage URLs get the bytes and nothing else: no credential, no SDK header.
  const storage = createPipeline(config, { send, target: 'storage', secrets, logger });

  const invoke = createInvoke(pipeline, config.baseUrl);
  const resources = bindResources(operations, invoke) as unknown as Resources;
  Object.assign(resources.files, lazyFileHelpers(resources.files, storage, config));
  const signIn = bindResources(sessionOperations, invoke).auth as unknown as SessionOperations;
  // The raw client loads on its first call: most applications use the resource methods only.
  const raw = lazyMethods('raw client', () => import('./resources/raw-client.js').then((m) => m.rawClient(pipeline, config.baseUrl, operations, secrets)), RAW_METHODS);
  const session = sessionHelpers(signIn, { settled: refresher.settled, set: tracked.set, arrived: refresher.arrived }, sessionOptions);
  return Object.defineProperties(Object.assign(Object.create(null) as object, raw, resources), {
    rateLimit: { get: () => limiter?.figures, enumerable: true },
    session: { value: session, enumerable: true },
  }) as unknown as Coveton;
}

/**
 * Creates a Coveton client.
 * @example
 * const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY, environment: 'sandbox' });
 * const key = await coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
 * for await (const k of coveton.apiKeys.list({ status: 'active' })) console.log(k.name);
 */
export function createCoveton(options: CovetonOptions = {}): Coveton {
  return buildClient(options, undefined);
}
