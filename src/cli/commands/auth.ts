// `coveton auth test`: declared here; what it does is in auth-run.ts, loaded when it runs.
import type { Command } from '@commander-js/extra-typings';
import { contextFrom } from '../context.js';
import { examples } from '../help.js';
import { withApiOptions } from './api-options.js';

export function registerAuth(program: Command<[], {}, {}>): void {
  const group = program.command('auth').description('check credentials');
  examples(group, ['coveton auth test']);
  const test = withApiOptions(
    group
      .command('test')
      .description('call /utils/authtest and say whether the API key works, and if not, why')
      .addHelpText(
        'after',
        `
Exit code 0 when the key works, 1 when the API refuses it, 3 when the API cannot be reached.
A refusal is explained in words: missing key (credentials_missing), token_invalid, key_revoked,
key_suspended, key_expired, wrong_environment, ip_not_allowed, ...`,
      ),
  );
  examples(test, [
    'COVETON_API_KEY=ak_test_... coveton auth test --base-url https://sandbox.api.coveton.com/v1',
    'coveton auth test --json',
  ]);
  test.action(async (_opts, cmd) => (await import('./auth-run.js')).authTest(contextFrom(cmd)));
}
