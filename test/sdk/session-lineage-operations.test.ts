// An operation of several API calls is the user's who started it: a file transfer whose
// presigned URL expired (storage answers 403) is presigned again as that user, never as a user
// who signed in while the bytes were on the wire (the upload would then land in the other
// user's account); a list walk's later pages go as its first did.
import { afterEach, describe, expect, it } from 'vitest';
import { createCoveton } from '../support/client.js';
import { jwt } from '../support/auth-server.js';
import { startFilesServer } from '../support/files-server.js';
import { json, startFaultServer } from '../support/fault-server.js';
import { holdOnTheWire } from '../support/wire-gate.js';
import type { FaultServer } from '../support/fault-server.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';

let server: FaultServer | undefined;
afterEach(() => server?.close());
const now = () => Math.floor(Date.now() / 1000);
const A = jwt(now() + 900, 'A1');
const B = jwt(now() + 900, 'B1');

/**
 * A store that keeps only the two tokens (a column each), holding A's pair: what it gives back
 * has no lineage, so only a sign-in through this client tells the two sessions apart.
 */
function tokensOnly(): TokenStore {
  let kept: SessionTokens | undefined = { accessToken: A, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' };
  return {
    get: async () => kept && { accessToken: kept.accessToken, refreshToken: kept.refreshToken },
    set: async (tokens) => void (kept = tokens),
  };
}
/** A's session: in `tokenStore`, or in the default store from the options. */
const signedInAsA = (tokenStore: TokenStore | undefined) => (tokenStore ? { tokenStore } : { accessToken: A, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
const stores = [
  ['', () => undefined],
  [', on a store that keeps only the tokens', tokensOnly],
] as const;

/** User A's client; the first storage request is held until B has signed in, then answered 403 (expired). */
async function aThenB(storage: string, tokenStore?: TokenStore) {
  const s = await startFilesServer([403]);
  server = s.server;
  const held = holdOnTheWire(storage);
  const fetch = (request: Request) =>
    new URL(request.url).pathname === '/auth/login'
      ? Promise.resolve(Response.json({ accessToken: B, refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 }))
      : held.fetch(request);
  const coveton = createCoveton({ baseUrl: s.server.url, logLevel: 'off', ...signedInAsA(tokenStore), fetch });
  const signIn = held.reached.then(async () => {
    await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    held.release();
  });
  return { s, coveton, signIn };
}
const carried = (s: Awaited<ReturnType<typeof startFilesServer>>, path: RegExp) =>
  s.server.requests.filter((r) => path.test(r.path)).map((r) => (r.headers.authorization === `Bearer ${A}` ? 'A' : r.headers.authorization === `Bearer ${B}` ? 'B' : 'other'));

for (const [onStore, store] of stores) {
  describe(`a presigned URL expired while another user signed in${onStore}`, () => {
    it("an upload is presigned again as the user who started it: the file is A's", async () => {
      const { s, coveton, signIn } = await aThenB('/storage/file_1abc', store());
      const upload = coveton.files.upload(new Uint8Array(10), { filename: 'a.enc', contentType: 'application/octet-stream' });
      await signIn;
      await expect(upload).resolves.toEqual({ fileId: 'file_2abc', size: 10 });
      expect(carried(s, /^\/files\/presign$/)).toEqual(['A', 'A']);
    });

    it('a download is presigned again as the user who started it', async () => {
      const { s, coveton, signIn } = await aThenB('/storage/file_9abc', store());
      const download = coveton.files.download('file_9abc');
      await signIn;
      await download;
      expect(carried(s, /^\/files\/file_9abc\/download$/)).toEqual(['A', 'A']);
    });
  });

  describe(`a list walk while another user signed in${onStore}`, () => {
    it("its later pages go as its first did (A), never through B's list", async () => {
      const s = await startFaultServer((req, res) => json(res, 200, new URL(req.path, 'http://x').searchParams.has('before') ? [{ id: 'msg_1' }] : [{ id: 'msg_3' }, { id: 'msg_2' }]));
      server = s;
      const fetch = (request: Request) =>
        new URL(request.url).pathname === '/auth/login' ? Promise.resolve(Response.json({ accessToken: B, refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 })) : globalThis.fetch(request);
      const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', ...signedInAsA(store()), fetch });
      const ids: string[] = [];
      for await (const m of coveton.chats.listMessages('chat_1', { limit: 2 })) {
        ids.push(m.id);
        if (ids.length === 1) await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
      }
      expect(ids).toEqual(['msg_3', 'msg_2', 'msg_1']);
      const pages = s.requests.filter((r) => r.path.startsWith('/chats/'));
      expect(pages.map((r) => r.headers.authorization)).toEqual([`Bearer ${A}`, `Bearer ${A}`]);
      // A list started now goes as B.
      await coveton.chats.listMessages('chat_1', { limit: 5 });
      expect(s.requests.at(-1)!.headers.authorization).toBe(`Bearer ${B}`);
    });
  });
}

describe('a list object walked again after another user signed in', () => {
  it('goes as its first request went (the guide says so); list() called again goes as the new user', async () => {
    const s = await startFaultServer((req, res) => json(res, 200, new URL(req.path, 'http://x').searchParams.has('before') ? [] : [{ id: 'msg_2' }, { id: 'msg_1' }]));
    server = s;
    const fetch = (request: Request) =>
      new URL(request.url).pathname === '/auth/login' ? Promise.resolve(Response.json({ accessToken: B, refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 })) : globalThis.fetch(request);
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', ...signedInAsA(undefined), fetch });
    const list = coveton.chats.listMessages('chat_1', { limit: 2 });
    await list.toArray();
    await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    await list.toArray();
    await coveton.chats.listMessages('chat_1', { limit: 2 }).toArray();
    const who = s.requests.filter((r) => r.path.startsWith('/chats/')).map((r) => (r.headers.authorization === `Bearer ${A}` ? 'A' : r.headers.authorization === `Bearer ${B}` ? 'B' : 'other'));
    expect(who).toEqual(['A', 'A', 'A', 'A', 'B', 'B']);
  });
});
