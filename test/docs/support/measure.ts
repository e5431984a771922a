// Opens a page in a fresh context (empty cache) and measures what a first visit costs: bytes on
// the wire (compressed bodies and headers, as Chromium counts them), requests, and when the
// first heading was painted.
import type { Browser } from 'playwright-core';

export interface PageCost {
  path: string;
  width: number;
  transferBytes: number;
  requests: number;
  headingShownMs: number;
  urls: string[];
}

export async function measurePage(browser: Browser, base: string, path: string, width = 1280): Promise<PageCost> {
  const phone = width < 640;
  const context = await browser.newContext(phone ? { viewport: { width, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } });
  const page = await context.newPage();
  // A cold cache, but a warm renderer: the first navigation of a new context also starts a
  // renderer process, which is Chromium's cost, not the page's. A tiny file of the same origin
  // starts it; with the cache disabled, nothing it loads helps the page that follows.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(`${base}/favicon.svg`);
  const finished: Promise<number>[] = [];
  const urls: string[] = [];
  page.on('requestfinished', (request) => {
    urls.push(request.url());
    finished.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  await page.locator('h1').first().waitFor({ state: 'visible' });
  const headingShownMs = await page.evaluate(() => {
    // The heading is in the HTML as served, so it shows with the first paint that has content.
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return paint ? paint.startTime : performance.now();
  });
  // Idle-time prefetches of linked pages count too: wait until the network is quiet.
  await page.waitForLoadState('networkidle');
  // Stop counting before awaiting: a request that finished after the snapshot would ask for its
  // sizes from a context about to close, an unhandled rejection that failed a CI run.
  page.removeAllListeners('requestfinished');
  const sizes = await Promise.all(finished);
  await context.close();
  return { path, width, transferBytes: sizes.reduce((a, b) => a + b, 0), requests: sizes.length, headingShownMs: Math.round(headingShownMs), urls };
}

export interface RenderBlocking {
  /** Whether an `<h1>` is in the body as served, so it shows before any script runs. */
  heading: boolean;
  /** Stylesheets linked from `<head>` (they hold back the first paint). */
  stylesheets: string[];
  /** Classic scripts with a `src` and neither `async` nor `defer` (they hold back parsing). */
  scripts: string[];
}

/** What must arrive before a page's first paint, read from its HTML as served. */
export function renderBlocking(html: string): RenderBlocking {
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1] ?? '';
  const body = html.slice(html.indexOf('<body'));
  const tags = (name: string) => [...head.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => m[0]);
  const attr = (tag: string, key: string) => new RegExp(`\\s${key}="([^"]*)"`).exec(tag)?.[1];
  const stylesheets = tags('link')
    .filter((tag) => (attr(tag, 'rel') ?? '').split(/\s+/).includes('stylesheet'))
    .map((tag) => attr(tag, 'href')!.replace(/^\//, ''));
  const scripts = tags('script')
    .filter((tag) => attr(tag, 'src') !== undefined && attr(tag, 'type') !== 'module' && !/\s(async|defer)[\s>=]/.test(tag))
    .map((tag) => attr(tag, 'src')!);
  return { heading: /<h1[\s>]/.test(body), stylesheets, scripts };
}
