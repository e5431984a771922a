// A list walk's end-of-list rule (a page shorter than `limit` is the last) holds only if the
// server was asked for `limit` items: every page of a walk, the first included, now sends it.
// Found by a hostile-server review: the first request went without a limit, so a server whose
// default page size is not the spec's 50 had toArray() and for await stop after its first page
// and report a partial list as whole.
import { afterEach, describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

/** 100 keys, newest first; a page is `limit` long, or 20 when no limit is asked for (not the spec's 50). */
async function keys() {
  const all = Array.from({ length: 100 }, (_, i) => ({ id: `key_${String(100 - i).padStart(3, '0')}` }));
  server = await startFaultServer((req, res) => {
    const url = new URL(req.path, 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const before = url.searchParams.get('before');
    const start = before === null ? 0 : all.findIndex((k) => k.id === before) + 1;
    json(res, 200, all.slice(start, start + limit));
  });
  return () => server.requests.map((r) => r.path);
}

describe('a list walk sends the page size its end depends on', () => {
  it('toArray() without a limit: limit=50 on every page, and all 100 keys', async () => {
    const paths = await keys();
    const list = await testClient(server.url).apiKeys.list().toArray();
    expect(list.map((k) => k.id)).toEqual(Array.from({ length: 100 }, (_, i) => `key_${String(100 - i).padStart(3, '0')}`));
    expect(paths()).toEqual(['/api-keys?limit=50', '/api-keys?limit=50&before=key_051', '/api-keys?limit=50&before=key_001']);
  });

  it('for await and await without a limit: the same pages', async () => {
    const paths = await keys();
    const coveton = testClient(server.url);
    expect(await coveton.apiKeys.list()).toHaveLength(50);
    let n = 0;
    for await (const _ of coveton.apiKeys.list({ status: 'active' })) n++;
    expect(n).toBe(100);
    expect(paths()).toEqual(['/api-keys?limit=50', '/api-keys?status=active&limit=50', '/api-keys?status=active&limit=50&before=key_051', '/api-keys?status=active&limit=50&before=key_001']);
  });

  // Found by a second review: a limit of another type was replaced by the default (50) without a
  // word, so `limit: '3'` from a query string listed 50 a page.
  for (const limit of ['3', 3.5, -1, null]) {
    it(`limit ${JSON.stringify(limit)}: CovetonInputError naming apiKeys.list(limit), nothing sent`, async () => {
      const paths = await keys();
      const error = await (async () => testClient(server.url).apiKeys.list({ limit } as never).toArray())().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CovetonInputError);
      expect(error).toMatchObject({ field: 'apiKeys.list(limit)' });
      expect(paths()).toEqual([]);
    });
  }

  // Found by a third review: the message read 'must be a whole number from 0 to
  // 9007199254740991, got 3' for the string '3', and 0 or 101 went out, for the API to answer
  // 400. The range is the spec's for the list (its `limit` parameter's minimum and maximum,
  // carried by the generated operation table), and a string shows as one.
  for (const [limit, got] of [['3', '"3"'], [0, '0'], [101, '101'], [3.5, '3.5'], [-1, '-1'], [null, 'null']] as const) {
    it(`limit ${JSON.stringify(limit)}: the message names the spec's range, 1 to 100, and what it got`, async () => {
      const paths = await keys();
      const error = await testClient(server.url).apiKeys.list({ limit } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CovetonInputError);
      expect((error as Error).message).toBe(`apiKeys.list(limit): must be a whole number from 1 to 100, got ${got}`);
      expect(paths()).toEqual([]);
    });
  }

  it('the ends of the range are sent; a device list has its own range, 1 to 1000', async () => {
    const paths = await keys();
    const coveton = testClient(server.url);
    await coveton.apiKeys.list({ limit: 1 });
    await coveton.apiKeys.list({ limit: 100 });
    expect(paths()).toEqual(['/api-keys?limit=1', '/api-keys?limit=100']);
    const error = await coveton.devices.listForUser('usr_1', { limit: 1001 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('devices.listForUser(limit): must be a whole number from 1 to 1000, got 1001');
    await coveton.devices.listForUser('usr_1', { limit: 1000 }).catch(() => undefined);
    expect(paths()).toEqual(['/api-keys?limit=1', '/api-keys?limit=100', '/users/usr_1/devices?limit=1000']);
  });

  it('limit 3: every page asks for 3', async () => {
    const paths = await keys();
    expect(await testClient(server.url).apiKeys.list({ limit: 3 }).pages().next()).toMatchObject({ value: [{ id: 'key_100' }, { id: 'key_099' }, { id: 'key_098' }] });
    expect(paths()).toEqual(['/api-keys?limit=3']);
  });
});
