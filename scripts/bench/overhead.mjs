// Per-call overhead: the same sequential requests made by each contender, in batches, the
// contenders interleaved in a rotating order, several rounds. Per contender: the median over
// rounds of the batch's wall time per call, and of the client process's CPU time per call
// (the client's own cost, less disturbed by the server and by neighbours on a shared machine).
//
// Alone: `node scripts/bench/overhead.mjs` (starts its own server). BENCH_ONLY=sdk runs one
// contender (for the profiler), BENCH_CALLS / BENCH_ROUNDS / BENCH_OPS=get,post override sizes.
import { asPart } from './child.mjs';
import { makeContenders, NAMES, verify } from './contenders.mjs';
import { batch, median, ratio, rotate, spread } from './stats.mjs';

export async function run({ url, quick }) {
  const env = process.env;
  const warmup = Number(env.BENCH_WARMUP ?? (quick ? 200 : 500));
  const calls = Number(env.BENCH_CALLS ?? (quick ? 300 : 1000));
  const rounds = Number(env.BENCH_ROUNDS ?? (quick ? 3 : 9));
  const ops = (env.BENCH_OPS ?? 'get,post').split(',');
  const names = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : NAMES;

  const contenders = await makeContenders(url);
  await verify(contenders);
  const result = { calls, rounds, warmup, ops: {} };

  for (const op of ops) {
    for (const name of names) await batch(contenders[op][name], warmup);
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(names, round)) samples[name].push(await batch(contenders[op][name], calls));
    }
    const rows = {};
    for (const name of names) {
      const wall = samples[name].map((s) => s.wallUs);
      const cpu = samples[name].map((s) => s.cpuUs);
      rows[name] = { wallUs: median(wall), cpuUs: median(cpu), wallSpread: spread(wall), samples: samples[name] };
    }
    const base = rows.fetch;
    for (const name of names) {
      if (!base) break;
      rows[name].wallRatio = ratio(rows[name].wallUs, base.wallUs);
      rows[name].cpuRatio = ratio(rows[name].cpuUs, base.cpuUs);
      // The same comparison paired round by round: drift on a shared machine cancels out.
      const paired = samples[name].map((s, i) => s.wallUs / samples.fetch[i].wallUs);
      rows[name].pairedWallRatio = median(paired);
    }
    result.ops[op] = rows;
    console.log(`overhead ${op}: ${names.map((n) => `${n} ${rows[n].wallUs.toFixed(1)} µs`).join(', ')}`);
  }
  // The SDK's rate-limit figures prove the headers were read on every call.
  result.sdkRateLimitSeen = contenders.sdk.rateLimit !== undefined;
  return result;
}

await asPart(import.meta, run);
