// The mock is safe to run on a developer's machine: only loopback pages (and --cors-origin) may
// call it, control requests that change it need a preflight a page cannot pass, a foreign Host
// (DNS rebinding) is refused, webhook deliveries never follow a redirect and read a few KB of an
// answer at most, and no malformed input makes it answer 500. Seed files get the same ids at
// every start and reset.
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeliveries } from '../../src/mock/deliveries.js';
import { SEED, startMock } from '../../src/mock/index.js';
import { deliverOnce, MAX_ANSWER_BYTES } from '../../src/tools/webhook-delivery.js';
import { loadSpecModel } from '../../src/tools/spec-model.js';
import { runProgram } from '../cli/helpers.js';
import { httpClient } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false, corsOrigins: ['https://docs.example.com'], webhooks: { url: 'http://127.0.0.1:9/unused', secret: 'whsec_x', attempts: 1 } });
const { call } = httpClient(() => mock().url);
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A local server answering with `handler`; counts its requests. */
async function server(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const s = createServer((req, res) => {
    hits++;
    handler!(req, res);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, hits: () => hits };
}

/** A raw request with a Host header of our choosing (fetch will not send one). */
function withHost(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${mock().url}${path}`, { headers: { host, authorization: 'Bearer ak_test_host00000000000000000000' } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may talk to the mock', () => {
  it('pages from another origin are refused (and get no CORS grant); loopback and --cors-origin pages are answered', async () => {
    const evil = await fetch(`${mock().url}/utils/authtest`, { headers: { origin: 'https://evil.example', authorization: 'Bearer ak_test_x00000000000000000000000' } });
    expect([evil.status, evil.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    const preflight = await fetch(`${mock().url}/__mock/reset`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    const outbox = await fetch(`${mock().url}/__mock/outbox`, { headers: { origin: 'https://evil.example' } });
    expect(outbox.status).toBe(403);
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'https://docs.example.com']) {
      const ok = await fetch(`${mock().url}/utils/authtest`, { headers: { origin, authorization: 'Bearer ak_test_x00000000000000000000000' } });
      expect([ok.status, ok.headers.get('access-control-allow-origin')], origin).toEqual([200, origin]);
    }
  });

  it('a control request a page could send without a preflight changes nothing', async () => {
    const team = await call('POST', '/teams', { token: 'ak_test_safety000000000000000000', body: { organizationId: SEED.organizationId, name: 'Survivor' } });
    for (const init of [{}, { body: 'x', headers: { 'content-type': 'text/plain' } }, { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }]) {
      const res = await fetch(`${mock().url}/__mock/reset`, { method: 'POST', ...init });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Content-Type: application/json');
    }
    expect((await fetch(`${mock().url}/__mock/clock`, { method: 'POST', body: '{"advance":"1d"}', headers: { 'content-type': 'text/plain' } })).status).toBe(403);
    expect((await call('GET', `/teams/${team.body.id}`, { token: 'ak_test_safety000000000000000000' })).status).toBe(200);
    expect((await fetch(`${mock().url}/__mock/reset`, { method: 'POST', headers: { 'x-coveton-mock': '1' } })).status).toBe(204);
    expect((await call('GET', `/teams/${team.body.id}`, { token: 'ak_test_safety000000000000000000' })).status).toBe(404);
  });

  it('a foreign Host is refused (DNS rebinding); loopback names are served', async () => {
    const port = mock().port;
    expect(await withHost(`evil.example:${port}`, '/utils/authtest')).toBe(403);
    expect(await withHost(`evil.example:${port}`, '/__mock/outbox')).toBe(403);
    expect(await withHost(`192.168.1.20:${port}`, '/utils/authtest')).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) expect(await withHost(host, '/utils/authtest'), host).toBe(200);
  });
});

describe('webhook deliveries and coveton webhooks', () => {
  it('a redirect is a failed delivery naming its Location; the other host never sees the signed body', async () => {
    const elsewhere = await server((_req, res) => res.writeHead(200).end());
    const redirecting = await server((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/steal` }).end());
    const outcome = await deliverOnce(`${redirecting.url}/hook`, 'whsec_test', '{"id":"evt_1"}');
    expect(outcome).toMatchObject({ status: 307, location: `${elsewhere.url}/steal` });
    expect(outcome.problem).toContain(`${elsewhere.url}/steal`);
    const cli = await runProgram(['webhooks', 'trigger', 'message.created', '--to', `${redirecting.url}/hook`, '--secret', 'whsec_test']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`answered 307, a redirect to ${elsewhere.url}/steal (not followed`);
    expect([redirecting.hits(), elsewhere.hits()]).toEqual([2, 0]);
  });

  it("the mock's own deliveries (--webhook-url) fail on a redirect, say where it pointed, and are retried to the same URL only", async () => {
    const elsewhere = await server((_req, res) => res.writeHead(200).end());
    const redirecting = await server((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/collect` }).end());
    const lines: string[] = [];
    const deliveries = createDeliveries({ url: `${redirecting.url}/hook`, secret: 'whsec_test', attempts: 2, backoffMs: 1 }, (l) => lines.push(l));
    deliveries.emit('message.created', SEED.organizationId, { id: 'msg_1' }, Date.now());
    await deliveries.idle();
    expect(deliveries.records[0]).toMatchObject({ attempts: 2, status: 302, delivered: false });
    expect(deliveries.records[0]!.problem).toContain(`${elsewhere.url}/collect`);
    expect(lines.at(-1)).toContain(`a redirect to ${elsewhere.url}/collect, which is not followed`);
    expect([redirecting.hits(), elsewhere.hits()]).toEqual([2, 0]);
  });

  it(`reads at most ${MAX_ANSWER_BYTES} bytes of an answer, however much the receiver sends`, async () => {
    let written = 0;
    let closed = false;
    const flood = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!closed && written < 400 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (closed = true));
      pump();
    });
    const outcome = await deliverOnce(flood.url, 'whsec_test', '{}');
    expect(outcome.status).toBe(200);
    expect(outcome.answer!.length).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
    expect(written).toBeLessThan(32 * 1024 * 1024); // the receiver was cut off, not read to its 400 MB end
  });

  it('trigger --provider completes a checkout on the mock with an event signed the processor’s way', async () => {
    const session = await call('POST', `/subscriptions/${SEED.organizationId}/checkout`, { token: 'ak_test_trigger00000000000000000', body: { plan: 'enterprise', provider: 'paystack', successUrl: 'https://app.example.com/b' } });
    const args = ['webhooks', 'trigger', 'charge.success', '--provider', 'paystack', '--checkout', session.body.checkoutUrl, '--to', `${mock().url}/webhooks/paystack`];
    expect((await runProgram([...args, '--secret', 'whsec_wrong'])).stderr).toContain('answered 400');
    const run = await runProgram([...args, '--secret', mock().processorSecret]);
    expect(run.code, run.stderr).toBe(0);
    expect((await call('GET', `/subscriptions/${SEED.organizationId}`, { token: 'ak_test_trigger00000000000000000' })).body).toMatchObject({ plan: 'enterprise', provider: 'paystack' });
  });
});

describe('malformed input is a 4xx, never a 500', () => {
  const spec = loadSpecModel();
  it('every operation, with broken ids, bodies, queries and credentials', async () => {
    const hostile = [
      { path: (p: string) => p.replace(/\{[^}]+\}/g, '%FF'), body: undefined },
      { path: (p: string) => p.replace(/\{[^}]+\}/g, '%E2%82'), body: 'null' },
      { path: (p: string) => p.replace(/\{[^}]+\}/g, 'x'.repeat(2000)), body: '[]' },
      { path: (p: string) => p.replace(/\{[^}]+\}/g, '..%2F..%2Fetc'), body: '"text"' },
      { path: (p: string) => `${p.replace(/\{[^}]+\}/g, 'id_1')}?limit=-1&limit=1e309&before=%00`, body: '{"a":'.repeat(2000) },
      { path: (p: string) => `${p.replace(/\{[^}]+\}/g, 'id_1')}?organizationId[]=x&q=%F0%9F`, body: '{"__proto__":{"x":1},"constructor":{}}' },
    ];
    const statuses = new Map<number, number>();
    const fives: string[] = [];
    for (const op of spec.operations) {
      for (const [i, h] of hostile.entries()) {
        const res = await fetch(mock().url + h.path(op.path), {
          method: op.method.toUpperCase(),
          headers: { authorization: i % 2 ? 'Bearer ak_test_fuzz00000000000000000000' : 'Bearer \u00ff.\u00ff.\u00ff', 'content-type': 'application/json', 'idempotency-key': `fuzz-${op.id}-${i}` },
          body: op.method === 'get' ? undefined : h.body,
          redirect: 'manual',
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fives.push(`${op.method.toUpperCase()} ${h.path(op.path).slice(0, 80)} -> ${res.status}`);
      }
    }
    expect(fives).toEqual([]);
    expect(mock().violations).toEqual([]);
    console.log(`malformed input: ${spec.operations.length * hostile.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});

describe('seed files', () => {
  it('give the same ids and times at every start and after a reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coveton-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ users: [{ email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace Hopper' }], teams: [{ organizationId: SEED.organizationId, name: 'Compilers' }] }));
    const idsOf = async (url: string) => {
      const teams = (await (await fetch(`${url}/teams?organizationId=${SEED.organizationId}`, { headers: { authorization: 'Bearer ak_test_seed00000000000000000000' } })).json()) as { id: string; createdAt: string }[];
      const login = (await (await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'grace@example.com', password: 'another-passphrase' }) })).json()) as { user: { id: string } };
      return [...teams.map((t) => `${t.id} ${t.createdAt}`), login.user.id];
    };
    const first = await startMock({ seed: file, rateLimit: false });
    const second = await startMock({ seed: file, rateLimit: false });
    try {
      const ids = await idsOf(first.url);
      // The default seed's team (the spec examples'), the file's team, and Grace.
      expect(ids).toHaveLength(3);
      expect(await idsOf(second.url)).toEqual(ids);
      first.reset();
      expect(await idsOf(first.url)).toEqual(ids);
    } finally {
      await Promise.all([first.close(), second.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
