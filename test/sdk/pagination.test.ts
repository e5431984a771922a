import { afterEach, describe, expect, it } from 'vitest';
import { CovetonError, CovetonInputError, PaginationError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

/** 120 messages, newest first, served by limit/before like the API. */
function history(total: number) {
  const items = Array.from({ length: total }, (_, i) => ({ id: `msg_${String(total - i).padStart(4, '0')}` }));
  return startFaultServer((req, res) => {
    const url = new URL(req.path, 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    const start = before ? items.findIndex((m) => m.id === before) + 1 : 0;
    json(res, 200, items.slice(start, start + limit));
  });
}

const queries = (s: FaultServer) => s.requests.map((r) => new URL(r.path, 'http://x').search);

describe('a list is a Promise of its first page', () => {
  it('catch, finally and the tag, as a Promise has them (Stripe and octokit users write .catch)', async () => {
    server = await startFaultServer((req, res) => json(res, 500, { error: { code: 'INTERNAL', message: 'down' } }));
    const coveton = testClient(server.url, { maxRetries: 0 });
    let settled = 0;
    const caught = await coveton.apiKeys.list().catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(CovetonError);
    await expect(coveton.apiKeys.list().finally(() => void settled++)).rejects.toBeInstanceOf(CovetonError);
    expect(settled).toBe(1);
    expect(Object.prototype.toString.call(coveton.apiKeys.list({ limit: 1 }).catch(() => []))).toBe('[object Promise]');
    expect(Object.prototype.toString.call(coveton.apiKeys.list())).toBe('[object PagePromise]');
    // One request per list awaited, however: catch, then and finally share the first page's; the
    // list only tagged above sent nothing. 3 lists above, 1 here.
    const list = coveton.apiKeys.list();
    await Promise.allSettled([list.catch(() => 0), list.then(() => 0), list.finally(() => 0)]);
    expect(server.requests.filter((r) => r.path.startsWith('/api-keys'))).toHaveLength(4);
  });
});

describe('pagination', () => {
  it('iterates item by item across pages, with before = the oldest id seen, and stops on a short page', async () => {
    server = await history(120);
    const coveton = testClient(server.url);
    const ids: string[] = [];
    for await (const m of coveton.chats.listMessages('chat_1', { limit: 50 })) ids.push(m.id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(queries(server)).toEqual(['?limit=50', '?limit=50&before=msg_0071', '?limit=50&before=msg_0021']);
  });

  it('stops on an empty page when the total is a multiple of the page size', async () => {
    server = await history(100);
    const pages: number[] = [];
    for await (const page of testClient(server.url).chats.listMessages('chat_1', { limit: 50 }).pages()) pages.push(page.length);
    expect(pages).toEqual([50, 50]);
    expect(server.requests).toHaveLength(3);
  });

  it('uses the spec\'s default page size (50) when no limit is given, and asks for it', async () => {
    server = await history(60);
    const all = await testClient(server.url).chats.listMessages('chat_1').toArray();
    expect(all).toHaveLength(60);
    expect(queries(server)).toEqual(['?limit=50', '?limit=50&before=msg_0011']);
  });

  it('await gives the first page only; breaking early fetches nothing more', async () => {
    server = await history(120);
    const coveton = testClient(server.url);
    const first = await coveton.chats.listMessages('chat_1', { limit: 10 });
    expect(first.map((m) => m.id)).toEqual(Array.from({ length: 10 }, (_, i) => `msg_${String(120 - i).padStart(4, '0')}`));
    let n = 0;
    for await (const _ of coveton.chats.listMessages('chat_1', { limit: 10 })) if (++n === 5) break;
    expect(server.requests).toHaveLength(2);
  });

  it('starts from the caller\'s before, and passes the other filters on every page', async () => {
    server = await startFaultServer((req, res, i) => json(res, 200, i === 0 ? [{ id: 'key_3' }, { id: 'key_2' }] : [{ id: 'key_1' }]));
    const keys = await testClient(server.url).apiKeys.list({ status: 'active', limit: 2, before: 'key_4' }).toArray();
    expect(keys.map((k) => k.id)).toEqual(['key_3', 'key_2', 'key_1']);
    expect(queries(server)).toEqual(['?status=active&limit=2&before=key_4', '?status=active&limit=2&before=key_2']);
  });

  it('refuses to loop when a server returns the same page again', async () => {
    server = await startFaultServer((req, res) => json(res, 200, [{ id: 'key_2' }, { id: 'key_1' }]));
    const walk = testClient(server.url).apiKeys.list({ limit: 2 }).toArray();
    await expect(walk).rejects.toBeInstanceOf(CovetonError);
    expect(server.requests).toHaveLength(2);
  });

  it('stops a server that cycles A -> B -> A after exactly three requests, naming the operation', async () => {
    // Pages: first -> ends at key_a; before=key_a -> ends at key_b; before=key_b -> back to the first page.
    const first = [{ id: 'key_c' }, { id: 'key_a' }];
    const second = [{ id: 'key_d' }, { id: 'key_b' }];
    server = await startFaultServer((req, res) => {
      const before = new URL(req.path, 'http://x').searchParams.get('before');
      json(res, 200, before === 'key_a' ? second : first);
    });
    const seen: string[] = [];
    const walk = (async () => {
      for await (const key of testClient(server.url).apiKeys.list({ limit: 2 })) seen.push(key.id);
    })();
    const error = await walk.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).operation).toBe('apiKeys.list');
    // The id is the server's string: named by its page, never quoted (it may echo a secret).
    expect((error as Error).message).toBe('apiKeys.list: pages do not advance: page 3 holds an id already sent as a cursor');
    expect(queries(server)).toEqual(['?limit=2', '?limit=2&before=key_a', '?limit=2&before=key_b']);
    expect(seen).toEqual(['key_c', 'key_a', 'key_d', 'key_b']); // the repeated page is never handed over
  });

  it('stops after one request when a full page has items without an id', async () => {
    server = await startFaultServer((req, res) => json(res, 200, [{ name: 'a' }, { name: 'b' }]));
    const walk = testClient(server.url).apiKeys.list({ limit: 2 }).toArray();
    await expect(walk).rejects.toThrow(PaginationError);
    await expect(walk).rejects.toThrow(/^apiKeys\.list: .*without an id/);
    expect(server.requests).toHaveLength(1);
  });

  it('stops before sending a cursor longer than any id of the API (255 characters): nothing that size is kept or sent', async () => {
    // Found by a hostile-server review: 150 pages ending in 1 MB ids grew the heap by 151 MB.
    const long = `key_${'x'.repeat(252)}`;
    server = await startFaultServer((req, res, i) => json(res, 200, i === 0 ? [{ id: 'key_b' }, { id: long }] : [{ id: 'key_a' }]));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const key of testClient(server.url).apiKeys.list({ limit: 2 })) seen.push(key.id);
    })().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toBe('apiKeys.list: a full page ends with an id longer than 255 characters');
    expect(server.requests).toHaveLength(1);
    expect(seen).toEqual([]);
    // 255 characters is an id: the walk goes on with it.
    await server.close();
    const longest = `key_${'x'.repeat(251)}`;
    server = await startFaultServer((req, res, i) => json(res, 200, i === 0 ? [{ id: 'key_b' }, { id: longest }] : [{ id: 'key_a' }]));
    expect((await testClient(server.url).apiKeys.list({ limit: 2 }).toArray()).map((k) => k.id)).toEqual(['key_b', longest, 'key_a']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops when the last id is an empty string or not a string', async () => {
    for (const bad of ['', 42, null]) {
      server = await startFaultServer((req, res) => json(res, 200, [{ id: 'key_9' }, { id: bad }]));
      await expect(testClient(server.url).chats.listMessages('chat_1', { limit: 2 }).toArray()).rejects.toThrow(/^chats\.listMessages: /);
      expect(server.requests).toHaveLength(1);
      await server.close();
    }
  });

  it('toArray stops at maxItems (10,000 unless raised) against a server whose pages never end, and quotes no id', async () => {
    let n = 0;
    server = await startFaultServer((req, res) => json(res, 200, Array.from({ length: 100 }, () => ({ id: `${TEST_KEY}_${++n}` }))));
    const coveton = testClient(server.url);
    const error = (await coveton.apiKeys.list({ limit: 100 }).toArray().catch((e: unknown) => e)) as PaginationError;
    expect(error).toBeInstanceOf(PaginationError);
    expect(error.message).toBe("apiKeys.list: more than 10000 items: raise toArray's maxItems, or walk the list with for await");
    expect(server.requests).toHaveLength(101);
    await expect(coveton.apiKeys.list({ limit: 100 }).toArray({ maxItems: 250 })).rejects.toThrow('more than 250 items');
    expect(server.requests).toHaveLength(104);
    await expect(coveton.apiKeys.list().toArray({ maxItems: -1 })).rejects.toThrow(CovetonInputError);
    expect(server.requests).toHaveLength(104); // refused before anything is sent
  });

  it('toArray with maxItems equal to the list\'s length returns it whole', async () => {
    server = await startFaultServer((req, res) => json(res, 200, req.path.includes('before=') ? [{ id: 'key_1' }] : [{ id: 'key_3' }, { id: 'key_2' }]));
    const keys = await testClient(server.url).apiKeys.list({ limit: 2 }).toArray({ maxItems: 3 });
    expect(keys.map((k) => k.id)).toEqual(['key_3', 'key_2', 'key_1']);
    // Infinity: no cap.
    const all = await testClient(server.url).apiKeys.list({ limit: 2 }).toArray({ maxItems: Infinity });
    expect(all).toHaveLength(3);
  });

  it('stops when a page holds the caller\'s own starting cursor', async () => {
    server = await startFaultServer((req, res) => json(res, 200, [{ id: 'key_5' }, { id: 'key_4' }]));
    await expect(testClient(server.url).apiKeys.list({ limit: 2, before: 'key_4' }).toArray()).rejects.toThrow(PaginationError);
    expect(server.requests).toHaveLength(1);
  });
});
