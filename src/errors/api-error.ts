import type { components } from '@coveton/sdk/schema';
import { CovetonError } from './base.js';
import type { RateLimitInfo } from '../public/rate-limit.js';

type ErrorEnvelope = components['schemas']['Error']['error'];
/** The stable error codes of the API. */
export type ErrorCode = components['schemas']['ErrorCode'];
/** The finer cause of a 401 or 403. */
export type ErrorReason = components['schemas']['ErrorReason'];
/** One failing field of a `VALIDATION` error. */
export type ValidationIssue = components['schemas']['ValidationIssue'];

export interface APIErrorInit {
  status: number;
  code: ErrorCode | undefined;
  message: string;
  headers: Headers;
  requestId: string | undefined;
  reason: ErrorReason | undefined;
  details: ValidationIssue[] | undefined;
  rateLimit: RateLimitInfo | undefined;
  retryAfterMs: number | undefined;
  /** The error envelope as the server sent it, with every string redacted; undefined for a foreign body. */
  body: ErrorEnvelope | undefined;
  /** `METHOD /path`, without host or query string. */
  endpoint: string;
}

/**
 * The server answered with a 4xx or 5xx. Subclasses name the code; `status`, `code`,
 * `requestId`, `headers` and `rateLimit` are on every one.
 */
// The fields below are `declare`d: each constructor assigns every one, in this order, so an
// error has the same own properties in the same order as with field declarations, and the
// bundle no longer lists their names once more (the minifier cannot shorten property names).
export class APIError extends CovetonError {
  override name = 'APIError';
  declare readonly status: number;
  /** The API's error code: the envelope's when the SDK knows it, else the one the status stands for; undefined on a plain APIError (a status the API does not name). */
  declare readonly code: ErrorCode | undefined;
  declare readonly requestId: string | undefined;
  /** The response's headers as sent, but with every known secret (the key, the tokens, what an authenticator declares) shown as `[REDACTED]`. */
  declare readonly headers: Headers;
  /** Rate-limit figures of the failed response, when it carried them. */
  declare readonly rateLimit: RateLimitInfo | undefined;
  declare readonly endpoint: string;
  /** The finer cause the API gave, on 401s and 403s (e.g. `token_expired`, `ip_not_allowed`). */
  declare readonly reason: ErrorReason | undefined;
  /** The parsed error envelope (`{ code, message, reason?, details?, requestId? }`), redacted; undefined when the body was not one. */
  declare readonly body: ErrorEnvelope | undefined;

  constructor(init: APIErrorInit) {
    super(`${init.status}${init.code ? ` ${init.code}` : ''} on ${init.endpoint}: ${init.message}`);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.headers = init.headers;
    this.rateLimit = init.rateLimit;
    this.endpoint = init.endpoint;
    this.reason = init.reason;
    this.body = init.body;
  }
}

/** 400 `BAD_REQUEST`: malformed request or unsupported parameters. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}

/** 401 `UNAUTHORIZED`: missing, expired or invalid credential; `reason` says which. */
export class UnauthorizedError extends APIError {
  override name = 'UnauthorizedError';
}

/** 403 `FORBIDDEN`: authenticated but not allowed; `reason` (e.g. `insufficient_scope`, `ip_not_allowed`) says why. */
export class ForbiddenError extends APIError {
  override name = 'ForbiddenError';
}

/** 404 `NOT_FOUND`: no such resource, or another organization's. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}

/** 409 `CONFLICT`: a state conflict (duplicate, stale write, final state). Never retried. */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}

/** 422 `VALIDATION`: `details` lists each failing field. */
export class ValidationError extends APIError {
  override name = 'ValidationError';
  declare readonly details: ValidationIssue[];
  constructor(init: APIErrorInit) {
    super(init);
    this.details = init.details ?? [];
  }
  // toJSON is CovetonError's, which carries every own field: `details` here, `retryAfterMs` below.
}

/** 429 `RATE_LIMITED`: `retryAfterMs` says how long to wait; `rateLimit` has the figures. */
export class RateLimitedError extends APIError {
  override name = 'RateLimitedError';
  /** Milliseconds the server asked to wait (`Retry-After`), when it said. */
  declare readonly retryAfterMs: number | undefined;
  constructor(init: APIErrorInit) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx `INTERNAL` (or a gateway's 502/503/504): retried when the request is safe to repeat. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

export type { ErrorEnvelope };
