// What the api-keys commands do, on the SDK's `apiKeys` resource: rows for people (a table on a
// terminal, tab-separated lines in a pipe), JSON for scripts. Loaded only when one of them runs.
import { PaginationError, UnexpectedResponseError, type ApiKey, type ApiKeyEnvironment, type ApiKeyStatus, type ApiKeyType } from '../../index.js';
import type { Context } from '../context.js';
import { EXIT } from '../../tools/exit-codes.js';
import { CommandFailure, UsageError } from '../../tools/failures.js';
import { confirm } from '../prompt.js';
import { statusColor } from '../style.js';
import { printable } from '../terminal-text.js';
import type { ENVS, ORDER_BY, STATUSES, TYPES } from './api-keys.js';

type Status = ApiKeyStatus;
type Env = ApiKeyEnvironment;
type KeyType = ApiKeyType;

/** The option lists of api-keys.ts hold every value of the spec's enums, and nothing else. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _exhaustive: [Same<Status, (typeof STATUSES)[number]>, Same<Env, (typeof ENVS)[number]>, Same<KeyType, (typeof TYPES)[number]>] = [true, true, true];
void _exhaustive;

export const KEY_COLUMNS = ['ID', 'NAME', 'TYPE', 'ENV', 'STATUS', 'PERMISSIONS', 'LAST USED'] as const;
const STATUS_COLUMN = 4;
/** NAME and PERMISSIONS give way first on a narrow terminal. */
const FREE_TEXT = [1, 5];

const TEXT_FIELDS = ['id', 'name', 'type', 'environment', 'status'] as const;

/**
 * Holds a key to what a view shows of it. The SDK checks that an answer is the JSON object or
 * list the spec promises, not each field: a key lacking what is printed is the server breaking
 * the contract, said as such (describe.ts: exit 1, --json type contract_error), never a
 * TypeError nor an "undefined" in the output. Every text view (row, create, update) asks here;
 * --json passes the server's data on as it is.
 */
function checkKey(key: ApiKey, operation: string, status: number, also: readonly ('secret' | 'statusReason')[] = []): void {
  const wrong: string[] = TEXT_FIELDS.filter((field) => typeof key[field] !== 'string');
  if (!Array.isArray(key.permissions) || !key.permissions.every((p) => typeof p === 'string')) wrong.push('permissions');
  if (key.lastUsedAt != null && typeof key.lastUsedAt !== 'string') wrong.push('lastUsedAt');
  // A new key's secret is required (ApiKeyCreated); a statusReason is a string or null when present.
  const secret = (key as ApiKey & { secret?: unknown }).secret;
  if (also.includes('secret') && (typeof secret !== 'string' || secret === '')) wrong.push('secret');
  if (also.includes('statusReason') && key.statusReason != null && typeof key.statusReason !== 'string') wrong.push('statusReason');
  if (wrong.length > 0) throw new UnexpectedResponseError(operation, status, `a key whose ${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} missing or not of the spec's type`);
}

/** A key's row, its fields checked first (checkKey). */
export function keyRow(key: ApiKey, operation: string): string[] {
  checkKey(key, operation, 200);
  return [key.id, key.name, key.type, key.environment, key.status, key.permissions.join(','), key.lastUsedAt ?? 'never'];
}

export interface ListOptions {
  filter?: string;
  pageSize: number;
  limit?: number;
  orderBy?: (typeof ORDER_BY)[number];
  status?: Status;
  environment?: Env;
  type?: KeyType;
}

/**
 * Every page, printed as it arrives: memory holds one page, however long the list. The SDK's
 * pagination stops a cursor that does not advance; what was printed stays printed.
 */
