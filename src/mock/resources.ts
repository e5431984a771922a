// The generic half of the state engine: collections read from the spec's paths, not written per
// operation. `POST /x` creates, `GET /x` lists (newest first, `limit`, `before`, the filters the
// operation declares), `GET|PATCH|DELETE /x/{id}` read, update and delete the target that
// x-access found, and `GET /x/{id}/y` lists the `y` whose parent field points at `{id}` (a chat's
// messages, an organization's members). Who sees what is the spec's x-access (access.ts), never
// decided here. Operations that fit no shape get hand-written rules.
import { mayList, singular, visibleRows } from './access.js';
import { fillContext, isoNow, type Call, type Handler, type MockEnv } from './engine.js';
import { cut } from './cursor.js';
import { fill, flatten, visible } from './fill.js';
import { notFound, type Reply } from './reply.js';
import type { Operation, Schema, SpecModel } from '../tools/spec-model.js';
import type { Row } from './state.js';

// Paging and order, not filters: `limit` and `before` are cut.ts's.
const PAGING = new Set(['limit', 'before', 'orderBy']);

/** The schema of one record of `collection`, from the operations that return it. */
export function itemSchema(spec: SpecModel, collection: string): Schema | undefined {
  if (collection === 'users') return spec.operations.find((o) => o.id === 'getCurrentUser')?.successSchema;
  const ops = spec.operations.filter((o) => o.method === 'get');
  const one = ops.find((o) => o.segments.length === 2 && o.segments[0] === collection && o.segments[1]!.startsWith('{'));
  if (one?.successSchema) return one.successSchema;
  const list = ops.find((o) => o.segments[o.segments.length - 1] === collection && spec.resolve(o.successSchema)?.type === 'array');
  if (list) return spec.resolve(spec.resolve(list.successSchema)?.items);
  const single = ops.find((o) => o.segments[0] === collection && o.segments.length === 2);
  return single?.successSchema;
}

/** Whether one of `fields` of `row` holds `text` (without case): a free-text query parameter's `x-search-fields`. */
function holdsText(row: Row, fields: string[], text: string): boolean {
  const needle = text.toLowerCase();
  return fields.some((f) => typeof row[f] === 'string' && row[f].toLowerCase().includes(needle));
}

/**
 * One page of the list of `collection`'s records that pass `of` (a nested list's parent, a
 * user's devices): the rows the caller may see (x-access `lists`), filtered by the query
 * parameters the operation declares (and by no other: found by a hostile review, `?type=` filtered
 * chats, whose list declares no such parameter), ordered and cut (cursor.ts). Free text matches
 * the fields its parameter's `x-search-fields` names, never a hidden one (the review read a key's
 * secret back through `filter`).
 */
export function page(collection: string, call: Call, env: MockEnv, of: (row: Row) => boolean = () => true): Reply {
  const item = flatten(env.spec.resolve(call.op.successSchema)?.items, env.spec.resolve);
  const rows = env.store.all(collection).filter(of);
  const props = (item?.properties ?? {}) as Record<string, Schema>;
  let out = visibleRows(call, env, call.rules.access, rows);
  for (const param of call.op.parameters) {
    const name = String(param.name);
    const raw = call.query[name];
    if (param.in !== 'query' || raw === undefined || PAGING.has(name)) continue;
    const value = Array.isArray(raw) ? raw[0]! : raw;
    const searched = param['x-search-fields'] as string[] | undefined;
    if (searched) out = out.filter((r) => holdsText(r, searched, value));
    else if (name === 'unread') out = out.filter((r) => r.read === (value !== 'true'));
    else if (name in props) out = out.filter((r) => String(r[name]) === value);
    // `actorId` filters on `actor.id`: a filter named for a nested object's id.
    else if (name.endsWith('Id') && name.slice(0, -2) in props) out = out.filter((r) => String(r[name.slice(0, -2)]?.id) === value);
  }
  const orderBy = call.query.orderBy as string | undefined;
  if (orderBy) {
    const field = orderBy.replace(/^-/, '');
    const sign = orderBy.startsWith('-') ? -1 : 1;
    out = [...out].sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
  }
  return { status: 200, body: cut(out, mayList(call, env, call.rules.access, of), collection, call, env).map(visible) };
}

export function genericHandler(op: Operation, spec: SpecModel): Handler | undefined {
  const [first, second, third] = op.segments;
  const isParam = (s: string | undefined) => s?.startsWith('{') ?? false;
  const collection = first!;
  const returnsArray = spec.resolve(op.successSchema)?.type === 'array';
  if (op.segments.length === 1 && op.method === 'post' && op.successStatus === 201) {
    return (call, env) => {
      const row = fill(op.successSchema, { ...call.body, _userId: call.principal?.userId }, fillContext(env, call.principal));
      env.store.put(collection, row);
      return { status: 201, body: visible(row) };
    };
  }
  if (op.segments.length === 1 && op.method === 'get' && returnsArray) {
    return (call, env) => page(collection, call, env);
  }
  if (op.segments.length === 2 && isParam(second)) {
    const param = second!.slice(1, -1);
    // The target x-access found (and may see); without a target rule, the record by its id.
    const load = (call: Call, env: MockEnv) => {
      const row = call.ctx.target ?? env.store.get(collection, call.params[param]!);
      if (!row) throw notFound(singular(collection), call.params[param]!);
      return row;
    };
    if (op.method === 'get') return (call, env) => ({ status: 200, body: visible(load(call, env)) });
    if (op.method === 'patch') {
      return (call, env) => {
        const row = load(call, env);
        Object.assign(row, call.body);
        if ('updatedAt' in row) row.updatedAt = isoNow(env);
        return { status: 200, body: visible(row) };
      };
    }
    if (op.method === 'delete') {
      return (call, env) => {
        load(call, env);
        env.store.remove(collection, call.params[param]!);
        return { status: 204 };
      };
    }
  }
  if (op.segments.length === 3 && isParam(second) && op.method === 'get' && returnsArray) {
    const param = second!.slice(1, -1);
    const parentField = param === 'id' ? `${singular(collection).replace(/ /g, '')}Id` : param;
    return (call, env) => page(third!, call, env, (r) => r[parentField] === call.params[param]);
  }
  return undefined;
}

/** The spec's own example answer, for operations with no state behind them (OAuth starts, payment webhooks). */
export function exampleHandler(op: Operation, spec: SpecModel): Handler {
  return () => {
    const response = spec.resolve(op.raw.responses?.[String(op.successStatus)]);
    const media = response?.content?.['application/json'];
    const example = media?.example ?? (media?.examples ? spec.resolve(Object.values(media.examples as Record<string, Schema>)[0])?.value : undefined);
    const headers: Record<string, string> = {};
    for (const [name, h] of Object.entries((response?.headers ?? {}) as Record<string, Schema>)) {
      const header = spec.resolve(h);
      if (name.toLowerCase() === 'location') headers.location = String(header?.example ?? header?.schema?.example ?? 'https://example.com/');
    }
    return { status: op.successStatus, body: example, headers };
  };
}
