// What the contract tests share: upstreams that answer GETs with the spec's own examples
// (conforming) or with planted violations (broken), each on its own in-process server.
import type { ServerResponse } from 'node:http';
import { json, startFaultServer, type FaultServer, type Recorded } from '../support/fault-server.js';
import { deref, firstExample, specOperations, type Json } from '../support/spec.js';

export const GETS = specOperations()
  .filter((o) => o.method === 'GET')
  .map((o) => ({ ...o, pattern: new RegExp(`^/v1${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
  .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));

/** The spec's own answer to a GET: its success status and first example. */
export function exampleAnswer(path: string): { operationId: string; status: number; body: Json } | undefined {
  const op = GETS.find((o) => o.pattern.test(path));
  if (!op) return undefined;
  const response = deref(op.op.responses[op.successStatus], '').node;
  return { operationId: op.operationId, status: Number(op.successStatus), body: firstExample(response?.content?.['application/json']) };
}

export function conforming(req: Recorded, res: ServerResponse) {
  const answer = exampleAnswer(req.path.split('?')[0]!);
  if (!answer) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'No such path.' } });
  json(res, answer.status, answer.body);
}

/** The planted violations, by operation: what the report must name. */
export const PLANTED = {
  getApiKey: 'missing required field keyPrefix',
  listApiKeys: 'createdAt is not a date-time',
  testAuth: 'msg is a number',
  listPermissions: 'undocumented status 418',
  getSubscription: 'body is not JSON',
};

export function broken(req: Recorded, res: ServerResponse) {
  const answer = exampleAnswer(req.path.split('?')[0]!);
  switch (answer?.operationId) {
    case 'getApiKey': {
      const { keyPrefix: _dropped, ...rest } = answer.body;
      return json(res, 200, rest);
    }
    case 'listApiKeys':
      return json(res, 200, answer.body.map((k: Json, i: number) => (i === 0 ? { ...k, createdAt: 'yesterday' } : k)));
    case 'testAuth':
      return json(res, 200, { msg: 123 });
    case 'listPermissions':
      return json(res, 418, { teapot: true });
    case 'getSubscription':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"plan": ');
    default:
      return conforming(req, res);
  }
}

/**
 * Two at a time: every test that goes through here starts a Prism proxy, whose start is mostly
 * CPU; two keep two cores busy, five at once on a loaded machine outlast Prism's start-up bound.
 */
const SLOTS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Runs `test` with its own upstream, closed afterwards, in one of the two slots. */
export async function withUpstream(handler: typeof conforming, test: (upstream: FaultServer) => Promise<void>) {
  const release = await slot();
  const upstream = await startFaultServer(handler);
  try {
    await test(upstream);
  } finally {
    await upstream.close();
    release();
  }
}

export interface Report {
  ok: boolean;
  summary: { checked: number; conforming: number; withViolations: number; violations: number; unreachable: number; skipped: number };
  violations: { operationId: string; status: number | null; location: string; message: string }[];
  skipped: { operationId: string }[];
}

