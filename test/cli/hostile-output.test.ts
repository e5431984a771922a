// Server text never drives the terminal: C0 and C1 control characters (the 8-bit CSI \x9b, the
// 8-bit OSC \x9d, ESC) and OSC 52 clipboard writes are escaped in --json and refused or removed in
// what people read. Run in process against a hostile scripted server.
import { describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

/** Every control character a terminal acts on, except the newline that ends a line and the tab of a pipe. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const C1_OSC52 = '\u009d52;c;cm0gLXJmIH4=\u009c';
const HOSTILE = `evil\u009b2J${OSC52}${C1_OSC52}\u0007\u007f\u2028end`;

const hostileKey = apiKey('key_evil', { name: HOSTILE, description: HOSTILE, statusReason: HOSTILE, status: 'suspended' });

async function hostile() {
  const server = await serve((req, res) => {
    if (req.method === 'POST') return json(res, 201, { ...hostileKey, secret: `ak_test_${C1_OSC52}abc` });
    if (req.path.startsWith('/api-keys/')) return json(res, 200, hostileKey);
    return json(res, 200, [hostileKey, hostileKey]);
  });
  return (args: string[], columns?: number) => runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY], { env: { NO_COLOR: '1' }, ...(columns === undefined ? {} : { columns }) });
}

describe('hostile server text', () => {
  it('--json: every control character escaped, the values unchanged once parsed (get, list, create)', async () => {
    const run = await hostile();
    const get = await run(['api-keys', 'get', 'key_evil', '--json']);
    const list = await run(['api-keys', 'list', '--json']);
    const create = await run(['api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'sandbox', '--json']);
    for (const r of [get, list, create]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stdout).not.toContain('\u2028');
      expect(r.stderr).not.toMatch(CONTROL);
    }
    expect(JSON.parse(get.stdout).name).toBe(HOSTILE);
    expect(JSON.parse(list.stdout).map((k: { name: string }) => k.name)).toEqual([HOSTILE, HOSTILE]);
    expect(JSON.parse(create.stdout).secret).toBe(`ak_test_${C1_OSC52}abc`);
  });

  it('people: a secret holding control characters is refused, not printed; every line is free of them', async () => {
    const run = await hostile();
    const create = await run(['api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'sandbox']);
    expect(create.code).toBe(1);
    expect(create.stdout).toBe('');
    expect(create.stderr).toContain('key_evil');
    expect(create.stderr).toMatch(/control characters/);
    const outs = [
      create,
      await run(['api-keys', 'get', 'key_evil']),
      await run(['api-keys', 'get', 'key_evil'], 120),
      await run(['api-keys', 'list'], 120),
      await run(['api-keys', 'update', 'key_evil', '--status', 'suspended']),
    ];
    for (const r of outs) {
      expect(r.stdout + r.stderr).not.toMatch(CONTROL);
      expect(r.stdout + r.stderr).not.toContain('\u2028');
    }
  });

  it('bidi controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C) never reach the terminal raw: `?` for people, \\u escapes in --json', async () => {
    // "Trojan Source" (CVE-2021-42574): an override in a key's name or reason reorders the rest
    // of the line. ESC and \r were neutralised; U+202E went through (a review's repro).
    const BIDI = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const bidiKey = apiKey('key_a', { name: `x${BIDI}y`, statusReason: `r${BIDI}s`, status: 'suspended' });
    const server = await serve((req, res) => {
      if (req.method === 'POST') return json(res, 201, { ...bidiKey, secret: 'ak_test_abcdefghijklmnopqrstuvwxyz' });
      return json(res, 200, req.path.startsWith('/api-keys/') ? bidiKey : [bidiKey]);
    });
    const run = (args: string[], columns?: number) => runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY], { env: { NO_COLOR: '1' }, ...(columns === undefined ? {} : { columns }) });
    const update = await run(['api-keys', 'update', 'key_a', '--status', 'suspended']);
    expect(update.stdout).toBe(`API key key_a is now suspended (reason: r${'?'.repeat(12)}s).\n`);
    const create = await run(['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox']);
    expect(create.stderr).toContain(`Created API key key_a (x${'?'.repeat(12)}y, service, sandbox)`);
    const outs = [update, create, await run(['api-keys', 'get', 'key_a']), await run(['api-keys', 'get', 'key_a'], 120), await run(['api-keys', 'list'], 120)];
    const asJson = await run(['api-keys', 'get', 'key_a', '--json']);
    for (const r of [...outs, asJson]) {
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    }
    expect(asJson.stdout).toContain('"name": "x\\u202a\\u202b');
    expect(JSON.parse(asJson.stdout).name).toBe(`x${BIDI}y`);
  });
});
