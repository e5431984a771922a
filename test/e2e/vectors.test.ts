// The committed known-answer vectors (docs/public/e2e/vectors-v1.json, written by
// scripts/e2e/vectors.ts): from each vector's inputs alone, the SDK seals the same bytes, every
// recipient opens its envelope to the same inner message, and each file encrypts to the same
// bytes and decrypts back.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeIdentity, encodePreKey, keyPairFromSeed, rawPublic, sign, verify } from '../../src/e2e/keys.js';
import { openMessage, sealMessage } from '../../src/e2e/message.js';
import { safetyNumber } from '../../src/e2e/safety.js';
import { decryptStream, encryptStream } from '../../src/e2e/stream.js';

const vectors = JSON.parse(readFileSync(new URL('../../docs/public/e2e/vectors-v1.json', import.meta.url), 'utf8'));
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const read = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());
const filePlaintext = (n: number) => new Uint8Array(n).map((_, i) => (i * 31 + 7) % 256);

interface FileVector {
  size: number;
  key: string;
  encryptedSize: number;
  encryptedSha256: string;
  /** The whole encrypted file (small files), else its header. */
  encrypted?: string;
  header?: string;
}

interface Recipient {
  deviceId: string;
  keyId: number;
  preKeySeed: string;
  preKey: string;
  ekm: string;
}

interface SafetyVector {
  name: string;
  users: { userId: string; identityKeys: string[]; fingerprint: string }[];
  digits: string;
}

/**
 * One user's 30 digits as the wire-format guide's "Safety numbers" section states them, written
 * from the guide with node:crypto alone, so that the guide and the SDK cannot drift apart.
 */
function guideFingerprint(userId: string, identityKeys: string[]): string {
  const keys = Buffer.concat(identityKeys.map((k) => Buffer.from(k, 'base64')).sort(Buffer.compare));
  let hash = Buffer.concat([Buffer.from([0, 0]), keys, Buffer.from(userId, 'utf8')]);
  for (let i = 0; i < 5200; i++) hash = createHash('sha512').update(Buffer.concat([hash, keys])).digest();
  return [0, 1, 2, 3, 4, 5].map((chunk) => String(hash.readUIntBE(chunk * 5, 5) % 100000).padStart(5, '0')).join('');
}

describe('e2e test vectors v1', () => {
  it('holds 5 message vectors (9 envelopes) and 6 file vectors of version 1, suite 1', () => {
    expect([vectors.version, vectors.suite, vectors.messages.length, vectors.files.length, vectors.safetyNumbers.length]).toEqual([1, 1, 5, 6, 2]);
    expect(vectors.messages.flatMap((m: { output: { envelopes: unknown[] } }) => m.output.envelopes)).toHaveLength(9);
  });

  for (const vector of vectors.messages) {
    it(`message: ${vector.name}: sealed byte for byte, opened by every recipient`, async () => {
      const { input, output } = vector;
      const sender = await keyPairFromSeed('Ed25519', bytes(input.senderIdentitySeed));
      expect(encodeIdentity(await rawPublic(sender.publicKey))).toBe(input.senderIdentityKey);
      const recipients = await Promise.all(
        (input.recipients as Recipient[]).map(async (r) => {
          const pair = await keyPairFromSeed('X25519', bytes(r.preKeySeed));
          expect(encodePreKey(await rawPublic(pair.publicKey))).toBe(r.preKey);
          return { ...r, pair };
        }),
      );
      const files = input.inner.files.map((f: { key: string }) => ({ ...f, key: bytes(f.key) }));
      const inner = { body: bytes(input.inner.body), sentAt: input.inner.sentAt, recipients: [], files, ...(input.inner.expiresAt ? { expiresAt: input.inner.expiresAt } : {}) };
      const sealed = await sealMessage({
        chatId: input.chatId,
        contentType: input.contentType,
        senderDeviceId: input.senderDeviceId,
        sign: (data) => sign(sender.privateKey, data),
        recipients: recipients.map((r) => ({ deviceId: r.deviceId, keyId: r.keyId, publicKey: r.pair.publicKey })),
        inner,
        fixed: { key: bytes(input.contentKey), msgId: bytes(input.msgId), nonce: bytes(input.nonce), ekm: recipients.map((r) => bytes(r.ekm)) },
      });
      expect(hex(sealed.ciphertext)).toBe(output.ciphertext);
      expect(sealed.envelopes.map((e) => ({ deviceId: e.deviceId, header: hex(e.header) }))).toEqual(output.envelopes);

      for (const [i, r] of recipients.entries()) {
        const opened = await openMessage({
          chatId: input.chatId,
          contentType: input.contentType,
          senderDeviceId: input.senderDeviceId,
          ciphertext: bytes(output.ciphertext),
          header: bytes(output.envelopes[i].header),
          deviceId: r.deviceId,
          preKey: r.pair,
          verify: (signature, data) => verify(sender.publicKey, signature, data),
        });
        expect(hex(opened.msgId)).toBe(input.msgId);
        expect({ ...opened.inner, body: hex(opened.inner.body), files: opened.inner.files.map((f) => ({ ...f, key: hex(f.key) })) }).toEqual({
          ...input.inner,
          recipients: recipients.map((x) => x.deviceId).sort(),
        });
      }
    });
  }

  for (const file of vectors.files as FileVector[]) {
    it(`file of ${file.size} bytes: encrypted byte for byte, decrypted back`, async () => {
      const plain = filePlaintext(file.size);
      const out = await read(encryptStream(bytes(file.key), new Blob([plain]).stream()));
      expect(out.length).toBe(file.encryptedSize);
      expect(createHash('sha256').update(out).digest('hex')).toBe(file.encryptedSha256);
      expect(hex(out.subarray(0, 39))).toBe(file.header ?? file.encrypted!.slice(0, 78));
      if (file.encrypted) expect(hex(out)).toBe(file.encrypted);
      // Compared as hex: a deep equality over 200,000 array elements takes seconds.
      expect(hex(await read(decryptStream(bytes(file.key), new Blob([out]).stream())))).toBe(hex(plain));
    });
  }

  for (const vector of vectors.safetyNumbers as SafetyVector[]) {
    it(`safety number: ${vector.name}: the SDK's and the guide's, the same from either side`, async () => {
      const [a, b] = vector.users.map((u) => ({ ...u, keys: u.identityKeys.map((k) => new Uint8Array(Buffer.from(k, 'base64'))) }));
      for (const user of [a!, b!]) expect(guideFingerprint(user.userId, user.identityKeys)).toBe(user.fingerprint);
      // The SDK's fingerprints are the two halves of the digits (the last line); each is 5,200 digests.
      expect((await safetyNumber(a!, b!)).digits).toBe(vector.digits);
      expect((await safetyNumber(b!, a!)).digits).toBe(vector.digits);
      expect(vector.digits.replace(/ /g, '')).toBe([a!.fingerprint, b!.fingerprint].sort().join(''));
    });
  }
});
