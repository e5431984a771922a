// One probe through Prism's validating proxy, via the SDK's raw client, and what its answer
// says. Prism (5.12, proxy mode) passes the target's answer through, status and body intact,
// and lists what breaks the spec in the `sl-violations` header; when it cannot get an answer
// it replies itself with an application/problem+json body (type FetchError, or one of its
// https://stoplight.io/prism/errors# types, e.g. VIOLATIONS when run with --errors).
import { APIConnectionError, RedirectError } from '../../index.js';
import { parseViolations, type Violation } from '../violations.js';
import { paced } from './pacing.js';
import { concretePath, type Probe } from './probes.js';
import type { Coveton } from '../../public/client.js';

export interface ProbeResult {
  probe: Probe;
  /** The path called, parameters filled in. */
  path: string;
  /** The target's status, when it answered. */
  status: number | undefined;
  /** What in the answer breaks the spec. */
  violations: Violation[];
  /** What in our own request broke the spec (a spec example bug, not the target's fault). */
  probeProblems: Violation[];
  /** Why the target could not be asked, when it could not. */
  unreachable: string | undefined;
}

type RawGet = (
  path: string,
  init: { params: { path: Record<string, string>; query: Record<string, unknown> }; parseAs: 'text' },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

interface Problem {
  type?: string;
  title?: string;
  validation?: Violation[];
}

function problemOf(response: Response, body: unknown): Problem | undefined {
  if (!response.headers.get('content-type')?.includes('application/problem+json')) return undefined;
  const parsed = typeof body === 'string' ? safeParse(body) : body;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const PRISM = 'https://stoplight.io/prism/errors#';

export async function runProbe(client: Coveton, probe: Probe): Promise<ProbeResult> {
  const path = concretePath(probe);
  const result: ProbeResult = { probe, path, status: undefined, violations: [], probeProblems: [], unreachable: undefined };
  let response: Response;
  let body: unknown;
  try {
    const answer = await paced(() =>
      (client.GET as unknown as RawGet)(probe.template, { params: { path: probe.pathParams, query: probe.query }, parseAs: 'text' }),
    );
    response = answer.response;
    // What the target (or Prism) sent, as sent: the raw client's `error` is the SDK's redacted
    // envelope of it, which keeps neither Prism's problem type nor its title.
    body = answer.data ?? (await response.text());
  } catch (error) {
    if (error instanceof RedirectError) {
      // The relay (tools/relay.ts) hands a target's 3xx back unfollowed: it is the target's
      // answer, and the SDK refuses it before Prism's grading can be read. The spec declares no
      // redirect for any operation the contract calls.
      result.status = error.status;
      result.violations.push({ location: ['response'], severity: 'Error', message: `status ${error.status} is a redirect, not documented for this operation (not followed)` });
      return result;
    }
    if (!(error instanceof APIConnectionError)) throw error;
    result.unreachable = `no answer through the proxy: ${error.message}`;
    return result;
  }
  const header = parseViolations(response.headers.get('sl-violations'));
  const problem = problemOf(response, body);
  if (problem?.type === 'FetchError') {
    const title = problem.title ?? '';
    if (/invalid json response body/i.test(title)) {
      result.status = undefined;
      result.violations.push({ location: ['response', 'body'], severity: 'Error', message: 'the response body is not valid JSON' });
    } else {
      result.unreachable = /reason: (.*)$/.exec(title)?.[1] ?? (title || 'the target did not answer');
    }
    return result;
  }
  const fromBody = problem?.type === `${PRISM}VIOLATIONS` ? (problem.validation ?? []) : [];
  const seen = new Set<string>();
  for (const v of [...header, ...fromBody]) {
    const key = JSON.stringify([v.location, v.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    (v.location[0] === 'request' ? result.probeProblems : result.violations).push(v);
  }
  if (problem?.type?.startsWith(PRISM) && problem.type !== `${PRISM}VIOLATIONS`) {
    // Prism answered for the target (e.g. it rejected the probe's credentials): nothing was checked.
    result.probeProblems.push({ location: ['request'], severity: 'Error', message: `Prism answered instead of the target: ${problem.title ?? problem.type}` });
    return result;
  }
  // With --errors Prism hides the target's status behind its own 500; without, it is the target's.
  result.status = fromBody.length > 0 ? undefined : response.status;
  result.violations = result.violations.map((v) => readable(v, result.status));
  return result;
}

const UNDOCUMENTED = /^Unable to match the returned status code with those defined in the document: (.*)$/;

/** Prism's wording, made to name the status when it is about one. */
function readable(v: Violation, status: number | undefined): Violation {
  const documented = UNDOCUMENTED.exec(v.message)?.[1];
  if (documented === undefined) return v;
  return { ...v, message: `status ${status ?? '?'} is not documented for this operation (the spec lists ${documented.split(',').join(', ')})` };
}
