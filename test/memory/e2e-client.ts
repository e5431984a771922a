// The SDK side of the memory test (run with --expose-gc): Ada uploads a file through the e2e
// entry from a file-backed Blob, sends it to Bob, Bob downloads and decrypts it into a hash.
// Prints one JSON line: the SDK process's resident set before and at its peak during the trip.
//
// Every 2 MiB read or written, the probe samples the resident set and runs the collector, so the
// figure is what the SDK keeps alive (14-16 MiB), not the collector's slack. Without it, as an
// application runs, the trip adds 35-48 MiB on Node 20 and 30-34 MiB on Node 24: every segment
// leaves WebCrypto's fresh output buffer (and the transport's read buffers) for the collector,
// which V8 runs on external-memory pressure, when dead buffers reach about 31 MiB in every run
// (process.memoryUsage().external at its peak), however few bytes each segment leaves (one copy
// fewer per downloaded segment moved `arrayBuffers` from 24-30 to 23-25 MiB and RSS not at all);
// the rest is malloc's per-thread arenas, as WebCrypto allocates on libuv's worker threads (with
// MALLOC_ARENA_MAX=1: 31 MiB). WebCrypto cannot write into a buffer it is given.
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { createCoveton } from '../../src/index.node.js';
import { e2eClient, loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';

const [baseUrl, path] = process.argv.slice(2) as [string, string];
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
let seen = 0;
const sample = () => void (peak = Math.max(peak, process.memoryUsage.rss()));
/** Counts bytes passing; every 2 MiB, a sample and a collection. */
function probe(bytes: number) {
  sample();
  if (Math.floor((seen + bytes) / 2 ** 21) > Math.floor(seen / 2 ** 21)) gc();
  seen += bytes;
}

/** A Blob whose every read passes the probe (the file's bytes are not copied into it). */
class Probed extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return super.stream().pipeThrough(new TransformStream({ transform: (chunk, c) => (probe(chunk.length), c.enqueue(chunk)) }));
  }
}

/** Uploads `blob`, sends it to Bob, and returns the SHA-256 of what Bob decrypts. */
async function roundTrip(blob: Blob): Promise<string> {
  const attachment = await ada.secure.files.upload(blob, { filename: 'big.bin' });
  const sent = await ada.secure.messages.send({ chatId: 'chat_8f2a', plaintext: 'the file', contentType: 'text/plain', files: [attachment] });
  const { files } = await bob.secure.messages.decrypt(sent);
  const hash = createHash('sha256');
  for await (const chunk of (await bob.secure.files.download(files[0]!)) as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    probe(chunk.length);
  }
  return hash.digest('hex');
}

// Warm every code path on a small file first, so the figure is what the big one adds.
await roundTrip(new Probed([new Uint8Array(300_000)]));
gc();
await new Promise((r) => setTimeout(r, 50));
gc();
const baseline = process.memoryUsage.rss();
const maxBefore = process.resourceUsage().maxRSS * 1024;
peak = baseline;
const timer = setInterval(sample, 2);
const started = Date.now();
const sha256 = await roundTrip(new Probed([await openAsBlob(path)]));
const ms = Date.now() - started;
clearInterval(timer);
sample();
const maxAfter = process.resourceUsage().maxRSS * 1024;
// The kernel's high-water mark is exact when the trip raised it; otherwise the samples are all there is.
if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter);
process.stdout.write(`${JSON.stringify({ sha256, baseline, peak, added: peak - baseline, ms })}\n`);
