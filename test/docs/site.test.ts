// The docs site as a reader meets it: `npm run docs` builds it (once per set of inputs, see
// support/site.ts), `npm run docs:serve`'s server serves it on 127.0.0.1 (pre-compressed copies
// with their Content-Encoding), and Debian's Chromium opens it.
// Every operationId and event has a page with samples in the twelve languages; search finds
// guides and operations; the sample language follows the reader across pages; a 390 px phone
// shows no overlapping text and scrolls code instead of cutting it; nothing leaves 127.0.0.1
// and nothing logs an error. The budgets are measured and printed; screenshots land in
// test-output/docs/.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec } from '../support/spec.js';
import { isLocal, launch, watchedContext, type Watched } from './support/browser.js';
import { checkLayout } from './support/layout.js';
import { measurePage, renderBlocking } from './support/measure.js';
import { serve, type StaticServer } from './support/serve.js';
import { builtSite, outputDir, root, type BuiltSite } from './support/site.js';

const LABELS = ['cURL', 'JavaScript', 'TypeScript', 'Python', 'PHP', 'Ruby', 'Go', 'Java', 'C#', 'Rust', 'Swift', 'Kotlin'];
const shots = join(outputDir, 'docs');
const KB = 1024;

// The oracle is the contract, not the generator's reading of it.
type Op = { operationId?: string };
const idsOf = (group: Record<string, Record<string, Op>>) => Object.values(group).flatMap((item) => Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])));
const contractIds = [...idsOf(spec.paths), ...idsOf(spec.webhooks)];

function htmlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) htmlFiles(path, out);
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

