// The Node entry of `@coveton/sdk` (the `node` export condition): the same surface as
// ./index.ts, but `createCoveton` sends through undici's dispatcher (src/transport/node-undici.ts), with
// proxy support, instead of `fetch`. A `fetch` passed in the options still wins, a Blob body
// streamed to it a slice at a time (src/transport/node-fetch.ts).
import { buildClient } from './client.js';
import { nodeFetchSend } from './transport/node-fetch.js';
import { undiciSend } from './transport/node-undici.js';
import { isNode } from './util/runtime.js';

export * from './index.js';
import type { Coveton } from './public/client.js';
import type { CovetonOptions } from './public/options.js';

// Bun and Deno answer to the `node` condition too, but keep their own fetch.
const inNode = isNode();

/**
 * Creates a Coveton client.
 * @example
 * const coveton = createCoveton({ apiKey: process.env.COVETON_API_KEY, environment: 'sandbox' });
 * const key = await coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
 * for await (const k of coveton.apiKeys.list({ status: 'active' })) console.log(k.name);
 */
export function createCoveton(options: CovetonOptions = {}): Coveton {
  return buildClient(options, inNode ? (config) => (config.customFetch ? nodeFetchSend(config.fetch) : undiciSend(config)) : undefined);
}
