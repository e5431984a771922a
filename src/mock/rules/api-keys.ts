// API keys (seeds 001, 003, 004 as the API brief reconciles them): the secret is returned once,
// `ak_live_` for production and `ak_test_` otherwise, `keyPrefix` is its head. Who may create or
// change a key, the scopes it may grant and the finality of `revoked` are the spec's x-access and
// x-invariants (checks.ts: newKeyScopesHeld, productionFromProduction, enterpriseForProduction).
import { fillContext, isoNow, type Handler } from '../engine.js';
import { fill, visible } from '../fill.js';
import { newKeySecret } from '../key-secrets.js';

/**
 * The scopes a create asks for: `permissions`, or full access when it is left out
 * (ApiKeyCreate.yaml). The one place the default lives: newKeyScopesHeld (checks.ts) judges this
 * same list, so leaving `permissions` out is no way around it.
 */
export function askedPermissions(body: { permissions?: string[] | undefined }): string[] {
  return body.permissions ?? ['*'];
}

const create: Handler = (call, env) => {
  const permissions = askedPermissions(call.body);
  const secret = newKeySecret(call.body.environment);
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
      _organizationId: call.ctx.organizationId,
    },
    fillContext(env, call.principal),
  );
  env.store.put('api-keys', row);
  env.emit('api_key.created', row._organizationId ?? null, visible(row));
  return { status: 201, body: { ...visible(row), secret } };
};

const update: Handler = (call, env) => {
  const row = call.ctx.target!;
  const { reason, ...changes } = call.body as Record<string, any>;
  const revoking = changes.status === 'revoked' && row.status !== 'revoked';
  Object.assign(row, changes);
  if (changes.status !== undefined) row.statusReason = reason ?? null;
  row._updatedAt = isoNow(env);
  if (revoking) env.emit('api_key.revoked', row._organizationId ?? null, visible(row));
  return { status: 200, body: visible(row) };
};

export const apiKeyRules: Record<string, Handler> = { createApiKey: create, updateApiKey: update };
