// What fetch-client.mjs measures, as a function a browser page can call too: hand-written fetch
// against the SDK's fetch build making the same GET and POST, interleaved in rotating order over
// several rounds, ratios paired round by round with plain fetch so that drift cancels out.
// Only web APIs here, and `process.cpuUsage` where the runtime has it (in a page the CPU figures
// are null and the wall ratios carry the verdict).
import { batch, median, rotate } from './stats.mjs';

async function json(res) {
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** Runs every contender of GET and POST; resolves to { get, post } of { cpuUs, wallUs, cpuRatio, wallRatio }. */
export async function measure(createCoveton, { url, key, warmup, calls, rounds, browser = false }) {
  // A page holding an API key is the "personal admin page" case the option exists for.
  const sdk = createCoveton({ baseUrl: url, apiKey: key, logLevel: 'off', dangerouslyAllowBrowser: browser });
  const auth = `Bearer ${key}`;
  const body = { name: 'CI', type: 'service', environment: 'sandbox' };
  const post = (signal) => ({
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body),
    signal,
  });
  const ops = {
    get: {
      fetch: async () => json(await fetch(`${url}/api-keys/key_1`, { headers: { Authorization: auth } })),
      'fetch+timeout': async () => json(await fetch(`${url}/api-keys/key_1`, { headers: { Authorization: auth }, signal: AbortSignal.timeout(60_000) })),
      'sdk-fetch': () => sdk.apiKeys.get('key_1'),
    },
    post: {
      fetch: async () => json(await fetch(`${url}/api-keys`, post(undefined))),
      'fetch+timeout': async () => json(await fetch(`${url}/api-keys`, post(AbortSignal.timeout(60_000)))),
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
      const cpuRatio = cpu[0] !== null ? median(cpu.map((c, i) => c / samples.fetch[i].cpuUs)) : null;
      const wallRatio = median(wall.map((w, i) => w / samples.fetch[i].wallUs));
      result[op][name] = { cpuUs: cpu[0] !== null ? median(cpu) : null, wallUs: median(wall), cpuRatio, wallRatio };
    }
  }
  return result;
}
