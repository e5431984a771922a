// An in-memory stand-in for the parts of the API the e2e entry calls (devices, chat bundles,
// messages, files), storing what it is sent exactly as sent: for the crypto tests, which need
// no HTTP. The mock API itself is exercised by test/quickstart.test.ts and the e2e mock tests.
import type { Coveton } from '../../src/index.js';
import type { BundleDevice, E2EApi, StoredMessage } from '../../src/e2e/api.js';
import { createE2EClient, type E2EClientOptions } from '../../src/e2e/client.js';
import { loadOrCreateDevice, memoryKeyStore, type IdentityChange } from '../../src/e2e/index.js';

export interface FakeWorld {
  devices: (BundleDevice & { name: string })[];
  chats: Map<string, string[]>; // chatId -> participant user ids
  messages: StoredMessage[];
  files: Map<string, Uint8Array>;
  /** An API for `userId`: what a client signed in as that user sees (typed as a client for `register`). */
  as(userId: string): E2EApi & Coveton;
}

async function* each<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

export function fakeWorld(): FakeWorld {
  let n = 0;
  const world: FakeWorld = {
    devices: [],
    chats: new Map(),
    messages: [],
    files: new Map(),
    as(userId) {
      const api: E2EApi = {
        devices: {
          async register(body) {
            const device = { ...body, id: `dev_${++n}`, userId, removedAt: null };
            world.devices.push(device);
            return device;
          },
          async rotateSignedPreKey(id, body) {
            const d = world.devices.find((x) => x.id === id && x.userId === userId)!;
            d.signedPreKey = body;
            return d;
          },
          listForChat: (chatId) => each(world.devices.filter((d) => world.chats.get(chatId)?.includes(d.userId))),
          listForUser: (id) => each(world.devices.filter((d) => d.userId === id)),
        },
        messages: {
          async send(body) {
            const message: StoredMessage = {
              id: `msg_${++n}`,
              senderId: userId,
              senderDeviceId: body.senderDeviceId ?? world.devices.find((d) => d.userId === userId)!.id,
              fileIds: [],
              createdAt: new Date().toISOString(),
              ...body,
            };
            world.messages.push(message);
            return structuredClone(message);
          },
        },
        files: {
          // As core `files.upload` takes a re-readable source: `{ size, stream() }`, read by every
          // attempt. Each upload here is read twice (a failed first attempt, then the stored one),
          // and each read is encrypted under a key of its own (file-attempts.test.ts says why).
          async upload(body, options) {
            const source = body as { size: number; stream(): ReadableStream<Uint8Array> };
            if (typeof source?.stream !== 'function' || source.size !== options.size) throw new Error('expected a re-readable source of the declared size');
            const first = await readAll(source.stream());
            const bytes = await readAll(source.stream());
            if (first.length !== options.size || bytes.length !== options.size) throw new Error(`declared ${options.size}, sent ${first.length} then ${bytes.length}`);
            if (Buffer.compare(first.subarray(0, 39), bytes.subarray(0, 39)) === 0) throw new Error('a second attempt went under the first key');
            const fileId = `file_${++n}`;
            world.files.set(fileId, bytes);
            return { fileId, size: bytes.length };
          },
          async download(fileId) {
            const bytes = world.files.get(fileId)!;
            return new ReadableStream({ start: (c) => (c.enqueue(bytes.slice()), c.close()) });
          },
        },
      };
      return api as E2EApi & Coveton;
    },
  };
  return world;
}

/** A device of `userId` registered in `world`, its key store, and its e2e client (warnings kept). */
export async function enrol(world: FakeWorld, userId: string, options: E2EClientOptions = {}) {
  const store = memoryKeyStore();
  const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
  await device.register(world.as(userId));
  const warnings: IdentityChange[] = [];
  const client = createE2EClient(world.as(userId), device, store, { onWarning: (c) => warnings.push(c), ...options });
  return { device, store, client, warnings, id: device.id! };
}

/** A world of Ada and Bob, one device each, in chat_1. */
export async function adaAndBob(options: E2EClientOptions = {}) {
  const world = fakeWorld();
  const ada = await enrol(world, 'usr_ada', options);
  const bob = await enrol(world, 'usr_bob', options);
  world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
  return { world, ada, bob };
}

/** `api` without device `hidden()` in its listings (what a server shows one user and not another). */
export const hiding = (api: E2EApi, hidden: () => string): E2EApi => ({
  ...api,
  devices: {
    ...api.devices,
    async *listForUser(id) {
      for await (const d of api.devices.listForUser(id)) if (d.id !== hidden()) yield d;
    },
    async *listForChat(id) {
      for await (const d of api.devices.listForChat(id)) if (d.id !== hidden()) yield d;
    },
  },
});
