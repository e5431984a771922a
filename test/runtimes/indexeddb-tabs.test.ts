// indexedDbKeyStore in a real browser with more than one tab: Debian's headless Chromium, two
// pages of one origin (they share its IndexedDB), tab A using the store as an app would, tab B
// being another tab of the app (a newer release that upgrades the database, or one that deletes
// it). What only a browser does is asked of the browser: the versionchange, blocked and close
// events, and the DOMExceptions IndexedDB throws (https://w3c.github.io/IndexedDB/).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { root } from './build.js';
import { launchChromium } from './launch.js';

/** How long tab B waits for its upgrade or delete before it reports itself still waiting. */
const PATIENCE_MS = 5000;
/** What an upgrade or delete that nothing holds up takes here, with room for a busy 2-core machine. */
const BOUND_MS = 2000;

let app: string;
let server: Server;
let origin: string;
let browser: Browser;
let tabA: Page;
let tabB: Page;

beforeAll(async () => {
  const out = await build({
    stdin: {
      contents: "export { indexedDbKeyStore } from './src/e2e/indexeddb-store.ts'; export { E2EError } from './src/e2e/errors.ts';",
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'app.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  app = out.outputFiles[0]!.text;
  server = createServer((req, res) => {
    const isApp = req.url === '/app.js';
    res.writeHead(200, { 'content-type': isApp ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' });
    res.end(isApp ? app : '<!doctype html><title>tab</title>');
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  const context = await browser.newContext();
  [tabA, tabB] = await Promise.all([context.newPage(), context.newPage()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

// Both tabs load the app afresh: tab A's `store` and its `outcome` helper, which turns a call into
// what the test asserts (a value, or the error's class, code, message and cause's name).
beforeEach(async () => {
  await Promise.all([tabA.goto(`${origin}/`), tabB.goto(`${origin}/`)]);
  await tabA.evaluate(`import('/app.js').then((m) => {
    window.m = m;
    window.outcome = (promise) => promise.then(
      (value) => ({ value }),
      (e) => ({ error: e.constructor.name, code: e.code, message: e.message, cause: e.cause && e.cause.name }),
    );
  })`);
});

const inA = <T>(script: string) => tabA.evaluate(script) as Promise<T>;

interface Outcome {
  value?: unknown;
  error?: string;
  code?: string;
  message?: string;
  cause?: string;
}
const call = (script: string) => inA<Outcome>(`outcome((async () => ${script})())`);

interface Other {
  /** 'success' (upgraded or deleted), 'error', or 'waiting' when PATIENCE_MS passed first. */
  ended: string;
  blocked: boolean;
  ms: number;
}

/** Tab B opens `database` at `version` (creating the store's table) or, without one, deletes it. */
function otherTab(database: string, version?: number): Promise<Other> {
  const request =
    version === undefined
      ? `indexedDB.deleteDatabase(${JSON.stringify(database)})`
      : `indexedDB.open(${JSON.stringify(database)}, ${version})`;
  return tabB.evaluate(`new Promise((resolve) => {
    const start = performance.now();
    let blocked = false;
    const request = ${request};
    const end = (ended) => resolve({ ended, blocked, ms: Math.round(performance.now() - start) });
    request.onupgradeneeded = () => { if (!request.result.objectStoreNames.contains('keys')) request.result.createObjectStore('keys'); };
    request.onblocked = () => { blocked = true; };
    request.onsuccess = () => { if (request.result) request.result.close(); end('success'); };
    request.onerror = () => end('error ' + request.error.name);
    setTimeout(() => end('waiting'), ${PATIENCE_MS});
  })`) as Promise<Other>;
}

const DOWNGRADE = (database: string) =>
  `key_store_failed: IndexedDB ${database}: open: the database is at a version above 1: a newer release of this app upgraded it, and this page is an older one (a downgrade)`;

describe('indexedDbKeyStore with several tabs, in Chromium', () => {
  it('a failed open is tried again on the next call, once per call: a downgrade fails each call, and works once the newer database is gone', async () => {
    const tabBDone = await otherTab('downgrade', 2);
    expect(tabBDone).toMatchObject({ ended: 'success', blocked: false });
    // Every indexedDB.open of tab A counted: one per call of the store, no loop.
    await inA(`(() => { const open = indexedDB.open.bind(indexedDB); window.opens = 0; indexedDB.open = (...a) => (window.opens++, open(...a)); })()`);
    await inA(`window.store = m.indexedDbKeyStore({ database: 'downgrade' })`);
    const failed = { error: 'E2EError', code: 'key_store_failed', message: DOWNGRADE('downgrade'), cause: 'VersionError' };
    expect(await call(`store.get('k')`)).toEqual(failed);
    expect(await call(`store.set('k', 1)`)).toEqual(failed);
    expect(await call(`store.get('k')`)).toEqual(failed);
    expect(await inA('window.opens')).toBe(3);
    // The newer release's database gone (deleted in tab B): the same store object works again.
    expect(await otherTab('downgrade')).toMatchObject({ ended: 'success', blocked: false });
    expect(await call(`store.set('k', 1)`)).toEqual({ value: undefined });
    expect(await call(`store.get('k')`)).toEqual({ value: 1 });
    expect(await inA('window.opens')).toBe(4);
  });

  it("another tab's upgrade is not held up by tab A's open connection; tab A's next call fails as a downgrade", async () => {
    await inA(`window.store = m.indexedDbKeyStore({ database: 'upgrade' })`);
    expect(await call(`store.set('k', 'v')`)).toEqual({ value: undefined });
    const upgrade = await otherTab('upgrade', 2);
    expect(upgrade).toMatchObject({ ended: 'success', blocked: false });
    expect(upgrade.ms).toBeLessThan(BOUND_MS);
    expect(await call(`store.get('k')`)).toEqual({ error: 'E2EError', code: 'key_store_failed', message: DOWNGRADE('upgrade'), cause: 'VersionError' });
  });

  it("another tab's deleteDatabase is not held up; tab A's next call opens the database afresh", async () => {
    await inA(`window.store = m.indexedDbKeyStore({ database: 'delete' })`);
    expect(await call(`store.set('k', 'v')`)).toEqual({ value: undefined });
    const deleted = await otherTab('delete');
    expect(deleted).toMatchObject({ ended: 'success', blocked: false });
    expect(deleted.ms).toBeLessThan(BOUND_MS);
    expect(await call(`store.get('k')`)).toEqual({ value: undefined });
    expect(await call(`store.set('k', 'w')`)).toEqual({ value: undefined });
    expect(await call(`store.get('k')`)).toEqual({ value: 'w' });
  });

  it('a connection the browser closes (site data cleared): the next call opens again', async () => {
    await inA(`window.store = m.indexedDbKeyStore({ database: 'cleared' })`);
    expect(await call(`store.set('k', 'v')`)).toEqual({ value: undefined });
    const cdp = await tabA.context().newCDPSession(tabA);
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb' });
    await cdp.detach();
    expect(await call(`store.get('k')`)).toEqual({ value: undefined });
    expect(await call(`store.set('k', 'w')`)).toEqual({ value: undefined });
    expect(await call(`store.get('k')`)).toEqual({ value: 'w' });
  });

  it('what IndexedDB throws at once (a value it cannot clone, a key it cannot take) is key_store_failed naming the step; the store goes on', async () => {
    await inA(`window.store = m.indexedDbKeyStore({ database: 'throws' })`);
    expect(await call(`store.set('k', () => 1)`)).toEqual({ error: 'E2EError', code: 'key_store_failed', message: 'key_store_failed: IndexedDB throws: write', cause: 'DataCloneError' });
    expect(await call(`store.get({})`)).toEqual({ error: 'E2EError', code: 'key_store_failed', message: 'key_store_failed: IndexedDB throws: read', cause: 'DataError' });
    expect(await call(`store.delete(null)`)).toEqual({ error: 'E2EError', code: 'key_store_failed', message: 'key_store_failed: IndexedDB throws: delete', cause: 'DataError' });
    expect(await call(`store.set('k', 'v')`)).toEqual({ value: undefined });
    expect(await call(`store.get('k')`)).toEqual({ value: 'v' });
  });
  it('update: a read, change and write of one record is one step across tabs (a Web Lock), so 2 x 20 increments at once lose none', async () => {
    await tabB.evaluate(`import('/app.js').then((m) => { window.m = m; })`);
    // Each change waits a little between its read and its write, where another tab's write would land.
    const increments = `(async () => {
      const store = m.indexedDbKeyStore({ database: 'update' });
      await Promise.all(Array.from({ length: 20 }, () => store.update('n', async (n) => (await new Promise((r) => setTimeout(r, 2)), (n ?? 0) + 1))));
    })()`;
    // Before: the store had no update, so a rotation in each tab read and wrote the record unordered.
    await Promise.all([tabA.evaluate(increments), tabB.evaluate(increments)]);
    expect(await call(`m.indexedDbKeyStore({ database: 'update' }).get('n')`)).toEqual({ value: 40 });
  });
});
