// The shape of the rules every operation states (`x-access`, `x-invariants`, `x-audit`), as a
// JSON Schema, and the checks a schema cannot make: references that name real parameters and
// fields, reasons the API defines, statuses the operation documents. spec/README.md explains the
// format; the Redocly plugin beside this file runs it in `npm run lint:spec`.
import Ajv2020 from 'ajv/dist/2020.js';

const REF = '^(path|query|body|target|caller|response|effect)(\\.[A-Za-z_][A-Za-z0-9_]*)*$';
const name = { type: 'string', pattern: '^[a-z][a-z-]*$' };
const reason = { type: 'string', pattern: '^[a-z][a-z_]*$' };
const when = { type: 'string', minLength: 5, maxLength: 300 };
const audiences = { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['anyone', 'members', 'owner', 'participants', 'recipients', 'contacts'] } };
const ref = { type: 'string', pattern: REF };

const target = {
  type: 'object',
  additionalProperties: false,
  required: ['collection', 'id', 'visibleTo'],
  properties: { collection: name, id: ref, match: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' }, organization: ref, visibleTo: audiences, expires: { type: 'string' } },
};

export const ACCESS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['caller'],
  properties: {
    caller: { enum: ['public', 'signature', 'any', 'user'] },
    scope: { type: 'string', pattern: '^[a-z-]+:[a-z]+$' },
    target,
    references: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ids', 'collection', 'visibleTo'],
        properties: { ids: ref, collection: name, match: target.properties.match, visibleTo: audiences, sameOrganization: { const: true } },
      },
    },
    lists: {
      type: 'object',
      additionalProperties: false,
      required: ['collection'],
      properties: { collection: name, visibleTo: audiences, expires: { type: 'string' } },
    },
    require: {
      type: 'array',
      minItems: 1,
      items: {
        oneOf: [
          { type: 'object', additionalProperties: false, required: ['roles', 'reason'], properties: { roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['owner', 'admin', 'member'] } }, reason } },
          { type: 'object', additionalProperties: false, required: ['self', 'reason'], properties: { self: { type: 'string' }, reason } },
          { type: 'object', additionalProperties: false, required: ['check', 'reason', 'when'], properties: { check: { type: 'string', pattern: '^[a-z][A-Za-z]+$' }, reason, when } },
        ],
      },
    },
  },
};

const invariantBase = { status: { enum: [400, 401, 403, 409, 422] }, reason, when };
const kinds = {
  unique: {
    type: 'object',
    additionalProperties: false,
    required: ['collection', 'match'],
    properties: { collection: name, match: { type: 'object', minProperties: 1, additionalProperties: ref }, among: { type: 'object', minProperties: 1 } },
  },
  state: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'in'],
    properties: { of: { enum: ['target', 'organization'] }, field: { type: 'string' }, in: { type: 'array', minItems: 1 }, whenBody: { type: 'string' } },
  },
  expired: { type: 'string' },
  check: { type: 'string', pattern: '^[a-z][A-Za-z]+$' },
};

export const INVARIANTS_SCHEMA = {
  type: 'array',
  items: {
    oneOf: Object.entries(kinds).map(([kind, schema]) => ({
      type: 'object',
      additionalProperties: false,
      required: ['status', 'reason', 'when', kind],
      properties: { ...invariantBase, [kind]: schema },
    })),
  },
};

export const AUDIT_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'target'],
    properties: {
      action: { type: 'string', pattern: '^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$', maxLength: 100 },
      if: { type: 'string', pattern: `^${REF.slice(1, -1)}( == [A-Za-z0-9_.-]+)?$` },
      organization: { anyOf: [{ const: 'caller' }, ref] },
      actor: { const: 'system' },
      target: { type: 'object', additionalProperties: false, required: ['type', 'id'], properties: { type: { type: 'string', pattern: '^[a-z_]+$' }, id: ref } },
      metadata: { type: 'object', additionalProperties: ref },
    },
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = { 'x-access': ajv.compile(ACCESS_SCHEMA), 'x-invariants': ajv.compile(INVARIANTS_SCHEMA), 'x-audit': ajv.compile(AUDIT_SCHEMA) };

/**
 * What is wrong with one operation's rules. `op` is the operation as written; `facts` what the
 * rules may refer to: `{ pathParams, queryParams, bodyFields (or undefined without a body),
 * statuses, security ('public' | 'signature' | 'default'), reasons, collections, hasResponseBody }`.
 * Returns `[{ key, message }]`, `key` being the extension the problem is in.
 */
