// The fetch build where it runs: this file is started by fetch-runtimes.mjs in Node, Bun and
// Deno alike (only web APIs, `process.cpuUsage` and `performance`), and measures, in one process,
// hand-written fetch against the SDK's fetch build (dist/index.js) making the same GET and POST,
// interleaved in rotating order over several rounds, as overhead.mjs does for Node. Node's fetch
// is undici, whose handling of a request's AbortSignal costs what Bun's and Deno's does not;
// browsers, workers, Bun and Deno are who get the fetch build.
//
// Arguments: the server's URL, the SDK entry's file URL, the API key, warm-up calls, calls per
// batch, rounds. Prints one JSON line.
import { batch, median, rotate } from './stats.mjs';

const [url, entry, key, warmupArg, callsArg, roundsArg] = process.argv.slice(2);
const [warmup, calls, rounds] = [warmupArg, callsArg, roundsArg].map(Number);
const { createCoveton } = await import(entry);
const sdk = createCoveton({ baseUrl: url, apiKey: key, logLevel: 'off' });
const auth = `Bearer ${key}`;
const body = { name: 'CI', type: 'service', environment: 'sandbox' };

async function json(res) {
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const ops = {
  get: {
    fetch: async () => json(await fetch(`${url}/api-keys/key_1`, { headers: { Authorization: auth } })),
    'fetch+timeout': async () => json(await fetch(`${url}/api-keys/key_1`, { headers: { Authorization: auth }, signal: AbortSignal.timeout(60_000) })),
    'sdk-fetch': () => sdk.apiKeys.get('key_1'),
  },
  post: {
    fetch: async () =>
      json(await fetch(`${url}/api-keys`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(body) })),
    'fetch+timeout': async () =>
      json(
        await fetch(`${url}/api-keys`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        }),
      ),
    'sdk-fetch': () => sdk.apiKeys.create(body),
  },
};

const result = {};
for (const [op, contenders] of Object.entries(ops)) {
  const names = Object.keys(contenders);
  for (const name of names) await batch(contenders[name], warmup);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of rotate(names, round)) samples[name].push(await batch(contenders[name], calls));
  }
  result[op] = {};
  for (const name of names) {
    const cpu = samples[name].map((s) => s.cpuUs);
    const wall = samples[name].map((s) => s.wallUs);
    // Paired round by round with plain fetch, so that drift on a shared machine cancels out.
    const cpuRatio = median(cpu.map((c, i) => c / samples.fetch[i].cpuUs));
    const wallRatio = median(wall.map((w, i) => w / samples.fetch[i].wallUs));
    result[op][name] = { cpuUs: median(cpu), wallUs: median(wall), cpuRatio, wallRatio };
  }
}
console.log(JSON.stringify(result));
process.exit(0);
