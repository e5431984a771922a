// The options of the commands that call the API, declared on those commands only (`mock` has
// none of them). Their values are read once, in the program's preAction hook (context.ts).
import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';

const PRODUCTION = 'https://api.coveton.com/v1';

export interface ApiOptionValues {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  verbose?: true | undefined;
}

export function withApiOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
  { baseUrl = true } = {},
): Command<Args, Opts & ApiOptionValues, Globals> {
  command.addOption(new Option('--api-key <key>', 'API key secret (env: COVETON_API_KEY, preferred: flags land in shell history)'));
  if (baseUrl) command.addOption(new Option('--base-url <url>', `API base URL (env: COVETON_BASE_URL, default: ${PRODUCTION})`));
  command.addOption(new Option('--verbose', 'print one line per HTTP attempt on stderr (env: COVETON_LOG=debug)'));
  return command as unknown as Command<Args, Opts & ApiOptionValues, Globals>;
}
