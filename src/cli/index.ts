// The `coveton` command (built into dist/cli.js with a shebang; package.json `bin`). Wires the
// commands into one commander program and turns every outcome into an exit code (exit-codes.ts).
import { Command, CommanderError } from 'commander';
import { VERSION } from '../index.js';
import { apiKeysCommand } from './commands/api-keys.js';
import { authCommand } from './commands/auth.js';
import { contractCommand } from './commands/contract.js';
import { mockCommand } from './commands/mock.js';
import { webhooksCommand } from './commands/webhooks.js';
import { addGlobalOptions, type GlobalOptions } from './context.js';
import { describeError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { Output } from './output.js';

const HELP = `
Environment:
  COVETON_API_KEY   the API key (used when --api-key is not given; preferred: flags land in shell history)
  COVETON_BASE_URL  the API base URL (default https://api.coveton.com/v1; sandbox: https://sandbox.api.coveton.com/v1)

Exit codes:
  0  success            1  the API answered with an error    2  usage error
  3  network error      4  contract violations found         5  unexpected failure

Examples:
  $ export COVETON_API_KEY=ak_test_...
  $ coveton auth test --base-url https://sandbox.api.coveton.com/v1
  $ coveton api-keys list --status active
  $ coveton api-keys create --name "CI Pipeline" --type service --environment sandbox
  $ coveton api-keys update key_01HZX3K8W2Q9 --status revoked --reason "Key compromised"
  $ coveton api-keys delete key_01HZX3K8W2Q9 --yes
  $ coveton mock --port 4010 --errors
  $ coveton contract --target https://sandbox.partner.example/v1
  $ coveton api-keys list --json | jq -r '.[].id'`;

/** Secret-shaped strings (API keys) that may sit in a mistyped argument commander echoes back. */
const KEY_SHAPE = /\bak_(?:live|test)_[A-Za-z0-9]+/g;

function each(command: Command, apply: (c: Command) => void): void {
  apply(command);
  for (const sub of command.commands) each(sub, apply);
}

export function buildProgram(out: Output): Command {
  const program = new Command('coveton')
    .description('The Coveton command line: API keys, credential checks, a local API mock, and the API contract check.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addHelpText('after', HELP);
  addGlobalOptions(program);
  program.addCommand(apiKeysCommand()).addCommand(authCommand()).addCommand(mockCommand()).addCommand(contractCommand());
  program.addCommand(webhooksCommand());
  each(program, (c) =>
    c
      .exitOverride()
      .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
      .configureOutput({
        writeOut: (text) => process.stdout.write(text),
        writeErr: (text) => process.stderr.write(out.scrub(text).replace(KEY_SHAPE, '[REDACTED]')),
      })
      .showSuggestionAfterError(true),
  );
  return program;
}

/** The key from argv or the environment, known before parsing so that no message can echo it. */
function secretsIn(argv: readonly string[]): string[] {
  const secrets: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--api-key' && argv[i + 1] !== undefined) secrets.push(argv[i + 1]!);
    else if (arg.startsWith('--api-key=')) secrets.push(arg.slice('--api-key='.length));
  });
  if (process.env.COVETON_API_KEY) secrets.push(process.env.COVETON_API_KEY);
  return secrets;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const out = new Output(argv.includes('--json'), secretsIn(argv));
  const program = buildProgram(out);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const options = program.opts<GlobalOptions>();
    const described = describeError(error, options.baseUrl || process.env.COVETON_BASE_URL || undefined);
    if (options.json) out.errorData({ error: { ...described.json, exitCode: described.exitCode } });
    else out.error(described.message);
    return described.exitCode;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`coveton: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.INTERNAL;
  },
);
