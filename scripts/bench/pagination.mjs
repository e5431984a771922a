// Pagination: 100,000 messages walked item by item through the SDK's iterator, in pages of
// 100, against the same pages fetched with a hand-written fetch loop. The heap is sampled
// every 1,000 items (peak growth over the start) and measured after a full GC every 10k items:
// flat memory means the retained heap at 100k is no higher than at 10k, and the least-squares
// slope of retained heap over items is near 0 bytes/item (an SDK that kept the items would show
// hundreds of bytes per item).
// Run with --expose-gc (index.mjs does); without it the checkpoints are taken without a GC.
import { API_KEY, asPart } from './child.mjs';
import { loadSdk } from './contenders.mjs';
import { TOTAL_MESSAGES } from './server.mjs';
import { median } from './stats.mjs';

const LIMIT = 100;
const EVERY = 10_000;

function collect() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Walks `items` (an async iterable of messages) and measures time and heap along the way. */
async function walk(items) {
  const base = collect();
  let peak = base;
  let paused = 0; // time spent in GC at checkpoints, taken off the walk's time
  const atCheckpoint = {};
  let count = 0;
  let last = '';
  const t0 = performance.now();
  for await (const item of items) {
    count++;
    last = item.id;
    if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (count % EVERY === 0) {
      const g0 = performance.now();
      atCheckpoint[count] = collect() - base;
      paused += performance.now() - g0;
    }
  }
  const ms = performance.now() - t0 - paused;
  if (count !== TOTAL_MESSAGES || last !== 'msg_000001') throw new Error(`walked ${count} items, last ${last}`);
  const flat = atCheckpoint[100_000] - atCheckpoint[10_000];
  return { items: count, ms, peakGrowth: peak - base, retained: atCheckpoint, flat, bytesPerItem: slope(atCheckpoint) };
}

/** Least-squares slope of retained bytes over item count. */
function slope(points) {
  const xs = Object.keys(points).map(Number);
  const ys = xs.map((x) => points[x]);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return num / den;
}

/** The same pages with fetch: what a user would write by hand. */
async function* byHand(url) {
  let before;
  for (;;) {
    const query = before ? `?limit=${LIMIT}&before=${before}` : `?limit=${LIMIT}`;
    const res = await fetch(`${url}/chats/chat_1/messages${query}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const page = await res.json();
    yield* page;
    if (page.length < LIMIT) return;
    before = page[page.length - 1].id;
  }
}

/** What one message costs the heap when it is kept: 1,000 of them parsed and held. */
async function heldItemBytes(url) {
  const res = await fetch(`${url}/chats/chat_1/messages?limit=${LIMIT}`);
  const text = await res.text();
  const before = collect();
  const held = Array.from({ length: 10 }, () => JSON.parse(text));
  const bytes = (collect() - before) / (held.length * LIMIT);
  return held.length ? bytes : 0;
}

export async function run({ url, quick }) {
  const { createCoveton } = await loadSdk();
  const coveton = createCoveton({ baseUrl: url, apiKey: API_KEY, logLevel: 'off' });
  // Warm both paths a little so that the first walk does not pay for compiling.
  for await (const m of coveton.chats.listMessages('chat_1', { limit: LIMIT })) if (m.id <= 'msg_099000') break;
  for await (const m of byHand(url)) if (m.id <= 'msg_099000') break;

  // Interleaved rounds; the time is the median walk, the memory figures those of the last walk.
  const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
  const walks = { fetch: [], sdk: [] };
  for (let round = 0; round < rounds; round++) {
    walks.fetch.push(await walk(byHand(url)));
    walks.sdk.push(await walk(coveton.chats.listMessages('chat_1', { limit: LIMIT })));
  }
  const pick = (list) => ({ ...list.at(-1), ms: median(list.map((w) => w.ms)), walksMs: list.map((w) => w.ms) });
  const fetchWalk = pick(walks.fetch);
  const sdkWalk = pick(walks.sdk);
  const itemBytes = await heldItemBytes(url);
  // Flat: the retained heap grows by less than 5% of what keeping every item would cost.
  const flat = Math.abs(sdkWalk.bytesPerItem) < 0.05 * itemBytes;
  const result = { limit: LIMIT, rounds, itemBytes, flat, gcExposed: typeof globalThis.gc === 'function', fetch: fetchWalk, sdk: sdkWalk, ratio: sdkWalk.ms / fetchWalk.ms };
  console.log(`pagination: sdk ${sdkWalk.ms.toFixed(0)} ms, fetch ${fetchWalk.ms.toFixed(0)} ms, sdk retained 10k->100k ${(sdkWalk.flat / 1024).toFixed(1)} KiB, ${sdkWalk.bytesPerItem.toFixed(2)} B/item`);
  return result;
}

await asPart(import.meta, run);
