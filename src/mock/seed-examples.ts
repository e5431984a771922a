// The records the spec's request examples name (spec/paths/*.yaml), seeded so that every
// operation's example, as the docs' samples and Try it send it, finds what it refers to: the
// example API key, team, department, role, chat, message and session of Ada's organization, and
// the colleagues (Charles, Katherine) and contact (Bob) the examples mention; and what the
// examples hold that a user would have received by email or from an earlier call: the refresh
// tokens of refresh and logout, the password-reset token, Bob's invite token, an OAuth flow's code,
// an uploaded file.
// Rows are partial, completed by the seeder like seed-data.ts's. Names differ from the create
// examples', which would otherwise be taken.
import { deviceKeyBundle } from '../tools/device-keys.js';
import type { Row } from './state.js';
import type { FileStorage } from './storage.js';
import type { Tokens } from './tokens.js';

const T0 = '2026-01-05T09:00:00Z';
const ORG = 'org_7Qk2mP4x';
const ADA = 'usr_4AdaL9xQ';
// The examples' one-time tokens do not expire: a seeded example that rots would fail every copy.
const NEVER = '9999-12-31T23:59:59Z';
const UPLOADED = { id: 'file_92abH4tW', filename: 'report.enc', contentType: 'application/octet-stream', size: 64 };

const user = (id: string, email: string, displayName: string, handle: string): Row => ({
  id,
  email,
  password: 'a-strong-passphrase',
  emailVerified: true,
  displayName,
  handle,
  locale: 'en-GB',
  timezone: 'Europe/London',
  createdAt: T0,
  updatedAt: T0,
});

const device = (id: string, userId: string, name: string, platform: string): Row => ({
  id,
  userId,
  name,
  platform,
  // Real keys derived from the id (as scripts/e2e/bundles.mjs makes the spec's): the mock's
  // contract check refuses a device list holding a key that is not a tagged Ed25519 key.
  ...deviceKeyBundle(id),
  oneTimePreKeysRemaining: 50,
  createdAt: T0,
});

