// Request bodies in flight, bounded in total. Each body has its own limit (16 MiB for the API, the
// upload limit for storage), but before this budget nothing bounded their sum: a runaway or
// hostile client in a partner's CI opening many slow or large uploads at once made the mock
// buffer them all, up to the process's memory (gap left by the byte caps of the stores, guide
// "Memory"). Every body the mock reads takes its share here first, and gives it back when its
// request is answered or its client goes away (server.ts releases a request's lease however
// it ends), so `GET /__mock/memory` (`bodies`) shows what is held now.
//
// A body that declares its length (Content-Length) takes all of it before a byte is read: that
// is what the mock will hold once it is in, and refusing early costs no reading. A chunked body,
// whose length is known only at its end, takes its bytes as they arrive.
import type { IncomingMessage } from 'node:http';

/** Bytes of request bodies the mock holds at once, across every request in flight. */
export const DEFAULT_BODY_BYTES_IN_FLIGHT = 128 * 1024 * 1024;

/** One request's share of the budget. */
export interface Lease {
  /** Takes `bytes` more, or nothing when they do not fit beside the other requests' shares. */
  take(bytes: number): boolean;
  /** Gives the whole share back; later calls do nothing. */
  release(): void;
}

export interface BodyBudget {
  readonly cap: number;
  /** The bytes the leases hold now. */
  bytes(): number;
  lease(): Lease;
}

export function createBodyBudget(cap = DEFAULT_BODY_BYTES_IN_FLIGHT): BodyBudget {
  let held = 0;
  return {
    cap,
    bytes: () => held,
    lease() {
      let mine = 0;
      let open = true;
      return {
        take(bytes) {
          if (!open || held + bytes > cap) return false;
          held += bytes;
          mine += bytes;
          return true;
        },
        release() {
          if (!open) return;
          open = false;
          held -= mine;
          mine = 0;
        },
      };
    },
  };
}

/** A body read whole, or why not: over its own limit (413), or no room beside the others (503). */
export type BodyRead = { body: Buffer } | { refused: 'too-large' | 'busy' };

/** The declared Content-Length, when it is plain decimal digits (Node refuses a malformed one). */
function declared(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads `req`'s body, at most `limit` bytes, within `lease`. A client that goes away mid-body
 * makes the read throw (Node ends the request stream with an error): the caller's request ends,
 * and with it the lease.
 */
export async function readBody(req: IncomingMessage, limit: number, lease: Lease): Promise<BodyRead> {
  const length = declared(req);
  if (length !== undefined && length > limit) return { refused: 'too-large' };
  if (length !== undefined && !lease.take(length)) return { refused: 'busy' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limit) return { refused: 'too-large' };
    if (length === undefined && !lease.take(bytes.length)) return { refused: 'busy' };
    chunks.push(bytes);
  }
  return { body: Buffer.concat(chunks) };
}
