// Plain HTTP against the mock, as a partner's CI in any language drives it: fetch and JSON, no
// SDK. `as(person)` signs a seeded person in; `control` drives `/__mock/` (clock, reset).
import type { Dispatcher } from 'undici';
import type { SeedDocument } from '../../src/mock/index.js';
import { SEED } from '../../src/mock/index.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';

export type Json = Record<string, any>;

export interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

export interface CallInit {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** An undici dispatcher, e.g. one that connects from another loopback address. */
  dispatcher?: Dispatcher;
}

export function httpClient(base: () => string) {
  async function call(method: string, path: string, init: CallInit = {}): Promise<Answer> {
    const res = await fetch(base() + path, {
      method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
    } as RequestInit);
    const text = await res.text();
    let body: Json;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { text };
    }
    return { status: res.status, headers: res.headers, body };
  }
  return {
    call,
    /** POST (or GET) a control endpoint, as a CI script would: JSON content type. */
    control: (path: string, body?: unknown, method = body === undefined && path !== '/reset' ? 'GET' : 'POST') =>
      call(method, `/__mock${path}`, { ...(body !== undefined ? { body } : { headers: method === 'POST' ? { 'content-type': 'application/json' } : {} }) }),
    /** Signs `person` in; resolves to the access token (and refresh token). */
    async signIn(person: Person): Promise<{ accessToken: string; refreshToken: string }> {
      const answer = await call('POST', '/auth/login', { body: { email: person.email, password: person.password } });
      if (answer.status !== 200) throw new Error(`sign-in of ${person.email}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body as { accessToken: string; refreshToken: string };
    },
  };
}

/** `{ status, code, reason }` of an answer, to compare in one assertion. */
export const outcome = (a: Answer) => ({ status: a.status, code: a.body.error?.code, reason: a.body.error?.reason });

export interface Person {
  id: string;
  email: string;
  password: string;
  memberId?: string;
  deviceId?: string;
}

/** Four people: Ada owns the seeded organization, Bea is an admin in it, Cy a member, Dan is outside. */
export const PEOPLE = {
  ada: { id: SEED.userId, email: SEED.email, password: SEED.password, memberId: 'mem_5Rj2Xq8d', deviceId: 'dev_a1' },
  bea: { id: 'usr_BeaAdmin01', email: 'bea@example.com', password: 'bea-strong-passphrase', memberId: 'mem_BeaAdmin01', deviceId: 'dev_BeaPhone1' },
  cy: { id: 'usr_CyMember01', email: 'cy@example.com', password: 'cy-strong-passphrase', memberId: 'mem_CyMember01', deviceId: 'dev_CyPhone01' },
  dan: { id: 'usr_DanOutside', email: 'dan@example.com', password: 'dan-strong-passphrase', deviceId: 'dev_DanPhone1' },
} satisfies Record<string, Person>;

/** The people above as a seed document (on top of the default seed). */
export function peopleSeed(): SeedDocument {
  const others = [
    [PEOPLE.bea, 'Bea Admin', 'admin'],
    [PEOPLE.cy, 'Cy Member', 'member'],
    [PEOPLE.dan, 'Dan Outside', undefined],
  ] as const;
  return {
    users: others.map(([p, displayName]) => ({ id: p.id, email: p.email, password: p.password, displayName })),
    members: others.flatMap(([p, displayName, role]) =>
      role ? [{ id: p.memberId!, organizationId: SEED.organizationId, userId: p.id, email: p.email, displayName, role, roleIds: [], status: 'active' }] : [],
    ),
    devices: others.map(([p, displayName]) => ({
      id: p.deviceId,
      userId: p.id,
      name: `${displayName}'s phone`,
      platform: 'android',
      ...deviceKeyBundle(p.deviceId),
      oneTimePreKeysRemaining: 10,
    })),
  };
}

/** A message body to `chatId`, sealed for Ada's laptop. */
export const message = (chatId: string, extra: object = {}) => ({ chatId, contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }], ...extra });
export const NOT_FOUND = { status: 404, code: 'NOT_FOUND', reason: undefined };
export const forbidden = (reason: string) => ({ status: 403, code: 'FORBIDDEN', reason });
export const conflict = (reason: string) => ({ status: 409, code: 'CONFLICT', reason });
