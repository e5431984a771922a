// The webhooks guide's handler, run as the guide shows it: its first TypeScript block, with only
// its import line swapped for the entry's own exports and `app`, `express` and `console` given by
// the test (an Express app that keeps the handler, a response that records the answer). Each
// reason a delivery can fail for gets the answer errors.ts prescribes: 400 for a delivery that is
// not genuine, 500 for `no_secret` and `body_not_raw`, which are bugs in the receiver. The guide's
// table of reasons says the same, one row per reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/webhooks/index.js';
import type { WebhookSignatureErrorReason } from '../../src/webhooks/index.js';
import { nodeHeader } from './helpers.js';

const guide = readFileSync(join(fileURLToPath(new URL('../..', import.meta.url)), 'docs', 'guides', 'webhooks.md'), 'utf8');
const SECRET = 'whsec_guide_5e1d';
const EVENT = '{"id":"evt_1","type":"message.created","createdAt":"2026-06-20T17:00:00Z","organizationId":null,"data":{"chatId":"chat_1"}}';

/** What errors.ts prescribes for each reason (its doc comment): the oracle of this file. */
const ANSWER: Record<WebhookSignatureErrorReason, 400 | 500> = {
  missing_header: 400,
  malformed_header: 400,
  no_matching_signature: 400,
  timestamp_outside_tolerance: 400,
  invalid_payload: 400,
  body_not_raw: 500,
  no_secret: 500,
};

interface Delivery {
  body: unknown;
  header: string | undefined;
}
type Handler = (req: { body: unknown; header(name: string): string | undefined }, res: unknown) => Promise<unknown>;

/** The guide's handler, built from its first ```ts block with the given environment. */
function guideHandler(env: Record<string, string | undefined>): { handle: (d: Delivery) => Promise<{ status: number; body?: string; logged: unknown[] }> } {
  const code = /```ts\n([\s\S]*?)```/.exec(guide)![1]!;
  const importLine = "import { constructEvent, WebhookSignatureError } from '@coveton/sdk/webhooks';\n";
  expect(code.startsWith(importLine)).toBe(true);
  const js = transformSync(code.slice(importLine.length), { loader: 'ts' }).code;
  let handler: Handler | undefined;
  const app = { post: (_path: string, _raw: unknown, h: Handler) => void (handler = h) };
  const express = { raw: () => undefined };
  const logged: unknown[] = [];
  const quiet = { log: (...a: unknown[]) => void logged.push(a), error: (...a: unknown[]) => void logged.push(a) };
  new Function('app', 'express', 'process', 'console', 'constructEvent', 'WebhookSignatureError', js)(
    app, express, { env }, quiet, entry.constructEvent, entry.WebhookSignatureError,
  );
  expect(handler).toBeTypeOf('function');
  return {
    handle: async ({ body, header }) => {
      const answer: { status: number; body?: string; logged: unknown[] } = { status: 0, logged };
      const res = {
        status: (status: number) => ((answer.status = status), res),
        send: (text: string) => ((answer.body = text), res),
        sendStatus: (status: number) => ((answer.status = status), res),
      };
      await handler!({ body, header: (name) => (name.toLowerCase() === 'x-coveton-signature' ? header : undefined) }, res);
      return answer;
    },
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const signed = (body: string, t = nowSeconds()) => ({ body: Buffer.from(body), header: nodeHeader(SECRET, t, body) });

describe("the webhooks guide's handler", () => {
  const { handle } = guideHandler({ COVETON_WEBHOOK_SECRET: SECRET });

  it('answers 200 to a genuine delivery and reads the event', async () => {
    const answer = await handle(signed(EVENT));
    expect(answer.status).toBe(200);
    expect(answer.logged).toContainEqual(['chat_1']);
  });

  const deliveries: Array<[WebhookSignatureErrorReason, () => Delivery, Record<string, string | undefined>?]> = [
    ['missing_header', () => ({ ...signed(EVENT), header: undefined })],
    ['malformed_header', () => ({ ...signed(EVENT), header: 'v1=abc' })],
    ['no_matching_signature', () => ({ body: Buffer.from(EVENT), header: nodeHeader('whsec_someone_else', nowSeconds(), EVENT) })],
    ['timestamp_outside_tolerance', () => signed(EVENT, nowSeconds() - 3600)],
    ['invalid_payload', () => signed('{"hello":"world"}')],
    ['body_not_raw', () => ({ ...signed(EVENT), body: JSON.parse(EVENT) })], // a JSON body parser ran first
    ['no_secret', () => signed(EVENT), {}], // COVETON_WEBHOOK_SECRET unset
  ];

  it('covers every reason', () => {
    expect(deliveries.map(([reason]) => reason).sort()).toEqual(Object.keys(ANSWER).sort());
  });

  it.each(deliveries)('%s: answers what errors.ts prescribes', async (reason, delivery, env) => {
    const answer = await (env ? guideHandler(env).handle : handle)(delivery());
    expect(answer.status).toBe(ANSWER[reason]);
    if (ANSWER[reason] === 400) expect(answer.body).toBe(reason);
  });

  it("the guide's table gives every reason the same answer", () => {
    for (const [reason, status] of Object.entries(ANSWER)) {
      expect(guide).toMatch(new RegExp(`^\\| \`${reason}\` \\| [^\\n]* \\| ${status}(: a bug in the handler)? \\|$`, 'm'));
    }
  });
});
