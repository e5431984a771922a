// verifySignature: every way a delivery can fail, each with its exact `reason`, and the ways a
// genuine delivery must still pass (rotation, header variants, every raw body form).
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/errors/base.js';
import { verifySignature } from '../../src/webhooks/index.js';
import { at, expectReason, nodeHeader, nodeSignature } from './helpers.js';

const SECRET = 'whsec_current_4f9a1c';
const OLD = 'whsec_previous_77b2e0';
const T = 1_780_306_200;
const BODY = '{"id":"evt_2Jk7Lm9N","type":"message.deleted","data":{"id":"msg_1"}}';
const now = at(T);

describe('known-answer vectors (node:crypto createHmac, computed outside the module)', () => {
  // Computed once with createHmac('sha256', secret).update(`${t}.${body}`).digest('hex').
  const vectors = [
    { secret: 'whsec_known_answer_1', t: 1780306200, body: '{"id":"evt_2Jk7Lm9N","type":"message.deleted"}',
      hex: 'c45c444a69cf0bf78e6a462b995787fd9c4b75dc9f54f109e44e61524ef7357d' },
    { secret: 'sécrét-🔑', t: 1700000000, body: 'héllo wörld 😀\n',
      hex: '8936a6b75ab0063b0e1a0a29ecde5fa07382005fa2256b7ff5b74b53783ff71b' },
    { secret: 'k', t: 0, body: '', hex: '6b4a4b8b3c40f1e8f53a3d36682e5f99f7ad2ac1df1c93dfe336f329167641e7' },
  ];

  it.each(vectors)('verifies the fixed vector t=$t', async ({ secret, t, body, hex }) => {
    expect(nodeSignature(secret, t, body)).toBe(hex); // the helper itself is sound
    await expect(verifySignature(body, `t=${t},v1=${hex}`, secret, { tolerance: 0 })).resolves.toBe(t);
  });

  it('verifies headers made by createHmac for assorted bodies and secrets', async () => {
    for (const [secret, body] of [[SECRET, BODY], ['x', '{}'], ['🔑'.repeat(40), 'ü'.repeat(5000)]] as const) {
      await expect(verifySignature(body, nodeHeader(secret, T, body), secret, { now })).resolves.toBe(T);
    }
  });
});

describe('signature', () => {
  it('rejects a tampered body', async () => {
    const header = nodeHeader(SECRET, T, BODY);
    await expectReason(verifySignature(BODY.replace('msg_1', 'msg_2'), header, SECRET, { now }), 'no_matching_signature');
    await expectReason(verifySignature(`${BODY} `, header, SECRET, { now }), 'no_matching_signature');
    await expectReason(verifySignature('', header, SECRET, { now }), 'no_matching_signature');
  });

  it('rejects a wrong secret, and a prefix of the right one', async () => {
    const header = nodeHeader(SECRET, T, BODY);
    await expectReason(verifySignature(BODY, header, 'whsec_wrong', { now }), 'no_matching_signature');
    await expectReason(verifySignature(BODY, header, SECRET.slice(0, -1), { now }), 'no_matching_signature');
  });

  it('rejects a changed timestamp: t is part of the signed string', async () => {
    const header = nodeHeader(SECRET, T, BODY).replace(`t=${T}`, `t=${T + 1}`);
    await expectReason(verifySignature(BODY, header, SECRET, { now }), 'no_matching_signature');
  });

  it('uses t exactly as sent (leading zeros included) in the signed string', async () => {
    const header = `t=0${T},v1=${nodeSignature(SECRET, `0${T}`, BODY)}`;
    await expect(verifySignature(BODY, header, SECRET, { now })).resolves.toBe(T);
    await expectReason(verifySignature(BODY, `t=0${T},v1=${nodeSignature(SECRET, T, BODY)}`, SECRET, { now }), 'no_matching_signature');
  });

  it('accepts uppercase hex', async () => {
    await expect(verifySignature(BODY, nodeHeader(SECRET, T, BODY).toUpperCase().replace('T=', 't=').replace('V1=', 'v1='), SECRET, { now })).resolves.toBe(T);
  });
});

