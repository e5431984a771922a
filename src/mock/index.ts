// `@coveton/sdk/mock` (Node only): a stateful, contract-checked local Coveton API for tests, the
// engine behind `coveton mock`. Start it in-process on a free port; it needs the optional peer
// dependency @stoplight/prism-cli for its validators.
import type { AddressInfo } from 'node:net';
import { bundledSpecPath } from '../tools/spec-files.js';
import { base62 } from '../tools/ids.js';
import { DEFAULT_BODY_BYTES_IN_FLIGHT, createBodyBudget } from './bodies.js';
import { CHECK_NAMES } from './checks.js';
import { createClock, parseTime, type Clock } from './clock.js';
import { loadContract } from './contract.js';
import { controlAnswer } from './control.js';
import { isLoopback } from './cors.js';
import { DEFAULT_EVENT_BYTES, createDeliveries, type DeliveryRecord, type WebhookOptions } from './deliveries.js';
import type { Handler, MockEnv } from './engine.js';
import { DEFAULT_IDEMPOTENCY_BYTES, createIdempotencyStore } from './idempotency.js';
import { DEFAULT_RATE_LIMIT, createRateLimiter, type RateLimitSetting } from './rate-limit.js';
import { exampleHandler, genericHandler } from './resources.js';
import { apiKeyRules } from './rules/api-keys.js';
import { authRules } from './rules/auth.js';
import { billingRules } from './rules/billing.js';
import { readRules, type OperationRules } from './rules.js';
import { deviceRules } from './rules/devices.js';
import { fileRules } from './rules/files.js';
import { messagingRules } from './rules/messaging.js';
import { oauthRules } from './rules/oauth.js';
import { organizationRules } from './rules/organizations.js';
import { applySeed, readSeedFile, seededKeySecrets } from './seed.js';
import { applyExampleSecrets } from './seed-examples.js';
import type { SeedDocument } from './seed-data.js';
import { createMockServer, type RequestRecord } from './server.js';
import { loadSpecModel } from '../tools/spec-model.js';
import { DEFAULT_COLLECTION_CAP, DEFAULT_STATE_BYTES, createStore } from './state.js';
import { DEFAULT_GONE_BYTES } from './gone.js';
import { DEFAULT_STORAGE_CAP, createStorage } from './storage.js';
import { ACCESS_TOKEN_SECONDS, createTokens } from './tokens.js';
import type { Pipeline } from './pipeline.js';
import { createViolationLog, type ViolationRecord } from './violation-log.js';

export { parseRateLimit, type RateLimitSetting } from './rate-limit.js';
export { isLoopback } from './cors.js';
export type { Clock, ClockState } from './clock.js';
export { SEED, type SeedDocument } from './seed-data.js';
export type { DeliveryRecord, WebhookOptions } from './deliveries.js';
/** One record of the mock's state (a seed document's row): the API's fields, and the mock's own `_` fields. */
export type { Row } from './state.js';
export type { ViolationRecord } from './violation-log.js';
export type { RequestRecord } from './server.js';

