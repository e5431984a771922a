// `npm run bench:e2e`: what end-to-end encryption costs, in one run, on this machine.
//   seal      one message sealed to 1, 10, 100 and 1,000 devices (content key, AES-256-GCM body,
//             Ed25519 signature, one HPKE envelope per device), and each bundle's check (a
//             sender verifies every device's signed pre-key before sealing to it)
//   decrypt   one device opening one message (its envelope, the key commitment, the body, the signature),
//             alone and through the client's messages.decrypt (sender lookup, replay record)
//   files     STREAM encryption and decryption of 64 MiB (64 KiB segments) in MB/s, against raw
//             WebCrypto AES-256-GCM over the same 64 KiB pieces of the same bytes (the floor)
//   size      the e2e entry and the main entry, bundled for a browser from dist/ and gzipped
// Runs the sources through tsx (the crypto is WebCrypto and @hpke/core either way). Not a test.
// @ts-expect-error: a plain .mjs module without types
import { ensureBuild } from './build.mjs';
import { keyPairFromSeed, encodeIdentity, rawPublic, sign, verify } from '../../src/e2e/keys.js';
import { signPreKey } from '../../src/e2e/device.js';
import { openMessage, sealMessage } from '../../src/e2e/message.js';
import { decryptStream, encryptStream, SEGMENT } from '../../src/e2e/stream.js';
import { verifyBundle } from '../../src/e2e/trust.js';
import { createE2EClient } from '../../src/e2e/client.js';
import { loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';
import type { BundleDevice, E2EApi } from '../../src/e2e/api.js';
import type { Coveton } from '../../src/index.js';
// @ts-expect-error: a plain .mjs module without types
import { ENTRIES, measureSize } from '../size.mjs';

const seed = (i: number, salt: number) => new Uint8Array(32).map((_, j) => (i * 131 + j * 7 + salt) & 0xff);
const ms = (t0: number) => performance.now() - t0;
/** The median of `runs` timings of `work`, after one warm-up. */
async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(ms(t0));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const sender = await keyPairFromSeed('Ed25519', seed(0, 1));
const devices = await Promise.all(
  Array.from({ length: 1000 }, async (_, i) => {
    const identity = await keyPairFromSeed('Ed25519', seed(i, 2));
    const pair = await keyPairFromSeed('X25519', seed(i, 3));
    const raw = await rawPublic(pair.publicKey);
    const bundle = { id: `dev_${i}`, userId: 'usr_bob', identityKey: encodeIdentity(await rawPublic(identity.publicKey)), signedPreKey: await signPreKey(identity.privateKey, 1, raw), removedAt: null };
    return { deviceId: `dev_${i}`, keyId: 1, publicKey: pair.publicKey, pair, bundle };
  }),
);
const inner = { body: new TextEncoder().encode('The quarterly numbers are in.'), sentAt: Date.now(), recipients: [], files: [] };
const context = { chatId: 'chat_8f2a', contentType: 'text/plain', senderDeviceId: 'dev_sender' };
const seal = (n: number) => sealMessage({ ...context, inner, sign: (d) => sign(sender.privateKey, d), recipients: devices.slice(0, n) });

const rows: [string, string][] = [];
for (const n of [1, 10, 100, 1000]) {
  const sealMs = await median(n >= 1000 ? 3 : n >= 100 ? 5 : 21, () => seal(n));
  const checkMs = await median(n >= 1000 ? 3 : n >= 100 ? 5 : 21, () => Promise.all(devices.slice(0, n).map((d) => verifyBundle(d.bundle))));
  rows.push([`seal, ${n} device${n > 1 ? 's' : ''}`, `${sealMs.toFixed(2)} ms (+ ${checkMs.toFixed(2)} ms checking the ${n} bundle${n > 1 ? 's' : ''})`]);
}

const one = await seal(10);
const reader = devices[3]!;
const decryptMs = await median(51, () =>
  openMessage({
    ...context,
    ciphertext: one.ciphertext,
    header: one.envelopes[3]!.header,
    deviceId: reader.deviceId,
    preKey: reader.pair,
    verify: (s, d) => verify(sender.publicKey, s, d),
  }),
);
rows.push(['decrypt (one device)', `${decryptMs.toFixed(2)} ms`]);

// The same through the client: messages.decrypt also finds the sender's device (listed once,
// then remembered), checks its removal date, and reads the replay record. Two devices over an
// in-memory API.
const listed: BundleDevice[] = [];
const api = {
  devices: {
    register: async (body: Omit<BundleDevice, 'id' | 'userId'>) => {
      const device = { ...body, id: `dev_c${listed.length + 1}`, userId: listed.length ? 'usr_bob' : 'usr_ada', removedAt: null };
      listed.push(device);
      return device;
    },
    rotateSignedPreKey: async () => ({}),
    listForChat: async function* () {
      yield* listed;
    },
    listForUser: async function* (id: string) {
      yield* listed.filter((d) => d.userId === id);
    },
  },
  messages: { send: async (body: { senderDeviceId?: string }) => ({ ...body, id: 'msg_bench', senderId: 'usr_ada', createdAt: new Date().toISOString() }) },
} as unknown as E2EApi & Coveton;
const clientOf = async (name: string) => {
  const store = memoryKeyStore();
  const device = await loadOrCreateDevice({ store, name, platform: 'server' });
  await device.register(api);
  return createE2EClient(api, device, store);
};
const [ada, bob] = [await clientOf('ada'), await clientOf('bob')];
const stored = await ada.messages.send({ chatId: 'chat_8f2a', plaintext: 'The quarterly numbers are in.', contentType: 'text/plain' });
const clientMs = await median(51, () => bob.messages.decrypt(stored));
rows.push(['decrypt through the client', `${clientMs.toFixed(2)} ms (messages.decrypt: sender lookup, replay record)`]);

// Files: 64 MiB through STREAM, and the floor: raw AES-256-GCM over the same 64 KiB pieces.
const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const data = new Uint8Array(SIZE).map((_, i) => (i * 31 + 7) & 0xff);
const key = seed(9, 9);
const chunks = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let at = 0; at < bytes.length; at += SEGMENT) c.enqueue(bytes.subarray(at, at + SEGMENT));
      c.close();
    },
  });
