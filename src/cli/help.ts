// The same conventions on every command: one wording for the help option, required options
// marked "(required)", every missing argument and option reported in one message, a pointer to
// `--help` after every usage error, examples at the end of each help, and every message passed
// through the SDK's redaction (a mistyped flag may carry the key).
import { Help, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';
import { redact } from '../util/redact.js';
import type { Io } from './io.js';
import { painter } from './style.js';

export const HELP_FLAGS = '-h, --help';
export const HELP_WORDS = 'show help';

/** `coveton api-keys list`: the words that run `command`. */
interface Named {
  name(): string;
  readonly parent: Named | null;
}

export function commandPath(command: Named): string {
  const names: string[] = [];
  for (let at: Named | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

export function helpHint(command: Named): string {
  return `Run '${commandPath(command)} --help' for usage.`;
}

/** Appends an "Examples:" section. */
export function examples(command: { addHelpText(position: 'after', text: string): unknown }, lines: readonly string[]): void {
  command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

type Internals = CommandUnknownOpts & {
  args: string[];
  missingArgument(name: string): void;
  missingMandatoryOptionValue(option: Option): void;
};

/**
 * Commander stops at the first missing argument or option. Both of its hooks lead here instead,
 * and the one message names everything that is missing.
 */
function reportEverythingMissing(this: Internals): void {
  const args = this.registeredArguments
    .filter((arg, i) => arg.required && this.args[i] == null)
    .map((arg) => `<${arg.name()}>`);
  const options = this.options
    .filter((option) => option.mandatory && this.getOptionValue(option.attributeName()) === undefined)
    .map((option) => `'${option.flags}'`);
  const words = [
    args.length > 0 ? `argument${args.length > 1 ? 's' : ''} ${args.join(', ')}` : '',
    options.length > 0 ? `option${options.length > 1 ? 's' : ''} ${options.join(', ')}` : '',
  ].filter(Boolean);
  this.error(`error: missing required ${words.join(' and ')}`, { code: 'commander.missingMandatoryOptionValue' });
}

/**
 * Applies the conventions to `command` and every command under it. With `json`, commander prints
 * no usage error of its own: program.ts gives it as the JSON error document instead.
 */
export function conventions(command: CommandUnknownOpts, io: Io, secrets: readonly string[], json = false): void {
  const paint = painter(io.stderr, io.env);
  const internals = command as Internals;
  internals.missingArgument = reportEverythingMissing;
  internals.missingMandatoryOptionValue = reportEverythingMissing;
  command
    .exitOverride()
    .helpOption(HELP_FLAGS, HELP_WORDS)
    .showSuggestionAfterError(true)
    .showHelpAfterError(json ? false : helpHint(command))
    .configureHelp({
      showGlobalOptions: true,
      sortSubcommands: false,
      optionDescription(option) {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `${text} (required)` : text;
      },
      // --version acts at the top only.
      visibleGlobalOptions(cmd) {
        return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((option) => option.long !== '--version');
      },
    })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(redact(text, secrets)),
      outputError: (text, write) => (json ? undefined : write(text.replace(/^error:/, paint('red', 'error:')))),
    });
  if (command.commands.length > 0) command.helpCommand('help [command]', 'show help for a command');
  for (const sub of command.commands) conventions(sub, io, secrets, json);
}