export function ruleProblems(op, facts) {
  const problems = [];
  const report = (key, message) => problems.push({ key, message });
  for (const key of Object.keys(validators)) {
    if (op[key] === undefined) {
      report(key, `${key} is missing: every operation states ${key} (use [] for none${key === 'x-access' ? '; x-access is an object' : ''})`);
      continue;
    }
    const validate = validators[key];
    if (!validate(op[key])) {
      for (const e of validate.errors.filter((x) => x.keyword !== 'oneOf' && x.keyword !== 'if')) report(key, `${key}${e.instancePath.replace(/\//g, '.')}: ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
      if (validate.errors.every((x) => x.keyword === 'oneOf' || x.keyword === 'if')) report(key, `${key}: an entry matches none of the allowed forms`);
    }
  }
  if (problems.length > 0) return problems;
  const access = op['x-access'];
  const invariants = op['x-invariants'];
  const audit = op['x-audit'];

  const expected = { public: 'public', signature: 'signature', default: null }[facts.security];
  if (expected && access.caller !== expected) report('x-access', `x-access.caller must be ${expected}: the operation's security says so`);
  if (!expected && !['any', 'user'].includes(access.caller)) report('x-access', `x-access.caller must be any or user: the operation needs a credential`);
  if (['public', 'signature'].includes(access.caller) && (access.scope || access.target || access.require || access.lists || access.references)) {
    report('x-access', `a ${access.caller} operation has no caller to check: only caller is allowed`);
  }

  const needStatus = (key, status, why) => {
    if (!facts.statuses.includes(String(status))) report(key, `${why} answers ${status}, which the operation's responses do not document`);
  };
  const needReason = (key, r) => {
    if (!facts.reasons.includes(r)) report(key, `reason ${r} is not a value of ErrorReason (components/schemas/ErrorReason.yaml)`);
  };
  const checkRef = (key, text, { target = Boolean(access.target), after = false } = {}) => {
    const [source, field, ...rest] = text.split('.');
    if (source === 'path' && !facts.pathParams.includes(field)) report(key, `${text}: the path has no parameter ${field}`);
    if (source === 'query' && !facts.queryParams.includes(field)) report(key, `${text}: the operation has no query parameter ${field}`);
    if (source === 'body' && facts.bodyFields === undefined) report(key, `${text}: the operation takes no request body`);
    if (source === 'body' && field !== undefined && facts.bodyFields && !facts.bodyFields.includes(field)) report(key, `${text}: the request body has no field ${field}`);
    if (source === 'target' && !target) report(key, `${text}: x-access names no target`);
    if (source === 'caller' && !['userId', 'organizationId', 'email'].includes(field)) report(key, `${text}: the caller has userId, organizationId and email`);
    if (source === 'response' && (!after || !facts.hasResponseBody)) report(key, `${text}: only x-audit may read the answer, and only of an operation that answers with a body`);
    if (source === 'effect' && !after) report(key, `${text}: only x-audit may read what the operation did`);
    if (source !== 'body' && source !== 'response' && source !== 'effect' && rest.length > 0) report(key, `${text}: one field deep at most`);
  };
  const checkCollection = (key, c) => {
    if (!facts.collections.includes(c)) report(key, `collection ${c} is not a resource of the API's paths`);
  };

  if (access.scope && !/^(messages|chats|files|organizations|members|devices|sessions|billing|api-keys|audit|notifications):(read|write|delete)$|^keys:manage$|^audit:read$/.test(access.scope)) {
    report('x-access', `x-access.scope ${access.scope} is not a scope of PermissionScope`);
  }
  if (access.scope) needStatus('x-access', 403, 'a scope');
  if (access.caller === 'user') (needStatus('x-access', 403, 'caller user'), needReason('x-access', 'user_required'));
  if (access.caller === 'signature') (needStatus('x-access', 400, 'caller signature'), needStatus('x-access', 401, 'caller signature'), needReason('x-access', 'signature_invalid'));
  if (access.target) {
    checkCollection('x-access', access.target.collection);
    checkRef('x-access', access.target.id);
    if (access.target.organization) checkRef('x-access', access.target.organization);
    needStatus('x-access', 404, 'a target');
  }
  for (const r of access.references ?? []) {
    checkCollection('x-access', r.collection);
    checkRef('x-access', r.ids);
    needStatus('x-access', 404, 'a reference');
    if (r.sameOrganization && !access.target) report('x-access', `a sameOrganization reference needs a target to take the organization from`);
  }
  if (access.lists) {
    checkCollection('x-access', access.lists.collection);
    if (!access.lists.visibleTo && !access.target) report('x-access', 'x-access.lists without visibleTo lists the records of the target: name one');
  }
  for (const rule of access.require ?? []) {
    needStatus('x-access', 403, 'a require rule');
    needReason('x-access', rule.reason);
    if (rule.self !== undefined && !access.target) report('x-access', `require self: ${rule.self} compares a field of the target: name one`);
  }
  for (const inv of invariants) {
    needStatus('x-invariants', inv.status, `the invariant ${inv.reason}`);
    needReason('x-invariants', inv.reason);
    if (inv.unique) {
      checkCollection('x-invariants', inv.unique.collection);
      for (const r of Object.values(inv.unique.match)) checkRef('x-invariants', r);
    }
    if ((inv.state && inv.state.of !== 'organization') || inv.expired) {
      if (!access.target) report('x-invariants', `the invariant ${inv.reason} reads the target: x-access names none`);
    }
    if (inv.state?.whenBody && facts.bodyFields && !facts.bodyFields.includes(inv.state.whenBody)) report('x-invariants', `whenBody ${inv.state.whenBody}: the request body has no such field`);
  }
  for (const entry of audit) {
    const refs = [entry.target.id, ...Object.values(entry.metadata ?? {}), ...(entry.if ? [entry.if.split(' == ')[0]] : []), ...(entry.organization && entry.organization !== 'caller' ? [entry.organization] : [])];
    for (const r of refs) checkRef('x-audit', r, { after: true });
  }
  if (audit.length > 0 && !facts.statuses.some((s) => /^2/.test(s))) report('x-audit', 'x-audit is written on success: the operation has no 2xx answer');
  return problems;
}
