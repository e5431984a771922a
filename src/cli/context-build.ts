// Builds the context (context.ts) of the command about to run: loaded by the program's preAction
// hook, with the SDK, only when a command runs.
// The Node entry: undici's transport, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY honoured.
import { createCoveton, VERSION } from '../index.node.js';
import { UsageError } from '../tools/failures.js';
import { registerContext, type Context, type GlobalOptions, type OptionSource } from './context.js';
import type { Io } from './io.js';
import { Output } from './output.js';
import { attemptLog, type AttemptLog } from './verbose.js';
import { ENVIRONMENTS, type CovetonOptions } from '../public/options.js';
import type { Coveton } from '../public/client.js';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Builds the context of `command` (the one about to run) and files it under `root`. */
export function buildContext(root: object, command: OptionSource, io: Io): Context {
  const options = command.optsWithGlobals() as GlobalOptions;
  const json = Boolean(options.json);
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(io.env.COVETON_API_KEY);
  const fromFlag = nonEmpty(options.apiKey) !== undefined && command.getOptionValueSourceWithGlobals('apiKey') === 'cli';
  const baseUrl = nonEmpty(options.baseUrl) ?? nonEmpty(io.env.COVETON_BASE_URL) ?? ENVIRONMENTS.production;
  const out = new Output(io, json, [apiKey]);
  const verbose = Boolean(options.verbose) || io.env.COVETON_LOG === 'debug';
  const log: AttemptLog | undefined = verbose ? attemptLog((line) => out.info(line), 2) : undefined;
  const make = (overrides: CovetonOptions = {}) =>
    createCoveton({
      baseUrl,
      apiKey,
      userAgent: `coveton-cli/${VERSION}`,
      logger: {
        debug: () => {},
        info: (m) => out.info(m),
        warn: (m) => out.warn(m),
        error: (m) => out.error(m),
      },
      logLevel: verbose ? 'warn' : 'error',
      ...log?.options,
      ...overrides,
    });
  let client: Coveton | undefined;
  const ctx: Context = {
    out,
    io,
    json,
    baseUrl,
    apiKey,
    keySource: apiKey === undefined ? undefined : fromFlag ? 'flag' : 'env',
    client: (overrides) => {
      if (overrides) return make(overrides);
      client ??= make(); // the options are checked first: a bad --base-url says so
      // Before anything is sent, a missing key is named rather than relayed as the API's 401.
      if (apiKey === undefined) throw new UsageError('no credential: set COVETON_API_KEY or pass --api-key (nothing was sent)');
      return client;
    },
    finish: () => log?.flush(),
  };
  registerContext(root, ctx);
  return ctx;
}
