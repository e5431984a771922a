// `coveton contract --write`: write flows on real ids instead of the spec's example ids (which a
// partner's sandbox answers with 404). For API keys, teams, departments, roles, devices, and
// chats with their messages: create, read back, update, find in the list, delete, then expect a
// 404, all through Prism's validating proxy so every answer is checked against the spec. What a
// flow created is deleted at the end, even when a step failed (chats have no delete operation:
// the test chat stays, named so it is recognisable).
import { APIConnectionError } from '../../index.js';
import { parseViolations, type Violation } from '../violations.js';
import type { ProbeResult } from './check.js';
import type { Probe } from './probes.js';
import type { Coveton } from '../../public/client.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type RawCall = (
  path: string,
  init: { params: { path: Record<string, string>; query?: Record<string, unknown> }; body?: unknown; parseAs: 'text' },
) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

interface Step {
  operationId: string;
  method: Method;
  template: string;
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  /** The status this step must get, when it is not simply a 2xx. */
  expect?: number;
}

const PUBLIC_KEY = 'Y292ZXRvbi1jb250cmFjdC1wdWJsaWMta2V5';

export interface FlowRunner {
  /** Runs a step; resolves to its parsed JSON body (undefined when it failed). */
  step(s: Step): Promise<any>;
  results: ProbeResult[];
}

function runner(client: Coveton): FlowRunner {
  const results: ProbeResult[] = [];
  const call = (method: Method) => (client as unknown as Record<Method, RawCall>)[method].bind(client);
  return {
    results,
    async step(s) {
      const path = s.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(s.path?.[name] ?? ''));
      // The report reads `method` as text; write steps reuse the probe shape.
      const probe = { operationId: s.operationId, method: s.method, template: s.template, pathParams: s.path ?? {}, query: {}, public: false } as unknown as Probe;
      const result: ProbeResult = { probe, path, status: undefined, violations: [], probeProblems: [], unreachable: undefined };
      results.push(result);
      let answer: Awaited<ReturnType<RawCall>>;
      try {
        answer = await call(s.method)(s.template, { params: { path: s.path ?? {}, ...(s.query ? { query: s.query } : {}) }, ...(s.body !== undefined ? { body: s.body } : {}), parseAs: 'text' });
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
      const text = (answer.data ?? answer.error) as string | undefined;
      if (!ok || !text) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    },
  };
}

function flowProblem(message: string): Violation {
  return { location: ['response', 'flow'], severity: 'Error', message };
}

/** Notes a flow problem (the created item missing from its list) on the last step. */
function expectListed(f: FlowRunner, list: unknown, id: string): void {
  const last = f.results[f.results.length - 1]!;
  if (Array.isArray(list) && !list.some((item: { id?: string }) => item?.id === id)) {
    last.violations.push(flowProblem(`the list does not contain ${id}, created a moment before`));
  }
}

async function crud(f: FlowRunner, tag: string, singular: string, create: unknown, update: unknown, listQuery?: Record<string, unknown>): Promise<void> {
  const op = (verb: string, plural = false) => `${verb}${singular}${plural ? 's' : ''}`;
  const created = await f.step({ operationId: op('create'), method: 'POST', template: `/${tag}`, body: create });
  if (!created?.id) return;
  const path = { id: created.id as string };
  try {
    await f.step({ operationId: op('get'), method: 'GET', template: `/${tag}/{id}`, path });
    await f.step({ operationId: op('update'), method: 'PATCH', template: `/${tag}/{id}`, path, body: update });
    expectListed(f, await f.step({ operationId: op('list', true), method: 'GET', template: `/${tag}`, query: { limit: 100, ...listQuery } }), created.id);
  } finally {
    await f.step({ operationId: op('delete'), method: 'DELETE', template: `/${tag}/{id}`, path });
  }
  await f.step({ operationId: op('get'), method: 'GET', template: `/${tag}/{id}`, path, expect: 404 });
}

/** Runs every write flow against the proxy; one result per call, in order. */
export async function runWriteFlows(client: Coveton, label = `coveton-contract-${Date.now()}`): Promise<ProbeResult[]> {
  const f = runner(client);
  await crud(f, 'api-keys', 'ApiKey', { name: label, type: 'service', environment: 'sandbox', permissions: ['messages:read'] }, { name: `${label}-renamed` });
  const orgs = await f.step({ operationId: 'listOrganizations', method: 'GET', template: '/organizations', query: { limit: 1 } });
  const organizationId = Array.isArray(orgs) ? (orgs[0]?.id as string | undefined) : undefined;
  if (organizationId) {
    for (const [tag, singular, extra] of [
      ['teams', 'Team', {}],
      ['departments', 'Department', {}],
      ['roles', 'Role', { permissions: ['messages:read'] }],
    ] as const) {
      await crud(f, tag, singular, { organizationId, name: label, ...extra }, { name: `${label}-renamed` }, { organizationId });
    }
  }
  const device = await f.step({
    operationId: 'registerDevice',
    method: 'POST',
    template: '/devices',
    body: { name: label, platform: 'server', identityKey: PUBLIC_KEY, signedPreKey: { keyId: 1, publicKey: PUBLIC_KEY, signature: PUBLIC_KEY } },
  });
  if (device?.id) {
    expectListed(f, await f.step({ operationId: 'listDevices', method: 'GET', template: '/devices', query: { limit: 100 } }), device.id);
    await f.step({ operationId: 'deleteDevice', method: 'DELETE', template: '/devices/{id}', path: { id: device.id } });
    await f.step({ operationId: 'deleteDevice', method: 'DELETE', template: '/devices/{id}', path: { id: device.id }, expect: 404 });
  }
  const me = await f.step({ operationId: 'getCurrentUser', method: 'GET', template: '/users/me' });
  const chat = me?.id ? await f.step({ operationId: 'createChat', method: 'POST', template: '/chats', body: { type: 'group', name: label, participantIds: [me.id] } }) : undefined;
  if (chat?.id) {
    await f.step({ operationId: 'getChat', method: 'GET', template: '/chats/{id}', path: { id: chat.id } });
    const envelopes = (device?.id ? [device.id] : []).concat(chat.participants?.[0]?.deviceIds ?? []).slice(0, 1).map((deviceId: string) => ({ deviceId, header: PUBLIC_KEY }));
    const message = await f.step({
      operationId: 'sendMessage',
      method: 'POST',
      template: '/messages',
      body: { chatId: chat.id, contentType: 'text/plain', ciphertext: PUBLIC_KEY, envelopes: envelopes.length > 0 ? envelopes : [{ deviceId: 'dev_contract', header: PUBLIC_KEY }] },
    });
    if (message?.id) {
      try {
        expectListed(f, await f.step({ operationId: 'listChatMessages', method: 'GET', template: '/chats/{id}/messages', path: { id: chat.id }, query: { limit: 100 } }), message.id);
        await f.step({ operationId: 'updateMessage', method: 'PATCH', template: '/messages/{id}', path: { id: message.id }, body: { ciphertext: PUBLIC_KEY, envelopes: message.envelopes } });
      } finally {
        await f.step({ operationId: 'deleteMessage', method: 'DELETE', template: '/messages/{id}', path: { id: message.id } });
      }
      await f.step({ operationId: 'deleteMessage', method: 'DELETE', template: '/messages/{id}', path: { id: message.id }, expect: 404 });
    }
  }
  return f.results;
}
