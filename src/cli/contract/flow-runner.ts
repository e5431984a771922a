// One step of a `coveton contract --write` flow: a call through Prism's validating proxy via the
// SDK's raw client, with what Prism says about it and whether the status (and reason) is the one
// the flow expects. Shared by the write flows and the rule checks.
import { APIConnectionError } from '../../index.js';
import { parseViolations, type Violation } from '../violations.js';
import type { ProbeResult } from './check.js';
import { paced } from './pacing.js';
import type { Probe } from './probes.js';
import type { Coveton } from '../../public/client.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type RawCall = (
  path: string,
  init: { params: { path: Record<string, string>; query?: Record<string, unknown> }; body?: unknown; parseAs: 'text' },
) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

export interface Step {
  operationId: string;
  method: Method;
  template: string;
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  /** The status this step must get, when it is not simply a 2xx. */
  expect?: number;
  /** The error `reason` this step must get (with `expect`). */
  reason?: string;
}

export interface FlowRunner {
  /** Runs a step; resolves to its parsed JSON body (undefined when it failed). */
  step(s: Step): Promise<any>;
  results: ProbeResult[];
  /** The steps that succeeded (2xx), with their answers: what the audit log should show. */
  done: { step: Step; answer: unknown }[];
}

export function runner(client: Coveton, results: ProbeResult[] = [], done: FlowRunner['done'] = []): FlowRunner {
  const call = (method: Method) => (client as unknown as Record<Method, RawCall>)[method].bind(client);
  return {
    results,
    done,
    async step(s) {
      const path = s.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(s.path?.[name] ?? ''));
      // The report reads `method` as text; write steps reuse the probe shape.
      const probe = { operationId: s.operationId, method: s.method, template: s.template, pathParams: s.path ?? {}, query: {}, public: false } as unknown as Probe;
      const result: ProbeResult = { probe, path, status: undefined, violations: [], probeProblems: [], unreachable: undefined };
      results.push(result);
      let answer: Awaited<ReturnType<RawCall>>;
      try {
        const init = { params: { path: s.path ?? {}, ...(s.query ? { query: s.query } : {}) }, ...(s.body !== undefined ? { body: s.body } : {}), parseAs: 'text' as const };
        answer = await paced(() => call(s.method)(s.template, init));
      } catch (error) {
        if (!(error instanceof APIConnectionError)) throw error;
        result.unreachable = `no answer through the proxy: ${error.message}`;
        return undefined;
      }
      result.status = answer.response.status;
      for (const v of parseViolations(answer.response.headers.get('sl-violations'))) {
        (v.location[0] === 'request' ? result.probeProblems : result.violations).push(v);
      }
      const wanted = s.expect ?? (s.method === 'DELETE' ? 204 : s.method === 'POST' ? 201 : 200);
      const ok = s.expect !== undefined ? result.status === wanted : result.status >= 200 && result.status < 300;
      if (!ok) result.violations.push(flowProblem(`the write flow expected ${wanted} here, got ${result.status}`));
      // The body as sent (the raw client's `error` is the SDK's envelope of it, not the body).
      const text = (answer.data ?? (await answer.response.text())) as string | undefined;
      if (ok && s.reason !== undefined) {
        const reason = (safeJson(text) as { error?: { reason?: string } } | undefined)?.error?.reason;
        if (reason !== s.reason) result.violations.push(flowProblem(`the write flow expected ${wanted} ${s.reason} here, got reason ${reason ?? '(none)'}`));
      }
      const parsed = ok ? safeJson(text) : undefined;
      if (result.status >= 200 && result.status < 300) done.push({ step: s, answer: parsed });
      return parsed;
    },
  };
}

function safeJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function flowProblem(message: string): Violation {
  return { location: ['response', 'flow'], severity: 'Error', message };
}

