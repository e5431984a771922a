// The `coveton` program: every command registered on one commander program, run in process
// against the streams and environment it is given (io.ts), and one path from any outcome to the
// exit code (exit-codes.ts). The bin (bin.ts) only hands it the process. Commands load what they
// need when they run, so `coveton --version` and any `--help` start without the SDK.
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { VERSION } from '../version.js';
import { registerApiKeys } from './commands/api-keys.js';
import { registerAuth } from './commands/auth.js';
import { registerContract } from './commands/contract.js';
import type { Context } from './context.js';
import { EXIT, type ExitCode } from '../tools/exit-codes.js';
import { Cancelled, Interrupted, Reported } from '../tools/failures.js';
import { conventions, examples, helpHint } from './help.js';
import type { Io } from './io.js';
import type { Output } from './output.js';

const MORE_HELP = `
Environment:
  COVETON_API_KEY   the API key, when --api-key is not given (preferred: flags land in shell history)
  COVETON_BASE_URL  the API base URL (default https://api.coveton.com/v1; sandbox: https://sandbox.api.coveton.com/v1)
  COVETON_LOG=debug the same as --verbose
  NO_COLOR, FORCE_COLOR  turn colour off or on (colour is used on a terminal only)

Output: a table on a terminal; tab-separated lines without a header in a pipe; JSON with --json.

Exit codes:
  0  success (a closed pipe too)     1  the API answered with an error, or outside its contract
  2  usage error                     3  network error
  4  contract violations found       5  unexpected failure
  6  cancelled (declined, Ctrl-D)    130  interrupted (Ctrl-C)`;

const TOP_EXAMPLES = [
  'export COVETON_API_KEY=ak_test_...',
  'coveton auth test --base-url https://sandbox.api.coveton.com/v1',
  'coveton api-keys list --status active',
  'coveton api-keys get key_01HZX3K8W2Q9 --json',
  'coveton api-keys create --name "CI Pipeline" --type service --environment sandbox',
  'coveton mock --port 4010 --errors',
  "coveton api-keys list --json | jq -r '.[].id'",
];

export function versionText(): string {
  return `coveton ${VERSION} (@coveton/sdk ${VERSION}, Node ${process.versions.node})`;
}

/** What one run carries from the preAction hook to the exit code. */
interface RunState {
  ctx?: Context;
  command?: Command<[], {}, {}> | undefined;
}

/**
 * Commands whose modules are heavy to import (they start servers): loaded only when the command
 * line names them. Otherwise a stand-in with the name and summary lists each in the top-level
 * help, so that every other command starts without them. Keep a summary in step with its
 * command's own description.
 */
const ON_DEMAND: Record<string, { summary: string; examples?: string[]; load: () => Promise<unknown> }> = {
  mock: {
    summary: 'run a local, stateful Coveton API that checks every request and answer against the spec',
    load: async () => (await import('./commands/mock.js')).mockCommand(),
  },
  webhooks: {
    summary: 'send and receive signed test webhooks',
    // The group's own examples (its subcommands carry theirs).
    examples: [
      'coveton webhooks listen --port 4242 --secret whsec_test',
      'coveton webhooks trigger message.created --to http://127.0.0.1:4242 --secret whsec_test',
    ],
    load: async () => (await import('./commands/webhooks.js')).webhooksCommand(),
  },
};

/** Loads the on-demand command the command line names, if any. */
async function loadNamed(argv: readonly string[]): Promise<Map<string, Command>> {
  const words = argv[0] === 'help' ? argv.slice(1) : argv;
  const name = words.find((word) => !word.startsWith('-'));
  const loaded = new Map<string, Command>();
  const entry = name === undefined ? undefined : ON_DEMAND[name];
  if (name !== undefined && entry) {
    const command = (await entry.load()) as Command;
    if (entry.examples) examples(command, entry.examples);
    loaded.set(name, command);
  }
  return loaded;
}

function onDemand(program: Command<[], {}, {}>, name: string, loaded: ReadonlyMap<string, Command>): void {
  program.addCommand(loaded.get(name) ?? new Command(name).description(ON_DEMAND[name]!.summary));
}

