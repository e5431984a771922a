// The state every mock starts with (and returns to on `POST /__mock/reset`): the README
// quickstart's user, organization, chat and devices, so `examples/quickstart.ts` runs unchanged,
// and Bob, who shares the chat with two devices of his own. Every device's keys are real.
// Rows are partial: the seeder completes them with the schema's server-set fields.
import { exampleSeed } from './seed-examples.js';
import type { Row } from './state.js';

export const SEED = {
  userId: 'usr_4AdaL9xQ',
  email: 'ada@example.com',
  password: 'a-strong-passphrase',
  organizationId: 'org_7Qk2mP4x',
  chatId: 'chat_8f2a',
  /** A second user in Ada's chat, with two devices (for end-to-end examples). */
  bob: { userId: 'usr_7BobT2zR', email: 'bob@example.com', password: 'bob-strong-passphrase', deviceIds: ['dev_BobPhone1', 'dev_BobLaptop1'] },
} as const;

const T0 = '2026-01-05T09:00:00Z';
/** The time seed records are made at, when they do not say. */
export const SEED_TIME = T0;
// Real bundles (scripts/e2e/bundles.mjs: keys derived from the device id, signatures that verify).
const BUNDLES = {
  dev_a1: { identityKey: '7febBLhbVXLdecmJHEDrvE+WiEviloYa7vBjBaFVVL3i', signedPreKey: { keyId: 1, publicKey: 'Bb3A1+bsAABsdH+esQP3TkWD86atbE1yG4y/UCh+tupI', signature: 'yDbUJtaOclUTE/rtBP27/1jhrBIIOUHBeVCJEW3U6LOHltKXucbRc/37JpJSzZqgMWDogkNZ2VQYlGBCSamWCA==' } },
  dev_b2: { identityKey: '7SEnUkWsEOQEfzjDdKJ318Czad0Q/eDJ3bdEEIfYp+5U', signedPreKey: { keyId: 1, publicKey: 'BXXlZaOX3u8oiil247ZLX/cjLQ61jaUfa9EFd+FE1cYR', signature: 'x1+DO/TvtfwSCo8QpD/SfP9UyistiPk1IdiZRgh+GEAxCWtD8KYYMRvk116adn/KQcL8CibAPkHSXPuo6PUWAA==' } },
  dev_BobPhone1: { identityKey: '7cCk62zKJFDTS+3QdBCBG2DKcpFtlks+MpydQARu6ryu', signedPreKey: { keyId: 1, publicKey: 'BR1HD2NSKqRrIaO5g4cdMMYEATbiMIez1hDJ6HAUhB4h', signature: '0m1dagJ1JD8AIZzoB5cWb9M9YGR8G/u9GeU7tyh1YM4ZRL990pDvUIAEV7vfUSmgjhps1qS80IVqroRcvbx6AA==' } },
  dev_BobLaptop1: { identityKey: '7eOMv71FGJchbS4RfXiRwZYRR8uJ8OK6pOZU1x+C01Av', signedPreKey: { keyId: 1, publicKey: 'BYxVh85Jh+h9FCpK6KGnPpSkur145i7b55o+INqNuW9F', signature: 'IkTfGu81pVOmAD9i5hSSkgr521Av0M1BelhR/ZAelqEMckB/zQ4FlikTLum3EQiPWR7mYmtozRnlhz+AC/isDQ==' } },
};

export type SeedDocument = Record<string, Row[]>;