async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) out.push(part);
  return out;
}
const aes = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
const iv = (i: number) => new Uint8Array(12).map((_, j) => (j === 11 ? i & 0xff : j === 10 ? (i >> 8) & 0xff : 0));
let sealedRaw: ArrayBuffer[] = [];
const rawUp = await median(3, async () => {
  sealedRaw = [];
  for (let at = 0, i = 0; at < SIZE; at += SEGMENT, i++) sealedRaw.push(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv(i) }, aes, data.subarray(at, at + SEGMENT)));
});
const rawDown = await median(3, async () => {
  for (const [i, part] of sealedRaw.entries()) await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv(i) }, aes, part);
});
let encrypted: Uint8Array[] = [];
const up = await median(3, async () => void (encrypted = await drain(encryptStream(key, chunks(data)))));
const whole = new Uint8Array(encrypted.reduce((n, p) => n + p.length, 0));
encrypted.reduce((at, p) => (whole.set(p, at), at + p.length), 0);
const down = await median(3, () => drain(decryptStream(key, chunks(whole))));
const rate = (t: number) => SIZE / MiB / (t / 1000);
rows.push(['file up (encrypt 64 MiB)', `${rate(up).toFixed(0)} MiB/s, ${(rawUp / up).toFixed(2)}x raw AES-GCM (${rate(rawUp).toFixed(0)} MiB/s)`]);
rows.push(['file down (decrypt 64 MiB)', `${rate(down).toFixed(0)} MiB/s, ${(rawDown / down).toFixed(2)}x raw AES-GCM (${rate(rawDown).toFixed(0)} MiB/s)`]);

ensureBuild();
const sizes = await measureSize({ entries: ENTRIES.filter((e: { name: string }) => e.name === 'e2e' || e.name === 'createCoveton') });
for (const s of sizes as { name: string; gzip: number; minified: number; lazyChunks: { name: string; gzip: number }[] }[]) rows.push([`size: ${s.name === 'e2e' ? 'e2e entry' : 'main entry (createCoveton)'}`, `${s.gzip} B gzipped up front (${s.minified} B minified)${s.lazyChunks.map((c) => `, ${c.name} ${c.gzip} B on first use`).join('')}`]);

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`e2e bench, Node ${process.version}, ${new Date().toISOString()}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
