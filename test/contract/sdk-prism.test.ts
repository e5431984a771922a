// Every operation of the spec, called through its generated resource method against the Prism
// mock: no sl-violations on any response, and the method returns data that validates against
// the documented success schema. The operations come from the spec (via the generated table).
import { describe, expect, it } from 'vitest';
import { operations, sessionOperations } from '../../generated/resources.js';
import { allOperations } from '../../src/resources/raw-client.js';
import { createCoveton } from '../../src/index.js';
import { createAjv, deref, exampleRequest, specOperations, validatorAt } from '../support/spec.js';
import { prismMock } from '../support/prism-mock.js';

const validate = validatorAt(createAjv());
const violations: string[] = [];
const seen: string[] = [];
const coveton = createCoveton({
  baseUrl: prismMock(),
  apiKey: 'ak_test_Mdi9ewW3Ch81P6abc123def456',
  maxRetries: 0,
  logLevel: 'off',
  fetch: async (request) => {
    const response = await fetch(request);
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    const v = response.headers.get('sl-violations');
    if (v) violations.push(`${request.method} ${request.url}: ${v}`);
    return response;
  },
});
// `x-sdk-access: none` (the payment processors' webhooks) is not in the client at all.
const byRoute = new Map(specOperations().filter((o) => o.op['x-sdk-access'] !== 'none').map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));
const idOf = (op: { method: string; path: string }) => byRoute.get(`${op.method} ${op.path}`)?.operationId;
/** The session-only operations, reached through coveton.session.* as users reach them. */
const SESSION: Record<string, (...args: unknown[]) => unknown> = {
  registerAccount: (body) => coveton.session.register(body as never),
  login: (body) => coveton.session.login(body as never),
  completeOAuth: (provider, query) => coveton.session.completeOAuth(provider as never, query as never),
  logout: () => coveton.session.logout(),
};
/** The refresh is the refresher's alone (test/sdk/session.test.ts); Prism checks it as raw HTTP in prism-raw.test.ts. */
const NOT_CALLABLE = new Set(['refreshTokens']);

describe('every operation through its resource method, against Prism', () => {
  const table = [...allOperations(operations), ...allOperations(sessionOperations).filter((t) => !NOT_CALLABLE.has(idOf(t.op)!))];

  it('covers every operation of the spec', () => {
    expect([...table.map((t) => idOf(t.op)), ...NOT_CALLABLE].sort()).toEqual([...byRoute.values()].map((o) => o.operationId).sort());
  });

  for (const { resource, name, op } of table) {
    it(`coveton.${resource}.${name}() = ${op.method} ${op.path}`, async () => {
      const operation = byRoute.get(`${op.method} ${op.path}`)!;
      const example = exampleRequest(operation);
      const pathValues = (op.pathParams as readonly string[]).map(
        (param) => operation.parameters.find((p) => p.in === 'path' && p.name === param)!.example as string,
      );
      const query = Object.fromEntries(
        operation.parameters.filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, p.example]),
      );
      const args: unknown[] = [...pathValues];
      if (op.body !== 'none') args.push(example.body);
      if (op.query !== 'none') args.push(query);
      // Signature headers of the inbound payment webhooks (bearer is the client's own).
      const headers = Object.fromEntries(Object.entries(example.headers).filter(([h]) => h !== 'Authorization' && h !== 'Idempotency-Key'));
      args.push({ headers });

      const before = violations.length;
      const method = SESSION[operation.operationId] ?? (coveton as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[resource]![name]!;
      const result = await method(...args);
      expect(violations.slice(before)).toEqual([]);
      expect(seen.at(-1)).toBe(`${op.method} ${example.path}`);

      const { node: success, pointer } = deref(operation.op.responses[operation.successStatus], `${operation.pointer}/responses/${operation.successStatus}`);
      if (op.redirect) {
        expect((result as { location: string }).location).toMatch(/^https:\/\//);
      } else if (success.content?.['application/json']) {
        expect(validate(`${pointer}/content/application~1json/schema`, result)).toEqual([]);
      } else {
        expect(result).toBeUndefined();
      }
    });
  }
});
