// The logger a user may plug in.

/** Log levels, from the most to the least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Anything with these four methods: `console`, pino, winston, ... */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}
