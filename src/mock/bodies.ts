// Request bodies in flight, bounded in total. Each body has its own limit (16 MiB for the API, the
// upload limit for storage), but before this budget nothing bounded their sum: a runaway or
// hostile client in a partner's CI opening many slow or large uploads at once made the mock
// buffer them all, up to the process's memory (gap left by the byte caps of the stores, guide
// "Memory"). Every body the mock reads takes its share here first, and gives it back when its
// request is answered or its client goes away (server.ts releases a request's lease however
// it ends), so `GET /__mock/memory` (`bodies`) shows what is held now.
//
// A body takes its bytes as they arrive, declared length or not: holding the budget costs sending
// them. Reserving a declared Content-Length before any byte came let 8 sockets that declared
// 16 MiB each and sent nothing (about 1 KB) hold the whole 128 MiB, and every other body got a
// 503 for up to Node's requestTimeout (300 s), renewable by reconnecting (hostile review,
// declared-hold). A declared length over the body's own limit is still a 413 at once.
//
// And a body may not stall: BODY_IDLE_MS without a byte is a 408 that gives its share back, so
// bytes once sent cannot hold the budget for free either.
import type { IncomingMessage } from 'node:http';

/** Bytes of request bodies the mock holds at once, across every request in flight. */
export const DEFAULT_BODY_BYTES_IN_FLIGHT = 128 * 1024 * 1024;

/**
 * How long a body may go without a byte before the mock stops waiting (408). On loopback, where
 * the mock runs, a client sends its body right behind its head, and one streaming a file sends
 * continually: 5 s with nothing is a client that stopped (or one holding the budget), not a slow
 * one, while even a loaded 2-core CI runner does not pause a sending process that long. Far below
 * Node's requestTimeout (300 s), which was the only bound before.
 */
export const BODY_IDLE_MS = 5000;

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

/**
 * A body read whole, or why not: over its own limit (413), no room beside the others (503), or
 * no byte for BODY_IDLE_MS (408).
 */
export type BodyRead = { body: Buffer } | { refused: 'too-large' | 'busy' | 'stalled' };

/** The declared Content-Length, when it is plain decimal digits (Node refuses a malformed one). */
function declared(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads `req`'s body, at most `limit` bytes, within `lease`, each byte taken as it arrives. A
 * client that goes away mid-body makes the read throw: the caller's request ends, and with it
 * the lease.
 */
export function readBody(req: IncomingMessage, limit: number, lease: Lease, idleMs = BODY_IDLE_MS): Promise<BodyRead> {
  const length = declared(req);
  if (length !== undefined && length > limit) return Promise.resolve({ refused: 'too-large' });
  return new Promise<BodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let lastByteAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      req.pause();
    };
    const finish = (read: BodyRead) => {
      stop();
      resolve(read);
    };
    // The timer fires in the timers phase, before the poll phase reads what came meanwhile: after
    // the mock's own event loop was busy past idleMs, a byte may be waiting. setImmediate runs
    // after that poll, so only a body that really sent nothing is refused.
    const arm = (wait: number) => {
      timer = setTimeout(() => {
        setImmediate(() => {
          const idle = Date.now() - lastByteAt;
          if (idle >= idleMs) finish({ refused: 'stalled' });
          else arm(idleMs - idle);
        });
      }, wait);
    };
    const onData = (bytes: Buffer) => {
      lastByteAt = Date.now();
      size += bytes.length;
      if (size > limit) return finish({ refused: 'too-large' });
      if (!lease.take(bytes.length)) return finish({ refused: 'busy' });
      chunks.push(bytes);
    };
    const onEnd = () => finish({ body: Buffer.concat(chunks) });
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      if (!req.complete) onError(new Error('the client went away mid-body'));
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    arm(idleMs);
  });
}
