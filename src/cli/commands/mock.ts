// `coveton mock`: a local Coveton API on 127.0.0.1 for users' and partners' own tests. By default
// the stateful mock (src/mock): what you create can be read back, listed, updated and deleted,
// tokens rotate, rate limits count, uploads are stored, and every request and answer is checked
// against the bundled spec. `--stateless` serves plain Prism on the spec's examples instead.
import { InvalidArgumentError, Command, Option } from 'commander';
import type { Server } from 'node:http';
import { isLoopback, parseRateLimit, startMock, type RateLimitSetting } from '../../mock/index.js';
import { contextFrom, type Context } from '../context.js';
import { CommandFailure, safeUrl, UsageError } from '../errors.js';
import { EXIT } from '../../tools/exit-codes.js';
import { serveUntilSignal } from '../interrupt.js';
import { dateTime } from './api-keys-values.js';
import { startLoudFront } from '../mock-front.js';
import { assertPortFree, freePort, resolvePrism, startPrism } from '../../tools/prism.js';
import { bundledSpecPath } from '../../tools/spec-files.js';

export function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535.');
  return n;
}

function rateLimitOption(value: string): RateLimitSetting | false {
  try {
    return parseRateLimit(value);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

/** A webhook endpoint (`--webhook-url`, `webhooks trigger --to`): http(s), no user:password@. */
export const endpointUrl = (flag: string) => (value: string): string => {
  let url: URL | undefined;
  try {
    url = /^https?:\/\/[^\s]+$/.test(value) ? new URL(value) : undefined;
  } catch {
    // not a URL: refused just below
  }
  if (!url) throw new InvalidArgumentError('must be an http:// or https:// URL.');
  // A UsageError, not commander's InvalidArgumentError, whose message quotes the value whole:
  // the password must not be printed back. fetch refuses such a URL anyway.
  if (url.username || url.password) {
    throw new UsageError(`${flag} must not hold a user name or password (user:password@ in ${safeUrl(value)}): the signature authenticates the delivery`);
  }
  return value;
};

/** Repeatable `--cors-origin`: an origin (`https://docs.example.com`) or `*`. */
function originOption(value: string, previous: string[] = []): string[] {
  if (value !== '*' && !/^https?:\/\/[^\s/]+$/.test(value)) throw new InvalidArgumentError('must be an origin such as https://app.example.com (scheme and host, no path), or *.');
  return [...previous, value];
}

const HELP = `
The mock serves the API at the root (http://127.0.0.1:PORT/api-keys, no /v1) and starts with
Ada (ada@example.com, password a-strong-passphrase), owner of the organization org_7Qk2mP4x,
with her devices dev_a1 and dev_b2, and Bob (bob@example.com, password bob-strong-passphrase)
with his devices dev_BobPhone1 and dev_BobLaptop1, both in the chat chat_8f2a. Sign in, or send
any well-formed ak_test_ key (24 or more letters and digits after the prefix). It enforces who may do what from the spec (roles, visibility,
invariants) and keeps the audit log. A request that breaks the spec gets the API's error
envelope naming the violation.

Control (loopback pages only; POSTs need Content-Type: application/json):
  POST /__mock/reset restores the seed; GET|POST /__mock/clock reads or moves the clock
  ({"advance": "16m"}, {"set": "2026-06-20T16:00:00Z"}, {"frozen": true}).
Payment webhooks are verified with the processor secret printed on stderr at start (or
--processor-secret); \`coveton webhooks trigger --provider\` sends one. Ctrl-C (or SIGTERM) stops it.

Examples:
  $ coveton mock --port 4010
  $ coveton mock --rate-limit 20/2 --seed ./fixtures/seed.json --clock 2026-06-20T16:00:00Z
  $ coveton mock --webhook-url http://127.0.0.1:3000/coveton --webhook-secret whsec_test
  $ coveton mock --host 0.0.0.0 --cors-origin https://docs.example.com   # in a container
  $ coveton mock --stateless --errors
  $ COVETON_BASE_URL=http://127.0.0.1:4010 COVETON_API_KEY=ak_test_AnyWellFormedSandboxKey0001 coveton api-keys list`;

interface MockOptions {
  port: number;
  host: string;
  corsOrigin?: string[];
  clock?: string;
  processorSecret?: string;
  stateless?: boolean;
  errors?: boolean;
  dynamic?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  seed?: string;
  rateLimit: RateLimitSetting | false;
  webhookUrl?: string;
  webhookSecret?: string;
}

/** Serves until a signal (interrupt.ts: Ctrl-C is 130), or fails if Prism exits on its own. */
function untilStopped(stop: () => Promise<void>, crashed?: Promise<number | null>): Promise<void> {
  let stopping = false;
  const stopped = serveUntilSignal(() => {
    stopping = true;
    return stop();
  });
  if (!crashed) return stopped;
  return Promise.race([
    stopped,
    crashed.then((code) => {
      if (!stopping) throw new CommandFailure(`Prism stopped unexpectedly (exit code ${code})`, EXIT.INTERNAL);
      return stopped;
    }),
  ]);
}

async function stateful(opts: MockOptions, ctx: Context): Promise<void> {
  // --errors is what the stateful mock always does (it names every violation): accepted, so older scripts keep working.
  if (opts.dynamic) throw new UsageError('--dynamic applies to --stateless only: the stateful mock answers from its state');
  if (opts.webhookUrl && !opts.webhookSecret) throw new UsageError('--webhook-url needs --webhook-secret (or COVETON_WEBHOOK_SECRET) to sign the deliveries');
  resolvePrism();
  await assertPortFree(opts.port, opts.host);
  if (!isLoopback(opts.host)) {
    ctx.out.warn(
      `listening on ${opts.host}: the mock is reachable from other machines, and any Host is accepted. It holds invite and reset tokens and anyone who reaches it can reset it: use this in a container or a CI network only.`,
    );
  }
  let mock;
  try {
    mock = await startMock({
      port: opts.port,
      host: opts.host,
      rateLimit: opts.rateLimit,
      ...(opts.corsOrigin ? { corsOrigins: opts.corsOrigin } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.processorSecret ? { processorSecret: opts.processorSecret } : {}),
      ...(opts.seed ? { seed: opts.seed } : {}),
      webhooks: { url: opts.webhookUrl, secret: opts.webhookSecret },
      ...(opts.verbose ? { log: (line: string) => ctx.out.info(line) } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Listening for signals before the URL is printed: a supervisor that stops the mock as soon as
  // it reads the URL must find the handlers in place, not the default (killed by the signal).
  const stopped = untilStopped(() => mock.close());
  if (ctx.json) ctx.out.data({ url: mock.url, port: mock.port, stateful: true, startupMs: mock.startupMs, processorSecret: mock.processorSecret });
  else {
    ctx.out.line(mock.url);
    ctx.out.info(`Payment webhooks (POST /webhooks/stripe, /paystack, /flutterwave) are verified with the processor secret ${mock.processorSecret}`);
  }
  await stopped;
}

async function stateless(opts: MockOptions, ctx: Context): Promise<void> {
  resolvePrism();
  const spec = bundledSpecPath('openapi.yaml');
  await assertPortFree(opts.port);
  const prismPort = opts.errors ? await freePort() : opts.port;
  const prism = await startPrism({
    mode: 'mock',
    spec,
    port: prismPort,
    errors: Boolean(opts.errors),
    dynamic: Boolean(opts.dynamic),
    log: opts.verbose && !ctx.json ? 'stderr' : 'ignore',
    maxLifetimeMs: 0,
  });
  let front: Server | undefined;
  try {
    if (opts.errors) front = await startLoudFront(opts.port, prism.url, ctx.out);
  } catch (error) {
    await prism.stop();
    throw error;
  }
  const url = `http://127.0.0.1:${opts.port}`;
  const stopped = untilStopped(async () => {
    front?.close();
    front?.closeAllConnections();
    await prism.stop();
  }, prism.exited); // before the URL is printed, as in stateful()
  if (ctx.json) ctx.out.data({ url, port: opts.port, prism: prism.version, errors: Boolean(opts.errors), spec });
  else ctx.out.line(url);
  await stopped;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('run a local, stateful Coveton API that checks every request and answer against the spec')
    .addOption(new Option('-p, --port <port>', 'port to listen on').default(4010).argParser(portNumber))
    .addOption(new Option('--host <address>', 'address to listen on; anything but loopback (e.g. 0.0.0.0 in a container) exposes the mock and prints a warning').default('127.0.0.1'))
    .addOption(new Option('--cors-origin <origin>', 'also answer pages from this origin (repeatable; * for any): by default only loopback origins').argParser(originOption))
    .addOption(new Option('--clock <time>', 'start the mock\'s clock at this RFC 3339 time (move it with POST /__mock/clock)').argParser(dateTime))
    .addOption(new Option('--processor-secret <secret>', 'the secret payment webhook signatures are verified with (default: a new one, printed at start)').env('COVETON_PROCESSOR_SECRET'))
    .option('--seed <file>', 'JSON file of extra records to start with: { "<collection>": [ {...} ] }')
    .addOption(new Option('--rate-limit <limit>', 'requests per window, <requests>/<seconds>, or off').default(parseRateLimit('120/60'), '120/60').argParser(rateLimitOption))
    .addOption(new Option('--webhook-url <url>', 'POST signed events (message.created, api_key.revoked, ...) here').argParser(endpointUrl('--webhook-url')))
    .addOption(new Option('--webhook-secret <secret>', 'the signing secret for --webhook-url').env('COVETON_WEBHOOK_SECRET'))
    .option('--stateless', "plain Prism on the spec's examples, no state (the behaviour of earlier versions)")
    .option('--errors', 'with --stateless: make a request that breaks the spec fail loudly (the stateful mock always does)')
    .option('--dynamic', "with --stateless: generate responses from the schemas instead of the spec's examples")
    .option('--verbose', 'log one line per request on stderr')
    .option('--quiet', 'print only the URL (the default; kept for scripts)')
    .addHelpText('after', HELP)
    .action(async (opts: MockOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      if (opts.stateless) await stateless(opts, ctx);
      else await stateful(opts, ctx);
      if (opts.verbose && !ctx.json) ctx.out.info('Mock stopped.');
    });
}
