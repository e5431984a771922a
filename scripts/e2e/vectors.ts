// Writes docs/public/e2e/vectors-v1.json: known-answer vectors of wire format v1 (suite 1) for
// another implementation to check itself against. Every input is fixed (key seeds, the content
// key, msgId, nonce, HPKE ephemeral key material, sentAt), so each output is exact bytes; Ed25519
// signatures are deterministic. Run: node --import tsx scripts/e2e/vectors.ts
// test/e2e/vectors.test.ts reproduces every vector byte for byte through the SDK and opens each.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIdentity, encodePreKey, keyPairFromSeed, rawPublic, sign } from '../../src/e2e/keys.js';
import { sealMessage } from '../../src/e2e/message.js';
import { fingerprint, safetyNumber } from '../../src/e2e/safety.js';
import { encryptStream } from '../../src/e2e/stream.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** n (32 unless said) fixed bytes named by `label`: the first n bytes of its SHA-512. */
const fixed = (label: string, n = 32) => new Uint8Array(createHash('sha512').update(`coveton-e2e/v1 vectors: ${label}`).digest()).slice(0, n);
/** File plaintexts: byte i is (i * 31 + 7) mod 256. */
export const filePlaintext = (n: number) => new Uint8Array(n).map((_, i) => (i * 31 + 7) % 256);

interface MessageCase {
  name: string;
  chatId: string;
  contentType: string;
  body: Uint8Array;
  recipients: number;
  files?: { fileId: string; size: number; filename: string; contentType: string }[];
  expiresAt?: number;
}

const CASES: MessageCase[] = [
  { name: 'short text to one device', chatId: 'chat_8f2a', contentType: 'text/plain', body: new TextEncoder().encode('hello'), recipients: 1 },
  { name: 'text to three devices, padded past 256 bytes', chatId: 'chat_8f2a', contentType: 'text/markdown', body: new TextEncoder().encode('The quarterly numbers are in. '.repeat(12)), recipients: 3 },
  { name: 'empty body', chatId: 'chat_1', contentType: 'application/octet-stream', body: new Uint8Array(0), recipients: 1 },
  { name: 'binary body (not UTF-8)', chatId: 'chat_1', contentType: 'application/octet-stream', body: new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3]), recipients: 2 },
  {
    name: 'a file reference and an expiry',
    chatId: 'chat_8f2a',
    contentType: 'text/plain',
    body: new TextEncoder().encode('see attached'),
    recipients: 2,
    files: [{ fileId: 'file_RrwpudPYicLr', size: 482711, filename: 'report.pdf', contentType: 'application/pdf' }],
    expiresAt: 1_798_761_600_000,
  },
];

const FILE_SIZES = [0, 1, 1000, 65_536, 65_537, 200_000];

/** Safety numbers: each case is two users and how many active devices each has. */
const SAFETY_CASES = [
  { name: 'one device each', users: [['usr_ada', 1], ['usr_bob', 1]] },
  { name: 'three devices and two (keys sorted before hashing)', users: [['usr_01HZX3K8W2Q9', 3], ['usr_bob', 2]] },
] as const;
/** Files up to this size are given whole; larger ones by length and SHA-256. */
const WHOLE = 1000;

