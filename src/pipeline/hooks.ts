// The hooks (`onRequest`, `onResponse`, `onRetry`) of a client and of a call, run for every
// attempt the loop makes. Hooks observe: one that throws, or whose promise rejects, is logged
// and the call goes on as if it were not there, so a tracing bug never fails a request. Events
// are built only when a hook is set: a client without hooks pays one `undefined` check per attempt.
import { CovetonInputError, errorName } from '../errors/base.js';
import { redact, REDACTED } from '../util/redact.js';
import type { Hooks } from '../public/events.js';
import type { Logger } from '../public/logger.js';

/** The hooks of one call: the client's, then the call's own. */
export type HookList = readonly Hooks[];

/** Headers that carry credentials whoever set them: a hook never sees their values. */
const CREDENTIAL_HEADERS = /^(authorization|x-api-key|cookie|proxy-authorization)$/;

/** Checks `hooks` (each one given must be a function) and adds it to `list`. */
export function joinHooks(list: HookList | undefined, hooks: Hooks | undefined, where: string): HookList | undefined {
  if (hooks === undefined) return list;
  const bad = (h: unknown) => h !== undefined && typeof h !== 'function';
  if (typeof hooks !== 'object' || !hooks || bad(hooks.onRequest) || bad(hooks.onResponse) || bad(hooks.onRetry)) {
    throw new CovetonInputError(where, 'must be an object whose onRequest, onResponse and onRetry are functions');
  }
  return list ? [...list, hooks] : [hooks];
}

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
