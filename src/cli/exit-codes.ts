// The exit codes of `coveton`, one meaning each, so scripts and CI can tell failures apart.
// Documented in the README's CLI section; keep the two in step.
export const EXIT = {
  /** Success. `contract`: no violation found. */
  OK: 0,
  /** The API answered with an error (4xx/5xx), e.g. a revoked key, a 404, a 409. */
  API_ERROR: 1,
  /** The command line is wrong: unknown option, bad value, missing argument, refused confirmation, Prism not installed, port in use. */
  USAGE: 2,
  /** No HTTP answer: connection refused, DNS failure, TLS failure, timeout. */
  NETWORK: 3,
  /** `contract` found responses that break the spec. */
  VIOLATIONS: 4,
  /** Something unexpected: a bug in the CLI, or Prism crashed. */
  INTERNAL: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
