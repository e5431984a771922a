// Throughput: 64 concurrent callers, each making calls back to back for a fixed time slice,
// per contender, the contenders interleaved in a rotating order, several rounds. Per contender:
// the median requests/s, the client's CPU time per request, and how busy the server process
// was (near 100% of a core means the server, not the client, set the pace).
import { asPart } from './child.mjs';
import { makeContenders, NAMES, verify } from './contenders.mjs';
import { median, ratio, rotate, spread } from './stats.mjs';

export const CALLERS = 64;

async function serverCpu(url) {
  const res = await fetch(`${url}/__cpu`);
  return (await res.json()).cpu;
}

async function slice(fn, callers, ms, url) {
  const server0 = await serverCpu(url);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  let done = 0;
  const caller = async () => {
    while (performance.now() < end) {
      await fn();
      done++;
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const server = (await serverCpu(url)) - server0;
  return { rps: (done * 1000) / wall, cpuUsPerReq: (cpu.user + cpu.system) / done, serverBusy: server / (wall * 1000) };
}

export async function run({ url, quick }) {
  const env = process.env;
  const ms = Number(env.BENCH_SLICE_MS ?? (quick ? 500 : 1500));
  const rounds = Number(env.BENCH_ROUNDS ?? (quick ? 2 : 5));
  const op = env.BENCH_OP ?? 'get';
  const names = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : NAMES;

  const contenders = await makeContenders(url);
  await verify(contenders);
  for (const name of names) await slice(contenders[op][name], CALLERS, quick ? 300 : 700, url);

  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of rotate(names, round)) samples[name].push(await slice(contenders[op][name], CALLERS, ms, url));
  }
  const rows = {};
  for (const name of names) {
    const rps = samples[name].map((s) => s.rps);
    rows[name] = {
      rps: median(rps),
      spread: spread(rps),
      cpuUsPerReq: median(samples[name].map((s) => s.cpuUsPerReq)),
      serverBusy: median(samples[name].map((s) => s.serverBusy)),
      samples: samples[name],
    };
  }
  for (const name of names) {
    if (!rows.fetch) break;
    rows[name].ratio = ratio(rows[name].rps, rows.fetch.rps);
    rows[name].cpuRatio = ratio(rows[name].cpuUsPerReq, rows.fetch.cpuUsPerReq);
    rows[name].pairedRatio = median(samples[name].map((s, i) => s.rps / samples.fetch[i].rps));
  }
  console.log(`throughput ${op} x${CALLERS}: ${names.map((n) => `${n} ${Math.round(rows[n].rps)} req/s`).join(', ')}`);
  return { op, callers: CALLERS, sliceMs: ms, rounds, rows };
}

await asPart(import.meta, run);
