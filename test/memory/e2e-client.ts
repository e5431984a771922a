// The SDK side of the memory test: Ada uploads a file from a file-backed Blob and Bob downloads
// it into a hash, in one of four ways (argv[4]):
//   e2e     through the e2e entry (encrypted up, sent to Bob in a message, decrypted down), left
//           to the collector as an application is: nothing in the trip calls gc()
//   plain   the same bytes through the core files API, no encryption: the floor, what moving
//           64 MiB through undici and Node streams costs before the e2e entry adds anything
//   live    the e2e trip with a collection every 2 MiB: what the SDK keeps alive, not what an
//           application sees (printed, never asserted)
//   node    the same bytes up and down through undici's request, the engine under Node's fetch,
//           as an application would write it (the body as the upload, `for await` over the
//           answer); only the presign and the link go through the SDK. The runtime's own floor:
//           every chunk a file read or a socket read makes is a new buffer whoever reads it
// Run with --expose-gc: every mode collects once before the baseline (so the figure is what the
// trip adds over a settled process), and only `live` collects during the trip.
// Prints one JSON line: the resident set before, what the trip added at its peak, and V8's own
// external memory at its peak (dead buffers waiting for the collector count there).
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { createCoveton } from '../../src/index.node.js';
import { e2eClient, loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';

const [baseUrl, path, mode = 'e2e'] = process.argv.slice(2) as [string, string, string?];
if (!['e2e', 'plain', 'live', 'node'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const gc = (globalThis as { gc?: () => void }).gc!;

async function person(email: string, password: string, name: string) {
  const coveton = createCoveton({ baseUrl });
  await coveton.session.login({ email, password });
  const device = await loadOrCreateDevice({ store: memoryKeyStore(), name, platform: 'server' });
  await device.register(coveton);
  return { coveton, secure: e2eClient(coveton, device) };
}

const ada = await person('ada@example.com', 'a-strong-passphrase', "Ada's server");
const bob = await person('bob@example.com', 'bob-strong-passphrase', "Bob's server");

let peak = 0;
let external = 0;
let seen = 0;
const sample = () => {
  const { rss, external: now } = process.memoryUsage();
  peak = Math.max(peak, rss);
  external = Math.max(external, now);
};
/** Counts bytes passing; in `live` mode, a collection every 2 MiB. */
function probe(bytes: number) {
  sample();
  if (mode === 'live' && Math.floor((seen + bytes) / 2 ** 21) > Math.floor(seen / 2 ** 21)) gc();
  seen += bytes;
}

/** A Blob whose every read passes the probe (the file's bytes are not copied into it). */
class Probed extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return super.stream().pipeThrough(new TransformStream({ transform: (chunk, c) => (probe(chunk.length), c.enqueue(chunk)) }));
  }
}

async function hashOf(stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    probe(chunk.length);
  }
  return hash.digest('hex');
}

/** The storage PUT and GET without the SDK: what the runtime costs on its own. */
async function withoutSdk(blob: Blob): Promise<string> {
  const target = await ada.coveton.files.presignUpload({ filename: 'big.bin', contentType: 'application/octet-stream', size: blob.size });
  const headers = Object.fromEntries(Object.entries(target.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  // undici sends any async iterable (a web stream is one); its types name only Node's Readable.
  const body = blob.stream() as unknown as Readable;
  const put = await request(new URL(target.uploadUrl, baseUrl), { method: 'PUT', body, headers: { ...headers, 'content-length': String(blob.size) } });
  await put.body.dump();
  if (put.statusCode !== 200) throw new Error(`storage answered the PUT with ${put.statusCode}`);
  const { url } = await ada.coveton.files.getDownloadUrl(target.fileId);
  const got = await request(new URL(url, baseUrl));
  return hashOf(got.body);
}

/** Uploads `blob` and returns the SHA-256 of what Bob (or, plain and node, Ada) downloads. */
async function roundTrip(blob: Blob): Promise<string> {
  if (mode === 'node') return withoutSdk(blob);
  if (mode === 'plain') {
    const { fileId } = await ada.coveton.files.upload(blob, { filename: 'big.bin', contentType: 'application/octet-stream' });
    return hashOf(await ada.coveton.files.download(fileId, { as: 'stream' }));
  }
  const attachment = await ada.secure.files.upload(blob, { filename: 'big.bin' });
  const sent = await ada.secure.messages.send({ chatId: 'chat_8f2a', plaintext: 'the file', contentType: 'text/plain', files: [attachment] });
  const { files } = await bob.secure.messages.decrypt(sent);
  return hashOf(await bob.secure.files.download(files[0]!));
}

// Warm every code path on a small file first, so the figure is what the big one adds.
await roundTrip(new Probed([new Uint8Array(300_000)]));
gc();
await new Promise((r) => setTimeout(r, 50));
gc();
const baseline = process.memoryUsage.rss();
const maxBefore = process.resourceUsage().maxRSS * 1024;
peak = baseline;
external = 0;
const timer = setInterval(sample, 2);
const started = Date.now();
const sha256 = await roundTrip(new Probed([await openAsBlob(path)]));
const ms = Date.now() - started;
clearInterval(timer);
sample();
const maxAfter = process.resourceUsage().maxRSS * 1024;
// The kernel's high-water mark is exact when the trip raised it; otherwise the samples are all there is.
if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter);
process.stdout.write(`${JSON.stringify({ mode, sha256, baseline, peak, added: peak - baseline, external, ms })}\n`);