/** Options of {@link startMock}. */
export interface MockOptions {
  /**
   * The port on `host`; 0 picks a free one.
   * @default 0
   * @example
   * ```ts
   * const mock = await startMock({ port: 4010 });
   * ```
   */
  port?: number;
  /**
   * The address to listen on. Anything but a loopback address exposes the mock to the network
   * (for a container: `0.0.0.0`); then the Host header is no longer checked.
   * @default '127.0.0.1'
   * @example
   * ```ts
   * await startMock({ host: '0.0.0.0', port: 4010 }); // inside a container
   * ```
   */
  host?: string;
  /**
   * Origins whose pages may call the mock, besides loopback ones (`http://localhost:*`,
   * `http://127.0.0.1:*`); `'*'` allows every origin.
   * @default []
   * @example
   * ```ts
   * await startMock({ corsOrigins: ['https://docs.example.com'] });
   * ```
   */
  corsOrigins?: string[];
  /**
   * Requests per window, counted per client address and per token, as the API does; `false` turns limits off.
   * @default { requests: 120, seconds: 60 }
   * @example
   * ```ts
   * await startMock({ rateLimit: { requests: 20, seconds: 2 } });
   * ```
   */
  rateLimit?: RateLimitSetting | false;
  /**
   * Extra state on top of the default seed: `{ "<collection>": [rows] }`, or a JSON file path.
   * @default none
   * @example
   * ```ts
   * await startMock({ seed: { users: [{ email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace' }] } });
   * ```
   */
  seed?: SeedDocument | string;
  /**
   * Where signed events go, with the secret to sign them; retried with backoff.
   * @default none (events are only recorded)
   * @example
   * ```ts
   * await startMock({ webhooks: { url: 'http://127.0.0.1:3000/coveton', secret: 'whsec_test' } });
   * ```
   */
  webhooks?: WebhookOptions;
  /**
   * The time source under the mock's clock, in ms since the epoch (token, link, invite and
   * message expiry). The clock can also be moved over HTTP (`/__mock/clock`) or with
   * `mock.clock`. Rate-limit windows run on real time (`Date.now`), neither on this nor on the clock.
   * @default Date.now
   * @example
   * ```ts
   * let skew = 0;
   * await startMock({ now: () => Date.now() + skew }); // skew += 16 * 60_000 expires access tokens
   * ```
   */
  now?: () => number;
  /**
   * Where the mock's clock starts: an RFC 3339 time (it runs on from there).
   * @default the current time
   * @example
   * ```ts
   * await startMock({ clock: '2026-06-20T16:00:00Z' });
   * ```
   */
  clock?: string;
  /**
   * The secret the payment processors' webhook signatures are verified with (Stripe's
   * `Stripe-Signature`, Paystack's HMAC-SHA512, Flutterwave's `verif-hash`).
   * @default a random `whsec_mock_...` for each start, in `mock.processorSecret`
   * @example
   * ```ts
   * await startMock({ processorSecret: 'whsec_ci_processor' });
   * ```
   */
  processorSecret?: string;
  /** Records kept per collection; past it the oldest goes. @default 1000 */
  collectionCap?: number;
  /** Bytes of uploaded files kept in memory, in total; past it the oldest goes. @default 268435456 */
  storageCap?: number;
  /** Bytes one upload may have (at most `storageCap` and `bodyBytesInFlight`); a larger one is answered 413. @default 67108864 (64 MiB) */
  maxUploadBytes?: number;
  /**
   * Bytes of request bodies held at once, across every request in flight (each body has its own
   * limit too: 16 MiB for the API, `maxUploadBytes` for storage, both at most this). A body that
   * does not fit beside the others is answered 503 with `Retry-After: 1`. @default 134217728 (128 MiB)
   */
  bodyBytesInFlight?: number;
  /** Seconds an access token lives. @default 900 */
  accessTokenSeconds?: number;
  /** One line per request and per failed delivery; silent by default. @default none */
  log?: (line: string) => void;
  /** The OpenAPI document (JSON) to serve. @default the bundled `generated/openapi.json` */
  specPath?: string;
}

