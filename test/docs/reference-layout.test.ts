// The reference laid out as readers of Stripe's or Scalar's expect, measured in Chromium: from
// 1280 px the samples and response examples sit beside the prose and parameters and stay in view
// while it scrolls; the twelve sample tabs keep to one row; the sidebar shows each operation's
// method; nested fields open in place; a 390 px phone reads the fields and the errors without
// anything running off the screen; every schema has its own page. The send-message page's height
// is printed (it was 7,999 px at 1280 and 13,312 px at 390 in one column); screenshots go to
// test-output/docs/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec } from '../support/spec.js';
import { launch } from './support/browser.js';
import { serve, type StaticServer } from './support/serve.js';
import { builtSite, outputDir } from './support/site.js';

const SEND = '/reference/messages/sendMessage.html';
const shots = join(outputDir, 'docs');

type Box = { left: number; right: number; top: number; bottom: number };
const box = (page: Page, selector: string): Promise<Box> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });

describe('reference layout', () => {
  let server: StaticServer;
  let browser: Browser;
  let desk: Page | undefined;
  const figures: string[] = [];

  beforeAll(async () => {
    server = await serve((await builtSite()).dir);
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    if (figures.length > 0) console.log(`reference layout:\n  ${figures.join('\n  ')}`);
    await browser?.close();
    await server?.close();
  });

  /** A page at `width`: the one desktop tab the tests share, or a new phone. */
  async function open(width: number, path = SEND): Promise<Page> {
    desk ??= await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const page = width === 1280 ? desk : await (await browser.newContext({ viewport: { width, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await page.goto(`${server.url}${path}`);
    await page.locator('h1').first().waitFor();
    return page;
  }

  const release = async (page: Page) => {
    if (page !== desk) await page.context().close();
  };

  it('puts the samples and response examples beside the prose at 1280 px, in view while the page scrolls', async () => {
    const page = await open(1280);
    const [intro, main, aside] = [await box(page, '.op-intro'), await box(page, '.op-main'), await box(page, '.op-aside')];
    expect(aside.left, 'samples column starts right of the prose').toBeGreaterThanOrEqual(Math.max(intro.right, main.right));
    expect(aside.top, 'and level with it').toBeLessThan(intro.top + 50);
    expect(main.top, 'the parameters follow the intro on the left').toBeLessThan(intro.bottom + 50);
    expect(main.right - main.left).toBeGreaterThan(350);
    expect(aside.right - aside.left).toBeGreaterThan(350);
    expect(aside.right).toBeLessThanOrEqual(1280);
    // The parameters are on the left, the samples and the examples on the right.
    expect(await page.locator('.op-main #request').count()).toBe(1);
    expect(await page.locator('.op-aside #samples').count()).toBe(1);
    expect(await page.locator('.op-aside #response-example').count()).toBe(1);
    // Far down the prose (the errors table), the samples are still on screen.
    await page.locator('#errors').scrollIntoViewIfNeeded();
    const scrolled = await box(page, '.op-aside .vp-code-group');
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    expect(scrolled.top).toBeGreaterThanOrEqual(0);
    expect(scrolled.top).toBeLessThan(900);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'operation-1280.png') });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    figures.push(`send message at 1280 px: ${height} px tall (7,999 px in one column)`);
    await release(page);
  });

  it('keeps the twelve sample tabs on one row, with the chosen one in sight', async () => {
    const page = await open(1280);
    const tops = await page.$$eval('.op-aside .vp-code-group:first-of-type .tabs label', (labels) => labels.map((l) => Math.round(l.getBoundingClientRect().top)));
    expect(tops).toHaveLength(12);
    expect(new Set(tops).size).toBe(1);
    await page.locator('.op-aside .vp-code-group .tabs label', { hasText: /^Kotlin$/ }).first().click();
    await page.reload();
    await page.waitForFunction(() => document.querySelector('.op-aside .vp-code-group .blocks > .active')?.className.includes('language-kotlin'));
    const [row, tab] = await page.$$eval('.op-aside .vp-code-group:first-of-type .tabs', ([tabs]) => {
      const label = [...tabs!.querySelectorAll('label')].find((l) => l.textContent === 'Kotlin')!;
      return [tabs!.getBoundingClientRect(), label.getBoundingClientRect()].map((r) => ({ left: r.left, right: r.right }));
    });
    expect(tab!.left).toBeGreaterThanOrEqual(row!.left - 1);
    expect(tab!.right).toBeLessThanOrEqual(row!.right + 1);
    await page.locator('.op-aside .vp-code-group .tabs label', { hasText: /^cURL$/ }).first().click();
    await release(page);
  });

  it('shows the method of every operation in the sidebar', async () => {
    const html = await fetch(`${server.url}${SEND}`).then((r) => r.text());
    const sidebar = html.slice(html.indexOf('class="VPSidebar'), html.indexOf('class="VPContent'));
    const badges = [...sidebar.matchAll(/<a class="VPLink link[^"]*" href="\/reference\/[^/"]+\/(\w+)\.html"[^>]*>[\s\S]*?<span class="sb-method op-(\w+)">(\w+)<\/span>/g)];
    const methods = new Map<string, string>();
    for (const item of Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const [method, op] of Object.entries(item)) if (op?.operationId) methods.set(op.operationId, method);
    }
    const shown = new Map(badges.map((m) => [m[1]!, m[2]!]));
    expect([...methods.keys()].filter((id) => shown.get(id) !== methods.get(id))).toEqual([]);
    figures.push(`sidebar: ${badges.length} method badges`);
  });

  it('opens nested fields in place', async () => {
    const page = await open(1280, '/reference/organizations/updateOrganization.html');
    const nested = page.locator('.op-main details.field-children').first();
    await expect.poll(() => nested.locator('.field').first().isVisible()).toBe(false);
    await nested.locator('summary').click();
    await expect.poll(() => nested.locator('.field').first().isVisible()).toBe(true);
    await release(page);
  });

  it('reads on a 390 px phone: no field, table cell or line runs off the screen', async () => {
    const page = await open(390);
    const report = await page.evaluate(() => {
      const wide = [...document.querySelectorAll('.vp-doc .field, .vp-doc td, .vp-doc p, .vp-doc li')]
        .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').slice(0, 40)}`);
      const tables = [...document.querySelectorAll<HTMLElement>('.vp-doc table')].filter((t) => t.scrollWidth > t.clientWidth + 1).length;
      return { pageWidth: document.documentElement.scrollWidth, wide, tables, height: document.documentElement.scrollHeight };
    });
    expect(report.pageWidth).toBeLessThanOrEqual(390);
    expect(report.wide).toEqual([]);
    expect(report.tables, 'tables that scroll sideways').toBe(0);
    // On a phone the samples come after what the operation does, before its parameters.
    const order = await page.evaluate(() => ['.op-intro', '#samples', '#request'].map((s) => document.querySelector(s)!.getBoundingClientRect().top));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await page.screenshot({ path: join(shots, 'operation-390.png') });
    figures.push(`send message at 390 px: ${report.height} px tall (13,312 px before)`);
    await release(page);
  });

  it('gives every schema of the contract its own page, listed on the schemas index', async () => {
    const names = Object.keys(spec.components.schemas as object);
    expect(names.length).toBeGreaterThan(50);
    const index = await fetch(`${server.url}/reference/schemas/`).then((r) => r.text());
    const missing: string[] = [];
    for (const name of names) {
      if (!index.includes(`href="/reference/schemas/${name}.html"`)) missing.push(`${name}: not on the index`);
      const response = await fetch(`${server.url}/reference/schemas/${name}.html`);
      const html = await response.text();
      if (response.status !== 200 || !html.includes(`<h1 id="schema" tabindex="-1">${name} `)) missing.push(`${name}: no page`);
    }
    expect(missing).toEqual([]);
    const page = await open(1280, '/reference/schemas/Message.html');
    await page.screenshot({ path: join(shots, 'schema-1280.png') });
    figures.push(`${names.length} schema pages; Message is ${await page.evaluate(() => document.documentElement.scrollHeight)} px tall (all schemas were one 64,672 px page)`);
    await release(page);
  });
});
