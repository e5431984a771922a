// `coveton webhooks trigger` sends one signed example event to an endpoint (like `stripe
// trigger`): a Coveton event signed with `X-Coveton-Signature`, or with `--provider` a payment
// processor's event signed the processor's way (so a CI job can complete a checkout on `coveton
// mock`); it never follows a redirect and reads a few KB of the answer at most. `coveton webhooks
// listen` receives deliveries, verifies each with the SDK's `constructEvent` and prints it (like
// `stripe listen`), reading bodies up to a bound. Together with `coveton mock --webhook-url` they
// let a partner test a webhook handler with no account.
import { Command, InvalidArgumentError, Option } from 'commander';
import { createServer, type IncomingMessage } from 'node:http';
import { newId } from '../../tools/ids.js';
import { PROVIDERS, processorEvent, RECEIVING_OPERATION, signProcessorEvent, type Provider } from '../../tools/processors.js';
import { loadSpecModel } from '../../tools/spec-model.js';
import { deliverOnce, postOnce, type DeliveryOutcome } from '../../tools/webhook-delivery.js';
import { constructEvent, SIGNATURE_HEADER } from '../../webhooks/index.js';
import { contextFrom } from '../context.js';
import { serveUntilSignal } from '../interrupt.js';
import { CommandFailure, UsageError } from '../errors.js';
import { EXIT } from '../../tools/exit-codes.js';
import { assertPortFree } from '../../tools/prism.js';
import { endpointUrl, portNumber } from './mock.js';

/** The largest delivery `listen` reads; a bigger one is answered 413 and not verified. */
export const MAX_LISTEN_BODY = 1024 * 1024;
/** How much of an announced oversized body `listen` reads and drops so that the sender sees the 413. */
const MAX_DRAINED = 8 * 1024 * 1024;

/**
 * An empty `--secret` (or `COVETON_WEBHOOK_SECRET=`) is the caller's mistake: refused while the
 * command line is parsed, a usage error (exit 2). Left to the SDK it became `no_secret`, which
 * `trigger` reported as a CLI bug (exit 5) and `listen` answered 400 to every delivery, blaming
 * the sender for the receiver's configuration (src/webhooks/errors.ts).
 */
function nonEmptySecret(value: string): string {
  if (value === '') throw new InvalidArgumentError('must not be empty: give the endpoint signing secret.');
  return value;
}

const secretOption = () =>
  new Option('--secret <secret>', 'the endpoint signing secret (with --provider: the processor secret `coveton mock` prints)')
    .env('COVETON_WEBHOOK_SECRET')
    .argParser(nonEmptySecret)
    .makeOptionMandatory();

interface TriggerOptions {
  to: string;
  secret: string;
  provider?: Provider;
  checkout?: string;
}

/** The body and signature headers of the event to send. */
async function eventToSend(eventType: string, opts: TriggerOptions): Promise<{ id: string; body: string; headers: Record<string, string> }> {
  const spec = loadSpecModel();
  if (opts.provider) {
    const op = spec.operations.find((o) => o.id === RECEIVING_OPERATION[opts.provider!])!;
    const media = op.raw.requestBody?.content?.['application/json'];
    const example = media?.example ?? (Object.values(media?.examples ?? {})[0] as { value?: Record<string, unknown> } | undefined)?.value;
    const id = newId('');
    const event = processorEvent(opts.provider, example, { type: eventType, checkout: opts.checkout, now: Date.now(), id });
    const body = JSON.stringify(event);
    return { id: String(event.id ?? event.data?.id), body, headers: await signProcessorEvent(opts.provider, body, opts.secret) };
  }
  if (opts.checkout) throw new UsageError('--checkout needs --provider: it completes a checkout through a payment processor event');
  const example = spec.webhookExample(eventType) as Record<string, unknown> | undefined;
  if (!example) throw new UsageError(`unknown event type "${eventType}": one of ${spec.webhookTypes().join(', ')} (or a processor's event with --provider)`);
  const event = { ...example, id: newId('evt_'), createdAt: new Date().toISOString() };
  return { id: event.id, body: JSON.stringify(event), headers: {} };
}

function failure(to: string, eventType: string, id: string, outcome: DeliveryOutcome): CommandFailure {
  if (outcome.status === 0) return new CommandFailure(`could not reach ${to}: ${outcome.problem}`, EXIT.NETWORK);
  const where = outcome.location ? `, a redirect to ${outcome.location} (not followed: the signed event goes to --to only)` : '';
  return new CommandFailure(`${to} answered ${outcome.status}${where} to ${eventType} ${id}`, EXIT.API_ERROR, { status: outcome.status, ...(outcome.location ? { location: outcome.location } : {}) });
}

