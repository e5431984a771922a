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
 * client alone. Of the per-call options, `parseAs` takes `'json'` or `'text'`; `baseUrl`,
 * `fetch`, `querySerializer`, `bodySerializer`, `pathSerializer` and `middleware` are refused
 * with a CovetonInputError, as are query values other than strings, numbers and booleans.
 */
export type RawClient = Pick<Client<ClientPaths>, 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH'>;
