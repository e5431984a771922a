// `coveton api-keys list|get|create|update|delete`: the seed's API key commands, declared here
// (options, help, examples); what they do is in api-keys-run.ts, loaded when one runs.
import { Command, Option } from '@commander-js/extra-typings';
import { contextFrom } from '../context.js';
import { examples } from '../help.js';
import { withApiOptions } from './api-options.js';
import { commaList, dateTime, displayName, positiveCount, pageSize, scopeList } from './api-keys-values.js';

/** The enums of the spec (checked against its types in api-keys-run.ts). */
export const STATUSES = ['active', 'revoked', 'suspended', 'expired'] as const;
export const ENVS = ['production', 'staging', 'development', 'sandbox'] as const;
export const TYPES = ['service', 'user'] as const;
export const ORDER_BY = ['createdAt', '-createdAt', 'name', '-name', 'lastUsedAt', '-lastUsedAt'] as const;

const ID = ['<api_key_id>', 'the API key id, e.g. key_01HZX3K8W2Q9'] as const;
const run = () => import('./api-keys-run.js');

export function registerApiKeys(program: Command<[], {}, {}>): void {
  const group = program.command('api-keys').description("manage the organization's API keys");
  examples(group, [
    'coveton api-keys list',
    'coveton api-keys get key_01HZX3K8W2Q9',
    'coveton api-keys create --name "CI Pipeline" --type service --environment sandbox --permissions messages:read,chats:read',
    'coveton api-keys update key_01HZX3K8W2Q9 --status revoked --reason "Key compromised"',
    'coveton api-keys delete key_01HZX3K8W2Q9 --yes',
  ]);

  const list = withApiOptions(
    group
      .command('list')
      .description('list API keys, printed as the pages arrive: a table on a terminal, tab-separated lines in a pipe, a JSON array with --json')
      .option('--filter <text>', 'free text matched against name, description and key prefix')
      .addOption(new Option('--status <status>', 'only keys with this status').choices(STATUSES))
      .addOption(new Option('--environment <env>', 'only keys of this environment').choices(ENVS))
      .addOption(new Option('--type <type>', 'only keys of this type').choices(TYPES))
      .addOption(new Option('--order-by <field>', 'sort order; a leading - sorts descending').choices(ORDER_BY))
      .addOption(new Option('--limit <n>', 'stop after this many keys (default: all of them)').argParser(positiveCount))
      .addOption(new Option('--page-size <n>', 'keys per request, 1 to 100').default(50).argParser(pageSize)),
  );
  examples(list, [
    'coveton api-keys list --environment production --status active',
    'coveton api-keys list --filter pipeline --order-by -lastUsedAt --limit 20',
    "coveton api-keys list | cut -f1            # ids only: a pipe gets tab-separated lines",
    "coveton api-keys list --json | jq -r '.[].id'",
  ]);
  list.action(async (opts, cmd) => (await run()).list(contextFrom(cmd), opts));

  const get = withApiOptions(group.command('get').description('show one API key, with the columns of list').argument(...ID));
  examples(get, ['coveton api-keys get key_01HZX3K8W2Q9', 'coveton api-keys get key_01HZX3K8W2Q9 --json']);
  get.action(async (id, _opts, cmd) => (await run()).get(contextFrom(cmd), id));

  const create = withApiOptions(
    group
      .command('create')
      .description('create an API key; its secret is printed once, on stdout')
      .requiredOption('--name <name>', 'display name, 1 to 200 characters', displayName)
      .addOption(new Option('--type <type>', 'service (servers, CI) or user (one person)').choices(TYPES).makeOptionMandatory())
      .addOption(new Option('--environment <env>', 'where the key works').choices(ENVS).makeOptionMandatory())
      .option('--description <text>', 'what the key is for')
      .option('--permissions <scopes>', 'comma-separated scopes, e.g. messages:read,chats:write (default: * full access)', scopeList)
      .option('--allowed-ips <list>', 'comma-separated addresses or CIDR ranges the key may be used from', commaList('--allowed-ips'))
      .option('--expires-at <date-time>', 'when the key stops working (RFC 3339, e.g. 2027-01-01T00:00:00Z)', dateTime)
      .addHelpText('after', '\nThe secret is printed on stdout once and cannot be retrieved later.'),
  );
  examples(create, [
    'coveton api-keys create --name "CI Pipeline" --type service --environment production',
    'coveton api-keys create --name "Dev Testing" --type user --environment development --description "Key for local development"',
    'SECRET=$(coveton api-keys create --name deploy --type service --environment sandbox)',
  ]);
  create.action(async (opts, cmd) => (await run()).create(contextFrom(cmd), opts));

  const update = withApiOptions(
    group
      .command('update')
      .description("change an API key's status")
      .argument(...ID)
      .addOption(new Option('--status <status>', 'new status; revoked is final').choices(STATUSES).makeOptionMandatory())
      .option('--reason <text>', 'why the status changes (kept as statusReason)'),
  );
  examples(update, [
    'coveton api-keys update key_01HZX3K8W2Q9 --status suspended',
    'coveton api-keys update key_01HZX3K8W2Q9 --status revoked --reason "Key compromised"',
  ]);
  update.action(async (id, opts, cmd) => (await run()).update(contextFrom(cmd), id, opts));

  const del = withApiOptions(
    group
      .command('delete')
      .description('delete an API key for good; asks for confirmation on a terminal')
      .argument(...ID)
      .option('-y, --yes', 'delete without asking (required when not on a terminal)'),
  );
  examples(del, ['coveton api-keys delete key_01HZX3K8W2Q9', 'coveton api-keys delete key_01HZX3K8W2Q9 --yes']);
  del.action(async (id, opts, cmd) => (await run()).remove(contextFrom(cmd), id, opts));
}
