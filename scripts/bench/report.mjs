// Turns the parts' results into the terminal table, with each target's verdict.
import { delta, fmt, overBase, table } from './stats.mjs';

const HEADER = ['figure', 'fetch', 'fetch+timeout', 'vs fetch', 'openapi-fetch', 'vs fetch', 'sdk', 'vs fetch', 'target'];
const NA = '-';
/** The fetch+timeout and openapi-fetch cells of rows that compare fetch and the SDK only. */
const GAP = [NA, NA, NA, NA];

function verdict(ok, text) {
  return `${text}: ${ok ? 'met' : 'MISSED'}`;
}

const CONTENDER_HEADER = ['contender', 'wall / call', 'vs fetch', 'CPU / call', 'vs fetch', 'CPU vs stripe'];
const THROUGHPUT_HEADER = ['contender', 'requests / s', 'vs fetch', 'vs stripe', 'CPU / request', 'server busy'];
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : NA);

/** Per-call figures, one row per contender, each as a ratio to fetch and to stripe-node. */
function overheadTable(overhead) {
  const rows = [];
  for (const [op, title] of [['get', 'GET /api-keys/{id}'], ['post', 'POST /api-keys, a fresh Idempotency-Key on each call']]) {
    const r = overhead.ops[op];
    if (!r) continue;
    rows.push(`Per call, ${title}: sequential, median of ${overhead.rounds} rounds x ${overhead.calls} calls`);
    for (const [name, row] of Object.entries(r)) {
      rows.push([`  ${name}`, fmt.us(row.wallUs), x(row.wallUs / r.fetch.wallUs), fmt.us(row.cpuUs), x(row.cpuUs / r.fetch.cpuUs), r.stripe ? x(row.cpuUs / r.stripe.cpuUs) : NA]);
    }
  }
  return table(CONTENDER_HEADER, rows);
}

const RUNTIME_HEADER = ['runtime, call', 'fetch CPU / call', 'fetch+timeout', 'sdk-fetch', 'sdk-fetch wall'];

/** The fetch build in each runtime that gets it, against that runtime's own fetch (paired ratios). */
function fetchRuntimesTable(f) {
  const rows = [`The fetch build where it runs, against the runtime's own fetch: CPU per call, paired by round; median of ${f.rounds} rounds x ${f.calls} calls`];
  for (const [runtime, ops] of Object.entries(f.runtimes)) {
    for (const [op, r] of Object.entries(ops)) {
      // A page has no CPU clock: Chromium's rows have wall ratios only.
      rows.push([`  ${runtime} ${op.toUpperCase()}`, r.fetch.cpuUs === null ? NA : fmt.us(r.fetch.cpuUs), x(r['fetch+timeout'].cpuRatio), x(r['sdk-fetch'].cpuRatio), x(r['sdk-fetch'].wallRatio)]);
    }
  }
  for (const [runtime, why] of Object.entries(f.skipped ?? {})) rows.push(`  ${runtime}: skipped (${why})`);
  return table(RUNTIME_HEADER, rows);
}

function throughputTable(t) {
  const rows = [`Throughput, ${t.callers} concurrent callers, ${t.op.toUpperCase()}: median of ${t.rounds} slices of ${t.sliceMs / 1000} s`];
  for (const [name, row] of Object.entries(t.rows)) {
    rows.push([`  ${name}`, fmt.rps(row.rps), x(row.rps / t.rows.fetch.rps), t.rows.stripe ? x(row.rps / t.rows.stripe.rps) : NA, fmt.us(row.cpuUsPerReq), `${(row.serverBusy * 100).toFixed(0)}% of a core`]);
  }
  return table(THROUGHPUT_HEADER, rows);
}

