// A session ended by another client on a shared token store (another tab's refused refresh, or
// a sign-out there) is told to this client's onSessionExpired too, once, when it next reads the
// store. Before, only the client whose own refresh was refused heard: every other tab went on
// without a session ("There is no session", or a 401 with no credential) and was never told.
// A sign-out through this client itself is not an expiry, even when a read it started before
// answers after. Against the stateful auth server of ../support (real HTTP).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionExpiredError, UnauthorizedError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { gate } from '../support/wire-gate.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';

let server: AuthServer;
afterEach(() => server?.close());

const client = (options: CovetonOptions) => createCoveton({ baseUrl: server.url, logLevel: 'off', maxRetries: 0, ...options });

/** One store two tabs share, with an async lock, as the sessions guide asks for. */
function sharedStore(initial: SessionTokens | undefined): TokenStore & { held(): SessionTokens | undefined } {
  let current = initial;
  let tail = Promise.resolve();
  return {
    get: async () => current,
    set: async (tokens) => void (current = tokens),
    lock<T>(fn: () => Promise<T>) {
      const run = tail.then(fn);
      tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    held: () => current,
  };
}

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('a session ended by another client on the same store', () => {
  it("another tab's refresh refused: that tab and this one each hear onSessionExpired once; one refresh was sent", async () => {
    server = await startAuthServer();
    const tokens = server.issue();
    const store = sharedStore(tokens);
    const [heardA, heardB] = [vi.fn(), vi.fn()];
    const a = client({ tokenStore: store, onSessionExpired: heardA });
    const b = client({ tokenStore: store, onSessionExpired: heardB });
    expect(await b.session.tokens()).toEqual(tokens); // b knows the session
    server.revoke(tokens.refreshToken); // signed out everywhere: a's next call confirms it with one refresh
    expect(await rejection(a.users.getCurrent())).toMatchObject({ name: 'SessionExpiredError', reason: 'session_revoked' });
    expect(store.held()).toBeUndefined();
    // b's next call reads the store its neighbour cleared.
    expect(await rejection(b.users.getCurrent())).toBeInstanceOf(UnauthorizedError);
    expect(await rejection(b.users.getCurrent())).toBeInstanceOf(UnauthorizedError);
    expect(heardA).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(heardB).toHaveBeenCalled()); // told once the refresh code has loaded
    expect(heardB).toHaveBeenCalledTimes(1);
    expect(heardB.mock.calls[0]![0]).toBeInstanceOf(SessionExpiredError);
    expect(heardB.mock.calls[0]![0]).toMatchObject({ reason: undefined, message: expect.stringContaining('Another client sharing the token store ended the session') });
    expect(server.refreshes).toHaveLength(1);
  });

  it('both tabs refreshing at once: the one that waited for the lock finds no session and hears it too, one refresh in all', async () => {
    server = await startAuthServer();
    const tokens = server.issue({ expired: true });
    server.revoke(tokens.refreshToken);
    const store = sharedStore(tokens);
    const [heardA, heardB] = [vi.fn(), vi.fn()];
    const a = client({ tokenStore: store, onSessionExpired: heardA });
    const b = client({ tokenStore: store, onSessionExpired: heardB });
    const outcomes = await Promise.all([rejection(a.users.getCurrent()), rejection(b.users.getCurrent())]);
    expect(outcomes.every((o) => o instanceof SessionExpiredError)).toBe(true);
    await vi.waitFor(() => expect(heardB).toHaveBeenCalled());
    expect(heardA).toHaveBeenCalledTimes(1);
    expect(heardB).toHaveBeenCalledTimes(1);
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
  });

  it('a sign-out in the other tab: this tab hears it once at its next call; the tab that signed out does not', async () => {
    server = await startAuthServer();
    const store = sharedStore(server.issue());
    const [heardA, heardB] = [vi.fn(), vi.fn()];
    const a = client({ tokenStore: store, onSessionExpired: heardA });
    const b = client({ tokenStore: store, onSessionExpired: heardB });
    await b.users.getCurrent();
    await a.session.logout();
    expect(heardB).not.toHaveBeenCalled(); // not read yet: nothing is polled
    await rejection(b.users.getCurrent());
    await rejection(b.users.getCurrent());
    await rejection(a.users.getCurrent());
    await vi.waitFor(() => expect(heardB).toHaveBeenCalled());
    expect(heardB).toHaveBeenCalledTimes(1);
    expect(heardA).not.toHaveBeenCalled();
  });

  it('a sign-out through this client is no expiry, even when a read it began before the sign-out answers after it', async () => {
    server = await startAuthServer();
    const shared = sharedStore(server.issue());
    const slow = gate();
    let holdNext = false;
    const store: TokenStore = {
      ...shared,
      get: async () => {
        const value = shared.get();
        if (holdNext) (holdNext = false, slow.arrive(), await slow.released);
        return value;
      },
    };
    const heard = vi.fn();
    const coveton = client({ tokenStore: store, onSessionExpired: heard });
    await coveton.users.getCurrent();
    holdNext = true;
    const call = coveton.users.getCurrent(); // its read holds the pair, answered after the logout
    await slow.reached;
    await coveton.session.logout();
    slow.release();
    await call.catch(() => undefined);
    await rejection(coveton.users.getCurrent());
    expect(shared.held()).toBeUndefined();
    expect(heard).not.toHaveBeenCalled();
  });

  it('an onSessionExpired that throws changes nothing for the call: it fails as it would have', async () => {
    server = await startAuthServer();
    const store = sharedStore(server.issue());
    const throwing = vi.fn(() => {
      throw new Error('the app broke');
    });
    const a = client({ tokenStore: store });
    const b = client({ tokenStore: store, onSessionExpired: throwing });
    await b.users.getCurrent();
    await a.session.logout();
    expect(await rejection(b.users.getCurrent())).toBeInstanceOf(UnauthorizedError);
    await vi.waitFor(() => expect(throwing).toHaveBeenCalledTimes(1));
    expect(await rejection(b.users.getCurrent())).toBeInstanceOf(UnauthorizedError);
  });
});
