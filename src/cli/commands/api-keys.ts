// `coveton api-keys list|create|update|delete`: the seed's API key commands, on the SDK's
// `apiKeys` resource. Tables and messages for people, --json for scripts.
import { Command, Option } from 'commander';
import type { components } from '../../index.js';
import { contextFrom } from '../context.js';
import { UsageError } from '../errors.js';
import { confirm } from '../prompt.js';
import { commaList, pageSize, scopeList } from './api-keys-values.js';

type ApiKey = components['schemas']['ApiKey'];
type Status = components['schemas']['ApiKeyStatus'];
type Env = components['schemas']['ApiKeyEnvironment'];
type KeyType = components['schemas']['ApiKeyType'];

/** Every value of each enum, checked against the spec's types in both directions. */
const STATUSES = ['active', 'revoked', 'suspended', 'expired'] as const satisfies readonly Status[];
const ENVS = ['production', 'staging', 'development', 'sandbox'] as const satisfies readonly Env[];
const TYPES = ['service', 'user'] as const satisfies readonly KeyType[];
const ORDER_BY = ['createdAt', '-createdAt', 'name', '-name', 'lastUsedAt', '-lastUsedAt'] as const;
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const _exhaustive: [Exhaustive<Status, (typeof STATUSES)[number]>, Exhaustive<Env, (typeof ENVS)[number]>, Exhaustive<KeyType, (typeof TYPES)[number]>] = [true, true, true];
void _exhaustive;

export const KEY_COLUMNS = ['ID', 'NAME', 'TYPE', 'ENV', 'STATUS', 'PERMISSIONS', 'LAST USED'] as const;

export function keyRow(key: ApiKey): string[] {
  return [key.id, key.name, key.type, key.environment, key.status, key.permissions.join(','), key.lastUsedAt ?? 'never'];
}

const EXAMPLES = `
Examples:
  $ coveton api-keys list
  $ coveton api-keys list --environment production --status active
  $ coveton api-keys list --filter pipeline --order-by -lastUsedAt --json
  $ coveton api-keys create --name "CI Pipeline" --type service --environment sandbox --permissions messages:read,chats:read
  $ coveton api-keys update key_01HZX3K8W2Q9 --status revoked --reason "Key compromised"
  $ coveton api-keys delete key_01HZX3K8W2Q9 --yes`;

