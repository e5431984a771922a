// Cold start: fresh Node processes that make one call and exit, measured from spawn to exit.
// The baseline imports nothing and makes its call with fetch; the other imports the SDK
// (dist/, with openapi-fetch) and makes its first call through createCoveton. The two run
// interleaved; the figures are medians. Inside each child, performance.now() also splits the
// SDK's cost into the import and the first call.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { API_KEY, asPart, SDK_ENTRY } from './child.mjs';
import { median } from './stats.mjs';

const report = `process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, sinceStartMs: t2 }), () => process.exit(0));`;

function scripts(url) {
  const target = JSON.stringify(`${url}/api-keys/key_1`);
  const auth = JSON.stringify(`Bearer ${API_KEY}`);
  return {
    fetch: `
      const t0 = performance.now(), t1 = t0;
      const res = await fetch(${target}, { headers: { Authorization: ${auth} } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      if ((await res.json()).id !== 'key_1') throw new Error('wrong answer');
      const t2 = performance.now();
      ${report}`,
    sdk: `
      const t0 = performance.now();
      const { createCoveton } = await import(${JSON.stringify(pathToFileURL(SDK_ENTRY).href)});
      const t1 = performance.now();
      const coveton = createCoveton({ baseUrl: ${JSON.stringify(url)}, apiKey: ${JSON.stringify(API_KEY)}, logLevel: 'off' });
      if ((await coveton.apiKeys.get('key_1')).id !== 'key_1') throw new Error('wrong answer');
      const t2 = performance.now();
      ${report}`,
  };
}

function once(code) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (status) => {
      const wallMs = performance.now() - t0;
      if (status !== 0) return reject(new Error(`cold-start child exited with ${status}`));
      resolve({ wallMs, ...JSON.parse(out) });
    });
  });
}

export async function run({ url, quick }) {
  const runs = Number(process.env.BENCH_COLD_RUNS ?? (quick ? 3 : 10));
  const code = scripts(url);
  const names = Object.keys(code);
  for (const name of names) await once(code[name]); // file cache and server warm
  const samples = { fetch: [], sdk: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) samples[name].push(await once(code[name]));
  }
  const rows = {};
  for (const name of names) {
    rows[name] = {
      wallMs: median(samples[name].map((s) => s.wallMs)),
      importMs: median(samples[name].map((s) => s.importMs)),
      firstCallMs: median(samples[name].map((s) => s.firstCallMs)),
      sinceStartMs: median(samples[name].map((s) => s.sinceStartMs)),
      samples: samples[name],
    };
  }
  const extraMs = rows.sdk.wallMs - rows.fetch.wallMs;
  console.log(`cold start: fetch ${rows.fetch.wallMs.toFixed(1)} ms, sdk ${rows.sdk.wallMs.toFixed(1)} ms (+${extraMs.toFixed(1)} ms)`);
  return { runs, rows, extraMs };
}

await asPart(import.meta, run);
