// Request bodies in flight are bounded in total (src/mock/bodies.ts): each body had its own limit
// (16 MiB for the API), but nothing bounded their sum, so many slow or large uploads at once
// made the mock buffer them all. Real sockets against the mock on 127.0.0.1, a budget of 2.5 MB:
// which request gets which status, and what `GET /__mock/memory` says after each step.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, message } from './http.js';
import { ADA, client, useMock } from './support.js';

const BUDGET = 2_500_000;
const MB = 1_000_000;
const mock = useMock({ rateLimit: false, bodyBytesInFlight: BUDGET });
const { call, control } = httpClient(() => mock().url);

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, any>;
}

/** A login body of exactly `bytes` bytes: valid JSON whose unknown `pad` field the contract refuses. */
const paddedLogin = (bytes: number) => {
  const head = `{"email":"${ADA.email}","password":"${ADA.password}","pad":"`;
  return Buffer.from(`${head}${'x'.repeat(bytes - head.length - 2)}"}`);
};

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

/** Opens a socket, sends a request's head and `first` bytes of its body; `answer` resolves with the mock's answer. */
function upload(head: Record<string, string>, first: Buffer) {
  const socket = connect(mock().port, '127.0.0.1');
  sockets.push(socket);
  const lines = [`POST /auth/login HTTP/1.1`, `host: 127.0.0.1:${mock().port}`, 'content-type: application/json', ...Object.entries(head).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (first.length > 0) socket.write(first);
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [status, ...rest] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(rest.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = data.subarray(end + 4);
      if (body.length < Number(headers['content-length'])) return;
      resolve({ status: Number(status!.split(' ')[1]), headers, body: JSON.parse(body.toString('utf8')) });
    });
    socket.on('error', reject);
  });
  return { socket, answer };
}

/** `bodies` of GET /__mock/memory once it reads `bytes` (the mock sees a socket's bytes or its end a moment later), else its last figure. */
async function bodiesHeld(bytes: number): Promise<{ bytes: number; cap: number }> {
  let seen = (await control('/memory')).body.bodies;
  for (let i = 0; i < 100 && seen?.bytes !== bytes; i++) {
    await new Promise((r) => setTimeout(r, 20));
    seen = (await control('/memory')).body.bodies;
  }
  return seen;
}

