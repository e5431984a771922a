// Devices and their key bundles: registration (a device joins its user's chats), rotation of the
// signed pre-key, removal (the device leaves the chats' routing but stays listed with
// `removedAt`), and the bundles of a chat's participants or of one user. Who may do or read
// what (the owner, the chat's participants, a user's contacts) and the bundle checks (a signed
// pre-key that verifies, a higher key id) are the spec's x-access and x-invariants, enforced
// before these handlers run (checks.ts).
import { fillContext, isoNow, type Handler } from '../engine.js';
import { fill, visible } from '../fill.js';
import { itemSchema, page } from '../resources.js';
import type { Row } from '../state.js';

const registerDevice: Handler = (call, env) => {
  const { oneTimePreKeys, ...rest } = call.body;
  const row = fill(
    itemSchema(env.spec, 'devices'),
    { suites: [1], ...rest, userId: call.principal!.userId, _userId: call.principal!.userId, oneTimePreKeysRemaining: (oneTimePreKeys ?? []).length, lastSeenAt: null, removedAt: null },
    fillContext(env, call.principal),
  );
  env.store.put('devices', row);
  for (const chat of env.store.all('chats')) {
    for (const p of chat.participants) if (p.userId === row.userId) p.deviceIds.push(row.id);
  }
  env.emit('device.registered', call.principal?.organizationId ?? null, visible(row));
  return { status: 201, body: visible(row) };
};

const rotateSignedPreKey: Handler = (call) => {
  const device = call.ctx.target!;
  const { keyId, publicKey, signature } = call.body;
  device.signedPreKey = { keyId, publicKey, signature };
  return { status: 200, body: visible(device) };
};

const deleteDevice: Handler = (call, env) => {
  const row = call.ctx.target!;
  row.removedAt = isoNow(env);
  for (const chat of env.store.all('chats')) {
    for (const p of chat.participants) p.deviceIds = p.deviceIds.filter((d: string) => d !== row.id);
  }
  env.emit('device.removed', call.principal?.organizationId ?? null, { id: row.id, userId: row.userId, removedAt: row.removedAt });
  return { status: 204 };
};

/** Whether a device (removed ones included) is of one of the given users. */
const ofUsers = (userIds: Set<string>) => (device: Row) => userIds.has(device.userId);

const listChatDevices: Handler = (call, env) => page('devices', call, env, ofUsers(new Set((call.ctx.target!.participants as Row[]).map((p) => p.userId))));

const listUserDevices: Handler = (call, env) => page('devices', call, env, ofUsers(new Set([call.ctx.target!.id])));

export const deviceRules: Record<string, Handler> = { registerDevice, rotateSignedPreKey, deleteDevice, listChatDevices, listUserDevices };
