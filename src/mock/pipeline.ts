// One API request through the mock, in the order a real API works: the caller (x-access
// `caller`: none, a provider signature, or a credential), the contract check of the request
// (Prism's validators), then under the Idempotency-Key: x-access, x-invariants, the state
// engine, x-audit; and the contract check of the answer. A request that breaks the contract gets
// the error envelope naming the violation; an answer that would break it becomes a 500 naming it
// and is recorded, so a test can assert that none happened. Rate limits are the server's: every
// answer carries them, even one that never reaches an operation.
import { authorize } from './access.js';
import { writeAudit } from './audit.js';
import { describeViolation, type Contract, type Violation } from './contract.js';
import { authenticate, rawCredential } from './credentials.js';
import type { Call, Handler, MockEnv, Principal } from './engine.js';
import { sweepExpired } from './expiry.js';
import type { IdempotencyStore } from './idempotency.js';
import { checkInvariants } from './invariants.js';
import { errorReply, MockHttpError, type Reply } from './reply.js';
import type { OperationRules } from './rules.js';
import type { Operation } from '../tools/spec-model.js';
import type { ViolationLog } from './violation-log.js';
import { detached } from './watched.js';
import { processorSignatureProblem, providerOfHeader } from '../tools/processors.js';

export interface IncomingCall {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  rawBody: Buffer;
  ip: string;
  requestId: string;
}

export interface Pipeline {
  env: MockEnv;
  contract: Contract;
  idempotency: IdempotencyStore;
  handlerFor(op: Operation): Handler;
  rulesFor(op: Operation): OperationRules;
  /** Answers that broke the contract (each also became a 500), bounded (violation-log.ts). */
  violations: ViolationLog;
}

function requestError(op: Operation, found: Violation[]): MockHttpError {
  const where = new Set(found.map((v) => v.path[0]));
  const pick = (...codes: number[]) => codes.find((c) => op.statuses.has(c)) ?? 400;
  const status = where.has('path') ? pick(404, 400) : where.size === 1 && where.has('body') ? pick(422, 400) : pick(400, 422);
  const details = found.map((v) => ({ path: (v.path[0] === 'body' ? v.path.slice(1) : v.path).join('.') || v.path.join('.') || 'body', message: describeViolation(v) }));
  const message = `The request breaks the Coveton API contract: ${found.map(describeViolation).join('; ')}`;
  return new MockHttpError(status, message, { details });
}