export async function buildVectors() {
  const messages = [];
  for (const [c, test] of CASES.entries()) {
    const senderSeed = fixed(`case ${c} sender identity`);
    const sender = await keyPairFromSeed('Ed25519', senderSeed);
    const recipients = [];
    for (let r = 0; r < test.recipients; r++) {
      const seed = fixed(`case ${c} recipient ${r} pre-key`);
      const pair = await keyPairFromSeed('X25519', seed);
      recipients.push({ deviceId: `dev_r${r}`, keyId: r + 1, seed, publicKey: pair.publicKey, raw: await rawPublic(pair.publicKey), ekm: fixed(`case ${c} recipient ${r} ekm`) });
    }
    const randomness = { key: fixed(`case ${c} content key`), msgId: fixed(`case ${c} msgId`, 16), nonce: fixed(`case ${c} nonce`, 12), ekm: recipients.map((r) => r.ekm) };
    const files = (test.files ?? []).map((f, i) => ({ ...f, key: fixed(`case ${c} file ${i} key`) }));
    const sentAt = 1_780_000_000_000 + c;
    const sealed = await sealMessage({
      chatId: test.chatId,
      contentType: test.contentType,
      senderDeviceId: 'dev_sender',
      sign: (data) => sign(sender.privateKey, data),
      recipients: recipients.map((r) => ({ deviceId: r.deviceId, keyId: r.keyId, publicKey: r.publicKey })),
      inner: { body: test.body as Uint8Array<ArrayBuffer>, sentAt, recipients: [], files, ...(test.expiresAt ? { expiresAt: test.expiresAt } : {}) },
      fixed: randomness,
    });
    messages.push({
      name: test.name,
      input: {
        chatId: test.chatId,
        contentType: test.contentType,
        senderDeviceId: 'dev_sender',
        senderIdentitySeed: hex(senderSeed),
        senderIdentityKey: encodeIdentity(await rawPublic(sender.publicKey)),
        recipients: recipients.map((r) => ({ deviceId: r.deviceId, keyId: r.keyId, preKeySeed: hex(r.seed), preKey: encodePreKey(r.raw), ekm: hex(r.ekm) })),
        inner: {
          body: hex(test.body),
          sentAt,
          files: files.map((f) => ({ ...f, key: hex(f.key) })),
          ...(test.expiresAt ? { expiresAt: test.expiresAt } : {}),
        },
        contentKey: hex(randomness.key),
        msgId: hex(randomness.msgId),
        nonce: hex(randomness.nonce),
      },
      output: { ciphertext: hex(sealed.ciphertext), envelopes: sealed.envelopes.map((e) => ({ deviceId: e.deviceId, header: hex(e.header) })) },
    });
  }

  const files = [];
  for (const size of FILE_SIZES) {
    const key = fixed(`file ${size} key`);
    const encrypted = new Uint8Array(await new Response(encryptStream(key, new Blob([filePlaintext(size)]).stream())).arrayBuffer());
    files.push({
      size,
      key: hex(key),
      encryptedSize: encrypted.length,
      encryptedSha256: createHash('sha256').update(encrypted).digest('hex'),
      ...(size <= WHOLE ? { encrypted: hex(encrypted) } : { header: hex(encrypted.subarray(0, 39)) }),
    });
  }

  const safetyNumbers = [];
  for (const [c, test] of SAFETY_CASES.entries()) {
    const users = [];
    for (const [u, [userId, devices]] of test.users.entries()) {
      const keys = [];
      for (let d = 0; d < devices; d++) keys.push(await rawPublic((await keyPairFromSeed('Ed25519', fixed(`safety ${c} user ${u} device ${d}`))).publicKey));
      const tagged = keys.map((raw) => new Uint8Array([0xed, ...raw]));
      users.push({ userId, identityKeys: keys.map(encodeIdentity), tagged, fingerprint: await fingerprint(userId, tagged) });
    }
    const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
    const number = await safetyNumber({ userId: a.userId, keys: a.tagged }, { userId: b.userId, keys: b.tagged });
    safetyNumbers.push({ name: test.name, users: users.map(({ tagged, ...user }) => user), digits: number.digits });
  }

  return {
    description:
      'Coveton e2e wire format v1, suite 1: known-answer vectors. Bytes are hex; keys in bundles are tagged base64 as the API carries them. Private keys are given as 32-byte seeds (RFC 8032 / RFC 7748 private keys). File plaintext byte i is (i * 31 + 7) mod 256. See docs/guides/e2e-wire-format.md.',
    version: 1,
    suite: 1,
    messages,
    files,
    safetyNumbers,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'public', 'e2e', 'vectors-v1.json');
  const vectors = await buildVectors();
  writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`wrote ${out}: ${vectors.messages.length} message vectors (${vectors.messages.reduce((n, m) => n + m.output.envelopes.length, 0)} envelopes), ${vectors.files.length} file vectors, ${vectors.safetyNumbers.length} safety numbers`);
}
