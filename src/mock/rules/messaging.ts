// Chats, messages and reactions: what ties records together (a message goes to a chat and
// updates its `lastMessageAt`; reactions toggle) and the outbound events these changes send.
// Who may see or change which record (participants, the sender), the ids a body names and the
// expiry of messages are the spec's x-access and x-invariants, enforced before these handlers
// run. Devices are in devices.ts.
import { fillContext, isoNow, type Handler } from '../engine.js';
import { fill, visible } from '../fill.js';
import { itemSchema } from '../resources.js';
import { MockHttpError } from '../reply.js';
import type { Row } from '../state.js';

const createChat: Handler = (call, env) => {
  const now = isoNow(env);
  // Removed devices receive no new messages (deleteDevice): a new chat routes to active ones only.
  const devices = (userId: string) => env.store.all('devices').filter((d) => d.userId === userId && !d.removedAt).map((d) => d.id);
  const me = call.principal!.userId;
  const others = (call.body.participantIds as string[]).filter((id) => id !== me);
  const participants = [
    { userId: me, role: 'owner', deviceIds: devices(me), joinedAt: now },
    ...others.map((userId) => ({ userId, role: 'member', deviceIds: devices(userId), joinedAt: now })),
  ];
  const { participantIds: _ignored, ...rest } = call.body;
  const row = fill(itemSchema(env.spec, 'chats'), { name: null, organizationId: null, lastMessageAt: null, ...rest, participants }, fillContext(env, undefined));
  env.store.put('chats', row);
  return { status: 201, body: visible(row) };
};

const sendMessage: Handler = (call, env) => {
  const chat = call.ctx.target!;
  const me = call.principal!.userId;
  // The device the sender named (x-access checked it is theirs and active), else their first
  // active one. With none, the sender device is missing: the spec's 404 for one not theirs.
  const mineActive = (d: Row | undefined) => d !== undefined && d.userId === me && !d.removedAt;
  const myDevices: string[] = chat.participants.find((p: Row) => p.userId === me)?.deviceIds ?? [];
  const senderDeviceId: string | undefined = call.body.senderDeviceId ?? myDevices.find((id) => mineActive(env.store.get('devices', id))) ?? env.store.find('devices', mineActive)?.id;
  if (senderDeviceId === undefined) throw new MockHttpError(404, 'No sender device: senderDeviceId is left out and the caller has no active device (register one with POST /devices).');
  const row = fill(
    itemSchema(env.spec, 'messages'),
    { fileIds: [], reactions: [], expiresAt: null, editedAt: null, ...call.body, senderId: me, senderDeviceId },
    fillContext(env, call.principal),
  );
  // OrganizationSettings.defaultMessageTtlSeconds: the lifetime of a new message in the
  // organization's chats that carries no expiresAt of its own (review of the mock, finding 8).
  const ttl = chat.organizationId ? env.store.get('organizations', chat.organizationId)?.settings?.defaultMessageTtlSeconds : undefined;
  if (call.body.expiresAt === undefined && typeof ttl === 'number') row.expiresAt = new Date(Date.parse(row.createdAt) + ttl * 1000).toISOString();
  env.store.put('messages', row);
  chat.lastMessageAt = row.createdAt;
  env.emit('message.created', chat.organizationId ?? null, visible(row));
  return { status: 201, body: visible(row) };
};

const updateMessage: Handler = (call, env) => {
  const message = call.ctx.target!;
  Object.assign(message, call.body, { editedAt: isoNow(env) });
  env.emit('message.updated', env.store.get('chats', message.chatId)?.organizationId ?? null, visible(message));
  return { status: 200, body: visible(message) };
};

const deleteMessage: Handler = (call, env) => {
  const message = call.ctx.target!;
  env.store.remove('messages', message.id);
  env.emit('message.deleted', env.store.get('chats', message.chatId)?.organizationId ?? null, { id: message.id, chatId: message.chatId, deletedAt: isoNow(env) });
  return { status: 204 };
};

const react: Handler = (call, env) => {
  const message = call.ctx.target!;
  const me = call.principal!.userId;
  const emoji: string = call.body.emoji;
  const reactions: Row[] = message.reactions;
  let entry = reactions.find((r) => r.emoji === emoji);
  const active = !entry?.userIds.includes(me);
  if (active) {
    if (!entry) reactions.push((entry = { emoji, count: 0, userIds: [] }));
    entry.userIds.push(me);
  } else {
    entry!.userIds = entry!.userIds.filter((u: string) => u !== me);
  }
  entry!.count = entry!.userIds.length;
  message.reactions = reactions.filter((r) => r.count > 0);
  return { status: 201, body: { messageId: message.id, userId: me, emoji, active, createdAt: isoNow(env) } };
};

export const messagingRules: Record<string, Handler> = {
  createChat,
  sendMessage,
  updateMessage,
  deleteMessage,
  addMessageReaction: react,
};
