// constructEvent: verified bodies become typed events (every example in the contract's `webhooks`
// section round-trips), and a verified body that is not an event is `invalid_payload`.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { components, webhooks } from '../../generated/schema.js';
import {
  constructEvent,
  type CovetonWebhookEvent,
  type CovetonWebhookEventOf,
  type CovetonWebhookEventType,
  type UnknownWebhookEvent,
} from '../../src/webhooks/index.js';
import { spec } from '../support/spec.js';
import { at, expectReason, nodeHeader } from './helpers.js';

const SECRET = 'whsec_events_51c0';
const T = 1_780_306_200;
const now = at(T);

interface WebhookExample {
  type: string;
  value: unknown;
}

function contractExamples(): WebhookExample[] {
  return Object.entries(spec.webhooks as Record<string, any>).flatMap(([type, item]) =>
    Object.values(item.post.requestBody.content['application/json'].examples as Record<string, { value: unknown }>).map(
      (example) => ({ type, value: example.value }),
    ),
  );
}

describe('constructEvent', () => {
  const examples = contractExamples();

  it('covers every event in the contract', () => {
    expect(examples.length).toBeGreaterThanOrEqual(Object.keys(spec.webhooks).length);
  });

  it.each(examples)('returns the $type example from the contract', async ({ type, value }) => {
    const body = JSON.stringify(value);
    const event = await constructEvent(Buffer.from(body), nodeHeader(SECRET, T, body), SECRET, { now });
    expect(event).toEqual(value);
    expect(event.type).toBe(type);
  });

  it('narrows on type: message.created carries data.ciphertext as a string', async () => {
    const value = examples.find((e) => e.type === 'message.created')!.value;
    const body = JSON.stringify(value);
    const event = await constructEvent(body, nodeHeader(SECRET, T, body), SECRET, { now });
    expectTypeOf(event).toEqualTypeOf<CovetonWebhookEvent>();
    if (event.type === 'message.created') {
      expectTypeOf(event.data.ciphertext).toEqualTypeOf<string>();
      expectTypeOf(event.data).toEqualTypeOf<components['schemas']['Message']>();
      expect(typeof event.data.ciphertext).toBe('string');
    } else {
      expect.unreachable('expected a message.created event');
    }
  });

  it('derives its types from the contract: one member per webhook, keyed by type', () => {
    expectTypeOf<CovetonWebhookEventType>().toEqualTypeOf<keyof webhooks>();
    expectTypeOf<CovetonWebhookEventOf<'message.deleted'>>().toEqualTypeOf<components['schemas']['MessageDeletedEvent']>();
    expectTypeOf<CovetonWebhookEventOf<'invoice.paid'>['type']>().toEqualTypeOf<'invoice.paid'>();
  });

  it('verifies before parsing: a tampered non-JSON body is no_matching_signature', async () => {
    await expectReason(constructEvent('not json', nodeHeader(SECRET, T, '{}'), SECRET, { now }), 'no_matching_signature');
  });

  it('parses an event type this SDK does not know yet, so the caller can acknowledge it', async () => {
    const body = '{"id":"evt_9","type":"chat.archived","createdAt":"2026-06-20T17:00:00Z","organizationId":null,"data":{}}';
    const event = await constructEvent(body, nodeHeader(SECRET, T, body), SECRET, { now });
    expect(event.type as string).toBe('chat.archived');
  });

  // The documented receiver (events.ts, docs/guides/webhooks.md): a case for every known type,
  // `satisfies never` in `default` for a compile-time check, and an event type Coveton adds later
  // acknowledged there at run time, seen as an UnknownWebhookEvent, not thrown.
  function route(event: CovetonWebhookEvent): string {
    switch (event.type) {
      case 'message.created':
        expectTypeOf(event).toEqualTypeOf<CovetonWebhookEventOf<'message.created'>>(); // narrowing is intact
        return `message ${event.data.chatId}`;
      case 'message.updated': case 'message.deleted': case 'member.joined': case 'member.updated': case 'member.removed':
      case 'device.registered': case 'device.removed': case 'session.revoked': case 'subscription.updated': case 'invoice.paid':
      case 'api_key.created': case 'api_key.revoked':
        return `known ${event.type}`;
      default: {
        const unknown: UnknownWebhookEvent = event satisfies never;
        return `unknown ${unknown.type} ${unknown.id} ${Object.keys(unknown.data).join()}`;
      }
    }
  }

  it('an event type added later reaches the default branch of an exhaustive switch as an UnknownWebhookEvent', async () => {
    const body = '{"id":"evt_9","type":"chat.archived","createdAt":"2026-06-20T17:00:00Z","organizationId":null,"data":{"chatId":"chat_1"}}';
    expect(route(await constructEvent(body, nodeHeader(SECRET, T, body), SECRET, { now }))).toBe('unknown chat.archived evt_9 chatId');
    const known = JSON.stringify(examples.find((e) => e.type === 'message.created')!.value);
    expect(route(await constructEvent(known, nodeHeader(SECRET, T, known), SECRET, { now }))).toMatch(/^message chat_/);
    expectTypeOf<UnknownWebhookEvent>().toEqualTypeOf<{ id: string; type: string; createdAt: string; organizationId: string | null; data: Record<string, unknown> }>();
    // A switch that misses a known type fails to compile at `satisfies never`, before it ships.
    const partial = (event: CovetonWebhookEvent) => {
      if (event.type === 'message.created') return;
      // @ts-expect-error: the other known types are not handled
      return event satisfies never;
    };
    void partial;
  });

  it.each([
    ['not JSON', 'not json'],
    ['truncated JSON', '{"id":"evt_1","type":'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"message.created"'],
    ['JSON null', 'null'],
    ['an object without type', '{"id":"evt_1","data":{}}'],
    ['an object without id', '{"type":"message.created","data":{}}'],
    ['an object without data', '{"id":"evt_1","type":"message.created"}'],
    ['a non-string type', '{"id":"evt_1","type":7,"data":{}}'],
    // The spec's envelope: a non-empty id (retries are deduplicated by it), a type, an object data.
    ['an object with an empty id', '{"id":"","type":"message.created","data":{}}'],
    ['an object with an empty type', '{"id":"evt_1","type":"","data":{}}'],
    ['an object whose data is an array', '{"id":"evt_1","type":"message.created","data":[]}'],
    ['an object whose data is null', '{"id":"evt_1","type":"message.created","data":null}'],
  ])('a verified body that is %s is invalid_payload', async (_name, body) => {
    const err = await expectReason(constructEvent(body, nodeHeader(SECRET, T, body), SECRET, { now }), 'invalid_payload');
    expect(err.message).not.toContain(body); // the body is described, never echoed
  });

  it('verified bytes that are not UTF-8 are invalid_payload', async () => {
    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    await expectReason(constructEvent(body, nodeHeader(SECRET, T, body), SECRET, { now }), 'invalid_payload');
  });
});
