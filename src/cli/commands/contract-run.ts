// `coveton contract --target URL`: runs the bundled spec's contract against a live server (a
// partner's sandbox, a staging deploy) through Prism's validating proxy. Every safe operation is
// called through the SDK pointed at the proxy; every answer that breaks the spec is reported.
// Exit 0 only when none does (4 when some do, 3 when the target cannot be reached).
import type { Context } from '../context.js';
import { connect } from 'node:net';
import { CommandFailure, networkReason, Reported, safeUrl, UsageError } from '../errors.js';
import { EXIT } from '../../tools/exit-codes.js';
import { freePort, resolvePrism, startPrism } from '../../tools/prism.js';
import { startRelay } from '../../tools/relay.js';
import { bundledSpecPath } from '../../tools/spec-files.js';
import { runProbe, type ProbeResult } from '../contract/check.js';
import { planProbes, type Probe, type Skipped } from '../contract/probes.js';
import { printReport, reportJson } from '../contract/report.js';
import { runWriteFlows } from '../contract/write-flows.js';

export interface ContractOptions {
  target: string;
  param: Map<string, string>;
  include?: string[];
  exclude?: string[];
  timeout: number;
  concurrency: number;
  write?: true | undefined;
}


function checkTarget(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target must be an absolute http(s) URL, got ${JSON.stringify(safeUrl(target))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--target must be an http or https URL');
  return target;
}

function select(ctx: Context, probes: Probe[], skipped: Skipped[], opts: ContractOptions): Probe[] {
  const known = new Set([...probes, ...skipped].map((p) => p.operationId));
  const unknown = [...(opts.include ?? []), ...(opts.exclude ?? [])].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`unknown operationId: ${unknown.join(', ')} (see the spec's operationIds)`);
  let chosen = probes.filter((p) => (!opts.include || opts.include.includes(p.operationId)) && !opts.exclude?.includes(p.operationId));
  if (ctx.apiKey === undefined) {
    for (const p of chosen.filter((p) => !p.public)) {
      skipped.push({ ...p, reason: 'needs an API key: pass --api-key or set COVETON_API_KEY' });
    }
    chosen = chosen.filter((p) => p.public);
  }
  if (chosen.length === 0) throw new UsageError('no operation left to check: widen --include/--exclude, or give an API key');
  return chosen;
}

async function runAll(probes: Probe[], concurrency: number, run: (p: Probe) => Promise<ProbeResult>, tick: (done: number) => void) {
  const results: ProbeResult[] = new Array(probes.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < probes.length) {
      const index = next++;
      results[index] = await run(probes[index]!);
      tick(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, worker));
  return results;
}

/** Fails fast, before starting Prism, when nothing accepts a connection at the target. */
function assertReachable(target: string, timeoutMs: number): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new CommandFailure(`could not reach ${safeUrl(target)}: ${why}`, EXIT.NETWORK));
    };
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: Math.min(timeoutMs, 10_000) });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => fail('the connection timed out'));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(networkReason(error.code ?? error.message)));
  });
}

export async function contract(ctx: Context, opts: ContractOptions): Promise<void> {
  const target = checkTarget(opts.target);
  const { probes, skipped } = planProbes(opts.param);
  if (opts.write && ctx.apiKey === undefined) throw new UsageError('--write needs an API key of the target: pass --api-key or set COVETON_API_KEY');
  const chosen = select(ctx, probes, skipped, opts);
  resolvePrism(); // a missing Prism is a usage error, reported before anything else is tried
  await assertReachable(target, opts.timeout);
  const spec = bundledSpecPath('openapi.yaml');
  const spinner = ctx.out.spinner('Starting the Prism proxy');
  // Prism forwards through the relay, never to the target itself: its forwarder follows
  // redirects, key included, to any origin (relay.ts).
  // The relay's own idle bound never cuts a probe the --timeout still waits for (60 s at least).
  const relay = await startRelay(target, Math.max(opts.timeout, 60_000));
  const prism = await startPrism({
    mode: 'proxy',
    spec,
    upstream: relay.url,
    port: await freePort(),
    log: 'ignore',
    maxLifetimeMs: 30 * 60_000,
  }).catch(async (error: unknown) => {
    spinner.stop();
    await relay.close();
    throw error;
  });
  let results: ProbeResult[];
  try {
    const client = ctx.client({ baseUrl: prism.url, maxRetries: 0, timeout: opts.timeout });
    results = await runAll(chosen, opts.concurrency, (p) => runProbe(client, p), (done) =>
      spinner.update(`Checking operations against ${safeUrl(target)} (${done}/${chosen.length})`),
    );
    const withKey = (apiKey: string) => ctx.client({ baseUrl: prism.url, maxRetries: 0, timeout: opts.timeout, apiKey });
    if (opts.write) results.push(...(await runWriteFlows(client, { withKey })));
  } finally {
    spinner.stop();
    await prism.stop();
    await relay.close();
  }
  const report = reportJson(safeUrl(target), prism.version, results, skipped);
  if (report.summary.unreachable === results.length && !ctx.json) {
    // Nothing answered: one line says it better than a report of identical failures.
    throw new CommandFailure(`could not reach ${safeUrl(target)}: ${results[0]?.unreachable ?? 'no answer'}`, EXIT.NETWORK);
  }
  if (ctx.json) ctx.out.data(report);
  else printReport(ctx.out, report);
  if (report.summary.violations > 0) throw new Reported(EXIT.VIOLATIONS);
  if (report.summary.unreachable > 0) throw new Reported(EXIT.NETWORK);
}