describe('secret rotation', () => {
  const both = nodeHeader([OLD, SECRET], T, BODY);
  const oldOnly = nodeHeader(OLD, T, BODY);

  it('accepts a header with two v1 values under either secret alone, or both', async () => {
    await expect(verifySignature(BODY, both, SECRET, { now })).resolves.toBe(T);
    await expect(verifySignature(BODY, both, [OLD], { now })).resolves.toBe(T);
    await expect(verifySignature(BODY, both, [SECRET, OLD], { now })).resolves.toBe(T);
  });

  it('accepts a header signed with the old secret when the list holds new and old', async () => {
    await expect(verifySignature(BODY, oldOnly, [SECRET, OLD], { now })).resolves.toBe(T);
  });

  it('rejects when no listed secret signed it', async () => {
    await expectReason(verifySignature(BODY, oldOnly, [SECRET], { now }), 'no_matching_signature');
    await expectReason(verifySignature(BODY, both, ['whsec_a', 'whsec_b'], { now }), 'no_matching_signature');
  });

  it('skips empty entries in a secret list (an unset environment variable)', async () => {
    await expect(verifySignature(BODY, oldOnly, ['', OLD, undefined as unknown as string], { now })).resolves.toBe(T);
  });
});

describe('timestamp window', () => {
  const header = nodeHeader(SECRET, T, BODY);

  it('accepts exactly 300 s in the past and in the future', async () => {
    await expect(verifySignature(BODY, header, SECRET, { now: at(T + 300) })).resolves.toBe(T);
    await expect(verifySignature(BODY, header, SECRET, { now: at(T - 300) })).resolves.toBe(T);
  });

  it('rejects 301 s in the past and in the future', async () => {
    const past = await expectReason(verifySignature(BODY, header, SECRET, { now: at(T + 301) }), 'timestamp_outside_tolerance');
    expect(past.message).toMatch(/301 s in the past/);
    const future = await expectReason(verifySignature(BODY, header, SECRET, { now: at(T - 301) }), 'timestamp_outside_tolerance');
    expect(future.message).toMatch(/301 s in the future/);
  });

  it('counts whole seconds: 300.999 s late still passes', async () => {
    await expect(verifySignature(BODY, header, SECRET, { now: () => (T + 300) * 1000 + 999 })).resolves.toBe(T);
  });

  it('honours a custom tolerance', async () => {
    await expect(verifySignature(BODY, header, SECRET, { now: at(T + 600), tolerance: 600 })).resolves.toBe(T);
    await expectReason(verifySignature(BODY, header, SECRET, { now: at(T + 61), tolerance: 60 }), 'timestamp_outside_tolerance');
  });

  it('tolerance 0 disables the check, both directions', async () => {
    await expect(verifySignature(BODY, header, SECRET, { now: at(T + 10 * 365 * 86400), tolerance: 0 })).resolves.toBe(T);
    await expect(verifySignature(BODY, header, SECRET, { now: at(0), tolerance: 0 })).resolves.toBe(T);
  });

  it('defaults to Date.now', async () => {
    const t = Math.floor(Date.now() / 1000);
    await expect(verifySignature(BODY, nodeHeader(SECRET, t, BODY), SECRET)).resolves.toBe(t);
    await expectReason(verifySignature(BODY, nodeHeader(SECRET, t - 3600, BODY), SECRET), 'timestamp_outside_tolerance');
  });

  it('checks the signature first: a stale forgery is no_matching_signature', async () => {
    await expectReason(verifySignature(BODY, header, 'whsec_wrong', { now: at(T + 9999) }), 'no_matching_signature');
  });

  it('refuses a negative or NaN tolerance and a broken clock as caller errors', async () => {
    await expect(verifySignature(BODY, header, SECRET, { tolerance: -1 })).rejects.toBeInstanceOf(CovetonInputError);
    await expect(verifySignature(BODY, header, SECRET, { tolerance: Number.NaN })).rejects.toBeInstanceOf(CovetonInputError);
    await expect(verifySignature(BODY, header, SECRET, { now: () => Number.NaN })).rejects.toBeInstanceOf(CovetonInputError);
  });
});

describe('header variants that must still verify', () => {
  const sig = nodeSignature(SECRET, T, BODY);
  const good = (header: string) => expect(verifySignature(BODY, header, SECRET, { now })).resolves.toBe(T);

  it('reordered parts', () => good(`v1=${sig},t=${T}`));
  it('duplicated v1', () => good(`t=${T},v1=${sig},v1=${sig}`));
  it('duplicated v1 among wrong ones', () => good(`t=${T},v1=${'0'.repeat(64)},v1=${sig},v1=${'f'.repeat(64)}`));
  it('whitespace around parts (and after commas, as Node joins headers)', () => good(`  t=${T} ,\tv1=${sig}  `));
  it('whitespace around "="', () => good(`t = ${T}, v1 = ${sig}`));
  it('unknown schemes ignored', () => good(`t=${T},v0=${'a'.repeat(64)},v1=${sig},v2=whatever,scheme=x`));
  it('an ill-formed v1 beside a good one is skipped', () => good(`t=${T},v1=nothex,v1=${sig}`));
  it('empty parts (a trailing comma)', () => good(`t=${T},,v1=${sig},`));
});

