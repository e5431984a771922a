// `coveton contract --target URL`: declared here; what it does is in contract-run.ts, loaded
// when it runs.
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { contextFrom } from '../context.js';
import { examples } from '../help.js';
import { PRISM_VERSION } from '../../tools/prism.js';
import { withApiOptions } from './api-options.js';
import { commaList } from './api-keys-values.js';

const HELP = `
Prism ${PRISM_VERSION} proxies each call to the target and validates the answer against the bundled spec.
Only safe operations are called (GET without side effects), with the spec's example parameters;
an API key (--api-key or COVETON_API_KEY) is forwarded to the target, and without one only the
public operations are checked. The target is the API's base URL, /v1 included when it has one.`;

/** Collects repeated `--param name=value` (or `operationId.name=value`) into one map. */
function collectParam(value: string, previous: Map<string, string>): Map<string, string> {
  const at = value.indexOf('=');
  if (at < 1 || at === value.length - 1) throw new InvalidArgumentError('must be name=value or operationId.name=value.');
  return new Map(previous).set(value.slice(0, at), value.slice(at + 1));
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

export function registerContract(program: Command<[], {}, {}>): void {
  const contract = withApiOptions(
    program
      .command('contract')
      .description('check that a live server (e.g. your sandbox) answers as the spec says, through a validating Prism proxy')
      .requiredOption('--target <url>', 'base URL of the server to check, e.g. https://sandbox.partner.example/v1')
      .option('--include <operationIds>', 'check only these operations (comma-separated)', commaList('--include'))
      .option('--exclude <operationIds>', 'skip these operations (comma-separated)', commaList('--exclude'))
      .option('--param <name=value>', 'a parameter value instead of the spec example (repeatable; operationId.name=value for one operation)', collectParam, new Map<string, string>())
      .addOption(new Option('--timeout <ms>', 'how long one call may take').default(30_000).argParser(positive))
      .addOption(new Option('--concurrency <n>', 'calls in flight at once').default(4).argParser(positive))
      .option('--write', 'also run write flows (create, read back, update, list, delete) on real ids, cleaning up after')
      .addHelpText('after', HELP),
    { baseUrl: false },
  );
  examples(contract, [
    'COVETON_API_KEY=ak_test_... coveton contract --target https://sandbox.partner.example/v1',
    'coveton contract --target http://127.0.0.1:8080 --include listApiKeys,getApiKey --json > report.json',
    'coveton contract --target https://sandbox.partner.example/v1 --param id=key_8Hs2 --param getChat.id=chat_91Fa',
    'COVETON_API_KEY=ak_test_... coveton contract --target https://sandbox.partner.example/v1 --write',
  ]);
  contract.action(async (opts, cmd) => (await import('./contract-run.js')).contract(contextFrom(cmd), opts));
}
