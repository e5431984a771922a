// Who may download a message's attachment, and what a message may attach. A file is visible to
// its uploader and to the participants of a chat with a message that references it (spec
// README, `recipients`); a self-destructed message is deleted for everyone, so it grants nothing
// (review of the mock, finding 7).
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, message, outcome, NOT_FOUND } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, control, signIn } = httpClient(() => mock().url);
const BOB = { id: SEED.bob.userId, email: SEED.bob.email, password: SEED.bob.password };
const ADA = { id: SEED.userId, email: SEED.email, password: SEED.password };

/** A file Ada presigned, and uploaded unless told not to. */
async function adaFile(token: string, upload = true): Promise<string> {
  const presign = await call('POST', '/files/presign', { token, body: { filename: 'a.bin', contentType: 'application/octet-stream', size: 3 } });
  expect(presign.status).toBe(201);
  if (upload) expect((await fetch(presign.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: 'abc' })).status).toBe(200);
  return presign.body.fileId;
}

describe('attachments', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));

  it("a self-destructed message no longer grants its file to the chat's participants; the uploader keeps it", async () => {
    const ada = (await signIn(ADA)).accessToken;
    const bob = (await signIn(BOB)).accessToken;
    const fileId = await adaFile(ada);
    const now = (await control('/clock')).body.epochMs as number;
    const expiresAt = new Date(now + 120_000).toISOString();
    const sent = await call('POST', '/messages', { token: ada, body: message(SEED.chatId, { fileIds: [fileId], expiresAt }) });
    expect(sent.status).toBe(201);
    expect((await call('GET', `/files/${fileId}/download`, { token: bob })).status).toBe(200);
    expect((await control('/clock', { advance: '3m' })).status).toBe(200);
    expect(outcome(await call('GET', `/files/${fileId}/download`, { token: bob }))).toEqual(NOT_FOUND);
    expect((await call('GET', `/files/${fileId}/download`, { token: ada })).status).toBe(200);
  });
});

describe('what a message may attach', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));

  it('a file presigned but never uploaded is a 404, as a missing one (MessageCreate: "Uploaded files to attach"); once uploaded it attaches', async () => {
    const ada = (await signIn(ADA)).accessToken;
    const presign = await call('POST', '/files/presign', { token: ada, body: { filename: 'never.bin', contentType: 'application/octet-stream', size: 3 } });
    const fileId = presign.body.fileId as string;
    expect(outcome(await call('POST', '/messages', { token: ada, body: message(SEED.chatId, { fileIds: [fileId] }) }))).toEqual(NOT_FOUND);
    expect(outcome(await call('GET', `/files/${fileId}/download`, { token: ada }))).toEqual(NOT_FOUND);
    expect(((await call('GET', `/chats/${SEED.chatId}/messages`, { token: ada })).body as unknown as { fileIds: string[] }[]).some((m) => m.fileIds.includes(fileId))).toBe(false);
    expect((await fetch(presign.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: 'abc' })).status).toBe(200);
    const sent = await call('POST', '/messages', { token: ada, body: message(SEED.chatId, { fileIds: [fileId] }) });
    expect([sent.status, sent.body.fileIds]).toEqual([201, [fileId]]);
    // A second PUT to the same upload URL (a retried upload) still works.
    expect((await fetch(presign.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: 'abc' })).status).toBe(200);
  });
});
