// Hand-written rules where the API has semantics (seed 002, "Authentication"): registration and
// login open a session (a token family), refresh rotates, logout and session revocation end the
// family, and `/auth/me`, `/users/me` answer for the token's user.
import { fillContext, isoNow, type Call, type Handler, type MockEnv } from '../engine.js';
import { fill, visible } from '../fill.js';
import { mayList, visibleRows } from '../access.js';
import { unauthorized } from '../reply.js';
import { endSession } from '../credentials.js';
import { cut } from '../cursor.js';
import { itemSchema } from '../resources.js';
import { base62, newId } from '../../tools/ids.js';

/** A new sign-in of `userId`: its session record and its first token pair. */
export function openSession(userId: string, call: Call, env: MockEnv) {
  const sessionId = newId('sess_');
  env.store.put('sessions', {
    id: sessionId,
    deviceId: null,
    userAgent: call.headers['user-agent'] ?? null,
    ipAddress: call.ip.replace(/^::ffff:/, ''),
    location: null,
    current: false,
    createdAt: isoNow(env),
    lastSeenAt: isoNow(env),
    _userId: userId,
  });
  return env.tokens.issue(userId, sessionId);
}

function userOf(env: MockEnv, userId: string) {
  const user = env.store.get('users', userId);
  if (!user) throw unauthorized('token_invalid', 'The user of this token no longer exists.');
  return user;
}

const register: Handler = (call, env) => {
  const email = String(call.body.email).toLowerCase();
  const now = isoNow(env);
  const user = fill(
    itemSchema(env.spec, 'users'),
    { email, displayName: call.body.displayName, emailVerified: false, locale: 'en-GB', timezone: 'UTC', createdAt: now, updatedAt: now, _password: call.body.password, _registered: true },
    fillContext(env, undefined),
  );
  env.store.put('users', user);
  return { status: 201, body: { ...openSession(user.id, call, env), user: visible(user) } };
};

const login: Handler = (call, env) => {
  const email = String(call.body.email).toLowerCase();
  // x-invariants (passwordMatches) refused a wrong email or password.
  const user = env.store.find('users', (u) => u.email === email)!;
  return { status: 200, body: { ...openSession(user.id, call, env), user: visible(user) } };
};

const refresh: Handler = (call, env) => {
  const pair = env.tokens.rotate(call.body.refreshToken);
  const session = env.store.get('sessions', pair.family);
  if (session) session.lastSeenAt = isoNow(env);
  const { accessToken, refreshToken, tokenType, expiresIn } = pair;
  return { status: 200, body: { accessToken, refreshToken, tokenType, expiresIn } };
};

// An unknown token, or the token of a session already ended, was refused by x-invariants: a
// second logout is a 401, as the contract says.
const logout: Handler = (call, env) => {
  endSession(env, env.tokens.familyOf(call.body.refreshToken)!);
  return { status: 204 };
};

const me: Handler = (call, env) => ({ status: 200, body: visible(userOf(env, call.principal!.userId)) });

const updateMe: Handler = (call, env) => {
  const user = userOf(env, call.principal!.userId);
  Object.assign(user, call.body, { updatedAt: isoNow(env) });
  return { status: 200, body: visible(user) };
};

// A handle matches by prefix, an email only in full, so addresses cannot be enumerated (the spec's searchUsers).
const searchUsers: Handler = (call, env) => {
  const q = String(call.query.q ?? '').toLowerCase();
  const matches = env.store
    .all('users')
    .filter((u) => (typeof u.handle === 'string' && u.handle.toLowerCase().startsWith(q)) || u.email === q);
  // Users are visibleTo anyone (the spec's searchUsers), so any user id is a cursor.
  const found = cut(matches, mayList(call, env, call.rules.access), 'users', call, env).map((u) => ({ id: u.id, handle: u.handle ?? null, displayName: u.displayName, avatarUrl: u.avatarUrl ?? null }));
  return { status: 200, body: found };
};

const listSessions: Handler = (call, env) => {
  const rows = visibleRows(call, env, call.rules.access, env.store.all('sessions'));
  const sessionId = call.principal?.kind === 'user' ? call.principal.sessionId : undefined;
  return { status: 200, body: cut(rows, mayList(call, env, call.rules.access), 'sessions', call, env).map((s) => visible({ ...s, current: s.id === sessionId })) };
};

const revokeSession: Handler = (call, env) => {
  const row = call.ctx.target!;
  endSession(env, row.id);
  env.emit('session.revoked', call.principal?.organizationId ?? null, visible({ ...row, current: false }));
  return { status: 204 };
};

// The reset link's token goes to the outbox (`GET /__mock/outbox`); the answer is a 202 whether
// or not the address has an account, so it cannot be used to find accounts.
const forgotPassword: Handler = (call, env) => {
  const user = env.store.find('users', (u) => u.email === String(call.body.email).toLowerCase());
  if (user) {
    const token = `rst_${base62(32)}`;
    // Kept in the store (not a schema'd collection) so that a reset forgets it too.
    env.store.put('_reset-tokens', { id: token, userId: user.id, expiresAt: env.now() + 3_600_000 });
    env.mail(user.email, 'Reset your Coveton password', token);
  }
  return { status: 202 };
};

const resetPassword: Handler = (call, env) => {
  // x-invariants (resetTokenValid) refused an unknown, used or expired token.
  const entry = env.store.get('_reset-tokens', call.body.token)!;
  env.store.remove('_reset-tokens', call.body.token);
  const user = env.store.get('users', entry.userId);
  if (user) Object.assign(user, { _password: call.body.password, updatedAt: isoNow(env) });
  // A new password ends every session of the account (every refresh-token family): those the
  // collection cap dropped are ended already (credentials.ts, sessionHeld).
  for (const session of env.store.all('sessions').filter((s) => s._userId === entry.userId)) endSession(env, session.id);
  return { status: 204 };
};

export const authRules: Record<string, Handler> = {
  registerAccount: register,
  login,
  refreshTokens: refresh,
  logout,
  getAuthenticatedAccount: me,
  getCurrentUser: me,
  updateCurrentUser: updateMe,
  searchUsers,
  listSessions,
  revokeSession,
  requestPasswordReset: forgotPassword,
  resetPassword,
  testAuth: () => ({ status: 200, body: { msg: 'Auth successful' } }),
};
