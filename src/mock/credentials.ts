// Who may call (seed 000 and the API brief, "Authentication"): the user access tokens this mock
// issued, the API keys it holds (status, allowed IPs and scopes checked), or an `ak_test_` key it
// never issued nor seeded, of the secret's shape, taken as a full-access sandbox key of the
// seeded organization. A key it issued or seeded and no longer holds is a 401 (key-secrets.ts says
// why). Everything else is a 401 whose `reason` says what is wrong. The scope an operation needs is the spec's x-access
// (access.ts).
import { BlockList, isIP } from 'node:net';
import type { Call, MockEnv, Principal } from './engine.js';
import { flatten } from './fill.js';
import { issuedHere } from './key-secrets.js';
import { forbidden, unauthorized } from './reply.js';
import { SEED } from './seed-data.js';

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Whether `ip` is one of `allowed`: addresses or CIDR ranges, IPv4 or IPv6 (IpRange.yaml), in
 * any spelling (`::1` is `0:0:0:0:0:0:0:1`). node:net's BlockList does the matching, and matches
 * IPv4 entries against the IPv4-mapped form (`::ffff:10.0.0.1`) a dual-stack socket reports; an
 * IPv4 request is also tried in that form, for entries written as mapped IPv6. An entry that is
 * no address or range (the spec's IPv6 range pattern is loose) never matches.
 */
export function ipAllowed(ip: string, allowed: string[]): boolean {
  if (isIP(ip) === 0) return false;
  const list = new BlockList();
  for (const entry of allowed) {
    const [base = '', bits, extra] = entry.split('/');
    if (isIP(base) === 0 || extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits))) continue;
    try {
      if (bits === undefined) list.addAddress(base, family(base));
      else list.addSubnet(base, Number(bits), family(base));
    } catch {
      // A prefix longer than the address (`10.0.0.0/33`).
    }
  }
  return list.check(ip, family(ip)) || (isIP(ip) === 4 && list.check(`::ffff:${ip}`, 'ipv6'));
}

function credentialOf(headers: Record<string, string>): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw unauthorized('token_invalid', 'The Authorization header must be `Bearer <token>`.');
    return m[1];
  }
  return headers['x-api-key'];
}

/** The bearer or X-API-Key credential of a request, for the rate limiter's key. */
export function rawCredential(headers: Record<string, string>): string | undefined {
  return headers.authorization?.replace(/^Bearer\s+/i, '') ?? headers['x-api-key'];
}

const shapes = new WeakMap<MockEnv['spec'], RegExp>();

/**
 * The shape of a key secret, as the spec states it (ApiKeyWithSecret's `secret` pattern): read
 * once per spec, since the sandbox shortcut is the path of every request a CI job sends with a
 * made-up key.
 */
function secretShape(env: MockEnv): RegExp {
  let shape = shapes.get(env.spec);
  if (!shape) {
    const schema = flatten(env.spec.doc.components?.schemas?.ApiKeyWithSecret, env.spec.resolve);
    shapes.set(env.spec, (shape = new RegExp(String(schema?.properties?.secret?.pattern))));
  }
  return shape;
}

function keyPrincipal(secret: string, env: MockEnv, ip: string): Principal {
  if (secret.startsWith('ak_live_')) {
    throw unauthorized('wrong_environment', 'This is a sandbox (the Coveton mock): production keys (`ak_live_`) are not accepted; use an `ak_test_` key.');
  }
  if (!secret.startsWith('ak_test_')) throw unauthorized('token_invalid', 'The API key is malformed: keys start `ak_test_` or `ak_live_`.');
  const row = env.store.find('api-keys', (k) => k._secret === secret);
  if (!row) {
    if (issuedHere(secret) || env.seededKeySecrets.has(secret)) {
      throw unauthorized('token_invalid', 'This API key no longer exists: it was deleted, dropped by the mock\'s collection cap, or forgotten by a reset.');
    }
    // The shortcut takes a key of the secret's shape only (ApiKeyWithSecret.yaml): a CI job whose
    // variable is empty (`ak_test_`) or mangled must fail here as it would at the sandbox (found
    // by a hostile review: `ak_test_` and `ak_test_!!!` signed in as Ada).
    if (!secretShape(env).test(secret)) throw unauthorized('token_invalid', 'The API key is malformed: a key is `ak_test_` or `ak_live_` and 24 or more letters and digits.');
    return { kind: 'key', keyId: undefined, userId: SEED.userId, organizationId: SEED.organizationId, environment: 'sandbox', permissions: ['*'] };
  }
  const expired = row.status === 'expired' || (row.expiresAt !== null && Date.parse(row.expiresAt) <= env.now());
  if (row.status === 'revoked') throw unauthorized('key_revoked', 'This API key was revoked.');
  if (row.status === 'suspended') throw unauthorized('key_suspended', 'This API key is suspended.');
  if (expired) throw unauthorized('key_expired', 'This API key has expired.');
  if (row.allowedIps.length > 0 && !ipAllowed(ip, row.allowedIps)) {
    throw forbidden('ip_not_allowed', `Requests from ${ip} are outside this key's allowedIps.`);
  }
  row.lastUsedAt = new Date(env.now()).toISOString();
  return { kind: 'key', keyId: row.id, userId: row._createdBy, organizationId: row._organizationId, environment: row.environment, permissions: row.permissions };
}

/**
 * A sign-in's tokens live exactly as long as its session record. Whatever ends the record ends
 * them: logout, revocation, a password reset (every session of the account), and the collection
 * cap dropping the oldest, which no revocation list would hear of.
 */
export function sessionHeld(env: MockEnv, family: string): boolean {
  return env.store.get('sessions', family) !== undefined;
}

/** Ends a sign-in: its access and refresh tokens answer `session_revoked` from now on. */
export function endSession(env: MockEnv, family: string): void {
  env.store.remove('sessions', family);
}

export function authenticate(call: Pick<Call, 'headers' | 'ip'>, env: MockEnv): Principal {
  const credential = credentialOf(call.headers);
  if (!credential) {
    throw unauthorized('credentials_missing', 'No credential: send `Authorization: Bearer <access token or API key>` or `X-API-Key: <key>`.');
  }
  if (credential.startsWith('ak_') || call.headers.authorization === undefined) return keyPrincipal(credential, env, call.ip);
  const { userId, family, expired } = env.tokens.verify(credential);
  if (!sessionHeld(env, family)) throw unauthorized('session_revoked', 'This session was revoked or logged out: sign in again.');
  if (expired) throw unauthorized('token_expired', 'The access token has expired: refresh it and retry.');
  const member = env.store.find('members', (m) => m.userId === userId && m.status === 'active');
  return { kind: 'user', userId, organizationId: member?.organizationId, sessionId: family };
}

export function holds(permissions: string[], scope: string): boolean {
  return permissions.includes('*') || permissions.includes(scope);
}
