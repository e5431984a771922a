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
    // Two slow uploads declare 1 MB each and send 1000 bytes: each holds its declared length.
    const a = upload({ 'content-length': String(MB) }, paddedLogin(MB).subarray(0, 1000));
    const bBody = paddedLogin(MB);
    const b = upload({ 'content-length': String(MB) }, bBody.subarray(0, 1000));
    expect(await bodiesHeld(2 * MB)).toEqual({ bytes: 2 * MB, cap: BUDGET });

    // A third 1 MB body does not fit (2 MB + 1 MB > 2.5 MB): a 503 before a byte of it is read.
    const c = upload({ 'content-length': String(MB) }, Buffer.alloc(0));
    const refused = await c.answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toEqual({ error: { code: 'INTERNAL', message: expect.stringContaining('retry after 1 s'), requestId: expect.stringMatching(/^req_/) } });
    expect(await bodiesHeld(2 * MB)).toEqual({ bytes: 2 * MB, cap: BUDGET });

    // A small request still fits beside them.
    expect((await call('POST', '/auth/login', { body: ADA })).status).toBe(200);

    // A chunked body (no length declared) takes its bytes as they come: 400 kB fit, 200 kB more do not.
    const chunked = upload({ 'transfer-encoding': 'chunked' }, Buffer.from(`${(400_000).toString(16)}\r\n${'x'.repeat(400_000)}\r\n`));
    expect(await bodiesHeld(2 * MB + 400_000)).toEqual({ bytes: 2 * MB + 400_000, cap: BUDGET });
    chunked.socket.write(`${(200_000).toString(16)}\r\n${'x'.repeat(200_000)}\r\n`);
    expect((await chunked.answer).status).toBe(503);
    expect(await bodiesHeld(2 * MB)).toEqual({ bytes: 2 * MB, cap: BUDGET });

    // A disconnects mid-body: its 1 MB goes back.
    a.socket.destroy();
    expect(await bodiesHeld(MB)).toEqual({ bytes: MB, cap: BUDGET });

    // The refused request sent again now fits; it is read whole and answered by the API (the
    // contract refuses the unknown `pad` field: 422), as is B once it sends the rest of its body.
    const again = upload({ 'content-length': String(MB) }, paddedLogin(MB));
    expect((await again.answer).status).toBe(422);
    b.socket.write(bBody.subarray(1000));
    expect((await b.answer).status).toBe(422);
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
    expect(mock().requests.filter((r) => r.path === '/auth/login').map((r) => r.status)).toEqual([503, 200, 503, 422, 422]);
  });

  it('the SDK waits out the 503 of a message that does not fit yet, and its retry is sent once there is room', async () => {
    const holder = upload({ 'content-length': String(2 * MB) }, Buffer.from('{'));
    expect(await bodiesHeld(2 * MB)).toEqual({ bytes: 2 * MB, cap: BUDGET });
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
    // About 600 kB of ciphertext: more than the 500 kB left beside the holder.
    const sent = await sdk.messages.send(message(SEED.chatId, { ciphertext: 'QUJD'.repeat(150_000) }));
    expect(sent.id).toMatch(/^msg_/);
    expect(statuses).toEqual([503, 201]);
    expect(await bodiesHeld(0)).toEqual({ bytes: 0, cap: BUDGET });
  });
});
