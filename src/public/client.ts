// The client type that createCoveton returns.
import type { Client } from 'openapi-fetch';
import type { ClientPaths, Resources } from '../../generated/resources.js';
import type { FileHelpers } from './files.js';
import type { RateLimitInfo } from './rate-limit.js';
import type { SessionHelpers } from './session.js';


/** The client: the typed openapi-fetch methods (`GET`, `POST`, ...) plus one object per resource. */
export type Coveton = RawClient &
  Omit<Resources, 'files'> & {
    /** The files operations, plus `upload` and `download` that move the bytes to and from storage. */
    readonly files: Resources['files'] & FileHelpers;
    /** The rate-limit figures of the last response, or undefined before the first. */
    readonly rateLimit: RateLimitInfo | undefined;
    /** Sign in, out, and read the current token pair. */
    readonly session: SessionHelpers;
  };


/**
 * openapi-fetch's typed methods. `use`/`eject` are not offered: middleware would run for this
 * client alone. The init takes `params`, `headers`, `body`, `parseAs` (`'json'` or `'text'`) and
 * the per-call options (`signal`, `timeout`, `deadline`, `maxRetries`, `idempotencyKey`, `hooks`);
 * any other key the types accept (`baseUrl`, `fetch`, the serializers, `middleware`, fetch's
 * `credentials`, `keepalive`, `redirect`, `cache`, `mode`, `priority`...) is refused with a
 * CovetonInputError naming it, as are query values other than strings, numbers and booleans, a
 * body the operation does not take and a missing one it requires. An HTTP error is `{ error }`,
 * the redacted envelope of the SDK's typed error, set for every 4xx/5xx, never a rejection
 * (`response` hides only known secrets: log `error`).
 */
export type RawClient = Pick<Client<ClientPaths>, 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH'>;
