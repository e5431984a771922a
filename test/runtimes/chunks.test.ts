// The parts the SDK loads on first use, in a real browser: an application's bundle (esbuild with
// code splitting, as Vite and webpack split it) served to Debian's headless Chromium, whose chunk
// for the raw client fails to arrive. src/util/lazy.ts promises that the call which needed it
// fails with a ChunkLoadError, sends nothing, and that the next call asks for the chunk again.
// That promise rests on the browser fetching a failed module again rather than keeping the
// failure in its module map (the HTML standard's earlier rule); the unit tests can only stand in
// for `import()`, so this file asks Chromium itself.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './build.js';
import { launchChromium } from './launch.js';

const dir = mkdtempSync(join(tmpdir(), 'coveton-chunks-'));
const record = { id: 'key_1', name: 'CI' };
/** What the server answers each chunk request whose name starts with a key: a status, once each. */
const failNext = new Map<string, number[]>();
const requests: string[] = [];
let server: Server;
let origin: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await build({
    stdin: { contents: "export { createCoveton, ChunkLoadError } from './src/index.ts';", resolveDir: root, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: dir,
    entryNames: 'app',
    chunkNames: '[name]-[hash]',
    logLevel: 'silent',
  });
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    if (!path.endsWith('.js')) {
      // The page itself, and the API: the same origin, so no CORS in the way.
      const isPage = path === '/' || path === '/favicon.ico';
      res.writeHead(200, { 'content-type': isPage ? 'text/html' : 'application/json' });
      return res.end(isPage ? '<!doctype html><title>app</title>' : JSON.stringify(record));
    }
    const name = path.slice(1);
    const key = [...failNext.keys()].find((prefix) => name.startsWith(prefix));
    const status = key === undefined ? undefined : failNext.get(key)!.shift();
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'text/plain' });
      return res.end('not now');
    }
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${origin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
  rmSync(dir, { recursive: true, force: true });
});

/** Makes a client in the page and calls `coveton.GET` `calls` times in a row: each outcome in words. */
function callRaw(calls: number): Promise<string[]> {
  // A string, not a function: the test runner rewrites `import()` inside functions it compiles.
  return page.evaluate(`import('/app.js').then(async ({ createCoveton, ChunkLoadError }) => {
    const coveton = createCoveton({ baseUrl: ${JSON.stringify(origin)}, apiKey: 'ak_test_chunks0123456789ab', dangerouslyAllowBrowser: true, logLevel: 'off' });
    const outcomes = [];
    for (let i = 0; i < ${calls}; i++) {
      try {
        const { data } = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
        outcomes.push('ok ' + data.id);
      } catch (error) {
        outcomes.push(error instanceof ChunkLoadError ? 'ChunkLoadError ' + error.part : 'other ' + String(error));
      }
    }
    return outcomes;
  })`) as Promise<string[]>;
}

const count = (prefix: string) => requests.filter((path) => path.startsWith(prefix)).length;

describe('a chunk that fails to load in Chromium', () => {
  it('fails the call that needed it with a ChunkLoadError and sends nothing; the next call fetches the chunk again and works', async () => {
    const chunk = readdirSync(dir).find((name) => name.startsWith('raw-client-'));
    expect(chunk, 'the bundler made the raw client a chunk of its own').toBeDefined();
    failNext.set('raw-client-', [503]);
    expect(await callRaw(3)).toEqual(['ChunkLoadError raw client', 'ok key_1', 'ok key_1']);
    expect(count(`/${chunk}`)).toBe(2);
    expect(count('/api-keys/')).toBe(2);
  });

  it('a chunk gone for a while (a deploy that removed it): every call asks for it again, and the first after it is back works', async () => {
    // A fresh page: the module map of the one above holds the chunk now.
    await page.reload();
    const before = { chunk: count('/raw-client-'), api: count('/api-keys/') };
    failNext.set('raw-client-', [404, 404, 404]);
    expect(await callRaw(4)).toEqual(['ChunkLoadError raw client', 'ChunkLoadError raw client', 'ChunkLoadError raw client', 'ok key_1']);
    expect(count('/raw-client-') - before.chunk).toBe(4);
    expect(count('/api-keys/') - before.api).toBe(1);
  });
});