export function apiKeysCommand(): Command {
  const group = new Command('api-keys').description("manage the organization's API keys").addHelpText('after', EXAMPLES);

  group
    .command('list')
    .description('list API keys (every page), as a table or --json')
    .option('--filter <text>', 'free text matched against name, description and key prefix')
    .addOption(new Option('--page-size <n>', 'keys per request, 1 to 100').default(50).argParser(pageSize))
    .addOption(new Option('--order-by <field>', 'sort order; a leading - sorts descending').choices(ORDER_BY))
    .addOption(new Option('--status <status>', 'only keys with this status').choices(STATUSES))
    .addOption(new Option('--environment <env>', 'only keys of this environment').choices(ENVS))
    .addOption(new Option('--type <type>', 'only keys of this type').choices(TYPES))
    .addHelpText('after', '\nExamples:\n  $ coveton api-keys list --environment production\n  $ coveton api-keys list --status active --json')
    .action(async (opts: { filter?: string; pageSize: number; orderBy?: (typeof ORDER_BY)[number]; status?: Status; environment?: Env; type?: KeyType }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const query = {
        limit: opts.pageSize,
        ...(opts.filter !== undefined && { filter: opts.filter }),
        ...(opts.orderBy !== undefined && { orderBy: opts.orderBy }),
        ...(opts.status !== undefined && { status: opts.status }),
        ...(opts.environment !== undefined && { environment: opts.environment }),
        ...(opts.type !== undefined && { type: opts.type }),
      };
      const spinner = ctx.out.spinner('Fetching API keys');
      const keys: ApiKey[] = [];
      try {
        for await (const page of ctx.client().apiKeys.list(query).pages()) {
          keys.push(...page);
          spinner.update(`Fetching API keys (${keys.length} so far)`);
        }
      } finally {
        spinner.stop();
      }
      if (ctx.json) return ctx.out.data(keys);
      if (keys.length === 0) return ctx.out.info('No API keys found.');
      ctx.out.table(KEY_COLUMNS, keys.map(keyRow));
    });

  group
    .command('create')
    .description('create an API key; its secret is printed once, on stdout')
    .requiredOption('--name <name>', 'display name, 1 to 200 characters')
    .addOption(new Option('--type <type>', 'service (servers, CI) or user (one person)').choices(TYPES).makeOptionMandatory())
    .addOption(new Option('--environment <env>', 'where the key works').choices(ENVS).makeOptionMandatory())
    .option('--description <text>', 'what the key is for')
    .option('--permissions <scopes>', 'comma-separated scopes, e.g. messages:read,chats:write (default: * full access)', scopeList)
    .option('--allowed-ips <list>', 'comma-separated addresses or CIDR ranges the key may be used from', commaList('--allowed-ips'))
    .option('--expires-at <date-time>', 'when the key stops working (RFC 3339, e.g. 2027-01-01T00:00:00Z)')
    .addHelpText(
      'after',
      '\nThe secret is printed on stdout once and cannot be retrieved later.\n\nExamples:\n  $ coveton api-keys create --name "CI Pipeline" --type service --environment production\n  $ coveton api-keys create --name "Dev Testing" --type user --environment development --description "Key for local development"\n  $ SECRET=$(coveton api-keys create --name deploy --type service --environment sandbox)',
    )
    .action(async (opts: { name: string; type: KeyType; environment: Env; description?: string; permissions?: string[]; allowedIps?: string[]; expiresAt?: string }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      if (opts.name.length < 1 || opts.name.length > 200) throw new UsageError('--name must be 1 to 200 characters');
      if (opts.expiresAt !== undefined && Number.isNaN(Date.parse(opts.expiresAt))) {
        throw new UsageError(`--expires-at must be an RFC 3339 date-time such as 2027-01-01T00:00:00Z, got ${JSON.stringify(opts.expiresAt)}`);
      }
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
        ctx.out.info(`Created API key ${key.id} (${key.name}, ${key.type}, ${key.environment}). Its secret:`);
        ctx.out.secret(key.secret);
      }
      ctx.out.warn('this is the only time the secret is shown and it will not be shown again: store it securely now.');
    });

  group
    .command('update')
    .description("change an API key's status")
    .argument('<api_key_id>', 'the API key id, e.g. key_01HZX3K8W2Q9')
    .addOption(new Option('--status <status>', 'new status; revoked is final').choices(STATUSES).makeOptionMandatory())
    .option('--reason <text>', 'why the status changes (kept as statusReason)')
    .addHelpText('after', '\nExamples:\n  $ coveton api-keys update key_01HZX3K8W2Q9 --status revoked\n  $ coveton api-keys update key_01HZX3K8W2Q9 --status revoked --reason "Key compromised"')
    .action(async (id: string, opts: { status: Status; reason?: string }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const spinner = ctx.out.spinner(`Updating ${id}`);
      const key = await ctx
        .client()
        .apiKeys.update(id, { status: opts.status, ...(opts.reason !== undefined && { reason: opts.reason }) })
        .finally(() => spinner.stop());
      if (ctx.json) return ctx.out.data(key);
      ctx.out.line(`API key ${key.id} is now ${key.status}${key.statusReason ? ` (reason: ${key.statusReason})` : ''}.`);
    });

  group
    .command('delete')
    .description('delete an API key for good; asks for confirmation on a terminal')
    .argument('<api_key_id>', 'the API key id, e.g. key_01HZX3K8W2Q9')
    .option('-y, --yes', 'delete without asking (required when not on a terminal)')
    .addHelpText('after', '\nExamples:\n  $ coveton api-keys delete key_01HZX3K8W2Q9\n  $ coveton api-keys delete key_01HZX3K8W2Q9 --yes')
    .action(async (id: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      if (!opts.yes) {
        if (!process.stdin.isTTY || !ctx.out.interactive) {
          throw new UsageError(`refusing to delete ${id} without confirmation: not on a terminal, pass --yes to delete without asking`);
        }
        if (!(await confirm(`Delete API key ${id}? Systems using it lose access at once. [y/N] `))) {
          throw new UsageError(`not deleted: ${id} is unchanged`);
        }
      }
      const spinner = ctx.out.spinner(`Deleting ${id}`);
      await ctx.client().apiKeys.delete(id).finally(() => spinner.stop());
      if (ctx.json) return ctx.out.data({ id, deleted: true });
      ctx.out.line(`Deleted API key ${id}.`);
    });

  return group;
}
