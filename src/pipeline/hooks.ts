// The hooks (`onRequest`, `onResponse`, `onRetry`) of a client and of a call, run for every
// attempt the loop makes. Hooks observe: one that throws, or whose promise rejects, is logged
// and the call goes on as if it were not there, so a tracing bug never fails a request. Events
// are built only when a hook is set: a client without hooks pays one `undefined` check per attempt.
import { CovetonInputError, errorName } from '../errors/base.js';
import { redact, REDACTED } from '../util/redact.js';
import { assertHeader, CREDENTIAL_HEADERS } from './identity.js';
import type { Hooks } from '../public/events.js';
import type { Logger } from '../public/logger.js';

/** The hooks of one call: the client's, then the call's own. */
export type HookList = readonly Hooks[];

/**
 * Checks `hooks` (each one given must be a function) and adds it to `list`. What could never
 * fire is refused too (hostile reviews #9 and s34 #5): an array (of hook objects), and a function
 * under a key that begins with "on" in any case but is no hook: a case variant (`onrequest`,
 * `OnError`), a misspelling (`onResponce`) or a DOM habit (`onerror`, `onsuccess`). Whatever
 * else the object holds is left alone: state the hooks keep for themselves (`this.spans`), also
 * under an "on" name (`onHold: []`, `ongoing: new Set()`), and helpers not named "on...".
 */
export function joinHooks(list: HookList | undefined, hooks: Hooks | undefined, where: string): HookList | undefined {
  if (hooks === undefined) return list;
  const bad = (h: unknown) => h !== undefined && typeof h !== 'function';
  if (typeof hooks !== 'object' || !hooks || Array.isArray(hooks) || bad(hooks.onRequest) || bad(hooks.onResponse) || bad(hooks.onRetry)) {
    throw new CovetonInputError(where, 'must be an object whose onRequest, onResponse and onRetry are functions');
  }
  for (const key in hooks) {
    if (/^on/i.test(key) && typeof hooks[key as keyof Hooks] == 'function' && !/^on(Request|Response|Retry)$/.test(key)) throw new CovetonInputError(`${where}.${key}`, 'is not a hook: onRequest, onResponse or onRetry');
  }
  return list ? [...list, hooks] : [hooks];
}

/**
 * `setHeader` of an `onRequest` event. Hooks observe: what it refuses, it throws inside the hook,
 * so the call goes on without it and the failure is logged as any hook's (hostile review #4). A
 * value or name that could not be sent (CR, LF, NUL, above U+00FF; not a token) failed the
 * whole call at the later header check; a credential header decided who the call ran as (the
 * SDK's authenticators leave a credential they find on the request alone); a connection header
 * failed the call or sent it to another host; the others change what the request means or how
 * it is retried (the list: ./identity.ts).
 */
export const headerSetter = (headers: Record<string, string>) => (name: string, value: string) => {
  const key = String(name).toLowerCase();
  assertHeader(key, value, true);
  headers[key] = value;
};

/** Runs one kind of hook, in order; a failure is logged, never thrown. */
export function emit<K extends keyof Hooks>(list: HookList, name: K, event: Parameters<NonNullable<Hooks[K]>>[0], logger: Logger): void {
  const failed = (error: unknown) => logger.warn('a hook failed; the call goes on', { hook: name, error: errorName(error) });
  for (const hooks of list) {
    try {
      const result = (hooks[name] as ((e: typeof event) => unknown) | undefined)?.(event) as Promise<unknown> | undefined;
      if (typeof result?.then === 'function') result.then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  }
}

/** The headers a hook is shown: credential headers and known secrets redacted. */
export function shownHeaders(headers: Record<string, string>, secrets: readonly (string | undefined)[]): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const name in headers) shown[name] = CREDENTIAL_HEADERS.test(name) ? REDACTED : redact(headers[name]!, secrets);
  return shown;
}