/** The targets of the transport work, each with its verdict, from the figures of this run. */
function targets(parts) {
  const out = [];
  const o = parts.overhead?.ops;
  for (const op of ['get', 'post']) {
    const r = o?.[op];
    if (r?.sdk && r.stripe) out.push(verdict(r.sdk.cpuUs < r.stripe.cpuUs, `Node ${op.toUpperCase()} client CPU per call below stripe-node's (${x(r.sdk.cpuUs / r.stripe.cpuUs)} of it, ${x(r.sdk.cpuUs / r.fetch.cpuUs)} of fetch)`));
    if (r?.['sdk-fetch']) out.push(verdict(r['sdk-fetch'].wallUs <= 1.05 * r.fetch.wallUs, `fetch transport ${op.toUpperCase()} wall at most 1.05x fetch (${x(r['sdk-fetch'].wallUs / r.fetch.wallUs)})`));
  }
  for (const [runtime, ops] of Object.entries(parts.fetchRuntimes?.runtimes ?? {})) {
    if (runtime === 'node') continue; // Node's row is the overhead part's, above
    for (const [op, r] of Object.entries(ops)) out.push(verdict(r['sdk-fetch'].wallRatio <= 1.05, `fetch build in ${runtime}, ${op.toUpperCase()} wall at most 1.05x its fetch (${x(r['sdk-fetch'].wallRatio)})`));
  }
  const t = parts.throughput?.rows;
  if (t?.sdk && t.stripe) out.push(verdict(t.sdk.rps > t.stripe.rps, `throughput at ${parts.throughput.callers} callers above stripe-node's (${x(t.sdk.rps / t.stripe.rps)} of it, ${x(t.sdk.rps / t.fetch.rps)} of fetch)`));
  const size = parts.size?.entries?.find((e) => e.name === 'createCoveton');
  // The house work's bound: no larger than the bundle was before it (16.2 KB; budgets: size-budget.json).
  if (size) out.push(verdict(size.gzip <= 16_200, `browser bundle of createCoveton at most 16.2 KB gzipped (${size.gzip.toLocaleString('en-US')} B)`));
  return out.length ? `Targets:\n${out.map((l) => `  ${l}`).join('\n')}\n` : '';
}

function paginationRows(p) {
  const row = (label, key, format, target) => [label, format(p.fetch[key]), ...GAP, format(p.sdk[key]), overBase(p.sdk[key] / p.fetch[key]), target ?? ''];
  const plain = (label, key, format, target) => [label, format(p.fetch[key]), ...GAP, format(p.sdk[key]), '', target ?? ''];
  const items = fmt.int(p.sdk.items);
  return [
    `Pagination, ${items} items in pages of ${p.limit}, for await over listMessages (fetch: a hand-written loop); median of ${p.rounds}`,
    row('  time to walk every item', 'ms', fmt.ms),
    plain('  heap peak growth (sampled)', 'peakGrowth', fmt.bytes),
    plain('  heap retained, 10k -> 100k items', 'flat', fmt.bytes),
    plain('  retained heap per item (slope)', 'bytesPerItem', (v) => `${v.toFixed(2)} B`, verdict(p.flat, `flat: < 5% of ${p.itemBytes.toFixed(0)} B held/item`)),
  ];
}

function coldRows(c) {
  const r = c.rows;
  const line = (label, key) => [label, fmt.ms(r.fetch[key]), ...GAP, fmt.ms(r.sdk[key]), delta(r.sdk[key] - r.fetch[key], fmt.ms), ''];
  return [
    `Cold start: a fresh process makes one call (fetch: imports nothing); median of ${c.runs}`,
    line('  spawn to exit', 'wallMs'),
    line('  process start to first answer', 'sinceStartMs'),
    ['  import of the SDK', NA, ...GAP, fmt.ms(r.sdk.importMs), '', ''],
    line('  first call (after import)', 'firstCallMs'),
  ];
}

