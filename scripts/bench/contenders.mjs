// The ways to make the same request: hand-written fetch; the same with a timeout signal
// (AbortSignal.timeout(60 s), the hand-written equal of the SDK's per-attempt timeout, whose
// signal is a cost of its own); bare openapi-fetch; undici's Pool.request() (the floor: the
// engine under Node's fetch, with nothing on top); stripe-node's rawRequest (the fastest peer
// SDK, node:http with a keep-alive agent); and the SDK's resource method with every feature on
// (auth, idempotency keys, retries, rate-limit tracking, error mapping: the defaults), once
// from its Node entry (`sdk`, undici transport) and once from the fetch entry that browsers,
// Deno, Bun and workers use (`sdk-fetch`). Each call checks the status and parses the JSON, as
// real code would. The wire is the same for all but stripe, which form-encodes its POST body:
// Authorization, and for the POST a body, Content-Type and a fresh Idempotency-Key.
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import Stripe from 'stripe';
import { Pool } from 'undici';
import { API_KEY, ROOT, SDK_ENTRY } from './child.mjs';

export const NAMES = ['fetch', 'fetch+timeout', 'openapi-fetch', 'undici-pool', 'stripe', 'sdk-fetch', 'sdk'];
/** The SDK's Node build (the `node` export condition). */
export const SDK_NODE_ENTRY = join(ROOT, 'dist', 'index.node.js');
const TIMEOUT = 60_000;

export const NEW_KEY = { name: 'CI', type: 'service', environment: 'sandbox' };

/** The SDK as users run it: the built dist/ (index.mjs builds it when stale). */
export async function loadSdk() {
  return import(SDK_ENTRY);
}

export async function makeContenders(baseUrl) {
  const { createCoveton: createFetchCoveton } = await loadSdk();
  const { createCoveton } = await import(SDK_NODE_ENTRY);
  const auth = `Bearer ${API_KEY}`;
  const getUrl = `${baseUrl}/api-keys/key_1`;
  const postUrl = `${baseUrl}/api-keys`;

  // openapi-fetch typed with our generated `paths` in TypeScript; at run time the types are gone.
  const raw = createClient({ baseUrl, headers: { Authorization: auth } });
  const sdk = createCoveton({ baseUrl, apiKey: API_KEY, logLevel: 'off' });
  const sdkFetch = createFetchCoveton({ baseUrl, apiKey: API_KEY, logLevel: 'off' });
  const pool = new Pool(baseUrl);
  const { hostname, port } = new URL(baseUrl);
  const stripe = new Stripe(API_KEY, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 2 });
  const poolCall = async (options) => {
    const { statusCode, body } = await pool.request(options);
    if (statusCode >= 300) throw new Error(`HTTP ${statusCode}`);
    return body.json();
  };

  const get = {
    fetch: async () => {
      const res = await fetch(getUrl, { headers: { Authorization: auth } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    'fetch+timeout': async () => {
      const res = await fetch(getUrl, { headers: { Authorization: auth }, signal: AbortSignal.timeout(TIMEOUT) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    'openapi-fetch': async () => {
      const { data, error } = await raw.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
      if (error !== undefined) throw new Error('openapi-fetch call failed');
      return data;
    },
    'undici-pool': () => poolCall({ path: '/api-keys/key_1', method: 'GET', headers: { authorization: auth } }),
    stripe: () => stripe.rawRequest('GET', '/api-keys/key_1'),
    'sdk-fetch': () => sdkFetch.apiKeys.get('key_1'),
    sdk: () => sdk.apiKeys.get('key_1'),
  };

  const post = {
    fetch: async () => {
      const res = await fetch(postUrl, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(NEW_KEY),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    'fetch+timeout': async () => {
      const res = await fetch(postUrl, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(NEW_KEY),
        signal: AbortSignal.timeout(TIMEOUT),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    'openapi-fetch': async () => {
      const { data, error } = await raw.POST('/api-keys', {
        body: NEW_KEY,
        params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
      });
      if (error !== undefined) throw new Error('openapi-fetch call failed');
      return data;
    },
    'undici-pool': () =>
      poolCall({
        path: '/api-keys',
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify(NEW_KEY),
      }),
    stripe: () => stripe.rawRequest('POST', '/api-keys', NEW_KEY, { idempotencyKey: crypto.randomUUID() }),
    'sdk-fetch': () => sdkFetch.apiKeys.create(NEW_KEY),
    sdk: () => sdk.apiKeys.create(NEW_KEY),
  };

  return { get, post, sdk };
}

/** Checks once that every contender gets the right answer, so that a broken one cannot look fast. */
export async function verify(contenders) {
  for (const [op, want] of [['get', 'key_1'], ['post', 'key_2']]) {
    for (const name of NAMES) {
      const data = await contenders[op][name]();
      if (data?.id !== want) throw new Error(`${name} ${op}: expected id ${want}, got ${JSON.stringify(data)?.slice(0, 80)}`);
    }
  }
}
