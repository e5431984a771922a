// Type-level tests: right calls compile with the right types, wrong paths, parameters and
// bodies do not (each @ts-expect-error fails the run if the line compiles).
import { describe, expectTypeOf, it } from 'vitest';
import { createCoveton, PagePromise, type ApiKey, type ApiKeyCreate, type ApiKeyWithSecret, type AuthSession, type Logger, type Message, type NotificationsRead } from '../../src/index.js';
import type { components, paths } from '@coveton/sdk/schema';

type Schemas = components['schemas'];
const coveton = createCoveton({ baseUrl: 'http://127.0.0.1:1' });

describe('generated types', () => {
  it('describe paths, parameters and bodies', () => {
    expectTypeOf<paths['/api-keys']['post']['requestBody']>().toEqualTypeOf<{ content: { 'application/json': Schemas['ApiKeyCreate'] } }>();
    expectTypeOf<Schemas['ApiKeyCreate']['type']>().toEqualTypeOf<'service' | 'user'>();
    expectTypeOf<Schemas['ApiKey']['lastUsedAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<NonNullable<paths['/chats/{id}/messages']['get']['parameters']['query']>['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Schemas['NotificationsRead']>().toEqualTypeOf<{ ids: string[] } | { all: true }>();
  });
});

describe('the raw openapi-fetch client', () => {
  it('types data and error from the path', async () => {
    const { data, error } = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
    expectTypeOf(data).toEqualTypeOf<Schemas['ApiKey'] | undefined>();
    expectTypeOf(error).toEqualTypeOf<Schemas['Error'] | undefined>();
  });

  it('rejects wrong paths, missing parameters and bad bodies', () => {
    // @ts-expect-error: no such path
    void coveton.GET('/api-key');
    // @ts-expect-error: the path parameter is required
    void coveton.GET('/api-keys/{id}', {});
    // @ts-expect-error: DELETE is not defined on the collection
    void coveton.DELETE('/api-keys');
    // @ts-expect-error: 'robot' is not a key type
    void coveton.POST('/api-keys', { body: { name: 'x', type: 'robot', environment: 'sandbox' } });
  });
});

describe('resource methods', () => {
  it('return the success body', () => {
    // The model is an interface over the schema's type (hovers name it): for an allOf, the
    // expect-type equality tells an interface from the intersection it extends, so the body is the
    // model here, and the model is the schema's type both ways below.
    expectTypeOf(coveton.apiKeys.create).returns.resolves.toEqualTypeOf<ApiKeyWithSecret>();
    expectTypeOf(coveton.apiKeys.get).returns.resolves.toEqualTypeOf<Schemas['ApiKey']>();
    expectTypeOf(coveton.apiKeys.delete).returns.resolves.toBeVoid();
    expectTypeOf(coveton.messages.send).returns.resolves.toEqualTypeOf<Schemas['Message']>();
    expectTypeOf(coveton.auth.startGoogleOAuth).returns.resolves.toEqualTypeOf<{ location: string }>();
  });

  it('page lists: await for a page, iterate for items', async () => {
    const page = coveton.chats.listMessages('chat_1', { limit: 20 });
    expectTypeOf(page).toEqualTypeOf<PagePromise<Schemas['Message']>>();
    expectTypeOf(await page).toEqualTypeOf<Schemas['Message'][]>();
    for await (const key of coveton.apiKeys.list({ status: 'active' })) expectTypeOf(key).toEqualTypeOf<Schemas['ApiKey']>();
    // A Promise of the first page, as Stripe's and octokit's lists are: `.catch` and `.finally` too.
    expectTypeOf(page).toMatchTypeOf<Promise<Schemas['Message'][]>>();
    expectTypeOf(page.catch(() => null)).toEqualTypeOf<Promise<Schemas['Message'][] | null>>();
  });

  it('use the named model types in their signatures (hovers say ApiKey)', () => {
    expectTypeOf(coveton.apiKeys.get).returns.resolves.toEqualTypeOf<ApiKey>();
    expectTypeOf(coveton.apiKeys.create).parameter(0).toEqualTypeOf<ApiKeyCreate>();
    expectTypeOf(coveton.messages.send).returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf<ApiKey>().toEqualTypeOf<Schemas['ApiKey']>();
    // A composition: an interface over the schema's type (not over ApiKey: see the next test), still an ApiKey.
    expectTypeOf<ApiKeyWithSecret>().toExtend<ApiKey>();
    expectTypeOf<ApiKeyWithSecret>().toExtend<Schemas['ApiKeyWithSecret']>();
    expectTypeOf<Schemas['ApiKeyWithSecret']>().toExtend<ApiKeyWithSecret>();
    expectTypeOf<AuthSession>().toExtend<Schemas['AuthSession']>();
    expectTypeOf<Schemas['AuthSession']>().toExtend<AuthSession>();
  });

  it('fit Record<string, unknown> and the Logger, as they did as type aliases (review s34 finding 4)', () => {
    // Mutual toExtend cannot see this: an interface that inherits from another interface loses the
    // implicit index signature, and `logger.info('created', made)` stopped compiling.
    const logger = {} as Logger;
    const each = (key: ApiKey, made: ApiKeyWithSecret, session: AuthSession, read: NotificationsRead) => {
      logger.info('fetched', key);
      logger.info('api key created', made);
      logger.info('signed in', session);
      logger.info('read', read);
      const rows: Record<string, unknown>[] = [key, made, session, read];
      return rows;
    };
    expectTypeOf<ApiKey>().toExtend<Record<string, unknown>>();
    expectTypeOf<ApiKeyWithSecret>().toExtend<Record<string, unknown>>();
    expectTypeOf<AuthSession>().toExtend<Record<string, unknown>>();
    expectTypeOf<NotificationsRead>().toExtend<Record<string, unknown>>();
    expectTypeOf(each).returns.toEqualTypeOf<Record<string, unknown>[]>();
  });

  it('keep session-only and payment-processor operations off the client', () => {
    // @ts-expect-error: sign-in goes through coveton.session.login
    void coveton.auth.login;
    // @ts-expect-error: refresh tokens are the refresher's alone
    void coveton.POST('/auth/refresh', { body: { refreshToken: 'rt' } });
    // @ts-expect-error: payment processors call these, not SDK users
    void coveton.paymentWebhooks;
    // @ts-expect-error: middleware would skip resource methods, so there is none
    void coveton.use;
    expectTypeOf(coveton.auth.me).returns.resolves.toEqualTypeOf<Schemas['User']>();
  });

  it('reject wrong arguments', () => {
    // @ts-expect-error: the body is required
    void coveton.apiKeys.create();
    // @ts-expect-error: unknown property in a closed request body
    void coveton.apiKeys.create({ name: 'x', type: 'service', environment: 'sandbox', colour: 'red' });
    // @ts-expect-error: 'archived' is not a status filter
    void coveton.apiKeys.list({ status: 'archived' });
    // @ts-expect-error: teams.list needs its organizationId query
    void coveton.teams.list();
    // @ts-expect-error: the id is a string
    void coveton.apiKeys.get(42);
    // @ts-expect-error: no such method
    void coveton.apiKeys.rotate('key_1');
  });
});
