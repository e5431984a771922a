// `coveton contract --write`: write flows on real ids instead of the spec's example ids (which a
// partner's sandbox answers with 404). For API keys, teams, departments, roles, devices (with a
// signed pre-key rotation), and
// chats with their messages: create, read back, update, find in the list, delete, then expect a
// 404, all through Prism's validating proxy so every answer is checked against the spec; then the
// spec's rules (rule-flows.ts): scopes, uniqueness, the audit log. What a flow created is deleted
// at the end, even when a step failed (chats have no delete operation: the test chat stays, named
// so it is recognisable).
import type { ProbeResult } from './check.js';
import { flowProblem, runner, type FlowRunner, type Step } from './flow-runner.js';
import { checkAudit, checkDuplicate, checkScopes } from './rule-flows.js';
import type { Coveton } from '../../public/client.js';
import { identityKeyPair, signPreKey } from '../../tools/device-keys.js';

const PUBLIC_KEY = 'Y292ZXRvbi1jb250cmFjdC1wdWJsaWMta2V5';

/** Notes a flow problem (the created item missing from its list) on the last step. */
function expectListed(f: FlowRunner, list: unknown, id: string): void {
  const last = f.results[f.results.length - 1]!;
  if (Array.isArray(list) && !list.some((item: { id?: string }) => item?.id === id)) {
    last.violations.push(flowProblem(`the list does not contain ${id}, created a moment before`));
  }
}

async function crud(f: FlowRunner, tag: string, singular: string, create: unknown, update: unknown, listQuery?: Record<string, unknown>): Promise<void> {
  const op = (verb: string, plural = false) => `${verb}${singular}${plural ? 's' : ''}`;
  const createStep: Step = { operationId: op('create'), method: 'POST', template: `/${tag}`, body: create };
  const created = await f.step(createStep);
  if (!created?.id) return;
  const path = { id: created.id as string };
  const remove = (id: string) => f.step({ operationId: op('delete'), method: 'DELETE', template: `/${tag}/{id}`, path: { id } });
  try {
    await checkDuplicate(f, createStep, remove);
    await f.step({ operationId: op('get'), method: 'GET', template: `/${tag}/{id}`, path });
    await f.step({ operationId: op('update'), method: 'PATCH', template: `/${tag}/{id}`, path, body: update });
    expectListed(f, await f.step({ operationId: op('list', true), method: 'GET', template: `/${tag}`, query: { limit: 100, ...listQuery } }), created.id);
  } finally {
    await f.step({ operationId: op('delete'), method: 'DELETE', template: `/${tag}/{id}`, path });
  }
  await f.step({ operationId: op('get'), method: 'GET', template: `/${tag}/{id}`, path, expect: 404 });
}

export interface WriteFlowOptions {
  /** Names what the flows create, so leftovers are recognisable. */
  label?: string;
  /** A client with another API key, for the scope checks (rule-flows.ts). */
  withKey?: (secret: string) => Coveton;
}

/** Runs every write flow against the proxy; one result per call, in order. */
export async function runWriteFlows(client: Coveton, options: WriteFlowOptions = {}): Promise<ProbeResult[]> {
  const label = options.label ?? `coveton-contract-${Date.now()}`;
  const f = runner(client);
  // A real key bundle: the API verifies the signed pre-key under the identity key.
  const identity = identityKeyPair();
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
  const registerStep: Step = {
    operationId: 'registerDevice',
    method: 'POST',
    template: '/devices',
    body: { name: label, platform: 'server', identityKey: identity.identityKey, signedPreKey: signPreKey(identity.privateKey, 1) },
  };
  const device = await f.step(registerStep);
  if (device?.id) {
    await checkDuplicate(f, registerStep, (id) => f.step({ operationId: 'deleteDevice', method: 'DELETE', template: '/devices/{id}', path: { id } }));
    expectListed(f, await f.step({ operationId: 'listDevices', method: 'GET', template: '/devices', query: { limit: 100 } }), device.id);
    await f.step({ operationId: 'rotateSignedPreKey', method: 'PUT', template: '/devices/{id}/signed-pre-key', path: { id: device.id }, body: signPreKey(identity.privateKey, 2) });
  }
  // The device stays until the message is sent: an envelope must be for an active device of the chat.
  try {
    await chatFlow(f, label, device?.id);
  } finally {
    if (device?.id) {
      await f.step({ operationId: 'deleteDevice', method: 'DELETE', template: '/devices/{id}', path: { id: device.id } });
      await f.step({ operationId: 'deleteDevice', method: 'DELETE', template: '/devices/{id}', path: { id: device.id }, expect: 404 });
    }
  }
  if (options.withKey) await checkScopes(f, label, options.withKey);
  if (organizationId) await checkAudit(f, organizationId);
  return f.results;
}

/** A chat with the caller alone, and a message in it sealed to one of the caller's active devices. */
async function chatFlow(f: FlowRunner, label: string, deviceId: string | undefined): Promise<void> {
  const me = await f.step({ operationId: 'getCurrentUser', method: 'GET', template: '/users/me' });
  const chat = me?.id ? await f.step({ operationId: 'createChat', method: 'POST', template: '/chats', body: { type: 'group', name: label, participantIds: [me.id] } }) : undefined;
  if (chat?.id) {
    await f.step({ operationId: 'getChat', method: 'GET', template: '/chats/{id}', path: { id: chat.id } });
    const envelopes = (deviceId ? [deviceId] : []).concat(chat.participants?.[0]?.deviceIds ?? []).slice(0, 1).map((id: string) => ({ deviceId: id, header: PUBLIC_KEY }));
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
}