function typeRows(t) {
  const r = t.rows;
  const line = (label, key, format) => [label, format(r.plain[key]), ...GAP, format(r.typed[key]), delta(r.typed[key] - r.plain[key], format), ''];
  return [
    `Type cost: tsc --noEmit of a consumer making ${t.calls} calls (sdk: typed, dist/ types; fetch: the same by hand); median of ${t.runs}`,
    line('  tsc wall time', 'wallMs', fmt.ms),
    line('  tsc check time', 'checkMs', fmt.ms),
    line('  types created', 'types', fmt.int),
  ];
}

function sizeRows(s) {
  return [
    `Size: bundled for the browser from dist/ by esbuild, minified, gzip -9 (${s.source})`,
    ...s.entries.map((e) => [
      `  ${e.name}`,
      NA,
      ...GAP,
      `${fmt.bytes(e.gzip)} gz`,
      `${fmt.bytes(e.minified)} min`,
      e.budget === null ? 'no budget' : verdict(e.withinBudget, `<= ${fmt.bytes(e.budget)} gz`),
    ]),
  ];
}

function redisRows(r) {
  if (r.skipped) return [`Redis stores (@coveton/sdk/redis): skipped, ${r.skipped}`];
  const ms = (us) => `${(us / 1000).toFixed(3)} ms`;
  const row = (label, base, redis, added) => [label, ms(r.rows[base].wallUs), NA, NA, NA, NA, ms(r.rows[redis].wallUs), `${added.wallUs < 0 ? '-' : '+'}${ms(Math.abs(added.wallUs))}`, verdict(added.wallUs < 1000, '< 1 ms added')];
  return [
    `Redis stores (@coveton/sdk/redis), GET /api-keys/{id}: sequential, median of ${r.rounds} rounds x ${r.calls} calls; fetch column: the memory store, sdk column: Redis (a PING: ${ms(r.pingUs)})`,
    row('  rate-limit budget in Redis', 'memory', 'redis-rate', r.added.rate),
    row('  session pair in Redis', 'memory-session', 'redis-session', r.added.session),
    ...(r.added.sessionUncached ? [row('  the same, read every call', 'memory-session', 'redis-session-uncached', r.added.sessionUncached)] : []),
    row('  both in Redis', 'memory-session', 'redis-both', r.added.both),
  ];
}

const SECTIONS = { pagination: paginationRows, coldStart: coldRows, types: typeRows, size: sizeRows, redis: redisRows };

export function describeMachine(m) {
  return `Node ${m.node} on ${m.platform} ${m.arch}, ${m.cpus} x ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM, load average ${m.loadBefore.map((l) => l.toFixed(2)).join(' ')} at start`;
}

export function render(results) {
  const rows = [];
  for (const name of ['overhead', 'throughput', 'fetchRuntimes']) if (results.errors?.[name]) rows.push(`${name}: FAILED (${results.errors[name]})`);
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (results.parts[name]) rows.push(...section(results.parts[name]));
    else if (results.errors?.[name]) rows.push(`${name}: FAILED (${results.errors[name]})`);
  }
  const title = [
    `Coveton SDK bench, ${results.date}`,
    describeMachine(results.machine),
    'fetch+timeout: plain fetch with AbortSignal.timeout(60 s), the hand-written equal of the SDK\'s per-attempt timeout.',
    'sdk: the Node entry (undici transport); sdk-fetch: the fetch entry of browsers, Deno, Bun and workers; stripe: stripe-node rawRequest; undici-pool: Pool.request(), the floor.',
    '',
  ].join('\n');
  const contenders = [
    results.parts.overhead ? overheadTable(results.parts.overhead) : '',
    results.parts.throughput ? throughputTable(results.parts.throughput) : '',
    results.parts.fetchRuntimes ? fetchRuntimesTable(results.parts.fetchRuntimes) : '',
  ].filter(Boolean);
  const rest = rows.length ? `${table(HEADER, rows)}\n` : '';
  return `${title}\n${contenders.map((t) => `${t}\n\n`).join('')}${rest}\n${targets(results.parts)}`;
}
