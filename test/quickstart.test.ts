// `npm start` is the main job: the quickstart against the bundled mock, end to end.
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCoveton } from '../src/index.js';
import { startMock } from '../src/mock/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PLAINTEXT = 'Hello Bob, the quarterly numbers are in.';

describe('npm start', () => {
  it('runs the SDK quickstart against the bundled mock and prints every step', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    for (const step of ['signed in', 'current user', 'API key created', 'API keys listed', 'device registered', 'message sent', 'stored by the API', 'message decrypted', 'devices removed', 'file presigned', 'checkout started']) {
      expect(out).toMatch(new RegExp(`✓ ${step}`));
    }
    expect(out).not.toContain('✗');
    expect(out).toMatch(/Coveton mock API \(stateful, validating\) on http:\/\/127\.0\.0\.1:\d+/);
  }, 90_000);

  it('sends a really encrypted message: Bob opens it on his device, the mock holds only ciphertext', async () => {
    const mock = await startMock();
    try {
      const run = async () => {
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
          cwd: root,
          env: { ...process.env, COVETON_BASE_URL: mock.url, COVETON_LOG: 'warn' },
          timeout: 60_000,
        });
        return stdout.split('\n');
      };
      const lines = await run();
      const [ada, bob] = lines.filter((l) => l.includes('✓ device registered')).map((l) => /(dev_\w+)/.exec(l)![1]!);
      expect(lines.filter((l) => l.includes('✓ device registered'))).toEqual([
        `  ✓ device registered        ${ada} Ada's laptop`,
        `  ✓ device registered        ${bob} Bob's tablet`,
      ]);
      const sent = lines.find((l) => l.includes('✓ message sent'))!;
      const id = /(msg_\w+)/.exec(sent)![1]!;
      expect(lines).toContain(`  ✓ message decrypted        on Bob's tablet: "${PLAINTEXT}" from ${ada}`);

      // What the mock stored for that message, read back as Ada.
      const coveton = createCoveton({ baseUrl: mock.url });
      await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
      const stored = [];
      for await (const m of coveton.chats.listMessages('chat_8f2a')) if (m.id === id) stored.push(m);
      expect(stored).toHaveLength(1);
      const message = stored[0]!;
      expect(sent).toBe(`  ✓ message sent             ${id} "${PLAINTEXT}" sealed to ${message.envelopes.length} devices, each active one of Ada's and Bob's`);
      expect(message.envelopes.map((e) => e.deviceId)).toEqual(expect.arrayContaining([ada, bob, 'dev_BobPhone1', 'dev_BobLaptop1']));
      expect(message).toMatchObject({ contentType: 'text/plain', senderDeviceId: ada });
      expect(lines).toContain(`  ✓ stored by the API        ${message.ciphertext.slice(0, 24)}… (${message.ciphertext.length} chars of ciphertext)`);
      const body = Buffer.from(message.ciphertext, 'base64url');
      expect(body[0]).toBe(1); // wire format version 1
      for (const needle of [PLAINTEXT, 'quarterly']) {
        expect(body.includes(Buffer.from(needle))).toBe(false);
        expect(JSON.stringify(message)).not.toContain(needle);
      }

      // It removes the two devices it made (their keys lived in memory): no later message is sealed
      // to them, so a second run against the same mock seals to as many devices as the first.
      expect(lines).toContain(`  ✓ devices removed          ${ada}, ${bob}`);
      const active = [];
      for await (const d of coveton.devices.list()) active.push(d.id);
      expect(active).not.toContain(ada);
      const again = (await run()).find((l) => l.includes('✓ message sent'))!;
      expect(/sealed to (\d+) devices/.exec(again)![1]).toBe(String(message.envelopes.length));
      expect(mock.violations).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 90_000);

  it('removes its devices when the message fails: a proxy answers 500 to every send, the quickstart exits 1 and leaves no device active', async () => {
    const mock = await startMock();
    // A scripted server in front of the mock: every message send is a 500, the rest goes through.
    let sends = 0;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.method === 'POST' && req.url === '/messages') {
        sends++;
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'INTERNAL', message: 'scripted failure' } }));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      const answer = await fetch(mock.url + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const skip = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection']);
      res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !skip.has(name))));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
        cwd: root,
        env: { ...process.env, COVETON_BASE_URL: url, COVETON_LOG: 'off' },
        timeout: 60_000,
      }).then(
        () => undefined,
        (error: { code?: number; stdout: string; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('scripted failure');
      expect(sends).toBe(3); // the first attempt and two retries under one Idempotency-Key
      const registered = failed!.stdout.split('\n').filter((l) => l.includes('✓ device registered')).map((l) => /(dev_\w+)/.exec(l)![1]!);
      expect(registered).toHaveLength(2);
      // Both devices are removed all the same: listed with removedAt, active no more.
      const coveton = createCoveton({ baseUrl: mock.url });
      await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
      const active = [];
      for await (const d of coveton.devices.list()) active.push(d.id);
      expect(active).not.toContain(registered[0]);
      const bob = createCoveton({ baseUrl: mock.url });
      await bob.session.login({ email: 'bob@example.com', password: 'bob-strong-passphrase' });
      const bobs = [];
      for await (const d of bob.devices.list()) bobs.push(d.id);
      expect(bobs).not.toContain(registered[1]);
      expect(bobs.length).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
      await mock.close();
    }
  }, 90_000);
});
