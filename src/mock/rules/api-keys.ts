// API keys (seeds 001, 003, 004 as the API brief reconciles them): the secret is returned once,
// `ak_live_` for production and `ak_test_` otherwise, `keyPrefix` is its head; `revoked` is final
// (changing it is a 409); and the 403 reasons for scopes, environments and plans.
import { fillContext, isoNow, type Call, type Handler, type MockEnv } from '../engine.js';
import { fill, visible } from '../fill.js';
import { base62 } from '../../tools/ids.js';
import { conflict, forbidden, notFound } from '../reply.js';
import { holds } from '../credentials.js';

function checkGrant(call: Call, permissions: string[]): void {
  const p = call.principal;
  if (p?.kind !== 'key') return;
  const missing = permissions.filter((scope) => !holds(p.permissions, scope));
  if (missing.length > 0) throw forbidden('scope_grant_forbidden', `This key cannot grant scopes it does not hold: ${missing.join(', ')}.`);
}

function checkEnvironment(call: Call, env: MockEnv, environment: string): void {
  if (environment !== 'production') return;
  const p = call.principal;
  if (p?.kind === 'key' && p.environment !== 'production') {
    throw forbidden('environment_forbidden', `A ${p.environment} key cannot create a production key.`);
  }
  const org = p?.organizationId ? env.store.get('organizations', p.organizationId) : undefined;
  if (org?.plan !== 'enterprise') throw forbidden('enterprise_required', 'Production keys over the API need the enterprise plan.');
}

const create: Handler = (call, env) => {
  const permissions: string[] = call.body.permissions ?? ['*'];
  checkGrant(call, permissions);
  checkEnvironment(call, env, call.body.environment);
  const secret = `${call.body.environment === 'production' ? 'ak_live_' : 'ak_test_'}${base62(32)}`;
  const row = fill(
    env.spec.operations.find((o) => o.id === 'getApiKey')!.successSchema,
    {
      description: null,
      allowedIps: [],
      expiresAt: null,
      ...call.body,
      permissions,
      status: 'active',
      keyPrefix: secret.slice(0, 16),
      _secret: secret,
      _createdBy: call.principal!.userId,
      _organizationId: call.principal!.organizationId,
    },
    fillContext(env, call.principal),
  );
  env.store.put('api-keys', row);
  env.emit('api_key.created', row._organizationId ?? null, visible(row));
  return { status: 201, body: { ...visible(row), secret } };
};

const update: Handler = (call, env) => {
  const row = env.store.get('api-keys', call.params.id!);
  if (!row) throw notFound('API key', call.params.id!);
  const { reason, ...changes } = call.body as Record<string, any>;
  if (changes.status !== undefined && row.status === 'revoked') {
    throw conflict(`API key ${row.id} is revoked, which is final: it cannot become ${changes.status}. Create a new key.`);
  }
  if (changes.permissions) checkGrant(call, changes.permissions);
  const revoking = changes.status === 'revoked' && row.status !== 'revoked';
  Object.assign(row, changes);
  if (changes.status !== undefined) row.statusReason = reason ?? null;
  row._updatedAt = isoNow(env);
  if (revoking) env.emit('api_key.revoked', row._organizationId ?? null, visible(row));
  return { status: 200, body: visible(row) };
};

export const apiKeyRules: Record<string, Handler> = { createApiKey: create, updateApiKey: update };