export function exampleSeed(): Record<string, Row[]> {
  return {
    users: [user('usr_9Tn4Vb6c', 'charles@example.com', 'Charles Babbage', 'charles'), user('usr_3Fh8Lw2a', 'katherine@example.com', 'Katherine Johnson', 'katherine')],
    // Bob is seed-data.ts's (with his own password and devices); only his example device is added here.
    members: [
      { id: 'mem_8Kp3Zs1f', organizationId: ORG, userId: 'usr_9Tn4Vb6c', email: 'charles@example.com', displayName: 'Charles Babbage', role: 'member', status: 'active', joinedAt: T0 },
      { id: 'mem_2Hq7Wd4n', organizationId: ORG, userId: 'usr_3Fh8Lw2a', email: 'katherine@example.com', displayName: 'Katherine Johnson', role: 'admin', status: 'active', joinedAt: T0 },
    ],
    devices: [device('dev_a1Xk93', ADA, 'Ada desktop', 'desktop'), device('dev_a4Tb20', ADA, 'Ada tablet', 'android'), device('dev_b2Lm47', 'usr_7BobT2zR', 'Bob phone', 'ios')],
    chats: [
      {
        id: 'chat_8f2aK3mQ',
        // A group: the direct chat with Bob is what createChat's example makes.
        type: 'group',
        name: 'Ada and Bob',
        organizationId: null,
        participants: [
          { userId: ADA, role: 'owner', deviceIds: ['dev_a1Xk93', 'dev_a4Tb20'], joinedAt: T0 },
          { userId: 'usr_7BobT2zR', role: 'member', deviceIds: ['dev_b2Lm47'], joinedAt: T0 },
        ],
        createdAt: T0,
      },
    ],
    messages: [
      {
        id: 'msg_01J0A7Q3ZK8F',
        chatId: 'chat_8f2aK3mQ',
        senderId: ADA,
        senderDeviceId: 'dev_a1Xk93',
        contentType: 'text/plain',
        ciphertext: 'QkFTRTY0X09QQVFVRV9DSVBIRVJURVhU',
        envelopes: [
          { deviceId: 'dev_a4Tb20', header: 'U0VBTEVEX0tFWV9GT1JfREVWSUNFX0E0' },
          { deviceId: 'dev_b2Lm47', header: 'U0VBTEVEX0tFWV9GT1JfREVWSUNFX0Iy' },
        ],
        fileIds: [],
        reactions: [],
        expiresAt: null,
        editedAt: null,
        createdAt: T0,
      },
    ],
    'api-keys': [
      { id: 'key_01HZX3K8W2Q9', name: 'CI Pipeline', description: 'Deploys from GitHub Actions', type: 'service', environment: 'sandbox', permissions: ['messages:read', 'chats:read'], allowedIps: [], status: 'active', statusReason: null, keyPrefix: 'ak_test_Mdi9ewW3', createdAt: T0, lastUsedAt: null, expiresAt: null },
    ],
    departments: [{ id: 'dept_6Ny1Cd7g', organizationId: ORG, name: 'Research', description: 'Cryptography research and audits.', headUserId: 'usr_3Fh8Lw2a', createdAt: T0, updatedAt: T0 }],
    teams: [{ id: 'team_4Wm9Ht2k', organizationId: ORG, name: 'Messaging', description: 'Owns the message relay.', departmentId: 'dept_6Ny1Cd7g', memberIds: ['mem_5Rj2Xq8d', 'mem_8Kp3Zs1f'], createdAt: T0, updatedAt: T0 }],
    roles: [{ id: 'role_2Bv5Gx9p', organizationId: ORG, name: 'Auditor', description: 'Reads chats and files for audits.', permissions: ['chats:read', 'messages:read', 'files:read'], builtIn: false, createdAt: T0, updatedAt: T0 }],
    // resetPassword's and acceptInvite's tokens, as the emails would have carried them (the
    // invite is Bob's: he is not a member yet, and accepts it signed in as himself).
    '_reset-tokens': [{ id: 'prt_4c8e2a9f1b7d3e6a0c5f', userId: ADA, expiresAt: Date.parse(NEVER) }],
    invites: [{ id: 'inv_3Bq8Xw5k', organizationId: ORG, email: 'bob@example.com', role: 'member', status: 'pending', invitedBy: ADA, expiresAt: NEVER, createdAt: T0, token: 'ivt_Xp9rT2mW7kQ4nB8vL3cF6hJ1sD5gZ0yA' }],
    // completeOAuth's code and state, as a start and the provider's consent would have issued them.
    '_oauth-flows': [{ id: 'st_5b2e9c71a4d8f036', provider: 'google', code: '4/0AfJohXk9example-code', redirectUri: 'https://app.example.com/oauth/callback', expiresAt: Date.parse(NEVER) }],
    files: [{ ...UPLOADED, _userId: ADA, createdAt: T0 }],
    sessions: [{ id: 'sess_7b1d', deviceId: 'dev_b2', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)', ipAddress: '2001:db8:85a3::8a2e:370:7334', location: 'Paris, FR', current: false, createdAt: T0, lastSeenAt: T0, _userId: ADA }],
  };
}

/**
 * What the seed's rows cannot hold: refreshTokens' and logout's example refresh tokens, as
 * tokens of Ada's example session, and the bytes of the example's uploaded file.
 */
export function applyExampleSecrets(tokens: Tokens, storage: FileStorage): void {
  for (const token of ['rt_9d1f6c0a2b7e4a8f9c2e1b0d5e6f7a8b', 'rt_4e8a1c7f0b3d9e2a6c5f8b1d0e7a3c9f']) tokens.adopt(token, ADA, 'sess_7b1d');
  storage.seed(UPLOADED.id, Buffer.alloc(UPLOADED.size, 7));
}
