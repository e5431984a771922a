// What a command needs, built once per run in the program's preAction hook (context-build.ts):
// the Output, the credentials and base URL from the options or the environment, and an SDK
// client made on first use. The CLI never sends HTTP itself; it is one of the SDK's users.
// This module is loaded at start (every command imports contextFrom), so it imports types only;
// context-build.ts makes the context, with the SDK, when a command is about to run.
import type { Io } from './io.js';
import type { Output } from './output.js';
import type { Coveton } from '../public/client.js';
import type { CovetonOptions } from '../public/options.js';

/** The options a command may carry (the API commands carry the last three). */
export interface GlobalOptions {
  json?: boolean;
  baseUrl?: string;
  apiKey?: string;
  verbose?: boolean;
}

export interface Context {
  out: Output;
  io: Io;
  json: boolean;
  /** Where requests go (shown in messages through safeUrl only). */
  baseUrl: string;
  apiKey: string | undefined;
  /** Where the key came from, for messages that must not show the key itself. */
  keySource: 'flag' | 'env' | undefined;
  /** The client for this run, made on first call; `overrides` make a separate one (contract probes). */
  client(overrides?: CovetonOptions): Coveton;
  /** Prints what --verbose still holds (the last attempt); called when the command ends. */
  finish(): void;
}

/** The smallest part of a commander Command the context needs (any flavour of commander). */
export interface OptionSource {
  optsWithGlobals(): object;
  getOptionValueSourceWithGlobals(key: string): string | undefined;
}

const contexts = new WeakMap<object, Context>();

/** Files the context of this run under the program (its root command). */
export function registerContext(root: object, ctx: Context): void {
  contexts.set(root, ctx);
}

/** The context the program built for the command that is running (for each command's action). */
export function contextFrom(command: object): Context {
  let at = command as { parent?: object | null };
  while (at.parent) at = at.parent as { parent?: object | null };
  const ctx = contexts.get(at);
  if (!ctx) throw new Error('coveton: no context: commands run through the program (program.ts)');
  return ctx;
}

