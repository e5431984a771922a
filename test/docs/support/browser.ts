// Debian's Chromium, driven by playwright-core (which never downloads a browser), with every
// request and console error of its pages recorded so a test can assert nothing left 127.0.0.1.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium calls Google's hosts at start-up, which a
// closed network refuses (and which the tests would count as leaks).
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (Debian's package; playwright-core never downloads one).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A URL that stays on this machine: 127.0.0.1, or data held by the page itself. */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || protocol === 'about:' || hostname === '127.0.0.1';
}

export interface Watched {
  context: BrowserContext;
  requests: string[];
  errors: string[];
}

/** A browser context whose requests and console errors are recorded. */
export async function watchedContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Watched> {
  const context = await browser.newContext(options);
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => void requests.push(request.url()));
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => void errors.push(`page: ${error.message}`));
  });
  return { context, requests, errors };
}
