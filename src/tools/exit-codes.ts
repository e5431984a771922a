// The exit codes of `coveton`, one meaning each, so scripts and CI can tell failures apart.
// Documented in docs/guides/cli.md and the top-level help; keep the three in step.
export const EXIT = {
  /** Success. `contract`: no violation found. A closed pipe (`coveton ... | head -1`) is success too. */
  OK: 0,
  /** The API answered with an error (4xx/5xx), e.g. a revoked key, a 404, a 409; or outside its contract (not JSON, a redirect, fields missing). */
  API_ERROR: 1,
  /** The command line is wrong: unknown option, bad value, missing argument, Prism not installed, port in use. */
  USAGE: 2,
  /** No HTTP answer: connection refused, DNS failure, TLS failure, timeout. */
  NETWORK: 3,
  /** `contract` found responses that break the spec. */
  VIOLATIONS: 4,
  /** Something unexpected: a bug in the CLI, or Prism crashed. */
  INTERNAL: 5,
  /** You said no: a declined confirmation, or input closed (Ctrl-D) at a question. Nothing was changed. */
  CANCELLED: 6,
  /** Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + 2. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