export function buildProgram(io: Io, secrets: readonly string[] = [], state: RunState = {}, loaded: ReadonlyMap<string, Command> = new Map(), json = false) {
  const program = new Command('coveton')
    .description('The Coveton command line: API keys, credential checks, a local API mock, and the API contract check.')
    .version(versionText(), '-V, --version', 'print the versions of coveton, the SDK and Node')
    .addOption(new Option('--json', 'print machine-readable JSON on stdout (errors as JSON on stderr)'))
    .addHelpText('after', MORE_HELP);
  examples(program, TOP_EXAMPLES);

  // One registration per command group, each in its own file.
  registerApiKeys(program);
  registerAuth(program);
  onDemand(program, 'mock', loaded);
  registerContract(program);
  onDemand(program, 'webhooks', loaded);

  // The context (credentials, base URL, client) is built once, for the command about to run.
  program.hook('preAction', async (root, command) => {
    state.command = command as unknown as RunState['command'];
    const { buildContext } = await import('./context-build.js');
    state.ctx = buildContext(root, command, io);
  });
  conventions(program, io, secrets, json);
  return program;
}

/** The key from argv or the environment, known before parsing so that no message can echo it. */
function secretsIn(argv: readonly string[], env: Io['env']): string[] {
  const secrets: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--api-key' && argv[i + 1] !== undefined) secrets.push(argv[i + 1]!);
    else if (arg.startsWith('--api-key=')) secrets.push(arg.slice('--api-key='.length));
  });
  if (env.COVETON_API_KEY) secrets.push(env.COVETON_API_KEY);
  return secrets.filter((s) => s.length >= 4);
}

/** The command group named alone (`coveton`, `coveton api-keys`), whose help is the answer. */
function groupNamedAlone(program: Command<[], {}, {}>, argv: readonly string[]): Pick<Command, 'outputHelp'> | undefined {
  let at: Command<[], {}, {}> | undefined = program;
  for (const word of argv) {
    at = at.commands.find((c) => c.name() === word) as Command<[], {}, {}> | undefined;
    if (!at) return undefined;
  }
  return at.commands.length > 0 ? at : undefined;
}

/** Runs `coveton` with `argv` (the words after `coveton`) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const secrets = secretsIn(argv, io.env);
  const state: RunState = {};
  const json = argv.includes('--json');
  const program = buildProgram(io, secrets, state, await loadNamed(argv), json);
  try {
    // A group named alone shows its help on stdout (exit 0), and `help a b` is `a b --help`.
    const group = groupNamedAlone(program, argv);
    if (group) {
      group.outputHelp();
      return EXIT.OK;
    }
    const words = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
    await program.parseAsync([...words], { from: 'user' });
    state.ctx?.finish();
    return EXIT.OK;
  } catch (error) {
    state.ctx?.finish();
    // Commander has printed the help, the version, or (without --json) its own usage error.
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT.OK;
    const out = state.ctx?.out ?? new (await import('./output.js')).Output(io, json, secrets);
    if (error instanceof CommanderError) {
      if (json) out.errorData({ error: { type: 'usage_error', message: error.message.replace(/^error: /, ''), exitCode: EXIT.USAGE } });
      return EXIT.USAGE;
    }
    return await report(error, out, state, json);
  }
}

async function report(error: unknown, out: Output, state: RunState, json: boolean): Promise<ExitCode> {
  if (error instanceof Interrupted) return EXIT.INTERRUPTED;
  if (error instanceof Reported) return error.exitCode;
  if (error instanceof Cancelled) {
    out.info('Cancelled.');
    return EXIT.CANCELLED;
  }
  const { describeError } = await import('./describe.js');
  const described = describeError(error, state.ctx?.baseUrl);
  if (json) out.errorData({ error: { ...described.json, exitCode: described.exitCode } });
  else {
    out.error(described.message);
    if (described.exitCode === EXIT.USAGE && state.command) out.info(helpHint(state.command));
  }
  return described.exitCode;
}
