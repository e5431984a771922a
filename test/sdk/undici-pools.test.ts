// The Node transport keeps one keep-alive pool per origin, and a bounded number of them:
// presigned storage URLs and redirects can name ever new origins, and a pool nobody closes
// keeps its sockets open.
import { describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { poolPerOrigin } from '../../src/transport/node-undici.js';

describe('pools per origin', () => {
  it('reuses an origin\'s pool, keeps 16, and closes the least recently used past them', async () => {
    const made: string[] = [];
    const closed: string[] = [];
    const route = poolPerOrigin((origin) => {
      made.push(origin);
      return { close: async () => void closed.push(origin) } as unknown as Dispatcher;
    });
    const origin = (i: number) => `https://files-${i}.example`;
    for (let i = 0; i < 16; i++) route(origin(i));
    expect(route(origin(0))).toBe(route(origin(0)));
    expect(made).toHaveLength(16);
    expect(closed).toEqual([]);
    route(origin(16)); // origin 1 is now the least recently used (0 was just asked for)
    route(origin(17));
    await Promise.resolve();
    expect(closed).toEqual([origin(1), origin(2)]);
    expect(made).toHaveLength(18);
    route(origin(0));
    expect(made).toHaveLength(18);
    route(origin(1)); // closed before: a new pool
    expect(made.at(-1)).toBe(origin(1));
  });
});
