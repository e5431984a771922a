// `before`, the one cursor of every list (Before.yaml: "the id of the oldest item seen so far; the
// page holds the items older than it"), on the mock: the hand-written lists (users/search,
// sessions) honour it like the generic ones, and a cursor whose item is gone (deleted, dropped by
// the cap) still means "older than it", so a walk goes on. A cursor that was never an item is a
// 400 naming `before`, never an empty page a client reads as the end. Found by a hostile review.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED, startMock } from '../../src/mock/index.js';
import { httpClient, message, outcome } from './http.js';
import { ADA, all, signedIn, useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, control } = httpClient(() => mock().url);
const ids = (body: unknown) => (body as { id: string }[]).map((r) => r.id);
const login = async () => (await call('POST', '/auth/login', { body: ADA })).body.accessToken as string;

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

describe('the hand-written lists honour before', () => {
  it('GET /users/search walks back one user a page, and the SDK paginator gets both', async () => {
    const token = await login();
    const grace = (await call('POST', '/auth/register', { body: { email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace' } })).body;
    expect((await call('PATCH', '/users/me', { token: grace.accessToken, body: { handle: 'ada_two' } })).status).toBe(200);
    const first = ids((await call('GET', '/users/search?q=ada&limit=1', { token })).body);
    expect(first).toEqual([grace.user.id]);
    expect(ids((await call('GET', `/users/search?q=ada&limit=1&before=${first[0]}`, { token })).body)).toEqual([SEED.userId]);
    expect(ids((await call('GET', `/users/search?q=ada&limit=1&before=${SEED.userId}`, { token })).body)).toEqual([]);
    const sdk = await signedIn(mock());
    expect((await all(sdk.users.search({ q: 'ada', limit: 1 }))).map((u) => u.id)).toEqual([grace.user.id, SEED.userId]);
  });

  it('GET /sessions walks back one session a page', async () => {
    for (let i = 0; i < 3; i++) await login();
    const token = await login();
    const everything = ids((await call('GET', '/sessions?limit=100', { token })).body);
    expect(everything.length).toBeGreaterThanOrEqual(4);
    const walked: string[] = [];
    // At most 20 pages: a list that ignores before would repeat its first page for ever.
    for (let before: string | undefined, n = 0; n < 20; n++) {
      const page = ids((await call('GET', `/sessions?limit=1${before ? `&before=${before}` : ''}`, { token })).body);
      walked.push(...page);
      if (page.length < 1) break;
      before = page[0];
    }
    expect(walked).toEqual(everything);
  });
});

describe('a cursor whose item is gone still means "older than it"', () => {
  it('the newest message deleted, its id as before lists the older ones', async () => {
    const token = await login();
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) sent.push((await call('POST', '/messages', { token, body: message(SEED.chatId) })).body.id);
    expect(ids((await call('GET', `/chats/${SEED.chatId}/messages?limit=1`, { token })).body)).toEqual([sent[2]]);
    expect((await call('DELETE', `/messages/${sent[2]}`, { token })).status).toBe(204);
    expect(ids((await call('GET', `/chats/${SEED.chatId}/messages?limit=2&before=${sent[2]}`, { token })).body)).toEqual([sent[1], sent[0]]);
    // The middle one deleted too: the walk from the first page's cursor still finds the oldest.
    expect((await call('DELETE', `/messages/${sent[1]}`, { token })).status).toBe(204);
    expect(ids((await call('GET', `/chats/${SEED.chatId}/messages?limit=1&before=${sent[1]}`, { token })).body)).toEqual([sent[0]]);
  });

  it('a message dropped by the collection cap is still a cursor (nothing is older), and one deleted after it walks on', async () => {
    const small = await startMock({ collectionCap: 12, rateLimit: false });
    try {
      const http = httpClient(() => small.url);
      const token = (await http.call('POST', '/auth/login', { body: ADA })).body.accessToken;
      const sent: string[] = [];
      for (let i = 0; i < 12; i++) sent.push((await http.call('POST', '/messages', { token, body: message(SEED.chatId) })).body.id);
      // A message to another chat pushes the oldest of the twelve out of the capped collection.
      const other = (await http.call('POST', '/chats', { token, body: { type: 'group', name: 'Other', participantIds: ['usr_7BobT2zR'] } })).body.id;
      await http.call('POST', '/messages', { token, body: { ...message(other), envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }] } });
      const listed = ids((await http.call('GET', `/chats/${SEED.chatId}/messages?limit=100`, { token })).body);
      expect(listed).toEqual(sent.slice(1).reverse());
      expect(ids((await http.call('GET', `/chats/${SEED.chatId}/messages?limit=100&before=${sent[0]}`, { token })).body)).toEqual([]);
      expect((await http.call('DELETE', `/messages/${sent[3]}`, { token })).status).toBe(204);
      expect(ids((await http.call('GET', `/chats/${SEED.chatId}/messages?limit=100&before=${sent[3]}`, { token })).body)).toEqual([sent[2], sent[1]]);
      // The dropped one's id, once the newest of a page, walks on as well (here: nothing is older).
      expect((await http.call('GET', `/chats/${SEED.chatId}/messages?before=${sent[0]}`, { token })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('a cursor that was never an item of the mock is a 400 naming before, not an empty page', async () => {
    const token = await login();
    const forged = await call('GET', `/chats/${SEED.chatId}/messages?before=msg_forged`, { token });
    expect(outcome(forged)).toEqual({ status: 400, code: 'BAD_REQUEST', reason: undefined });
    expect(forged.body.error.details).toEqual([{ path: 'before', message: 'msg_forged is not an item of this list: pass the id of the oldest item of the previous page' }]);
    expect((await call('GET', '/sessions?before=sess_forged', { token })).status).toBe(400);
    expect((await call('GET', '/users/search?q=ada&before=usr_forged', { token })).status).toBe(400);
  });
});

// Found by a second hostile review: the cursor was looked up in the whole collection, so Eve's
// `before=<Mal's session id>` was a 200 [] and a forged id a 400: any caller could tell whether
// an id exists. Another caller's record, live or gone, must be answered exactly as a forged id.
describe("a cursor naming another caller's record is answered as a forged one", () => {
  const register = async (name: string) =>
    (await call('POST', '/auth/register', { body: { email: `${name}@example.com`, password: 'CorrectHorse9!battery', displayName: name } })).body.accessToken as string;
  // The answer, its named id and request id blanked: the rest must match to the byte.
  const blanked = async (token: string, before: string) => {
    const res = await fetch(`${mock().url}/sessions?before=${before}`, { headers: { authorization: `Bearer ${token}` } });
    const text = (await res.text()).replaceAll(before, '<id>').replaceAll(res.headers.get('x-request-id')!, '<req>');
    return `${res.status} ${text}`;
  };

  it("Eve's before=<Mal's live session> and before=<forged id> get identical answers", async () => {
    const mal = await register('mal');
    const malSession = ids((await call('GET', '/sessions', { token: mal })).body)[0]!;
    const eve = await register('eve');
    const forged = `${malSession.slice(0, -4)}${malSession.endsWith('ZZZZ') ? 'YYYY' : 'ZZZZ'}`;
    const asForged = await blanked(eve, forged);
    expect(asForged).toMatch(/^400 .*is not an item of this list/);
    expect(await blanked(eve, malSession)).toBe(asForged);
  });

  // Found by a third review: a gone record kept only its place, so Mal's revoked session, or a
  // deleted message of a chat Eve is not in, still continued Eve's walk (200 []).
  it("Eve's before=<Mal's revoked session> and before=<forged id> get identical answers", async () => {
    const mal = await register('mal');
    const first = ids((await call('GET', '/sessions', { token: mal })).body)[0]!;
    const again = (await call('POST', '/auth/login', { body: { email: 'mal@example.com', password: 'CorrectHorse9!battery' } })).body.accessToken as string;
    expect((await call('DELETE', `/sessions/${first}`, { token: again })).status).toBe(204);
    expect(ids((await call('GET', '/sessions', { token: again })).body)).not.toContain(first);
    const eve = await register('eve');
    const forged = `${first.slice(0, -4)}${first.endsWith('ZZZZ') ? 'YYYY' : 'ZZZZ'}`;
    const asForged = await blanked(eve, forged);
    expect(asForged).toMatch(/^400 .*is not an item of this list/);
    expect(await blanked(eve, first)).toBe(asForged);
    // Mal's own walk still goes on past it.
    expect((await call('GET', `/sessions?before=${first}`, { token: again })).status).toBe(200);
  });

  it("a deleted message of a chat the caller is not in is a 400 in the caller's own chat, as a forged id", async () => {
    const ada = await login();
    const gone = (await call('POST', '/messages', { token: ada, body: message(SEED.chatId) })).body.id as string;
    expect((await call('DELETE', `/messages/${gone}`, { token: ada })).status).toBe(204);
    const eve = await register('eve');
    const chat = await call('POST', '/chats', { token: eve, body: { type: 'direct', participantIds: [SEED.userId] } });
    expect(chat.status).toBe(201);
    const list = (before: string) => call('GET', `/chats/${chat.body.id}/messages?before=${before}`, { token: eve });
    const forged = await list('msg_forged');
    expect(outcome(forged)).toEqual({ status: 400, code: 'BAD_REQUEST', reason: undefined });
    const named = await list(gone);
    expect(outcome(named)).toEqual(outcome(forged));
    expect(JSON.stringify(named.body.error.details).replaceAll(gone, '<id>')).toBe(JSON.stringify(forged.body.error.details).replaceAll('msg_forged', '<id>'));
    // In its own chat, for Ada, the same id walks on.
    expect((await call('GET', `/chats/${SEED.chatId}/messages?before=${gone}`, { token: ada })).status).toBe(200);
  });

  it("Eve's own revoked session still pages on: her older sessions are listed past it", async () => {
    const eve = await register('eve');
    const older = ids((await call('GET', '/sessions', { token: eve })).body)[0]!;
    const current = (await call('POST', '/auth/login', { body: { email: 'eve@example.com', password: 'CorrectHorse9!battery' } })).body.accessToken as string;
    const mine = ids((await call('GET', '/sessions', { token: current })).body);
    const newest = mine.find((id) => id !== older)!;
    const spare = (await call('POST', '/auth/login', { body: { email: 'eve@example.com', password: 'CorrectHorse9!battery' } })).body.accessToken as string;
    expect((await call('DELETE', `/sessions/${newest}`, { token: spare })).status).toBe(204);
    expect(ids((await call('GET', `/sessions?before=${newest}`, { token: spare })).body)).toEqual([older]);
  });
});
