// "Runtimes, proved in the suite": one program (program.ts) run on the package's build in Node 20
// (this process's Node), Node 24, Bun, Deno (default permissions plus --allow-net), Cloudflare's
// workerd and headless Chromium, all at once, against one scripted server, and its e2e round trip
// against one stateful mock. Every runtime must
// give the same report, and the server must see the same requests from each.
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyRecord } from '../support/client.js';
import { buildBundles } from './build.js';
import { runBun, runChromium, runDeno, runNode, runWorkerd, type Report } from './launch.js';
import { node24Binary } from './node24.js';
import { TEST_KEY, WEBHOOK_BODY, WEBHOOK_SECRET, WEBHOOK_T } from './constants.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';

const RESET = 1_780_306_260;
const work = mkdtempSync(join(tmpdir(), 'coveton-runtimes-'));
let bundles = '';
let server: FaultServer;
// The stateful mock for the e2e round trip (devices, chats, messages, files with state), one for all.
let mock: RunningMock;
const started = Date.now();

beforeAll(async () => {
  const [built] = await Promise.all([buildBundles(work), node24Binary(), startMock({ rateLimit: false }).then((m) => (mock = m))]);
  bundles = built.dir;
  const browserModule = readFileSync(join(bundles, 'browser.js'));
  const retried = new Set<string>();
  server = await startFaultServer((req, res) => {
    const [, runtime, ...rest] = req.path.split('?')[0]!.split('/');
    const path = `/${rest.join('/')}`;
    if (path === '/index.html') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>runtimes</title>');
    if (path === '/browser.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(browserModule);
    if (path === '/ready') return res.writeHead(204).end();
    const limits = { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '117', 'X-RateLimit-Reset': String(RESET) };
    if (path === '/api-keys/key_ok') return json(res, 200, { ...apiKeyRecord, id: 'key_ok' }, limits);
    if (path === '/api-keys/key_retry') {
      if (!retried.has(runtime!)) {
        retried.add(runtime!);
        return apiError(res, 503, 'INTERNAL', 'try again');
      }
      return json(res, 200, { ...apiKeyRecord, id: 'key_retry' }, limits);
    }
    if (path === '/api-keys/key_401') return apiError(res, 401, 'UNAUTHORIZED', 'The API key is not valid.', { reason: 'invalid_credentials' }, limits);
    return apiError(res, 404, 'NOT_FOUND', path);
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await mock?.close();
  rmSync(work, { recursive: true, force: true });
  console.log(`runtime matrix: ${Date.now() - started} ms wall, build and Node 24 lookup included`);
});

/** What every runtime must report, computed here independently of the SDK. */
const expected = (browser: boolean, runtime: string) => ({
  apiKeyWithoutOptIn: browser ? 'refused' : 'allowed',
  get: { id: 'key_ok', name: apiKeyRecord.name },
  rateLimit: { limit: 120, remaining: 117, resetAt: RESET },
  retry: { id: 'key_retry', retries: [2] }, // onRetry's attempt: the number of the attempt about to be made
  unauthorized: {
    typed: true,
    name: 'UnauthorizedError',
    status: 401,
    code: 'UNAUTHORIZED',
    reason: 'invalid_credentials',
    requestId: 'req_401',
    showsKey: false,
  },
  webhook: {
    header: `t=${WEBHOOK_T},v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${WEBHOOK_T}.${WEBHOOK_BODY}`).digest('hex')}`,
    type: 'api_key.revoked',
    dataId: 'key_9',
    tampered: 'no_matching_signature',
  },
  e2e: {
    text: `hello from ${runtime}`,
    fromAda: true,
    file: 'same',
    ...(browser ? { indexedDb: { extractable: [false, false], isCryptoKey: true, reloaded: true } } : {}),
  },
});

/** The API requests one runtime made, in order, and the credential each carried. */
function apiRequests(runtime: string) {
  return server.requests
    .filter((r) => r.path.startsWith(`/${runtime}/api-keys/`))
    .map((r) => ({ method: r.method, path: r.path.slice(runtime.length + 1), authorization: r.headers.authorization }));
}

const RUNTIMES: Record<string, { run: (api: string, mock: string) => Promise<Report>; identity: RegExp; browser?: boolean; undici?: boolean }> = {
  // Node gets the package's `node` export (index.node: undici's dispatcher, not fetch).
  node20: { run: (api, e2e) => runNode(process.execPath, bundles, api, e2e), identity: /^node 20\./, undici: true },
  node24: { run: async (api, e2e) => runNode(await node24Binary(), bundles, api, e2e), identity: /^node 24\./, undici: true },
  bun: { run: (api, e2e) => runBun(bundles, api, e2e), identity: /^bun 1\./ },
  deno: {
    run: (api, e2e) => {
      const denoDir = join(work, 'deno');
      mkdirSync(denoDir, { recursive: true });
      return runDeno(bundles, api, e2e, denoDir);
    },
    identity: /^deno 2\./,
  },
  workerd: { run: (api, e2e) => runWorkerd(bundles, api, e2e), identity: /^workerd$/ },
  chromium: {
    run: (api, e2e) => runChromium(`${server.url}/chromium/index.html`, `${server.url}/chromium/browser.js`, api, e2e),
    identity: /^browser .*HeadlessChrome\//,
    browser: true,
  },
};

describe.concurrent('the same program in every runtime', () => {
  for (const [name, runtime] of Object.entries(RUNTIMES)) {
    it(name, async () => {
      const t0 = Date.now();
      const report = await runtime.run(`${server.url}/${name}`, mock.url);
      console.log(`${name}: ${Date.now() - t0} ms (${String(report.runtime)})`);
      expect(report.failed, String(report.failed)).toBeUndefined();
      const { runtime: identity, ...rest } = report;
      expect(identity).toMatch(runtime.identity);
      expect(rest).toEqual(expected(runtime.browser === true, String(identity)));
      expect(mock.violations).toEqual([]);
      const bearer = `Bearer ${TEST_KEY}`;
      if (runtime.undici) {
        // Node's fetch adds `sec-fetch-mode: cors` to every request; undici's dispatcher does not.
        const sent = server.requests.filter((r) => r.path.startsWith(`/${name}/api-keys/`));
        expect(sent.map((r) => r.headers['sec-fetch-mode'])).toEqual([undefined, undefined, undefined, undefined]);
      }
      expect(apiRequests(name)).toEqual([
        { method: 'GET', path: '/api-keys/key_ok', authorization: bearer },
        { method: 'GET', path: '/api-keys/key_retry', authorization: bearer },
        { method: 'GET', path: '/api-keys/key_retry', authorization: bearer },
        { method: 'GET', path: '/api-keys/key_401', authorization: bearer },
      ]);
    }, 40_000);
  }
});