// JSON text "MUST be encoded using UTF-8" (RFC 8259, section 8.1): bytes that are not UTF-8 are
// refused, never rewritten to U+FFFD and stored (review of the mock, finding 11). A BOM is kept,
// so JSON.parse refuses it as before.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseJson(call: IncomingCall): unknown {
  if (call.rawBody.length === 0) return undefined;
  const type = call.headers['content-type'] ?? '';
  if (!/json/i.test(type)) return call.rawBody.toString('utf8');
  let text: string;
  try {
    text = utf8.decode(call.rawBody);
  } catch {
    throw new MockHttpError(400, 'The request body is not valid JSON: JSON text must be UTF-8 (RFC 8259, section 8.1).');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MockHttpError(400, `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A payment webhook: the provider's signature header must be there (401) and verify (400). */
async function checkSignature(op: Operation, incoming: IncomingCall, env: MockEnv): Promise<void> {
  const name = op.signatureHeaders.find((h) => incoming.headers[h] !== undefined);
  if (!name) throw new MockHttpError(401, `Missing the provider signature header (${op.signatureHeaders.join(' or ')}).`, { reason: 'credentials_missing' });
  const problem = await processorSignatureProblem(providerOfHeader(name)!, incoming.rawBody, incoming.headers[name]!, env.processorSecret);
  if (problem) throw new MockHttpError(400, problem, { reason: 'signature_invalid' });
}

async function identify(rules: OperationRules, op: Operation, incoming: IncomingCall, env: MockEnv): Promise<Principal | undefined> {
  if (rules.access.caller === 'public') return undefined;
  if (rules.access.caller === 'signature') return void (await checkSignature(op, incoming, env));
  return authenticate(incoming, env);
}

async function answer(p: Pipeline, op: Operation, params: Record<string, string>, incoming: IncomingCall): Promise<Reply> {
  const rules = p.rulesFor(op);
  sweepExpired(p.env);
  const principal = await identify(rules, op, incoming, p.env);
  const body = parseJson(incoming);
  const found = p.contract.validateRequest(op.method, op.path, { method: op.method, path: incoming.path, query: incoming.query, headers: incoming.headers, body });
  if (found.length > 0) throw requestError(op, found);
  const call: Call = { op, params, query: incoming.query, headers: incoming.headers, body, principal, requestId: incoming.requestId, ip: incoming.ip, rules, ctx: { effect: {} } };
  const run = async () => {
    try {
      call.ctx = authorize(call, p.env, rules.access);
      checkInvariants(rules.invariants, call, p.env, call.ctx);
      // A copy, not a view: the handler may change the target in place (the store measures what
      // it changes, state.ts), and the audit reads the target as it was. Only an operation with
      // audit rules reads it: the others (every GET) copy nothing.
      const before = rules.audit.length > 0 && call.ctx.target ? detached(call.ctx.target) : undefined;
      const answered = await p.handlerFor(op)(call, p.env);
      // The answer leaves the store here, as data: a handler's body shares objects with the
      // records it read (a chat's participants), and a later change to them (a device joining)
      // must not reach what is replayed under this Idempotency-Key, nor grow it past the bytes
      // counted when it was stored (idempotency.ts). Checked and sent without going through
      // the store's views (watched.ts) either.
      const reply = { ...answered, body: detached(answered.body) };
      if (reply.status >= 200 && reply.status < 300) writeAudit(rules.audit, call, p.env, call.ctx, before, reply.body);
      return reply;
    } catch (error) {
      if (error instanceof MockHttpError) return errorReply(error.status, error.message, incoming.requestId, error.extra);
      throw error;
    }
  };
  const key = incoming.headers['idempotency-key'];
  if (!op.idempotent || key === undefined) return run();
  // Keys belong to who is calling, not to one access token: a retry after a refresh still replays.
  const scope = principal?.kind === 'user' ? `user:${principal.userId}` : principal?.kind === 'key' ? `key:${principal.keyId ?? rawCredential(incoming.headers)}` : `ip:${incoming.ip}`;
  const outcome = await p.idempotency.run(scope, key, [op.method, incoming.path, body], run);
  if ('mismatch' in outcome) {
    throw new MockHttpError(422, `The Idempotency-Key ${key} was already used with a different request; use a new key for a new request.`, {
      details: [{ path: 'Idempotency-Key', message: 'was first used with a different request body' }],
    });
  }
  if (!outcome.replayed) return outcome.reply;
  return { ...outcome.reply, headers: { ...outcome.reply.headers, 'idempotent-replayed': 'true' } };
}

/** The checked answer to one API request; `rateHeaders` are the figures the server counted. */
export async function runPipeline(p: Pipeline, op: Operation, params: Record<string, string>, incoming: IncomingCall, rateHeaders: Record<string, string>): Promise<Reply> {
  let reply: Reply;
  try {
    reply = await answer(p, op, params, incoming);
  } catch (error) {
    if (!(error instanceof MockHttpError)) throw error;
    reply = errorReply(error.status, error.message, incoming.requestId, error.extra);
  }
  const headers: Record<string, string> = { ...reply.headers, ...rateHeaders };
  if (reply.body !== undefined) headers['content-type'] = 'application/json';
  const checked = { ...reply, headers };
  const broken = p.contract.validateResponse(op.method, op.path, { statusCode: reply.status, headers, body: reply.body });
  if (broken.length === 0) return checked;
  const described = broken.map((v) => describeViolation({ ...v, path: ['response', ...v.path] }));
  p.violations.record({ operation: `${op.method.toUpperCase()} ${op.path}`, status: reply.status, violations: described });
  return {
    ...errorReply(500, `Coveton mock bug: its ${reply.status} answer to ${op.method.toUpperCase()} ${op.path} would break the contract: ${described.join('; ')}`, incoming.requestId),
    headers: { ...rateHeaders, 'content-type': 'application/json' },
  };
}
