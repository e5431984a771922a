// Turns the parts' results into the terminal table, with each target's verdict.
import { delta, fmt, overBase, table } from './stats.mjs';

const HEADER = ['figure', 'fetch', 'fetch+timeout', 'vs fetch', 'openapi-fetch', 'vs fetch', 'sdk', 'vs fetch', 'target'];
const NA = '-';
/** The fetch+timeout and openapi-fetch cells of rows that compare fetch and the SDK only. */
const GAP = [NA, NA, NA, NA];

function verdict(ok, text) {
  return `${text}: ${ok ? 'met' : 'MISSED'}`;
}

/** One row with the three contenders; `lowerIsBetter` says which way the target points. */
function contenderRow(label, rows, key, format, target, compare = true) {
  const f = rows.fetch?.[key];
  const cell = (name) => (rows[name] ? format(rows[name][key]) : NA);
  const vs = (name) => (!compare ? '' : rows[name] && f ? overBase(rows[name][key] / f) : NA);
  return [label, cell('fetch'), cell('fetch+timeout'), vs('fetch+timeout'), cell('openapi-fetch'), vs('openapi-fetch'), cell('sdk'), vs('sdk'), target ?? ''];
}

function overheadRows(overhead) {
  const out = [];
  for (const [op, title] of [['get', 'GET /api-keys/{id}'], ['post', 'POST /api-keys, a fresh Idempotency-Key on each call']]) {
    const rows = overhead.ops[op];
    if (!rows) continue;
    out.push(`Per call, ${title}: sequential, median of ${overhead.rounds} rounds x ${overhead.calls} calls`);
    const target = rows.sdk ? verdict(rows.sdk.wallRatio <= 1.05, '<= +5%') : '';
    out.push(contenderRow('  wall time per call', rows, 'wallUs', fmt.us, target));
    out.push(contenderRow('  client CPU per call', rows, 'cpuUs', fmt.us));
  }
  return out;
}

function throughputRows(t) {
  const target = t.rows.sdk ? verdict(t.rows.sdk.ratio >= 0.95, '>= -5%') : '';
  return [
    `Throughput, ${t.callers} concurrent callers, ${t.op.toUpperCase()}: median of ${t.rounds} slices of ${t.sliceMs / 1000} s`,
    contenderRow('  requests per second', t.rows, 'rps', fmt.rps, target),
    contenderRow('  client CPU per request', t.rows, 'cpuUsPerReq', fmt.us),
    contenderRow('  server process busy', t.rows, 'serverBusy', (v) => `${(v * 100).toFixed(0)}% of a core`, '', false),
  ];
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
  const row = (label, base, redis, added) => [label, ms(r.rows[base].wallUs), NA, NA, NA, NA, ms(r.rows[redis].wallUs), `+${ms(added.wallUs)}`, verdict(added.wallUs < 1000, '< 1 ms added')];
  return [
    `Redis stores (@coveton/sdk/redis), GET /api-keys/{id}: sequential, median of ${r.rounds} rounds x ${r.calls} calls; fetch column: the memory store, sdk column: Redis (a PING: ${ms(r.pingUs)})`,
    row('  rate-limit budget in Redis', 'memory', 'redis-rate', r.added.rate),
    row('  session pair in Redis', 'memory-session', 'redis-session', r.added.session),
    row('  both in Redis', 'memory-session', 'redis-both', r.added.both),
  ];
}

const SECTIONS = { overhead: overheadRows, throughput: throughputRows, pagination: paginationRows, coldStart: coldRows, types: typeRows, size: sizeRows, redis: redisRows };

export function describeMachine(m) {
  return `Node ${m.node} on ${m.platform} ${m.arch}, ${m.cpus} x ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM, load average ${m.loadBefore.map((l) => l.toFixed(2)).join(' ')} at start`;
}

export function render(results) {
  const rows = [];
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (results.parts[name]) rows.push(...section(results.parts[name]));
    else if (results.errors?.[name]) rows.push(`${name}: FAILED (${results.errors[name]})`);
  }
  const title = [
    `Coveton SDK bench, ${results.date}`,
    describeMachine(results.machine),
    'fetch+timeout: plain fetch with AbortSignal.timeout(60 s), the hand-written equal of the SDK\'s per-attempt timeout.',
    '',
  ].join('\n');
  return `${title}\n${table(HEADER, rows)}\n`;
}
