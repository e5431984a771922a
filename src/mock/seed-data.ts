// The state every mock starts with (and returns to on `POST /__mock/reset`): the README
// quickstart's user, organization, chat and devices, so `examples/quickstart.ts` runs unchanged.
// Rows are partial: the seeder completes them with the schema's server-set fields.
import type { Row } from './state.js';

export const SEED = {
  userId: 'usr_4AdaL9xQ',
  email: 'ada@example.com',
  password: 'a-strong-passphrase',
  organizationId: 'org_7Qk2mP4x',
  chatId: 'chat_8f2a',
} as const;

const T0 = '2026-01-05T09:00:00Z';
/** The time seed records are made at, when they do not say. */
export const SEED_TIME = T0;
const KEY = 'QkFTRTY0X1BVQkxJQ19LRVk=';

export type SeedDocument = Record<string, Row[]>;

export function defaultSeed(): SeedDocument {
  return {
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
      { id: 'dev_a1', userId: SEED.userId, name: 'Ada laptop', platform: 'desktop', identityKey: 'QURBX0xBUFRPUF9JREVOVElUWV9LRVlfMQ==', signedPreKey: { keyId: 1, publicKey: KEY, signature: KEY }, oneTimePreKeysRemaining: 50, createdAt: T0 },
      { id: 'dev_b2', userId: SEED.userId, name: 'Ada phone', platform: 'ios', identityKey: 'QURBX1BIT05FX0lERU5USVRZX0tFWV8wMg==', signedPreKey: { keyId: 1, publicKey: KEY, signature: KEY }, oneTimePreKeysRemaining: 50, createdAt: T0 },
    ],
    chats: [
      {
        id: SEED.chatId,
        type: 'group',
        name: 'Engine room',
        organizationId: SEED.organizationId,
        participants: [{ userId: SEED.userId, role: 'owner', deviceIds: ['dev_a1', 'dev_b2'], joinedAt: T0 }],
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
