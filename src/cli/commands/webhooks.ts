// `coveton webhooks trigger` sends one signed example event to an endpoint (like `stripe
// trigger`); `coveton webhooks listen` receives deliveries, verifies each with the SDK's
// `constructEvent` and prints it (like `stripe listen`). Together with `coveton mock
// --webhook-url` they let a partner test a webhook handler with no account.
import { Command, InvalidArgumentError, Option } from 'commander';
import { createServer, type IncomingMessage } from 'node:http';
import { newId } from '../../tools/ids.js';
import { loadSpecModel } from '../../tools/spec-model.js';
import { deliverOnce } from '../../tools/webhook-delivery.js';
import { constructEvent, SIGNATURE_HEADER } from '../../webhooks/index.js';
import { contextFrom } from '../context.js';
import { CommandFailure, UsageError } from '../errors.js';
import { EXIT } from '../../tools/exit-codes.js';
import { assertPortFree } from '../../tools/prism.js';
import { portNumber } from './mock.js';

function urlOption(value: string): string {
  if (!/^https?:\/\/\S+$/.test(value)) throw new InvalidArgumentError('must be an http:// or https:// URL.');
  return value;
}

const secretOption = () =>
  new Option('--secret <secret>', 'the endpoint signing secret').env('COVETON_WEBHOOK_SECRET').makeOptionMandatory();

function triggerCommand(): Command {
  return new Command('trigger')
    .description("send one signed example event (from the spec's outbound webhooks) to an endpoint")
    .argument('<event-type>', 'the event, e.g. message.created, api_key.revoked')
    .addOption(new Option('--to <url>', 'the endpoint to POST to').argParser(urlOption).makeOptionMandatory())
    .addOption(secretOption())
    .addHelpText('after', '\nExamples:\n  $ coveton webhooks trigger message.created --to http://127.0.0.1:3000/coveton --secret whsec_test')
    .action(async (eventType: string, opts: { to: string; secret: string }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const spec = loadSpecModel();
      const example = spec.webhookExample(eventType) as Record<string, unknown> | undefined;
      if (!example) throw new UsageError(`unknown event type "${eventType}": one of ${spec.webhookTypes().join(', ')}`);
      const event = { ...example, id: newId('evt_'), createdAt: new Date().toISOString() };
      const status = await deliverOnce(opts.to, opts.secret, JSON.stringify(event));
      if (status === 0) throw new CommandFailure(`could not reach ${opts.to}: nothing answered`, EXIT.NETWORK);
      if (status < 200 || status >= 300) throw new CommandFailure(`${opts.to} answered ${status} to ${eventType} ${event.id}`, EXIT.API_ERROR, { status });
      if (ctx.json) ctx.out.data({ type: eventType, id: event.id, to: opts.to, status });
      else ctx.out.line(`✓ ${eventType} ${event.id} → ${opts.to} (${status})`);
    });
}

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
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
        void rawBody(req).then(async (body) => {
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
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, '127.0.0.1', () => resolve());
      });
      ctx.out.info(`Listening on http://127.0.0.1:${opts.port} for signed Coveton webhooks. Stop with Ctrl-C.`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          server.close(() => resolve());
          server.closeAllConnections();
        };
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
      });
    });
}

export function webhooksCommand(): Command {
  return new Command('webhooks')
    .description('send and receive signed test webhooks')
    .addCommand(triggerCommand())
    .addCommand(listenCommand());
}