export function defaultSeed(): SeedDocument {
  const examples = exampleSeed();
  const seed: SeedDocument = {
    users: [
      {
        id: SEED.userId,
        email: SEED.email,
        password: SEED.password,
        emailVerified: true,
        displayName: 'Ada Lovelace',
        handle: 'ada',
        locale: 'en-GB',
        timezone: 'Europe/London',
        createdAt: T0,
        updatedAt: T0,
      },
      {
        id: SEED.bob.userId,
        email: SEED.bob.email,
        password: SEED.bob.password,
        emailVerified: true,
        displayName: 'Bob Babbage',
        handle: 'bob',
        locale: 'en-GB',
        timezone: 'Europe/London',
        createdAt: T0,
        updatedAt: T0,
      },
    ],
    organizations: [
      {
        id: SEED.organizationId,
        name: "Ada's Workshop",
        slug: 'ada-workshop',
        status: 'active',
        ownerId: SEED.userId,
        plan: 'team_monthly',
        memberCount: 1,
        createdAt: T0,
        updatedAt: T0,
      },
    ],
    members: [
      {
        id: 'mem_5Rj2Xq8d',
        organizationId: SEED.organizationId,
        userId: SEED.userId,
        email: SEED.email,
        displayName: 'Ada Lovelace',
        role: 'owner',
        status: 'active',
        joinedAt: T0,
      },
    ],
    devices: [
      { id: 'dev_a1', userId: SEED.userId, name: 'Ada laptop', platform: 'desktop', ...BUNDLES.dev_a1, oneTimePreKeysRemaining: 0, createdAt: T0 },
      { id: 'dev_b2', userId: SEED.userId, name: 'Ada phone', platform: 'ios', ...BUNDLES.dev_b2, oneTimePreKeysRemaining: 0, createdAt: T0 },
      { id: 'dev_BobPhone1', userId: SEED.bob.userId, name: "Bob's phone", platform: 'android', ...BUNDLES.dev_BobPhone1, oneTimePreKeysRemaining: 0, createdAt: T0 },
      { id: 'dev_BobLaptop1', userId: SEED.bob.userId, name: "Bob's laptop", platform: 'desktop', ...BUNDLES.dev_BobLaptop1, oneTimePreKeysRemaining: 0, createdAt: T0 },
    ],
    chats: [
      {
        id: SEED.chatId,
        type: 'group',
        name: 'Engine room',
        organizationId: SEED.organizationId,
        participants: [
          { userId: SEED.userId, role: 'owner', deviceIds: ['dev_a1', 'dev_b2'], joinedAt: T0 },
          { userId: SEED.bob.userId, role: 'member', deviceIds: [...SEED.bob.deviceIds], joinedAt: T0 },
        ],
        createdAt: T0,
      },
    ],
    subscriptions: [
      {
        id: 'sub_3Pq8Lk2v',
        organizationId: SEED.organizationId,
        plan: 'team_monthly',
        status: 'active',
        provider: 'stripe',
        seats: 10,
        currentPeriodStart: T0,
        currentPeriodEnd: '2027-01-05T09:00:00Z',
        createdAt: T0,
        updatedAt: T0,
      },
    ],
    notifications: [
      { id: 'ntf_1Wq9Re4t', type: 'security', title: 'New sign-in from the Coveton mock', read: false, createdAt: T0, _userId: SEED.userId },
    ],
    permissions: permissionRows(),
  };
  // The spec examples' records come after the quickstart's, which keep their places in lists.
  for (const [collection, rows] of Object.entries(examples)) seed[collection] = [...(seed[collection] ?? []), ...rows];
  return seed;
}

function permissionRows(): Row[] {
  const resources = ['messages', 'chats', 'files', 'organizations', 'members', 'devices', 'sessions', 'billing', 'api-keys', 'audit', 'notifications'];
  const rows: Row[] = [];
  for (const resource of resources) {
    for (const action of ['read', 'write', 'delete']) {
      rows.push({ id: `${resource}:${action}`, resource, action, description: `${action[0]!.toUpperCase()}${action.slice(1)} ${resource}.`, admin: false });
    }
  }
  rows.push({ id: 'keys:manage', resource: 'keys', action: 'manage', description: 'Manage API keys (admin).', admin: true });
  rows.push({ id: 'audit:read', resource: 'audit', action: 'read', description: 'Read the audit log (admin).', admin: true });
  return rows.reverse();
}
