// The shapes every part of the state engine shares: the environment a handler runs in (state,
// clock, tokens, storage, events) and the call it answers.
import type { FillContext } from './fill.js';
import type { Reply } from './reply.js';
import type { OperationRules } from './rules.js';
import type { Operation, SpecModel } from '../tools/spec-model.js';
import type { Row, Store } from './state.js';
import type { FileStorage } from './storage.js';
import type { Tokens } from './tokens.js';

/** Who is calling: a signed-in user (access token) or an API key. */
export type Principal =
  | { kind: 'user'; userId: string; organizationId: string | undefined; sessionId: string }
  | {
      kind: 'key';
      /** Undefined for an `ak_test_` key the mock never issued or seeded: accepted with full access. */
      keyId: string | undefined;
      userId: string;
      organizationId: string | undefined;
      environment: string;
      permissions: string[];
    };

export interface MockEnv {
  spec: SpecModel;
  store: Store;
  tokens: Tokens;
  storage: FileStorage;
  /** Milliseconds since the epoch; tests may move it. */
  now(): number;
  /** The mock's own origin, for presigned storage URLs. */
  origin(): string;
  /** Queues an outbound webhook event (signed and delivered when `--webhook-url` is set). */
  emit(type: string, organizationId: string | null, data: unknown): void;
  /** Records an email the API would send (invite and password-reset tokens): `GET /__mock/outbox`. */
  mail(to: string, subject: string, token: string): void;
  /** The secret the payment processors' webhook signatures are verified with. */
  processorSecret: string;
  /** The secrets of the seed's API keys: once such a key is deleted, its secret is refused (credentials.ts). */
  seededKeySecrets: ReadonlySet<string>;
}

/** What `x-access` found for a call: the target record, the organization acted in, and what a handler reports for `x-audit` (`effect`). */
export interface AccessContext {
  target?: Row | undefined;
  organizationId?: string | undefined;
  effect: Record<string, unknown>;
}

export interface Call {
  op: Operation;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: any;
  principal: Principal | undefined;
  requestId: string;
  ip: string;
  /** The operation's rules from the spec (x-access, x-invariants, x-audit). */
  rules: OperationRules;
  ctx: AccessContext;
}

export type Handler = (call: Call, env: MockEnv) => Reply | Promise<Reply>;

export function fillContext(env: MockEnv, principal: Principal | undefined): FillContext {
  const known: Record<string, string> = {};
  if (principal) {
    known.usr_ = principal.userId;
    if (principal.organizationId) known.org_ = principal.organizationId;
    const user = env.store.get('users', principal.userId);
    if (user?.email) known.email = user.email;
  }
  return { now: new Date(env.now()).toISOString(), known, resolve: env.spec.resolve };
}

export const isoNow = (env: MockEnv) => new Date(env.now()).toISOString();
