// The relay between Prism and the target of `coveton contract` (src/tools/relay.ts), against an
// in-process target on 127.0.0.1: what a client of the relay (Prism, in `coveton contract`) sees
// when the target dies mid-body or never answers, and which headers cross it (hostile review,
// relay-probe).
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../src/tools/relay.js';

const seen: IncomingHttpHeaders[] = [];
let target: Server;
let relay: Relay | undefined;

async function start(idleMs?: number) {
  target = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/v1/die') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('0123456789');
      setTimeout(() => res.socket!.destroy(), 50);
    } else if (req.url === '/v1/silent') {
      // never answers
    } else if (req.url!.startsWith('/v1/moved/')) {
      // A 3xx, or a 200, naming every address a client could be sent to.
      res.writeHead(Number(req.url!.slice('/v1/moved/'.length)), {
        location: 'https://elsewhere.example/a',
        refresh: '0; url=https://elsewhere.example/b',
        'content-location': 'https://elsewhere.example/c',
        'x-answer-e2e': 'kept',
      });
      res.end('moved');
    } else {
      res.writeHead(200, { connection: 'x-answer-hop', 'x-answer-hop': 'for-the-relay', 'x-answer-e2e': 'kept' });
      res.end('ok');
    }
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  relay = await startRelay(`http://127.0.0.1:${(target.address() as AddressInfo).port}/v1`, idleMs);
}

afterEach(async () => {
  await relay?.close();
  relay = undefined;
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
  seen.length = 0;
});

interface Outcome {
  how: 'ended' | 'cut' | 'request error' | 'no end';
  status?: number;
  bytes: number;
  headers?: IncomingHttpHeaders;
}

/** A GET through the relay and how it ended, or `no end` after `ms` (then it is dropped). */
function get(path: string, headers: Record<string, string> = {}, ms = 3000): Promise<Outcome> {
  const port = new URL(relay!.url).port;
  return new Promise((resolve) => {
    let bytes = 0;
    const timer = setTimeout(() => {
      resolve({ how: 'no end', bytes });
      req.destroy();
    }, ms);
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => done({ how: 'ended', status: res.statusCode, bytes, headers: res.headers }));
      res.on('close', () => {
        if (!res.complete) done({ how: 'cut', status: res.statusCode, bytes });
      });
      res.on('error', () => {});
    });
    req.on('error', () => done({ how: 'request error', bytes }));
    req.end();
  });
}

it('a target that dies mid-body: the relay drops its answer at once, it does not leave it open', async () => {
  await start();
  const started = Date.now();
  expect(await get('/v1/die')).toEqual({ how: 'cut', status: 200, bytes: 10 });
  expect(Date.now() - started).toBeLessThan(2000);
});

it('a target that never answers: the relay drops the request after its idle time', async () => {
  await start(300);
  const started = Date.now();
  expect(await get('/v1/silent')).toEqual({ how: 'request error', bytes: 0 });
  const waited = Date.now() - started;
  expect(waited).toBeGreaterThanOrEqual(290);
  expect(waited).toBeLessThan(2000);
  expect(seen).toHaveLength(1);
});

it("headers named in a message's Connection header are this hop's own: not forwarded either way", async () => {
  await start();
  const answer = await get('/v1/conn', { connection: 'keep-alive, X-Hop-Only', 'x-hop-only': 'proxy-only-value', 'x-e2e': 'kept' });
  expect(answer).toMatchObject({ how: 'ended', status: 200, bytes: 2 });
  expect(seen).toHaveLength(1);
  expect(seen[0]!['x-hop-only']).toBeUndefined();
  expect(seen[0]!['x-e2e']).toBe('kept');
  expect(answer.headers!['x-answer-hop']).toBeUndefined();
  expect(answer.headers!['x-answer-e2e']).toBe('kept');
});

it('a 3xx reaches the client with no address in it: Location, Refresh and Content-Location are removed; other answers keep them', async () => {
  await start();
  for (const status of [300, 301, 302, 303, 307, 308]) {
    const answer = await get(`/v1/moved/${status}`);
    expect(answer).toMatchObject({ how: 'ended', status, bytes: 5 });
    expect(answer.headers!.location, String(status)).toBeUndefined();
    expect(answer.headers!.refresh, String(status)).toBeUndefined();
    expect(answer.headers!['content-location'], String(status)).toBeUndefined();
    expect(answer.headers!['x-answer-e2e']).toBe('kept');
  }
  const ok = await get('/v1/moved/200');
  expect(ok.headers).toMatchObject({ location: 'https://elsewhere.example/a', refresh: '0; url=https://elsewhere.example/b', 'content-location': 'https://elsewhere.example/c' });
  // One request per GET: the relay sent each to the target once and followed nothing.
  expect(seen).toHaveLength(7);
});
