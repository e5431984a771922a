// A gate that holds requests, and a fetch that holds requests to one path "on the wire" until the test lets them go: the way
// the session tests put a refresh, a logout or a call in flight while something else happens
// (a sign-in, a logout, another process's write) and then decide when it lands.

/** A point to hold requests at: `arrive()` settles `reached`, `release()` settles `released`. */
export function gate() {
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { reached, arrive, released, release };
}

export interface WireGate {
  /** Resolves once the first request to the path has arrived at the gate. */
  reached: Promise<void>;
  /** Lets every held request, and every later one, go on. */
  release(): void;
  /** The fetch to hand to createCoveton. */
  fetch: (request: Request) => Promise<Response>;
}

/**
 * Holds every request to `path` until `release()`; the others go straight to the server. With
 * `answerFirst`, the first held request is answered by it instead of the server (a scripted 401,
 * say); the rest reach the server.
 */
export function holdOnTheWire(path: string, answerFirst?: () => Response): WireGate {
  const { reached, arrive, released, release } = gate();
  let first = true;
  const gated = async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname !== path) return fetch(request);
    const scripted = first && answerFirst;
    first = false;
    arrive();
    await released;
    return scripted ? scripted() : fetch(request);
  };
  return { reached, release, fetch: gated };
}
