// The docs site, opened the way a reader opens it: `npm run docs` builds docs/, a static server on
// 127.0.0.1 serves it, and Debian's Chromium (driven by playwright-core, which never downloads a
// browser) renders it. Every operationId, webhook and schema of the contract must be on the
// page, with no console error and no request leaving the machine. The screenshot lands in
// test-output/docs.png.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = join(root, 'docs');
const outputDir = join(root, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags this machine needs: without the background-networking ones Chromium calls Google's
// hosts at start-up, which a closed network refuses (and the test would count as leaks).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The oracle is the contract itself, not the docs builder's copy of it.
const contract = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
type Operation = { operationId?: string };
const idsOf = (group: Record<string, Record<string, Operation>> = {}) =>
  Object.values(group).flatMap((item) => Object.values(item).flatMap((op) => (op && typeof op === 'object' && op.operationId ? [op.operationId] : [])));
const operationIds = idsOf(contract.paths);
const webhookIds = idsOf(contract.webhooks);
const schemaNames = Object.keys(contract.components.schemas as object);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** A URL that stays on this machine: the test server, or data held by the page itself. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || protocol === 'about:' || hostname === '127.0.0.1';
}

describe('docs site', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (Debian's package; playwright-core never downloads one).`);
    }
    execFileSync(process.execPath, [join(root, 'scripts', 'docs.mjs')], { cwd: root, stdio: 'pipe' });
    server = await serve(resolve(docsDir));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.on('request', (request) => void requests.push(request.url()));
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => void errors.push(`page: ${error.message}`));
    await page.goto(`${base}/index.html`, { waitUntil: 'load' });
    // Redoc.init's callback marks the body once the whole reference is rendered.
    await page.waitForSelector('body[data-redoc-ready]', { timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it('renders every operation of the contract, each with its own anchor', async () => {
    expect(operationIds.length).toBeGreaterThan(60);
    const anchors = new Set(await page.$$eval('[id]', (els) => els.map((el) => el.id)));
    const missing = operationIds.filter((id) => !anchors.has(`operation/${id}`));
    expect(missing, 'operations with no anchor on the page').toEqual([]);
  });

  it('renders every webhook, marked as one', async () => {
    expect(webhookIds.length).toBeGreaterThan(0);
    const anchors = new Set(await page.$$eval('[id]', (els) => els.map((el) => el.id)));
    expect(webhookIds.filter((id) => !anchors.has(`operation/${id}`))).toEqual([]);
    const text = await page.locator('#redoc').innerText();
    expect(text).toContain('Webhook');
    for (const event of Object.keys(contract.webhooks)) expect(text).toContain(event);
  });

  it('lists every schema of the contract', async () => {
    const anchors = new Set(await page.$$eval('[id]', (els) => els.map((el) => el.id)));
    expect(schemaNames.filter((name) => !anchors.has(`tag/schema-${name}`))).toEqual([]);
  });

  it('shows TypeScript samples with the SDK next to curl', async () => {
    const operation = page.locator('[id="operation/createApiKey"]');
    const tabs = operation.getByRole('tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(expect.arrayContaining(['TypeScript', 'curl', 'Payload']));
    const text = await operation.innerText();
    expect(text).toContain('coveton.apiKeys.create(');
    await operation.getByRole('tab', { name: 'curl' }).click();
    expect(await operation.innerText()).toContain('Idempotency-Key: $(uuidgen)');
    await operation.getByRole('tab', { name: 'TypeScript' }).click();
    const html = await page.content();
    expect(html).toContain("coveton.apiKeys.list({ status: 'active' })");
  });

  it('offers the spec for download from the site itself', async () => {
    const href = await page.locator('a[download]').first().getAttribute('href');
    expect(new URL(href!, `${base}/`).href).toBe(`${base}/openapi.json`);
    const served = await fetch(`${base}/openapi.json`).then((r) => r.json());
    expect(served.info).toEqual(contract.info);
  });

  it('loads nothing from the network and logs no error', async () => {
    // Scrolling renders nothing new in Redoc, but it does fire lazy images and the like.
    await page.mouse.wheel(0, 20_000);
    await page.waitForTimeout(300);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.filter((url) => !isLocal(url)), 'requests that left 127.0.0.1').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('saves a screenshot of the rendered docs', async () => {
    mkdirSync(outputDir, { recursive: true });
    await page.goto(`${base}/index.html#tag/api-keys/operation/createApiKey`);
    await page.waitForSelector('body[data-redoc-ready]');
    await page.locator('[id="operation/createApiKey"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const file = join(outputDir, 'docs.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(20_000);
    expect(requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
