// The one place a call's options meet the client's. Every entry (resource methods, the raw
// client, file transfers, the session helpers) hands the pipeline the caller's RequestOptions
// whole; what the loop reads of them is decided here, as openai-node and ky merge their
// request options in one function. A call that gives nothing shares the client's settings
// object: no allocation on the hot path.
import { lowerCaseHeaders } from '../transport/outgoing.js';
import { callLimits, type Limits } from '../util/validate.js';
import { joinHooks, type HookList } from './hooks.js';
import type { RequestOptions } from '../public/request-options.js';

/** What one call runs with. */
export interface CallSettings extends Limits {
  signal: AbortSignal | undefined;
  /** The client's hooks, then the call's; undefined when neither gave any. */
  hooks: HookList | undefined;
}

/** The call's settings: its options, checked like the client's, over the client's. */
export function settle(client: CallSettings, options: RequestOptions | undefined): CallSettings {
  if (options === undefined) return client;
  const { signal, hooks } = options;
  if (signal === undefined && hooks === undefined && options.maxRetries === undefined && options.timeout === undefined && options.deadline === undefined) {
    return client;
  }
  return { ...callLimits('options.', options, client), signal, hooks: joinHooks(client.hooks, hooks, 'options.hooks') };
}

/**
 * The headers of a call's API request: the call's `headers`, then what the entry must send
 * (the JSON content type), the call's one `Idempotency-Key` where the operation takes one
 * (Stripe's rule: one per call, the same on every attempt; the caller's own wins), then the
 * client's `headers` where the call set none of the same name.
 */
export function callHeaders(
  entry: Record<string, string>,
  options: RequestOptions | undefined,
  idempotent: boolean | undefined,
  client: readonly (readonly [string, string])[],
): Record<string, string> {
  const own = options?.headers;
  if (!own && !idempotent && client.length === 0) return entry;
  const headers = own ? { ...lowerCaseHeaders(own), ...entry } : { ...entry };
  if (idempotent && !('idempotency-key' in headers)) headers['idempotency-key'] = options?.idempotencyKey || globalThis.crypto.randomUUID();
  for (const [name, value] of client) if (!(name in headers)) headers[name] = value;
  return headers;
}
