// The contract against its own mock: every operation's request example, sent as plain HTTP to
// Prism (validating, --errors), gets the documented success status, no sl-violations header,
// the rate-limit headers, and a body that validates against the response schema. The list of
// operations comes from the spec, so a new one is covered without editing this file.
import { describe, expect, it } from 'vitest';
import { createAjv, deref, exampleRequest, specOperations, validatorAt } from '../support/spec.js';
import { prismMock } from '../support/prism-mock.js';

const validate = validatorAt(createAjv());
const base = prismMock();

describe('every operation against the Prism mock', () => {
  for (const operation of specOperations()) {
    it(`${operation.operationId}: ${operation.method} ${operation.path}`, async () => {
      const { path, query, headers, body } = exampleRequest(operation);
      const qs = query.toString();
      const response = await fetch(`${base}${path}${qs ? `?${qs}` : ''}`, {
        method: operation.method,
        headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      const text = await response.text();
      expect(response.headers.get('sl-violations'), text).toBeNull();
      expect(String(response.status), text).toBe(operation.successStatus);
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(response.headers.get(h)).toMatch(/^\d+$/);
      const { node: success, pointer } = deref(operation.op.responses[operation.successStatus], `${operation.pointer}/responses/${operation.successStatus}`);
      if (success.content?.['application/json']) {
        expect(validate(`${pointer}/content/application~1json/schema`, JSON.parse(text))).toEqual([]);
      } else {
        expect(text).toBe('');
      }
    });
  }
});