export interface RunningMock {
  /** `http://127.0.0.1:PORT`, the SDK's `baseUrl` for the mock (no `/v1`). */
  url: string;
  port: number;
  /** Milliseconds from the call to a listening, validating mock. */
  startupMs: number;
  /** Empties the state and restores the seed (as `POST /__mock/reset`). */
  reset(): void;
  /**
   * Answers of the mock that broke the contract (each was sent as a 500): a test asserts none.
   * The first 100 are kept; past them one last entry `{ operation: 'and K more', ... }` counts
   * the rest. Read afresh on each access; `reset()` empties it.
   */
  violations: ViolationRecord[];
  /** The last 1000 requests. */
  requests: RequestRecord[];
  /** Every event the state changes produced, and each webhook delivery. */
  events: unknown[];
  /** The emails the API would have sent (invites, password resets), with their tokens. */
  outbox: { to: string; subject: string; token: string; sentAt: string }[];
  deliveries: DeliveryRecord[];
  /** How many refreshes the mock answered. */
  refreshCount(): number;
  /**
   * The mock's clock, as `/__mock/clock` moves it but in numbers: `set(ms)` (ms since the epoch),
   * `advance(ms)` (ms), `freeze(frozen)` (a boolean); not the endpoint's texts (`'16m'`, an RFC
   * 3339 time), which throw a TypeError.
   */
  clock: Clock;
  /** The secret payment webhook signatures are verified with. */
  processorSecret: string;
  /** Resolves once queued webhook deliveries are done. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

const HANDLERS: Record<string, Handler> = { ...authRules, ...oauthRules, ...apiKeyRules, ...messagingRules, ...deviceRules, ...organizationRules, ...fileRules, ...billingRules };

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const started = Date.now();
  const specPath = options.specPath ?? bundledSpecPath('openapi.json');
  const contractLoading = loadContract(specPath);
  const start = options.clock === undefined ? undefined : parseTime(options.clock);
  if (options.clock !== undefined && start === undefined) throw new Error(`clock: expected an RFC 3339 time such as 2026-06-20T16:00:00Z, got ${JSON.stringify(options.clock)}`);
  const clock = createClock(options.now ?? Date.now, start);
  const now = clock.now;
  const log = options.log ?? (() => {});
  const spec = loadSpecModel(specPath);
  // Every operation's rules, read once: a spec the mock cannot enforce fails here, at start.
  const rules = new Map<string, OperationRules>(spec.operations.map((op) => [op.id, readRules(op, CHECK_NAMES)]));
  const processorSecret = options.processorSecret ?? `whsec_mock_${base62(24)}`;
  const store = createStore(options.collectionCap ?? DEFAULT_COLLECTION_CAP);
  const tokens = createTokens(now, options.accessTokenSeconds ?? ACCESS_TOKEN_SECONDS);
  const storageCap = options.storageCap ?? DEFAULT_STORAGE_CAP;
  const storage = createStorage(now, storageCap);
  const deliveries = createDeliveries(options.webhooks ?? {}, log);
  const seed = typeof options.seed === 'string' ? readSeedFile(options.seed) : options.seed;
  let origin = '';
  const outbox: { to: string; subject: string; token: string; sentAt: string }[] = [];
  const env: MockEnv = {
    spec,
    store,
    tokens,
    storage,
    now,
    origin: () => origin,
    emit: (type, organizationId, data) => deliveries.emit(type, organizationId, data, now()),
    mail: (to, subject, token) => {
      outbox.push({ to, subject, token, sentAt: new Date(now()).toISOString() });
      if (outbox.length > 1000) outbox.shift();
    },
    processorSecret,
    seededKeySecrets: seededKeySecrets(seed),
  };
  const handlers = new Map<string, Handler>();
  const handlerFor = (op: (typeof spec.operations)[number]) => {
    let h = handlers.get(op.id);
    if (!h) handlers.set(op.id, (h = HANDLERS[op.id] ?? genericHandler(op, spec) ?? exampleHandler(op, spec)));
    return h;
  };
  const idempotency = createIdempotencyStore();
  // Rate-limit windows measure the caller's real pace, so they run on real time, never on the
  // movable clock: a client compares X-RateLimit-Reset with its own clock, and a reset in mock
  // time (16 minutes ahead after an advance) made the SDK refuse calls for that distance.
  const limiter = createRateLimiter(options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit, Date.now);
  const violations = createViolationLog();
  const requests: RequestRecord[] = [];
  const reset = () => {
    store.clear();
    tokens.clear();
    storage.clear();
    idempotency.clear();
    limiter.clear();
    deliveries.clear();
    outbox.length = 0;
    violations.clear();
    applySeed(store, spec, seed);
    applyExampleSecrets(tokens, storage);
  };
  applySeed(store, spec, seed);
  applyExampleSecrets(tokens, storage);
  const pipeline: Pipeline = { env, contract: await contractLoading, idempotency, handlerFor, rulesFor: (op) => rules.get(op.id)!, violations };
  const host = options.host ?? '127.0.0.1';
  const bodies = createBodyBudget(options.bodyBytesInFlight ?? DEFAULT_BODY_BYTES_IN_FLIGHT);
  const memory = () => ({
    state: { bytes: store.bytes(), cap: DEFAULT_STATE_BYTES },
    idempotency: { bytes: idempotency.bytes(), cap: DEFAULT_IDEMPOTENCY_BYTES },
    events: { bytes: deliveries.bytes(), cap: DEFAULT_EVENT_BYTES },
    storage: { bytes: storage.bytes(), cap: storageCap },
    bodies: { bytes: bodies.bytes(), cap: bodies.cap },
    gone: { bytes: store.goneBytes(), cap: DEFAULT_GONE_BYTES },
  });
  const control = {
    clock,
    reset,
    events: deliveries.events,
    outbox,
    get violations() {
      return violations.list();
    },
    counts: () => store.counts(),
    memory,
    processorSecret,
  };
  const server = createMockServer(
    {
      pipeline,
      limiter,
      policy: { corsOrigins: options.corsOrigins ?? [], loopbackOnly: isLoopback(host) },
      log,
      maxUploadBytes: Math.min(storageCap, bodies.cap, options.maxUploadBytes ?? 64 * 1024 * 1024),
      bodies,
      control: (method, path, body, id) => controlAnswer(control, method, path, body, id),
    },
    requests,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: origin,
    port,
    startupMs: Date.now() - started,
    reset,
    get violations() {
      return violations.list();
    },
    requests,
    events: deliveries.events,
    outbox,
    deliveries: deliveries.records,
    refreshCount: () => tokens.refreshCount,
    clock,
    processorSecret,
    webhooksIdle: () => deliveries.idle(),
    close: () =>
      new Promise<void>((resolve) => {
        deliveries.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
