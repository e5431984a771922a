// The try-it console of an operation page, against `coveton mock` started here: the example
// request goes to the base URL the reader sets and the page shows status, headers and body.
// The credential typed there reaches that base URL and nothing else, and is never stored.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launch, watchedContext, type Watched } from './support/browser.js';
import { startMock, type Mock } from './support/mock.js';
import { serve, type StaticServer } from './support/serve.js';
import { builtSite } from './support/site.js';

const SECRET = 'ak_test_tryItCredential0123456789';

describe('try-it console', () => {
  let server: StaticServer;
  let mock: Mock;
  let browser: Browser;
  let watched: Watched;
  let page: Page;
  const sent: Request[] = [];
  const baseUrls = new Set<string>();

  beforeAll(async () => {
    const [site, started] = await Promise.all([builtSite(), startMock()]);
    mock = started;
    server = await serve(site.dir);
    browser = await launch();
    watched = await watchedContext(browser, { viewport: { width: 1280, height: 900 } });
    watched.context.on('request', (request) => void sent.push(request));
    page = await watched.context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mock?.stop();
  });

  async function open(path: string, baseUrl = mock.url) {
    baseUrls.add(baseUrl);
    await page.goto(`${server.url}${path}`);
    const form = page.locator('form.try-it');
    await form.waitFor();
    // Typing before Vue has taken over the pre-rendered form would be lost.
    await page.waitForFunction(() => Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__));
    const base = form.locator('.try-it-base');
    await base.fill(baseUrl);
    await base.dispatchEvent('change');
    await form.locator('.try-it-credential').fill(SECRET);
    return form;
  }

  it('creates an API key with createApiKey and shows the 201 with its secret', async () => {
    const form = await open('/reference/api-keys/createApiKey.html');
    await expect.poll(() => form.locator('[name="header.Idempotency-Key"]').inputValue()).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => form.locator('.try-it-target').innerText()).toBe(`POST ${mock.url}/api-keys`);
    const answer = page.waitForResponse((r) => r.url() === `${mock.url}/api-keys` && r.request().method() === 'POST');
    await form.locator('.try-it-send').click();
    const response = await answer;
    await form.locator('.try-it-status').waitFor();
    expect(await form.locator('.try-it-status strong').innerText()).toBe('201');
    const shown = JSON.parse(await form.locator('.try-it-response').innerText());
    expect(shown).toEqual(await response.json());
    expect(shown.secret).toMatch(/^ak_test_/);
    expect(await form.locator('.try-it-headers summary').innerText()).toMatch(/Response headers \(\d+\)/);
    // What went out: the example body, the typed credential, the key the console made.
    const request = response.request();
    expect(JSON.parse(request.postData()!)).toMatchObject({ name: 'CI Pipeline', type: 'service', environment: 'sandbox' });
    const headers = await request.allHeaders();
    expect(headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the error envelope of getApiKey with an id that does not exist', async () => {
    const form = await open('/reference/api-keys/getApiKey.html');
    await form.locator('[name="path.id"]').fill('key_doesNotExist404');
    const answer = page.waitForResponse((r) => r.url() === `${mock.url}/api-keys/key_doesNotExist404`);
    await form.locator('.try-it-send').click();
    const response = await answer;
    await form.locator('.try-it-status').waitFor();
    expect(response.status()).toBe(404);
    expect(await form.locator('.try-it-status strong').innerText()).toBe('404');
    const shown = JSON.parse(await form.locator('.try-it-response').innerText());
    expect(shown).toEqual(await response.json());
    expect(shown.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('key_doesNotExist404') });
    // The API's exposed headers reach the page (the mock answers CORS as the API does).
    expect(await form.locator('.try-it-headers pre').textContent()).toMatch(/x-request-id: req_/i);
  });

  it('does not follow a redirect: the credential cannot be carried to another origin', async () => {
    // A server that answers every call with a 302 to another origin, which counts its visitors.
    let elsewhereHits = 0;
    const elsewhere = createServer((_, res) => void (elsewhereHits++, res.end('{}')));
    await new Promise<void>((done) => elsewhere.listen(0, '127.0.0.1', done));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/collect`;
    const redirecting = createServer((req, res) => {
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      res.writeHead(302, { ...cors, location: target }).end();
    });
    await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done));
    try {
      const form = await open('/reference/api-keys/getApiKey.html', `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`);
      await form.locator('.try-it-send').click();
      await form.locator('.try-it-status').waitFor();
      expect(await form.locator('.try-it-status strong').innerText()).toBe('Redirect');
      expect(await form.locator('.try-it-response').innerText()).toContain('not followed');
      expect(elsewhereHits).toBe(0);
    } finally {
      elsewhere.close();
      redirecting.close();
      elsewhere.closeAllConnections();
      redirecting.closeAllConnections();
    }
  });

  it('refuses a body that is not JSON before sending anything', async () => {
    const form = await open('/reference/api-keys/createApiKey.html');
    const before = sent.length;
    await form.locator('[name="body"]').fill('{ "name": ');
    await form.locator('.try-it-send').click();
    await expect.poll(() => form.locator('.try-it-problem').innerText()).toMatch(/^The body is not valid JSON/);
    expect(sent.slice(before).filter((r) => r.url().startsWith(mock.url))).toEqual([]);
  });

  it('sends the credential to the base URL only, stores it nowhere, and nothing leaves 127.0.0.1', async () => {
    const carrying = [];
    for (const request of sent) {
      const values = Object.values(await request.allHeaders()).join('\n') + (request.postData() ?? '');
      if (values.includes(SECRET)) carrying.push(new URL(request.url()).origin);
    }
    expect(carrying).toContain(mock.url);
    expect(new Set(carrying)).toEqual(baseUrls);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain(mock.url);
    expect(watched.requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(watched.errors.filter((e) => !/status of [45]\d\d/.test(e))).toEqual([]);
  });
});