describe('the bodies in flight share one budget', () => {
  it('refuses what does not fit beside them with a 503 and Retry-After, and a client that goes away gives its share back', async () => {
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
    // Two slow uploads declare 1 MB each and send all but 1000 bytes: each holds what it sent.
    const a = upload({ 'content-length': String(MB) }, paddedLogin(MB).subarray(0, MB - 1000));
    const bBody = paddedLogin(MB);
    const b = upload({ 'content-length': String(MB) }, bBody.subarray(0, MB - 1000));
    const both = 2 * (MB - 1000);
    expect(await bodiesHeld(both)).toEqual({ bytes: both, cap: BUDGET });

    // A third 1 MB body does not fit (its bytes reach past 2.5 MB before its end): a 503.
    const c = upload({ 'content-length': String(MB) }, paddedLogin(MB).subarray(0, 600_000));
    const refused = await c.answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toEqual({ error: { code: 'INTERNAL', message: expect.stringContaining('retry after 1 s'), requestId: expect.stringMatching(/^req_/) } });
    expect(await bodiesHeld(both)).toEqual({ bytes: both, cap: BUDGET });

    // A small request still fits beside them.
    expect((await call('POST', '/auth/login', { body: ADA })).status).toBe(200);

    // A chunked body (no length declared) takes its bytes as they come: 400 kB fit, 200 kB more do not.
    const chunked = upload({ 'transfer-encoding': 'chunked' }, Buffer.from(`${(400_000).toString(16)}\r\n${'x'.repeat(400_000)}\r\n`));
    expect(await bodiesHeld(both + 400_000)).toEqual({ bytes: both + 400_000, cap: BUDGET });
    chunked.socket.write(`${(200_000).toString(16)}\r\n${'x'.repeat(200_000)}\r\n`);
    expect((await chunked.answer).status).toBe(503);
    expect(await bodiesHeld(both)).toEqual({ bytes: both, cap: BUDGET });

    // A disconnects mid-body: what it sent goes back.
    a.socket.destroy();
    expect(await bodiesHeld(MB - 1000)).toEqual({ bytes: MB - 1000, cap: BUDGET });

    // The refused request sent again now fits; it is read whole and answered by the API (the
    // contract refuses the unknown `pad` field: 422), as is B once it sends the rest of its body.
    const again = upload({ 'content-length': String(MB) }, paddedLogin(MB));
    expect((await again.answer).status).toBe(422);
    b.socket.write(bBody.subarray(MB - 1000));
    expect((await b.answer).status).toBe(422);
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
    expect(mock().requests.filter((r) => r.path === '/auth/login').map((r) => r.status)).toEqual([503, 200, 503, 422, 422]);
  });

  // A declared length was reserved before a byte arrived: 8 sockets declaring 16 MiB and sending
  // nothing (about 1 KB) held the default 128 MiB, and every real body got a 503 for up to 300 s
  // (hostile review, declared-hold). Here each declares the whole 2.5 MB budget.
  it('sockets that declare a length and send nothing hold nothing: a real login still passes', async () => {
    const idle = Array.from({ length: 8 }, () => upload({ 'content-length': String(BUDGET) }, Buffer.alloc(0)));
    await new Promise((r) => setTimeout(r, 200));
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
    expect((await call('POST', '/auth/login', { body: ADA })).status).toBe(200);
    for (const { socket } of idle) socket.destroy();
  });

  it('a body with no byte for 5 s is answered 408 and gives its share back; one that keeps moving, however slowly, is read', async () => {
    const before = mock().requests.length;
    const started = Date.now();
    const stalled = upload({ 'content-length': '1000' }, paddedLogin(1000).subarray(0, 500));
    const slowBody = paddedLogin(6000);
    const slow = upload({ 'content-length': '6000' }, slowBody.subarray(0, 1000));
    for (let sent = 1000; sent < 6000; sent += 1000) {
      await new Promise((r) => setTimeout(r, 1200));
      slow.socket.write(slowBody.subarray(sent, sent + 1000));
    }
    expect((await slow.answer).status).toBe(422);
    const answer = await stalled.answer;
    const waited = Date.now() - started;
    expect(answer.status).toBe(408);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'No byte of the request body for 5 s: the mock stopped waiting for it.', requestId: expect.stringMatching(/^req_/) } });
    expect(waited).toBeGreaterThanOrEqual(5000);
    expect(waited).toBeLessThan(9000);
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
    expect(mock().requests.slice(before).filter((r) => r.path === '/auth/login').map((r) => r.status).sort()).toEqual([408, 422]);
  }, 20_000);

  it('the SDK waits out the 503 of a message that does not fit yet, and its retry is sent once there is room', async () => {
    const holder = upload({ 'content-length': String(2 * MB) }, Buffer.alloc(2 * MB - 1000, '{'));
    expect(await bodiesHeld(2 * MB - 1000)).toEqual({ bytes: 2 * MB - 1000, cap: BUDGET });
    const statuses: (number | undefined)[] = [];
    const sdk = client(mock(), {
      hooks: {
        onResponse: ({ status }) => {
          statuses.push(status);
          // The first attempt was refused: the holder goes away before the retry (Retry-After: 1 s).
          if (status === 503) holder.socket.destroy();
        },
      },
    });
    await sdk.session.login(ADA);
    statuses.length = 0;
    // About 600 kB of ciphertext: more than the 501 kB left beside the holder.
    const sent = await sdk.messages.send(message(SEED.chatId, { ciphertext: 'QUJD'.repeat(150_000) }));
    expect(sent.id).toMatch(/^msg_/);
    expect(statuses).toEqual([503, 201]);
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
  });
});