describe('missing and malformed headers', () => {
  const sig = nodeSignature(SECRET, T, BODY);

  it.each([null, undefined])('%s is missing_header', async (header) => {
    await expectReason(verifySignature(BODY, header, SECRET, { now }), 'missing_header');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['only commas', ',,,'],
    ['no t', `v1=${sig}`],
    ['two identical t', `t=${T},t=${T},v1=${sig}`],
    ['two different t', `t=${T},v1=${sig},t=${T + 1}`],
    ['empty t', `t=,v1=${sig}`],
    ['negative t', `t=-${T},v1=${sig}`],
    ['fractional t', `t=${T}.5,v1=${sig}`],
    ['hex t', `t=0x10,v1=${sig}`],
    ['t beyond a safe integer', `t=99999999999999999999,v1=${sig}`],
    ['no v1', `t=${T}`],
    ['only v0', `t=${T},v0=${sig}`],
    ['non-hex v1', `t=${T},v1=${'g'.repeat(64)}`],
    ['short v1', `t=${T},v1=${sig.slice(1)}`],
    ['long v1', `t=${T},v1=${sig}0`],
    ['empty v1', `t=${T},v1=`],
    ['a part without "="', `t=${T},v1=${sig},garbage`],
    ['a part with an empty key', `t=${T},=${sig}`],
    ['another scheme altogether', `sha256=${sig}`],
  ])('%s is malformed_header', async (_name, header) => {
    await expectReason(verifySignature(BODY, header, SECRET, { now }), 'malformed_header');
  });

  it('a non-string header (a string[] from a framework) is malformed_header', async () => {
    await expectReason(verifySignature(BODY, [`t=${T},v1=${sig}`] as unknown as string, SECRET, { now }), 'malformed_header');
  });
});

describe('raw body forms', () => {
  const header = nodeHeader(SECRET, T, BODY);
  const bytes = new TextEncoder().encode(BODY);

  it('string, Uint8Array, ArrayBuffer and Node Buffer all verify the same', async () => {
    for (const payload of [BODY, bytes, bytes.slice().buffer, Buffer.from(BODY, 'utf8')]) {
      await expect(verifySignature(payload, header, SECRET, { now })).resolves.toBe(T);
    }
  });

  it('honours the offset of a view into a larger buffer (pooled Buffers, subarrays)', async () => {
    const pooled = Buffer.concat([Buffer.from('xxxx'), Buffer.from(BODY), Buffer.from('yyyy')]).subarray(4, 4 + bytes.length);
    expect(pooled.byteOffset).toBeGreaterThan(0);
    await expect(verifySignature(pooled, header, SECRET, { now })).resolves.toBe(T);
    await expect(verifySignature(Buffer.from(BODY), header, SECRET, { now })).resolves.toBe(T); // usually pool-backed
  });

  it('accepts bytes from another realm', async () => {
    const foreign = runInNewContext('new Uint8Array(n)', { n: bytes.length }) as Uint8Array;
    foreign.set(bytes);
    expect(foreign instanceof Uint8Array).toBe(false);
    await expect(verifySignature(foreign, header, SECRET, { now })).resolves.toBe(T);
  });

  it('a parsed object is body_not_raw, with a hint about body parsers', async () => {
    const err = await expectReason(verifySignature(JSON.parse(BODY), header, SECRET, { now }), 'body_not_raw');
    expect(err.message).toMatch(/parsed object/);
  });

  it.each([
    ['an array', [1, 2]],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a DataView', new DataView(bytes.slice().buffer)],
    ['a Uint16Array', new Uint16Array(4)],
    ['an object faking a Uint8Array tag', { [Symbol.toStringTag]: 'Uint8Array', length: 0 }],
    ['an object faking an ArrayBuffer tag', { [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 0 }],
  ])('%s is body_not_raw', async (_name, payload) => {
    await expectReason(verifySignature(payload as unknown as string, header, SECRET, { now }), 'body_not_raw');
  });
});

describe('secrets', () => {
  const header = nodeHeader(SECRET, T, BODY);
  it.each([
    ['an empty list', []],
    ['an empty string', ''],
    ['a list of empty strings', ['', '']],
    ['undefined', undefined],
    ['a number', 123],
  ])('%s is no_secret', async (_name, secrets) => {
    await expectReason(verifySignature(BODY, header, secrets as unknown as string, { now }), 'no_secret');
  });

  it('reports the caller bug (no_secret) before anything about the delivery', async () => {
    await expectReason(verifySignature(BODY, undefined, [], { now }), 'no_secret');
  });
});