function triggerCommand(): Command {
  return new Command('trigger')
    .description("send one signed example event (from the spec's outbound webhooks, or a payment processor's) to an endpoint")
    .argument('<event-type>', 'the event, e.g. message.created, api_key.revoked; with --provider the processor\'s, e.g. checkout.session.completed')
    .addOption(new Option('--to <url>', 'the endpoint to POST to').argParser(endpointUrl('--to')).makeOptionMandatory())
    .addOption(secretOption())
    .addOption(new Option('--provider <provider>', "send a payment processor's event, signed its way (for POST /webhooks/<provider>)").choices(PROVIDERS))
    .option('--checkout <checkoutUrl>', 'with --provider: the checkout the event confirms (its checkoutUrl or session id)')
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ coveton webhooks trigger message.created --to http://127.0.0.1:3000/coveton --secret whsec_test',
        '  $ coveton webhooks trigger checkout.session.completed --provider stripe --checkout "$CHECKOUT_URL" \\',
        '      --to http://127.0.0.1:4010/webhooks/stripe --secret "$PROCESSOR_SECRET"',
      ].join('\n'),
    )
    .action(async (eventType: string, opts: TriggerOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const event = await eventToSend(eventType, opts);
      const outcome = opts.provider ? await postOnce(opts.to, event.body, event.headers) : await deliverOnce(opts.to, opts.secret, event.body);
      if (outcome.problem) throw failure(opts.to, eventType, event.id, outcome);
      if (ctx.json) ctx.out.data({ type: eventType, id: event.id, to: opts.to, status: outcome.status, ...(opts.provider ? { provider: opts.provider } : {}) });
      else ctx.out.line(`✓ ${eventType} ${event.id} → ${opts.to} (${outcome.status})`);
    });
}

/** Reads and drops a body of at most `limit` bytes; rejects (and stops reading) past it. */
async function discardBody(req: IncomingMessage, limit: number): Promise<void> {
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error('body over the drain limit');
  }
}

/** The body, or undefined when it is larger than `limit` (then the rest is not read). */
async function boundedBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function listenCommand(): Command {
  return new Command('listen')
    .description('receive webhook deliveries on 127.0.0.1, verify their signatures and print them')
    .addOption(new Option('-p, --port <port>', 'port on 127.0.0.1').default(4242).argParser(portNumber))
    .addOption(secretOption())
    .addHelpText('after', '\nExamples:\n  $ coveton webhooks listen --port 4242 --secret whsec_test\n  $ coveton mock --webhook-url http://127.0.0.1:4242 --webhook-secret whsec_test')
    .action(async (opts: { port: number; secret: string }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      await assertPortFree(opts.port);
      const server = createServer((req, res) => {
        const announced = Number(req.headers['content-length'] ?? 0);
        if (announced > MAX_LISTEN_BODY) {
          // Answering before the body is read makes the sender's write fail with a reset
          // (EPIPE) instead of showing the 413: read and drop an announced body up to
          // MAX_DRAINED bytes first; past that, answer at once and close.
          const answer = () => res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: `bodies are limited to ${MAX_LISTEN_BODY} bytes` }));
          if (announced > MAX_DRAINED) answer();
          else void discardBody(req, MAX_DRAINED).then(answer, () => req.destroy());
          return;
        }
        void boundedBody(req, MAX_LISTEN_BODY).then(async (body) => {
          if (!body) {
            if (ctx.json) ctx.out.data({ verified: false, reason: `body over ${MAX_LISTEN_BODY} bytes` });
            else ctx.out.line(`✗ rejected: body over ${MAX_LISTEN_BODY} bytes`);
            res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: `bodies are limited to ${MAX_LISTEN_BODY} bytes` }));
            req.destroy();
            return;
          }
          try {
            const event = await constructEvent(body, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, opts.secret);
            if (ctx.json) ctx.out.data({ verified: true, id: event.id, type: event.type, event });
            else ctx.out.line(`✓ ${event.type} ${event.id}`);
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            if (ctx.json) ctx.out.data({ verified: false, reason });
            else ctx.out.line(`✗ rejected: ${reason}`);
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reason }));
          }
        }, () => req.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, '127.0.0.1', () => resolve());
      });
      // Listening for signals before saying so: a signal sent on reading the line finds the handlers.
      const stopped = serveUntilSignal(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      ctx.out.info(`Listening on http://127.0.0.1:${opts.port} for signed Coveton webhooks. Stop with Ctrl-C.`);
      await stopped;
    });
}

export function webhooksCommand(): Command {
  return new Command('webhooks')
    .description('send and receive signed test webhooks')
    .addCommand(triggerCommand())
    .addCommand(listenCommand());
}
