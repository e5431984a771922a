// "Who can call this" and "Errors this operation returns" on each operation page, written from
// the operation's x-access, x-invariants and x-audit (spec/README.md): the same rules the mock
// enforces and `coveton contract --write` checks, so the page cannot say something else.
import { deref, mediaExample } from './contract.mjs';
import { inlineCode, oneLine, safeMarkdown, table } from './pages/text.mjs';

const CREDENTIAL_REASONS = ['credentials_missing', 'token_invalid', 'token_expired', 'session_revoked', 'key_revoked', 'key_suspended', 'key_expired', 'wrong_environment'];
const RESPONSES = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 422: 'Validation', 429: 'RateLimited' };
const CODES = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 422: 'VALIDATION', 429: 'RATE_LIMITED' };

const AUDIENCE = {
  anyone: 'any signed-in caller',
  members: "members of the record's organization (and its API keys)",
  owner: 'the user it belongs to',
  participants: 'the participants of its chat',
  recipients: 'its uploader, and the participants of a chat with a message that references it',
};

const code = inlineCode;
const list = (items, last = 'or') => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`);
const what = (collection) => collection.replace(/ies$/, 'y').replace(/s$/, '').replace(/-/g, ' ');
const refText = (ref) => {
  const [source, ...rest] = ref.split('.');
  if (source === 'path' || source === 'query') return `the ${code(rest.join('.'))} ${source} parameter`;
  if (source === 'body') return `${code(rest.join('.'))} in the body`;
  if (source === 'effect') return `the change the processor's event confirmed (${code(rest.join('.'))})`;
  return code(ref);
};

/** The raw operation of a page's entry. */
function operationOf(spec, entry) {
  return spec.paths?.[entry.path]?.[entry.method.toLowerCase()];
}

function accessLines(access) {
  const lines = [];
  if (access.caller === 'public') lines.push('Anyone: no credential is needed.');
  if (access.caller === 'signature') lines.push("The payment processor only: the request must carry the processor's signature header, which Coveton verifies.");
  if (access.caller === 'any') lines.push('A signed-in user (access token) or an API key.');
  if (access.caller === 'user') lines.push(`A signed-in user's access token only: an API key is refused (403 ${code('user_required')}).`);
  if (access.scope) lines.push(`An API key needs the ${code(access.scope)} scope (else 403 ${code('insufficient_scope')}); users are not limited by scopes.`);
  if (access.target) {
    const t = access.target;
    lines.push(
      `The ${what(t.collection)} (${refText(t.id)}) must be visible to you: ${list(t.visibleTo.map((a) => AUDIENCE[a]))}. Otherwise 404, exactly as if it did not exist${t.expires ? `; also once its ${code(t.expires)} has passed` : ''}.`,
    );
  }
  for (const r of access.references ?? []) {
    lines.push(`Every ${what(r.collection)} named by ${refText(r.ids)} must exist and be visible to you${r.sameOrganization ? ', in the same organization' : ''} (else 404).`);
  }
  if (access.lists) {
    const l = access.lists;
    const who = l.visibleTo ? `only those visible to you (${list(l.visibleTo.map((a) => AUDIENCE[a]))})` : `only those of the ${what(access.target?.collection ?? 'organization')}`;
    lines.push(`Of the ${l.collection.replace(/-/g, ' ')}, ${who}${l.expires ? `, and none past its ${code(l.expires)}` : ''}.`);
  }
  for (const r of access.require ?? []) {
    if (r.roles) lines.push(`Your role in the organization: ${list(r.roles, 'or')} (else 403 ${code(r.reason)}). API keys are not members: their scope decides.`);
    else if (r.self) lines.push(`You must be the ${what(access.target.collection)}'s ${code(r.self)} (else 403 ${code(r.reason)}).`);
    else lines.push(`Refused with 403 ${code(r.reason)} when ${safeMarkdown(r.when)}.`);
  }
  return lines;
}

/**
 * The errors an operation returns, from its rules: `{ status, reason?, when, text? }`, `when` as
 * Markdown; `text`, the plain sentence, only on the rows particular to the operation.
 */
