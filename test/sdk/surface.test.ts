// The public surface has no holes: token-bearing auth operations only through session.*, no
// payment-processor endpoints, no middleware hook that resource methods would skip, no
// internals exported, method names from the spec's x-sdk-name where the operationId reads badly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { CovetonInputError } from '../../src/index.js';
import { json, startFaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

describe('public surface', () => {
  it('session-only and payment-processor operations are not on the client, raw or resource', async () => {
    const server = await startFaultServer((req, res) => json(res, 200, {}));
    try {
      const coveton = testClient(server.url) as unknown as Record<string, Record<string, unknown> | undefined> & { POST: (path: string, init?: unknown) => Promise<unknown> };
      for (const name of ['login', 'logout', 'registerAccount', 'refreshTokens', 'completeOAuth']) expect(coveton.auth![name]).toBeUndefined();
      expect(coveton.paymentWebhooks).toBeUndefined();
      expect(coveton.use).toBeUndefined();
      expect(typeof coveton.auth!.me).toBe('function');
      for (const path of ['/auth/refresh', '/auth/login', '/webhooks/stripe']) {
        await expect(coveton.POST(path, { body: {} })).rejects.toBeInstanceOf(CovetonInputError);
      }
      expect(server.requests).toHaveLength(0);
      await (coveton.auth!.me as () => Promise<unknown>)();
      expect(server.requests.map((r) => r.path)).toEqual(['/auth/me']);
    } finally {
      await server.close();
    }
  });

  it('exports no internals', () => {
    for (const name of ['errorFromResponse', 'ErrorContext', 'buildClient', 'createPipeline', 'decide', 'backoffDelay']) expect(name in sdk).toBe(false);
  });

  it('names every generated model, resource and query type in its explicit barrel (no export *)', () => {
    const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
    const barrel = read('src/index.ts');
    expect(barrel).not.toMatch(/export (type )?\*/);
    const exported = new Set([...barrel.matchAll(/\b([A-Z][A-Za-z0-9]*)\b/g)].map((m) => m[1]));
    const generated = ['generated/models.ts', 'generated/resources.ts'].flatMap((p) => [...read(p).matchAll(/^export (?:type|interface) ([A-Za-z0-9]+)/gm)].map((m) => m[1]!));
    expect(generated.length).toBeGreaterThan(100);
    expect(generated.filter((name) => !exported.has(name))).toEqual([]);
  });
});

describe('methods loaded on first use (src/util/lazy.ts)', () => {
  it('loads once for calls made together; a failed load is a ChunkLoadError naming the part, asked for again next time', async () => {
    const { lazyMethods } = await import('../../src/util/lazy.js');
    const { ChunkLoadError } = await import('../../src/index.js');
    let loads = 0;
    const impl = { twice: async (n: number) => n * 2, name: async () => 'impl' };
    const offline = new TypeError('Failed to fetch dynamically imported module');
    const methods = lazyMethods('raw client', async () => {
      loads++;
      if (loads === 1) throw offline;
      return impl;
    }, ['twice', 'name']);
    const failed = await Promise.all([methods.twice(2), methods.name()].map((p) => p.catch((e: unknown) => e)));
    for (const error of failed) {
      expect(error).toBeInstanceOf(ChunkLoadError);
      expect(error).toMatchObject({ name: 'ChunkLoadError', part: 'raw client', cause: offline });
      expect((error as Error).message).toBe("The SDK's raw client did not load; the next call tries again.");
    }
    expect(loads).toBe(1);
    expect(await Promise.all([methods.twice(3), methods.name(), methods.twice(4)])).toEqual([6, 'impl', 8]);
    expect(loads).toBe(2);
  });
});
