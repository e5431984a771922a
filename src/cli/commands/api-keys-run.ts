// What the api-keys commands do, on the SDK's `apiKeys` resource: rows for people (a table on a
// terminal, tab-separated lines in a pipe), JSON for scripts. Loaded only when one of them runs.
import { PaginationError, UnexpectedResponseError, type ApiKey, type ApiKeyEnvironment, type ApiKeyStatus, type ApiKeyType } from '../../index.js';
import { checked, checkedPage, contractError, prepareCheck, sound } from '../answer-check.js';
import type { Context } from '../context.js';
import { describeError } from '../describe.js';
import { CommandFailure, UsageError } from '../../tools/failures.js';
import { confirm } from '../prompt.js';
import { statusColor } from '../style.js';
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

const LIST = 'apiKeys.list (GET /api-keys)';
const GET = 'apiKeys.get (GET /api-keys/{id})';
const CREATE = 'apiKeys.create (POST /api-keys)';
const UPDATE = 'apiKeys.update (PATCH /api-keys/{id})';

/** A key's row; its fields were checked as it arrived (answer-check.ts). */
function keyRow(key: ApiKey): string[] {
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
      // Checked whole before any of it is printed: a bad key stops the listing at the page it is on.
      const batch = checkedPage(opts.limit === undefined ? page : page.slice(0, opts.limit - count), 'ApiKey', { operation: LIST, status: 200 });
      if (array) array.items(batch);
      else rows!.rows(batch.map(keyRow));
      count += batch.length;
      if (opts.limit !== undefined && count >= opts.limit) break;
    }
  } catch (error) {
    // Any other answer that breaks the contract (not JSON, a redirect, a key lacking a field) is described as such by describe.ts.
    if (!(error instanceof PaginationError)) throw error;
    // The SDK's refusal of the walk (pages that do not advance, a full page whose last key has no
    // id to be the cursor) is a contract break too, in describe.ts's words and JSON type; only
    // what was printed before it is said first. It said "pages did not advance" for either.
    const broken = describeError(error);
    throw new CommandFailure(`stopped after ${count} key${count === 1 ? '' : 's'}: ${broken.message}`, broken.exitCode, { type: broken.json.type });
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
  const key = checked(await ctx.client().apiKeys.get(id).finally(() => spinner.stop()), 'ApiKey', { operation: GET, status: 200 });
  if (ctx.json) return ctx.out.data(key);
  ctx.out.rowWriter(KEY_COLUMNS, STATUS_COLUMN, FREE_TEXT).rows([keyRow(key)]);
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
  // --name and --expires-at were checked as they were read (api-keys-values.ts). The spec is read
  // before the key exists: once the server has made it, nothing may stand between its secret and stdout.
  prepareCheck('ApiKeyWithSecret');
  const spinner = ctx.out.spinner('Creating API key');
  const answer = await ctx
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
  // The key exists on the server even when its answer breaks the contract, and its secret is
  // shown this once: a secret of the spec's form is printed (stdout, --json too) before the
  // contract error is reported (exit 1 still says the answer was broken). Reporting first lost
  // the secret for good when a server left out a null field (a review's repro).
  const secret = sound(answer, 'ApiKeyWithSecret', 'secret');
  const broken = contractError(answer, 'ApiKeyWithSecret', {
    operation: CREATE,
    status: 201,
    hint:
      secret === undefined
        ? 'the key may have been created: `coveton api-keys list` shows it'
        : 'the key was created and its secret printed on stdout, the only time it is shown: store it now',
  });
  // No secret to show (absent, not a string, empty): the check names the field.
  if (secret === undefined) throw broken ?? new UnexpectedResponseError(CREATE, 201, 'a new key without its secret');
  if (ctx.json) ctx.out.data(answer);
  else {
    ctx.out.info(broken ? 'Created an API key, though the answer breaks the API contract (below). Its secret:' : `Created API key ${answer.id} (${answer.name}, ${answer.type}, ${answer.environment}). Its secret:`);
    ctx.out.secret(secret, broken ? 'the new key' : `the new key ${answer.id}`);
  }
  // Under --json stderr holds one JSON document when the command fails: the error's hint says it there.
  if (broken) throw broken;
  ctx.out.warn('this is the only time the secret is shown and it will not be shown again: store it securely now.');
}

export async function update(ctx: Context, id: string, opts: { status: Status; reason?: string }): Promise<void> {
  const spinner = ctx.out.spinner(`Updating ${id}`);
  const answer = await ctx
    .client()
    .apiKeys.update(id, { status: opts.status, ...(opts.reason !== undefined && { reason: opts.reason }) })
    .finally(() => spinner.stop());
  // The server answered 200: the change was most likely made, whatever its answer lacks.
  const key = checked(answer, 'ApiKey', { operation: UPDATE, status: 200, hint: 'the change may have been applied' });
  if (ctx.json) return ctx.out.data(key);
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
