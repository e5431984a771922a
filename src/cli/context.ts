// The global options (--json, --base-url, --api-key and their environment variables) turned into
// what every command needs: an Output and an SDK client. The CLI never sends HTTP itself.
import { Option, type Command } from 'commander';
import { createCoveton, ENVIRONMENTS, VERSION, type Coveton, type CovetonOptions } from '../index.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';

export interface GlobalOptions {
  json?: boolean;
  baseUrl?: string;
  apiKey?: string;
}

export interface Context {
  out: Output;
  json: boolean;
  /** Where requests go (shown in messages through safeUrl only). */
  baseUrl: string;
  apiKey: string | undefined;
  /** Where the key came from, for messages that must not show the key itself. */
  keySource: 'flag' | 'env' | undefined;
  /** A client on `baseUrl` with the key; `overrides` for special cases (contract probes). */
  client(overrides?: CovetonOptions): Coveton;
}

/** Declares the global options on the program. */
export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--json', 'print machine-readable JSON on stdout (errors as JSON on stderr)'))
    .addOption(
      new Option('--base-url <url>', `API base URL (default: ${ENVIRONMENTS.production})`).env('COVETON_BASE_URL'),
    )
    .addOption(new Option('--api-key <key>', 'API key secret; prefer the environment variable, flags end up in shell history').env('COVETON_API_KEY'));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function contextFrom(command: Command): Context {
  const options = command.optsWithGlobals<GlobalOptions>();
  const json = Boolean(options.json);
  const apiKey = nonEmpty(options.apiKey);
  const fromFlag = command.getOptionValueSourceWithGlobals('apiKey') === 'cli';
  const baseUrl = nonEmpty(options.baseUrl) ?? ENVIRONMENTS.production;
  const out = new Output(json, [apiKey]);
  return {
    out,
    json,
    baseUrl,
    apiKey,
    keySource: apiKey === undefined ? undefined : fromFlag ? 'flag' : 'env',
    client: (overrides) => {
      const client = createCoveton({
        baseUrl,
        apiKey,
        userAgent: `coveton-cli/${VERSION}`,
        logger: {
          debug: (m) => out.info(m),
          info: (m) => out.info(m),
          warn: (m) => out.warn(m),
          error: (m) => out.error(m),
        },
        logLevel: (process.env.COVETON_LOG as CovetonOptions['logLevel']) || 'error',
        ...overrides,
      });
      // Options are checked first (a bad --base-url says so); then, before anything is sent,
      // a missing key is named rather than relayed as the API's 401.
      if (overrides === undefined && apiKey === undefined) {
        throw new UsageError('no credential: set COVETON_API_KEY or pass --api-key (nothing was sent)');
      }
      return client;
    },
  };
}
