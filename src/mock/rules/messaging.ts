// Chats, messages, reactions and devices: the rules that tie records together (a message goes to
// an existing chat the caller is in and updates its `lastMessageAt`; only the sender edits or
// deletes; reactions toggle) and the outbound events these changes send.
import { fillContext, isoNow, type Call, type Handler, type MockEnv } from '../engine.js';
import { fill, visible } from '../fill.js';
import { forbidden, MockHttpError, notFound } from '../reply.js';
import { itemSchema, page } from '../resources.js';
import type { Row } from '../state.js';

function chatFor(call: Call, env: MockEnv, chatId: string): Row {
  const chat = env.store.get('chats', chatId);
  const inChat = chat?.participants.some((p: Row) => p.userId === call.principal?.userId) || call.principal?.kind === 'key';
  if (!chat || !inChat) throw notFound('chat', chatId);
  return chat;
}

function messageFor(call: Call, env: MockEnv): Row {
  const message = env.store.get('messages', call.params.id!);
  if (!message) throw notFound('message', call.params.id!);
  chatFor(call, env, message.chatId);
  return message;
}

function ownMessage(call: Call, env: MockEnv): Row {
  const message = messageFor(call, env);
  if (message.senderId !== call.principal?.userId) throw forbidden('not_sender', 'Only the sender may edit or delete a message.');
  return message;
}

const createChat: Handler = (call, env) => {
  const now = isoNow(env);
  const devices = (userId: string) => env.store.all('devices').filter((d) => d.userId === userId).map((d) => d.id);
  const me = call.principal!.userId;
  const others = (call.body.participantIds as string[]).filter((id) => id !== me);
  for (const id of others) if (!env.store.get('users', id)) throw notFound('user', id);
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
  const chat = chatFor(call, env, call.body.chatId);
  for (const fileId of call.body.fileIds ?? []) if (!env.store.get('files', fileId)) throw notFound('file', fileId);
  if (call.body.expiresAt && Date.parse(call.body.expiresAt) <= env.now()) {
    throw new MockHttpError(422, 'expiresAt must be in the future.', { details: [{ path: 'expiresAt', message: 'must be in the future' }] });
  }
  const me = call.principal!.userId;
  const myDevices = chat.participants.find((p: Row) => p.userId === me)?.deviceIds ?? [];
  const senderDeviceId = myDevices[0] ?? env.store.find('devices', (d) => d.userId === me)?.id;
  const row = fill(
    itemSchema(env.spec, 'messages'),
    { fileIds: [], reactions: [], expiresAt: null, editedAt: null, ...call.body, senderId: me, ...(senderDeviceId ? { senderDeviceId } : {}) },
    fillContext(env, call.principal),
  );
  env.store.put('messages', row);
  chat.lastMessageAt = row.createdAt;
  env.emit('message.created', chat.organizationId ?? null, visible(row));
  return { status: 201, body: visible(row) };
};

const updateMessage: Handler = (call, env) => {
  const message = ownMessage(call, env);
  Object.assign(message, call.body, { editedAt: isoNow(env) });
  env.emit('message.updated', env.store.get('chats', message.chatId)?.organizationId ?? null, visible(message));
  return { status: 200, body: visible(message) };
};

const deleteMessage: Handler = (call, env) => {
  const message = ownMessage(call, env);
  env.store.remove('messages', message.id);
  env.emit('message.deleted', env.store.get('chats', message.chatId)?.organizationId ?? null, { id: message.id, chatId: message.chatId, deletedAt: isoNow(env) });
  return { status: 204 };
};

const react: Handler = (call, env) => {
  const message = messageFor(call, env);
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

const registerDevice: Handler = (call, env) => {
  const { oneTimePreKeys, ...rest } = call.body;
  const row = fill(
    itemSchema(env.spec, 'devices'),
    { ...rest, userId: call.principal!.userId, oneTimePreKeysRemaining: (oneTimePreKeys ?? []).length, lastSeenAt: null },
    fillContext(env, call.principal),
  );
  env.store.put('devices', row);
  for (const chat of env.store.all('chats')) {
    for (const p of chat.participants) if (p.userId === row.userId) p.deviceIds.push(row.id);
  }
  env.emit('device.registered', call.principal?.organizationId ?? null, visible(row));
  return { status: 201, body: visible(row) };
};

const deleteDevice: Handler = (call, env) => {
  const row = env.store.get('devices', call.params.id!);
  if (!row || row.userId !== call.principal?.userId) throw notFound('device', call.params.id!);
  env.store.remove('devices', row.id);
  for (const chat of env.store.all('chats')) {
    for (const p of chat.participants) p.deviceIds = p.deviceIds.filter((d: string) => d !== row.id);
  }
  env.emit('device.removed', call.principal?.organizationId ?? null, { id: row.id, userId: row.userId, removedAt: isoNow(env) });
  return { status: 204 };
};

const listDevices: Handler = (call, env) =>
  page(env.store.all('devices').filter((d) => d.userId === call.principal?.userId), call, env, call.op.successSchema);

const listChats: Handler = (call, env) =>
  page(
    env.store.all('chats').filter((c) => call.principal?.kind === 'key' || c.participants.some((p: Row) => p.userId === call.principal?.userId)),
    call,
    env,
    call.op.successSchema,
  );

const getChat: Handler = (call, env) => ({ status: 200, body: visible(chatFor(call, env, call.params.id!)) });

export const messagingRules: Record<string, Handler> = {
  createChat,
  listChats,
  getChat,
  sendMessage,
  updateMessage,
  deleteMessage,
  addMessageReaction: react,
  registerDevice,
  deleteDevice,
  listDevices,
};
