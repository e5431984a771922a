// `coveton mock`: the bundled spec served by a local Prism mock on 127.0.0.1, validating every
// request, for users' and partners' own tests. Runs until interrupted; Prism stops with it.
import { InvalidArgumentError, Command, Option } from 'commander';
import type { Server } from 'node:http';
import { contextFrom } from '../context.js';
import { CommandFailure } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { startLoudFront } from '../mock-front.js';
import { assertPortFree, freePort, resolvePrism, startPrism } from '../prism.js';
import { bundledSpecPath } from '../spec-files.js';

export function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535.');
  return n;
}

const HELP = `
The mock answers with the spec's examples (or generated data with --dynamic) at the root
(http://127.0.0.1:PORT/api-keys, no /v1), accepts any bearer token or X-API-Key, and checks
every request against the spec: a request that breaks it gets a 400/422 (401 without
credentials) and an sl-violations header. With --errors the answer's message and details say
exactly what broke, a line per violation goes to stderr, and a spec example that breaks its own
schema becomes a 500. Ctrl-C (or SIGTERM) stops it, and Prism with it.

Examples:
  $ coveton mock
  $ coveton mock --port 4010 --errors
  $ COVETON_BASE_URL=http://127.0.0.1:4010 COVETON_API_KEY=ak_test_anything coveton api-keys list`;

export function mockCommand(): Command {
  return new Command('mock')
    .description('serve the bundled API spec on a local Prism mock that validates requests')
    .addOption(new Option('-p, --port <port>', 'port on 127.0.0.1').default(4010).argParser(portNumber))
    .option('--errors', 'make a request that breaks the spec fail loudly (message, details, stderr)')
    .option('--dynamic', "generate responses from the schemas instead of the spec's examples")
    .option('--quiet', "hide Prism's request log")
    .addHelpText('after', HELP)
    .action(async (opts: { port: number; errors?: boolean; dynamic?: boolean; quiet?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
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
        log: opts.quiet || ctx.json ? 'ignore' : 'stderr',
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
      if (ctx.json) ctx.out.data({ url, port: opts.port, prism: prism.version, errors: Boolean(opts.errors), spec });
      else {
        ctx.out.line(url);
        ctx.out.info(
          `Coveton mock (Prism ${prism.version}) serving the bundled spec at ${url}${opts.errors ? ' with --errors' : ''}. Stop it with Ctrl-C.`,
        );
      }
      await new Promise<void>((resolve, reject) => {
        let stopping = false;
        const shutdown = () => {
          stopping = true;
          front?.close();
          front?.closeAllConnections();
          void prism.stop().then(resolve);
        };
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, shutdown);
        void prism.exited.then((code) => {
          if (stopping) return;
          front?.close();
          front?.closeAllConnections();
          reject(new CommandFailure(`Prism stopped unexpectedly (exit code ${code})`, EXIT.INTERNAL));
        });
      });
      if (!ctx.json) ctx.out.info('Mock stopped.');
    });
}
