// `coveton mock`: a real Prism on 127.0.0.1 serving the bundled spec, validating requests; with
// --errors a request that breaks the spec fails loudly. It stops when the CLI is stopped, and
// when the CLI is killed outright (the watchdog).
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, eventually, firstLine, listening, runCli, startCli, useBuiltCli } from './helpers.js';
import type { ChildProcess } from 'node:child_process';

useBuiltCli();

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function mock(args: string[]): ChildProcess {
  const child = startCli(['mock', ...args]);
  children.push(child);
  return child;
}

const auth = { Authorization: 'Bearer ak_test_anything0000000000000000' };

function exited(c: ChildProcess): Promise<number | null> {
  return c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((resolve) => c.once('exit', (code) => resolve(code)));
}

// Both tests start Prism at once, beside whatever else the suite runs: a start took 3 s alone
// and over 20 s on a loaded machine. The test's own bound is above the start's.
const PRISM_START = 60_000;

describe.concurrent('coveton mock', { timeout: 90_000 }, () => {
  it('serves the spec examples on the port, validates requests, and stops on SIGTERM', async () => {
    const port = await closedPort();
    const child = mock(['--stateless', '--port', String(port), '--quiet']);
    expect(await firstLine(child, PRISM_START)).toBe(`http://127.0.0.1:${port}`);

    const list = await fetch(`http://127.0.0.1:${port}/api-keys`, { headers: auth });
    expect(list.status).toBe(200);
    expect(list.headers.get('sl-violations')).toBeNull();
    expect(((await list.json()) as { id: string }[]).map((k) => k.id)).toEqual(['key_01HZX3K8W2Q9', 'key_01HZW1A4R7M2']);

    // Without --errors: Prism's own answer, the spec's canned 422 example, and the violations in a header.
    const invalid = await fetch(`http://127.0.0.1:${port}/api-keys`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '' }),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('sl-violations')).toContain("must have required property 'type'");

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(await eventually(async () => !(await listening(port)))).toBe(true);
  });

  it('--errors: a request that breaks the spec fails loudly; killing the CLI outright still stops Prism', async () => {
    const port = await closedPort();
    const child = mock(['--stateless', '--port', String(port), '--errors', '--quiet']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await firstLine(child, PRISM_START)).toBe(`http://127.0.0.1:${port}`);

    const ok = await fetch(`http://127.0.0.1:${port}/utils/authtest`, { headers: auth });
    expect(await ok.json()).toEqual({ msg: 'Auth successful' });

    const invalid = await fetch(`http://127.0.0.1:${port}/api-keys`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', type: 'robot', environment: 'sandbox' }),
    });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; message: string; details: { path: string }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toMatch(/^Coveton mock: the request breaks the Coveton API spec: .*type must be equal to one of the allowed values/);
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['name', 'type']);

    const anonymous = await fetch(`http://127.0.0.1:${port}/api-keys`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { reason: string } }).error.reason).toBe('credentials_missing');

    expect(stderr).toContain('✖ mock: POST /api-keys -> 422: the request breaks the spec: request.body.type');
    expect(stderr).toContain('✖ mock: GET /api-keys -> 401');

    child.kill('SIGKILL'); // no chance to clean up: the watchdog must stop Prism
    await exited(child);
    expect(await eventually(async () => !(await listening(port)), 8000)).toBe(true);
  });

  it('a port already in use is a usage error', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as { port: number };
    try {
      const run = await runCli(['mock', '--port', String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      busy.close();
    }
  });
});