describe('docs site', () => {
  let site: BuiltSite;
  let server: StaticServer;
  let browser: Browser;
  let desk: Watched;
  let page: Page;
  const figures: string[] = [];

  beforeAll(async () => {
    site = await builtSite();
    server = await serve(site.dir);
    browser = await launch();
    desk = await watchedContext(browser, { viewport: { width: 1280, height: 900 } });
    page = await desk.context.newPage();
    mkdirSync(shots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    if (figures.length > 0) console.log(`docs budgets:\n  ${figures.join('\n  ')}`);
    await browser?.close();
    await server?.close();
  });

  it('builds in at most 400 ms of CPU a page, and no page weighs over 1 MB', () => {
    // The CPU time is what the build costs; the wall time also holds whatever else this
    // shared machine runs, so it is printed, and asserted only as CPU, per page built (a page
    // per schema doubled the count: 41.5 s for 127 pages before, 47.8 to 61 s for 219 after).
    const pages = htmlFiles(site.dir).map((file) => ({ file: relative(site.dir, file), size: statSync(file).size }));
    const cached = site.cached ? ' (an earlier build of the same inputs)' : '';
    const perPage = site.buildCpuMs / pages.length;
    figures.push(`build ${(site.buildMs / 1000).toFixed(1)} s wall, ${(site.buildCpuMs / 1000).toFixed(1)} s CPU, ${Math.round(perPage)} ms CPU a page${cached}`);
    expect(perPage).toBeLessThanOrEqual(400);
    const largest = pages.reduce((a, b) => (b.size > a.size ? b : a));
    figures.push(`${pages.length} HTML pages, the largest ${largest.file} at ${Math.round(largest.size / KB)} KB uncompressed`);
    expect(largest.size).toBeLessThan(1024 * KB);
  });

  it('keeps the landing page under 300 KB with its heading in the served HTML behind at most 30 KB of blocking CSS, and every page under 1 MB on the wire', async () => {
    const heaviest = htmlFiles(site.dir).reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
    const paths = ['/', '/guides/retries-and-idempotency.html', '/reference/api-keys/createApiKey.html', '/reference/schemas/Message.html', `/${relative(site.dir, heaviest)}`];
    const costs = [];
    for (const path of paths) costs.push(await measurePage(browser, server.url, path));
    costs.push(await measurePage(browser, server.url, '/', 390));
    // Through the documented server (npm run docs:serve), with idle-time prefetches counted.
    for (const c of costs) figures.push(`${c.path} at ${c.width} px: ${(c.transferBytes / KB).toFixed(1)} KB on the wire in ${c.requests} requests, first heading painted at ${c.headingShownMs} ms`);
    const landing = costs[0]!;
    expect(landing.transferBytes).toBeLessThanOrEqual(300 * KB);
    // When the heading paints depends on the machine (a loaded CI runner took 1.3 s), so the
    // paint time is printed and what decides it is asserted: the heading is in the HTML as
    // served (no script has to run first), and nothing but stylesheets blocks the first paint.
    const blocking = renderBlocking(await fetch(`${server.url}/`).then((r) => r.text()));
    expect(blocking.heading).toBe(true);
    expect(blocking.scripts).toEqual([]);
    const cssBytes = blocking.stylesheets.reduce((sum, href) => sum + gzipSync(readFileSync(join(site.dir, href))).length, 0);
    figures.push(`landing: blocked by ${blocking.stylesheets.length} stylesheets, ${(cssBytes / KB).toFixed(1)} KB gzipped`);
    expect(cssBytes).toBeLessThanOrEqual(30 * KB);
    for (const c of costs) expect(c.transferBytes, c.path).toBeLessThan(1024 * KB);
    for (const c of costs) expect(c.urls.filter((u) => !isLocal(u)), c.path).toEqual([]);
  }, 120_000);

  it('gives every operationId and event a page reachable from the reference, with samples in all twelve languages', async () => {
    await page.goto(`${server.url}/reference/`);
    const links = await page.$$eval('.VPSidebar a[href]', (as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).href))]);
    const found = new Map<string, string>();
    const problems: string[] = [];
    for (const link of links.filter((l) => /\/reference\/[^/]+\/[^/]+\.html$/.test(l))) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
      const html = await response.text();
      const id = /<h1 id="([^"]+)"/.exec(html)?.[1];
      if (!id) continue;
      found.set(id, link);
      const group = /<div class="vp-code-group[^"]*"><div class="tabs">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
      const labels = [...group.matchAll(/<label data-title="([^"]+)"/g)].map((m) => m[1]!.replace('&#35;', '#'));
      if (labels.join() !== LABELS.join()) problems.push(`${id}: sample tabs ${labels.join(', ')}`);
    }
    expect(contractIds.filter((id) => !found.has(id)), 'operations and events without a page').toEqual([]);
    expect(problems).toEqual([]);
    figures.push(`${found.size} operation and event pages, each with ${LABELS.length} sample languages`);
  }, 60_000);

  it('is served as `npm run docs:serve` serves it: pre-compressed copies with their Content-Encoding', async () => {
    const texts = htmlFiles(site.dir).concat(readdirSync(join(site.dir, 'assets')).filter((n) => /\.(js|css)$/.test(n)).map((n) => join(site.dir, 'assets', n)));
    const missing = texts.filter((file) => statSync(file).size >= 1024 && !(existsSync(`${file}.br`) && existsSync(`${file}.gz`)));
    expect(missing.map((file) => relative(site.dir, file))).toEqual([]);
    const css = readdirSync(join(site.dir, 'assets')).find((n) => n.endsWith('.css'))!;
    for (const path of ['/', `/assets/${css}`]) {
      const raw = readFileSync(join(site.dir, path === '/' ? 'index.html' : path));
      // Node's fetch would unpack the body; a plain request shows what went over the wire.
      const over = (encoding: string) =>
        new Promise<{ encoding?: string; vary?: string; body: Buffer }>((done, fail) => {
          request(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => done({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
          }).on('error', fail).end();
        });
      const br = await over('gzip, deflate, br');
      expect([br.encoding, br.vary]).toEqual(['br', 'accept-encoding']);
      expect(brotliDecompressSync(br.body).equals(raw)).toBe(true);
      const gz = await over('gzip');
      expect(gz.encoding).toBe('gzip');
      expect(gunzipSync(gz.body).equals(raw)).toBe(true);
      const plain = await over('identity');
      expect(plain.encoding).toBeUndefined();
      expect(plain.body.equals(raw)).toBe(true);
      figures.push(`${path === '/' ? 'landing HTML' : css}: ${raw.length} B raw, ${gz.body.length} B gzip, ${br.body.length} B brotli as served`);
    }
  });

  it('starts with `npm run docs:serve` on the port asked for, serving the build it is given', async () => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'docs', 'serve.mjs'), '--dir', site.dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((done, fail) => {
        child.stdout!.on('data', (chunk: Buffer) => done(String(chunk)));
        child.once('exit', (code) => fail(new Error(`docs:serve exited with ${code}`)));
      });
      const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
      const response = await fetch(`${url}/guides/getting-started`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('First call, in five lines');
      expect((await fetch(`${url}/no/such/page`)).status).toBe(404);
    } finally {
      child.kill();
    }
  });

  it('says on the reference which sample languages run against the mock and which are only parsed', async () => {
    for (const path of ['/reference/', '/reference/messages/sendMessage.html']) {
      await page.goto(`${server.url}${path}`);
      const text = await page.locator('.vp-doc').innerText();
      expect(text, path).toContain('Python, PHP, Ruby, Go, Java, C# and Kotlin are run against the mock');
      expect(text, path).toMatch(/Rust \([^)]+\) and Swift \([^)]+\) are parsed, not run/);
    }
  });

  it('offers the contract for download from the site itself', async () => {
    await page.goto(`${server.url}/reference/`);
    const href = await page.locator('.vp-doc a[href$="openapi.json"]').first().getAttribute('href');
    const served = await fetch(new URL(href!, `${server.url}/reference/`)).then((r) => r.json());
    expect(served.info).toEqual(spec.info);
    expect(Object.keys(served.paths)).toEqual(Object.keys(spec.paths));
  });

  it('finds a guide term and an operation with the offline search', async () => {
    const search = async (term: string) => {
      await page.goto(`${server.url}/`);
      await page.locator('.VPNavBarSearch button').first().click();
      const input = page.locator('.VPLocalSearchBox input');
      await input.fill(term);
      await page.locator('.VPLocalSearchBox .result').first().waitFor();
      return page.$$eval('.VPLocalSearchBox .result', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
    };
    const guide = await search('Idempotency-Key');
    expect(guide.some((href) => href.startsWith('/guides/retries-and-idempotency')), guide.join(' ')).toBe(true);
    const operation = await search('createApiKey');
    expect(operation.some((href) => href.startsWith('/reference/api-keys/createApiKey')), operation.join(' ')).toBe(true);
  });

  it('shows every page without JavaScript: the content is in the HTML as served', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${server.url}/reference/api-keys/createApiKey.html`);
    expect(await tab.locator('h1').innerText()).toContain('Create an API key');
    expect(await tab.locator('.vp-code-group .blocks > .active').first().innerText()).toContain('--request POST "${COVETON_BASE_URL:-');
    expect(await tab.locator('form.try-it textarea').inputValue()).toContain('"name": "CI Pipeline"');
    await tab.goto(`${server.url}/guides/retries-and-idempotency.html`);
    expect(await tab.locator('.vp-doc').innerText()).toContain('Idempotency-Key');
    await context.close();
  });

  it('keeps the chosen sample language across pages', async () => {
    const activeLanguage = () => page.$$eval('.vp-code-group', (groups) => groups.map((g) => g.querySelector(':scope > .blocks > .active')?.className.split(' ')[0] ?? ''));
    await page.goto(`${server.url}/reference/api-keys/createApiKey.html`);
    expect((await activeLanguage())[0]).toBe('language-bash');
    await page.locator('.vp-code-group .tabs label', { hasText: /^Python$/ }).first().click();
    expect(await activeLanguage()).toEqual(['language-python', ...(await activeLanguage()).slice(1)]);
    // A second page, reached in the app...
    await page.locator('.VPSidebar a[href$="/reference/api-keys/getApiKey.html"]').click();
    await page.waitForURL(/getApiKey/);
    await expect.poll(async () => (await activeLanguage())[0]).toBe('language-python');
    // ...and a third, loaded afresh.
    await page.goto(`${server.url}/reference/chats/listChats.html`);
    await expect.poll(async () => (await activeLanguage())[0]).toBe('language-python');
    await page.locator('.vp-code-group .tabs label', { hasText: /^cURL$/ }).first().click();
  });

  it('shows no overlapping text on a 390 px phone, and scrolls wide code instead of cutting it', async () => {
    const phone = await watchedContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const tab = await phone.context.newPage();
    const reports = [];
    for (const path of ['/', '/guides/webhooks.html', '/reference/api-keys/createApiKey.html', '/reference/schemas/', '/reference/schemas/Message.html']) {
      await tab.goto(`${server.url}${path}`);
      await tab.locator('h1').first().waitFor();
      const report = await checkLayout(tab);
      reports.push({ path, ...report });
      if (path.includes('createApiKey')) {
        await tab.locator('#samples').scrollIntoViewIfNeeded();
        await tab.screenshot({ path: join(shots, 'phone-operation.png') });
      }
    }
    for (const r of reports) {
      expect(r.pageWidth, `${r.path} is wider than the phone`).toBeLessThanOrEqual(r.viewportWidth);
      expect(r.overlaps, r.path).toEqual([]);
      expect(r.cutCode, r.path).toEqual([]);
      expect(r.textBoxes, r.path).toBeGreaterThan(20);
    }
    expect(reports.find((r) => r.path.includes('createApiKey'))!.scrollingCode).toBeGreaterThan(0);
    // The check itself sees a floating button over the text, and a code block that cuts.
    await tab.goto(`${server.url}/reference/api-keys/createApiKey.html`);
    await tab.locator('#samples').scrollIntoViewIfNeeded();
    await tab.evaluate(() => {
      const pre = document.querySelector<HTMLElement>('.vp-code-group .active pre')!;
      // Over the first lines of the sample, wherever the layout put it.
      const button = Object.assign(document.createElement('button'), { textContent: 'Menu button' });
      button.style.cssText = `position:fixed;left:20px;top:${Math.round(pre.getBoundingClientRect().top) + 20}px;font-size:20px`;
      document.body.append(button);
      pre.style.overflowX = 'hidden';
      pre.parentElement!.style.overflowX = 'hidden';
    });
    const broken = await checkLayout(tab);
    expect(broken.overlaps.some((o) => o.includes('Menu button'))).toBe(true);
    expect(broken.cutCode.length).toBeGreaterThan(0);
    figures.push(`phone 390 px: ${reports.map((r) => `${r.path} ${r.textBoxes} text boxes, ${r.scrollingCode} scrolling code blocks`).join('; ')}`);
    expect(phone.requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('saves screenshots of the landing page, a guide, an operation and the schemas at 1280 and 390 px', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const names: string[] = [];
    for (const [width, tab] of [[1280, page], [390, await phone.newPage()]] as const) {
      for (const [name, path] of [
        ['landing', '/'],
        ['guide', '/guides/retries-and-idempotency.html'],
        ['operation', '/reference/messages/sendMessage.html'],
        ['schemas', '/reference/schemas/'],
      ] as const) {
        await tab.goto(`${server.url}${path}`);
        await tab.locator('h1').first().waitFor();
        const file = join(shots, `${name}-${width}.png`);
        await tab.screenshot({ path: file });
        expect(statSync(file).size).toBeGreaterThan(20_000);
        names.push(`${name}-${width}`);
      }
    }
    await phone.close();
    figures.push(`screenshots in ${relative(join(outputDir, '..'), shots)}: ${[...names, 'phone-operation'].map((n) => `${n}.png`).join(', ')}`);
  }, 60_000);

  it('loads nothing from outside 127.0.0.1 and logs no error', () => {
    expect(desk.requests.length).toBeGreaterThan(10);
    expect(desk.requests.filter((url) => !isLocal(url)), 'requests that left 127.0.0.1').toEqual([]);
    expect(desk.errors).toEqual([]);
  });
});
