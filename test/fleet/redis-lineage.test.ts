// The lineage of a pair through redisTokenStore, against a real redis-server: another process's
// refresh of the pair a request carried keeps its lineage (the request is sent again with the
// refreshed pair), another process's sign-in starts a new one (the request fails with its 401,
// not sent as that user). A pair stored without a lineage (by an earlier version) is read, used
// and renewed. The scripted API is ../support/lineage-server.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { UnauthorizedError, createCoveton } from '../../src/index.js';
import { redisTokenStore } from '../../src/redis/index.js';
import { jwt } from '../support/auth-server.js';
import { startLineageServer, twoClients, type LineageServer } from '../support/lineage-server.js';
import { redisFixture } from './redis-server.js';

const fixture = redisFixture();
let server: LineageServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const onKey = (key: string) => () => redisTokenStore(fixture.client, { key, cacheFor: 0 });

describe('redisTokenStore: the lineage another process sees', () => {
  it('another process refreshed the pair the request carried: the request is sent again with its refreshed pair', async () => {
    server = await startLineageServer();
    const { outcome } = await twoClients(server, onKey('k:lineage:refresh'), 'refreshes');
    expect(outcome).toMatchObject({ id: 'usr_1' });
    expect(server.refreshed).toEqual(['rt_B1_xxxxxxxxxxxxxxxx']);
    expect(server.me).toEqual(['B1', 'B1r1', 'B1r1']);
  });

  it('another process signed in: the request fails with its 401 (token_expired) and is not sent as that user', async () => {
    server = await startLineageServer();
    const { outcome, expired, stored } = await twoClients(server, onKey('k:lineage:sign-in'), 'signs in');
    expect(outcome).toBeInstanceOf(UnauthorizedError);
    expect((outcome as UnauthorizedError).reason).toBe('token_expired');
    expect(server.me).toEqual(['B1']);
    expect(server.refreshed).toEqual([]);
    expect(expired).toBe(0);
    expect(stored?.refreshToken).toBe('rt_B2_xxxxxxxxxxxxxxxx');
  });

  it('a pair stored without a lineage (as an earlier version wrote it) is used, and a request carrying it is renewed within it', async () => {
    server = await startLineageServer();
    const key = 'k:lineage:old-format';
    // The bytes an earlier version's store wrote: the tokens and nothing else.
    const old = redisTokenStore(fixture.client, { key });
    await old.set({ accessToken: jwt(Math.floor(Date.now() / 1000) + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    expect(await fixture.client.hGet(old.key, 'pair')).not.toContain('lineage');
    const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', maxRetries: 0, tokenStore: redisTokenStore(fixture.client, { key, cacheFor: 0 }) });
    const call = coveton.users.getCurrent();
    await server.first;
    server.release();
    await expect(call).resolves.toMatchObject({ id: 'usr_1' });
    expect(server.refreshed).toEqual(['rt_A1_xxxxxxxxxxxxxxxx']);
    expect(server.me).toEqual(['A1', 'A1r1']);
  });
});