export async function list(ctx: Context, opts: ListOptions): Promise<void> {
  const query = {
    limit: opts.limit === undefined ? opts.pageSize : Math.min(opts.pageSize, opts.limit),
    ...(opts.filter !== undefined && { filter: opts.filter }),
    ...(opts.orderBy !== undefined && { orderBy: opts.orderBy }),
    ...(opts.status !== undefined && { status: opts.status }),
    ...(opts.environment !== undefined && { environment: opts.environment }),
    ...(opts.type !== undefined && { type: opts.type }),
  };
  const spinner = ctx.out.spinner('Fetching API keys');
  const rows = ctx.json ? undefined : ctx.out.rowWriter(KEY_COLUMNS, STATUS_COLUMN, FREE_TEXT);
  const array = ctx.json ? ctx.out.arrayWriter() : undefined;
  let count = 0;
  try {
    for await (const page of ctx.client().apiKeys.list(query).pages()) {
      spinner.stop();
      const batch = opts.limit === undefined ? page : page.slice(0, opts.limit - count);
      if (array) array.items(batch);
      else rows!.rows(batch.map((key) => keyRow(key, 'apiKeys.list (GET /api-keys)')));
      count += batch.length;
      if (opts.limit !== undefined && count >= opts.limit) break;
    }
  } catch (error) {
    // Any other answer that breaks the contract (not JSON, a redirect) is described as such by describe.ts.
    if (!(error instanceof PaginationError)) throw error;
    throw new CommandFailure(
      `stopped after ${count} key${count === 1 ? '' : 's'}: the server's pages did not advance (${printable((error as Error).message)})`,
      EXIT.API_ERROR,
    );
  } finally {
    spinner.stop();
    // A JSON array already begun is closed, so that stdout stays valid JSON whatever happened.
    if (array && count > 0) array.end();
  }
  if (array && count === 0) array.end();
  if (!array && count === 0) ctx.out.info('No API keys found.');
}

export async function get(ctx: Context, id: string): Promise<void> {
  const spinner = ctx.out.spinner(`Fetching ${id}`);
  const key = await ctx.client().apiKeys.get(id).finally(() => spinner.stop());
  if (ctx.json) return ctx.out.data(key);
  ctx.out.rowWriter(KEY_COLUMNS, STATUS_COLUMN, FREE_TEXT).rows([keyRow(key, 'apiKeys.get (GET /api-keys/{id})')]);
}

export interface CreateOptions {
  name: string;
  type: KeyType;
  environment: Env;
  description?: string;
  permissions?: string[];
  allowedIps?: string[];
  expiresAt?: string;
}

export async function create(ctx: Context, opts: CreateOptions): Promise<void> {
  // --name and --expires-at were checked as they were read (api-keys-values.ts).
  const spinner = ctx.out.spinner('Creating API key');
  const key = await ctx
    .client()
    .apiKeys.create({
      name: opts.name,
      type: opts.type,
      environment: opts.environment,
      ...(opts.description !== undefined && { description: opts.description }),
      ...(opts.permissions !== undefined && { permissions: opts.permissions }),
      ...(opts.allowedIps !== undefined && { allowedIps: opts.allowedIps }),
      ...(opts.expiresAt !== undefined && { expiresAt: opts.expiresAt }),
    })
    .finally(() => spinner.stop());
  if (ctx.json) ctx.out.data(key);
  else {
    checkKey(key, 'apiKeys.create (POST /api-keys)', 201, ['secret']);
    ctx.out.info(`Created API key ${key.id} (${key.name}, ${key.type}, ${key.environment}). Its secret:`);
    ctx.out.secret(key.secret, `the new key ${key.id}`);
  }
  ctx.out.warn('this is the only time the secret is shown and it will not be shown again: store it securely now.');
}

export async function update(ctx: Context, id: string, opts: { status: Status; reason?: string }): Promise<void> {
  const spinner = ctx.out.spinner(`Updating ${id}`);
  const key = await ctx
    .client()
    .apiKeys.update(id, { status: opts.status, ...(opts.reason !== undefined && { reason: opts.reason }) })
    .finally(() => spinner.stop());
  if (ctx.json) return ctx.out.data(key);
  checkKey(key, 'apiKeys.update (PATCH /api-keys/{id})', 200, ['statusReason']);
  const reason = key.statusReason ? ` (reason: ${key.statusReason})` : '';
  ctx.out.line(`API key ${key.id} is now `, [statusColor(key.status), key.status], `${reason}.`);
}

export async function remove(ctx: Context, id: string, opts: { yes?: boolean }): Promise<void> {
  if (!opts.yes) {
    if (!ctx.io.stdin.isTTY || !ctx.out.interactive) {
      throw new UsageError(`refusing to delete ${id} without confirmation: not on a terminal, pass --yes to delete without asking`);
    }
    await confirm(ctx.io, `Delete API key ${id}? Systems using it lose access at once. [y/N] `);
  }
  const spinner = ctx.out.spinner(`Deleting ${id}`);
  await ctx.client().apiKeys.delete(id).finally(() => spinner.stop());
  if (ctx.json) return ctx.out.data({ id, deleted: true });
  ctx.out.line(`Deleted API key ${id}.`);
}