function errorRows(op) {
  const access = op['x-access'];
  const documented = new Set(Object.keys(op.responses ?? {}));
  const rows = [];
  const row = (status, reason, when, text) => rows.push({ status, reason, when, text });
  if (access.caller === 'signature') {
    row(401, 'credentials_missing', "the processor's signature header is missing");
    row(400, 'signature_invalid', 'the signature does not verify, or its timestamp is stale', 'the signature does not verify, or its timestamp is stale');
  }
  if (access.caller === 'any' || access.caller === 'user') {
    row(401, undefined, `no credential, or one that is malformed, expired or revoked: reason ${list(CREDENTIAL_REASONS.map(code))}`);
    row(403, 'ip_not_allowed', "an API key used from outside its `allowedIps`");
  }
  if (access.caller === 'user') row(403, 'user_required', 'the caller is an API key', 'an API key cannot call this operation; sign in as a user');
  if (access.scope) row(403, 'insufficient_scope', `an API key without the ${code(access.scope)} scope`, `the API key lacks the ${access.scope} scope`);
  if (access.target) {
    const thing = what(access.target.collection);
    row(404, undefined, `the ${thing} does not exist or is not visible to you`, `no ${thing} with that id`);
  }
  for (const r of access.references ?? []) row(404, undefined, `a ${what(r.collection)} named by ${refText(r.ids)} does not exist or is not visible to you`, `no ${what(r.collection)} with that id`);
  for (const r of access.require ?? []) {
    if (r.roles) row(403, r.reason, `your role is not ${list(r.roles)}`, `your role is not ${list(r.roles)}`);
    else if (r.self) row(403, r.reason, `you are not the ${what(access.target.collection)}'s ${code(r.self)}`, `you are not the ${what(access.target.collection)}'s ${r.self}`);
    else row(403, r.reason, safeMarkdown(r.when), r.when);
  }
  for (const inv of op['x-invariants'] ?? []) row(inv.status, inv.reason, safeMarkdown(inv.when), inv.when);
  if (documented.has('400')) row(400, undefined, 'the request breaks the contract (a parameter, a header, malformed JSON)');
  if (documented.has('422')) row(422, undefined, 'the body fails validation; `details[]` names each field');
  if (documented.has('429')) row(429, undefined, 'more than 120 requests a minute from your address or with your credential; wait `Retry-After` seconds');
  return rows;
}

function auditLines(audit) {
  return audit.map((entry) => {
    const [ref, value] = entry.if?.split(' == ') ?? [];
    const condition = !ref ? '' : value !== undefined ? ` when ${refText(ref)} is ${code(value)}` : ref.startsWith('effect.') ? ` when the processor's event confirmed a change (${code(ref.slice(7))})` : ` when the request sets ${refText(ref)}`;
    const where = entry.organization === 'caller' ? 'each organization you belong to' : 'the organization';
    const metadata = Object.keys(entry.metadata ?? {});
    return `${code(entry.action)}${condition}, to the audit log of ${where} (target: ${safeMarkdown(entry.target.type)}${metadata.length ? `; metadata: ${metadata.map(code).join(', ')}` : ''}).`;
  });
}

/** The Markdown of the rule sections of an operation's page; '' for an event. */
export function rulesSections(spec, entry) {
  const op = entry.kind === 'operation' ? operationOf(spec, entry) : undefined;
  if (!op?.['x-access']) return '';
  const parts = ['## Who can call this {#access}', '', ...accessLines(op['x-access']).map((l) => `- ${oneLine(l)}`), ''];
  const rows = errorRows(op).map((r) => [code(r.status), code(CODES[r.status] ?? ''), r.reason ? code(r.reason) : '', oneLine(r.when)]);
  parts.push('## Errors this operation returns {#errors}', '', table(['Status', 'Code', 'Reason', 'When'], rows), '');
  const audit = auditLines(op['x-audit'] ?? []);
  parts.push('### Audit log {#audit}', '', audit.length ? 'On success, this appends:' : 'This writes nothing to the audit log.', '', ...audit.map((l) => `- ${oneLine(l)}`), '');
  return parts.join('\n');
}

/**
 * An example error body for each status the operation can answer, in the order of its errors
 * table: the spec's example of that response, made particular by the operation's first own rule
 * for the status (its reason, and its condition as the message).
 */
export function errorExamples(spec, entry) {
  const op = entry.kind === 'operation' ? operationOf(spec, entry) : undefined;
  if (!op?.['x-access']) return [];
  const rows = errorRows(op);
  const statuses = [...new Set(rows.map((r) => r.status))];
  return statuses.map((status) => {
    const own = rows.find((r) => r.status === status && r.text) ?? rows.find((r) => r.status === status);
    const response = deref(spec, op.responses?.[status] ?? spec.components.responses?.[RESPONSES[status]]);
    const { details, ...base } = mediaExample(spec, response?.content?.['application/json'])?.error ?? { message: '', requestId: 'req_7Hc2pQ9x' };
    const error = { ...base, code: CODES[status] ?? base.code };
    const sentence = own.text?.replace(/`/g, '');
    // A sentence opens with a capital, unless it opens with a name (`senderDeviceId ...`).
    if (sentence) error.message = `${own.text.startsWith('`') ? sentence[0] : sentence[0].toUpperCase()}${sentence.slice(1)}.`;
    if (own.reason) error.reason = own.reason;
    else if (own.text) delete error.reason;
    if (details && !own.text) error.details = details;
    return { status: String(status), body: { error } };
  });
}
