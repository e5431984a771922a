// What a client relies on, beyond what the linter checks.
import { describe, expect, it } from 'vitest';
import { deref, spec, specOperations, type Json } from '../support/spec.js';

const ops = specOperations();
const RATE_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

function responses(op: Json): [string, Json][] {
  return Object.entries<Json>(op.responses).map(([status, r]) => [status, deref(r, '').node]);
}

describe('contract rigor', () => {
  it('sets the JSON Schema dialect, both servers, and tags with descriptions', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(spec.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(spec.servers.map((s: Json) => s.url)).toEqual(['https://api.coveton.com/v1', 'https://sandbox.api.coveton.com/v1']);
    for (const tag of spec.tags) expect(tag.description?.length).toBeGreaterThan(10);
  });

  it('gives every operation a success answer (2xx, or the 302 of an OAuth start) and a documented 4xx', () => {
    for (const { operationId, op } of ops) {
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^[23]\d\d$/.test(s)), operationId).toBe(true);
      expect(statuses.some((s) => /^4\d\d$/.test(s)), operationId).toBe(true);
      if (statuses.some((s) => /^3/.test(s))) expect(operationId).toMatch(/^start\w+OAuth$/);
    }
  });

  it('puts the rate-limit headers on every response, success and error, and Retry-After on every 429', () => {
    for (const { operationId, op } of ops) {
      for (const [status, response] of responses(op)) {
        for (const header of RATE_HEADERS) expect(response.headers?.[header], `${operationId} ${status} ${header}`).toBeDefined();
        if (status === '429') expect(response.headers?.['Retry-After'], operationId).toBeDefined();
      }
    }
  });

  it('answers every error with the shared error envelope', () => {
    for (const { operationId, op } of ops) {
      for (const [status, response] of responses(op)) {
        if (!/^[45]/.test(status)) continue;
        expect(response.content['application/json'].schema.$ref, `${operationId} ${status}`).toBe('#/components/schemas/Error');
      }
    }
  });

  it('takes Idempotency-Key on every POST that creates (201), and only there', () => {
    for (const { operationId, method, op, parameters } of ops) {
      const takesKey = parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      const creates = method === 'POST' && '201' in op.responses;
      expect(takesKey, operationId).toBe(creates);
    }
  });

  it('pages every list with limit and before, and every list item has an id', () => {
    const lists = ops.filter(({ op, successStatus }) => deref(op.responses[successStatus], '').node.content?.['application/json']?.schema?.type === 'array');
    expect(lists.length).toBeGreaterThanOrEqual(15);
    for (const { operationId, op, parameters, successStatus } of lists) {
      const names = parameters.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names, operationId).toEqual(expect.arrayContaining(['limit', 'before']));
      const items = deref(deref(op.responses[successStatus], '').node.content['application/json'].schema.items, '').node;
      expect(items.required, operationId).toContain('id');
    }
  });

  it('closes every request body with additionalProperties: false, except third-party webhook payloads', () => {
    for (const { operationId, op } of ops) {
      if (!op.requestBody) continue;
      const schema = deref(deref(op.requestBody, '').node.content['application/json'].schema, '').node;
      const variants = schema.oneOf ? schema.oneOf.map((v: Json) => deref(v, '').node) : [schema];
      for (const variant of variants) {
        const expected = op.tags[0] === 'payment-webhooks' ? true : false;
        expect(variant.additionalProperties, operationId).toBe(expected);
      }
    }
  });

  it('writes nullable the 3.1 way, never nullable: true', () => {
    expect(JSON.stringify(spec)).not.toContain('"nullable"');
  });

  it('declares public operations with security: [] and everything else authenticated', () => {
    const publicOps = ops.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map((o) => o.operationId).sort();
    expect(publicOps).toEqual(
      ['completeOAuth', 'login', 'logout', 'refreshTokens', 'registerAccount', 'requestPasswordReset', 'resetPassword', 'startGithubOAuth', 'startGoogleOAuth'].sort(),
    );
    const signed = ops.filter((o) => o.op.tags[0] === 'payment-webhooks').map((o) => Object.keys(o.op.security[0])[0]);
    expect(signed.sort()).toEqual(['flutterwaveSignature', 'paystackSignature', 'stripeSignature']);
  });

  it('bounds the API key name to 1..200 characters and types IPs, CIDRs, emails and timestamps', () => {
    const create = spec.components.schemas.ApiKeyCreate;
    expect([create.properties.name.minLength, create.properties.name.maxLength]).toEqual([1, 200]);
    const text = JSON.stringify(spec);
    for (const format of ['email', 'date-time', 'uri', 'ipv4', 'ipv6']) expect(text).toContain(`"format":"${format}"`);
  });
});
