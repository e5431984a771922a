// Small statistics and the text table the bench prints.

export function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0..100), linear between the two nearest ranks. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const rank = ((s.length - 1) * p) / 100;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

export const median = (values) => percentile(values, 50);

export function mean(values) {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Spread of the samples as a fraction of their median: (p75 - p25) / p50. */
export function spread(values) {
  return (percentile(values, 75) - percentile(values, 25)) / median(values);
}

export function ratio(value, base) {
  return base > 0 ? value / base : NaN;
}

/** Rotates `items` by `round`, so that each contender takes each place in the order in turn. */
export function rotate(items, round) {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Median of per-round CPU and wall samples, summarised for one contender. */
export function summarize(samples, key) {
  const values = samples.map((s) => s[key]);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), spread: spread(values) };
}

// ---- formatting ----------------------------------------------------------------------------

export const fmt = {
  us: (v) => `${v.toFixed(1)} µs`,
  ms: (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`,
  s: (v) => `${v.toFixed(2)} s`,
  x: (v) => `${v.toFixed(3)}x`,
  pct: (v) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`,
  rps: (v) => `${Math.round(v).toLocaleString('en-US')} req/s`,
  bytes: (v) => (Math.abs(v) >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MiB` : `${(v / 1024).toFixed(1)} KiB`),
  int: (v) => Math.round(v).toLocaleString('en-US'),
};

/** A difference with its sign, formatted by `format`: delta(-3, fmt.ms) -> "-3.00 ms". */
export const delta = (v, format) => `${v < 0 ? '-' : '+'}${format(Math.abs(v))}`;

/** Change against a base as a signed percentage, e.g. 1.043 -> "+4.3%". */
export const overBase = (r) => fmt.pct(r - 1);

/**
 * A plain text table. `rows` are arrays of cells; a row that is a string is a section
 * heading spanning the table.
 */
export function table(header, rows) {
  const cells = rows.filter(Array.isArray);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule];
  for (const r of rows) out.push(Array.isArray(r) ? line(r) : `\n${r}`);
  return out.join('\n');
}

// A page has no CPU clock of its own: there `cpuUs` is null and wall time carries the figures.
const cpuClock = globalThis.process?.cpuUsage?.bind(globalThis.process);

/** Runs `fn` `calls` times in a row: wall time and this process's CPU per call, in µs. */
export async function batch(fn, calls) {
  const cpu0 = cpuClock?.();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  const wall = performance.now() - t0;
  const cpu = cpu0 && cpuClock(cpu0);
  return { wallUs: (wall * 1000) / calls, cpuUs: cpu ? (cpu.user + cpu.system) / calls : null };
}
