import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spec, specOperations } from '../support/spec.js';

const brief = readFileSync(new URL('../fixtures/brief-operations.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('the operations of the spec', () => {
  const ops = specOperations();

  it('are exactly the brief\'s table: nothing missing, nothing invented', () => {
    const inSpec = ops.map((o) => `${o.method} ${o.path}`).sort();
    expect(new Set(brief).size).toBe(brief.length);
    expect(inSpec).toEqual([...brief].sort());
    expect(inSpec).toHaveLength(71);
  });

  it('have unique camelCase operationIds, one tag that the root declares, a summary and a description', () => {
    const tags = new Set(spec.tags.map((t: { name: string }) => t.name));
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operationId, op } of ops) {
      expect(operationId).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(op.tags).toHaveLength(1);
      expect(tags.has(op.tags[0])).toBe(true);
      expect(op.summary?.length).toBeGreaterThan(3);
      expect(op.description?.length).toBeGreaterThan(20);
    }
  });

  it('lists the 13 outbound events in the webhooks section, each signed with X-Coveton-Signature', () => {
    const events = Object.keys(spec.webhooks).sort();
    expect(events).toEqual(
      [
        'api_key.created', 'api_key.revoked', 'device.registered', 'device.removed', 'invoice.paid',
        'member.joined', 'member.removed', 'member.updated', 'message.created', 'message.deleted',
        'message.updated', 'session.revoked', 'subscription.updated',
      ].sort(),
    );
    for (const event of events) {
      const post = spec.webhooks[event].post;
      const params = JSON.stringify(post.parameters);
      expect(params).toContain('CovetonSignature');
      expect(post.requestBody.required).toBe(true);
    }
  });
});
